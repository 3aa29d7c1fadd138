import { historyRange, lastWholeMonth, latestOfKind, parsePeriod, periodContaining, periodEnd, periodKey, previousPeriod, type IsoDate, type Period } from '@watchfloor/core';

/**
 * What the period picker offers and how periods follow the date viewed.
 * Leaders read a month, a quarter, the year to date (lũy kế) or a year;
 * "latest" is always bounded by the last whole month before the date viewed,
 * since a month still running has no report yet.
 */
export const PICKER_KINDS = ['month', 'quarter', 'ytd', 'year'] as const;
export type PickerKind = (typeof PICKER_KINDS)[number];

export function isPickerKind(kind: string): kind is PickerKind {
  return PICKER_KINDS.some((k) => k === kind);
}

/** The last whole month before a date, and the latest period of a kind ended by a month: core's, shared with the server's dashboard exports. */
export { lastWholeMonth, latestOfKind } from '@watchfloor/core';

/** Parses a key, or null when it is not a period key. */
export function tryParsePeriod(key: string | undefined): Period | null {
  if (!key) return null;
  try {
    return parsePeriod(key);
  } catch {
    return null;
  }
}

/**
 * The period of another kind for the same moment: the one that contains the
 * current period's last month, stepped back until it has ended by `latestMonth`.
 * Month 2026-10 → quarter 2026-Q3, year 2025, year to date 2026-YTD-10.
 */
export function convertPeriod(current: Period, kind: PickerKind, latestMonth: Period): Period {
  const currentEnd = periodEnd(current);
  const bound = periodEnd(latestMonth);
  const anchorEnd = currentEnd < bound ? currentEnd : bound;
  return latestOfKind(kind, periodContaining('month', anchorEnd));
}

/** The choices of one kind, newest first, from the latest ended one back `count` periods. */
export function periodOptions(kind: PickerKind, latestMonth: Period, count: number): Period[] {
  const out = [latestOfKind(kind, latestMonth)];
  while (out.length < count) out.push(previousPeriod(out[out.length - 1] ?? latestMonth));
  return out;
}

/** How many choices each kind offers: five years back, and the PCI's years for years. */
export const OPTION_COUNTS: Record<PickerKind, number> = { month: 72, quarter: 24, ytd: 72, year: 22 };

/**
 * The period to ask for: the one in the URL, else, when viewing a past date,
 * the last whole month before it (the server's default is the last whole
 * month before today), else none (let the server choose).
 */
export function effectivePeriod(period: string | undefined, at: IsoDate | undefined, today: IsoDate): string | undefined {
  if (period) return period;
  if (at && at < today) return periodKey(lastWholeMonth(at));
  return undefined;
}

/**
 * The period to show after the date viewed moves from `fromAt` to `toAt`:
 * the latest period follows the date (it stays "the latest"); an earlier
 * choice is kept unless it ends after the new date's last whole month.
 * Undefined means the server's default.
 */
export function periodAfterTimeTravel(period: string | undefined, fromAt: IsoDate, toAt: IsoDate, today: IsoDate): string | undefined {
  const current = tryParsePeriod(period);
  if (!current) return toAt >= today ? undefined : periodKey(lastWholeMonth(toAt));
  const kind: PickerKind = isPickerKind(current.kind) ? current.kind : 'month';
  const wasLatest = periodKey(latestOfKind(kind, lastWholeMonth(fromAt))) === periodKey(current);
  const toLatest = lastWholeMonth(toAt);
  if (wasLatest) return toAt >= today && kind === 'month' ? undefined : periodKey(latestOfKind(kind, toLatest));
  return periodKey(convertPeriod(current, kind, toLatest));
}

/**
 * The run of periods the indicator's history chart asks for: the last 24
 * months, 12 quarters or 10 years up to the period viewed; for the year to
 * date, each month's cumulation of that year (YTD-01 … YTD-mm). Core's, so
 * a dashboard's chart panel exports the periods it draws.
 */
export const seriesRange = historyRange;
