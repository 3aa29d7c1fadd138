import {
  FigureCalculator,
  LEVEL_RANK,
  PLACE_LEVELS,
  dependencyClosure,
  mergeStats,
  parsePeriod,
  periodEnd,
  periodStart,
  regroupRule,
  validAtEnd,
  type IndicatorDefinition,
  type LevelledStats,
  type PlaceLevel,
  type UnitOfTime,
} from '@watchfloor/core';
import { ObservationsRepository, PlacesRepository, readValidFrom, readValidTo, type PlaceRow, type RollupRow } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { storedKeys } from './coverage';

/**
 * Rollup rows indexed by place, indicator and stored period, read through
 * one function that composes any period from the stored ones inside it,
 * level by level.
 */
export function rollupIndex(rows: readonly RollupRow[]) {
  const m = new Map<string, RollupRow[]>();
  for (const r of rows) {
    const k = `${r.placeId}\u0000${r.indicatorCode}\u0000${r.periodKey}`;
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return (placeId: number) =>
    (code: string, key: string): LevelledStats[] => {
      const byLevel = new Map<PlaceLevel, LevelledStats>();
      for (const stored of storedKeys(key)) {
        for (const r of m.get(`${placeId}\u0000${code}\u0000${stored}`) ?? []) {
          const prev = byLevel.get(r.level);
          byLevel.set(r.level, prev ? { ...mergeStats(prev, r), level: r.level } : r);
        }
      }
      return [...byLevel.values()];
    };
}

/** Whether an indicator's figure may have to be made unit by unit: a weighted mean, or a score that does not regroup across a merger. */
function unitByUnit(def: IndicatorDefinition): boolean {
  return regroupRule(def).by !== 'sum' || def.aggregation.places === 'weighted_mean';
}

/**
 * The units of the time under some places, for the figures that do not add
 * up (see FigureContext.units): read once per answer, and only when one of
 * the indicators asked for is a weighted mean or a score that does not
 * regroup. A place that did not exist through all these stored periods
 * needs the units of its own level it was formed from; a weighted mean over
 * places needs the units of the levels below where it is collected. Each
 * unit's figures come from its own rollup rows, as if it were viewed.
 */
export async function unitsOfTime(
  ctx: AppContext,
  catalogue: ReadonlyMap<string, IndicatorDefinition>,
  places: readonly PlaceRow[],
  keys: readonly string[],
  codes?: readonly string[],
): Promise<(place: PlaceRow) => ((level: PlaceLevel, day: string) => UnitOfTime[]) | undefined> {
  const wanted = [...catalogue.values()].filter((d) => (codes === undefined || codes.includes(d.code)) && unitByUnit(d));
  if (wanted.length === 0 || keys.length === 0 || places.length === 0) return () => undefined;
  const from = keys.map((k) => periodStart(parsePeriod(k))).reduce((a, b) => (a < b ? a : b));
  const to = keys.map((k) => periodEnd(parsePeriod(k))).reduce((a, b) => (a > b ? a : b));
  const levels = new Set<PlaceLevel>();
  for (const place of places) {
    const level = place.level as PlaceLevel;
    if (place.valid_from > from) levels.add(level);
    for (const d of wanted) {
      if (d.aggregation.places !== 'weighted_mean') continue;
      for (const l of d.collectedAt ?? PLACE_LEVELS) if (LEVEL_RANK[l] > LEVEL_RANK[level]) levels.add(l);
    }
  }
  if (levels.size === 0) return () => undefined;
  const units = await new PlacesRepository(ctx.store.db).unitRowsUnder(
    places.map((p) => p.id),
    [...levels],
    from,
    to,
  );
  if (units.length === 0) return () => undefined;
  const needed = [...new Set(wanted.flatMap((d) => dependencyClosure(catalogue, d.code)))];
  // A unit's weight is that of the same period, else of its year, else of the year before (a population counted yearly).
  const years = [...new Set(keys.flatMap((k) => [k.slice(0, 4), String(Number(k.slice(0, 4)) - 1)]))];
  const rows = rollupIndex(await new ObservationsRepository(ctx.store.db).rollup([...new Set(units.map((u) => u.id))], [...new Set([...keys, ...years])], needed));
  const calcs = new Map<number, FigureCalculator>();
  const calcOf = (u: PlaceRow) => {
    let c = calcs.get(u.id);
    if (!c) {
      c = new FigureCalculator({ catalogue, rows: rows(u.id), placeLevel: u.level as PlaceLevel });
      calcs.set(u.id, c);
    }
    return c;
  };
  const byPlace = new Map<number, (PlaceRow & { share: number })[]>();
  for (const u of units) {
    const list = byPlace.get(u.ancestor_id);
    if (list) list.push(u);
    else byPlace.set(u.ancestor_id, [u]);
  }
  return (place) => {
    const list = byPlace.get(place.id);
    if (!list) return undefined;
    return (level, day) =>
      list
        .filter((u) => u.level === level && validAtEnd({ validFrom: u.valid_from, validTo: u.valid_to }, day))
        .map((u) => ({
          id: u.id,
          code: u.code,
          name: u.name,
          level: u.level as PlaceLevel,
          share: u.share,
          validFrom: readValidFrom(u.valid_from),
          validTo: readValidTo(u.valid_to),
          figure: (code: string, key: string) => calcOf(u).figure(code, key),
        }));
  };
}
