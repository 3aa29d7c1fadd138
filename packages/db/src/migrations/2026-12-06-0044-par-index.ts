import { sql } from 'kysely';
import { dateType, instantType, jsonType, notNull, withId, type AnyDb, type Engine, type MigrationContext } from './helpers';

/**
 * The PAR Index drive (Chỉ số cải cách hành chính): frameworks stored as
 * whole documents by code; one assessment cycle per framework with its
 * deadlines; each unit's assessment (its step, who took each step, when);
 * its points per criterion at each step with the words behind them; the
 * evidence files attached, stored with their hash and size.
 *
 * Points are kept exactly to two decimals: numeric(9,2) in PostgreSQL; in
 * SQLite a real holding the value the server rounded to two decimals,
 * read back as the same number.
 */
function pointsType(engine: Engine) {
  return engine === 'postgres' ? sql`numeric(9,2)` : sql`real`;
}

function blobType(engine: Engine) {
  return engine === 'postgres' ? sql`bytea` : sql`blob`;
}

export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  const points = pointsType(engine);
  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .createTable('par_framework')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('year', 'integer', notNull)
      .addColumn('document', jsonType(engine), notNull)
      .addColumn('example', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', instantType(engine), notNull)
      .addColumn('created_by', 'text')
      .addColumn('updated_at', instantType(engine), notNull)
      .addColumn('updated_by', 'text')
      .execute();

    await withId(db.schema.createTable('par_cycle'), engine)
      .addColumn('framework_code', 'text', (c) => c.notNull().references('par_framework.code'))
      .addColumn('year', 'integer', notNull)
      .addColumn('self_assessment_due', dateType(engine), notNull)
      .addColumn('appraisal_due', dateType(engine), notNull)
      .addColumn('response_days', 'integer', notNull)
      .addColumn('opened_at', instantType(engine), notNull)
      .addColumn('opened_by', 'text')
      .addColumn('published_at', instantType(engine))
      .addColumn('published_by', 'text')
      .addUniqueConstraint('par_cycle_framework', ['framework_code'])
      .execute();
    await db.schema.createIndex('par_cycle_year').on('par_cycle').columns(['year']).execute();

    await db.schema
      .createTable('par_assessment')
      .addColumn('cycle_id', 'integer', (c) => c.notNull().references('par_cycle.id'))
      .addColumn('organisation_code', 'text', notNull)
      .addColumn('unit_name', 'text', notNull)
      .addColumn('unit_name_en', 'text')
      .addColumn('unit_kind', 'text', notNull)
      .addColumn('place_code', 'text')
      .addColumn('status', 'text', notNull)
      .addColumn('submitted_at', instantType(engine))
      .addColumn('submitted_by', 'text')
      .addColumn('returned_on', dateType(engine))
      .addColumn('returned_at', instantType(engine))
      .addColumn('returned_by', 'text')
      .addColumn('answered_at', instantType(engine))
      .addColumn('answered_by', 'text')
      .addColumn('decided_at', instantType(engine))
      .addColumn('decided_by', 'text')
      .addPrimaryKeyConstraint('par_assessment_pk', ['cycle_id', 'organisation_code'])
      .execute();

    await db.schema
      .createTable('par_score')
      .addColumn('cycle_id', 'integer', notNull)
      .addColumn('organisation_code', 'text', notNull)
      .addColumn('node_code', 'text', notNull)
      .addColumn('self_points', points)
      .addColumn('note', 'text')
      .addColumn('computed_points', points)
      .addColumn('computed_basis', jsonType(engine))
      .addColumn('dispute', 'text')
      .addColumn('appraised_points', points)
      .addColumn('appraisal_reason', 'text')
      .addColumn('response', 'text')
      .addColumn('final_points', points)
      .addColumn('final_reason', 'text')
      .addColumn('updated_at', instantType(engine), notNull)
      .addColumn('updated_by', 'text')
      .addPrimaryKeyConstraint('par_score_pk', ['cycle_id', 'organisation_code', 'node_code'])
      .addForeignKeyConstraint('par_score_assessment', ['cycle_id', 'organisation_code'], 'par_assessment', ['cycle_id', 'organisation_code'])
      .execute();

    await withId(db.schema.createTable('par_evidence'), engine)
      .addColumn('cycle_id', 'integer', notNull)
      .addColumn('organisation_code', 'text', notNull)
      .addColumn('node_code', 'text', notNull)
      .addColumn('file_name', 'text', notNull)
      .addColumn('media_type', 'text', notNull)
      .addColumn('size', 'integer', notNull)
      .addColumn('sha256', 'text', notNull)
      .addColumn('content', blobType(engine), notNull)
      .addColumn('uploaded_at', instantType(engine), notNull)
      .addColumn('uploaded_by', 'text')
      .addForeignKeyConstraint('par_evidence_assessment', ['cycle_id', 'organisation_code'], 'par_assessment', ['cycle_id', 'organisation_code'])
      .execute();
    await db.schema.createIndex('par_evidence_leaf').on('par_evidence').columns(['cycle_id', 'organisation_code', 'node_code']).execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.dropTable('par_evidence').ifExists().execute();
    await db.schema.dropTable('par_score').ifExists().execute();
    await db.schema.dropTable('par_assessment').ifExists().execute();
    await db.schema.dropTable('par_cycle').ifExists().execute();
    await db.schema.dropTable('par_framework').ifExists().execute();
  };
}
