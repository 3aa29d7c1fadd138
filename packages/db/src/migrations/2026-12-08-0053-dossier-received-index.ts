import type { AnyDb } from './helpers';

/**
 * The dossiers in the order their list reads them, newest received first:
 * received time, then id. An export of every dossier walks this index page
 * by page (keyset), so a list of any length is never sorted whole nor held
 * in memory.
 */
export function up() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.createIndex('dossier_received').on('dossier').columns(['received_at', 'id']).execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.dropIndex('dossier_received').ifExists().execute();
  };
}
