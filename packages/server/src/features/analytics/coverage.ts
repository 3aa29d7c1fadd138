import {
  coverageKeys,
  parsePeriod,
  periodEnd,
  periodStart,
  seriesStart,
  storedWithin,
  validAtEnd,
  weakest,
  weightShare,
  type Coverage,
  type IndicatorDefinition,
  type PlaceLevel,
} from '@watchfloor/core';
import { DatasetsRepository, ObservationsRepository, PlacesRepository, type PlaceRow, type RollupRow, type Store } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { GEOGRAPHY_DATASET } from '../geography/load';

type Unit = { ancestorId: number; placeId: number; level: PlaceLevel; validFrom: string; validTo: string };

/** The units under some places read per store, with the geography they were read under; at most this many answers kept. */
const unitsRead = new WeakMap<Store, { geography: string; answers: Map<string, Unit[]> }>();
const UNITS_KEPT = 256;

/**
 * The units under some places valid at some time between two dates
 * (PlacesRepository.unitsUnder), read again only when the geography
 * changed. Places and their ancestry change only when a geography loads,
 * which records its checksum and load time in the same transaction, so
 * that record tells whether an answer read before still holds, whichever
 * process loaded it. Without one, every call reads.
 */
async function unitsUnder(store: Store, ids: readonly number[], from: string, to: string): Promise<Unit[]> {
  const loaded = await new DatasetsRepository(store.db).get(GEOGRAPHY_DATASET);
  if (!loaded) return new PlacesRepository(store.db).unitsUnder(ids, from, to);
  const geography = `${loaded.checksum}\u0000${loaded.loaded_at}`;
  let kept = unitsRead.get(store);
  if (kept?.geography !== geography || kept.answers.size >= UNITS_KEPT) {
    kept = { geography, answers: new Map() };
    unitsRead.set(store, kept);
  }
  const key = `${ids.join(',')}\u0000${from}\u0000${to}`;
  let units = kept.answers.get(key);
  if (units === undefined) {
    units = await new PlacesRepository(store.db).unitsUnder(ids, from, to);
    kept.answers.set(key, units);
  }
  return units;
}

const storedKeysOf = new Map<string, readonly string[]>();

/** The stored periods (months, quarters, years) a period is composed from; remembered, since every figure asks. */
export function storedKeys(key: string): readonly string[] {
  let keys = storedKeysOf.get(key);
  if (keys === undefined) {
    keys = storedWithin(key).map((s) => s.key);
    if (storedKeysOf.size >= 10_000) storedKeysOf.clear();
    storedKeysOf.set(key, keys);
  }
  return keys;
}

/**
 * Who should have reported under some places, and who did, for some stored
 * periods: read once per answer (the counts kept with the rollup, and the
 * units under the places, read again only when the geography changed),
 * then asked per figure. A figure read at a level is covered by the units
 * of that level under the place that sent a value, of those valid at the
 * end of each stored period it is composed of, in its least covered one
 * (coverage.ts).
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
  // A daily or streamed one has many: the units that reported are counted as the rollup is kept, under every place
  // (units with a row of their own, valid at the period's end, since a successor's row holds its predecessors' facts too).
  const many = [...catalogue.values()].filter((d) => !onePerUnit(d.code) && (codes === undefined || codes.includes(d.code))).map((d) => d.code);
  if (many.length > 0) {
    for (const r of await new ObservationsRepository(ctx.store.db).reportingUnits(ids, keys, many)) reported.set(`${r.placeId}\u0000${r.indicatorCode}\u0000${r.periodKey}\u0000${r.level}`, r.reported);
  }
  const units = new Map<number, Unit[]>();
  if (keys.length > 0) {
    const from = starts.reduce((a, b) => (a < b ? a : b));
    const to = ends.reduce((a, b) => (a > b ? a : b));
    for (const u of await unitsUnder(ctx.store, ids, from, to)) {
      const list = units.get(u.ancestorId);
      if (list) list.push(u);
      else units.set(u.ancestorId, [u]);
    }
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
  // Each period's stored periods with their kind and last day (null: not all read), and each indicator's series start, worked out once.
  const storedIn = new Map<string, { key: string; kind: string; end: string }[] | null>();
  const storedOf = (key: string) => {
    let stored = storedIn.get(key);
    if (stored === undefined) {
      const within = storedWithin(key);
      stored = within.some((s) => !loaded.has(s.key)) ? null : within;
      storedIn.set(key, stored);
    }
    return stored;
  };
  const seriesStarts = new Map<string, string | null>();
  const since = (code: string) => {
    let start = seriesStarts.get(code);
    if (start === undefined) {
      start = seriesStart(catalogue, code);
      seriesStarts.set(code, start);
    }
    return start;
  };
  return (place: PlaceRow) =>
    (code: string, key: string, level: PlaceLevel): Omit<Coverage, 'required'> | null => {
      const def = catalogue.get(code);
      if (!def) return null;
      const stored = storedOf(key);
      if (stored === null) return null;
      const counted = coverageKeys(stored, def.frequency, since(code)).map((k) => {
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
