import { dateType, instantType, jsonType, notNull, withId, type AnyDb, type MigrationContext } from './helpers';

/**
 * The indicator catalogue, observations with their revisions, targets, and
 * the derived tables that make dashboards fast: the ancestry of every place
 * (its own hierarchy and, through lineage, the units it became), the
 * rollup of observations per indicator × place × stored period (a month,
 * quarter or year) × contributing level; wider periods are composed on read.
 */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  const real = engine === 'postgres' ? 'double precision' : 'real';
  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .createTable('indicator')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', notNull)
      .addColumn('domain', 'text', notNull)
      .addColumn('frequency', 'text', notNull)
      .addColumn('unit', 'text', notNull)
      .addColumn('name_vi', 'text', notNull)
      .addColumn('name_en', 'text', notNull)
      .addColumn('owner_org_code', 'text')
      .addColumn('definition', jsonType(engine), notNull)
      .addColumn('updated_at', instantType(engine), notNull)
      .execute();

    await withId(db.schema.createTable('observation'), engine)
      .addColumn('indicator_code', 'text', (c) => c.notNull().references('indicator.code'))
      .addColumn('place_id', 'integer', (c) => c.notNull().references('place.id'))
      .addColumn('place_code', 'text', notNull)
      .addColumn('period_key', 'text', notNull)
      .addColumn('period_kind', 'text', notNull)
      .addColumn('period_start', dateType(engine), notNull)
      .addColumn('period_end', dateType(engine), notNull)
      .addColumn('org_code', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('value', real, notNull)
      .addColumn('status', 'text', notNull)
      .addColumn('source', 'text', notNull)
      .addColumn('run_id', 'integer')
      .addColumn('entered_by', 'text')
      .addColumn('note', 'text')
      .addColumn('revision', 'integer', notNull)
      .addColumn('recorded_at', instantType(engine), notNull)
      // Also serves "one indicator, one period, every place" (drill-downs from the facts).
      .addUniqueConstraint('observation_natural_key', ['indicator_code', 'period_key', 'place_id', 'org_code'])
      .execute();
    await db.schema.createIndex('observation_place_end').on('observation').columns(['place_id', 'period_end']).execute();

    // The superseded states of revised figures (a figure never revised has none: its row is its history).
    await withId(db.schema.createTable('observation_revision'), engine)
      .addColumn('observation_id', 'integer', (c) => c.notNull().references('observation.id').onDelete('cascade'))
      .addColumn('revision', 'integer', notNull)
      .addColumn('value', real, notNull)
      .addColumn('status', 'text', notNull)
      .addColumn('source', 'text', notNull)
      .addColumn('run_id', 'integer')
      .addColumn('entered_by', 'text')
      .addColumn('note', 'text')
      .addColumn('recorded_at', instantType(engine), notNull)
      .addUniqueConstraint('observation_revision_key', ['observation_id', 'revision'])
      .execute();

    await withId(db.schema.createTable('target'), engine)
      .addColumn('indicator_code', 'text', (c) => c.notNull().references('indicator.code'))
      .addColumn('place_id', 'integer', (c) => c.notNull().references('place.id'))
      .addColumn('place_code', 'text', notNull)
      .addColumn('period_key', 'text', notNull)
      .addColumn('value', real, notNull)
      .addColumn('source', 'text', notNull)
      .addColumn('updated_at', instantType(engine), notNull)
      .addUniqueConstraint('target_natural_key', ['indicator_code', 'place_id', 'period_key'])
      .execute();

    await db.schema
      .createTable('place_ancestry')
      .addColumn('place_id', 'integer', (c) => c.notNull().references('place.id').onDelete('cascade'))
      .addColumn('ancestor_id', 'integer', (c) => c.notNull().references('place.id').onDelete('cascade'))
      .addColumn('share', real, notNull)
      .addColumn('via_lineage', 'integer', notNull)
      .addPrimaryKeyConstraint('place_ancestry_pk', ['place_id', 'ancestor_id'])
      .execute();
    await db.schema.createIndex('place_ancestry_ancestor').on('place_ancestry').columns(['ancestor_id', 'place_id']).execute();

    await db.schema
      .createTable('observation_rollup')
      .addColumn('indicator_code', 'text', notNull)
      .addColumn('place_id', 'integer', notNull)
      .addColumn('period_key', 'text', notNull)
      .addColumn('level', 'text', notNull)
      .addColumn('sum', real, notNull)
      .addColumn('weight', real, notNull)
      .addColumn('min', real, notNull)
      .addColumn('max', real, notNull)
      .addColumn('last_end', dateType(engine), notNull)
      .addColumn('last_sum', real, notNull)
      .addColumn('last_weight', real, notNull)
      .addColumn('estimated', 'integer', notNull)
      .addColumn('facts', 'integer', notNull)
      .addColumn('latest_recorded_at', instantType(engine), notNull)
      .addPrimaryKeyConstraint('observation_rollup_pk', ['indicator_code', 'place_id', 'period_key', 'level'])
      .execute();
    await db.schema.createIndex('observation_rollup_place').on('observation_rollup').columns(['place_id', 'period_key']).execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    for (const t of ['observation_rollup', 'place_ancestry', 'target', 'observation_revision', 'observation', 'indicator']) {
      await db.schema.dropTable(t).ifExists().execute();
    }
  };
}
