import { sql } from 'kysely';
import { instantType, jsonType, notNull, withId, type AnyDb, type MigrationContext } from './helpers';

/**
 * Messages that reach people (e-mail, an SMS/OTT gateway such as Zalo):
 * each person's preferences (channels, addresses, the least severity they
 * want, quiet hours in Vietnam time), every message with its delivery state
 * and attempts, and how far the sender has read the alerts' timelines.
 */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .createTable('message_preference')
      .addColumn('user_id', 'integer', (c) => c.primaryKey().references('app_user.id'))
      .addColumn('channels', jsonType(engine), notNull)
      .addColumn('email', 'text')
      .addColumn('phone', 'text')
      .addColumn('zalo_id', 'text')
      .addColumn('min_severity', 'text')
      .addColumn('quiet_from', 'text')
      .addColumn('quiet_to', 'text')
      .addColumn('updated_at', instantType(engine), notNull)
      .execute();
    await withId(db.schema.createTable('user_message'), engine)
      .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
      .addColumn('channel', 'text', notNull)
      .addColumn('address', 'text', notNull)
      .addColumn('topic', 'text', notNull)
      .addColumn('source_key', 'text', notNull)
      .addColumn('severity', 'text', notNull)
      .addColumn('subject', 'text', notNull)
      .addColumn('body', 'text', notNull)
      .addColumn('status', 'text', notNull)
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', instantType(engine))
      .addColumn('last_error', 'text')
      .addColumn('created_at', instantType(engine), notNull)
      .addColumn('updated_at', instantType(engine), notNull)
      .addColumn('sent_at', instantType(engine))
      .execute();
    await db.schema.createIndex('user_message_once').on('user_message').columns(['source_key', 'user_id', 'channel']).unique().execute();
    await db.schema.createIndex('user_message_due').on('user_message').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('user_message_user').on('user_message').columns(['user_id', 'id']).execute();
    await db.schema
      .createTable('message_cursor')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('last_id', 'integer', notNull)
      .execute();
    // Alerts that opened before messages existed are not told now: the sender starts after them.
    await sql`insert into message_cursor (name, last_id) select 'alerts', coalesce(max(id), 0) from alert_event`.execute(db);
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.dropTable('message_cursor').ifExists().execute();
    await db.schema.dropTable('user_message').ifExists().execute();
    await db.schema.dropTable('message_preference').ifExists().execute();
  };
}
