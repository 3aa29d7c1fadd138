import { instantType, jsonType, notNull, type AnyDb, type MigrationContext } from './helpers';

/**
 * Pulls: a source's pull configuration, and a job per pulled source saying
 * when it runs next, how many attempts failed in a row, and the cursor of
 * the last committed batch (where the next pull starts). Runs get a
 * heartbeat and the instance that runs them, so a run left `running` by a
 * server that stopped is found and closed; and the code of their error.
 */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  return async (db: AnyDb): Promise<void> => {
    await db.schema.alterTable('source').addColumn('pull', jsonType(engine)).execute();
    await db.schema
      .createTable('job')
      .addColumn('source_code', 'text', (c) => c.primaryKey().references('source.code').onDelete('cascade'))
      .addColumn('next_run_at', instantType(engine))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('last_run_id', 'integer')
      .addColumn('cursor', 'text')
      .addColumn('updated_at', instantType(engine), notNull)
      .execute();
    await db.schema.createIndex('job_next_run').on('job').column('next_run_at').execute();
    await db.schema.alterTable('run').addColumn('heartbeat_at', instantType(engine)).execute();
    await db.schema.alterTable('run').addColumn('instance', 'text').execute();
    await db.schema.alterTable('run').addColumn('error_code', 'text').execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.dropTable('job').ifExists().execute();
    for (const c of ['heartbeat_at', 'instance', 'error_code']) await db.schema.alterTable('run').dropColumn(c).execute();
    await db.schema.alterTable('source').dropColumn('pull').execute();
  };
}
