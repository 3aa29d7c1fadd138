import type { AnyDb, MigrationContext } from './helpers';

/**
 * What a datastream asks of its readings: a valid range in its own unit
 * (null bounds: the indicator's range), the share of a day's hours that must
 * hold a reading before the day gets a mean (null: the default, 75 %), and
 * what a day short of it gets (`omit`: no figure; `estimated`: its mean
 * stored with status estimated).
 */
export function up(ctx: MigrationContext) {
  const real = ctx.engine === 'postgres' ? 'double precision' : 'real';
  return async (db: AnyDb): Promise<void> => {
    await db.schema.alterTable('datastream').addColumn('valid_min', real).execute();
    await db.schema.alterTable('datastream').addColumn('valid_max', real).execute();
    await db.schema.alterTable('datastream').addColumn('min_share', real).execute();
    await db.schema.alterTable('datastream').addColumn('incomplete_days', 'text', (c) => c.notNull().defaultTo('omit')).execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    for (const c of ['incomplete_days', 'min_share', 'valid_max', 'valid_min']) await db.schema.alterTable('datastream').dropColumn(c).execute();
  };
}
