import { sql, type Kysely, type Transaction } from 'kysely';
import { accumulate, emptyStats, parsePeriod, periodEnd, periodKey, periodStart, storedPeriod, validAtEnd, type PlaceLevel, type RollupStats } from '@watchfloor/core';
import type { Database } from '../schema';
import { monthOf, type BulkColumn, type BulkWriter, type Engine } from '../dialect';
import { inScope, type ResolvedScope } from '../scope';

type Db = Kysely<Database> | Transaction<Database>;

/** One fact ready to store: validated, its place resolved to the version of its time. */
export interface FactInput {
  indicatorCode: string;
  placeId: number;
  placeCode: string;
  periodKey: string;
  periodKind: string;
  periodStart: string;
  periodEnd: string;
  /** '' when not broken down by organisation. */
  orgCode: string;
  value: number;
  status: string;
  note: string | null;
}

export interface FactProvenance {
  source: string;
  runId: number | null;
  enteredBy: string | null;
}

/** What a write did to one fact: created, revised (with its previous state), or nothing. */
export interface FactChange {
  fact: FactInput;
  previous: { value: number; status: string } | null;
}

export interface WriteOutcome {
  created: number;
  revised: number;
  unchanged: number;
  changes: FactChange[];
}

export interface RollupRow extends RollupStats {
  indicatorCode: string;
  placeId: number;
  periodKey: string;
  level: PlaceLevel;
}

const CHUNK = 400;

const NATURAL_KEY: BulkColumn[] = [
  { name: 'indicator_code', pgType: 'text' },
  { name: 'period_key', pgType: 'text' },
  { name: 'place_id', pgType: 'integer' },
  { name: 'org_code', pgType: 'text' },
];

const OBSERVATION_COLUMNS: BulkColumn[] = [
  { name: 'indicator_code', pgType: 'text' },
  { name: 'place_id', pgType: 'integer' },
  { name: 'place_code', pgType: 'text' },
  { name: 'period_key', pgType: 'text' },
  { name: 'period_kind', pgType: 'text' },
  { name: 'period_start', pgType: 'date' },
  { name: 'period_end', pgType: 'date' },
  { name: 'org_code', pgType: 'text' },
  { name: 'value', pgType: 'double precision' },
  { name: 'status', pgType: 'text' },
  { name: 'source', pgType: 'text' },
  { name: 'run_id', pgType: 'integer' },
  { name: 'entered_by', pgType: 'text' },
  { name: 'note', pgType: 'text' },
  { name: 'revision', pgType: 'integer' },
  { name: 'recorded_at', pgType: 'timestamptz' },
];

const ROLLUP_COLUMNS: BulkColumn[] = [
  { name: 'indicator_code', pgType: 'text' },
  { name: 'place_id', pgType: 'integer' },
  { name: 'period_key', pgType: 'text' },
  { name: 'level', pgType: 'text' },
  { name: 'sum', pgType: 'double precision' },
  { name: 'weight', pgType: 'double precision' },
  { name: 'min', pgType: 'double precision' },
  { name: 'max', pgType: 'double precision' },
  { name: 'last_end', pgType: 'date' },
  { name: 'last_sum', pgType: 'double precision' },
  { name: 'last_weight', pgType: 'double precision' },
  { name: 'estimated', pgType: 'integer' },
  { name: 'provisional', pgType: 'integer' },
  { name: 'facts', pgType: 'integer' },
  { name: 'latest_recorded_at', pgType: 'timestamptz' },
];

/** The natural key of a rollup row. */
const ROLLUP_KEY = ['indicator_code', 'place_id', 'period_key', 'level'];

const ROLLUP_UNITS_COLUMNS: BulkColumn[] = [
  { name: 'place_id', pgType: 'integer' },
  { name: 'period_key', pgType: 'text' },
  { name: 'indicator_code', pgType: 'text' },
  { name: 'level', pgType: 'text' },
  { name: 'units', pgType: 'integer' },
];

