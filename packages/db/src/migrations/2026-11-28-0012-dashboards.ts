import { instantType, jsonType, notNull, type AnyDb, type MigrationContext } from './helpers';

/**
 * Dashboards and the video wall's playlists, stored as whole documents
 * (validated in core before they are written) with their code as the key.
 */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .createTable('dashboard')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('document', jsonType(engine), notNull)
      .addColumn('created_at', instantType(engine), notNull)
      .addColumn('updated_at', instantType(engine), notNull)
      .execute();
    await db.schema
      .createTable('playlist')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('document', jsonType(engine), notNull)
      .addColumn('created_at', instantType(engine), notNull)
      .addColumn('updated_at', instantType(engine), notNull)
      .execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.dropTable('playlist').ifExists().execute();
    await db.schema.dropTable('dashboard').ifExists().execute();
  };
}
