import { sql } from 'kysely';
import { instantType, notNull, withId, type AnyDb, type Engine, type MigrationContext } from './helpers';

function blobType(engine: Engine) {
  return engine === 'postgres' ? sql`bytea` : sql`blob`;
}

/**
 * The files of leadership directives, kept as PAR Index evidence is (the
 * bytes in the row, with their SHA-256 and size): a document's own PDF
 * (no event; one per document, replaced when sent again) and the evidence
 * the lead agency attaches to one of its reports (the event it goes with).
 */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  return async (db: AnyDb): Promise<void> => {
    await withId(db.schema.createTable('directive_file'), engine)
      .addColumn('document_id', 'integer', (c) => c.notNull().references('directive_document.id'))
      .addColumn('event_id', 'integer', (c) => c.references('directive_task_event.id'))
      .addColumn('file_name', 'text', notNull)
      .addColumn('media_type', 'text', notNull)
      .addColumn('size', 'integer', notNull)
      .addColumn('sha256', 'text', notNull)
      .addColumn('content', blobType(engine), notNull)
      .addColumn('uploaded_at', instantType(engine), notNull)
      .addColumn('uploaded_by', 'text')
      .execute();
    await db.schema.createIndex('directive_file_document').on('directive_file').columns(['document_id', 'event_id']).execute();
    await db.schema.createIndex('directive_file_event').on('directive_file').columns(['event_id']).execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.dropTable('directive_file').ifExists().execute();
  };
}
