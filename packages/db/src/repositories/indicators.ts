import type { Kysely, Transaction } from 'kysely';
import { indicatorDefinitionSchema, type IndicatorDefinition } from '@watchfloor/core';
import type { Database } from '../schema';

type Db = Kysely<Database> | Transaction<Database>;

/** JSON columns come back as text from SQLite and as objects from PostgreSQL. */
function readJson(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}

/** Parsed catalogues per database handle, with the stamp they were read at. */
const cache = new WeakMap<object, { stamp: string; defs: IndicatorDefinition[] }>();

/** The indicator catalogue: each definition stored whole, with its key fields as columns for filtering. */
export class IndicatorsRepository {
  constructor(private readonly db: Db) {}

  /**
   * The whole catalogue, parsed once and reused until it changes: every
   * dashboard request reads it, and parsing 100 definitions each time would
   * cost more than the figures. The stamp (count and latest update) is one
   * indexed query, so a change made through another instance is seen at once.
   */
  async all(): Promise<IndicatorDefinition[]> {
    const r = await this.db
      .selectFrom('indicator')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('m')])
      .executeTakeFirstOrThrow();
    const stamp = `${Number(r.n)}|${String(r.m)}`;
    const hit = cache.get(this.db);
    if (hit?.stamp === stamp) return hit.defs;
    const defs = await this.list();
    cache.set(this.db, { stamp, defs });
    return defs;
  }

  async list(filter: { domain?: string | undefined } = {}): Promise<IndicatorDefinition[]> {
    let q = this.db.selectFrom('indicator').select('definition').orderBy('code');
    if (filter.domain) q = q.where('domain', '=', filter.domain);
    return (await q.execute()).map((r) => indicatorDefinitionSchema.parse(readJson(r.definition)));
  }

  async get(code: string): Promise<IndicatorDefinition | undefined> {
    const r = await this.db.selectFrom('indicator').select('definition').where('code', '=', code).executeTakeFirst();
    return r ? indicatorDefinitionSchema.parse(readJson(r.definition)) : undefined;
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('indicator').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Inserts or replaces definitions by code. Validation of the whole catalogue is the caller's. */
  async upsert(defs: readonly IndicatorDefinition[], now: string): Promise<void> {
    for (let i = 0; i < defs.length; i += 200) {
      const rows = defs.slice(i, i + 200).map((d) => ({
        code: d.code,
        kind: d.kind,
        domain: d.domain,
        frequency: d.frequency,
        unit: d.unit,
        name_vi: d.names.vi,
        name_en: d.names.en,
        owner_org_code: d.ownerOrganisationCode,
        definition: JSON.stringify(d),
        updated_at: now,
      }));
      await this.db
        .insertInto('indicator')
        .values(rows)
        .onConflict((oc) =>
          oc.column('code').doUpdateSet((eb) => ({
            kind: eb.ref('excluded.kind'),
            domain: eb.ref('excluded.domain'),
            frequency: eb.ref('excluded.frequency'),
            unit: eb.ref('excluded.unit'),
            name_vi: eb.ref('excluded.name_vi'),
            name_en: eb.ref('excluded.name_en'),
            owner_org_code: eb.ref('excluded.owner_org_code'),
            definition: eb.ref('excluded.definition'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
  }
}
