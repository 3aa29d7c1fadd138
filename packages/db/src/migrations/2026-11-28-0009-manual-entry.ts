import type { AnyDb, MigrationContext } from './helpers';

/**
 * Manual entry and freshness per indicator. A run records who typed its
 * figures (an agency officer filling in the month's form). Two indexes make
 * "when did this indicator last arrive, from which source, and up to which
 * period" an index seek per indicator rather than a scan of every fact.
 */
export function up(_ctx: MigrationContext) {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.alterTable('run').addColumn('entered_by', 'text').execute();
    await db.schema.createIndex('observation_indicator_recorded').on('observation').columns(['indicator_code', 'recorded_at']).execute();
    await db.schema.createIndex('observation_indicator_end').on('observation').columns(['indicator_code', 'period_end']).execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.dropIndex('observation_indicator_end').ifExists().execute();
    await db.schema.dropIndex('observation_indicator_recorded').ifExists().execute();
    await db.schema.alterTable('run').dropColumn('entered_by').execute();
  };
}
