import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import Provider, { type Account, type JWK } from 'oidc-provider';
import type { Clock, Grant } from '@watchfloor/core';
import { IdentityRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { ConfigError, loadConfig } from '../../config';
import { OutboundGuard } from '@watchfloor/connectors';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { OidcClient, safeNext } from './oidc';
import { IdentityService } from './service';

/**
 * OpenID Connect sign-in against a real provider: panva's oidc-provider,
 * run here on 127.0.0.1, with one confidential client (client_secret_basic)
 * and a tiny interaction handler standing in for its login and consent
 * pages. The browser is played by fetch (manual redirects, the provider's
 * cookies carried) and by `inject` for our own routes.
 */

const REDIRECT_URL = 'http://localhost/api/auth/oidc/callback';
const CLIENT_ID = 'watchfloor';
const CLIENT_SECRET = 'the client secret of the tests, long enough';

/** The provider's people: account id → claims. Lan and Binh have Watchfloor users; Nobody does not. */
const PEOPLE: Record<string, { preferred_username: string; name: string; email: string }> = {
  'sub-lan': { preferred_username: 'Lan.Nguyen', name: 'Nguyễn Thị Lan', email: 'lan@example.vn' },
  'sub-binh': { preferred_username: 'binh', name: 'Trần Văn Bình', email: 'binh@example.vn' },
  'sub-nobody': { preferred_username: 'nobody', name: 'Người lạ', email: 'nobody@example.vn' },
};

/** Who the interaction handler signs in next: an account id, or null to refuse (access_denied). */
let signInAs: string | null = 'sub-lan';
let provider: Provider;
let http: Server;
let issuer: string;
/** Requests the provider received. */
let requestsToProvider = 0;

function startProvider(): Promise<void> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key: JWK = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const interactions = async (req: IncomingMessage, res: ServerResponse) => {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      const result = signInAs === null ? { error: 'access_denied', error_description: 'The person said no' } : { login: { accountId: signInAs } };
      return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    }
    // Consent: grant what was asked.
    const grant = new provider.Grant({ accountId: details.session?.accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  };
  http = createServer((req, res) => {
    requestsToProvider++;
    if (req.url?.startsWith('/interaction/')) {
      interactions(req, res).catch((e: unknown) => {
        res.statusCode = 500;
        res.end(String(e));
      });
      return;
    }
    void provider.callback()(req, res);
  });
  return new Promise((done) => {
    http.listen(0, '127.0.0.1', () => {
      issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      provider = new Provider(issuer, {
        clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [REDIRECT_URL], token_endpoint_auth_method: 'client_secret_basic', grant_types: ['authorization_code'], response_types: ['code'] }],
        jwks: { keys: [key] },
        cookies: { keys: ['the provider cookie key of the tests'] },
        claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'] },
        features: { devInteractions: { enabled: false } },
        ttl: { Interaction: 600, Session: 3600, Grant: 3600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
        interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
        findAccount: (_ctx, sub): Account | undefined => {
          const person = PEOPLE[sub];
          return person ? { accountId: sub, claims: () => ({ sub, ...person, email_verified: true }) } : undefined;
        },
      });
      done();
    });
  });
}

/** The browser at the provider: follows its redirects with its cookies until it is sent back to our callback; answers the callback's path and query. */
async function throughProvider(authorizationUrl: string): Promise<string> {
  const jar = new Map<string, string>();
  let url = new URL(authorizationUrl);
  for (let hop = 0; hop < 12; hop++) {
    const r = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of r.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) jar.delete(name);
      else jar.set(name, value);
    }
    const location = r.headers.get('location');
    if (r.status < 300 || r.status >= 400 || !location) throw new Error(`the provider answered ${r.status} at ${url.pathname}: ${await r.text()}`);
    url = new URL(location, url);
    if (url.href.startsWith(REDIRECT_URL)) return `${url.pathname}${url.search}`;
  }
  throw new Error('too many redirects at the provider');
}

const oidcEnv = () => ({
  WATCHFLOOR_OIDC_ISSUER: issuer,
  WATCHFLOOR_OIDC_CLIENT_ID: CLIENT_ID,
  WATCHFLOOR_OIDC_CLIENT_SECRET: CLIENT_SECRET,
  WATCHFLOOR_OIDC_REDIRECT_URL: REDIRECT_URL,
  WATCHFLOOR_OIDC_LABEL: 'Đăng nhập một lần (SSO)',
  // The provider of these tests runs on this machine: an inside address the outbound guard allows only when listed.
  WATCHFLOOR_OUTBOUND_ALLOW: '127.0.0.1',
});
const cookieOf = (r: LightMyRequestResponse, name: string) => r.cookies.find((c) => c.name === name);
const OPERATOR: Grant = { role: 'operator', organisationCode: null, placeCode: '86' };

