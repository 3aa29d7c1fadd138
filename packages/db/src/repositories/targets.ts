import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema';
import { inScope, type ResolvedScope } from '../scope';

type Db = Kysely<Database> | Transaction<Database>;

export interface TargetInput {
  indicatorCode: string;
  placeId: number;
  placeCode: string;
  periodKey: string;
  value: number;
  source: string;
}

/** Planned values (kế hoạch) per indicator × place × period. */
export class TargetsRepository {
  constructor(private readonly db: Db) {}

  async upsert(targets: readonly TargetInput[], now: string): Promise<void> {
    for (let i = 0; i < targets.length; i += 500) {
      await this.db
        .insertInto('target')
        .values(
          targets.slice(i, i + 500).map((t) => ({
            indicator_code: t.indicatorCode,
            place_id: t.placeId,
            place_code: t.placeCode,
            period_key: t.periodKey,
            value: t.value,
            source: t.source,
            updated_at: now,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['indicator_code', 'place_id', 'period_key']).doUpdateSet((eb) => ({
            value: eb.ref('excluded.value'),
            source: eb.ref('excluded.source'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
  }

  /** Targets of one place for the given periods, optionally of some indicators. */
  async forPlace(placeId: number, periodKeys: readonly string[], indicatorCodes?: readonly string[]) {
    if (periodKeys.length === 0) return [];
    let q = this.db.selectFrom('target').selectAll().where('place_id', '=', placeId).where('period_key', 'in', periodKeys);
    if (indicatorCodes?.length) q = q.where('indicator_code', 'in', indicatorCodes);
    return q.execute();
  }

  /**
   * Targets the scope reaches, matching every given filter; `placeCode`
   * matches any version of that code, `placeId` one version. A plan is
   * judged as the figures it is compared with are: by its place (a grant's
   * organisation reaching the places under that organisation's place).
   */
  async list(filter: { indicatorCode?: string | undefined; placeId?: number | undefined; placeCode?: string | undefined; periodKey?: string | undefined }, scope: ResolvedScope) {
    let q = this.db.selectFrom('target').selectAll().where(targetInScope(scope)).orderBy('indicator_code').orderBy('place_code').orderBy('period_key');
    if (filter.indicatorCode) q = q.where('indicator_code', '=', filter.indicatorCode);
    if (filter.placeId !== undefined) q = q.where('place_id', '=', filter.placeId);
    if (filter.placeCode) q = q.where('place_code', '=', filter.placeCode);
    if (filter.periodKey) q = q.where('period_key', '=', filter.periodKey);
    return q.execute();
  }
}

/** Where a target is judged for access: its place version, as figures are. */
export function targetInScope(scope: ResolvedScope) {
  return inScope(scope, { placeId: 'target.place_id', placeOfOrg: true });
}
