import type { AnyDb } from './helpers';

/**
 * The cases in the order every list reads them, newest first: received
 * time, then id. An export of every case walks this index page by page
 * (keyset), so a list of a million cases never sorts the table nor holds
 * it in memory.
 */
export function up() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.createIndex('case_received').on('case').columns(['received_at', 'id']).execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.dropIndex('case_received').ifExists().execute();
  };
}
