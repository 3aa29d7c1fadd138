import type { Kysely, Selectable, Transaction } from 'kysely';
import type { BulkColumn, Store } from '../dialect';
import type { Database, DatastreamTable, PlaceTable, StationTable } from '../schema';
import { inScope, type ResolvedScope } from '../scope';

type Db = Kysely<Database> | Transaction<Database>;
export type StationRow = Selectable<StationTable>;
export type DatastreamRow = Selectable<DatastreamTable>;

export interface StationInsert {
  code: string;
  name: string;
  lon: number;
  lat: number;
  placeId: number | null;
  placeCode: string | null;
  provinceCode: string | null;
  sourceCode: string | null;
  enabled: boolean;
  at: string;
  datastreams: readonly {
    code: string;
    indicator: string;
    unit: string;
    scale: number | null;
    validRange?: { min: number | null; max: number | null } | null;
    minShare?: number | null;
    incompleteDays?: string;
  }[];
}

/** A datastream with what a reading needs to be stored and rolled up. */
export interface StreamTarget {
  id: number;
  stationCode: string;
  code: string;
  indicatorCode: string;
  scale: number | null;
  placeCode: string | null;
  enabled: boolean;
  /** The datastream's own valid range, in its unit (both null: the indicator's). */
  validMin: number | null;
  validMax: number | null;
}

/** A stored reading of a place's datastream of an indicator, in the indicator unit, with what its datastream asks of a day. */
export interface PlaceReading {
  datastreamId: number;
  at: string;
  value: number;
  minShare: number | null;
  incompleteDays: string;
}

/** A reading to store: datastream id, instant (ISO, UTC), value. */
export type ReadingTuple = readonly [number, string, number];

const READING_COLUMNS: readonly BulkColumn[] = [
  { name: 'datastream_id', pgType: 'integer' },
  { name: 'at', pgType: 'timestamptz' },
  { name: 'value', pgType: 'double precision' },
];

/** Where a station is judged for access: the place version it was located to (a grant's organisation reaches the stations under its place). */
export function stationInScope(scope: ResolvedScope, alias = 'station') {
  return inScope(scope, { placeId: `${alias}.place_id`, placeOfOrg: true });
}

/** All SQL about sensor stations, their datastreams and readings. */
export class StationsRepository {
  constructor(
    private readonly db: Db,
    private readonly store?: Store,
  ) {}

  /** Registers a station and its datastreams; false when the code is taken (nothing is changed then). */
  async insert(s: StationInsert): Promise<boolean> {
    const row = await this.db
      .insertInto('station')
      .values({
        code: s.code,
        name: s.name,
        lon: s.lon,
        lat: s.lat,
        place_id: s.placeId,
        place_code: s.placeCode,
        province_code: s.provinceCode,
        source_code: s.sourceCode,
        enabled: s.enabled ? 1 : 0,
        created_at: s.at,
        updated_at: s.at,
      })
      .onConflict((oc) => oc.column('code').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) return false;
    if (s.datastreams.length > 0) {
      await this.db
        .insertInto('datastream')
        .values(
          s.datastreams.map((d) => ({
            station_id: row.id,
            code: d.code,
            indicator_code: d.indicator,
            unit: d.unit,
            scale: d.scale,
            valid_min: d.validRange?.min ?? null,
            valid_max: d.validRange?.max ?? null,
            min_share: d.minShare ?? null,
            incomplete_days: d.incompleteDays ?? 'omit',
          })),
        )
        .execute();
    }
    return true;
  }

  /** A station, if the scope reaches it (outside it, as unknown). */
  async get(code: string, scope: ResolvedScope): Promise<StationRow | undefined> {
    return this.db.selectFrom('station').selectAll().where('code', '=', code).where(stationInScope(scope)).executeTakeFirst();
  }

