import { addDays } from '../dates';
import type { BandThresholds, Delivery, Direction, IndicatorDefinition, LevelThresholds, PlanProgress, Thresholds } from './indicator';
import { periodEnd, type Period } from './periods';
import { formatDateVi, formatNumber, invalidInput, type Language, type Localised } from './shared';

/**
 * The colour a leader reads beside a figure, with its reason. Grey means no
 * data for the period (never a zero); `unrated` means a value with nothing to
 * judge it by (no thresholds and no plan, e.g. a plain count). Whether the
 * figure is late (stale) is a separate flag: a grey cell can also be stale.
 */
export const STATUS_COLOURS = ['green', 'amber', 'red', 'grey', 'unrated'] as const;
export type StatusColour = (typeof STATUS_COLOURS)[number];

export const STATUS_REASONS = [
  'no_data',
  'no_criteria',
  'meets_green',
  'meets_amber',
  'misses_amber',
  'within_band',
  'near_band',
  'outside_band',
  'target_met',
  'near_target',
  'target_missed',
  'plan_pace_met',
  'plan_pace_near',
  'plan_pace_missed',
  'not_collected_yet',
  'incomplete',
  'not_defined_for_unit',
] as const;
export type StatusReason = (typeof STATUS_REASONS)[number];

export interface Status {
  status: StatusColour;
  reason: StatusReason;
  text: Localised;
}

const text = (make: (lang: Language, n: (x: number) => string) => string): Localised => ({
  vi: make('vi', (x) => formatNumber(x, 'vi')),
  en: make('en', (x) => formatNumber(x, 'en')),
});

const NO_DATA: Status = { status: 'grey', reason: 'no_data', text: { vi: 'Chưa có số liệu cho kỳ này', en: 'No data for this period' } };
const NO_CRITERIA: Status = {
  status: 'unrated',
  reason: 'no_criteria',
  text: { vi: 'Chưa có ngưỡng hoặc kế hoạch để đánh giá', en: 'No thresholds or plan to judge by' },
};

function levelStatus(value: number, direction: 'higher_is_better' | 'lower_is_better', t: LevelThresholds): Status {
  const better = (a: number, b: number): boolean => (direction === 'higher_is_better' ? a >= b : a <= b);
  const op = direction === 'higher_is_better' ? '≥' : '≤';
  if (better(value, t.green)) {
    return { status: 'green', reason: 'meets_green', text: text((l, n) => (l === 'vi' ? `Đạt ngưỡng xanh (${op} ${n(t.green)})` : `Meets the green threshold (${op} ${n(t.green)})`)) };
  }
  if (better(value, t.amber)) {
    return {
      status: 'amber',
      reason: 'meets_amber',
      text: text((l, n) =>
        l === 'vi' ? `Chưa đạt ngưỡng xanh (${op} ${n(t.green)}), trong ngưỡng vàng (${op} ${n(t.amber)})` : `Misses the green threshold (${op} ${n(t.green)}), within amber (${op} ${n(t.amber)})`,
      ),
    };
  }
  return { status: 'red', reason: 'misses_amber', text: text((l, n) => (l === 'vi' ? `Không đạt ngưỡng vàng (${op} ${n(t.amber)})` : `Misses the amber threshold (${op} ${n(t.amber)})`)) };
}

function bandStatus(value: number, t: BandThresholds): Status {
  const band = (n: (x: number) => string): string => `${n(t.low)}–${n(t.high)}`;
  if (value >= t.low && value <= t.high) {
    return { status: 'green', reason: 'within_band', text: text((l, n) => (l === 'vi' ? `Trong khoảng ${band(n)}` : `Within ${band(n)}`)) };
  }
  if (value >= t.low - t.amberMargin && value <= t.high + t.amberMargin) {
    return {
      status: 'amber',
      reason: 'near_band',
      text: text((l, n) => (l === 'vi' ? `Ngoài khoảng ${band(n)}, trong biên ${n(t.amberMargin)}` : `Outside ${band(n)}, within the ${n(t.amberMargin)} margin`)),
    };
  }
  return {
    status: 'red',
    reason: 'outside_band',
    text: text((l, n) => (l === 'vi' ? `Ngoài khoảng ${band(n)}, quá biên ${n(t.amberMargin)}` : `Outside ${band(n)}, beyond the ${n(t.amberMargin)} margin`)),
  };
}

