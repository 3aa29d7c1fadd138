import { sql } from 'kysely';
import { dateType, instantType, notNull, type AnyDb, type MigrationContext } from './helpers';

/**
 * Manual entry and freshness per indicator. A run records who typed its
 * figures (an agency officer filling in the month's form). `indicator_arrival`
 * keeps, per indicator, when data last arrived, from which source, and up to
 * which period: the write path moves it on once per indicator per batch, so
 * freshness is one small read, and the facts table carries no extra index
 * that every write would pay for.
 */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  return async (db: AnyDb): Promise<void> => {
    await db.schema.alterTable('run').addColumn('entered_by', 'text').execute();
    await db.schema
      .createTable('indicator_arrival')
      .addColumn('indicator_code', 'text', (c) => c.primaryKey())
      .addColumn('last_recorded_at', instantType(engine), notNull)
      .addColumn('last_source', 'text', notNull)
      .addColumn('last_period_end', dateType(engine), notNull)
      .execute();
    // Facts stored before this table existed.
    await sql`
      insert into indicator_arrival (indicator_code, last_recorded_at, last_source, last_period_end)
      select o.indicator_code, max(o.recorded_at), max(o.source), max(o.period_end)
      from observation o
      where o.recorded_at = (select max(p.recorded_at) from observation p where p.indicator_code = o.indicator_code)
      group by o.indicator_code`.execute(db);
    await sql`
      update indicator_arrival set last_period_end = (select max(o.period_end) from observation o where o.indicator_code = indicator_arrival.indicator_code)`.execute(db);
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.dropTable('indicator_arrival').ifExists().execute();
    await db.schema.alterTable('run').dropColumn('entered_by').execute();
  };
}
