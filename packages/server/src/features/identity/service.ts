import { randomBytes } from 'node:crypto';
import {
  API_TOKEN_PREFIX,
  AppError,
  grantCodes,
  grantSchema,
  grantsAllow,
  grantsWithin,
  narrowGrants,
  type ApiToken,
  type ApiTokenCreate,
  type Grant,
  type Identity,
  type User,
  type UserCreate,
  type UserUpdate,
} from '@watchfloor/core';
import { ALL_ROWS, IdentityRepository, SourcesRepository, type StoredApiToken, type StoredGrant, type StoredUser } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { dummyHash, hashPassword, verifyPassword } from './passwords';
import { hashToken, sameSecret } from '../../http/secrets';

/** How long a session lasts from sign-in. */
export const SESSION_TTL_MS = 12 * 3600_000;
/** The throttle: failures counted per account and address, per address and per account in a window of this length. */
export const THROTTLE_WINDOW_MS = 15 * 60_000;
/** One address guessing one account is stopped for the rest of the window after this many failures; the account's owner elsewhere is not. */
export const MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;
/**
 * A guess spread over many addresses is slowed per account instead of
 * locking it: past this many failures in the window, one more try per
 * ACCOUNT_BACKOFF_STEP_MS, so the real user waits a minute at most.
 */
export const ACCOUNT_BACKOFF_AFTER = 10;
export const ACCOUNT_BACKOFF_STEP_MS = 60_000;
/** Last use of a session or token is written at most this often, not on every request. */
const TOUCH_EVERY_MS = 60_000;


const grants = (stored: StoredGrant[]): Grant[] => stored.map((g) => grantSchema.parse(g));

function toUser(u: StoredUser): User {
  return { login: u.login, displayName: u.displayName, disabled: u.disabled, mustChangePassword: u.mustChangePassword, roles: grants(u.roles), createdAt: u.createdAt, updatedAt: u.updatedAt };
}

const TOKEN_MAKER = /^token:(\d+)$/;

function toToken(t: StoredApiToken): ApiToken {
  const through = TOKEN_MAKER.exec(t.createdBy ?? '')?.[1];
  return {
    id: t.id,
    name: t.name,
    login: t.login,
    sourceCode: t.sourceCode,
    roles: grants(t.roles),
    createdBy: t.makerLogin,
    createdWithToken: through === undefined ? null : Number(through),
    createdAt: t.createdAt,
    lastUsedAt: t.lastUsedAt,
    revokedAt: t.revokedAt,
  };
}

/** The throttle's keys: a login and an address together, an address, a login. `|` never appears in a login. */
const pairKey = (login: string, ip: string): string => `account-address:${login}|${ip}`;
const pairPrefix = (login: string): string => `account-address:${login}|`;
const accountKey = (login: string): string => `account:${login}`;

/**
 * Until when a throttle key refuses sign-ins (in ms; the past: it does
 * not). A pair or an address is locked to the end of its window once over
 * its limit; an account past its free failures admits one more try per
 * step from the window's start, never beyond the window's end.
 */
export function lockedUntil(r: { key: string; windowStart: string; failures: number }): number {
  const start = Date.parse(r.windowStart);
  const end = start + THROTTLE_WINDOW_MS;
  if (r.key.startsWith('account:')) return r.failures < ACCOUNT_BACKOFF_AFTER ? 0 : Math.min(end, start + (r.failures - ACCOUNT_BACKOFF_AFTER + 1) * ACCOUNT_BACKOFF_STEP_MS);
  const limit = r.key.startsWith('address:') ? MAX_FAILURES_PER_ADDRESS : MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS;
  return r.failures >= limit ? end : 0;
}

export interface SignedIn {
  user: User;
  /** The cookie's value: shown to the client once, kept only as its SHA-256. */
  sessionToken: string;
  csrfToken: string;
  expiresAt: string;
}

/**
 * Identity: users and roles, passwords (argon2id), sessions, API tokens and
 * the sign-in throttle. Secrets leave this service once (a session cookie,
 * a new token) and are stored only as hashes.
 */
export class IdentityService {
  private readonly repo: IdentityRepository;
  constructor(private readonly ctx: AppContext) {
    this.repo = new IdentityRepository(ctx.store.db);
  }

  private now(): Date {
    return this.ctx.clock.now();
  }

  async listUsers(): Promise<User[]> {
    return (await this.repo.users()).map(toUser);
  }

  async getUser(login: string): Promise<User> {
    return toUser(await this.stored(login));
  }

