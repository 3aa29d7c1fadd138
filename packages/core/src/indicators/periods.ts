import { z } from 'zod';
import { dateParts, daysInMonth, isIsoDate, isoDateOf, isoDateSchema, previousDay, vietnamDate, type IsoDate } from '../dates';
import { invalidInput, type Language, type Localised } from './shared';

/**
 * Reporting periods (kỳ báo cáo) as Vietnamese agencies report them: a day, a
 * month, a quarter, 6 months, 9 months, a year, and year-to-date (lũy kế)
 * ending at a month. Every period other than a day is a run of whole months
 * inside one calendar year. Days and months are Vietnam's local days and
 * months (UTC+7): an instant is placed with `localDate`.
 *
 * Canonical keys: 2025-07-14, 2025-07, 2025-Q3, 2025-H1, 2025-9M, 2025, 2025-YTD-07.
 */
export const PERIOD_KINDS = ['day', 'month', 'quarter', 'half', 'nine_months', 'year', 'ytd'] as const;
export const periodKindSchema = z.enum(PERIOD_KINDS);
export type PeriodKind = z.infer<typeof periodKindSchema>;

const yearSchema = z.number().int().min(1000).max(9999);
const monthSchema = z.number().int().min(1).max(12);

export const periodSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('day'), date: isoDateSchema }),
  z.object({ kind: z.literal('month'), year: yearSchema, month: monthSchema }),
  z.object({ kind: z.literal('quarter'), year: yearSchema, quarter: z.number().int().min(1).max(4) }),
  z.object({ kind: z.literal('half'), year: yearSchema, half: z.number().int().min(1).max(2) }),
  z.object({ kind: z.literal('nine_months'), year: yearSchema }),
  z.object({ kind: z.literal('year'), year: yearSchema }),
  z.object({ kind: z.literal('ytd'), year: yearSchema, month: monthSchema }),
]);
export type Period = z.infer<typeof periodSchema>;
export type DayPeriod = Extract<Period, { kind: 'day' }>;
export type MonthPeriod = Extract<Period, { kind: 'month' }>;
/** A period made of whole months (every kind but a day). */
export type MonthSpanPeriod = Exclude<Period, DayPeriod>;

const YEAR = '([1-9]\\d{3})';
const MONTH = '(0[1-9]|1[0-2])';
const KEY_PARSERS: ReadonlyArray<[RegExp, (m: RegExpExecArray) => Period | null]> = [
  [new RegExp(`^${YEAR}-\\d{2}-\\d{2}$`), (m) => (isIsoDate(m[0]) ? { kind: 'day', date: m[0] } : null)],
  [new RegExp(`^${YEAR}-${MONTH}$`), (m) => ({ kind: 'month', year: Number(m[1]), month: Number(m[2]) })],
  [new RegExp(`^${YEAR}-Q([1-4])$`), (m) => ({ kind: 'quarter', year: Number(m[1]), quarter: Number(m[2]) })],
  [new RegExp(`^${YEAR}-H([12])$`), (m) => ({ kind: 'half', year: Number(m[1]), half: Number(m[2]) })],
  [new RegExp(`^${YEAR}-9M$`), (m) => ({ kind: 'nine_months', year: Number(m[1]) })],
  [new RegExp(`^${YEAR}$`), (m) => ({ kind: 'year', year: Number(m[1]) })],
  [new RegExp(`^${YEAR}-YTD-${MONTH}$`), (m) => ({ kind: 'ytd', year: Number(m[1]), month: Number(m[2]) })],
];

function periodFromKey(key: string): Period | null {
  for (const [pattern, build] of KEY_PARSERS) {
    const m = pattern.exec(key);
    if (m) return build(m);
  }
  return null;
}

const PERIOD_KEY_HELP = 'must be a period key: 2025-07-14, 2025-07, 2025-Q3, 2025-H1, 2025-9M, 2025 or 2025-YTD-07';

/** A canonical period key, for API parameters and stored rows. */
export const periodKeySchema = z
  .string()
  .refine((key) => periodFromKey(key) !== null, { message: PERIOD_KEY_HELP })
  .describe('Reporting period: 2025-07-14, 2025-07, 2025-Q3, 2025-H1, 2025-9M, 2025 or 2025-YTD-07');

