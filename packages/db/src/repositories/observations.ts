import { sql, type Kysely, type Transaction } from 'kysely';
import { parsePeriod, periodEnd, periodKey, periodStart, rollupPeriods, type PlaceLevel, type RollupStats } from '@watchfloor/core';
import type { Database } from '../schema';

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
const keyOf = (f: { indicatorCode: string; placeId: number; periodKey: string; orgCode: string }) => `${f.indicatorCode}\u0000${f.placeId}\u0000${f.periodKey}\u0000${f.orgCode}`;

/** The rolled-up periods of a fact's period key, cached: a batch has few distinct keys. */
const rollupKeyCache = new Map<string, string[]>();
function rollupKeys(key: string, kind: string): string[] {
  const cacheKey = kind === 'instant' ? key.slice(0, 7) : key;
  let keys = rollupKeyCache.get(cacheKey);
  if (!keys) {
    keys = rollupPeriods(parsePeriod(kind === 'instant' ? key.slice(0, 7) : key)).map(periodKey);
    rollupKeyCache.set(cacheKey, keys);
  }
  return keys;
}

/**
 * Observations (facts) with their revisions, and the rollup kept beside them.
 * Facts are never deleted: a new value for the same natural key (indicator,
 * place version, period, organisation) is a revision, and the same value
 * again changes nothing, so a retried batch is harmless.
 */
export class ObservationsRepository {
  constructor(private readonly db: Db) {}

  /** Writes a batch of facts (call inside a transaction) and returns what changed. */
  async write(facts: readonly FactInput[], prov: FactProvenance, now: string): Promise<WriteOutcome> {
    const existing = new Map<string, { id: number; value: number; status: string; revision: number }>();
    for (let i = 0; i < facts.length; i += CHUNK) {
      const part = facts.slice(i, i + CHUNK);
      const rows = await this.db
        .selectFrom('observation')
        .select(['id', 'indicator_code', 'place_id', 'period_key', 'org_code', 'value', 'status', 'revision'])
        .where((eb) =>
          eb(
            eb.refTuple('indicator_code', 'place_id', 'period_key', 'org_code'),
            'in',
            part.map((f) => eb.tuple(f.indicatorCode, f.placeId, f.periodKey, f.orgCode)),
          ),
        )
        .execute();
      for (const r of rows) existing.set(keyOf({ indicatorCode: r.indicator_code, placeId: r.place_id, periodKey: r.period_key, orgCode: r.org_code }), r);
    }

    const fresh: FactInput[] = [];
    const changes: FactChange[] = [];
    let unchanged = 0;
    let revised = 0;
    for (const f of facts) {
      const old = existing.get(keyOf(f));
      if (!old) {
        fresh.push(f);
        continue;
      }
      if (old.value === f.value && old.status === f.status) {
        unchanged++;
        continue;
      }
      const revision = old.revision + 1;
      await this.db
        .updateTable('observation')
        .set({ value: f.value, status: f.status, source: prov.source, run_id: prov.runId, entered_by: prov.enteredBy, note: f.note, revision, recorded_at: now })
        .where('id', '=', old.id)
        .execute();
      await this.db
        .insertInto('observation_revision')
        .values({ observation_id: old.id, revision, value: f.value, status: f.status, source: prov.source, run_id: prov.runId, entered_by: prov.enteredBy, note: f.note, recorded_at: now })
        .execute();
      changes.push({ fact: f, previous: { value: old.value, status: old.status } });
      revised++;
    }

    for (let i = 0; i < fresh.length; i += CHUNK) {
      const part = fresh.slice(i, i + CHUNK);
      const ids = await this.db
        .insertInto('observation')
        .values(
          part.map((f) => ({
            indicator_code: f.indicatorCode,
            place_id: f.placeId,
            place_code: f.placeCode,
            period_key: f.periodKey,
            period_kind: f.periodKind,
            period_start: f.periodStart,
            period_end: f.periodEnd,
            org_code: f.orgCode,
            value: f.value,
            status: f.status,
            source: prov.source,
            run_id: prov.runId,
            entered_by: prov.enteredBy,
            note: f.note,
            revision: 1,
            recorded_at: now,
          })),
        )
        .returning('id')
        .execute();
      await this.db
        .insertInto('observation_revision')
        .values(
          part.map((f, j) => ({
            observation_id: ids[j]!.id,
            revision: 1,
            value: f.value,
            status: f.status,
            source: prov.source,
            run_id: prov.runId,
            entered_by: prov.enteredBy,
            note: f.note,
            recorded_at: now,
          })),
        )
        .execute();
      for (const f of part) changes.push({ fact: f, previous: null });
    }
    await this.applyToRollup(changes, now);
    return { created: fresh.length, revised, unchanged, changes };
  }

  /** Ancestors (with shares) and the level of each place. */
  private async ancestry(placeIds: readonly number[]): Promise<{ ancestors: Map<number, { id: number; share: number }[]>; levels: Map<number, PlaceLevel> }> {
    const ancestors = new Map<number, { id: number; share: number }[]>();
    const levels = new Map<number, PlaceLevel>();
    const unique = [...new Set(placeIds)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const part = unique.slice(i, i + CHUNK);
      const rows = await this.db.selectFrom('place_ancestry').select(['place_id', 'ancestor_id', 'share']).where('place_id', 'in', part).execute();
      for (const r of rows) ancestors.set(r.place_id, [...(ancestors.get(r.place_id) ?? []), { id: r.ancestor_id, share: r.share }]);
      const lv = await this.db.selectFrom('place').select(['id', 'level']).where('id', 'in', part).execute();
      for (const r of lv) levels.set(r.id, r.level as PlaceLevel);
    }
    return { ancestors, levels };
  }

