import type { AnyDb } from './helpers';

/**
 * Every API token names the person who made it (`maker_user_id`), so its
 * rights can be held to that person's current roles at every use. Null:
 * made by the system (the command line, first start) or by a token no
 * person made. Existing tokens take their maker from `created_by` (a login,
 * or `token:<id>` of the token they were made with, whose maker they
 * share), else from the user they act for. No foreign key: users are
 * disabled, never deleted, and SQLite cannot drop a column that has one.
 */
export function up() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.alterTable('api_token').addColumn('maker_user_id', 'integer').execute();
    const users = new Map<string, number>();
    for (const u of await db.selectFrom('app_user').select(['id', 'login']).execute()) users.set(String(u.login), Number(u.id));
    const makers = new Map<number, number | null>();
    // A token made with a token has the greater id, so its maker is known by the time it is reached.
    const tokens = await db.selectFrom('api_token').select(['id', 'user_id', 'created_by']).orderBy('id').execute();
    for (const t of tokens) {
      const by = t.created_by === null ? null : String(t.created_by);
      const through = by?.startsWith('token:') ? makers.get(Number(by.slice('token:'.length))) : undefined;
      const maker = through !== undefined ? through : ((by === null ? undefined : users.get(by)) ?? (t.user_id === null ? null : Number(t.user_id)));
      makers.set(Number(t.id), maker);
      if (maker !== null) await db.updateTable('api_token').set({ maker_user_id: maker }).where('id', '=', t.id).execute();
    }
  };
}

export function down() {
  return async (db: AnyDb): Promise<void> => {
    await db.schema.alterTable('api_token').dropColumn('maker_user_id').execute();
  };
}
