import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Organisation, OrganisationKind } from '@watchfloor/core';
import type { Database, OrganisationTable } from '../schema';
import { readValidFrom, readValidTo, validOn, writeValidFrom, writeValidTo } from '../validity';

type Db = Kysely<Database> | Transaction<Database>;
export type OrganisationRow = Selectable<OrganisationTable>;

export function toOrganisation(r: OrganisationRow): Organisation {
  return {
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    kind: r.kind as OrganisationKind,
    parentCode: r.parent_code,
    placeCode: r.place_code,
    validFrom: readValidFrom(r.valid_from),
    validTo: readValidTo(r.valid_to),
    demo: r.demo === 1,
  };
}

export interface OrganisationLineageInput {
  fromCode: string;
  fromValidFrom: string | null;
  toCode: string;
  toValidFrom: string | null;
  effectiveDate: string;
  legalRef: string | null;
}

/** All SQL about organisations (agencies) and how they merged into one another. */
export class OrganisationsRepository {
  constructor(private readonly db: Db) {}

  async listAt(at: string, filter: { parentCode?: string | undefined; placeCode?: string | undefined; kind?: OrganisationKind | undefined } = {}): Promise<OrganisationRow[]> {
    let q = this.db.selectFrom('organisation').selectAll().where(validOn(at));
    if (filter.parentCode) q = q.where('parent_code', '=', filter.parentCode);
    if (filter.placeCode) q = q.where('place_code', '=', filter.placeCode);
    if (filter.kind) q = q.where('kind', '=', filter.kind);
    return q.orderBy('code').execute();
  }

  async findAt(code: string, at: string): Promise<OrganisationRow | undefined> {
    return this.db.selectFrom('organisation').selectAll().where('code', '=', code).where(validOn(at)).executeTakeFirst();
  }

  async versions(code: string): Promise<OrganisationRow[]> {
    return this.db.selectFrom('organisation').selectAll().where('code', '=', code).orderBy('valid_from').execute();
  }

  async predecessors(id: number): Promise<OrganisationRow[]> {
    return this.db
      .selectFrom('organisation_lineage as l')
      .innerJoin('organisation as o', 'o.id', 'l.from_org_id')
      .selectAll('o')
      .where('l.to_org_id', '=', id)
      .orderBy('o.code')
      .execute();
  }

  async successors(id: number): Promise<OrganisationRow[]> {
    return this.db
      .selectFrom('organisation_lineage as l')
      .innerJoin('organisation as o', 'o.id', 'l.to_org_id')
      .selectAll('o')
      .where('l.from_org_id', '=', id)
      .orderBy('o.code')
      .execute();
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('organisation').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Inserts or updates organisation versions by (code, valid_from). */
  async upsert(orgs: readonly Organisation[]): Promise<void> {
    for (let i = 0; i < orgs.length; i += 500) {
      const rows = orgs.slice(i, i + 500).map((o) => ({
        code: o.code,
        name: o.name,
        name_en: o.nameEn,
        kind: o.kind,
        parent_code: o.parentCode,
        place_code: o.placeCode,
        valid_from: writeValidFrom(o.validFrom),
        valid_to: writeValidTo(o.validTo),
        demo: o.demo ? 1 : 0,
      }));
      await this.db
        .insertInto('organisation')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(['code', 'valid_from']).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            name_en: eb.ref('excluded.name_en'),
            kind: eb.ref('excluded.kind'),
            parent_code: eb.ref('excluded.parent_code'),
            place_code: eb.ref('excluded.place_code'),
            valid_to: eb.ref('excluded.valid_to'),
            demo: eb.ref('excluded.demo'),
          })),
        )
        .execute();
    }
  }

  /** Records that organisations became others (merged, renamed); each end named by code and the first day of its version. */
  async upsertLineage(edges: readonly OrganisationLineageInput[]): Promise<number> {
    let n = 0;
    for (const e of edges) {
      const from = await this.db.selectFrom('organisation').select('id').where('code', '=', e.fromCode).where('valid_from', '=', writeValidFrom(e.fromValidFrom)).executeTakeFirst();
      const to = await this.db.selectFrom('organisation').select('id').where('code', '=', e.toCode).where('valid_from', '=', writeValidFrom(e.toValidFrom)).executeTakeFirst();
      if (!from || !to) throw new Error(`organisation lineage ${e.fromCode} → ${e.toCode}: an end is not loaded`);
      await this.db
        .insertInto('organisation_lineage')
        .values({ from_org_id: from.id, to_org_id: to.id, effective_date: e.effectiveDate, legal_ref: e.legalRef })
        .onConflict((oc) => oc.columns(['from_org_id', 'to_org_id']).doUpdateSet((eb) => ({ effective_date: eb.ref('excluded.effective_date'), legal_ref: eb.ref('excluded.legal_ref') })))
        .execute();
      n++;
    }
    return n;
  }
}
