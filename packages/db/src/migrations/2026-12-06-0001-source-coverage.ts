import { jsonType, type AnyDb, type MigrationContext } from './helpers';

/**
 * What a source may report for: the place subtrees and organisation
 * subtrees its rows must lie in (JSON `{ places?, organisations? }`).
 * Null: the default, its owner organisation's place subtree and the
 * owner's own organisation subtree.
 */
export function up(ctx: MigrationContext) {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.alterTable('source').addColumn('coverage', jsonType(ctx.engine)).execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.alterTable('source').dropColumn('coverage').execute();
  };
}
