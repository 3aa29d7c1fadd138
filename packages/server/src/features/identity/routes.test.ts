import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createHash } from 'node:crypto';
import type { Clock } from '@watchfloor/core';
import { SourcesRepository, type Store } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { buildApp } from '../../app';
import { loadConfig } from '../../config';
import type { AppContext } from '../../context';
import { TEST_NOW } from '../../testing';
import { IdentityService } from './service';

/** A clock the test moves forward (throttle windows, session expiry). */
function movableClock(iso: string): Clock & { advance(ms: number): void } {
  let t = Date.parse(iso);
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

const ADMIN = { login: 'Admin', displayName: 'Quản trị', password: 'correct horse battery staple' };
const sessionCookie = (r: LightMyRequestResponse) => r.cookies.find((c) => c.name === 'wf_session');

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`identity (${engine.engine})`, () => {
    let store: Store;
    let app: FastifyInstance;
    let ctx: AppContext;
    let clock: ReturnType<typeof movableClock>;
    let service: IdentityService;

    beforeAll(async () => {
      store = await engine.open();
      clock = movableClock(TEST_NOW);
      ctx = { store, clock, config: loadConfig({ WATCHFLOOR_LOG_LEVEL: 'silent' }) };
      app = await buildApp(ctx, { logger: false });
      await app.ready();
      service = new IdentityService(ctx);
      await new SourcesRepository(store.db).insert({
        code: 'DVC-86',
        name: 'Cổng dịch vụ công',
        kind: 'http_push',
        ownerOrgCode: 'VL-STC',
        schedule: null,
        expected: null,
        mapping: null,
        credentialsEnc: null,
        tokenHash: null,
        enabled: true,
        createdAt: TEST_NOW,
        updatedAt: TEST_NOW,
        pull: null,
      });
      await service.createUser({ ...ADMIN, login: 'admin', roles: [{ role: 'administrator', organisationCode: null, placeCode: null }], mustChangePassword: false });
    });
    afterAll(async () => {
      await app.close();
      await store.close();
    });

    let n = 0;
    /** Each test signs in from its own address, so the per-address throttle of one test does not reach another. */
    const address = () => `10.0.${Math.floor(++n / 250)}.${n % 250}`;
    async function signIn(login: string, password: string, extra: { remoteAddress?: string; host?: string } = {}) {
      return app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { login, password }, remoteAddress: extra.remoteAddress ?? address(), headers: extra.host ? { host: extra.host } : {} });
    }
    /** Requests of the signed-in administrator (users and tokens are theirs to manage). */
    let admin: { cookie: Record<string, string>; csrf: string } | null = null;
    async function asAdmin(opts: { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: object }) {
      admin ??= await session();
      return app.inject({ ...opts, cookies: admin.cookie, headers: { 'x-csrf-token': admin.csrf } });
    }
    async function session(login = 'admin', password = ADMIN.password) {
      const r = await signIn(login, password);
      expect(r.statusCode, r.body).toBe(200);
      return { cookie: { wf_session: sessionCookie(r)!.value }, csrf: r.json<{ csrfToken: string }>().csrfToken };
    }

    it('signs in with the right password (login without case) and sets a strict, httpOnly session cookie', async () => {
      const r = await signIn('ADMIN', ADMIN.password);
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json<{ user: { login: string; roles: { role: string }[] }; csrfToken: string; expiresAt: string }>();
      expect(body.user.login).toBe('admin');
      expect(body.user.roles).toEqual([{ role: 'administrator', organisationCode: null, placeCode: null }]);
      expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(body.expiresAt).toBe('2026-11-28T15:00:00.000Z');
      const c = sessionCookie(r)!;
      expect(c).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', maxAge: 12 * 3600 });
      // Plain http to localhost: not Secure, so a developer's browser keeps it.
      expect(c.secure).toBeUndefined();
      // The database holds the token's hash only.
      const rows = await store.db.selectFrom('session').select('id').execute();
      expect(rows.map((s) => s.id)).toContain(createHash('sha256').update(c.value).digest('hex'));
      expect(rows.map((s) => s.id)).not.toContain(c.value);
      const me = await app.inject({ method: 'GET', url: '/api/auth/me', cookies: { wf_session: c.value } });
      expect(me.json()).toMatchObject({ kind: 'user', user: { login: 'admin', mustChangePassword: false }, csrfToken: body.csrfToken });
    });

    it('marks the cookie Secure on any other host', async () => {
      const r = await signIn('admin', ADMIN.password, { host: 'ioc.travinh.gov.vn' });
      expect(sessionCookie(r)!.secure).toBe(true);
    });

    it('refuses a wrong password, an unknown login and a disabled account alike', async () => {
      expect((await signIn('admin', 'not the password at all')).json()).toMatchObject({ error: 'invalid_credentials' });
      const unknown = await signIn('nobody', ADMIN.password);
      expect(unknown.statusCode).toBe(401);
      expect(unknown.json()).toMatchObject({ error: 'invalid_credentials' });
      expect(sessionCookie(unknown)).toBeUndefined();
      await service.createUser({ login: 'off', displayName: 'Off', password: 'a long enough password', roles: [], mustChangePassword: false });
      await service.updateUser('off', { disabled: true });
      expect((await signIn('off', 'a long enough password')).json()).toMatchObject({ error: 'invalid_credentials' });
      expect((await app.inject({ method: 'GET', url: '/api/auth/me' })).json()).toEqual({ kind: 'anonymous', user: null, token: null, csrfToken: null });
    });

    it('ends the session on sign-out: the cookie no longer works', async () => {
      const s = await session();
      const out = await app.inject({ method: 'POST', url: '/api/auth/sign-out', cookies: s.cookie, headers: { 'x-csrf-token': s.csrf } });
      expect(out.statusCode).toBe(204);
      expect(sessionCookie(out)).toMatchObject({ value: '' });
      const me = await app.inject({ method: 'GET', url: '/api/auth/me', cookies: s.cookie });
      expect(me.statusCode).toBe(401);
      expect(me.json()).toMatchObject({ error: 'invalid_session' });
      // Signing out again, or signing in with the stale cookie, is no error.
      expect((await app.inject({ method: 'POST', url: '/api/auth/sign-out', cookies: s.cookie })).statusCode).toBe(204);
      const again = await app.inject({ method: 'POST', url: '/api/auth/sign-in', cookies: s.cookie, payload: { login: 'admin', password: ADMIN.password }, remoteAddress: address() });
      expect(again.statusCode).toBe(200);
    });

    it('refuses a forged session with 401 and clears the cookie, on any route', async () => {
      const r = await app.inject({ method: 'GET', url: '/api/places/86', cookies: { wf_session: 'forged-token-value' } });
      expect(r.statusCode).toBe(401);
      expect(r.json()).toMatchObject({ error: 'invalid_session' });
      expect(sessionCookie(r)).toMatchObject({ value: '' });
    });

    it('refuses an expired session', async () => {
      const s = await session();
      expect((await app.inject({ method: 'GET', url: '/api/auth/me', cookies: s.cookie })).statusCode).toBe(200);
      clock.advance(12 * 3600_000);
      try {
        const r = await app.inject({ method: 'GET', url: '/api/auth/me', cookies: s.cookie });
        expect(r.statusCode).toBe(401);
        expect(r.json()).toMatchObject({ error: 'invalid_session' });
      } finally {
        clock.advance(-12 * 3600_000);
      }
    });

    it('needs the session’s CSRF token on a state change signed in by cookie; reads need none', async () => {
      const s = await session();
      const body = { name: 'csrf test', roles: [{ role: 'leader' }] };
      const missing = await app.inject({ method: 'POST', url: '/api/tokens', cookies: s.cookie, payload: body });
      expect(missing.statusCode).toBe(403);
      expect(missing.json()).toMatchObject({ error: 'csrf_failed' });
      const wrong = await app.inject({ method: 'POST', url: '/api/tokens', cookies: s.cookie, headers: { 'x-csrf-token': 'x'.repeat(43) }, payload: body });
      expect(wrong.statusCode).toBe(403);
      const other = await session();
      expect((await app.inject({ method: 'POST', url: '/api/tokens', cookies: s.cookie, headers: { 'x-csrf-token': other.csrf }, payload: body })).statusCode).toBe(403);
      const right = await app.inject({ method: 'POST', url: '/api/tokens', cookies: s.cookie, headers: { 'x-csrf-token': s.csrf }, payload: body });
      expect(right.statusCode, right.body).toBe(201);
      expect(right.json()).toMatchObject({ apiToken: { login: 'admin', name: 'csrf test' } });
      expect((await app.inject({ method: 'GET', url: '/api/tokens', cookies: s.cookie })).statusCode).toBe(200);
      // An Authorization header that authenticates nothing does not excuse the cookie from its CSRF token.
      for (const authorization of ['Bearer junk', 'Basic YWRtaW46YWRtaW4=', 'Bearer wfp_not_an_api_token', '']) {
        const junk = await app.inject({ method: 'POST', url: '/api/tokens', cookies: s.cookie, headers: { authorization }, payload: body });
        expect(junk.statusCode, authorization).toBe(403);
        expect(junk.json()).toMatchObject({ error: 'csrf_failed' });
      }
      // Without a session cookie there is no ambient credential to forge, so no CSRF token is asked; but nobody anonymous manages tokens.
      const anonymous = await app.inject({ method: 'POST', url: '/api/tokens', payload: body });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json()).toMatchObject({ error: 'authentication_required' });
    });

    it('lets only administrators manage users and tokens', async () => {
      await service.createUser({ login: 'leader.one', displayName: 'Lãnh đạo', password: 'a leader password', roles: [{ role: 'leader', organisationCode: null, placeCode: '86' }], mustChangePassword: false });
      const leader = await session('leader.one', 'a leader password');
      for (const [method, url] of [['GET', '/api/users'], ['GET', '/api/tokens'], ['POST', '/api/users/leader.one/password-reset']] as const) {
        const r = await app.inject({ method, url, cookies: leader.cookie, headers: { 'x-csrf-token': leader.csrf }, ...(method === 'POST' ? { payload: { temporaryPassword: 'temporary 2026 pass' } } : {}) });
        expect(r.statusCode, `${method} ${url}`).toBe(403);
        expect(r.json()).toMatchObject({ error: 'forbidden' });
      }
      expect((await app.inject({ method: 'GET', url: '/api/users' })).json()).toMatchObject({ error: 'authentication_required' });
    });

    it('stops one address after 5 failures on an account for 15 minutes, even with the right password, while the owner elsewhere signs in', async () => {
      await service.createUser({ login: 'guessed', displayName: 'G', password: 'the right password', roles: [], mustChangePassword: false });
      const attacker = '198.51.100.5';
      for (let i = 0; i < 5; i++) expect((await signIn('guessed', `wrong password ${i}`, { remoteAddress: attacker })).statusCode).toBe(401);
      clock.advance(60_000);
      const blocked = await signIn('guessed', 'the right password', { remoteAddress: attacker });
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json()).toMatchObject({ error: 'too_many_attempts', details: { retryAfterSeconds: 840 } });
      expect(blocked.headers['retry-after']).toBe('840');
      // The throttle is in the database: another instance on the same store refuses too.
      const second = await buildApp({ ...ctx }, { logger: false });
      try {
        const r = await second.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { login: 'guessed', password: 'the right password' }, remoteAddress: attacker });
        expect(r.statusCode).toBe(429);
      } finally {
        await second.close();
      }
      // The real user, from their own address, is not locked out by someone else's guesses.
      expect((await signIn('guessed', 'the right password', { remoteAddress: '203.0.113.9' })).statusCode).toBe(200);
      clock.advance(14 * 60_000);
      expect((await signIn('guessed', 'the right password', { remoteAddress: attacker })).statusCode).toBe(200);
      // Success clears that address's count on the account.
      for (let i = 0; i < 4; i++) await signIn('guessed', 'wrong', { remoteAddress: attacker });
      expect((await signIn('guessed', 'the right password', { remoteAddress: attacker })).statusCode).toBe(200);
    });

    it('slows a guess spread over many addresses: past 10 failures on an account, one try a minute from anywhere', async () => {
      await service.createUser({ login: 'spread', displayName: 'S', password: 'the right password', roles: [], mustChangePassword: false });
      // Ten addresses, one failure each: no address is near its own limit.
      for (let i = 0; i < 10; i++) expect((await signIn('spread', `wrong password ${i}`)).statusCode).toBe(401);
      const slowed = await signIn('spread', 'the right password');
      expect(slowed.statusCode).toBe(429);
      expect(slowed.json()).toMatchObject({ error: 'too_many_attempts', details: { retryAfterSeconds: 60 } });
      expect(slowed.headers['retry-after']).toBe('60');
      clock.advance(60_000);
      // A minute on, one more try: a wrong one puts the next a minute further.
      expect((await signIn('spread', 'still wrong')).statusCode).toBe(401);
      expect((await signIn('spread', 'the right password')).json()).toMatchObject({ error: 'too_many_attempts', details: { retryAfterSeconds: 60 } });
      clock.advance(60_000);
      expect((await signIn('spread', 'the right password')).statusCode).toBe(200);
      clock.advance(15 * 60_000);
    });

    it('throttles an address after 20 failures in 15 minutes, whatever the accounts', async () => {
      const ip = '192.0.2.7';
      for (let i = 0; i < 20; i++) expect((await signIn(`user${i}`, 'wrong password', { remoteAddress: ip })).statusCode).toBe(401);
      const blocked = await signIn('admin', ADMIN.password, { remoteAddress: ip });
      expect(blocked.statusCode).toBe(429);
      expect(blocked.headers['retry-after']).toBe('900');
      // Another address is not affected.
      expect((await signIn('admin', ADMIN.password, { remoteAddress: '192.0.2.8' })).statusCode).toBe(200);
      clock.advance(15 * 60_000);
      expect((await signIn('admin', ADMIN.password, { remoteAddress: ip })).statusCode).toBe(200);
    });

    it('shows an API token once, stores its hash, records its last use and revokes it', async () => {
      const created = await asAdmin({ method: 'POST', url: '/api/tokens', payload: { name: 'Cổng dịch vụ công', sourceCode: 'DVC-86', roles: [{ role: 'agency_officer', organisationCode: 'VL-STC' }] } });
      expect(created.statusCode, created.body).toBe(201);
      const { token, apiToken } = created.json<{ token: string; apiToken: { id: number; lastUsedAt: string | null; sourceCode: string } }>();
      expect(token).toMatch(/^wft_[A-Za-z0-9_-]{43}$/);
      expect(apiToken).toMatchObject({ sourceCode: 'DVC-86', lastUsedAt: null, revokedAt: null });
      const stored = await store.db.selectFrom('api_token').select('token_hash').where('id', '=', apiToken.id).executeTakeFirstOrThrow();
      expect(stored.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
      const list = await asAdmin({ method: 'GET', url: '/api/tokens' });
      expect(list.body).not.toContain(token);
      expect(list.body).not.toContain(stored.token_hash);

      clock.advance(5 * 60_000);
      const usedAt = clock.now().toISOString();
      const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
      // Bound to a source, it holds no role: pushing to its source is its one right.
      expect(me.json()).toMatchObject({ kind: 'token', token: { id: apiToken.id, sourceCode: 'DVC-86', roles: [] } });
      // A state change with a valid token needs no CSRF token.
      const general = (await asAdmin({ method: 'POST', url: '/api/tokens', payload: { name: 'integration', roles: [{ role: 'leader' }] } })).json<{ token: string }>().token;
      expect((await app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { authorization: `Bearer ${general}` } })).statusCode).toBe(204);
      const used = (await asAdmin({ method: 'GET', url: '/api/tokens' })).json<{ tokens: { id: number; lastUsedAt: string }[] }>().tokens.find((t) => t.id === apiToken.id)!;
      expect(used.lastUsedAt).toBe(usedAt);

      const revoked = await asAdmin({ method: 'DELETE', url: `/api/tokens/${apiToken.id}` });
      expect(revoked.json()).toMatchObject({ revokedAt: usedAt });
      const after = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
      expect(after.statusCode).toBe(401);
      expect(after.json()).toMatchObject({ error: 'invalid_token' });
      expect((await asAdmin({ method: 'POST', url: '/api/tokens', payload: { name: 'x', sourceCode: 'NO-SUCH', roles: [{ role: 'leader' }] } })).json()).toMatchObject({ error: 'unknown_source' });
      expect((await asAdmin({ method: 'DELETE', url: '/api/tokens/999999' })).json()).toMatchObject({ error: 'unknown_api_token' });
      expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer wft_${'A'.repeat(43)}` } })).statusCode).toBe(401);
      // Other bearer values (sources' push tokens) are left to their own routes.
      expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: 'Bearer wfp_something' } })).json()).toMatchObject({ kind: 'anonymous' });
    });

    it('administers users: create, refuse a duplicate login, change roles, disable (ending sessions)', async () => {
      const created = await asAdmin({ method: 'POST', url: '/api/users', payload: { login: 'Lan.Nguyen', displayName: 'Nguyễn Thị Lan', password: 'temporary password 1', roles: [{ role: 'operator', placeCode: '86' }] } });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json()).toMatchObject({ login: 'lan.nguyen', mustChangePassword: true, disabled: false, roles: [{ role: 'operator', organisationCode: null, placeCode: '86' }] });
      expect(JSON.stringify(created.json())).not.toMatch(/argon2/);
      expect((await asAdmin({ method: 'POST', url: '/api/users', payload: { login: 'LAN.NGUYEN', displayName: 'x', password: 'another password 2' } })).json()).toMatchObject({ error: 'user_exists' });
      expect((await asAdmin({ method: 'POST', url: '/api/users', payload: { login: 'short', displayName: 'x', password: 'short' } })).json()).toMatchObject({ error: 'invalid_body' });
      const patched = await asAdmin({ method: 'PATCH', url: '/api/users/lan.nguyen', payload: { roles: [{ role: 'leader', organisationCode: 'VL-UBND' }, { role: 'operator', placeCode: '86' }] } });
      expect(patched.json<{ roles: unknown[] }>().roles).toHaveLength(2);
      const s = await session('lan.nguyen', 'temporary password 1');
      await asAdmin({ method: 'PATCH', url: '/api/users/lan.nguyen', payload: { disabled: true } });
      expect((await app.inject({ method: 'GET', url: '/api/auth/me', cookies: s.cookie })).statusCode).toBe(401);
      expect((await asAdmin({ method: 'PATCH', url: '/api/users/nobody', payload: { disabled: true } })).json()).toMatchObject({ error: 'unknown_user' });
      const list = (await asAdmin({ method: 'GET', url: '/api/users' })).json<{ users: { login: string; disabled: boolean }[] }>().users;
      expect(list.find((u) => u.login === 'lan.nguyen')).toMatchObject({ disabled: true });
    });

    it('resets a password: sessions end, the temporary one signs in and must be changed', async () => {
      await service.createUser({ login: 'binh', displayName: 'Bình', password: 'first own password', roles: [], mustChangePassword: false });
      const before = await session('binh', 'first own password');
      const reset = await asAdmin({ method: 'POST', url: '/api/users/binh/password-reset', payload: { temporaryPassword: 'temporary 2026 pass' } });
      expect(reset.json()).toMatchObject({ login: 'binh', mustChangePassword: true });
      expect((await app.inject({ method: 'GET', url: '/api/auth/me', cookies: before.cookie })).statusCode).toBe(401);
      expect((await signIn('binh', 'first own password')).statusCode).toBe(401);
      const s = await session('binh', 'temporary 2026 pass');
      expect((await app.inject({ method: 'GET', url: '/api/auth/me', cookies: s.cookie })).json()).toMatchObject({ user: { mustChangePassword: true } });
      const weak = await app.inject({ method: 'POST', url: '/api/auth/password', cookies: s.cookie, headers: { 'x-csrf-token': s.csrf }, payload: { currentPassword: 'temporary 2026 pass', newPassword: 'short' } });
      expect(weak.json()).toMatchObject({ error: 'invalid_body' });
      const wrong = await app.inject({ method: 'POST', url: '/api/auth/password', cookies: s.cookie, headers: { 'x-csrf-token': s.csrf }, payload: { currentPassword: 'not it', newPassword: 'my own new password' } });
      expect(wrong.json()).toMatchObject({ error: 'invalid_credentials' });
      const changed = await app.inject({ method: 'POST', url: '/api/auth/password', cookies: s.cookie, headers: { 'x-csrf-token': s.csrf }, payload: { currentPassword: 'temporary 2026 pass', newPassword: 'my own new password' } });
      expect(changed.json()).toMatchObject({ mustChangePassword: false });
      // The session that changed it goes on.
      expect((await app.inject({ method: 'GET', url: '/api/auth/me', cookies: s.cookie })).json()).toMatchObject({ user: { mustChangePassword: false } });
      expect((await signIn('binh', 'my own new password')).statusCode).toBe(200);
      expect((await app.inject({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'x', newPassword: 'my own new password' } })).json()).toMatchObject({ error: 'authentication_required' });
      expect((await asAdmin({ method: 'POST', url: '/api/users/nobody/password-reset', payload: { temporaryPassword: 'temporary 2026 pass' } })).json()).toMatchObject({ error: 'unknown_user' });
    });

    it('lets a session with a temporary password change it, ask who it is and sign out, and nothing else until then', async () => {
      await service.createUser({ login: 'temp', displayName: 'Tạm', password: 'temporary 2026 pass', roles: [{ role: 'administrator', organisationCode: null, placeCode: null }], mustChangePassword: true });
      const s = await session('temp', 'temporary 2026 pass');
      const as = (method: 'GET' | 'POST', url: string, payload?: object) => app.inject({ method, url, cookies: s.cookie, headers: { 'x-csrf-token': s.csrf }, ...(payload ? { payload } : {}) });
      for (const [method, url] of [['GET', '/api/users'], ['GET', '/api/places/86'], ['GET', '/api/auth/providers'], ['POST', '/api/tokens'], ['GET', '/api/live']] as const) {
        const r = await as(method, url, method === 'POST' ? { name: 'x', roles: [{ role: 'leader' }] } : undefined);
        expect(r.statusCode, `${method} ${url}`).toBe(403);
        expect(r.json()).toMatchObject({ error: 'password_change_required' });
      }
      expect((await as('GET', '/api/auth/me')).json()).toMatchObject({ user: { login: 'temp', mustChangePassword: true } });
      // The web app's pages still load, to show the change of password.
      expect((await app.inject({ method: 'GET', url: '/', cookies: s.cookie })).statusCode).toBe(200);
      expect((await as('POST', '/api/auth/password', { currentPassword: 'temporary 2026 pass', newPassword: 'my own new password' })).statusCode).toBe(200);
      expect((await as('GET', '/api/users')).statusCode).toBe(200);
      const other = await session('temp', 'my own new password');
      await service.resetPassword('temp', 'temporary 2027 pass');
      const again = await session('temp', 'temporary 2027 pass');
      expect((await app.inject({ method: 'GET', url: '/api/users', cookies: again.cookie })).json()).toMatchObject({ error: 'password_change_required' });
      expect((await app.inject({ method: 'POST', url: '/api/auth/sign-out', cookies: again.cookie, headers: { 'x-csrf-token': again.csrf } })).statusCode).toBe(204);
      expect((await app.inject({ method: 'GET', url: '/api/auth/me', cookies: other.cookie })).statusCode).toBe(401);
    });

    it('tells the demo accounts and their password file to administrators only', async () => {
      const demoCtx: AppContext = { ...ctx, config: loadConfig({ WATCHFLOOR_LOG_LEVEL: 'silent', WATCHFLOOR_DEMO_DATA: 'true', WATCHFLOOR_DATA_DIR: '/srv/watchfloor/var' }) };
      const demo = await buildApp(demoCtx, { logger: false });
      try {
        await service.createUser({ login: 'demo.leader', displayName: 'Demo', password: 'demo password 2026', roles: [{ role: 'leader', organisationCode: null, placeCode: null }], mustChangePassword: false });
        await service.createUser({ login: 'plain.leader', displayName: 'Leader', password: 'a leader password 2026', roles: [{ role: 'leader', organisationCode: null, placeCode: null }], mustChangePassword: false });
        const leader = await session('plain.leader', 'a leader password 2026');
        for (const r of [await demo.inject({ method: 'GET', url: '/api/auth/providers' }), await demo.inject({ method: 'GET', url: '/api/auth/providers', cookies: leader.cookie })]) {
          expect(r.json()).toEqual({ password: true, oidc: null, demo: true, demoAccounts: null });
          expect(r.body).not.toContain('demo.leader');
          expect(r.body).not.toContain('/srv/watchfloor');
        }
        admin ??= await session();
        const asAdministrator = await demo.inject({ method: 'GET', url: '/api/auth/providers', cookies: admin.cookie });
        expect(asAdministrator.json()).toMatchObject({ demo: true, demoAccounts: { logins: ['demo.leader'], file: expect.stringContaining('/srv/watchfloor/var/') } });
      } finally {
        await demo.close();
      }
    });

    it('stores passwords as argon2id with the OWASP parameters', async () => {
      const row = await store.db.selectFrom('app_user').select('password_hash').where('login', '=', 'admin').executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    });

    it('records every change to users and API tokens in the audit log, without passwords or hashes', async () => {
      const created = await asAdmin({ method: 'POST', url: '/api/users', payload: { login: 'audited', displayName: 'Trần Văn Audit', password: 'first temporary password', roles: [{ role: 'leader' }] } });
      expect(created.statusCode, created.body).toBe(201);
      await asAdmin({ method: 'PATCH', url: '/api/users/audited', payload: { roles: [{ role: 'operator', placeCode: '29242' }] } });
      await asAdmin({ method: 'POST', url: '/api/users/audited/password-reset', payload: { temporaryPassword: 'second temporary password' } });
      const token = await asAdmin({ method: 'POST', url: '/api/tokens', payload: { name: 'audited integration', roles: [{ role: 'leader' }] } });
      const tokenId = token.json<{ apiToken: { id: number } }>().apiToken.id;
      await asAdmin({ method: 'DELETE', url: `/api/tokens/${tokenId}` });
      const read = await asAdmin({ method: 'GET', url: '/api/audit?entity=user:audited' });
      const events = read.json<{ events: { action: string; actor: string; before: { roles?: unknown } | null; after: { roles?: unknown } | null }[] }>().events;
      expect(events.map((e) => e.action).reverse()).toEqual(['user.create', 'user.update', 'user.password_reset']);
      expect(events.every((e) => e.actor === 'admin')).toBe(true);
      const update = events.find((e) => e.action === 'user.update');
      expect(update?.before?.roles).toEqual([{ role: 'leader', organisationCode: null, placeCode: null }]);
      expect(update?.after?.roles).toEqual([{ role: 'operator', organisationCode: null, placeCode: '29242' }]);
      const tokenEvents = (await asAdmin({ method: 'GET', url: `/api/audit?entity=api_token:${tokenId}` })).json<{ events: { action: string }[] }>().events;
      expect(tokenEvents.map((e) => e.action).reverse()).toEqual(['api_token.create', 'api_token.revoke']);
      const everything = (await asAdmin({ method: 'GET', url: '/api/audit.csv' })).body;
      for (const secret of ['first temporary password', 'second temporary password', token.json<{ token: string }>().token, '$argon2id$']) expect(everything).not.toContain(secret);
    });

    it('sweeps expired sessions away when a new one starts', async () => {
      const old = await session();
      const oldId = createHash('sha256').update(old.cookie.wf_session!).digest('hex');
      clock.advance(13 * 3600_000);
      try {
        await session();
        const ids = (await store.db.selectFrom('session').select('id').execute()).map((r) => r.id);
        expect(ids).not.toContain(oldId);
        expect(ids.length).toBeGreaterThan(0);
      } finally {
        clock.advance(-13 * 3600_000);
        admin = null;
      }
    });
  });
}