/** Adds units that reported for the first time to the stored counts. */
const ROLLUP_UNITS_MERGE = 'on conflict (place_id, period_key, indicator_code, level) do update set units = observation_rollup_units.units + excluded.units';

/** Adds a batch's rollup deltas to the stored statistics (they compose). */
const ROLLUP_MERGE = `on conflict (indicator_code, place_id, period_key, level) do update set
  sum = observation_rollup.sum + excluded.sum,
  weight = observation_rollup.weight + excluded.weight,
  min = case when excluded.min < observation_rollup.min then excluded.min else observation_rollup.min end,
  max = case when excluded.max > observation_rollup.max then excluded.max else observation_rollup.max end,
  last_sum = case when excluded.last_end > observation_rollup.last_end then excluded.last_sum
                  when excluded.last_end = observation_rollup.last_end then observation_rollup.last_sum + excluded.last_sum
                  else observation_rollup.last_sum end,
  last_weight = case when excluded.last_end > observation_rollup.last_end then excluded.last_weight
                     when excluded.last_end = observation_rollup.last_end then observation_rollup.last_weight + excluded.last_weight
                     else observation_rollup.last_weight end,
  last_end = case when excluded.last_end > observation_rollup.last_end then excluded.last_end else observation_rollup.last_end end,
  estimated = observation_rollup.estimated + excluded.estimated,
  provisional = observation_rollup.provisional + excluded.provisional,
  facts = observation_rollup.facts + excluded.facts,
  latest_recorded_at = case when excluded.latest_recorded_at > observation_rollup.latest_recorded_at then excluded.latest_recorded_at else observation_rollup.latest_recorded_at end`;
const keyOf = (f: { indicatorCode: string; placeId: number; periodKey: string; orgCode: string }) => `${f.indicatorCode}\u0000${f.placeId}\u0000${f.periodKey}\u0000${f.orgCode}`;

/** The period a fact's statistics are kept under (a day's month), cached: a batch has few distinct keys. */
const storedKeyCache = new Map<string, string>();
function storedKey(key: string, kind: string): string {
  const source = kind === 'instant' ? key.slice(0, 7) : key;
  let k = storedKeyCache.get(source);
  if (k === undefined) {
    k = periodKey(storedPeriod(parsePeriod(source)));
    storedKeyCache.set(source, k);
  }
  return k;
}

/**
 * Observations (facts) with their revisions, and the rollup kept beside them.
 * Facts are never deleted: a new value for the same natural key (indicator,
 * place version, period, organisation) is a revision, and the same value
 * again changes nothing, so a retried batch is harmless.
 */
export class ObservationsRepository {
  /** `io` is needed to write: the engine's bulk writer and which engine it is. Reads need only `db`. */
  constructor(
    private readonly db: Db,
    private readonly io?: { bulk: BulkWriter; engine: Engine },
  ) {}

  private writerIo(): { bulk: BulkWriter; engine: Engine } {
    if (!this.io) throw new Error('ObservationsRepository was opened read-only');
    return this.io;
  }

