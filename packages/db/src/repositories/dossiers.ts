import type { Kysely, Transaction } from 'kysely';
import type { Dossier } from '@watchfloor/core';
import type { Database } from '../schema';
import { inScope, type ResolvedScope } from '../scope';
import { keysetPages } from '../keyset';
import { validOn } from '../validity';

type Db = Kysely<Database> | Transaction<Database>;

/** Where a dossier is judged for access: the place version it was received in and the agency that handles it. */
export function dossierInScope(scope: ResolvedScope, alias = 'dossier') {
  return inScope(scope, { placeId: `${alias}.place_id`, orgCode: `${alias}.org_code` });
}

/** A dossier ready to store: its place already resolved to the version valid at receipt. */
export interface DossierRecord {
  code: string;
  procedureCode: string;
  procedureName: string | null;
  orgCode: string;
  placeId: number | null;
  placeCode: string | null;
  provinceCode: string | null;
  receivedAt: string;
  dueAt: string;
  resolvedAt: string | null;
  channel: 'online' | 'offline';
  paidOnline: boolean;
}

/** All SQL about public-service dossiers. */
export class DossiersRepository {
  constructor(private readonly db: Db) {}

  /** Inserts or updates dossiers by code: a dossier sent again (resolved since) replaces its row. */
  async upsert(rows: readonly DossierRecord[], now: string): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      await this.db
        .insertInto('dossier')
        .values(
          rows.slice(i, i + 500).map((d) => ({
            code: d.code,
            procedure_code: d.procedureCode,
            procedure_name: d.procedureName,
            org_code: d.orgCode,
            place_id: d.placeId,
            place_code: d.placeCode,
            province_code: d.provinceCode,
            received_at: d.receivedAt,
            due_at: d.dueAt,
            resolved_at: d.resolvedAt,
            channel: d.channel,
            paid_online: d.paidOnline ? 1 : 0,
            updated_at: now,
          })),
        )
        .onConflict((oc) =>
          oc.column('code').doUpdateSet((eb) => ({
            procedure_code: eb.ref('excluded.procedure_code'),
            procedure_name: eb.ref('excluded.procedure_name'),
            org_code: eb.ref('excluded.org_code'),
            place_id: eb.ref('excluded.place_id'),
            place_code: eb.ref('excluded.place_code'),
            province_code: eb.ref('excluded.province_code'),
            received_at: eb.ref('excluded.received_at'),
            due_at: eb.ref('excluded.due_at'),
            resolved_at: eb.ref('excluded.resolved_at'),
            channel: eb.ref('excluded.channel'),
            paid_online: eb.ref('excluded.paid_online'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
  }

  /**
   * The dossiers that count in a period from `start` to `end` (instants):
   * received before its end and not resolved before its start, of one
   * agency and/or in one place (a commune or province code), within the scope.
   */
  async forPeriod(f: { start: string; end: string; orgCode?: string | undefined; placeCode?: string | undefined }, scope: ResolvedScope): Promise<Dossier[]> {
    let q = this.db
      .selectFrom('dossier')
      .select(['received_at', 'due_at', 'resolved_at', 'channel'])
      .where(dossierInScope(scope))
      .where('received_at', '<', f.end)
      .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', f.start)]));
    if (f.orgCode) q = q.where('org_code', '=', f.orgCode);
    if (f.placeCode) {
      const code = f.placeCode;
      q = q.where((eb) => eb.or([eb('place_code', '=', code), eb('province_code', '=', code)]));
    }
    const rows = await q.execute();
    return rows.map((r) => ({ receivedAt: r.received_at, dueAt: r.due_at, resolvedAt: r.resolved_at, channel: r.channel === 'online' ? 'online' : 'offline' }));
  }

  /** The dossiers in the scope matching a filter, newest received first (ties by id): `limit`, default 1,000. */
  async list(f: DossierFilter, scope: ResolvedScope): Promise<ListedDossier[]> {
    const rows = await this.matching(f, scope).orderBy('dossier.received_at', 'desc').orderBy('dossier.id', 'desc').limit(f.limit ?? 1000).execute();
    return rows.map(toListed);
  }

  /**
   * Every dossier in the scope matching a filter (`limit` when given), in
   * the list's order, a page at a time: each page seeks the index on
   * (received_at, id) past the last row of the one before, so a list of
   * any length is never sorted whole nor held in memory, and no connection
   * is held between pages.
   */
  pages(f: DossierFilter, scope: ResolvedScope, pageSize = 2000): AsyncGenerator<ListedDossier[]> {
    return keysetPages(
      async (after, size) => {
        let q = this.matching(f, scope);
        // A row value, so that both engines seek the index to the page's start instead of scanning it from the top.
        if (after) q = q.where((eb) => eb(eb.refTuple('dossier.received_at', 'dossier.id'), '<', eb.tuple(after.receivedAt, after.id)));
        return (await q.orderBy('dossier.received_at', 'desc').orderBy('dossier.id', 'desc').limit(size).execute()).map(toListed);
      },
      f.limit,
      pageSize,
    );
  }

  /** The names of agencies valid on a day (YYYY-MM-DD): agencies are versioned, a dossier is named as when it was received. */
  async organisationNames(codes: readonly string[], at: string): Promise<Map<string, string>> {
    if (codes.length === 0) return new Map();
    const rows = await this.db.selectFrom('organisation').select(['code', 'name']).where('code', 'in', [...codes]).where(validOn(at)).execute();
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  private matching(f: DossierFilter, scope: ResolvedScope) {
    const now = f.now;
    let q = this.db
      .selectFrom('dossier')
      .leftJoin('place', 'place.id', 'dossier.place_id')
      .select([
        'dossier.id',
        'dossier.code',
        'dossier.procedure_code',
        'dossier.procedure_name',
        'dossier.org_code',
        'dossier.place_code',
        'place.name as place_name',
        'dossier.received_at',
        'dossier.due_at',
        'dossier.resolved_at',
        'dossier.channel',
      ])
      .where(dossierInScope(scope));
    if (f.orgCode) q = q.where('dossier.org_code', '=', f.orgCode);
    if (f.placeCode) {
      const code = f.placeCode;
      q = q.where((eb) => eb.or([eb('dossier.place_code', '=', code), eb('dossier.province_code', '=', code)]));
    }
    if (f.procedureCode) q = q.where('dossier.procedure_code', '=', f.procedureCode);
    if (f.receivedFrom) q = q.where('dossier.received_at', '>=', f.receivedFrom);
    if (f.receivedBefore) q = q.where('dossier.received_at', '<', f.receivedBefore);
    // In process as of `now`: not resolved, or resolved only after it (each term written so that a null never hides a row).
    if (f.status === 'resolved') q = q.where('dossier.resolved_at', '<', now);
    if (f.status === 'in_process') q = q.where((eb) => eb.or([eb('dossier.resolved_at', 'is', null), eb('dossier.resolved_at', '>=', now)]));
    if (f.late !== undefined) {
      const late = f.late;
      q = q.where((eb) => {
        const dueCmp = late ? '<' : '>=';
        const resolvedCmp = late ? '>' : '<=';
        return eb.or([
          eb.and([eb('dossier.resolved_at', 'is', null), eb('dossier.due_at', dueCmp, now)]),
          eb.and([eb('dossier.resolved_at', '>=', now), eb('dossier.due_at', dueCmp, now)]),
          eb.and([eb('dossier.resolved_at', '<', now), eb('dossier.resolved_at', resolvedCmp, eb.ref('dossier.due_at'))]),
        ]);
      });
    }
    if (f.dueWithin24h !== undefined) {
      const soon = new Date(Date.parse(now) + DAY_MS).toISOString();
      q = f.dueWithin24h
        ? q.where((eb) => eb.or([eb('dossier.resolved_at', 'is', null), eb('dossier.resolved_at', '>=', now)])).where('dossier.due_at', '>=', now).where('dossier.due_at', '<=', soon)
        : q.where((eb) => eb.or([eb('dossier.resolved_at', '<', now), eb('dossier.due_at', '<', now), eb('dossier.due_at', '>', soon)]));
    }
    return q;
  }
}

/**
 * What a list of dossiers is narrowed to. Instants are ISO strings in UTC;
 * `now` is the instant the states are judged at (a dossier resolved after
 * it is still in process), as the Decision 766 measures judge them.
 */
export interface DossierFilter {
  now: string;
  orgCode?: string | undefined;
  /** A commune or province code. */
  placeCode?: string | undefined;
  procedureCode?: string | undefined;
  status?: 'in_process' | 'resolved' | undefined;
  /** true: in process past due, or resolved after due; false: neither. */
  late?: boolean | undefined;
  /** true: in process and due within 24 hours of `now`; false: not. */
  dueWithin24h?: boolean | undefined;
  /** Received at or after this instant. */
  receivedFrom?: string | undefined;
  /** Received before this instant. */
  receivedBefore?: string | undefined;
  limit?: number | undefined;
}

/** A stored dossier as a list shows it, with the name of its place version. */
export interface ListedDossier {
  id: number;
  code: string;
  procedureCode: string;
  procedureName: string | null;
  orgCode: string;
  placeCode: string | null;
  placeName: string | null;
  receivedAt: string;
  dueAt: string;
  resolvedAt: string | null;
  channel: 'online' | 'offline';
}

const DAY_MS = 86_400_000;

/** One reported dossier total ready to store: a Decision 766 measure of an agency at a unit for a month. */
export interface DossierTotalRecord {
  orgCode: string;
  placeId: number;
  placeCode: string;
  provinceCode: string | null;
  /** YYYY-MM. */
  periodKey: string;
  indicatorCode: string;
  value: number;
}

/** A stored dossier total with where it came from. */
export interface StoredDossierTotal extends DossierTotalRecord {
  source: string;
  runId: number | null;
}

/**
 * All SQL about reported dossier totals (an agency's monthly counts sent
 * instead of its records), one row per agency, unit, month and measure.
 */
export class DossierTotalsRepository {
  constructor(private readonly db: Db) {}

  /** The totals stored for these (agency, unit, month, measure) keys. */
  async byKeys(keys: readonly Pick<DossierTotalRecord, 'orgCode' | 'placeCode' | 'periodKey' | 'indicatorCode'>[]): Promise<StoredDossierTotal[]> {
    const out: StoredDossierTotal[] = [];
    const months = [...new Set(keys.map((k) => k.periodKey))];
    const orgs = [...new Set(keys.map((k) => k.orgCode))];
    for (let i = 0; i < orgs.length; i += 500) {
      if (months.length === 0) break;
      const rows = await this.db
        .selectFrom('dossier_total')
        .selectAll()
        .where('period_key', 'in', months)
        .where('org_code', 'in', orgs.slice(i, i + 500))
        .execute();
      out.push(...rows.map(toStored));
    }
    const wanted = new Set(keys.map((k) => `${k.orgCode}\u0000${k.placeCode}\u0000${k.periodKey}\u0000${k.indicatorCode}`));
    return out.filter((r) => wanted.has(`${r.orgCode}\u0000${r.placeCode}\u0000${r.periodKey}\u0000${r.indicatorCode}`));
  }

  /** Inserts or replaces totals by key (agency, unit, month, measure): a total sent again replaces its value and its run. */
  async upsert(rows: readonly DossierTotalRecord[], prov: { source: string; runId: number | null }, now: string): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      await this.db
        .insertInto('dossier_total')
        .values(
          rows.slice(i, i + 500).map((t) => ({
            org_code: t.orgCode,
            place_id: t.placeId,
            place_code: t.placeCode,
            province_code: t.provinceCode,
            period_key: t.periodKey,
            indicator_code: t.indicatorCode,
            value: t.value,
            source: prov.source,
            run_id: prov.runId,
            updated_at: now,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['org_code', 'place_code', 'period_key', 'indicator_code']).doUpdateSet((eb) => ({
            place_id: eb.ref('excluded.place_id'),
            province_code: eb.ref('excluded.province_code'),
            value: eb.ref('excluded.value'),
            source: eb.ref('excluded.source'),
            run_id: eb.ref('excluded.run_id'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
  }

  /** Every total of some months (YYYY-MM), of one agency when given, in the scope. */
  async ofMonths(months: readonly string[], scope: ResolvedScope, orgCode?: string): Promise<StoredDossierTotal[]> {
    if (months.length === 0) return [];
    let q = this.db
      .selectFrom('dossier_total')
      .selectAll()
      .where('period_key', 'in', [...months])
      .where(inScope(scope, { placeId: 'dossier_total.place_id', orgCode: 'dossier_total.org_code' }));
    if (orgCode) q = q.where('org_code', '=', orgCode);
    return (await q.orderBy('id').execute()).map(toStored);
  }
}

function toListed(r: {
  id: number;
  code: string;
  procedure_code: string;
  procedure_name: string | null;
  org_code: string;
  place_code: string | null;
  place_name: string | null;
  received_at: string;
  due_at: string;
  resolved_at: string | null;
  channel: string;
}): ListedDossier {
  return {
    id: r.id,
    code: r.code,
    procedureCode: r.procedure_code,
    procedureName: r.procedure_name,
    orgCode: r.org_code,
    placeCode: r.place_code,
    placeName: r.place_name,
    receivedAt: r.received_at,
    dueAt: r.due_at,
    resolvedAt: r.resolved_at,
    channel: r.channel === 'online' ? 'online' : 'offline',
  };
}

function toStored(r: { org_code: string; place_id: number; place_code: string; province_code: string | null; period_key: string; indicator_code: string; value: number; source: string; run_id: number | null }): StoredDossierTotal {
  return {
    orgCode: r.org_code,
    placeId: r.place_id,
    placeCode: r.place_code,
    provinceCode: r.province_code,
    periodKey: r.period_key,
    indicatorCode: r.indicator_code,
    value: Number(r.value),
    source: r.source,
    runId: r.run_id,
  };
}
