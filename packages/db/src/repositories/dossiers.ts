import type { Kysely, Transaction } from 'kysely';
import type { Dossier } from '@watchfloor/core';
import type { Database } from '../schema';
import { inScope, type ResolvedScope } from '../scope';

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
}