/** Colour of a value by the indicator's thresholds; grey when there is no value. */
export function statusFromThresholds(value: number | null, direction: Direction, thresholds: Thresholds): Status {
  if (value === null) return NO_DATA;
  const isBand = 'low' in thresholds;
  if (isBand && direction === 'band') return bandStatus(value, thresholds);
  if (!isBand && direction !== 'band') return levelStatus(value, direction, thresholds);
  throw invalidInput('invalid_indicator', `thresholds ${JSON.stringify(thresholds)} do not fit direction ${direction}`);
}

/** Percent of plan achieved (thực hiện / kế hoạch × 100); null without a positive plan or a value. */
export function percentOfPlan(actual: number | null, target: number | null): number | null {
  if (actual === null || target === null || !(target > 0)) return null;
  return (actual * 100) / target;
}

/** Where the colours change, in percent of plan. For lower_is_better they are mirrored around 100 (≤100 green, ≤110 amber). */
export interface TargetBands {
  green: number;
  amber: number;
}
export const DEFAULT_TARGET_BANDS: TargetBands = { green: 100, amber: 90 };

function targetText(reason: 'target_met' | 'near_target' | 'target_missed', actual: number, target: number): Localised {
  const pct = percentOfPlan(actual, target);
  const words = {
    target_met: { vi: 'Đạt kế hoạch', en: 'Plan met' },
    near_target: { vi: 'Gần đạt kế hoạch', en: 'Close to plan' },
    target_missed: { vi: 'Không đạt kế hoạch', en: 'Plan missed' },
  }[reason];
  return text((l, n) => {
    const detail = pct !== null ? `${n(pct)}%` : l === 'vi' ? `thực hiện ${n(actual)}, kế hoạch ${n(target)}` : `actual ${n(actual)}, plan ${n(target)}`;
    return `${words[l]} (${detail})`;
  });
}

/**
 * Colour of a value against its plan (kế hoạch), by percent of plan. The
 * comparison is done by cross-multiplying, so 90 of 100 is exactly 90%. A
 * plan of zero or below has no percentage: it is met or missed outright.
 */
export function statusFromTarget(
  value: number | null,
  target: number,
  direction: 'higher_is_better' | 'lower_is_better',
  bands: TargetBands = DEFAULT_TARGET_BANDS,
): Status {
  if (value === null) return NO_DATA;
  const higher = direction === 'higher_is_better';
  const reached = (pct: number): boolean => (higher ? value * 100 >= pct * target : value * 100 <= (200 - pct) * target);
  let reason: 'target_met' | 'near_target' | 'target_missed';
  if (target <= 0) reason = (higher ? value >= target : value <= target) ? 'target_met' : 'target_missed';
  else reason = reached(bands.green) ? 'target_met' : reached(bands.amber) ? 'near_target' : 'target_missed';
  const status = reason === 'target_met' ? 'green' : reason === 'near_target' ? 'amber' : 'red';
  return { status, reason, text: targetText(reason, value, target) };
}

/**
 * How far into its year plan a figure is expected to be by the end of a
 * period: `months` months of the year gone by. Pro rata, the share of the
 * year gone by (11 months → 11/12); seasonal, the share of last year's total
 * that last year had reached by then. Without last year's figures (or a
 * total of zero or less) a seasonal profile falls back to pro rata, and says so.
 */
export interface ExpectedProgress {
  basis: PlanProgress;
  months: number;
  /** The expected share of the year plan, 0..1 (seasonal: can exceed 1 when last year fell back at its end). */
  share: number;
}

export function expectedProgress(input: { progress: PlanProgress; months: number; lastYear?: { toDate: number | null; total: number | null } }): ExpectedProgress {
  const months = Math.min(12, Math.max(1, Math.round(input.months)));
  const ly = input.lastYear;
  if (input.progress === 'seasonal' && ly && ly.toDate !== null && ly.total !== null && ly.total > 0 && ly.toDate >= 0) {
    return { basis: 'seasonal', months, share: ly.toDate / ly.total };
  }
  return { basis: 'pro_rata', months, share: months / 12 };
}

