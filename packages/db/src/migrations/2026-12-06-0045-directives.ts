import { dateType, instantType, jsonType, notNull, withId, type AnyDb, type MigrationContext } from './helpers';

/**
 * Leadership directives (văn bản chỉ đạo): documents by their number and
 * symbol (kept as written, unique by its normalised form), their tasks by
 * key within the document with their terms (lead and co-operating agencies,
 * deadline or recurrence, links), and each task's events, addressed by task
 * and occurrence (null for a task due once), append only. No status is
 * stored: a task's state is folded from its events at the instant asked.
 */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  return async (db: AnyDb): Promise<void> => {
    await withId(db.schema.createTable('directive_document'), engine)
      .addColumn('number', 'text', notNull)
      .addColumn('number_key', 'text', notNull)
      .addColumn('date', dateType(engine), notNull)
      .addColumn('issuer', 'text', notNull)
      .addColumn('signer', 'text', notNull)
      .addColumn('kind', 'text', notNull)
      .addColumn('summary', 'text', notNull)
      .addColumn('confirm_done', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('published', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('synthetic', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', instantType(engine), notNull)
      .addColumn('created_by', 'text')
      .addColumn('updated_at', instantType(engine), notNull)
      .addColumn('updated_by', 'text')
      .addUniqueConstraint('directive_document_number', ['number_key'])
      .execute();
    await db.schema.createIndex('directive_document_date').on('directive_document').columns(['date']).execute();

    await withId(db.schema.createTable('directive_task'), engine)
      .addColumn('document_id', 'integer', (c) => c.notNull().references('directive_document.id'))
      .addColumn('key', 'text', notNull)
      .addColumn('text', 'text', notNull)
      .addColumn('lead', 'text', notNull)
      .addColumn('cooperating', jsonType(engine), notNull)
      .addColumn('deadline', jsonType(engine), notNull)
      .addColumn('links', jsonType(engine), notNull)
      .addColumn('missing', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', instantType(engine), notNull)
      .addColumn('updated_at', instantType(engine), notNull)
      .addUniqueConstraint('directive_task_key', ['document_id', 'key'])
      .execute();
    await db.schema.createIndex('directive_task_lead').on('directive_task').columns(['lead']).execute();

    await withId(db.schema.createTable('directive_task_event'), engine)
      .addColumn('task_id', 'integer', (c) => c.notNull().references('directive_task.id'))
      .addColumn('occurrence', 'text')
      .addColumn('kind', 'text', notNull)
      .addColumn('at', instantType(engine), notNull)
      .addColumn('by', 'text')
      .addColumn('actor', 'text', notNull)
      .addColumn('percent', 'integer')
      .addColumn('text', 'text')
      .addColumn('until', dateType(engine))
      .addColumn('reason', 'text')
      .execute();
    await db.schema.createIndex('directive_task_event_task').on('directive_task_event').columns(['task_id', 'occurrence']).execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.dropTable('directive_task_event').ifExists().execute();
    await db.schema.dropTable('directive_task').ifExists().execute();
    await db.schema.dropTable('directive_document').ifExists().execute();
  };
}
