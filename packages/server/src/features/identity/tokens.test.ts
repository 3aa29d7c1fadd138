import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { IdentityService } from './service';

/**
 * A token never holds more than its maker holds now: judged at every use,
 * so demoting the maker narrows it and disabling them stops it; a token
 * bound to a source may push to it and do nothing else.
 */
const PASSWORD = 'tokens test password 2026';

interface Signed {
  as(o: InjectOptions): Promise<LightMyRequestResponse>;
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`API tokens within their maker's rights (${engine.engine})`, () => {
    let s: TestServer;
    let identity: IdentityService;

    beforeAll(async () => {
      s = await openTestServer(engine);
      identity = new IdentityService(s.ctx);
      const created = await s.app.inject({ method: 'POST', url: '/api/sources', payload: { code: 'TOK-PUSH', name: 'Push', kind: 'http_push', ownerOrganisationCode: 'VL-STC' } });
      expect(created.statusCode, created.body).toBe(201);
      const other = await s.app.inject({ method: 'POST', url: '/api/sources', payload: { code: 'TOK-OTHER', name: 'Other', kind: 'http_push', ownerOrganisationCode: 'VL-STC' } });
      expect(other.statusCode, other.body).toBe(201);
    }, 60_000);
    afterAll(async () => s?.close());

    /** A user with these roles, signed in: `as` sends their cookie and CSRF token. */
    async function signedIn(login: string, roles: { role: 'administrator' | 'leader'; placeCode?: string }[]): Promise<Signed> {
      await identity.createUser({ login, displayName: login, password: PASSWORD, mustChangePassword: false, roles: roles.map((r) => ({ role: r.role, organisationCode: null, placeCode: r.placeCode ?? null })) });
      const r = await s.anonymous({ method: 'POST', url: '/api/auth/sign-in', payload: { login, password: PASSWORD } });
      expect(r.statusCode, r.body).toBe(200);
      const cookie = r.cookies.find((c) => c.name === 'wf_session')!.value;
      const csrf = r.json<{ csrfToken: string }>().csrfToken;
      return { as: (o) => s.app.inject({ ...o, cookies: { wf_session: cookie }, headers: { ...(o.headers ?? {}), 'x-csrf-token': csrf } }) };
    }
    const bearer = (token: string, o: InjectOptions) => s.app.inject({ ...o, headers: { ...(o.headers ?? {}), authorization: `Bearer ${token}` } });
    const newUser = (login: string) => ({ method: 'POST' as const, url: '/api/users', payload: { login, displayName: login, password: 'a temporary password 1', roles: [{ role: 'administrator' }] } });
    async function makeToken(by: Signed | string, body: object): Promise<{ token: string; apiToken: { id: number; createdBy: string | null; createdWithToken: number | null; createdAt: string } }> {
      const o = { method: 'POST' as const, url: '/api/tokens', payload: body };
      const r = typeof by === 'string' ? await bearer(by, o) : await by.as(o);
      expect(r.statusCode, r.body).toBe(201);
      return r.json();
    }

    it('an administrator’s administrator token stops creating users once its maker is a leader, and stops altogether once they are disabled', async () => {
      const boss = await signedIn('boss', [{ role: 'administrator' }]);
      const { token, apiToken } = await makeToken(boss, { name: 'boss integration', roles: [{ role: 'administrator' }] });
      expect(apiToken).toMatchObject({ createdBy: 'boss', createdWithToken: null, createdAt: new Date(TEST_NOW).toISOString() });
      expect((await bearer(token, newUser('made.by.token'))).statusCode).toBe(201);

      // Another administrator (here the system's token) demotes the maker.
      const demoted = await s.app.inject({ method: 'PATCH', url: '/api/users/boss', payload: { roles: [{ role: 'leader' }] } });
      expect(demoted.statusCode, demoted.body).toBe(200);
      const refused = await bearer(token, newUser('made.after.demotion'));
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ error: 'forbidden' });
      expect(JSON.stringify((await s.app.inject({ method: 'GET', url: '/api/users' })).json())).not.toContain('made.after.demotion');
      // What the token holds now is what the maker holds: an administrator role a leader does not give is gone.
      expect((await bearer(token, { method: 'GET', url: '/api/auth/me' })).json()).toMatchObject({ kind: 'token', token: { id: apiToken.id, roles: [] } });

      expect((await s.app.inject({ method: 'PATCH', url: '/api/users/boss', payload: { disabled: true } })).statusCode).toBe(200);
      const stopped = await bearer(token, { method: 'GET', url: '/api/auth/me' });
      expect(stopped.statusCode).toBe(401);
      expect(stopped.json()).toMatchObject({ error: 'invalid_token' });
    });

    it('narrows a token to the part of the scope its maker still holds, and never makes one above its maker', async () => {
      const chief = await signedIn('chief', [{ role: 'administrator' }]);
      const { token } = await makeToken(chief, { name: 'reader', roles: [{ role: 'leader' }] });
      expect((await bearer(token, { method: 'GET', url: '/api/auth/me' })).json()).toMatchObject({ token: { roles: [{ role: 'leader', organisationCode: null, placeCode: null }] } });
      // The maker now administers commune 29242 only: the token reads there only.
      await s.app.inject({ method: 'PATCH', url: '/api/users/chief', payload: { roles: [{ role: 'administrator', placeCode: '29242' }] } });
      expect((await bearer(token, { method: 'GET', url: '/api/auth/me' })).json()).toMatchObject({ token: { roles: [{ role: 'leader', organisationCode: null, placeCode: '29242' }] } });

      // A token above the maker's roles or scope is not made at all.
      for (const roles of [[{ role: 'administrator' }], [{ role: 'leader', placeCode: '86' }], [{ role: 'operator', placeCode: '29242' }]]) {
        const r = await chief.as({ method: 'POST', url: '/api/tokens', payload: { name: 'too much', roles } });
        expect(r.statusCode, JSON.stringify(roles)).toBe(403);
        expect(r.json()).toMatchObject({ error: 'token_above_maker' });
      }
      const within = await makeToken(chief, { name: 'within', roles: [{ role: 'leader', placeCode: '29242' }] });
      expect(within.apiToken.createdBy).toBe('chief');
    });

    it('a token made with a token has the same maker, and shows which token made it', async () => {
      const maker = await signedIn('maker', [{ role: 'administrator' }]);
      const parent = await makeToken(maker, { name: 'parent', roles: [{ role: 'administrator' }] });
      const child = await makeToken(parent.token, { name: 'child', roles: [{ role: 'leader' }] });
      expect(child.apiToken).toMatchObject({ createdBy: 'maker', createdWithToken: parent.apiToken.id });
      const listed = (await s.app.inject({ method: 'GET', url: '/api/tokens' })).json<{ tokens: { name: string; createdBy: string | null; createdAt: string }[] }>().tokens;
      // The tests' own token was made by the system: no person, and it keeps its roles.
      expect(listed.find((t) => t.name === 'tests')).toMatchObject({ createdBy: null });
      expect(listed.find((t) => t.name === 'child')).toMatchObject({ createdBy: 'maker', createdAt: new Date(TEST_NOW).toISOString() });
      // Its maker disabled, the child stops too, though the parent was never revoked.
      await s.app.inject({ method: 'PATCH', url: '/api/users/maker', payload: { disabled: true } });
      expect((await bearer(child.token, { method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    });

    it('a source-bound token with administrator roles pushes to its source and does nothing else', async () => {
      const admin = await signedIn('source.admin', [{ role: 'administrator' }]);
      const { token, apiToken } = await makeToken(admin, { name: 'gateway', sourceCode: 'TOK-PUSH', roles: [{ role: 'administrator' }] });
      expect(apiToken).toMatchObject({ createdBy: 'source.admin' });
      const push = (code: string) =>
        bearer(token, { method: 'POST', url: `/api/sources/${code}/push?dryRun=true`, headers: { 'content-type': 'application/x-ndjson' }, payload: '{"indicator":"X","place":"86","period":"2026-10","value":1}\n' });
      const pushed = await push('TOK-PUSH');
      expect(pushed.statusCode, pushed.body).toBe(200);
      expect(pushed.json()).toMatchObject({ dryRun: true });

      const elsewhere: InjectOptions[] = [
        newUser('made.by.source.token'),
        { method: 'GET', url: '/api/users' },
        { method: 'GET', url: '/api/tokens' },
        { method: 'POST', url: '/api/tokens', payload: { name: 'x', roles: [{ role: 'leader' }] } },
        { method: 'GET', url: '/api/sources' },
        { method: 'GET', url: '/api/sources/TOK-PUSH' },
        { method: 'GET', url: '/api/overview' },
      ];
      for (const o of elsewhere) {
        const r = await bearer(token, o);
        expect(r.statusCode, `${o.method} ${o.url}`).toBe(403);
        expect(r.json()).toMatchObject({ error: 'forbidden' });
      }
      expect((await push('TOK-OTHER')).statusCode).toBe(403);
      expect((await bearer(token, { method: 'GET', url: '/api/auth/me' })).json()).toMatchObject({ kind: 'token', token: { sourceCode: 'TOK-PUSH', roles: [] } });

      // Its maker disabled, it pushes no more.
      await s.app.inject({ method: 'PATCH', url: '/api/users/source.admin', payload: { disabled: true } });
      const after = await push('TOK-PUSH');
      expect(after.statusCode).toBe(401);
      expect(after.json()).toMatchObject({ error: 'invalid_token' });
    });
  });
}