/**
 * The year plan a period is judged by when it has no plan of its own: for an
 * indicator that says how its year-to-date progresses (`planProgress`), a
 * period within the year (not the year itself), a year plan and a
 * year-to-date. `lastYear` is asked only for a seasonal profile. Null when
 * the year plan does not judge this period.
 */
export function yearPlanOf(input: {
  progress: PlanProgress | null;
  period: Period;
  target: number | null;
  yearTarget: number | null;
  toDate: number | null;
  lastYear: () => { toDate: number | null; total: number | null };
}): { target: number; toDate: number | null; expected: ExpectedProgress } | null {
  const { progress, period, yearTarget } = input;
  if (progress === null || input.target !== null || yearTarget === null || period.kind === 'year' || period.kind === 'day') return null;
  const months = Number(periodEnd(period).slice(5, 7));
  const expected = expectedProgress({ progress, months, ...(progress === 'seasonal' ? { lastYear: input.lastYear() } : {}) });
  return { target: yearTarget, toDate: input.toDate, expected };
}

/** A percentage as a leader reads it in a sentence: one decimal, the local way ("91,7 %" / "91.7%"). */
const pctText = (x: number, lang: Language): string => {
  const n = formatNumber(Math.round(x * 10) / 10, lang);
  return lang === 'vi' ? `${n} %` : `${n}%`;
};

/**
 * Colour of a year-to-date figure against the progress expected of its
 * year plan (a period with no plan of its own): the year-to-date is held to
 * `share` of the year plan, with the same bands as a plan. The text says what
 * was compared: "90,7 % KH năm; kỳ vọng 91,7 % sau 11 tháng".
 */
export function statusFromPlanPace(
  toDate: number | null,
  yearTarget: number,
  expected: ExpectedProgress,
  direction: 'higher_is_better' | 'lower_is_better',
  bands: TargetBands = DEFAULT_TARGET_BANDS,
): Status {
  if (toDate === null) return NO_DATA;
  const judged = statusFromTarget(toDate, yearTarget * expected.share, direction, bands);
  const reason = ({ target_met: 'plan_pace_met', near_target: 'plan_pace_near', target_missed: 'plan_pace_missed' } as const)[judged.reason as 'target_met' | 'near_target' | 'target_missed'];
  const words = {
    plan_pace_met: { vi: 'Đạt tiến độ kế hoạch năm', en: 'On pace for the year plan' },
    plan_pace_near: { vi: 'Gần đạt tiến độ kế hoạch năm', en: 'Close to the year plan’s pace' },
    plan_pace_missed: { vi: 'Chậm so với tiến độ kế hoạch năm', en: 'Behind the year plan’s pace' },
  }[reason];
  const achieved = percentOfPlan(toDate, yearTarget);
  const seasonal = expected.basis === 'seasonal';
  const detail: Localised = {
    vi: `${achieved !== null ? `${pctText(achieved, 'vi')} KH năm; ` : ''}kỳ vọng ${pctText(expected.share * 100, 'vi')} sau ${expected.months} tháng${seasonal ? ' (theo diễn biến năm trước)' : ''}`,
    en: `${achieved !== null ? `${pctText(achieved, 'en')} of the year plan; ` : ''}${pctText(expected.share * 100, 'en')} expected after month ${expected.months}${seasonal ? ' (last year’s pace)' : ''}`,
  };
  return { status: judged.status, reason, text: { vi: `${words.vi} (${detail.vi})`, en: `${words.en} (${detail.en})` } };
}

export const STALENESS_REASONS = ['no_delivery_expected', 'not_reported_here', 'not_collected_yet', 'not_defined_for_unit', 'not_yet_due', 'delivered', 'delivered_late', 'overdue', 'stream_fresh', 'stream_silent'] as const;
export type StalenessReason = (typeof STALENESS_REASONS)[number];

export interface Staleness {
  stale: boolean;
  reason: StalenessReason;
  /** The last day (Vietnam time) the figure was due on; null for streams and when nothing is expected. */
  dueDate: string | null;
  /** The instant the figure became late (ISO, UTC); null when it is not, or a stream has never reported. */
  staleSince: string | null;
  text: Localised;
}

