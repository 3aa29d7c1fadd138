import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema';

type Db = Kysely<Database> | Transaction<Database>;

export interface LeaseHolder {
  owner: string;
  until: string;
}

/**
 * Leases between server instances. Taking one is a single upsert that only
 * overwrites a lease that has expired or is already ours, so of several
 * instances racing for the same name exactly one gets it, on both engines
 * (PostgreSQL serialises the conflicting inserts on the primary key).
 * Instants are ISO strings in UTC, compared as such in SQLite.
 */
export class LeasesRepository {
  constructor(private readonly db: Db) {}

  /** Takes or renews `name` for `owner` for `ttlMs` from `now`; false when another owner holds it. */
  async acquire(name: string, owner: string, now: Date, ttlMs: number): Promise<boolean> {
    const at = now.toISOString();
    const until = new Date(now.getTime() + ttlMs).toISOString();
    const row = await this.db
      .insertInto('lease')
      .values({ name, owner, until, acquired_at: at })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({
            owner: (eb) => eb.ref('excluded.owner'),
            until: (eb) => eb.ref('excluded.until'),
            // Renewing keeps the first acquisition; taking over starts a new one.
            acquired_at: (eb) => eb.case().when('lease.owner', '=', owner).then(eb.ref('lease.acquired_at')).else(eb.ref('excluded.acquired_at')).end(),
          })
          .where((eb) => eb.or([eb('lease.until', '<=', at), eb('lease.owner', '=', owner)])),
      )
      .returning('owner')
      .executeTakeFirst();
    return row?.owner === owner;
  }

  /** Gives `name` up, if `owner` holds it. */
  async release(name: string, owner: string): Promise<void> {
    await this.db.deleteFrom('lease').where('name', '=', name).where('owner', '=', owner).execute();
  }

  /** Who holds `name` now, if anyone. */
  async holder(name: string, now: Date): Promise<LeaseHolder | undefined> {
    const r = await this.db.selectFrom('lease').select(['owner', 'until']).where('name', '=', name).where('until', '>', now.toISOString()).executeTakeFirst();
    return r ? { owner: r.owner, until: r.until } : undefined;
  }
}
