import { instantType, jsonType, notNull, type AnyDb, type MigrationContext } from './helpers';

/**
 * Report templates: the monthly documents a provincial office writes (the
 * socio-economic situation report, the administrative-procedure report),
 * stored as JSON documents by code, as dashboards are, and edited by data
 * stewards.
 */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .createTable('report_template')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('document', jsonType(engine), notNull)
      .addColumn('created_at', instantType(engine), notNull)
      .addColumn('updated_at', instantType(engine), notNull)
      .execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.dropTable('report_template').ifExists().execute();
  };
}