  /**
   * Writes a batch of facts (call inside a transaction) and returns what
   * changed. With `deferRollup` the rollup is left for `rebuildRollup`:
   * bulk loads rebuild it once at the end, set-based, which is far faster.
   */
  async write(
    facts: readonly FactInput[],
    prov: FactProvenance,
    now: string,
    options: { deferRollup?: boolean; extremesMatter?: (indicatorCode: string) => boolean } = {},
  ): Promise<WriteOutcome> {
    const { bulk } = this.writerIo();
    // New facts are inserted at once, in one pass over the natural key; only the ones already stored are read back and compared.
    const inserted = await bulk.insertMissing(
      this.db,
      'observation',
      OBSERVATION_COLUMNS,
      facts.map((f) => [f.indicatorCode, f.placeId, f.placeCode, f.periodKey, f.periodKind, f.periodStart, f.periodEnd, f.orgCode, f.value, f.status, prov.source, prov.runId, prov.enteredBy, f.note, 1, now]),
      NATURAL_KEY.map((c) => c.name),
    );
    const fresh: FactInput[] = [];
    const stored: FactInput[] = [];
    facts.forEach((f, i) => (inserted[i] ? fresh : stored).push(f));

    type Existing = { id: number; indicator_code: string; place_id: number; period_key: string; org_code: string; value: number; status: string; revision: number; source: string; run_id: number | null; entered_by: string | null; note: string | null; recorded_at: string };
    const existing = new Map<string, Existing>();
    const found = await bulk.lookup<Existing>(
      this.db,
      'observation',
      NATURAL_KEY,
      stored.map((f) => [f.indicatorCode, f.periodKey, f.placeId, f.orgCode]),
      ['id', 'indicator_code', 'place_id', 'period_key', 'org_code', 'value', 'status', 'revision', 'source', 'run_id', 'entered_by', 'note', 'recorded_at'],
    );
    for (const r of found) existing.set(keyOf({ indicatorCode: r.indicator_code, placeId: r.place_id, periodKey: r.period_key, orgCode: r.org_code }), r);

    const changes: FactChange[] = [];
    let unchanged = 0;
    let revised = 0;
    for (const f of stored) {
      const old = existing.get(keyOf(f));
      if (!old) throw new Error(`Observation ${keyOf(f)} was neither inserted nor found`);
      // A changed note is a revision too: the value may stand while what is said of it changes. A row giving no note leaves the note as it was.
      if (old.value === f.value && old.status === f.status && (f.note === null || f.note === old.note)) {
        unchanged++;
        continue;
      }
      // The superseded state goes to the history; the row takes the new one.
      await this.db
        .insertInto('observation_revision')
        .values({ observation_id: old.id, revision: old.revision, value: old.value, status: old.status, source: old.source, run_id: old.run_id, entered_by: old.entered_by, note: old.note, recorded_at: old.recorded_at })
        .execute();
      await this.db
        .updateTable('observation')
        .set({ value: f.value, status: f.status, source: prov.source, run_id: prov.runId, entered_by: prov.enteredBy, note: f.note, revision: old.revision + 1, recorded_at: now })
        .where('id', '=', old.id)
        .execute();
      changes.push({ fact: f, previous: { value: old.value, status: old.status } });
      revised++;
    }

    for (const f of fresh) changes.push({ fact: f, previous: null });
    await this.recordArrivals(changes, prov.source, now);
    if (!options.deferRollup) await this.applyToRollup(changes, now, options.extremesMatter);
    return { created: fresh.length, revised, unchanged, changes };
  }

  /** What is stored now for each fact's natural key (null where nothing is): what a dry run compares a file with. */
  async current(facts: readonly FactInput[]): Promise<({ value: number; status: string; note: string | null } | null)[]> {
    if (facts.length === 0) return [];
    const { bulk } = this.writerIo();
    type Found = { indicator_code: string; place_id: number; period_key: string; org_code: string; value: number; status: string; note: string | null };
    const found = await bulk.lookup<Found>(
      this.db,
      'observation',
      NATURAL_KEY,
      facts.map((f) => [f.indicatorCode, f.periodKey, f.placeId, f.orgCode]),
      ['indicator_code', 'place_id', 'period_key', 'org_code', 'value', 'status', 'note'],
    );
    const byKey = new Map(found.map((r) => [keyOf({ indicatorCode: r.indicator_code, placeId: r.place_id, periodKey: r.period_key, orgCode: r.org_code }), r]));
    return facts.map((f) => {
      const r = byKey.get(keyOf(f));
      return r ? { value: Number(r.value), status: r.status, note: r.note } : null;
    });
  }

