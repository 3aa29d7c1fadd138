import { sql } from 'kysely';
import { instantType, jsonType, notNull, withId, type AnyDb, type Engine, type MigrationContext } from './helpers';

function blobType(engine: Engine) {
  return engine === 'postgres' ? sql`bytea` : sql`blob`;
}

/**
 * Reports sent on a schedule: each schedule (a JSON document, as templates
 * are) with the instant it next runs; the archive of every rendering (one per
 * schedule and period, the file and its SHA-256); and each rendering's
 * delivery to each recipient, with its attempts.
 */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .createTable('report_schedule')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('document', jsonType(engine), notNull)
      .addColumn('next_run_at', instantType(engine))
      .addColumn('created_at', instantType(engine), notNull)
      .addColumn('updated_at', instantType(engine), notNull)
      .execute();
    await withId(db.schema.createTable('report_rendering'), engine)
      .addColumn('schedule_code', 'text', notNull)
      .addColumn('template_code', 'text', notNull)
      .addColumn('period_key', 'text', notNull)
      .addColumn('format', 'text', notNull)
      .addColumn('rendered_at', instantType(engine), notNull)
      .addColumn('sha256', 'text', notNull)
      .addColumn('size', 'integer', notNull)
      .addColumn('content', blobType(engine), notNull)
      .execute();
    await db.schema.createIndex('report_rendering_once').on('report_rendering').columns(['schedule_code', 'period_key']).unique().execute();
    await withId(db.schema.createTable('report_delivery'), engine)
      .addColumn('rendering_id', 'integer', (c) => c.notNull().references('report_rendering.id'))
      .addColumn('address', 'text', notNull)
      .addColumn('status', 'text', notNull)
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', instantType(engine))
      .addColumn('last_error', 'text')
      .addColumn('updated_at', instantType(engine), notNull)
      .addColumn('sent_at', instantType(engine))
      .execute();
    await db.schema.createIndex('report_delivery_once').on('report_delivery').columns(['rendering_id', 'address']).unique().execute();
    await db.schema.createIndex('report_delivery_due').on('report_delivery').columns(['status', 'next_attempt_at']).execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.dropTable('report_delivery').ifExists().execute();
    await db.schema.dropTable('report_rendering').ifExists().execute();
    await db.schema.dropTable('report_schedule').ifExists().execute();
  };
}