/** The instant a Vietnamese calendar day ends (midnight UTC+7 that starts the next day). */
function endOfVietnamDay(date: string): Date {
  return new Date(`${addDays(date, 1)}T00:00:00+07:00`);
}

function periodicStaleness(afterDays: number, period: Period, latestDataAt: Date | null, now: Date): Staleness {
  const dueDate = addDays(periodEnd(period), afterDays);
  const deadline = endOfVietnamDay(dueDate);
  const base = { dueDate, staleSince: null };
  const due = text((l) => (l === 'vi' ? `hạn ${formatDateVi(dueDate)}` : `due ${dueDate}`));
  if (latestDataAt !== null) {
    const late = latestDataAt >= deadline;
    return {
      ...base,
      stale: false,
      reason: late ? 'delivered_late' : 'delivered',
      text: late ? { vi: `Gửi muộn (${due.vi})`, en: `Delivered late (${due.en})` } : { vi: `Đã gửi đúng hạn (${due.vi})`, en: `Delivered on time (${due.en})` },
    };
  }
  if (now < deadline) return { ...base, stale: false, reason: 'not_yet_due', text: { vi: `Chưa đến hạn (${due.vi})`, en: `Not yet due (${due.en})` } };
  return {
    dueDate,
    stale: true,
    reason: 'overdue',
    staleSince: deadline.toISOString(),
    text: { vi: `Quá hạn gửi số liệu (${due.vi})`, en: `Overdue (${due.en})` },
  };
}

function streamStaleness(maxAgeMinutes: number, latestDataAt: Date | null, now: Date): Staleness {
  const base = { dueDate: null };
  if (latestDataAt === null) {
    return { ...base, stale: true, reason: 'stream_silent', staleSince: null, text: { vi: 'Chưa nhận được dữ liệu', en: 'No data received yet' } };
  }
  const staleAt = new Date(latestDataAt.getTime() + maxAgeMinutes * 60_000);
  if (now <= staleAt) {
    return {
      ...base,
      stale: false,
      reason: 'stream_fresh',
      staleSince: null,
      text: text((l, n) => (l === 'vi' ? `Dữ liệu mới (≤ ${n(maxAgeMinutes)} phút)` : `Fresh (≤ ${n(maxAgeMinutes)} min)`)),
    };
  }
  return {
    ...base,
    stale: true,
    reason: 'stream_silent',
    staleSince: staleAt.toISOString(),
    text: text((l, n) => (l === 'vi' ? `Không có dữ liệu mới quá ${n(maxAgeMinutes)} phút` : `No new data for over ${n(maxAgeMinutes)} min`)),
  };
}

/**
 * Whether a figure is late, and since when. A periodic figure is due by the
 * end of the (Vietnamese) day `afterPeriodEndDays` after its period ends and
 * is stale from then until data for the period arrives; `latestDataAt` is
 * when that data arrived (null: none yet). A stream is stale once its latest
 * reading (`latestDataAt`) is older than `maxAgeMinutes`.
 */
export function staleness(input: { delivery: Delivery | null; period: Period; latestDataAt: Date | null; now: Date }): Staleness {
  const { delivery, period, latestDataAt, now } = input;
  if (delivery === null) {
    return { stale: false, reason: 'no_delivery_expected', dueDate: null, staleSince: null, text: { vi: 'Không quy định hạn gửi', en: 'No delivery deadline' } };
  }
  if ('maxAgeMinutes' in delivery) return streamStaleness(delivery.maxAgeMinutes, latestDataAt, now);
  return periodicStaleness(delivery.afterPeriodEndDays, period, latestDataAt, now);
}

/**
 * A missing figure is late only where the figure is reported: for a place
 * and period before its first report (history before our records, or a
 * level the indicator is not reported at), it is plain "no data", not late.
 */
export const NOT_REPORTED_HERE: Staleness = {
  stale: false,
  reason: 'not_reported_here',
  dueDate: null,
  staleSince: null,
  text: { vi: 'Chỉ tiêu chưa được báo cáo cho đơn vị này đến kỳ này', en: 'Not reported for this unit up to this period' },
};

