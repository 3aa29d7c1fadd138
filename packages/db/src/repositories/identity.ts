import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../schema';

type Db = Kysely<Database> | Transaction<Database>;

/** A role over a scope, as stored (codes null when the scope does not name one). */
export interface StoredGrant {
  role: string;
  organisationCode: string | null;
  placeCode: string | null;
}

export interface StoredUser {
  id: number;
  login: string;
  displayName: string;
  passwordHash: string;
  disabled: boolean;
  mustChangePassword: boolean;
  roles: StoredGrant[];
  createdAt: string;
  updatedAt: string;
}

export interface StoredSession {
  id: string;
  userId: number;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  csrfSecret: string;
}

export interface StoredApiToken {
  id: number;
  name: string;
  userId: number | null;
  login: string | null;
  sourceCode: string | null;
  roles: StoredGrant[];
  /** The person who made it; null: the system. */
  makerUserId: number | null;
  makerLogin: string | null;
  /** As recorded at creation: a login, `token:<id>` of the token it was made with, or null. */
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** JSON columns come back as text from SQLite and as values from PostgreSQL. */
const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

/**
 * Users, roles, sessions, API tokens and sign-in failures. Logins arrive
 * lowercased (core's loginSchema); secrets arrive hashed: nothing here sees
 * a password or a token.
 */
export class IdentityRepository {
  constructor(private readonly db: Db) {}

