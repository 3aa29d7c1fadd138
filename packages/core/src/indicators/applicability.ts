import type { PlaceLevel } from '../places';
import { parseFormula, referencedCodes } from './formula';
import { usedCodes, type IndicatorDefinition } from './indicator';
import { parsePeriod, periodEnd, periodStart, type Period } from './periods';
import type { Localised } from './shared';

/**
 * Where an indicator is collected, and since when (the catalogue's
 * `collectedAt` and `since`). A figure applies at the levels it is collected
 * at and at every level above them, where it adds up; below them it does not
 * exist, so a commune page does not list a province-only figure. Before its
 * series starts a figure is "not collected yet", never missing or late.
 * A derived or composite indicator that does not say inherits from its parts.
 */

/** Coarse to fine: a figure collected at one level applies at it and at every level with a smaller depth. */
const DEPTH: Readonly<Record<PlaceLevel, number>> = { country: 0, province: 1, district: 2, commune: 3 };

const LEVEL_NAMES: Readonly<Record<PlaceLevel, Localised>> = {
  country: { vi: 'toàn quốc', en: 'national' },
  province: { vi: 'tỉnh', en: 'province' },
  district: { vi: 'huyện', en: 'district' },
  commune: { vi: 'xã', en: 'commune' },
};

type Catalogue = ReadonlyMap<string, IndicatorDefinition>;

/** The indicators a definition is computed from, one step down (formula, rate parts, weights, components). */
function partsOf(def: IndicatorDefinition): string[] {
  const refs = def.kind === 'derived' ? referencedCodes(parseFormula(def.formula)) : [];
  return [...new Set([...usedCodes(def), ...refs])];
}

/**
 * The levels an indicator is collected at, as the catalogue says or as its
 * parts do (the finest level every part reaches); null when nothing says.
 */
export function collectedLevels(catalogue: Catalogue, code: string, seen: ReadonlySet<string> = new Set()): PlaceLevel[] | null {
  const def = catalogue.get(code);
  if (!def || seen.has(code)) return null;
  if (def.collectedAt !== null) return def.collectedAt;
  const next = new Set(seen).add(code);
  let finest: number | null = null;
  for (const part of partsOf(def)) {
    const levels = collectedLevels(catalogue, part, next);
    if (levels === null) continue;
    const depth = Math.max(...levels.map((l) => DEPTH[l]));
    finest = finest === null ? depth : Math.min(finest, depth);
  }
  if (finest === null) return null;
  return (Object.keys(DEPTH) as PlaceLevel[]).filter((l) => DEPTH[l] === finest);
}

/** Whether a figure collected at these levels exists at a place of this level: at them, or above them. */
export function appliesAtLevel(levels: readonly PlaceLevel[] | null, level: PlaceLevel): boolean {
  return levels === null || levels.some((l) => DEPTH[l] >= DEPTH[level]);
}

/** The first day of an indicator's series, as the catalogue says or as its latest-starting part does; null when nothing says. */
export function seriesStart(catalogue: Catalogue, code: string, seen: ReadonlySet<string> = new Set()): string | null {
  const def = catalogue.get(code);
  if (!def || seen.has(code)) return null;
  if (def.since !== null) return periodStart(parsePeriod(def.since));
  const next = new Set(seen).add(code);
  let latest: string | null = null;
  for (const part of partsOf(def)) {
    const start = seriesStart(catalogue, part, next);
    if (start !== null && (latest === null || start > latest)) latest = start;
  }
  return latest;
}

export type Applicability =
  | { kind: 'applies' }
  /** The place's level is finer than every level the figure is collected at. */
  | { kind: 'not_collected_at_level'; levels: PlaceLevel[]; text: Localised }
  /** The whole period ends before the series starts. */
  | { kind: 'not_collected_yet'; since: string; text: Localised };

const levelList = (levels: readonly PlaceLevel[], lang: 'vi' | 'en'): string => levels.map((l) => LEVEL_NAMES[l][lang]).join(', ');

/** The start of a series as people say it: "tháng 7/2021" / "in July 2021", or the day when it is not a month's first. */
function startText(since: string): Localised {
  const [y, m, d] = since.split('-');
  if (d !== '01') return { vi: `ngày ${d}/${m}/${y}`, en: `on ${since}` };
  return { vi: `tháng ${Number(m)}/${y}`, en: `in ${new Date(`${since}T00:00:00Z`).toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })}` };
}

/** Whether an indicator has a figure for a place of this level and this period, and if not, why (in both languages). */
export function applicability(catalogue: Catalogue, code: string, where: { level: PlaceLevel; period: Period }): Applicability {
  const levels = collectedLevels(catalogue, code);
  if (!appliesAtLevel(levels, where.level)) {
    const at = levels ?? [];
    return {
      kind: 'not_collected_at_level',
      levels: at,
      text: {
        vi: `Chỉ thu thập ở cấp ${levelList(at, 'vi')}, không áp dụng cho cấp ${LEVEL_NAMES[where.level].vi}`,
        en: `Collected at ${levelList(at, 'en')} level only: does not apply at ${LEVEL_NAMES[where.level].en} level`,
      },
    };
  }
  const since = seriesStart(catalogue, code);
  if (since !== null && periodEnd(where.period) < since) {
    const start = startText(since);
    return { kind: 'not_collected_yet', since, text: { vi: `Chưa thu thập: chuỗi số liệu bắt đầu từ ${start.vi}`, en: `Not collected yet: the series starts ${start.en}` } };
  }
  return { kind: 'applies' };
}
