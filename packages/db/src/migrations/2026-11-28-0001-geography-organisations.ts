import { dateType, instantType, notNull, withId, type AnyDb, type MigrationContext } from './helpers';

/** Versioned places with geometry and lineage; versioned organisations; loaded reference data sets. */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  return async (db: AnyDb): Promise<void> => {
    await withId(db.schema.createTable('place'), engine)
      .addColumn('code', 'text', notNull)
      .addColumn('level', 'text', notNull)
      .addColumn('name', 'text', notNull)
      .addColumn('name_en', 'text')
      .addColumn('parent_code', 'text')
      .addColumn('valid_from', dateType(engine), notNull)
      .addColumn('valid_to', dateType(engine), notNull)
      .addColumn('area_km2', 'real')
      .addColumn('source', 'text')
      .addUniqueConstraint('place_version_key', ['code', 'level', 'valid_from'])
      .execute();
    await db.schema.createIndex('place_code_validity').on('place').columns(['code', 'valid_from', 'valid_to']).execute();
    await db.schema.createIndex('place_parent_validity').on('place').columns(['parent_code', 'valid_from', 'valid_to']).execute();
    await db.schema.createIndex('place_level_validity').on('place').columns(['level', 'valid_from', 'valid_to']).execute();

    await db.schema
      .createTable('place_geometry')
      .addColumn('place_id', 'integer', (c) => c.primaryKey().references('place.id').onDelete('cascade'))
      .addColumn('geojson', 'text', notNull)
      .addColumn('min_lon', 'real', notNull)
      .addColumn('min_lat', 'real', notNull)
      .addColumn('max_lon', 'real', notNull)
      .addColumn('max_lat', 'real', notNull)
      .addColumn('source', 'text')
      .execute();
    await db.schema.createIndex('place_geometry_bbox').on('place_geometry').columns(['min_lon', 'max_lon', 'min_lat', 'max_lat']).execute();

    await withId(db.schema.createTable('place_lineage'), engine)
      .addColumn('from_place_id', 'integer', (c) => c.notNull().references('place.id').onDelete('cascade'))
      .addColumn('to_place_id', 'integer', (c) => c.notNull().references('place.id').onDelete('cascade'))
      .addColumn('kind', 'text', notNull)
      .addColumn('part', 'text', notNull)
      .addColumn('share', 'real')
      .addColumn('effective_date', dateType(engine), notNull)
      .addColumn('legal_ref', 'text')
      .addUniqueConstraint('place_lineage_edge', ['from_place_id', 'to_place_id'])
      .execute();
    await db.schema.createIndex('place_lineage_to').on('place_lineage').column('to_place_id').execute();

    await withId(db.schema.createTable('organisation'), engine)
      .addColumn('code', 'text', notNull)
      .addColumn('name', 'text', notNull)
      .addColumn('name_en', 'text')
      .addColumn('kind', 'text', notNull)
      .addColumn('parent_code', 'text')
      .addColumn('place_code', 'text')
      .addColumn('valid_from', dateType(engine), notNull)
      .addColumn('valid_to', dateType(engine), notNull)
      .addColumn('demo', 'integer', (c) => c.notNull().defaultTo(0))
      .addUniqueConstraint('organisation_version_key', ['code', 'valid_from'])
      .execute();
    await db.schema.createIndex('organisation_parent_validity').on('organisation').columns(['parent_code', 'valid_from', 'valid_to']).execute();

    await withId(db.schema.createTable('organisation_lineage'), engine)
      .addColumn('from_org_id', 'integer', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
      .addColumn('to_org_id', 'integer', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
      .addColumn('effective_date', dateType(engine), notNull)
      .addColumn('legal_ref', 'text')
      .addUniqueConstraint('organisation_lineage_edge', ['from_org_id', 'to_org_id'])
      .execute();

    await db.schema
      .createTable('dataset')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('checksum', 'text', notNull)
      .addColumn('loaded_at', instantType(engine), notNull)
      .addColumn('summary', 'text', notNull)
      .execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    for (const t of ['dataset', 'organisation_lineage', 'organisation', 'place_lineage', 'place_geometry', 'place']) {
      await db.schema.dropTable(t).ifExists().execute();
    }
  };
}