beforeAll(startProvider);
afterAll(async () => {
  await new Promise((done) => http.close(done));
});

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`OpenID Connect sign-in (${engine.engine})`, () => {
    let s: TestServer;
    let n = 0;
    /** Each flow from its own address, so the per-address throttle of one test does not reach another. */
    const address = () => `10.9.0.${++n}`;

    beforeAll(async () => {
      s = await openTestServer(engine, { env: oidcEnv() });
      const identity = new IdentityService(s.ctx);
      await identity.createUser({ login: 'lan.nguyen', displayName: 'Nguyễn Thị Lan', password: 'a password nobody types', roles: [OPERATOR], mustChangePassword: false });
      await identity.createUser({ login: 'binh', displayName: 'Trần Văn Bình', password: 'a password nobody types', roles: [], mustChangePassword: false });
      await identity.updateUser('binh', { disabled: true });
    });
    afterAll(async () => s?.close());

    /** Starts at our app, goes through the provider as `who`, and brings its answer to our callback. */
    async function flow(who: string | null, opts: { next?: string; remoteAddress?: string; tamper?: (callback: string) => string } = {}) {
      signInAs = who;
      const remoteAddress = opts.remoteAddress ?? address();
      const start = await s.app.inject({ method: 'GET', url: `/api/auth/oidc/start${opts.next === undefined ? '' : `?next=${encodeURIComponent(opts.next)}`}`, remoteAddress });
      expect(start.statusCode, start.body).toBe(302);
      const state = cookieOf(start, 'wf_oidc');
      expect(state).toBeDefined();
      const callback = await throughProvider(start.headers.location as string);
      const url = opts.tamper ? opts.tamper(callback) : callback;
      const done = await s.app.inject({ method: 'GET', url, remoteAddress, cookies: { wf_oidc: state!.value } });
      return { start, callback, done };
    }

    it('says which ways of signing in there are', async () => {
      const r = await s.app.inject('/api/auth/providers');
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({ password: true, oidc: { label: 'Đăng nhập một lần (SSO)', startUrl: '/api/auth/oidc/start' }, demo: false, demoAccounts: null });
    });

    it('sends the browser to the provider with PKCE, state and nonce, keeping them in an encrypted Lax cookie', async () => {
      const r = await s.app.inject({ method: 'GET', url: '/api/auth/oidc/start?next=/p/86', remoteAddress: address() });
      expect(r.statusCode).toBe(302);
      const to = new URL(r.headers.location as string);
      expect(`${to.origin}${to.pathname}`).toBe(`${issuer}/auth`);
      expect(Object.fromEntries(to.searchParams)).toMatchObject({ client_id: CLIENT_ID, redirect_uri: REDIRECT_URL, response_type: 'code', scope: 'openid profile email', code_challenge_method: 'S256' });
      for (const p of ['code_challenge', 'state', 'nonce']) expect(to.searchParams.get(p)).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const c = cookieOf(r, 'wf_oidc')!;
      expect(c).toMatchObject({ path: '/api/auth/oidc', httpOnly: true, sameSite: 'Lax', maxAge: 600 });
      // Nothing of the flow is readable in the cookie.
      for (const p of ['state', 'nonce']) expect(c.value).not.toContain(to.searchParams.get(p));
      expect(c.value).not.toContain('/p/86');
    });

    it('signs a known user in through the provider: session cookie, roles, and back to where they were going', async () => {
      const { done } = await flow('sub-lan', { next: '/p/86?period=2026-10' });
      expect(done.statusCode, done.body).toBe(302);
      expect(done.headers.location).toBe('/p/86?period=2026-10');
      const session = cookieOf(done, 'wf_session')!;
      // The same session cookie as a password sign-in.
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', maxAge: 12 * 3600 });
      expect(cookieOf(done, 'wf_oidc')).toMatchObject({ value: '' });
      const me = await s.app.inject({ method: 'GET', url: '/api/auth/me', cookies: { wf_session: session.value } });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ kind: 'user', user: { login: 'lan.nguyen', displayName: 'Nguyễn Thị Lan', roles: [OPERATOR] } });
      // The session is a row like any other, with where it came from.
      const rows = await s.store.db.selectFrom('session').select(['ip', 'expires_at']).execute();
      expect(rows).toContainEqual({ ip: expect.stringMatching(/^10\.9\.0\.\d+$/), expires_at: expect.anything() });
    });

    it('goes to / when next is not a path of this site', async () => {
      const { done } = await flow('sub-lan', { next: '//evil.example/steal' });
      expect(done.statusCode, done.body).toBe(302);
      expect(done.headers.location).toBe('/');
    });

    it('refuses a person with no Watchfloor user, or a disabled one: 403 oidc_unknown_user and no session', async () => {
      for (const who of ['sub-nobody', 'sub-binh']) {
        const { done } = await flow(who);
        expect(done.statusCode, who).toBe(403);
        expect(done.json()).toMatchObject({ error: 'oidc_unknown_user', message: expect.stringContaining('administrator') });
        expect(cookieOf(done, 'wf_session')).toBeUndefined();
      }
    });

    it('refuses an altered state, a missing or altered cookie, and a replayed answer: 400 oidc_failed', async () => {
      const { done } = await flow('sub-lan', { tamper: (cb) => cb.replace(/state=[^&]+/, 'state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA') });
      expect(done.statusCode).toBe(400);
      expect(done.json()).toMatchObject({ error: 'oidc_failed' });
      expect(cookieOf(done, 'wf_session')).toBeUndefined();
      expect(cookieOf(done, 'wf_oidc')).toMatchObject({ value: '' });
      expect(done.body).not.toMatch(/\bat .*\.(ts|js):\d+/);

      signInAs = 'sub-lan';
      const start = await s.app.inject({ method: 'GET', url: '/api/auth/oidc/start', remoteAddress: address() });
      const callback = await throughProvider(start.headers.location as string);
      const cookie = cookieOf(start, 'wf_oidc')!.value;
      const missing = await s.app.inject({ method: 'GET', url: callback });
      expect(missing.statusCode).toBe(400);
      expect(missing.json()).toMatchObject({ error: 'oidc_failed', message: expect.stringContaining('start again') });
      const altered = await s.app.inject({ method: 'GET', url: callback, cookies: { wf_oidc: `${cookie.slice(0, -2)}${cookie.endsWith('A') ? 'B' : 'A'}A` } });
      expect(altered.statusCode).toBe(400);
      expect(altered.json()).toMatchObject({ error: 'oidc_failed' });
      // The real cookie works once; the same answer again is refused by the provider (a code is used once).
      const first = await s.app.inject({ method: 'GET', url: callback, cookies: { wf_oidc: cookie } });
      expect(first.statusCode, first.body).toBe(302);
      const again = await s.app.inject({ method: 'GET', url: callback, cookies: { wf_oidc: cookie } });
      expect(again.statusCode).toBe(400);
      expect(again.json()).toMatchObject({ error: 'oidc_failed', message: expect.stringContaining('invalid_grant') });
    });

    it("passes on the provider's refusal by its code: 400 oidc_failed naming access_denied", async () => {
      const { done } = await flow(null);
      expect(done.statusCode).toBe(400);
      expect(done.json()).toEqual({ error: 'oidc_failed', message: 'The OpenID Connect provider did not sign you in: access_denied' });
    });

    it('throttles the callback per address like password sign-in', async () => {
      const from = address();
      const now = Date.parse(TEST_NOW);
      const repo = new IdentityRepository(s.store.db);
      for (let i = 0; i < 20; i++) await repo.recordFailure([`address:${from}`], new Date(now - 60_000).toISOString(), new Date(now - 15 * 60_000).toISOString());
      const { done } = await flow('sub-lan', { remoteAddress: from });
      expect(done.statusCode).toBe(429);
      expect(done.json()).toMatchObject({ error: 'too_many_attempts' });
      expect(done.headers['retry-after']).toBe('840');
      expect(cookieOf(done, 'wf_session')).toBeUndefined();
    });

    it('keeps a sign-in in progress 10 minutes, no longer', async () => {
      const config = loadConfig(oidcEnv()).oidc!;
      let t = Date.parse(TEST_NOW);
      const clock: Clock = { now: () => new Date(t) };
      const client = new OidcClient(config, clock, undefined, new OutboundGuard(loadConfig(oidcEnv()).outboundAllow));
      signInAs = 'sub-lan';
      const started = await client.start('/');
      const callback = await throughProvider(started.url);
      t += 10 * 60_000;
      await expect(client.finish(new URL(callback, 'http://localhost').search, started.cookie)).rejects.toMatchObject({ code: 'oidc_failed', message: expect.stringContaining('too long') });
      // A cookie sealed by a server with another key does not open here.
      const other = new OidcClient(config, clock, Buffer.alloc(32, 7), new OutboundGuard(loadConfig(oidcEnv()).outboundAllow));
      t -= 10 * 60_000;
      await expect(other.finish(new URL(callback, 'http://localhost').search, started.cookie)).rejects.toMatchObject({ code: 'oidc_failed' });
    });

    it('reaches the provider through the outbound guard: a provider at an inside address not listed is not called', async () => {
      const { WATCHFLOOR_OUTBOUND_ALLOW: _listed, ...unlisted } = oidcEnv();
      const client = new OidcClient(loadConfig(unlisted).oidc!, { now: () => new Date(TEST_NOW) }, undefined, new OutboundGuard(loadConfig(unlisted).outboundAllow));
      const before = requestsToProvider;
      await expect(client.start('/')).rejects.toMatchObject({ code: 'oidc_failed', message: expect.stringContaining('outbound_not_allowed') });
      expect(requestsToProvider).toBe(before);
    });
  });

  describe.skipIf(engine.skip)(`without OpenID Connect (${engine.engine})`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine);
    });
    afterAll(async () => s?.close());

    it('offers the password only and answers oidc_not_configured', async () => {
      expect((await s.app.inject('/api/auth/providers')).json()).toEqual({ password: true, oidc: null, demo: false, demoAccounts: null });
      for (const url of ['/api/auth/oidc/start?next=/', '/api/auth/oidc/callback?code=x&state=y']) {
        const r = await s.app.inject(url);
        expect(r.statusCode, url).toBe(404);
        expect(r.json()).toMatchObject({ error: 'oidc_not_configured' });
      }
    });
  });
}