/** Before its series starts a figure is not missing: it was not collected yet. */
export function notCollectedYet(text: Localised): Status & { staleness: Staleness } {
  return {
    status: 'grey',
    reason: 'not_collected_yet',
    text,
    staleness: { stale: false, reason: 'not_collected_yet', dueDate: null, staleSince: null, text },
  };
}

export interface Assessment extends Status {
  stale: boolean;
  staleness: Staleness;
  percentOfPlan: number | null;
}

/** What a score says for a unit that did not exist in the period: it does not regroup across a merger. */
export const NOT_DEFINED: Localised = {
  vi: 'Không xác định cho đơn vị này trong kỳ này: đơn vị chưa được thành lập, và chỉ số không cộng gộp từ các đơn vị cũ; xem giá trị riêng của từng đơn vị cũ',
  en: 'Not defined for this unit in this period: the unit did not exist yet, and the score does not regroup from the former units; see each former unit’s own value',
};

/**
 * The full judgement of one figure for one period, as the overview shows it.
 * No value → grey, whatever else is known (before the series starts: "not
 * collected yet", never late). Otherwise the period's own plan, when given
 * and the direction is not a band, decides; then, for a figure accumulating
 * over the year with only a year plan, its year-to-date against the progress
 * expected by now; then thresholds; else `unrated`. Staleness is judged
 * independently and can accompany any colour.
 */
export function assessFigure(input: {
  indicator: Pick<IndicatorDefinition, 'direction' | 'thresholds' | 'delivery'>;
  value: number | null;
  target?: number | null;
  /** The year plan and the year-to-date, for a period without a plan of its own; `expected` from expectedProgress(). */
  yearPlan?: { target: number; toDate: number | null; expected: ExpectedProgress } | null;
  period: Period;
  latestDataAt: Date | null;
  now: Date;
  targetBands?: TargetBands;
  /** False when the place had no report of the indicator up to the period: a missing value is then not late. Default true. */
  reportedHere?: boolean;
  /** Set when the period ends before the indicator's series starts: the text saying so (see applicability()). */
  notCollectedYet?: Localised | null;
  /** Set when the figure covers fewer units than it needs (see coverage.ts): the text saying so. It is then neither compared nor coloured. */
  incomplete?: Localised | null;
  /** The figure is not defined for the unit in the period (a score of a unit that did not exist then): never late, never coloured. */
  notDefined?: boolean;
}): Assessment {
  const { indicator, value, period, latestDataAt, now } = input;
  const target = input.target ?? null;
  const yearPlan = input.yearPlan ?? null;
  const direction = indicator.direction;
  if (value === null && input.notCollectedYet) {
    const { staleness: late, ...status } = notCollectedYet(input.notCollectedYet);
    return { ...status, stale: false, staleness: late, percentOfPlan: null };
  }
  if (value === null && input.notDefined) {
    return { status: 'unrated', reason: 'not_defined_for_unit', text: NOT_DEFINED, stale: false, staleness: { stale: false, reason: 'not_defined_for_unit', dueDate: null, staleSince: null, text: NOT_DEFINED }, percentOfPlan: null };
  }
  let status: Status;
  const incomplete = value !== null && input.incomplete ? input.incomplete : null;
  if (value === null) status = NO_DATA;
  else if (incomplete) status = { status: 'unrated', reason: 'incomplete', text: incomplete };
  else if (target !== null && direction !== 'band') status = statusFromTarget(value, target, direction, input.targetBands);
  else if (yearPlan !== null && yearPlan.toDate !== null && direction !== 'band') status = statusFromPlanPace(yearPlan.toDate, yearPlan.target, yearPlan.expected, direction, input.targetBands);
  else if (indicator.thresholds !== null) status = statusFromThresholds(value, direction, indicator.thresholds);
  else status = NO_CRITERIA;
  const late = value === null && input.reportedHere === false ? NOT_REPORTED_HERE : staleness({ delivery: indicator.delivery, period, latestDataAt, now });
  return { ...status, stale: late.stale, staleness: late, percentOfPlan: incomplete ? null : percentOfPlan(value, target) };
}
