import { sql } from 'kysely';
import type { Store } from './dialect';

/** Which PostgreSQL database a store is: its cluster's system identifier and the database's name. */
export interface StoreIdentity {
  systemIdentifier: string;
  database: string;
}

/**
 * Watchfloor's own database as a peer would see it, so a SQL pull can
 * recognise it by whatever host name or address it is reached (null on the
 * embedded engine, which no pull can connect to).
 */
export async function storeIdentity(store: Store): Promise<StoreIdentity | null> {
  if (store.engine !== 'postgres') return null;
  const r = await sql<StoreIdentity>`select (select system_identifier::text from pg_control_system()) as "systemIdentifier", current_database() as "database"`.execute(store.db);
  return r.rows[0] ?? null;
}
