import { sql } from 'kysely';
import type { AnyDb, MigrationContext } from './helpers';

/**
 * How many of the facts behind each rollup row are provisional (số sơ bộ),
 * so a figure can say it rests on values not yet final. Counted for the
 * rows already kept from the facts already stored: the same facts, level
 * and stored period (a day's or an instant's month) the rollup adds up.
 */
export function up(ctx: MigrationContext) {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.alterTable('observation_rollup').addColumn('provisional', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    const month = ctx.engine === 'postgres' ? sql`to_char(o.period_start, 'YYYY-MM')` : sql`substr(o.period_start, 1, 7)`;
    await sql`update observation_rollup set provisional = (
        select count(*) from observation o
        join place_ancestry a on a.place_id = o.place_id
        join place p on p.id = o.place_id
        where a.ancestor_id = observation_rollup.place_id
          and o.indicator_code = observation_rollup.indicator_code
          and p.level = observation_rollup.level
          and o.org_code = '' and o.status = 'provisional'
          and (case when o.period_kind in ('day', 'instant') then ${month} else o.period_key end) = observation_rollup.period_key)
      where indicator_code in (select distinct indicator_code from observation where status = 'provisional' and org_code = '')`.execute(db);
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.alterTable('observation_rollup').dropColumn('provisional').execute();
  };
}
