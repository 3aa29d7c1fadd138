import {
  coverageKeys,
  parsePeriod,
  periodEnd,
  periodKey,
  periodStart,
  seriesStart,
  storedPeriodsWithin,
  validAtEnd,
  weakest,
  weightShare,
  type Coverage,
  type IndicatorDefinition,
  type PlaceLevel,
} from '@watchfloor/core';
import { ObservationsRepository, PlacesRepository, type PlaceRow, type RollupRow } from '@watchfloor/db';
import type { AppContext } from '../../context';

/** The stored periods (months, quarters, years) a period is composed from. */
export function storedKeys(key: string): string[] {
  const p = parsePeriod(key);
  return p.kind === 'day' ? [key] : storedPeriodsWithin(p).map(periodKey);
}

/**
 * Who should have reported under some places, and who did, for some stored
 * periods: read once per answer (two grouped queries), then asked per
 * figure. A figure read at a level is covered by the units of that level
 * under the place that sent a value, of those valid at the end of each
 * stored period it is composed of, in its least covered one (coverage.ts).
 * A figure of a period whose stored periods were not read has no coverage
 * (null): read only those of the figures that are compared.
 */
export async function coverageOf(
  ctx: AppContext,
  catalogue: ReadonlyMap<string, IndicatorDefinition>,
  places: readonly PlaceRow[],
  keys: readonly string[],
  rollup: readonly RollupRow[],
  codes?: readonly string[],
) {
  const ids = places.map((p) => p.id);
  const loaded = new Set(keys);
  const ends = keys.map((k) => periodEnd(parsePeriod(k)));
  const starts = keys.map((k) => periodStart(parsePeriod(k)));
  const reported = new Map<string, number>();
  // A monthly, quarterly or yearly indicator has one fact per unit in its stored period, so the place's own rollup row
  // at a level counts the units of that level that reported (its weight: the units, by the share of each that belongs here).
  const onePerUnit = (code: string) => {
    const f = catalogue.get(code)?.frequency;
    return f === 'month' || f === 'quarter' || f === 'year';
  };
  for (const r of rollup) if (loaded.has(r.periodKey) && onePerUnit(r.indicatorCode)) reported.set(`${r.placeId}\u0000${r.indicatorCode}\u0000${r.periodKey}\u0000${r.level}`, Math.round(r.weight));
  // A daily or streamed one has many: its units are counted from their own rows (only units valid in the period count,
  // since a successor's row holds its predecessors' facts too).
  const many = [...catalogue.values()].filter((d) => !onePerUnit(d.code) && (codes === undefined || codes.includes(d.code))).map((d) => d.code);
  if (many.length > 0) {
    // Asked for every indicator, the engines walk the rollup by place (a long list of indicators sends SQLite by indicator).
    for (const r of await new ObservationsRepository(ctx.store.db).reportingUnits(ids, keys, codes)) {
      if (onePerUnit(r.indicatorCode) || !validAtEnd(r, periodEnd(parsePeriod(r.periodKey)))) continue;
      const k = `${r.ancestorId}\u0000${r.indicatorCode}\u0000${r.periodKey}\u0000${r.level}`;
      reported.set(k, (reported.get(k) ?? 0) + r.reported);
    }
  }
  const units = new Map<number, { placeId: number; level: PlaceLevel; validFrom: string; validTo: string }[]>();
  if (keys.length > 0) {
    const from = starts.reduce((a, b) => (a < b ? a : b));
    const to = ends.reduce((a, b) => (a > b ? a : b));
    for (const u of await new PlacesRepository(ctx.store.db).unitsUnder(ids, from, to)) units.set(u.ancestorId, [...(units.get(u.ancestorId) ?? []), u]);
  }
  const expected = new Map<string, number[]>();
  const expectedAt = (placeId: number, level: PlaceLevel, end: string) => {
    const k = `${placeId}\u0000${level}\u0000${end}`;
    let list = expected.get(k);
    if (list === undefined) {
      list = (units.get(placeId) ?? []).filter((u) => u.level === level && validAtEnd(u, end)).map((u) => u.placeId);
      expected.set(k, list);
    }
    return list;
  };
  // A weighted indicator also says the reporting units' share of its weight: each unit's own figure and weight,
  // the weight of the same stored period, else of its year.
  const weighted = [...catalogue.values()].filter((d) => d.weightCode !== null && (codes === undefined || codes.includes(d.code)));
  const own = new Map<string, number>();
  if (weighted.length > 0) {
    const years = [...new Set(keys.map((k) => k.slice(0, 4)))];
    const rows = await new ObservationsRepository(ctx.store.db).unitRows(ids, [...new Set(weighted.flatMap((d) => [d.code, d.weightCode!]))], [...new Set([...keys, ...years])]);
    for (const r of rows) own.set(`${r.placeId}\u0000${r.indicatorCode}\u0000${r.periodKey}`, r.sum);
  }
  const shareOf = (def: IndicatorDefinition, key: string, list: readonly number[]): number | null => {
    if (def.weightCode === null) return null;
    const w = def.weightCode;
    const heard = new Set(list.filter((u) => own.has(`${u}\u0000${def.code}\u0000${key}`)));
    const year = key.slice(0, 4);
    return weightShare(list, heard, (u) => own.get(`${u}\u0000${w}\u0000${key}`) ?? own.get(`${u}\u0000${w}\u0000${year}`) ?? null);
  };
  return (place: PlaceRow) =>
    (code: string, key: string, level: PlaceLevel): Omit<Coverage, 'required'> | null => {
      const def = catalogue.get(code);
      if (!def) return null;
      const within = storedKeys(key);
      if (within.some((k) => !loaded.has(k))) return null;
      const stored = within.map((k) => {
        const sp = parsePeriod(k);
        return { key: k, kind: sp.kind, end: periodEnd(sp) };
      });
      const counted = coverageKeys(stored, def.frequency, seriesStart(catalogue, code)).map((k) => {
        const end = stored.find((x) => x.key === k)!.end;
        const list = expectedAt(place.id, level, end);
        return { key: k, end, list, reported: reported.get(`${place.id}\u0000${code}\u0000${k}\u0000${level}`) ?? 0, expected: list.length };
      });
      // A stored period nobody reported for is a gap in time (not due yet, or missing: freshness says which), not a gap in coverage.
      const heard = counted.filter((c) => c.reported > 0);
      const worst = weakest(heard.length > 0 ? heard : counted);
      if (!worst) return null;
      // The place's own report, while it existed: complete in itself.
      const direct = level === place.level && heard.length > 0 && heard.every((c) => validAtEnd({ validFrom: place.valid_from, validTo: place.valid_to }, c.end));
      if (direct) return { level, reported: 1, expected: 1, weightShare: def.weightCode === null ? null : 1, direct };
      return { level, reported: worst.reported, expected: worst.expected, weightShare: shareOf(def, worst.key, worst.list), direct };
    };
}
