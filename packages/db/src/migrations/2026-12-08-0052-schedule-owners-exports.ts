import { jsonType, type AnyDb, type MigrationContext } from './helpers';

/**
 * Scheduled reports run as the person who saved them and may send the
 * export of a table: each schedule keeps its owner (login and roles, JSON;
 * null for schedules saved before, which run as the whole province reads);
 * each rendering says whether it is a report or an export, and a run that
 * made no file is kept with its error (no content, an empty SHA-256) so the
 * archive says why nothing was sent.
 */
export function up(ctx: MigrationContext) {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.alterTable('report_schedule').addColumn('owner', jsonType(ctx.engine)).execute();
    await db.schema.alterTable('report_rendering').addColumn('kind', 'text', (c) => c.notNull().defaultTo('report')).execute();
    await db.schema.alterTable('report_rendering').addColumn('error', 'text').execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.alterTable('report_rendering').dropColumn('error').execute();
    await db.schema.alterTable('report_rendering').dropColumn('kind').execute();
    await db.schema.alterTable('report_schedule').dropColumn('owner').execute();
  };
}