  private async stored(login: string): Promise<StoredUser> {
    const u = await this.repo.userByLogin(login.toLowerCase());
    if (!u) throw new AppError('unknown_user', `No user ${login}`);
    return u;
  }

  async createUser(input: UserCreate): Promise<User> {
    const passwordHash = await hashPassword(input.password);
    const created = await this.ctx.store.db.transaction().execute((trx) =>
      new IdentityRepository(trx).createUser({ login: input.login, displayName: input.displayName, passwordHash, mustChangePassword: input.mustChangePassword, roles: input.roles }, this.now().toISOString()),
    );
    if (!created) throw new AppError('user_exists', `A user ${input.login} already exists`);
    return this.getUser(input.login);
  }

  /** Changes display name, roles (all replaced) or disabled; disabling ends the user's sessions. */
  async updateUser(login: string, change: UserUpdate): Promise<User> {
    const u = await this.stored(login);
    await this.ctx.store.db.transaction().execute(async (trx) => {
      const repo = new IdentityRepository(trx);
      await repo.updateUser(u.id, change, this.now().toISOString());
      if (change.disabled === true) await repo.deleteSessionsOf(u.id);
    });
    // Open live streams of this user, and of the tokens they made, judge themselves again.
    if (change.disabled !== undefined || change.roles !== undefined) this.accessChanged();
    return this.getUser(login);
  }

  /** An administrator sets a temporary password: sessions end, the throttle on the account is lifted, and the user must change it. */
  async resetPassword(login: string, temporaryPassword: string): Promise<User> {
    const u = await this.stored(login);
    const passwordHash = await hashPassword(temporaryPassword);
    await this.ctx.store.db.transaction().execute(async (trx) => {
      const repo = new IdentityRepository(trx);
      await repo.updateUser(u.id, { passwordHash, mustChangePassword: true }, this.now().toISOString());
      await repo.deleteSessionsOf(u.id);
      await repo.clearFailures([accountKey(u.login)]);
      await repo.clearFailuresStartingWith(pairPrefix(u.login));
    });
    this.accessChanged();
    return this.getUser(login);
  }

  /** The signed-in user changes their own password; their other sessions end. */
  async changePassword(identity: Identity, currentPassword: string, newPassword: string): Promise<User> {
    if (identity.kind !== 'user') throw new AppError('authentication_required', 'Sign in to change your password');
    const u = await this.stored(identity.login);
    if (!(await verifyPassword(u.passwordHash, currentPassword))) throw new AppError('invalid_credentials', 'The current password is not right');
    await this.repo.updateUser(u.id, { passwordHash: await hashPassword(newPassword), mustChangePassword: false }, this.now().toISOString());
    await this.repo.deleteSessionsOf(u.id, identity.sessionId);
    this.accessChanged();
    return this.getUser(u.login);
  }

  /**
   * Signs in, or refuses: `too_many_attempts` (with the seconds to wait)
   * once this address has failed too often on this account (5) or on any
   * (20), or the account is in its backoff (past 10 failures from
   * anywhere, one try a minute) — checked before the password so guessing
   * stops even with the right one — and `invalid_credentials` for an
   * unknown login, a wrong password or a disabled account alike. Locking
   * the pair rather than the account keeps one address from locking the
   * real user out; the account's backoff still slows a distributed guess.
   */
  async signIn(login: string, password: string, client: { ip: string | null; userAgent: string | null }): Promise<SignedIn> {
    const now = this.now();
    const since = new Date(now.getTime() - THROTTLE_WINDOW_MS).toISOString();
    const keys = client.ip ? [accountKey(login), pairKey(login, client.ip), `address:${client.ip}`] : [accountKey(login)];
    await this.refuseIfThrottled(keys, now, since);
    const u = await this.repo.userByLogin(login);
    const ok = await verifyPassword(u?.passwordHash ?? (await dummyHash()), password);
    if (!u || !ok || u.disabled) {
      await this.repo.recordFailure(keys, now.toISOString(), since);
      throw new AppError('invalid_credentials', 'The login or the password is not right');
    }
    // The account's own count stays: a success from one address must not reset a guess spread over others.
    if (client.ip) await this.repo.clearFailures([pairKey(login, client.ip)]);
    return this.startSession(u, client);
  }

