import { sql } from 'kysely';
import { instantType, jsonType, notNull, type AnyDb, type MigrationContext } from './helpers';

/**
 * Messages of every topic, and defaults per role: what an administrator sets
 * for everyone of a role who has not set their own (channels, the least
 * severity, topics, quiet hours); each person's topics, language and
 * whether they follow their roles' defaults; the source events already
 * turned into messages (a dossier's deadline, a source's lateness), so a
 * repeated tick passes them by; the open dossiers by deadline, which the
 * sender reads a window of; and the cursors over the cases' timelines and
 * the reports' archive, started after what is there.
 */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .createTable('message_role_preference')
      .addColumn('role', 'text', (c) => c.primaryKey())
      .addColumn('channels', jsonType(engine), notNull)
      .addColumn('min_severity', 'text', notNull)
      .addColumn('topics', jsonType(engine), notNull)
      .addColumn('quiet_from', 'text')
      .addColumn('quiet_to', 'text')
      .addColumn('updated_at', instantType(engine), notNull)
      .execute();
    await db.schema.alterTable('message_preference').addColumn('topics', jsonType(engine)).execute();
    await db.schema.alterTable('message_preference').addColumn('language', 'text').execute();
    await db.schema.alterTable('message_preference').addColumn('follow_role', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema
      .createTable('message_source')
      .addColumn('source_key', 'text', (c) => c.primaryKey())
      .addColumn('topic', 'text', notNull)
      .addColumn('at', instantType(engine), notNull)
      .execute();
    await db.schema.createIndex('dossier_open_due').on('dossier').columns(['resolved_at', 'due_at']).execute();
    // Cases routed and reports archived before messages of them existed are not told now.
    await sql`insert into message_cursor (name, last_id) select 'case_events', coalesce(max(id), 0) from case_event`.execute(db);
    await sql`insert into message_cursor (name, last_id) select 'report_renderings', coalesce(max(id), 0) from report_rendering`.execute(db);
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.deleteFrom('message_cursor').where('name', 'in', ['case_events', 'report_renderings']).execute();
    await db.schema.dropIndex('dossier_open_due').ifExists().execute();
    await db.schema.dropTable('message_source').ifExists().execute();
    await db.schema.alterTable('message_preference').dropColumn('follow_role').execute();
    await db.schema.alterTable('message_preference').dropColumn('language').execute();
    await db.schema.alterTable('message_preference').dropColumn('topics').execute();
    await db.schema.dropTable('message_role_preference').ifExists().execute();
  };
}