describe('OpenID Connect configuration', () => {
  it('is off unless the issuer is set, and needs the client and the redirect URL with it', () => {
    expect(loadConfig({}).oidc).toBeNull();
    expect(loadConfig(oidcEnv()).oidc).toEqual({ issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUrl: REDIRECT_URL, loginClaim: 'preferred_username', label: 'Đăng nhập một lần (SSO)' });
    expect(() => loadConfig({ WATCHFLOOR_OIDC_ISSUER: 'https://id.example.vn' })).toThrow(ConfigError);
    expect(() => loadConfig({ WATCHFLOOR_OIDC_ISSUER: 'https://id.example.vn' })).toThrow(/WATCHFLOOR_OIDC_CLIENT_ID: must be set/);
    expect(() => loadConfig({ WATCHFLOOR_OIDC_CLIENT_ID: 'x' })).toThrow(/set WATCHFLOOR_OIDC_ISSUER too/);
  });

  it('refuses a plain-http issuer elsewhere than this machine, a redirect URL that is not our callback, and never echoes the secret', () => {
    expect(() => loadConfig({ ...oidcEnv(), WATCHFLOOR_OIDC_ISSUER: 'http://id.example.vn' })).toThrow(/WATCHFLOOR_OIDC_ISSUER="http:\/\/id.example.vn": must be an https:\/\/ URL/);
    expect(() => loadConfig({ ...oidcEnv(), WATCHFLOOR_OIDC_REDIRECT_URL: 'https://ioc.example.vn/callback' })).toThrow(/WATCHFLOOR_OIDC_REDIRECT_URL=.*\/api\/auth\/oidc\/callback/);
    expect(() => loadConfig({ ...oidcEnv(), WATCHFLOOR_OIDC_LOGIN_CLAIM: 'not a claim!', WATCHFLOOR_OIDC_CLIENT_SECRET: 'x'.repeat(1001) })).toThrow(/WATCHFLOOR_OIDC_CLIENT_SECRET=\(hidden\)/);
    expect(loadConfig({ ...oidcEnv(), WATCHFLOOR_OIDC_ISSUER: 'https://id.example.vn/realms/ioc', WATCHFLOOR_OIDC_LOGIN_CLAIM: 'email' }).oidc).toMatchObject({ issuer: 'https://id.example.vn/realms/ioc', loginClaim: 'email', label: 'Đăng nhập một lần (SSO)' });
  });

  it('keeps only paths of this site as where to go next', () => {
    expect(safeNext(undefined)).toBe('/');
    expect(safeNext('/p/86?period=2026-10#map')).toBe('/p/86?period=2026-10#map');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example/', 'p/86', '/p/86\n', 'javascript:alert(1)', '']) expect(safeNext(bad), bad).toBe('/');
  });
});
