import { sql } from 'kysely';
import { instantType, notNull, withId, type AnyDb, type MigrationContext } from './helpers';

const STEP_COLUMNS = sql.raw('step, title, role, expected_minutes, done_at, done_by');

/**
 * One table for the steps of a procedure (SOP), whether it is followed on a
 * case or on an alert: `sop_step` belongs to exactly one case or one alert
 * (a check holds it to one), numbered from 1 within it, and goes with it.
 * The steps of `case_sop_step` and `alert_sop_step` move into it whole,
 * their done marks included, and those two tables go.
 */
export function up(ctx: MigrationContext) {
  return async (db: AnyDb): Promise<void> => {
    await withId(db.schema.createTable('sop_step'), ctx.engine)
      .addColumn('case_id', 'integer', (c) => c.references('case.id').onDelete('cascade'))
      .addColumn('alert_id', 'integer', (c) => c.references('alert.id').onDelete('cascade'))
      .addColumn('step', 'integer', notNull)
      .addColumn('title', 'text', notNull)
      .addColumn('role', 'text', notNull)
      .addColumn('expected_minutes', 'integer', notNull)
      .addColumn('done_at', instantType(ctx.engine))
      .addColumn('done_by', 'text')
      .addCheckConstraint('sop_step_one_owner', sql`(case_id is null) <> (alert_id is null)`)
      .addUniqueConstraint('sop_step_case_key', ['case_id', 'step'])
      .addUniqueConstraint('sop_step_alert_key', ['alert_id', 'step'])
      .execute();
    await sql`insert into sop_step (case_id, ${STEP_COLUMNS}) select case_id, ${STEP_COLUMNS} from case_sop_step order by id`.execute(db);
    await sql`insert into sop_step (alert_id, ${STEP_COLUMNS}) select alert_id, ${STEP_COLUMNS} from alert_sop_step order by id`.execute(db);
    await db.schema.dropTable('case_sop_step').execute();
    await db.schema.dropTable('alert_sop_step').execute();
  };
}

/** Back to a table per kind of owner, as 0004 and 0010 made them, with the steps moved back. */
export function down(ctx: MigrationContext) {
  return async (db: AnyDb): Promise<void> => {
    await withId(db.schema.createTable('case_sop_step'), ctx.engine)
      .addColumn('case_id', 'integer', (c) => c.notNull().references('case.id').onDelete('cascade'))
      .addColumn('step', 'integer', notNull)
      .addColumn('title', 'text', notNull)
      .addColumn('role', 'text', notNull)
      .addColumn('expected_minutes', 'integer', notNull)
      .addColumn('done_at', instantType(ctx.engine))
      .addColumn('done_by', 'text')
      .addUniqueConstraint('case_sop_step_key', ['case_id', 'step'])
      .execute();
    await withId(db.schema.createTable('alert_sop_step'), ctx.engine)
      .addColumn('alert_id', 'integer', (c) => c.notNull().references('alert.id').onDelete('cascade'))
      .addColumn('step', 'integer', notNull)
      .addColumn('title', 'text', notNull)
      .addColumn('role', 'text', notNull)
      .addColumn('expected_minutes', 'integer', notNull)
      .addColumn('done_at', instantType(ctx.engine))
      .addColumn('done_by', 'text')
      .addUniqueConstraint('alert_sop_step_key', ['alert_id', 'step'])
      .execute();
    await sql`insert into case_sop_step (case_id, ${STEP_COLUMNS}) select case_id, ${STEP_COLUMNS} from sop_step where case_id is not null order by id`.execute(db);
    await sql`insert into alert_sop_step (alert_id, ${STEP_COLUMNS}) select alert_id, ${STEP_COLUMNS} from sop_step where alert_id is not null order by id`.execute(db);
    await db.schema.dropTable('sop_step').execute();
  };
}
