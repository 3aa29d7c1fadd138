import type { AnyDb, MigrationContext } from './helpers';

/**
 * What a run found doubtful without refusing a row, kept with it (JSON
 * text): a file's total row ("Tổng cộng") that differs from the sum of its
 * rows beyond rounding. Null: nothing doubtful.
 */
export function up(_ctx: MigrationContext) {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.alterTable('run').addColumn('warnings', 'text').execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.alterTable('run').dropColumn('warnings').execute();
  };
}
