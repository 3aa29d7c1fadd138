import { sql } from 'kysely';
import { dateType, instantType, jsonType, notNull, withId, type AnyDb, type MigrationContext } from './helpers';

/**
 * Sources (nguồn dữ liệu) and their ingestion runs (lần đồng bộ), with the
 * rows each run refused kept verbatim so they can be fixed and sent again.
 * Credentials are stored encrypted by the server (the database never sees
 * them in clear); a push token only as its SHA-256.
 */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .createTable('source')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', notNull)
      .addColumn('kind', 'text', notNull)
      .addColumn('owner_org_code', 'text', notNull)
      .addColumn('schedule', 'text')
      .addColumn('expected', jsonType(engine))
      .addColumn('mapping', jsonType(engine))
      .addColumn('credentials_enc', 'text')
      .addColumn('token_hash', 'text')
      .addColumn('enabled', 'integer', notNull)
      .addColumn('last_arrival_at', instantType(engine))
      .addColumn('last_period_end', dateType(engine))
      .addColumn('created_at', instantType(engine), notNull)
      .addColumn('updated_at', instantType(engine), notNull)
      .execute();
    await db.schema.createIndex('source_owner').on('source').column('owner_org_code').execute();

    await withId(db.schema.createTable('run'), engine)
      .addColumn('source_code', 'text', (c) => c.notNull().references('source.code'))
      .addColumn('channel', 'text', notNull)
      .addColumn('status', 'text', notNull)
      .addColumn('started_at', instantType(engine), notNull)
      .addColumn('finished_at', instantType(engine))
      .addColumn('duration_ms', 'integer')
      .addColumn('rows_read', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rows_accepted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rows_rejected', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rows_created', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rows_revised', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rows_unchanged', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('file_name', 'text')
      .addColumn('error', 'text')
      .addColumn('checkpoint', jsonType(engine))
      .execute();
    await db.schema.createIndex('run_source').on('run').columns(['source_code', 'id']).execute();
    // Runs still marked running are found after a crash.
    await db.schema.createIndex('run_status').on('run').columns(['status', 'started_at']).execute();

    await withId(db.schema.createTable('rejected_row'), engine)
      .addColumn('run_id', 'integer', (c) => c.notNull().references('run.id').onDelete('cascade'))
      .addColumn('row_index', 'integer', notNull)
      .addColumn('line', 'integer')
      .addColumn('reason', 'text', notNull)
      .addColumn('message', 'text', notNull)
      .addColumn('raw', 'text', notNull)
      .addColumn('row_json', 'text')
      .execute();
    await db.schema.createIndex('rejected_row_run').on('rejected_row').columns(['run_id', 'row_index']).execute();

    // Observations point at the run that wrote them; finding a run's facts is an index lookup.
    await db.schema.createIndex('observation_run').on('observation').column('run_id').where(sql.ref('run_id'), 'is not', null).execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.dropIndex('observation_run').ifExists().execute();
    for (const t of ['rejected_row', 'run', 'source']) await db.schema.dropTable(t).ifExists().execute();
  };
}