  /**
   * Adds the changed facts to the rollup of every ancestor of their place and
   * every period they count toward. Rollup statistics compose, so this is a
   * delta; only a revision of an extreme value needs its min and max recounted.
   */
  async applyToRollup(changes: readonly FactChange[], now: string): Promise<void> {
    if (changes.length === 0) return;
    const { ancestors, levels } = await this.ancestry(changes.map((c) => c.fact.placeId));
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
        const dSum = a.share * (f.value - (previous?.value ?? 0));
        const dWeight = previous ? 0 : a.share;
        for (const periodKey of rollupKeys(f.periodKey, f.periodKind)) {
          const k = `${f.indicatorCode}\u0000${a.id}\u0000${periodKey}\u0000${level}`;
          let g = groups.get(k);
          if (!g) {
            g = { indicatorCode: f.indicatorCode, placeId: a.id, periodKey, level, sum: 0, weight: 0, min: f.value, max: f.value, lastEnd: f.periodEnd, lastSum: 0, lastWeight: 0, estimated: 0, facts: 0, latestRecordedAt: now };
            groups.set(k, g);
          }
          g.sum += dSum;
          g.weight += dWeight;
          g.min = Math.min(g.min, f.value);
          g.max = Math.max(g.max, f.value);
          if (f.periodEnd > g.lastEnd) {
            g.lastEnd = f.periodEnd;
            g.lastSum = 0;
            g.lastWeight = 0;
          }
          if (f.periodEnd === g.lastEnd) {
            g.lastSum += dSum;
            g.lastWeight += dWeight;
          }
          g.estimated += estimated;
          g.facts += previous ? 0 : 1;
          if (previous) revisedGroups.set(k, g);
        }
      }
    }
    const rows = [...groups.values()];
    for (let i = 0; i < rows.length; i += CHUNK) {
      await this.db
        .insertInto('observation_rollup')
        .values(
          rows.slice(i, i + CHUNK).map((g) => ({
            indicator_code: g.indicatorCode,
            place_id: g.placeId,
            period_key: g.periodKey,
            level: g.level,
            sum: g.sum,
            weight: g.weight,
            min: g.min,
            max: g.max,
            last_end: g.lastEnd,
            last_sum: g.lastSum,
            last_weight: g.lastWeight,
            estimated: g.estimated,
            facts: g.facts,
            latest_recorded_at: g.latestRecordedAt,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['indicator_code', 'place_id', 'period_key', 'level']).doUpdateSet({
            sum: sql`observation_rollup.sum + excluded.sum`,
            weight: sql`observation_rollup.weight + excluded.weight`,
            min: sql`case when excluded.min < observation_rollup.min then excluded.min else observation_rollup.min end`,
            max: sql`case when excluded.max > observation_rollup.max then excluded.max else observation_rollup.max end`,
            last_sum: sql`case when excluded.last_end > observation_rollup.last_end then excluded.last_sum when excluded.last_end = observation_rollup.last_end then observation_rollup.last_sum + excluded.last_sum else observation_rollup.last_sum end`,
            last_weight: sql`case when excluded.last_end > observation_rollup.last_end then excluded.last_weight when excluded.last_end = observation_rollup.last_end then observation_rollup.last_weight + excluded.last_weight else observation_rollup.last_weight end`,
            last_end: sql`case when excluded.last_end > observation_rollup.last_end then excluded.last_end else observation_rollup.last_end end`,
            estimated: sql`observation_rollup.estimated + excluded.estimated`,
            facts: sql`observation_rollup.facts + excluded.facts`,
            latest_recorded_at: sql`case when excluded.latest_recorded_at > observation_rollup.latest_recorded_at then excluded.latest_recorded_at else observation_rollup.latest_recorded_at end`,
          }),
        )
        .execute();
    }
    for (const g of revisedGroups.values()) await this.recountExtremes(g);
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

  /** Rebuilds the whole rollup from the facts (after the geography, and so the ancestry, changed). */
  async rebuildRollup(now: string, chunk = 20_000): Promise<number> {
    await this.db.deleteFrom('observation_rollup').execute();
    let lastId = 0;
    let n = 0;
    for (;;) {
      const rows = await this.db.selectFrom('observation').selectAll().where('id', '>', lastId).orderBy('id').limit(chunk).execute();
      if (rows.length === 0) break;
      lastId = rows[rows.length - 1]!.id;
      n += rows.length;
      await this.applyToRollup(
        rows.map((r) => ({
          fact: {
            indicatorCode: r.indicator_code,
            placeId: r.place_id,
            placeCode: r.place_code,
            periodKey: r.period_key,
            periodKind: r.period_kind,
            periodStart: r.period_start,
            periodEnd: r.period_end,
            orgCode: r.org_code,
            value: r.value,
            status: r.status,
            note: r.note,
          },
          previous: null,
        })),
        now,
      );
    }
    return n;
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
      facts: r.facts,
      latestRecordedAt: r.latest_recorded_at,
    }));
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

  /** The revisions of one fact, oldest first. */
  async history(indicatorCode: string, placeId: number, periodKey: string, orgCode = '') {
    const obs = await this.db
      .selectFrom('observation')
      .selectAll()
      .where('indicator_code', '=', indicatorCode)
      .where('place_id', '=', placeId)
      .where('period_key', '=', periodKey)
      .where('org_code', '=', orgCode)
      .executeTakeFirst();
    if (!obs) return null;
    const revisions = await this.db.selectFrom('observation_revision').selectAll().where('observation_id', '=', obs.id).orderBy('revision').execute();
    return { observation: obs, revisions };
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('observation').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}

