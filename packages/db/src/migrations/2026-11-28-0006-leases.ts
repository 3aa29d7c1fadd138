import { instantType, notNull, type AnyDb, type MigrationContext } from './helpers';

/**
 * Leases: a named right to do one thing (run a source's pull, hold an MQTT
 * subscription, tick the alert clock) held by one server instance until it
 * expires. Several instances on one PostgreSQL take turns instead of doing
 * the work once each; an instance that dies loses its leases when they run
 * out, so another takes over.
 */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  return async (db: AnyDb): Promise<void> => {
    await db.schema
      .createTable('lease')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('owner', 'text', notNull)
      .addColumn('until', instantType(engine), notNull)
      .addColumn('acquired_at', instantType(engine), notNull)
      .execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.dropTable('lease').ifExists().execute();
  };
}
