import { instantType, notNull, withId, type AnyDb, type MigrationContext } from './helpers';

/**
 * Dossier totals an agency reports for a month (received, resolved on time,
 * late, pending …) instead of its dossier records: one count per agency,
 * unit, month and Decision 766 measure (a PS_DOSSIER_* indicator), with
 * the source and run that sent it. They are counted into the measures of
 * a cell (agency × unit × month) that holds no dossier record; a cell with
 * records keeps its totals here, uncounted.
 */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  return async (db: AnyDb): Promise<void> => {
    await withId(db.schema.createTable('dossier_total'), engine)
      .addColumn('org_code', 'text', notNull)
      .addColumn('place_id', 'integer', (c) => c.notNull().references('place.id'))
      .addColumn('place_code', 'text', notNull)
      .addColumn('province_code', 'text')
      .addColumn('period_key', 'text', notNull)
      .addColumn('indicator_code', 'text', notNull)
      .addColumn('value', 'integer', notNull)
      .addColumn('source', 'text', notNull)
      .addColumn('run_id', 'integer')
      .addColumn('updated_at', instantType(engine), notNull)
      .addUniqueConstraint('dossier_total_key', ['org_code', 'place_code', 'period_key', 'indicator_code'])
      .execute();
    await db.schema.createIndex('dossier_total_period').on('dossier_total').columns(['period_key', 'org_code']).execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.dropTable('dossier_total').ifExists().execute();
  };
}
