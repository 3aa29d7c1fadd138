import { instantType, notNull, withId, type AnyDb, type MigrationContext } from './helpers';

/**
 * Public-service dossiers (hồ sơ TTHC), one row per dossier, keyed by the
 * dossier's own code, with the place version valid when it was received
 * and that place's province, so the Decision 766 measures can be counted
 * per agency, place and period straight from the rows.
 */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  return async (db: AnyDb): Promise<void> => {
    await withId(db.schema.createTable('dossier'), engine)
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('procedure_code', 'text', notNull)
      .addColumn('procedure_name', 'text')
      .addColumn('org_code', 'text', notNull)
      .addColumn('place_id', 'integer', (c) => c.references('place.id'))
      .addColumn('place_code', 'text')
      .addColumn('province_code', 'text')
      .addColumn('received_at', instantType(engine), notNull)
      .addColumn('due_at', instantType(engine), notNull)
      .addColumn('resolved_at', instantType(engine))
      .addColumn('channel', 'text', notNull)
      .addColumn('paid_online', 'integer', notNull)
      .addColumn('updated_at', instantType(engine), notNull)
      .execute();
    await db.schema.createIndex('dossier_org_received').on('dossier').columns(['org_code', 'received_at']).execute();
    await db.schema.createIndex('dossier_place_received').on('dossier').columns(['place_code', 'received_at']).execute();
    await db.schema.createIndex('dossier_province_received').on('dossier').columns(['province_code', 'received_at']).execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.dropTable('dossier').ifExists().execute();
  };
}
