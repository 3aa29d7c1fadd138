import { sql } from 'kysely';
import { instantType, jsonType, notNull, withId, type AnyDb, type MigrationContext } from './helpers';

/**
 * Alerting: rules, the alerts they raise with a timeline, what each rule
 * last saw of a subject (readings' previous value and time), notifications
 * (webhook attempts), and the procedure steps started on an alert. A
 * partial unique index keeps one unresolved alert per rule × subject, so
 * two evaluations racing on PostgreSQL still open one. An alert is raised
 * by a rule (origin `rule`) or imported from CAP (origin `cap`, no rule);
 * `public` ones are published in the CAP feed.
 */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  const real = engine === 'postgres' ? 'double precision' : 'real';
  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .createTable('alert_rule')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('name_vi', 'text', notNull)
      .addColumn('name_en', 'text', notNull)
      .addColumn('kind', 'text', notNull)
      .addColumn('subject', jsonType(engine), notNull)
      .addColumn('parameters', jsonType(engine), notNull)
      .addColumn('severity', 'text', notNull)
      .addColumn('escalation', jsonType(engine), notNull)
      .addColumn('webhook', 'text')
      .addColumn('sop', jsonType(engine), notNull)
      .addColumn('public', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('demo', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', instantType(engine), notNull)
      .addColumn('updated_at', instantType(engine), notNull)
      .execute();

    await withId(db.schema.createTable('alert'), engine)
      .addColumn('origin', 'text', (c) => c.notNull().defaultTo('rule'))
      .addColumn('rule_code', 'text', (c) => c.references('alert_rule.code').onDelete('cascade'))
      .addColumn('subject_key', 'text', notNull)
      .addColumn('place_code', 'text')
      .addColumn('org_code', 'text')
      .addColumn('severity', 'text', notNull)
      .addColumn('status', 'text', notNull)
      .addColumn('opened_at', instantType(engine), notNull)
      .addColumn('value', real)
      .addColumn('message', 'text', notNull)
      .addColumn('acknowledged_by', 'text')
      .addColumn('acknowledged_at', instantType(engine))
      .addColumn('resolved_by', 'text')
      .addColumn('resolved_at', instantType(engine))
      .addColumn('auto_resolved', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('sop_started_at', instantType(engine))
      .addColumn('public', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('published_at', instantType(engine))
      .addColumn('expires_at', instantType(engine))
      .addColumn('updated_at', instantType(engine), notNull)
      .execute();
    await sql`create unique index alert_unresolved_key on alert (rule_code, subject_key) where status <> 'resolved'`.execute(db);
    // CAP alerts have no rule (NULLs are distinct above): one unresolved per sender × identifier of the first message.
    await sql`create unique index alert_cap_unresolved_key on alert (subject_key) where origin = 'cap' and status <> 'resolved'`.execute(db);
    await db.schema.createIndex('alert_public').on('alert').columns(['public', 'status']).execute();
    await db.schema.createIndex('alert_status_opened').on('alert').columns(['status', 'opened_at']).execute();
    await db.schema.createIndex('alert_place').on('alert').columns(['place_code', 'opened_at']).execute();

    await withId(db.schema.createTable('alert_event'), engine)
      .addColumn('alert_id', 'integer', (c) => c.notNull().references('alert.id').onDelete('cascade'))
      .addColumn('at', instantType(engine), notNull)
      .addColumn('actor', 'text', notNull)
      .addColumn('kind', 'text', notNull)
      .addColumn('value', real)
      .addColumn('note', 'text')
      .execute();
    await db.schema.createIndex('alert_event_alert').on('alert_event').columns(['alert_id', 'id']).execute();

    await db.schema
      .createTable('alert_subject')
      .addColumn('origin', 'text', (c) => c.notNull().defaultTo('rule'))
      .addColumn('rule_code', 'text', (c) => c.references('alert_rule.code').onDelete('cascade'))
      .addColumn('subject_key', 'text', notNull)
      .addColumn('place_code', 'text')
      .addColumn('last_at', instantType(engine), notNull)
      .addColumn('last_value', real)
      .addPrimaryKeyConstraint('alert_subject_pk', ['rule_code', 'subject_key'])
      .execute();

    await withId(db.schema.createTable('notification'), engine)
      .addColumn('alert_id', 'integer', (c) => c.notNull().references('alert.id').onDelete('cascade'))
      .addColumn('channel', 'text', notNull)
      .addColumn('target', 'text', notNull)
      .addColumn('payload', jsonType(engine), notNull)
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', instantType(engine))
      .addColumn('status', 'text', notNull)
      .addColumn('last_error', 'text')
      .addColumn('created_at', instantType(engine), notNull)
      .addColumn('updated_at', instantType(engine), notNull)
      .execute();
    await db.schema.createIndex('notification_due').on('notification').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('notification_alert').on('notification').columns(['alert_id']).execute();

    await withId(db.schema.createTable('alert_sop_step'), engine)
      .addColumn('alert_id', 'integer', (c) => c.notNull().references('alert.id').onDelete('cascade'))
      .addColumn('step', 'integer', notNull)
      .addColumn('title', 'text', notNull)
      .addColumn('role', 'text', notNull)
      .addColumn('expected_minutes', 'integer', notNull)
      .addColumn('done_at', instantType(engine))
      .addColumn('done_by', 'text')
      .addUniqueConstraint('alert_sop_step_key', ['alert_id', 'step'])
      .execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    for (const t of ['alert_sop_step', 'notification', 'alert_subject', 'alert_event', 'alert', 'alert_rule']) await db.schema.dropTable(t).ifExists().execute();
  };
}