  async countUsers(): Promise<number> {
    const r = await this.db.selectFrom('app_user').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Creates a user with its roles; false when the login is taken (the unique key decides, so two racing creations make one). */
  async createUser(u: { login: string; displayName: string; passwordHash: string; mustChangePassword: boolean; roles: StoredGrant[] }, now: string): Promise<boolean> {
    const row = await this.db
      .insertInto('app_user')
      .values({ login: u.login, display_name: u.displayName, password_hash: u.passwordHash, must_change_password: u.mustChangePassword ? 1 : 0, disabled: 0, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('login').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) return false;
    await this.insertRoles(row.id, u.roles);
    return true;
  }

  private async insertRoles(userId: number, roles: StoredGrant[]): Promise<void> {
    if (roles.length === 0) return;
    await this.db
      .insertInto('user_role')
      .values(roles.map((g) => ({ user_id: userId, role: g.role, org_code: g.organisationCode, place_code: g.placeCode })))
      .execute();
  }

  async userByLogin(login: string): Promise<StoredUser | undefined> {
    return (await this.users({ login }))[0];
  }

  async userById(id: number): Promise<StoredUser | undefined> {
    return (await this.users({ id }))[0];
  }

  /** Every user (or the one asked for) with its roles, by login. */
  async users(filter: { login?: string; id?: number } = {}): Promise<StoredUser[]> {
    let q = this.db.selectFrom('app_user').selectAll().orderBy('login');
    if (filter.login !== undefined) q = q.where('login', '=', filter.login);
    if (filter.id !== undefined) q = q.where('id', '=', filter.id);
    const rows = await q.execute();
    if (rows.length === 0) return [];
    const roles = await this.db
      .selectFrom('user_role')
      .select(['user_id', 'role', 'org_code', 'place_code'])
      .where(
        'user_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      login: r.login,
      displayName: r.display_name,
      passwordHash: r.password_hash,
      disabled: r.disabled === 1,
      mustChangePassword: r.must_change_password === 1,
      roles: roles.filter((g) => g.user_id === r.id).map((g) => ({ role: g.role, organisationCode: g.org_code, placeCode: g.place_code })),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  /** Changes a user; `roles` replaces them all. */
  async updateUser(id: number, change: { displayName?: string; disabled?: boolean; passwordHash?: string; mustChangePassword?: boolean; roles?: StoredGrant[] }, now: string): Promise<void> {
    await this.db
      .updateTable('app_user')
      .set({
        updated_at: now,
        ...(change.displayName !== undefined ? { display_name: change.displayName } : {}),
        ...(change.disabled !== undefined ? { disabled: change.disabled ? 1 : 0 } : {}),
        ...(change.passwordHash !== undefined ? { password_hash: change.passwordHash } : {}),
        ...(change.mustChangePassword !== undefined ? { must_change_password: change.mustChangePassword ? 1 : 0 } : {}),
      })
      .where('id', '=', id)
      .execute();
    if (change.roles) {
      await this.db.deleteFrom('user_role').where('user_id', '=', id).execute();
      await this.insertRoles(id, change.roles);
    }
  }

  async createSession(s: { id: string; userId: number; now: string; expiresAt: string; ip: string | null; userAgent: string | null; csrfSecret: string }): Promise<void> {
    await this.db
      .insertInto('session')
      .values({ id: s.id, user_id: s.userId, created_at: s.now, last_seen_at: s.now, expires_at: s.expiresAt, ip: s.ip, user_agent: s.userAgent, csrf_secret: s.csrfSecret })
      .execute();
  }

  /** The session with this id, if it has not expired at `now`. */
  async liveSession(id: string, now: string): Promise<StoredSession | undefined> {
    const r = await this.db.selectFrom('session').selectAll().where('id', '=', id).where('expires_at', '>', now).executeTakeFirst();
    return r ? { id: r.id, userId: r.user_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at, csrfSecret: r.csrf_secret } : undefined;
  }

  async touchSession(id: string, now: string): Promise<void> {
    await this.db.updateTable('session').set({ last_seen_at: now }).where('id', '=', id).execute();
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.deleteFrom('session').where('id', '=', id).execute();
  }

  /** Ends every session of a user (disabled, password reset or changed), except the one kept. */
  async deleteSessionsOf(userId: number, keep?: string): Promise<void> {
    let q = this.db.deleteFrom('session').where('user_id', '=', userId);
    if (keep !== undefined) q = q.where('id', '!=', keep);
    await q.execute();
  }

  /** Forgets sessions that expired before `now`. */
  async deleteExpiredSessions(now: string): Promise<number> {
    const r = await this.db.deleteFrom('session').where('expires_at', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async createToken(
    t: { tokenHash: string; name: string; userId: number | null; sourceCode: string | null; roles: StoredGrant[]; createdBy: string | null; makerUserId: number | null },
    now: string,
  ): Promise<number> {
    const r = await this.db
      .insertInto('api_token')
      .values({ token_hash: t.tokenHash, name: t.name, user_id: t.userId, source_code: t.sourceCode, roles: JSON.stringify(t.roles), created_by: t.createdBy, maker_user_id: t.makerUserId, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  private tokenQuery() {
    return this.db
      .selectFrom('api_token')
      .leftJoin('app_user', 'app_user.id', 'api_token.user_id')
      .leftJoin('app_user as maker', 'maker.id', 'api_token.maker_user_id')
      .select([
        'api_token.id',
        'api_token.name',
        'api_token.user_id',
        'app_user.login',
        'api_token.source_code',
        'api_token.roles',
        'api_token.maker_user_id',
        'maker.login as maker_login',
        'api_token.created_by',
        'api_token.created_at',
        'api_token.last_used_at',
        'api_token.revoked_at',
      ]);
  }

  private static token(r: {
    id: number;
    name: string;
    user_id: number | null;
    login: string | null;
    source_code: string | null;
    roles: unknown;
    maker_user_id: number | null;
    maker_login: string | null;
    created_by: string | null;
    created_at: string;
    last_used_at: string | null;
    revoked_at: string | null;
  }): StoredApiToken {
    return {
      id: r.id,
      name: r.name,
      userId: r.user_id,
      login: r.login,
      sourceCode: r.source_code,
      roles: json(r.roles) as StoredGrant[],
      makerUserId: r.maker_user_id,
      makerLogin: r.maker_login,
      createdBy: r.created_by,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
      revokedAt: r.revoked_at,
    };
  }

  async tokens(): Promise<StoredApiToken[]> {
    return (await this.tokenQuery().orderBy('api_token.id').execute()).map((r) => IdentityRepository.token(r));
  }

  async tokenById(id: number): Promise<StoredApiToken | undefined> {
    const r = await this.tokenQuery().where('api_token.id', '=', id).executeTakeFirst();
    return r ? IdentityRepository.token(r) : undefined;
  }

  /** The token with this hash, revoked or not. */
  async tokenByHash(hash: string): Promise<StoredApiToken | undefined> {
    const r = await this.tokenQuery().where('api_token.token_hash', '=', hash).executeTakeFirst();
    return r ? IdentityRepository.token(r) : undefined;
  }

  async markTokenUsed(id: number, now: string): Promise<void> {
    await this.db.updateTable('api_token').set({ last_used_at: now }).where('id', '=', id).execute();
  }

  /** Revokes a token; false when there is no such token. Revoking twice keeps the first instant. */
  async revokeToken(id: number, now: string): Promise<boolean> {
    const r = await this.db.updateTable('api_token').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) return true;
    return (await this.tokenById(id)) !== undefined;
  }

  /** Failures of the keys within the window that started after `since`. */
  async failures(keys: string[], since: string): Promise<{ key: string; windowStart: string; failures: number }[]> {
    if (keys.length === 0) return [];
    const rows = await this.db.selectFrom('sign_in_attempt').selectAll().where('key', 'in', keys).where('window_start', '>', since).execute();
    return rows.map((r) => ({ key: r.key, windowStart: r.window_start, failures: r.failures }));
  }

  /**
   * Counts one failure for each key in one upsert per key: a window that
   * started at or before `since` has run out, so it starts again at `now`.
   * Concurrent failures on several instances add up (the row is the counter).
   */
  async recordFailure(keys: string[], now: string, since: string): Promise<void> {
    for (const key of keys) {
      await this.db
        .insertInto('sign_in_attempt')
        .values({ key, window_start: now, failures: 1 })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            failures: (eb) => eb.case().when('sign_in_attempt.window_start', '<=', since).then(1).else(eb('sign_in_attempt.failures', '+', 1)).end(),
            window_start: (eb) => eb.case().when('sign_in_attempt.window_start', '<=', since).then(eb.ref('excluded.window_start')).else(eb.ref('sign_in_attempt.window_start')).end(),
          }),
        )
        .execute();
    }
  }

  async clearFailures(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.deleteFrom('sign_in_attempt').where('key', 'in', keys).execute();
  }

  /** Forgets the failures of every key that starts with `prefix` (compared as text, so no character in it is a wildcard). */
  async clearFailuresStartingWith(prefix: string): Promise<void> {
    await this.db
      .deleteFrom('sign_in_attempt')
      .where(sql<SqlBool>`substr(key, 1, ${prefix.length}) = ${prefix}`)
      .execute();
  }

  /**
   * The ancestors of organisations (by their parents, every version) and of
   * places (through the place hierarchy and lineage), each list holding the
   * code itself: what comparing two grants' subtrees needs.
   */
  async ancestry(codes: { organisations: readonly string[]; places: readonly string[] }): Promise<{ organisations: Map<string, string[]>; places: Map<string, string[]> }> {
    const organisations = new Map<string, string[]>();
    if (codes.organisations.length > 0) {
      const parents = new Map<string, Set<string>>();
      for (const r of await this.db.selectFrom('organisation').select(['code', 'parent_code']).distinct().execute()) {
        if (r.parent_code === null) continue;
        const set = parents.get(r.code) ?? new Set<string>();
        set.add(r.parent_code);
        parents.set(r.code, set);
      }
      for (const code of codes.organisations) {
        const seen = new Set([code]);
        const queue = [code];
        for (let c = queue.pop(); c !== undefined; c = queue.pop()) {
          for (const p of parents.get(c) ?? []) {
            if (!seen.has(p)) {
              seen.add(p);
              queue.push(p);
            }
          }
        }
        organisations.set(code, [...seen]);
      }
    }
    const places = new Map<string, string[]>();
    for (const code of codes.places) places.set(code, [code]);
    if (codes.places.length > 0) {
      const rows = await this.db
        .selectFrom('place_ancestry as pa')
        .innerJoin('place as d', 'd.id', 'pa.place_id')
        .innerJoin('place as a', 'a.id', 'pa.ancestor_id')
        .select(['d.code as code', 'a.code as ancestor'])
        .where('d.code', 'in', [...codes.places])
        .distinct()
        .execute();
      for (const r of rows) {
        const list = places.get(r.code) ?? [r.code];
        if (!list.includes(r.ancestor)) list.push(r.ancestor);
        places.set(r.code, list);
      }
    }
    return { organisations, places };
  }
}
