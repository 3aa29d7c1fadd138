import { z } from 'zod';
import { placeLevelSchema, type PlaceLevel } from '../places';
import type { Frequency } from './periods';
import type { Localised } from './shared';

/**
 * How complete a figure is. A figure built from the units below a place
 * (a province's sum of its communes) says how many units sent a value and
 * how many should have: the units of the level it was built from that were
 * valid in the period. A period made of several stored periods (a quarter of
 * months, a year to date) is as complete as its least complete one. A figure
 * the place reported itself (a province total sent at province level) is
 * complete in itself, and says so (`direct`).
 *
 * The catalogue says how much coverage an indicator needs to count as
 * complete (`coverageRequired`, percent; 100 unless it says: sums and counts
 * need every unit, a mean or a rate may accept less). Below it the figure is
 * incomplete: shown with its coverage ("3/124 xã"), never compared with plan
 * or last year, never coloured by status, never ranked.
 */
export const coverageSchema = z.object({
  level: placeLevelSchema.describe('The level of the units the figure was built from'),
  reported: z.number().int().min(0).describe('Units that sent a value (for a composed period: in its least complete stored period)'),
  expected: z.number().int().min(0).describe('Units that should have: where the indicator is collected, valid in the period'),
  weightShare: z.number().nullable().describe("Where the indicator is weighted by another (weightCode): the reporting units' share of the weight, 0..1; else null"),
  direct: z.boolean().describe('The place reported the figure itself, at its own level: complete in itself'),
  required: z.number().describe('Percent of the expected units the indicator needs for a complete figure (the catalogue’s coverageRequired, 100 unless it says)'),
});
export type Coverage = z.infer<typeof coverageSchema>;

/** The counts of one stored period (a month, quarter or year) at one level. */
export interface CoverageCount {
  reported: number;
  expected: number;
}

/** The coverage a figure needs to be complete, in percent: the catalogue's setting, else 100. */
export function requiredCoverage(def: { coverageRequired: number | null }): number {
  return def.coverageRequired ?? 100;
}

const ratio = (c: CoverageCount): number => (c.expected === 0 ? (c.reported > 0 ? 1 : 0) : c.reported / c.expected);

/** The least complete of several counts (a composed period's stored periods, a computed figure's parts); null when there are none. */
export function weakest<T extends CoverageCount>(counts: readonly T[]): T | null {
  let worst: T | null = null;
  for (const c of counts) if (worst === null || ratio(c) < ratio(worst)) worst = c;
  return worst;
}

/** Whether a figure with this coverage counts as complete: reported by the place itself, or at least the required share of its units. */
export function isComplete(coverage: Coverage | null, hasValue: boolean): boolean {
  if (!hasValue) return false;
  if (coverage === null || coverage.direct) return true;
  // A small tolerance, so 118/124 against 95 % is not lost to rounding.
  return ratio(coverage) * 100 >= coverage.required - 1e-9;
}

/**
 * Which stored periods a figure's coverage is counted over: those holding
 * the indicator's own reports (a monthly figure's months, a quarterly one's
 * quarters; a daily or streamed one's months), from its series' start on.
 */
export function coverageKeys(stored: readonly { key: string; kind: string; end: string }[], frequency: Frequency, since: string | null): string[] {
  const kind = frequency === 'day' || frequency === 'instant' ? 'month' : frequency;
  return stored.filter((s) => s.kind === kind && (since === null || s.end >= since)).map((s) => s.key);
}

/** Whether a unit valid over these dates counts in a stored period: it was valid on its last day (so a period crossing a merger counts the units that came out of it). */
export function validAtEnd(unit: { validFrom: string; validTo: string }, end: string): boolean {
  return unit.validFrom <= end && unit.validTo >= end;
}

/**
 * The reporting units' share of a weight (population, area, GRDP: the
 * indicator's weightCode), 0..1, over the expected units whose weight is
 * known; null when none is.
 */
export function weightShare(expected: readonly number[], reported: ReadonlySet<number>, weightOf: (unit: number) => number | null): number | null {
  let all = 0;
  let heard = 0;
  let known = false;
  for (const u of expected) {
    const w = weightOf(u);
    if (w === null) continue;
    known = true;
    all += w;
    if (reported.has(u)) heard += w;
  }
  return known && all > 0 ? heard / all : null;
}

const LEVEL_UNITS: Readonly<Record<PlaceLevel, Localised>> = {
  country: { vi: 'quốc gia', en: 'countries' },
  province: { vi: 'tỉnh', en: 'provinces' },
  district: { vi: 'huyện', en: 'districts' },
  commune: { vi: 'xã', en: 'communes' },
};

/** How a figure's coverage is said, short: "3/124 xã" / "3 of 124 communes", or that the place reported it itself. */
export function coverageText(c: Coverage): Localised {
  if (c.direct) return { vi: 'Đơn vị tự báo cáo: số liệu đầy đủ', en: 'Reported by the unit itself: complete' };
  const unit = LEVEL_UNITS[c.level];
  return { vi: `${c.reported}/${c.expected} ${unit.vi}`, en: `${c.reported} of ${c.expected} ${unit.en}` };
}

/** The status text of an incomplete figure: its coverage and what it would need. */
export function incompleteText(c: Coverage): Localised {
  const said = coverageText(c);
  return {
    vi: `Chưa đầy đủ: ${said.vi} báo cáo (cần ${c.required} %); không so sánh, không đánh giá`,
    en: `Incomplete: ${said.en} reported (${c.required} % needed); not compared or rated`,
  };
}