/** Reads a period key, so every boundary refuses a malformed period with the same coded error. */
export function parsePeriod(key: string): Period {
  const checked = periodKeySchema.safeParse(key);
  const period = checked.success ? periodFromKey(checked.data) : null;
  if (period === null) throw invalidInput('invalid_period', `"${key}" ${PERIOD_KEY_HELP}`, { key });
  return period;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The canonical key of a period (the inverse of parsePeriod). */
export function periodKey(p: Period): string {
  switch (p.kind) {
    case 'day':
      return p.date;
    case 'month':
      return `${p.year}-${pad2(p.month)}`;
    case 'quarter':
      return `${p.year}-Q${p.quarter}`;
    case 'half':
      return `${p.year}-H${p.half}`;
    case 'nine_months':
      return `${p.year}-9M`;
    case 'year':
      return `${p.year}`;
    case 'ytd':
      return `${p.year}-YTD-${pad2(p.month)}`;
  }
}

/** The first and last month (1–12) a whole-month period covers. */
function monthSpan(p: MonthSpanPeriod): { first: number; last: number } {
  switch (p.kind) {
    case 'month':
      return { first: p.month, last: p.month };
    case 'quarter':
      return { first: p.quarter * 3 - 2, last: p.quarter * 3 };
    case 'half':
      return { first: p.half * 6 - 5, last: p.half * 6 };
    case 'nine_months':
      return { first: 1, last: 9 };
    case 'year':
      return { first: 1, last: 12 };
    case 'ytd':
      return { first: 1, last: p.month };
  }
}

/** The first day of the period (inclusive). */
export function periodStart(p: Period): IsoDate {
  return p.kind === 'day' ? p.date : isoDateOf(p.year, monthSpan(p).first, 1);
}

/** The last day of the period (inclusive). */
export function periodEnd(p: Period): IsoDate {
  if (p.kind === 'day') return p.date;
  const { last } = monthSpan(p);
  return isoDateOf(p.year, last, daysInMonth(p.year, last));
}

/** Whether the date falls inside the period. */
export function periodIncludes(p: Period, date: IsoDate): boolean {
  return periodStart(p) <= date && date <= periodEnd(p);
}

function requireDate(date: IsoDate): { year: number; month: number } {
  if (!isIsoDate(date)) throw invalidInput('invalid_period', `"${date}" is not a calendar date written YYYY-MM-DD`, { date });
  return dateParts(date);
}

/**
 * The period of a kind that contains a date. A `ytd` period ends at the
 * date's month. There is one 9-month period a year (January–September), so
 * a date in October–December is in none: null.
 */
export function periodContaining(kind: 'nine_months', date: IsoDate): Period | null;
export function periodContaining(kind: Exclude<PeriodKind, 'nine_months'>, date: IsoDate): Period;
export function periodContaining(kind: PeriodKind, date: IsoDate): Period | null;
export function periodContaining(kind: PeriodKind, date: IsoDate): Period | null {
  const { year, month } = requireDate(date);
  switch (kind) {
    case 'day':
      return { kind, date };
    case 'month':
    case 'ytd':
      return { kind, year, month };
    case 'quarter':
      return { kind, year, quarter: Math.ceil(month / 3) };
    case 'half':
      return { kind, year, half: month <= 6 ? 1 : 2 };
    case 'nine_months':
      return month <= 9 ? { kind, year } : null;
    case 'year':
      return { kind, year };
  }
}

/**
 * The period reported just before this one, in the sequence a report of this
 * kind follows: the previous day, month, quarter, half or year; for 9 months
 * (one a year) last year's 9 months; for year-to-date the cumulation one month
 * shorter (YTD-07 → YTD-06), and YTD-01 → last year's YTD-12.
 */
export function previousPeriod(p: Period): Period {
  switch (p.kind) {
    case 'day':
      return { kind: 'day', date: previousDay(p.date) };
    case 'month':
    case 'ytd':
      return p.month === 1 ? { kind: p.kind, year: p.year - 1, month: 12 } : { ...p, month: p.month - 1 };
    case 'quarter':
      return p.quarter === 1 ? { kind: 'quarter', year: p.year - 1, quarter: 4 } : { ...p, quarter: p.quarter - 1 };
    case 'half':
      return p.half === 1 ? { kind: 'half', year: p.year - 1, half: 2 } : { ...p, half: 1 };
    case 'nine_months':
    case 'year':
      return { ...p, year: p.year - 1 };
  }
}

/** The same period last year (cùng kỳ năm trước); 29 February maps to 28 February. */
export function samePeriodLastYear(p: Period): Period {
  if (p.kind !== 'day') return { ...p, year: p.year - 1 };
  const { year, month, day } = dateParts(p.date);
  return { kind: 'day', date: isoDateOf(year - 1, month, Math.min(day, daysInMonth(year - 1, month))) };
}

/** The months that make up a whole-month period, in order: what a monthly series sums or averages over. */
export function monthsOf(p: MonthSpanPeriod): MonthPeriod[] {
  const { first, last } = monthSpan(p);
  return Array.from({ length: last - first + 1 }, (_, i) => ({ kind: 'month', year: p.year, month: first + i }));
}

/**
 * The period a fact's statistics are kept under: a day's (or an instant's)
 * month; a month, quarter or year as it is. Wider periods are composed from
 * these when read, so each fact is counted in one place per ancestor.
 */
export function storedPeriod(p: Period): MonthSpanPeriod {
  if (p.kind !== 'day') return p;
  const { year, month } = dateParts(p.date);
  return { kind: 'month', year, month };
}

/**
 * The stored periods that make up a whole-month period: its months, the
 * quarters wholly inside it, and its year when it covers the year. Monthly
 * facts compose any period; quarterly ones a quarter, half, 9 months or
 * year; yearly ones a year (or year-to-December).
 */
export function storedPeriodsWithin(p: MonthSpanPeriod): MonthSpanPeriod[] {
  const { first, last } = monthSpan(p);
  const year = p.year;
  const out: MonthSpanPeriod[] = [];
  for (let month = first; month <= last; month++) out.push({ kind: 'month', year, month });
  for (let quarter = 1; quarter <= 4; quarter++) if (quarter * 3 - 2 >= first && quarter * 3 <= last) out.push({ kind: 'quarter', year, quarter });
  if (first === 1 && last === 12) out.push({ kind: 'year', year });
  return out;
}

/** How often an indicator is measured: a stream of instants, or one value per day, month, quarter or year. */
export const FREQUENCIES = ['instant', 'day', 'month', 'quarter', 'year'] as const;
export const frequencySchema = z.enum(FREQUENCIES);
export type Frequency = z.infer<typeof frequencySchema>;

/**
 * Whether an observation of an indicator measured at this frequency may be
 * stored for a period of this kind: a monthly indicator takes month keys
 * only, and an instant (stream) indicator takes timestamps, never a period.
 */
export function periodMatchesFrequency(kind: PeriodKind, frequency: Frequency): boolean {
  return frequency !== 'instant' && kind === frequency;
}

/**
 * Whether values measured at this frequency can be aggregated into the
 * period, i.e. the period is made of whole units of the frequency: monthly
 * data gives any whole-month period; quarterly data gives a quarter, a half,
 * 9 months, a year, or a YTD ending at a quarter's end; yearly data only a
 * year (or YTD-12).
 */
export function canAggregateTo(frequency: Frequency, p: Period): boolean {
  if (frequency === 'instant' || frequency === 'day') return true;
  if (p.kind === 'day') return false;
  const { first, last } = monthSpan(p);
  const unit = frequency === 'month' ? 1 : frequency === 'quarter' ? 3 : 12;
  return (first - 1) % unit === 0 && last % unit === 0;
}

/**
 * Growth over a base (usually the same period last year), in percent:
 * 108 against 100 is 8. Null when there is no base, or the base is zero or
 * negative: a rate over such a base has no meaning, and no data is not zero.
 */
export function growthRate(current: number | null, base: number | null): number | null {
  if (current === null || base === null || !Number.isFinite(current) || !Number.isFinite(base) || base <= 0) return null;
  return ((current - base) * 100) / base;
}

const ROMAN_QUARTERS = ['I', 'II', 'III', 'IV'];
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function labelVi(p: Period): string {
  switch (p.kind) {
    case 'day': {
      const { year, month, day } = dateParts(p.date);
      return `Ngày ${day}/${month}/${year}`;
    }
    case 'month':
      return `Tháng ${p.month}/${p.year}`;
    case 'quarter':
      return `Quý ${ROMAN_QUARTERS[p.quarter - 1]}/${p.year}`;
    case 'half':
      return `6 tháng ${p.half === 1 ? 'đầu' : 'cuối'} năm ${p.year}`;
    case 'nine_months':
      return `9 tháng năm ${p.year}`;
    case 'year':
      return `Năm ${p.year}`;
    case 'ytd':
      return `Lũy kế ${p.month} tháng năm ${p.year}`;
  }
}

function labelEn(p: Period): string {
  const monthName = (m: number): string => EN_MONTHS[m - 1] ?? '';
  switch (p.kind) {
    case 'day': {
      const { year, month, day } = dateParts(p.date);
      return `${day} ${monthName(month)} ${year}`;
    }
    case 'month':
      return `${monthName(p.month)} ${p.year}`;
    case 'quarter':
      return `Q${p.quarter} ${p.year}`;
    case 'half':
      return `H${p.half} ${p.year}`;
    case 'nine_months':
      return `9M ${p.year}`;
    case 'year':
      return `${p.year}`;
    case 'ytd':
      return p.month === 1 ? `Jan ${p.year}` : `Jan–${monthName(p.month).slice(0, 3)} ${p.year}`;
  }
}

/** How a period is written in reports: "Quý III/2025" in Vietnamese, "Q3 2025" in English. */
export function periodLabel(p: Period, lang: Language): string {
  return lang === 'vi' ? labelVi(p) : labelEn(p);
}

/** The period's label in both languages. */
export function periodLabels(p: Period): Localised {
  return { vi: labelVi(p), en: labelEn(p) };
}

/** An absolute instant: ISO 8601 with `Z` or an explicit offset (a bare local time is ambiguous and refused). */
export const instantSchema = z.iso.datetime({ offset: true }).describe('An instant, ISO 8601 with Z or an offset');

/**
 * The Vietnamese calendar date (UTC+7) an instant falls on, so a reading at
 * 2025-07-31T17:30Z counts toward 1 August, not 31 July. Compose with
 * periodContaining to get its day, month or quarter.
 */
export function localDate(instant: string): IsoDate {
  if (!instantSchema.safeParse(instant).success) {
    throw invalidInput('invalid_instant', `"${instant}" must be an ISO 8601 instant with Z or an offset`, { instant });
  }
  return vietnamDate(new Date(instant));
}
