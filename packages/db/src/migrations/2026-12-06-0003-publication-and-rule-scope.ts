import { sql } from 'kysely';
import type { AnyDb, MigrationContext } from './helpers';

/**
 * What Open311 may publish of a case category, and where an alert rule
 * stands for scoping.
 *
 * `case_category.public` (default 1): citizens' reports of the category are
 * listed on Open311; `sensitive` (default 0): their coordinates are rounded
 * there and their address withheld.
 *
 * `alert_rule.place_code` / `org_code`: the place and agency a rule is
 * about, so the one scope filter narrows rules as it narrows alerts. Taken
 * from the subject when it names them, else from the subject's datastream
 * (its station's place) or source (its owner); existing rules are filled
 * in the same way.
 */
export function up(ctx: MigrationContext) {
  const field = (key: string) => (ctx.engine === 'postgres' ? sql.raw(`(subject->>'${key}')`) : sql.raw(`json_extract(subject, '$.${key}')`));
  return async (db: AnyDb): Promise<void> => {
    await db.schema.alterTable('case_category').addColumn('public', 'integer', (c) => c.notNull().defaultTo(1)).execute();
    await db.schema.alterTable('case_category').addColumn('sensitive', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('alert_rule').addColumn('place_code', 'text').execute();
    await db.schema.alterTable('alert_rule').addColumn('org_code', 'text').execute();
    await sql`
      update alert_rule set
        place_code = coalesce(${field('place')}, (select min(st.place_code) from datastream d join station st on st.id = d.station_id where d.code = ${field('datastream')})),
        org_code = coalesce(${field('agency')}, (select min(so.owner_org_code) from source so where so.code = ${field('source')}))
    `.execute(db);
    await db.schema.createIndex('alert_rule_place').on('alert_rule').column('place_code').execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.dropIndex('alert_rule_place').execute();
    await db.schema.alterTable('alert_rule').dropColumn('org_code').execute();
    await db.schema.alterTable('alert_rule').dropColumn('place_code').execute();
    await db.schema.alterTable('case_category').dropColumn('sensitive').execute();
    await db.schema.alterTable('case_category').dropColumn('public').execute();
  };
}
