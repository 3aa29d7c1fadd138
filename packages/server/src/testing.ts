import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { ANONYMOUS, apiTokenCreateSchema, fixedClock, grantSchema, ROLES, type GrantInput } from '@watchfloor/core';
import { IdentityService } from './features/identity/service';
import type { Access } from './http/policy';
import { PlacesRepository, StationsRepository, type Store } from '@watchfloor/db';
import type { TestEngine } from '@watchfloor/db/testing';
import { buildApp } from './app';
import { createLiveHub } from './live/hub';
import { loadGeography } from './features/geography/load';
import { loadDemoData, loadPci } from './features/indicators/seed';
import { seedOrganisations } from './features/organisations/seed';
import { REFERENCE_DATA_DIR } from './paths';
import { loadConfig } from './config';
import type { AppContext } from './context';

/** The fixed instant server tests run at: 28 November 2026, 10:00 in Vietnam. */
export const TEST_NOW = '2026-11-28T03:00:00Z';

export interface TestServer {
  /** The app; its `inject` sends the test token unless the request carries its own Authorization or Cookie header. */
  app: FastifyInstance;
  store: Store;
  ctx: AppContext;
  /** An API token holding every role over everything (no user: actors named by a request stay as named). */
  token: string;
  /** Injects a request as the anonymous public: no credential at all. */
  anonymous(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Every role, unscoped: what the tests of features act as unless they test access itself. */
export const ALL_ROLES: GrantInput[] = ROLES.map((role) => ({ role }));

/**
 * A server on a fresh database of the given engine, with the shipped
 * geography and demo organisations loaded, and optionally the PCI or the
 * whole demo data set (slower: only the tests about them ask). `env` sets
 * configuration variables (limits, keys) for the test.
 */
export async function openTestServer(
  engine: TestEngine,
  options: {
    prepare?: boolean;
    data?: 'pci' | 'demo';
    extend?: (app: FastifyInstance) => void;
    env?: Record<string, string>;
    /** Open on the PostgreSQL schema of a running test server, as a second instance (implies `prepare: false`). */
    schema?: string;
    /** Join the live hub to other instances through the database (LISTEN/NOTIFY on PostgreSQL), as `watchfloor start` does. */
    fanOut?: boolean;
    /** Access of the routes `extend` adds (every route is under the access table). */
    routes?: Record<string, Access>;
    /** Serve this build of the web app. */
    webDir?: string;
  } = {},
): Promise<TestServer> {
  if (options.schema) options = { ...options, prepare: false };
  const store = await engine.open({ migrate: options.prepare !== false, ...(options.schema ? { schema: options.schema } : {}) });
  const config = loadConfig({ WATCHFLOOR_LOG_LEVEL: 'silent', WATCHFLOOR_DEMO_DATA: options.data === 'demo' ? 'true' : 'false', ...options.env });
  const ctx: AppContext = { store, clock: fixedClock(TEST_NOW), config };
  if (options.fanOut) ctx.live = await createLiveHub(store);
  if (options.prepare !== false) {
    const loading = { dataDir: REFERENCE_DATA_DIR, clock: ctx.clock };
    await loadGeography(store, loading);
    await seedOrganisations(store, loading);
    if (options.data) await loadPci(store, loading);
    if (options.data === 'demo') await loadDemoData(store, loading);
  }
  const app = await buildApp(ctx, { logger: false, ...(options.routes ? { extraPolicy: options.routes } : {}), ...(options.webDir ? { webDir: options.webDir } : {}) });
  options.extend?.(app);
  await app.ready();
  const auth = await authenticateTests(app, ctx, { now: options.prepare !== false || options.schema !== undefined });
  return {
    app,
    store,
    ctx,
    get token() {
      return auth.token;
    },
    anonymous: auth.anonymous,
    close: async () => {
      await app.close();
      await ctx.live?.close();
      await store.close();
    },
  };
}

/**
 * Makes an app's `inject` act as the tests' all-roles API token unless a
 * request brings its own Authorization or Cookie header; the token is made
 * at once (`now`) or at the first request needing it (for tests that
 * migrate the database themselves). `anonymous` injects with no credential.
 */
export async function authenticateTests(
  app: FastifyInstance,
  ctx: AppContext,
  options: { now?: boolean } = {},
): Promise<{ readonly token: string; anonymous(o: InjectOptions): Promise<LightMyRequestResponse> }> {
  let token = '';
  const testToken = async (): Promise<string> => (token ||= (await new IdentityService(ctx).createToken(apiTokenCreateSchema.parse({ name: 'tests', roles: ALL_ROLES }), ANONYMOUS)).token);
  if (options.now !== false) await testToken();
  const inject = app.inject.bind(app);
  const authenticated = async (o: InjectOptions | string): Promise<LightMyRequestResponse> => {
    const opts: InjectOptions = typeof o === 'string' ? { url: o } : o;
    const headers = (opts.headers ?? {}) as Record<string, unknown>;
    const own = Object.keys(headers).some((h) => h.toLowerCase() === 'authorization' || h.toLowerCase() === 'cookie') || opts.cookies !== undefined;
    return inject(own ? opts : { ...opts, headers: { ...headers, authorization: `Bearer ${await testToken()}` } });
  };
  (app as unknown as { inject: typeof authenticated }).inject = authenticated;
  return {
    get token() {
      return token;
    },
    anonymous: (o) => inject(o),
  };
}

/**
 * Registers a source as a steward would (through the API, as the test
 * token): figures must come through a registered source, within what it
 * may report for (by default its owner's place and organisation subtrees).
 */
export async function registerSource(s: TestServer, source: { code: string; ownerOrganisationCode: string; kind?: string; coverage?: { places?: string[]; organisations?: string[] } }): Promise<void> {
  const r = await s.app.inject({ method: 'POST', url: '/api/sources', payload: { name: source.code, kind: 'http_push', ...source } });
  if (r.statusCode !== 201) throw new Error(`could not register source ${source.code}: ${r.body}`);
}

let signIns = 0;
const SIGN_IN_PASSWORD = 'test sign-in password 0123456789';

/**
 * A person signed in as the web app signs in: a new user holding `roles`,
 * signed in from an address of their own (so throttling never mixes two
 * tests' people). `read` carries the session cookie; `write` adds the
 * session's CSRF token, as every change made with the cookie must.
 */
export async function signInAs(s: TestServer, login: string, roles: readonly GrantInput[]): Promise<{ read: Record<string, string>; write: Record<string, string> }> {
  await new IdentityService(s.ctx).createUser({ login, displayName: login, password: SIGN_IN_PASSWORD, mustChangePassword: false, roles: roles.map((g) => grantSchema.parse(g)) });
  const n = ++signIns;
  const r = await s.anonymous({ method: 'POST', url: '/api/auth/sign-in', payload: { login, password: SIGN_IN_PASSWORD }, remoteAddress: `10.99.${(n >> 8) & 255}.${n & 255}` });
  if (r.statusCode !== 200) throw new Error(`${login} could not sign in: ${r.body}`);
  const cookie = r.cookies.find((c) => c.name === 'wf_session');
  if (!cookie) throw new Error(`${login} signed in without a session cookie`);
  const read = { cookie: `wf_session=${cookie.value}` };
  return { read, write: { ...read, 'x-csrf-token': r.json<{ csrfToken: string }>().csrfToken } };
}

/**
 * A station stood at a unit (its version valid on the test day), as
 * registration would have located it, reporting through any source; with
 * the datastreams given (code → indicator, in µg/m³).
 */
export async function addStation(
  s: TestServer,
  code: string,
  placeCode: string,
  provinceCode: string,
  datastreams: readonly { code: string; indicator: string; minShare?: number | null; incompleteDays?: 'omit' | 'estimated' }[] = [],
): Promise<void> {
  const place = await new PlacesRepository(s.store.db).findAt(placeCode, '2026-11-28');
  if (!place) throw new Error(`no unit ${placeCode} on 2026-11-28`);
  await new StationsRepository(s.store.db).insert({
    code,
    name: code,
    lon: 106.34,
    lat: 9.93,
    placeId: place.id,
    placeCode,
    provinceCode,
    sourceCode: null,
    enabled: true,
    at: '2026-11-28T03:00:00.000Z',
    datastreams: datastreams.map((d) => ({ ...d, unit: 'µg/m³', scale: null })),
  });
}