  /** Moves each written indicator's last arrival on: one upsert per indicator of the batch. */
  private async recordArrivals(changes: readonly FactChange[], source: string, now: string): Promise<void> {
    const latest = new Map<string, string>();
    for (const { fact } of changes) {
      const end = latest.get(fact.indicatorCode);
      if (end === undefined || fact.periodEnd > end) latest.set(fact.indicatorCode, fact.periodEnd);
    }
    for (const code of [...latest.keys()].sort()) {
      const periodEnd = latest.get(code)!;
      await this.db
        .insertInto('indicator_arrival')
        .values({ indicator_code: code, last_recorded_at: now, last_source: source, last_period_end: periodEnd })
        .onConflict((oc) =>
          oc.column('indicator_code').doUpdateSet((eb) => ({
            last_recorded_at: eb.ref('excluded.last_recorded_at'),
            last_source: eb.ref('excluded.last_source'),
            last_period_end: eb
              .case()
              .when('indicator_arrival.last_period_end', '<', eb.ref('excluded.last_period_end'))
              .then(eb.ref('excluded.last_period_end'))
              .else(eb.ref('indicator_arrival.last_period_end'))
              .end(),
          })),
        )
        .execute();
    }
  }

  /** Ancestors (with shares) and the level of each place; the level and validity of every ancestor. */
  private async ancestry(placeIds: readonly number[]): Promise<{
    ancestors: Map<number, { id: number; share: number }[]>;
    levels: Map<number, PlaceLevel>;
    units: Map<number, { level: PlaceLevel; validFrom: string; validTo: string }>;
  }> {
    const ancestors = new Map<number, { id: number; share: number }[]>();
    const levels = new Map<number, PlaceLevel>();
    const units = new Map<number, { level: PlaceLevel; validFrom: string; validTo: string }>();
    const unique = [...new Set(placeIds)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const part = unique.slice(i, i + CHUNK);
      const rows = await this.db
        .selectFrom('place_ancestry as a')
        .innerJoin('place as p', 'p.id', 'a.ancestor_id')
        .select(['a.place_id', 'a.ancestor_id', 'a.share', 'p.level', 'p.valid_from', 'p.valid_to'])
        .where('a.place_id', 'in', part)
        .execute();
      for (const r of rows) {
        ancestors.set(r.place_id, [...(ancestors.get(r.place_id) ?? []), { id: r.ancestor_id, share: r.share }]);
        units.set(r.ancestor_id, { level: r.level as PlaceLevel, validFrom: r.valid_from, validTo: r.valid_to });
      }
      const lv = await this.db.selectFrom('place').select(['id', 'level']).where('id', 'in', part).execute();
      for (const r of lv) levels.set(r.id, r.level as PlaceLevel);
    }
    return { ancestors, levels, units };
  }

