import { instantType, jsonType, notNull, withId, type AnyDb, type MigrationContext } from './helpers';

/**
 * Identity: users and their roles over scopes, sessions, API tokens, and
 * the sign-in failures that throttle guessing. Sessions and tokens are kept
 * only as SHA-256 of secrets the client holds; failures live in the
 * database so the throttle holds across server instances.
 */
export function up(ctx: MigrationContext) {
  const { engine } = ctx;
  return async (db: AnyDb): Promise<void> => {
    await withId(db.schema.createTable('app_user'), engine)
      // Stored lowercased: logins are unique without case.
      .addColumn('login', 'text', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', notNull)
      .addColumn('password_hash', 'text', notNull)
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', instantType(engine), notNull)
      .addColumn('updated_at', instantType(engine), notNull)
      .execute();

    await withId(db.schema.createTable('user_role'), engine)
      .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
      .addColumn('role', 'text', notNull)
      .addColumn('org_code', 'text')
      .addColumn('place_code', 'text')
      .execute();
    await db.schema.createIndex('user_role_user').on('user_role').column('user_id').execute();

    await db.schema
      .createTable('session')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
      .addColumn('created_at', instantType(engine), notNull)
      .addColumn('last_seen_at', instantType(engine), notNull)
      .addColumn('expires_at', instantType(engine), notNull)
      .addColumn('ip', 'text')
      .addColumn('user_agent', 'text')
      .addColumn('csrf_secret', 'text', notNull)
      .execute();
    await db.schema.createIndex('session_user').on('session').column('user_id').execute();

    await withId(db.schema.createTable('api_token'), engine)
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', notNull)
      .addColumn('user_id', 'integer', (c) => c.references('app_user.id').onDelete('cascade'))
      .addColumn('source_code', 'text')
      .addColumn('roles', jsonType(engine), notNull)
      .addColumn('created_by', 'text')
      .addColumn('created_at', instantType(engine), notNull)
      .addColumn('last_used_at', instantType(engine))
      .addColumn('revoked_at', instantType(engine))
      .execute();

    await db.schema
      .createTable('sign_in_attempt')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('window_start', instantType(engine), notNull)
      .addColumn('failures', 'integer', notNull)
      .execute();
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    for (const t of ['sign_in_attempt', 'api_token', 'session', 'user_role', 'app_user']) await db.schema.dropTable(t).ifExists().execute();
  };
}