  /** The place version a station was located in. */
  async place(id: number): Promise<Selectable<PlaceTable> | undefined> {
    return this.db.selectFrom('place').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The stations in the scope, by code. */
  async list(scope: ResolvedScope): Promise<StationRow[]> {
    return this.db.selectFrom('station').selectAll().where(stationInScope(scope)).orderBy('code').execute();
  }

  /** The datastreams of the given stations, by station id. */
  async datastreams(stationIds: readonly number[]): Promise<Map<number, DatastreamRow[]>> {
    const out = new Map<number, DatastreamRow[]>();
    if (stationIds.length === 0) return out;
    const rows = await this.db.selectFrom('datastream').selectAll().where('station_id', 'in', [...stationIds]).orderBy('station_id').orderBy('code').execute();
    for (const r of rows) out.set(r.station_id, [...(out.get(r.station_id) ?? []), r]);
    return out;
  }

  /** The source each of the given stations reports through (null: any); codes not registered are absent. */
  async sourcesOf(codes: readonly string[]): Promise<Map<string, string | null>> {
    if (codes.length === 0) return new Map();
    const rows = await this.db.selectFrom('station').select(['code', 'source_code']).where('code', 'in', [...codes]).execute();
    return new Map(rows.map((r) => [r.code, r.source_code]));
  }

  /** Every datastream of the given stations (by station code), with its station's place. */
  async targets(stationCodes: readonly string[]): Promise<StreamTarget[]> {
    if (stationCodes.length === 0) return [];
    const rows = await this.db
      .selectFrom('datastream as d')
      .innerJoin('station as s', 's.id', 'd.station_id')
      .select(['d.id', 's.code as station_code', 'd.code', 'd.indicator_code', 'd.scale', 's.place_code', 's.enabled', 'd.valid_min', 'd.valid_max'])
      .where('s.code', 'in', [...stationCodes])
      .execute();
    return rows.map((r) => ({
      id: r.id,
      stationCode: r.station_code,
      code: r.code,
      indicatorCode: r.indicator_code,
      scale: r.scale,
      placeCode: r.place_code,
      enabled: r.enabled === 1,
      validMin: r.valid_min,
      validMax: r.valid_max,
    }));
  }

  /**
   * The values stored for the given (datastream, instant) keys, keyed
   * `datastream id NUL instant` (ISO, UTC): one query over each datastream's
   * span of the keys.
   */
  async storedValues(keys: readonly (readonly [number, string])[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const spans = new Map<number, { from: string; to: string; ats: Set<string> }>();
    for (const [id, at] of keys) {
      const s = spans.get(id);
      if (!s) spans.set(id, { from: at, to: at, ats: new Set([at]) });
      else {
        if (at < s.from) s.from = at;
        if (at > s.to) s.to = at;
        s.ats.add(at);
      }
    }
    // A few hundred datastreams per query: SQLite refuses an expression deeper than 1,000 terms (a batch of 1,000 streams' readings).
    const list = [...spans];
    for (let i = 0; i < list.length; i += 200) {
      const rows = await this.db
        .selectFrom('reading')
        .select(['datastream_id', 'at', 'value'])
        .where((eb) => eb.or(list.slice(i, i + 200).map(([id, s]) => eb.and([eb('datastream_id', '=', id), eb('at', '>=', s.from), eb('at', '<=', s.to)]))))
        .execute();
      for (const r of rows) {
        const at = new Date(r.at).toISOString();
        if (spans.get(r.datastream_id)?.ats.has(at)) out.set(`${r.datastream_id}\u0000${at}`, r.value);
      }
    }
    return out;
  }

  /**
   * Stores readings, skipping those already stored (same datastream and
   * instant); returns how many were new. One bulk statement per engine's
   * fast path: a prepared statement per row on SQLite, unnest on PostgreSQL.
   */
  async insertReadings(rows: readonly ReadingTuple[]): Promise<number> {
    if (!this.store) throw new Error('StationsRepository needs the store for bulk writes');
    let created = 0;
    for (let i = 0; i < rows.length; i += 10_000) {
      const out = await this.store.bulk.insert(this.db, 'reading', READING_COLUMNS, rows.slice(i, i + 10_000), 'on conflict (datastream_id, at) do nothing returning datastream_id');
      // SQLite answers one entry per row (undefined when skipped); PostgreSQL only the inserted rows.
      for (const r of out) if (r) created++;
    }
    return created;
  }

  /**
   * Every reading in [from, to) of the datastreams of `indicator` at the
   * stations of `placeCode`, in the indicator unit (value × scale), with
   * their datastream: what a place's daily figure is computed from.
   */
  async readingsOfPlace(indicator: string, placeCode: string, from: string, to: string): Promise<PlaceReading[]> {
    const rows = await this.db
      .selectFrom('reading as r')
      .innerJoin('datastream as d', 'd.id', 'r.datastream_id')
      .innerJoin('station as s', 's.id', 'd.station_id')
      .select(['r.datastream_id', 'r.at', 'r.value', 'd.scale', 'd.min_share', 'd.incomplete_days'])
      .where('d.indicator_code', '=', indicator)
      .where('s.place_code', '=', placeCode)
      .where('r.at', '>=', from)
      .where('r.at', '<', to)
      .execute();
    return rows.map((r) => ({ datastreamId: r.datastream_id, at: r.at, value: r.scale === null ? r.value : r.value * r.scale, minShare: r.min_share, incompleteDays: r.incomplete_days }));
  }

  /** A station's readings in [from, to), newest first. */
  async readings(stationId: number, options: { from?: string | undefined; to?: string | undefined; datastream?: string | undefined; limit: number }): Promise<{ datastream: string; at: string; value: number }[]> {
    let q = this.db
      .selectFrom('reading as r')
      .innerJoin('datastream as d', 'd.id', 'r.datastream_id')
      .select(['d.code as datastream', 'r.at', 'r.value'])
      .where('d.station_id', '=', stationId);
    if (options.from !== undefined) q = q.where('r.at', '>=', options.from);
    if (options.to !== undefined) q = q.where('r.at', '<', options.to);
    if (options.datastream !== undefined) q = q.where('d.code', '=', options.datastream);
    return q.orderBy('r.at', 'desc').orderBy('d.code').limit(options.limit).execute();
  }

  async countReadings(stationId: number): Promise<number> {
    const r = await this.db
      .selectFrom('reading as r')
      .innerJoin('datastream as d', 'd.id', 'r.datastream_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('d.station_id', '=', stationId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
