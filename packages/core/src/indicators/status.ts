import { addDays } from '../dates';
import type { BandThresholds, Delivery, Direction, IndicatorDefinition, LevelThresholds, Thresholds } from './indicator';
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

export const STALENESS_REASONS = ['no_delivery_expected', 'not_reported_here', 'not_yet_due', 'delivered', 'delivered_late', 'overdue', 'stream_fresh', 'stream_silent'] as const;
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

export interface Assessment extends Status {
  stale: boolean;
  staleness: Staleness;
  percentOfPlan: number | null;
}

/**
 * The full judgement of one figure for one period, as the overview shows it.
 * No value → grey, whatever else is known. Otherwise a plan, when given and
 * the direction is not a band, decides; then thresholds; else `unrated`.
 * Staleness is judged independently and can accompany any colour.
 */
export function assessFigure(input: {
  indicator: Pick<IndicatorDefinition, 'direction' | 'thresholds' | 'delivery'>;
  value: number | null;
  target?: number | null;
  period: Period;
  latestDataAt: Date | null;
  now: Date;
  targetBands?: TargetBands;
  /** False when the place had no report of the indicator up to the period: a missing value is then not late. Default true. */
  reportedHere?: boolean;
}): Assessment {
  const { indicator, value, period, latestDataAt, now } = input;
  const target = input.target ?? null;
  const direction = indicator.direction;
  let status: Status;
  if (value === null) status = NO_DATA;
  else if (target !== null && direction !== 'band') status = statusFromTarget(value, target, direction, input.targetBands);
  else if (indicator.thresholds !== null) status = statusFromThresholds(value, direction, indicator.thresholds);
  else status = NO_CRITERIA;
  const late = value === null && input.reportedHere === false ? NOT_REPORTED_HERE : staleness({ delivery: indicator.delivery, period, latestDataAt, now });
  return { ...status, stale: late.stale, staleness: late, percentOfPlan: percentOfPlan(value, target) };
}