  /**
   * Signs in a user an OpenID Connect provider vouched for, by their login
   * (lowercased). The address throttle applies, as to passwords; the
   * account throttle does not (no password was tried). An unknown or
   * disabled user — administrators create users first — counts as a
   * failure of the address: `oidc_unknown_user`.
   */
  async signInVouched(login: string, client: { ip: string | null; userAgent: string | null }): Promise<SignedIn> {
    const now = this.now();
    const since = new Date(now.getTime() - THROTTLE_WINDOW_MS).toISOString();
    const keys = client.ip ? [`address:${client.ip}`] : [];
    await this.refuseIfThrottled(keys, now, since);
    const u = await this.repo.userByLogin(login.toLowerCase());
    if (!u || u.disabled) {
      if (keys.length > 0) await this.repo.recordFailure(keys, now.toISOString(), since);
      throw new AppError('oidc_unknown_user', 'The provider signed you in, but there is no active Watchfloor user with that login here: an administrator must create (or enable) the user first');
    }
    return this.startSession(u, client);
  }

  /** `too_many_attempts` (with the seconds to wait) when a key is locked or, for an account, in its backoff, by its failures since `since`. */
  private async refuseIfThrottled(keys: string[], now: Date, since: string): Promise<void> {
    if (keys.length === 0) return;
    const recent = await this.repo.failures(keys, since);
    const waits = recent.map((r) => lockedUntil(r) - now.getTime()).filter((ms) => ms > 0);
    if (waits.length > 0) {
      const retryAfter = Math.max(1, Math.ceil(Math.max(...waits) / 1000));
      throw new AppError('too_many_attempts', `Too many failed sign-ins; try again in ${retryAfter} s`, { retryAfterSeconds: retryAfter });
    }
  }

  /** A new session for a user who has proven who they are: the one place sessions are made, whatever the way of signing in. */
  private async startSession(u: StoredUser, client: { ip: string | null; userAgent: string | null }): Promise<SignedIn> {
    const now = this.now();
    const sessionToken = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
    // Each new session sweeps away the expired ones, so the table holds live sessions only.
    await this.repo.deleteExpiredSessions(now.toISOString());
    await this.repo.createSession({ id: hashToken(sessionToken), userId: u.id, now: now.toISOString(), expiresAt, ip: client.ip, userAgent: client.userAgent?.slice(0, 500) ?? null, csrfSecret: csrfToken });
    return { user: toUser(u), sessionToken, csrfToken, expiresAt };
  }

  async signOut(sessionToken: string): Promise<void> {
    await this.repo.deleteSession(hashToken(sessionToken));
    this.accessChanged();
  }

  /** Tells open live streams, on every instance, that sessions or rights changed: each judges its own credential again. */
  private accessChanged(): void {
    this.ctx.live?.accessChanged();
  }

  /**
   * The identity a credential stands for now, or null when it no longer
   * works (session ended or expired, token revoked, user or maker
   * disabled): for what outlives a request, like a live stream.
   */
  async current(identity: Identity): Promise<Identity | null> {
    try {
      if (identity.kind === 'user') return await this.sessionById(identity.sessionId);
      if (identity.kind === 'token') {
        const t = await this.repo.tokenById(identity.tokenId);
        return t && t.revokedAt === null ? await this.judgeToken(t) : null;
      }
      return identity;
    } catch (e) {
      if (e instanceof AppError) return null;
      throw e;
    }
  }

  /** The user of a session cookie; `invalid_session` when it is unknown, expired or its user is disabled. */
  async sessionIdentity(sessionToken: string): Promise<Identity> {
    return this.sessionById(hashToken(sessionToken));
  }

  private async sessionById(id: string): Promise<Identity> {
    const now = this.now();
    const s = await this.repo.liveSession(id, now.toISOString());
    const u = s ? await this.repo.userById(s.userId) : undefined;
    if (!s || !u || u.disabled) throw new AppError('invalid_session', 'The session has ended or is not known; sign in again');
    if (now.getTime() - Date.parse(s.lastSeenAt) >= TOUCH_EVERY_MS) await this.repo.touchSession(s.id, now.toISOString());
    return { kind: 'user', login: u.login, displayName: u.displayName, roles: grants(u.roles), mustChangePassword: u.mustChangePassword, sessionId: s.id, csrfSecret: s.csrfSecret };
  }

  /** Whether a presented CSRF token is the session's (constant time). */
  csrfMatches(identity: Identity, presented: string | undefined): boolean {
    return identity.kind === 'user' && presented !== undefined && sameSecret(presented, identity.csrfSecret);
  }

  /** The identity of an API token; `invalid_token` when unknown, revoked or its maker is disabled. Its last use is recorded. */
  async tokenIdentity(token: string): Promise<Identity> {
    const t = await this.repo.tokenByHash(hashToken(token));
    if (!t || t.revokedAt !== null) throw new AppError('invalid_token', 'The API token is not known or was revoked');
    const identity = await this.judgeToken(t);
    const now = this.now();
    if (t.lastUsedAt === null || now.getTime() - Date.parse(t.lastUsedAt) >= TOUCH_EVERY_MS) await this.repo.markTokenUsed(t.id, now.toISOString());
    return identity;
  }

