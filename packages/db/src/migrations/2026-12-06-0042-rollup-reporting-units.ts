import { sql } from 'kysely';
import type { AnyDb, MigrationContext } from './helpers';

/** The last day of a stored period key (2025-07, 2025-Q3, 2025-H1, 2025-9M, 2025, 2025-YTD-07), or null for a key of another shape. */
function lastDay(key: string): string | null {
  const m = /^(\d{4})(?:-(\d{2})|-Q([1-4])|-H([12])|-(9M)|-YTD-(\d{2}))?$/.exec(key);
  if (!m) return null;
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : m[3] ? Number(m[3]) * 3 : m[4] ? Number(m[4]) * 6 : m[5] ? 9 : m[6] ? Number(m[6]) : 12;
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/**
 * How many units reported each rollup row's indicator and stored period, by
 * level, under each place: the units of that level under the place
 * (place_ancestry, lineage included; the place itself too) that were valid
 * on the period's last day and have a rollup row of their own at their own
 * level. A figure's coverage reads it instead of counting those rows under
 * the place on every answer. Kept apart from observation_rollup, since a
 * unit can count under a place that has no row of its own. Counted for the
 * rows already kept.
 */
export function up(ctx: MigrationContext) {
  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .createTable('observation_rollup_units')
      .addColumn('place_id', 'integer', (c) => c.notNull())
      .addColumn('period_key', 'text', (c) => c.notNull())
      .addColumn('indicator_code', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('units', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('observation_rollup_units_pk', ['place_id', 'period_key', 'indicator_code', 'level'])
      .execute();
    const keys = await db.selectFrom('observation_rollup').select('period_key').distinct().execute();
    const ends = keys.flatMap((r: { period_key: string }) => {
      const end = lastDay(r.period_key);
      return end === null ? [] : [sql`(${r.period_key}, ${ctx.engine === 'postgres' ? sql`cast(${end} as date)` : end})`];
    });
    if (ends.length === 0) return;
    await sql`with e (period_key, period_end) as (values ${sql.join(ends)})
      insert into observation_rollup_units (place_id, period_key, indicator_code, level, units)
      select a.ancestor_id, r.period_key, r.indicator_code, r.level, count(*)
      from observation_rollup r
      join place p on p.id = r.place_id and p.level = r.level
      join e on e.period_key = r.period_key
      join place_ancestry a on a.place_id = r.place_id
      where p.valid_from <= e.period_end and p.valid_to >= e.period_end
      group by a.ancestor_id, r.period_key, r.indicator_code, r.level`.execute(db);
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.dropTable('observation_rollup_units').execute();
  };
}