  /**
   * Adds the changed facts to the rollup of every ancestor of their place and
   * every period they count toward. Rollup statistics compose, so this is a
   * delta; only a revision of an extreme value needs its min and max recounted.
   */
  async applyToRollup(changes: readonly FactChange[], now: string, extremesMatter: (indicatorCode: string) => boolean = () => true): Promise<void> {
    if (changes.length === 0) return;
    const { ancestors, levels, units } = await this.ancestry(changes.map((c) => c.fact.placeId));
    const groups = new Map<string, RollupRow>();
    const revisedGroups = new Map<string, RollupRow>();
    for (const { fact: f, previous } of changes) {
      if (f.orgCode !== '') continue; // organisation breakdowns are read from the facts, not added to place totals
      const level = levels.get(f.placeId);
      if (!level) continue;
      for (const a of ancestors.get(f.placeId) ?? []) {
        // A contribution is estimated when the fact is, or when only a share of its place moved here.
        const isEstimated = (status: string) => (a.share < 1 || status === 'estimated' ? 1 : 0);
        const estimated = isEstimated(f.status) - (previous ? isEstimated(previous.status) : 0);
        const provisional = (f.status === 'provisional' ? 1 : 0) - (previous?.status === 'provisional' ? 1 : 0);
        const dSum = a.share * (f.value - (previous?.value ?? 0));
        const dWeight = previous ? 0 : a.share;
        {
          const periodKey = storedKey(f.periodKey, f.periodKind);
          const k = `${f.indicatorCode}\u0000${a.id}\u0000${periodKey}\u0000${level}`;
          let g = groups.get(k);
          if (!g) {
            g = { indicatorCode: f.indicatorCode, placeId: a.id, periodKey, level, ...emptyStats() };
            groups.set(k, g);
          }
          accumulate(g, { value: f.value, dSum, dWeight, periodEnd: f.periodEnd, dEstimated: estimated, dProvisional: provisional, dFacts: previous ? 0 : 1, recordedAt: now });
          if (previous && extremesMatter(f.indicatorCode)) revisedGroups.set(k, g);
        }
      }
    }
    const { bulk } = this.writerIo();
    // In key order: concurrent batches then lock shared rows (a province's month) in the same order and cannot deadlock.
    const sorted = [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const values = (g: RollupRow) => [g.indicatorCode, g.placeId, g.periodKey, g.level, g.sum, g.weight, g.min, g.max, g.lastEnd, g.lastSum, g.lastWeight, g.estimated, g.provisional, g.facts, g.latestRecordedAt];
    // A row at its own place's level is that unit's own: the write that makes it is the unit's first report of the indicator and period.
    // Made first, and only where missing, so that of two batches writing it at once exactly one finds it new.
    const own = sorted.filter(([, g]) => units.get(g.placeId)?.level === g.level);
    const made = await bulk.insertMissing(this.db, 'observation_rollup', ROLLUP_COLUMNS, own.map(([, g]) => values(g)), ROLLUP_KEY);
    const first = own.filter((_, i) => made[i]);
    const madeKeys = new Set(first.map(([k]) => k));
    await bulk.insert(
      this.db,
      'observation_rollup',
      ROLLUP_COLUMNS,
      sorted.filter(([k]) => !madeKeys.has(k)).map(([, g]) => values(g)),
      ROLLUP_MERGE,
    );
    await this.countFirstReports(
      first.map(([, g]) => g),
      ancestors,
      units,
    );
    for (const g of revisedGroups.values()) await this.recountExtremes(g);
  }

  /**
   * Counts units that reported an indicator for a stored period for the
   * first time (their own rollup row was just made) under each of their
   * ancestors, themselves included: only units valid on the period's last
   * day count, as in a figure's coverage.
   */
  private async countFirstReports(
    first: readonly RollupRow[],
    ancestors: Map<number, { id: number; share: number }[]>,
    units: Map<number, { level: PlaceLevel; validFrom: string; validTo: string }>,
  ): Promise<void> {
    const counted = first.filter((g) => {
      const u = units.get(g.placeId);
      return u !== undefined && validAtEnd(u, periodEnd(parsePeriod(g.periodKey)));
    });
    if (counted.length === 0) return;
    // A unit is usually the place of the facts; a later unit they went into (lineage) has ancestors of its own.
    const others = counted.map((g) => g.placeId).filter((id) => !ancestors.has(id));
    const more = others.length > 0 ? (await this.ancestry(others)).ancestors : new Map<number, { id: number; share: number }[]>();
    const deltas = new Map<string, [number, string, string, string, number]>();
    for (const g of counted) {
      for (const a of ancestors.get(g.placeId) ?? more.get(g.placeId) ?? []) {
        const k = `${a.id}\u0000${g.periodKey}\u0000${g.indicatorCode}\u0000${g.level}`;
        const d = deltas.get(k);
        if (d) d[4] += 1;
        else deltas.set(k, [a.id, g.periodKey, g.indicatorCode, g.level, 1]);
      }
    }
    await this.writerIo().bulk.insert(
      this.db,
      'observation_rollup_units',
      ROLLUP_UNITS_COLUMNS,
      // In key order, as the rollup itself.
      [...deltas.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, d]) => d),
      ROLLUP_UNITS_MERGE,
    );
  }

  /** Recounts min and max of one rollup group from its facts (after a revision, the old extreme may be gone). */
  private async recountExtremes(g: RollupRow): Promise<void> {
    const period = parsePeriod(g.periodKey);
    const r = await this.db
      .selectFrom('observation as o')
      .innerJoin('place_ancestry as a', 'a.place_id', 'o.place_id')
      .innerJoin('place as p', 'p.id', 'o.place_id')
      .select((eb) => [eb.fn.min('o.value').as('min'), eb.fn.max('o.value').as('max')])
      .where('a.ancestor_id', '=', g.placeId)
      .where('o.indicator_code', '=', g.indicatorCode)
      .where('o.org_code', '=', '')
      .where('p.level', '=', g.level)
      .where('o.period_start', '>=', periodStart(period))
      .where('o.period_end', '<=', periodEnd(period))
      .executeTakeFirst();
    if (r?.min === null || r?.min === undefined) return;
    await this.db
      .updateTable('observation_rollup')
      .set({ min: Number(r.min), max: Number(r.max) })
      .where('indicator_code', '=', g.indicatorCode)
      .where('place_id', '=', g.placeId)
      .where('period_key', '=', g.periodKey)
      .where('level', '=', g.level)
      .execute();
  }

  /**
   * Rebuilds the whole rollup from the facts in a few set-based statements
   * (after a bulk load, or when the geography and so the ancestry changed):
   * facts are first summarised per place and stored period (a day's month,
   * or their own month, quarter or year), then added into every ancestor of
   * their place, with shares. Call inside a transaction.
   */
  async rebuildRollup(): Promise<void> {
    const { engine } = this.writerIo();
    const month = monthOf(engine, 'period_start');
    const stageKey = sql<string>`case when period_kind in ('day', 'instant') then ${month} else period_key end`;
    await sql`drop table if exists rollup_stage`.execute(this.db);
    await sql`create temp table rollup_stage as
      select indicator_code, place_id, k as stage_key,
        sum(value) as sum, count(*) as weight, min(value) as min, max(value) as max, max(period_end) as last_end,
        sum(case when period_end = me then value else 0 end) as last_sum,
        sum(case when period_end = me then 1 else 0 end) as last_weight,
        sum(case when status = 'estimated' then 1 else 0 end) as estimated,
        sum(case when status = 'provisional' then 1 else 0 end) as provisional,
        count(*) as facts, max(recorded_at) as recorded
      from (select o.*, ${stageKey} as k, max(period_end) over (partition by indicator_code, place_id, ${stageKey}) as me
            from observation o where org_code = '') f
      group by indicator_code, place_id, k`.execute(this.db);
    await this.db.deleteFrom('observation_rollup').execute();
    await sql`insert into observation_rollup
        (indicator_code, place_id, period_key, level, sum, weight, min, max, last_end, last_sum, last_weight, estimated, provisional, facts, latest_recorded_at)
      select ic, anc, pk, lvl, sum(s), sum(w), min(mn), max(mx), max(le),
        sum(case when le = gle then ls else 0 end), sum(case when le = gle then lw else 0 end), sum(est), sum(prov), sum(n), max(rec)
      from (
        select s.indicator_code as ic, a.ancestor_id as anc, s.stage_key as pk, p.level as lvl,
          s.sum * a.share as s, s.weight * a.share as w, s.min as mn, s.max as mx, s.last_end as le,
          s.last_sum * a.share as ls, s.last_weight * a.share as lw,
          case when a.share < 1 then s.facts else s.estimated end as est, s.provisional as prov, s.facts as n, s.recorded as rec,
          max(s.last_end) over (partition by s.indicator_code, a.ancestor_id, s.stage_key, p.level) as gle
        from rollup_stage s
        join place_ancestry a on a.place_id = s.place_id
        join place p on p.id = s.place_id
      ) x
      group by ic, anc, pk, lvl`.execute(this.db);
    await sql`drop table rollup_stage`.execute(this.db);
    await this.db.deleteFrom('observation_rollup_units').execute();
    // A unit counts in a stored period when it was valid on its last day: each stored period with its last day, to compare with.
    const ends = (await this.db.selectFrom('observation_rollup').select('period_key').distinct().execute()).map((r) => {
      const end = periodEnd(parsePeriod(r.period_key));
      return sql`(${r.period_key}, ${engine === 'postgres' ? sql`cast(${end} as date)` : end})`;
    });
    if (ends.length === 0) return;
    await sql`with e (period_key, period_end) as (values ${sql.join(ends)})
      insert into observation_rollup_units (place_id, period_key, indicator_code, level, units)
      select a.ancestor_id, r.period_key, r.indicator_code, r.level, count(*)
      from observation_rollup r
      join place p on p.id = r.place_id and p.level = r.level
      join e on e.period_key = r.period_key
      join place_ancestry a on a.place_id = r.place_id
      where p.valid_from <= e.period_end and p.valid_to >= e.period_end
      group by a.ancestor_id, r.period_key, r.indicator_code, r.level`.execute(this.db);
  }

  /** The last day of the earliest period each indicator was reported for at (or under) a place: before it, a missing figure is history, not lateness. */
  async firstReported(placeId: number): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('observation_rollup')
      .select(['indicator_code', (eb) => eb.fn.min('last_end').as('first_end')])
      .where('place_id', '=', placeId)
      .groupBy('indicator_code')
      .execute();
    return new Map(rows.map((r) => [r.indicator_code, String(r.first_end)]));
  }

  /** Rollup rows of some places for some periods (and optionally some indicators). */
  async rollup(placeIds: readonly number[], periodKeys: readonly string[], indicatorCodes?: readonly string[]): Promise<RollupRow[]> {
    if (placeIds.length === 0 || periodKeys.length === 0) return [];
    let q = this.db.selectFrom('observation_rollup').selectAll().where('place_id', 'in', placeIds).where('period_key', 'in', periodKeys);
    if (indicatorCodes?.length) q = q.where('indicator_code', 'in', indicatorCodes);
    return (await q.execute()).map((r) => ({
      indicatorCode: r.indicator_code,
      placeId: r.place_id,
      periodKey: r.period_key,
      level: r.level as PlaceLevel,
      sum: r.sum,
      weight: r.weight,
      min: r.min,
      max: r.max,
      lastEnd: r.last_end,
      lastSum: r.last_sum,
      lastWeight: r.last_weight,
      estimated: r.estimated,
      provisional: r.provisional,
      facts: r.facts,
      latestRecordedAt: r.latest_recorded_at,
    }));
  }

  /**
   * How many units of each level under each of some places (place_ancestry,
   * lineage included; the place itself too) reported each indicator for
   * each stored period: those valid on the period's last day that have a
   * rollup row of their own at their own level. Kept with the rollup, so no
   * row under the place is read. None: no row.
   */
  async reportingUnits(
    placeIds: readonly number[],
    periodKeys: readonly string[],
    indicatorCodes?: readonly string[],
  ): Promise<{ placeId: number; indicatorCode: string; periodKey: string; level: PlaceLevel; reported: number }[]> {
    const out: { placeId: number; indicatorCode: string; periodKey: string; level: PlaceLevel; reported: number }[] = [];
    if (periodKeys.length === 0 || indicatorCodes?.length === 0) return out;
    const unique = [...new Set(placeIds)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      let q = this.db
        .selectFrom('observation_rollup_units')
        .select(['place_id', 'indicator_code', 'period_key', 'level', 'units'])
        .where('place_id', 'in', unique.slice(i, i + CHUNK))
        .where('period_key', 'in', periodKeys);
      if (indicatorCodes) q = q.where('indicator_code', 'in', indicatorCodes);
      for (const r of await q.execute()) out.push({ placeId: r.place_id, indicatorCode: r.indicator_code, periodKey: r.period_key, level: r.level as PlaceLevel, reported: Number(r.units) });
    }
    return out;
  }

  /**
   * Each unit's own statistics under some places (its own row at its own
   * level, through place_ancestry) for some indicators and stored periods:
   * the weights of the units that reported, for a weighted figure's coverage.
   */
  async unitRows(
    ancestorIds: readonly number[],
    indicatorCodes: readonly string[],
    periodKeys: readonly string[],
  ): Promise<{ ancestorId: number; placeId: number; indicatorCode: string; periodKey: string; level: PlaceLevel; sum: number }[]> {
    const out: { ancestorId: number; placeId: number; indicatorCode: string; periodKey: string; level: PlaceLevel; sum: number }[] = [];
    if (periodKeys.length === 0 || indicatorCodes.length === 0) return out;
    const unique = [...new Set(ancestorIds)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows = await this.db
        .selectFrom('place_ancestry as a')
        .innerJoin('observation_rollup as r', 'r.place_id', 'a.place_id')
        .innerJoin('place as p', 'p.id', 'a.place_id')
        .select(['a.ancestor_id', 'r.place_id', 'r.indicator_code', 'r.period_key', 'r.level', 'r.sum'])
        .where('a.ancestor_id', 'in', unique.slice(i, i + CHUNK))
        .where('r.indicator_code', 'in', indicatorCodes)
        .where('r.period_key', 'in', periodKeys)
        .whereRef('r.level', '=', 'p.level')
        .execute();
      for (const r of rows) out.push({ ancestorId: r.ancestor_id, placeId: r.place_id, indicatorCode: r.indicator_code, periodKey: r.period_key, level: r.level as PlaceLevel, sum: r.sum });
    }
    return out;
  }

  /** The facts of an indicator under a place (through ancestry) within a date range: for breakdowns by organisation and daily series. */
  async factsUnder(ancestorId: number, indicatorCode: string, from: string, to: string, options: { withOrganisation?: boolean } = {}) {
    let q = this.db
      .selectFrom('observation as o')
      .innerJoin('place_ancestry as a', 'a.place_id', 'o.place_id')
      .select(['o.id', 'o.place_id', 'o.place_code', 'o.period_key', 'o.period_end', 'o.org_code', 'o.value', 'o.status', 'o.source', 'o.recorded_at', 'a.share'])
      .where('a.ancestor_id', '=', ancestorId)
      .where('o.indicator_code', '=', indicatorCode)
      .where('o.period_start', '>=', from)
      .where('o.period_end', '<=', to);
    q = options.withOrganisation ? q.where('o.org_code', '!=', '') : q.where('o.org_code', '=', '');
    return q.orderBy('o.period_end').execute();
  }

  /** Every state of one fact, oldest first: the superseded ones, then the current one. Null when none is stored, or the scope does not reach its place. */
  async history(indicatorCode: string, placeId: number, periodKey: string, orgCode: string, scope: ResolvedScope) {
    const obs = await this.db
      .selectFrom('observation')
      .selectAll()
      .where('indicator_code', '=', indicatorCode)
      .where('place_id', '=', placeId)
      .where('period_key', '=', periodKey)
      .where('org_code', '=', orgCode)
      .where(inScope(scope, { placeId: 'observation.place_id', placeOfOrg: true }))
      .executeTakeFirst();
    if (!obs) return null;
    const superseded = await this.db.selectFrom('observation_revision').selectAll().where('observation_id', '=', obs.id).orderBy('revision').execute();
    const current = { id: 0, observation_id: obs.id, revision: obs.revision, value: obs.value, status: obs.status, source: obs.source, run_id: obs.run_id, entered_by: obs.entered_by, note: obs.note, recorded_at: obs.recorded_at };
    return { observation: obs, revisions: [...superseded, current] };
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('observation').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}