  /**
   * Whether a bearer value is an API token bound to this source and still
   * good (its maker enabled and administering): the one thing such a token
   * may do is push to its source.
   */
  async pushesTo(bearer: string, sourceCode: string): Promise<boolean> {
    if (!bearer.startsWith(API_TOKEN_PREFIX)) return false;
    try {
      const who = await this.tokenIdentity(bearer);
      return who.kind === 'token' && who.sourceCode === sourceCode;
    } catch (e) {
      if (e instanceof AppError) return false;
      throw e;
    }
  }

  /**
   * What a token may do now. Its roles are narrowed to its maker's current
   * ones (a token the system made keeps its own); a disabled maker, or
   * user it acts for, stops it. A token bound to a source holds no role:
   * its one right, pushing to that source, lasts while its maker still
   * administers (the right that made it).
   */
  private async judgeToken(t: StoredApiToken): Promise<Identity> {
    if (t.userId !== null) {
      const u = await this.repo.userById(t.userId);
      if (!u || u.disabled) throw new AppError('invalid_token', 'The API token belongs to a disabled user');
    }
    let roles = grants(t.roles);
    if (t.makerUserId !== null) {
      const maker = await this.repo.userById(t.makerUserId);
      if (!maker || maker.disabled) throw new AppError('invalid_token', 'The person who made this API token is disabled: it no longer works');
      const held = grants(maker.roles);
      if (t.sourceCode !== null && !grantsAllow(held, 'admin')) throw new AppError('invalid_token', 'The person who made this source token no longer administers: it no longer works');
      roles = narrowGrants(roles, held, await this.repo.ancestry(grantCodes([...roles, ...held])));
    }
    return { kind: 'token', tokenId: t.id, name: t.name, login: t.login, sourceCode: t.sourceCode, roles: t.sourceCode === null ? roles : [] };
  }

  /**
   * A new API token: the secret is in this answer only. It acts for the
   * signed-in user, or for a source. Its roles (unless it is bound to a
   * source) may not exceed what its creator holds now (403
   * `token_above_maker`); the system (no creator,
   * as the command line and the tests) is not held. Its maker is the
   * person behind the creator: the signed-in user, or the maker of the
   * token used (none when the system made that one).
   */
  async createToken(input: ApiTokenCreate, by: Identity): Promise<{ token: string; apiToken: ApiToken }> {
    const user = by.kind === 'user' ? await this.stored(by.login) : null;
    // A source-bound token's roles give it nothing (it may only push), so only the others are held to their creator's.
    if (by.kind !== 'anonymous' && input.sourceCode === null && !grantsWithin(input.roles, by.roles, await this.repo.ancestry(grantCodes([...input.roles, ...by.roles])))) {
      throw new AppError('token_above_maker', 'A token cannot hold more than the roles, over the scopes, of whoever makes it');
    }
    const makerUserId = user ? user.id : by.kind === 'token' ? ((await this.repo.tokenById(by.tokenId))?.makerUserId ?? null) : null;
    if (input.sourceCode !== null && !(await new SourcesRepository(this.ctx.store.db).get(input.sourceCode, ALL_ROWS))) throw new AppError('unknown_source', `No source ${input.sourceCode}`);
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const id = await this.repo.createToken(
      {
        tokenHash: hashToken(token),
        name: input.name,
        userId: input.sourceCode === null ? (user?.id ?? null) : null,
        sourceCode: input.sourceCode,
        roles: input.roles,
        createdBy: by.kind === 'user' ? by.login : by.kind === 'token' ? `token:${by.tokenId}` : null,
        makerUserId,
      },
      this.now().toISOString(),
    );
    const apiToken = await this.repo.tokenById(id);
    if (!apiToken) throw new Error(`token ${id} vanished`);
    return { token, apiToken: toToken(apiToken) };
  }

  async listTokens(): Promise<ApiToken[]> {
    return (await this.repo.tokens()).map(toToken);
  }

  async revokeToken(id: number): Promise<ApiToken> {
    if (!(await this.repo.revokeToken(id, this.now().toISOString()))) throw new AppError('unknown_api_token', `No API token ${id}`);
    this.accessChanged();
    const t = await this.repo.tokenById(id);
    if (!t) throw new AppError('unknown_api_token', `No API token ${id}`);
    return toToken(t);
  }
}
