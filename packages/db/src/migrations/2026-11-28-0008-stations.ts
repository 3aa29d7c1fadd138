import { sql } from 'kysely';
import { instantType, notNull, withId, type AnyDb, type MigrationContext } from './helpers';

/**
 * Sensor stations (trạm quan trắc), their datastreams and readings. A
 * station keeps the place version it was located in when registered (the
 * commune when its boundary is known, else the province). A reading is
 * keyed by datastream and instant, so a message delivered twice (MQTT QoS 1
 * after a reconnect, a file loaded again) adds nothing.
 */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  const real = engine === 'postgres' ? 'double precision' : 'real';
  return async (db: AnyDb): Promise<void> => {
    await withId(db.schema.createTable('station'), engine)
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', notNull)
      .addColumn('lon', real, notNull)
      .addColumn('lat', real, notNull)
      .addColumn('place_id', 'integer', (c) => c.references('place.id'))
      .addColumn('place_code', 'text')
      .addColumn('province_code', 'text')
      .addColumn('source_code', 'text', (c) => c.references('source.code'))
      .addColumn('enabled', 'integer', notNull)
      .addColumn('created_at', instantType(engine), notNull)
      .addColumn('updated_at', instantType(engine), notNull)
      .execute();
    await db.schema.createIndex('station_place').on('station').column('place_code').execute();

    await withId(db.schema.createTable('datastream'), engine)
      .addColumn('station_id', 'integer', (c) => c.notNull().references('station.id').onDelete('cascade'))
      .addColumn('code', 'text', notNull)
      .addColumn('indicator_code', 'text', notNull)
      .addColumn('unit', 'text', notNull)
      .addColumn('scale', real)
      .addUniqueConstraint('datastream_station_code', ['station_id', 'code'])
      .execute();
    await db.schema.createIndex('datastream_indicator').on('datastream').column('indicator_code').execute();

    // The key is the datastream and the instant: no surrogate id, so the table is its index.
    let reading = db.schema
      .createTable('reading')
      .addColumn('datastream_id', 'integer', (c) => c.notNull().references('datastream.id').onDelete('cascade'))
      .addColumn('at', instantType(engine), notNull)
      .addColumn('value', real, notNull)
      .addPrimaryKeyConstraint('reading_pk', ['datastream_id', 'at']);
    if (engine === 'sqlite') reading = reading.modifyEnd(sql`without rowid`);
    await reading.execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    for (const t of ['reading', 'datastream', 'station']) await db.schema.dropTable(t).ifExists().execute();
  };
}
