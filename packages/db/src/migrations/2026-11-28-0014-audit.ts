import { sql } from 'kysely';
import { instantType, jsonType, notNull, withId, type AnyDb, type MigrationContext } from './helpers';

/**
 * The audit log. Append-only, and the database itself says so: triggers
 * refuse any UPDATE or DELETE on it, whatever code or console issues them.
 */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  return async (db: AnyDb): Promise<void> => {
    await withId(db.schema.createTable('audit_event'), engine)
      .addColumn('at', instantType(engine), notNull)
      .addColumn('actor', 'text', notNull)
      .addColumn('address', 'text')
      .addColumn('action', 'text', notNull)
      .addColumn('entity_kind', 'text', notNull)
      .addColumn('entity_key', 'text', notNull)
      .addColumn('before', jsonType(engine))
      .addColumn('after', jsonType(engine))
      .execute();
    await db.schema.createIndex('audit_event_entity').on('audit_event').columns(['entity_kind', 'entity_key', 'id']).execute();
    await db.schema.createIndex('audit_event_at').on('audit_event').columns(['at']).execute();
    if (engine === 'postgres') {
      await sql`CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP; END $$`.execute(db);
      await sql`CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`.execute(db);
      await sql`CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`.execute(db);
    } else {
      await sql`CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: UPDATE refused'); END`.execute(db);
      await sql`CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: DELETE refused'); END`.execute(db);
    }
  };
}

export function down(ctx: MigrationContext) {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.dropTable('audit_event').ifExists().execute();
    if (ctx.engine === 'postgres') await sql`DROP FUNCTION IF EXISTS audit_event_append_only()`.execute(db);
  };
}
