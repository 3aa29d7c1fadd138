import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, type TestServer } from '../testing';
import { IdentityService } from '../features/identity/service';

/**
 * The route × role matrix: for every route the server registers (read off
 * its own route table, so a new route is covered or this test fails), who
 * gets past access control. It is written from what each role should do,
 * not copied from the policy table: a wrong entry there shows here.
 */
type Who = 'anyone' | 'signed-in' | 'push-token' | readonly Role[];

const EVERY_ROLE: readonly Role[] = ['leader', 'operator', 'agency_officer', 'data_steward', 'appraiser', 'leaders_office', 'administrator'];
const READERS = EVERY_ROLE;
const CASE_HANDLERS: readonly Role[] = ['operator', 'agency_officer'];
const ALERT_HANDLERS: readonly Role[] = ['operator'];
const SUPPLIERS: readonly Role[] = ['agency_officer', 'data_steward'];
const STEWARDS: readonly Role[] = ['data_steward'];
const DOSSIER_WRITERS: readonly Role[] = ['agency_officer'];
const ADMINS: readonly Role[] = ['administrator'];
/** The PAR Index: units' officers assess their own unit; the Department of Home Affairs appraises and manages. */
const PAR_ASSESSORS: readonly Role[] = ['agency_officer'];
const PAR_APPRAISERS: readonly Role[] = ['appraiser'];
const PAR_MANAGERS: readonly Role[] = ['appraiser'];
/** Leadership directives: the lead agency's officers report; the leader's office keeps documents and decides. */
const DIRECTIVE_REPORTERS: readonly Role[] = ['agency_officer'];
const DIRECTIVE_MANAGERS: readonly Role[] = ['leaders_office'];

const EXPECTED: Record<string, Who> = {
  'GET /healthz': 'anyone',
  'GET /readyz': 'anyone',
  'GET /api/status': 'anyone',
  'GET /api/config': 'anyone',
  'GET /metrics': READERS,
  'GET /api/docs': 'anyone',
  'GET /api/docs/static/index.html': 'anyone',
  'GET /api/docs/static/swagger-initializer.js': 'anyone',
  'GET /api/docs/json': 'anyone',
  'GET /api/docs/yaml': 'anyone',
  'GET /api/docs/static/*': 'anyone',
  'GET /api/openapi.json': 'anyone',
  'GET /assets/*': 'anyone',
  'GET /*': 'anyone',
  'POST /api/auth/sign-in': 'anyone',
  'POST /api/auth/sign-out': 'anyone',
  'GET /api/auth/me': 'anyone',
  'GET /api/auth/providers': 'anyone',
  'GET /api/auth/oidc/start': 'anyone',
  'GET /api/auth/oidc/callback': 'anyone',
  'POST /api/auth/password': 'signed-in',
  'GET /api/me/message-preferences': 'signed-in',
  'PUT /api/me/message-preferences': 'signed-in',
  'GET /api/me/messages': 'signed-in',
  'GET /api/messages/role-preferences/:role': ADMINS,
  'PUT /api/messages/role-preferences/:role': ADMINS,
  'GET /api/users': ADMINS,
  'POST /api/users': ADMINS,
  'PATCH /api/users/:login': ADMINS,
  'POST /api/users/:login/password-reset': ADMINS,
  'POST /api/tokens': ADMINS,
  'GET /api/tokens': ADMINS,
  'DELETE /api/tokens/:id': ADMINS,
  'GET /api/audit': ADMINS,
  'GET /api/audit.csv': ADMINS,
  'GET /api/live': 'anyone',
  'GET /api/places': 'anyone',
  'GET /api/places/locate': 'anyone',
  'GET /api/places/:code': 'anyone',
  'GET /api/places/:code/geometry': 'anyone',
  'GET /api/places/:code/children/geometry': 'anyone',
  'GET /api/places/:code/lineage': 'anyone',
  'GET /api/organisations': 'anyone',
  'GET /api/organisations/:code': 'anyone',
  'GET /api/indicators': 'anyone',
  'GET /api/indicators/export': STEWARDS,
  'POST /api/indicators/import': STEWARDS,
  'GET /api/indicators/:code': 'anyone',
  'PUT /api/indicators/:code': STEWARDS,
  'PUT /api/targets': STEWARDS,
  'GET /api/targets': READERS,
  'GET /api/overview': 'anyone',
  'GET /api/indicators/:code/series': 'anyone',
  'GET /api/indicators/:code/breakdown': 'anyone',
  'GET /api/rankings/organisations': 'anyone',
  'GET /api/rankings': 'anyone',
  'POST /api/observations': SUPPLIERS,
  'GET /api/observations/history': READERS,
  'GET /api/sources': READERS,
  'POST /api/sources': STEWARDS,
  'GET /api/sources/templates/observations.xlsx': SUPPLIERS,
  'GET /api/sources/:code': READERS,
  'PATCH /api/sources/:code': STEWARDS,
  'POST /api/sources/:code/enable': STEWARDS,
  'POST /api/sources/:code/disable': STEWARDS,
  'POST /api/sources/:code/token': STEWARDS,
  'POST /api/sources/:code/aliases': SUPPLIERS,
  'PUT /api/sources/:code/layout': SUPPLIERS,
  'POST /api/sources/:code/sheet': SUPPLIERS,
  'GET /api/sources/:code/runs': READERS,
  'GET /api/runs/:id': READERS,
  'GET /api/runs/:id/rejected': READERS,
  'GET /api/runs/:id/rejected.csv': READERS,
  'GET /api/freshness/sources': READERS,
  'POST /api/sources/:code/push': 'push-token',
  'POST /api/sources/:code/upload': SUPPLIERS,
  'GET /api/stations': READERS,
  'POST /api/stations': STEWARDS,
  'GET /api/stations/:code': READERS,
  'GET /api/stations/:code/datastreams': READERS,
  'GET /api/stations/:code/readings': READERS,
  'POST /api/sources/:code/readings/upload': SUPPLIERS,
  'POST /api/sources/:code/pull': SUPPLIERS,
  'GET /api/sources/:code/job': READERS,
  'GET /api/sources/:code/form': SUPPLIERS,
  'POST /api/sources/:code/entries': SUPPLIERS,
  'GET /api/freshness/indicators': READERS,
  'GET /api/freshness/late': READERS,
  'GET /api/case-categories': 'anyone',
  'POST /api/cases': CASE_HANDLERS,
  'GET /api/cases': READERS,
  'GET /api/cases/counts': READERS,
  'GET /api/cases/:id': READERS,
  'POST /api/cases/:id/status': CASE_HANDLERS,
  'POST /api/cases/:id/assign': CASE_HANDLERS,
  'POST /api/cases/:id/comments': CASE_HANDLERS,
  'POST /api/cases/:id/satisfaction': CASE_HANDLERS,
  'POST /api/cases/:id/sop-steps/:step/done': CASE_HANDLERS,
  'PUT /api/dossiers': DOSSIER_WRITERS,
  'GET /api/dossiers': READERS,
  'GET /api/dossiers/measures': READERS,
  'GET /api/scorecards': READERS,
  'POST /api/figures/rebuild': STEWARDS,
  'GET /api/alert-rules': READERS,
  'GET /api/alert-rules/:code': READERS,
  'PUT /api/alert-rules/:code': STEWARDS,
  'GET /api/alerts': READERS,
  'GET /api/alerts/:id': READERS,
  'POST /api/alerts/:id/acknowledge': ALERT_HANDLERS,
  'POST /api/alerts/:id/resolve': ALERT_HANDLERS,
  'POST /api/alerts/:id/publish': ALERT_HANDLERS,
  'POST /api/alerts/:id/unpublish': ALERT_HANDLERS,
  'POST /api/alerts/:id/sop': ALERT_HANDLERS,
  'POST /api/alerts/:id/sop-steps/:step/done': ALERT_HANDLERS,
  'GET /api/sop-steps/overdue': READERS,
  'GET /api/notifications': READERS,
  'GET /open311/v2/discovery.json': 'anyone',
  'GET /open311/v2/services.json': 'anyone',
  'GET /open311/v2/services/:code.json': 'anyone',
  'GET /open311/v2/requests.json': 'anyone',
  'POST /open311/v2/requests.json': 'anyone',
  'GET /open311/v2/requests/:id.json': 'anyone',
  'GET /open311/v2/tokens/:token.json': 'anyone',
  'GET /open311/v2/discovery.xml': 'anyone',
  'GET /open311/v2/services.xml': 'anyone',
  'GET /open311/v2/services/:code.xml': 'anyone',
  'GET /open311/v2/requests.xml': 'anyone',
  'POST /open311/v2/requests.xml': 'anyone',
  'GET /open311/v2/requests/:id.xml': 'anyone',
  'GET /open311/v2/tokens/:token.xml': 'anyone',
  'POST /api/cap/import': ALERT_HANDLERS,
  'GET /api/cap/messages': READERS,
  'GET /api/cap/messages/:id': READERS,
  'GET /api/cap/alerts.atom': 'anyone',
  'GET /api/cap/alerts/:key.xml': 'anyone',
  'GET /api/dashboards': 'anyone',
  'POST /api/dashboards/import': STEWARDS,
  'GET /api/dashboards/:code': 'anyone',
  'PUT /api/dashboards/:code': STEWARDS,
  'DELETE /api/dashboards/:code': STEWARDS,
  'GET /api/dashboards/:code/export': 'anyone',
  'GET /api/reports/templates': READERS,
  'GET /api/reports/templates/:code': READERS,
  'PUT /api/reports/templates/:code': STEWARDS,
  'GET /api/reports/templates/:code/render': READERS,
  'GET /api/reports/schedules': STEWARDS,
  'PUT /api/reports/schedules/:code': STEWARDS,
  'GET /api/reports/schedules/:code/renderings': STEWARDS,
  'GET /api/reports/schedules/:code/renderings/:id/file': STEWARDS,
  'POST /api/reports/schedules/:code/run': STEWARDS,
  'GET /api/playlists': READERS,
  'GET /api/playlists/:code': READERS,
  'PUT /api/playlists/:code': STEWARDS,
  'GET /api/par/frameworks': READERS,
  'GET /api/par/frameworks/:code': READERS,
  'PUT /api/par/frameworks/:code': PAR_MANAGERS,
  'POST /api/par/frameworks/import.xlsx': PAR_MANAGERS,
  'GET /api/par/frameworks/:code/export.json': READERS,
  'GET /api/par/frameworks/:code/export.xlsx': READERS,
  'POST /api/par/frameworks/:code/copy': PAR_MANAGERS,
  'GET /api/par/cycles': 'anyone',
  'POST /api/par/cycles': PAR_MANAGERS,
  'GET /api/par/cycles/:id': 'anyone',
  'POST /api/par/cycles/:id/refresh': PAR_MANAGERS,
  'POST /api/par/cycles/:id/publish': PAR_MANAGERS,
  'GET /api/par/cycles/:id/late': PAR_MANAGERS,
  'GET /api/par/cycles/:id/units/:unit': READERS,
  'PUT /api/par/cycles/:id/units/:unit/criteria/:criterion/self': PAR_ASSESSORS,
  'PUT /api/par/cycles/:id/units/:unit/criteria/:criterion/appraisal': PAR_APPRAISERS,
  'PUT /api/par/cycles/:id/units/:unit/criteria/:criterion/answer': PAR_ASSESSORS,
  'PUT /api/par/cycles/:id/units/:unit/criteria/:criterion/decision': PAR_APPRAISERS,
  'POST /api/par/cycles/:id/units/:unit/submit': PAR_ASSESSORS,
  'POST /api/par/cycles/:id/units/:unit/return': PAR_APPRAISERS,
  'POST /api/par/cycles/:id/units/:unit/answer': PAR_ASSESSORS,
  'POST /api/par/cycles/:id/units/:unit/decide': PAR_APPRAISERS,
  'POST /api/par/cycles/:id/units/:unit/criteria/:criterion/evidence': PAR_ASSESSORS,
  'GET /api/par/evidence/:evidenceId': READERS,
  'DELETE /api/par/evidence/:evidenceId': PAR_ASSESSORS,
  'GET /api/par/cycles/:id/results': 'anyone',
  'GET /api/par/cycles/:id/results.xlsx': READERS,
  'GET /api/directives/documents': 'anyone',
  'GET /api/directives/documents/:number': 'anyone',
  'PUT /api/directives/documents/:number': DIRECTIVE_MANAGERS,
  'PUT /api/directives/documents/:number/file': DIRECTIVE_MANAGERS,
  'GET /api/directives/documents/:number/file': 'anyone',
  'GET /api/directives/tasks/:id': 'anyone',
  'POST /api/directives/tasks/:id/reports': DIRECTIVE_REPORTERS,
  'POST /api/directives/tasks/:id/decisions': DIRECTIVE_MANAGERS,
  'POST /api/directives/tasks/:id/events/:event/evidence': DIRECTIVE_REPORTERS,
  'GET /api/directives/evidence/:fileId': READERS,
  'GET /api/directives/completion': READERS,
  'GET /api/directives/overdue': READERS,
  'POST /api/directives/sources/:code/push': 'push-token',
  'POST /api/directives/sources/:code/upload': DIRECTIVE_MANAGERS,
  'GET /api/directives/template.xlsx': DIRECTIVE_MANAGERS,
  'GET /api/directives/due': DIRECTIVE_REPORTERS,
};

/** A concrete address for a route: parameters filled with values of the right shape (the records need not exist). */
function addressOf(url: string): string {
  return url
    .replace('/sources/:code/push', '/sources/MX-PUSH/push')
    .replace(':login', 'nobody')
    .replace(':id.json', 'PA000001.json')
    .replace(':id.xml', 'PA000001.xml')
    .replace('/cases/:id', '/cases/PA000001')
    .replace(':id', '1')
    .replace(':unit', 'VL-STC')
    .replace(':criterion', 'L1')
    .replace(':evidenceId', '1')
    .replace(':step', '1')
    .replace(':token.', 'no-such-token.')
    .replace(':key.xml', 'none.xml')
    .replace(':code.json', 'NONE.json')
    .replace(':code.xml', 'NONE.xml')
    .replace(':code', 'NONE')
    .replace('*', 'index.css');
}

/** The error code of a JSON error answer, if it is one. */
function refusalCode(res: LightMyRequestResponse): string | null {
  if (!String(res.headers['content-type'] ?? '').includes('application/json')) return null;
  try {
    const body = res.json<{ error?: unknown }>();
    return typeof body.error === 'string' ? body.error : null;
  } catch {
    return null;
  }
}

interface Caller {
  name: string;
  role: Role | null;
  headers: Record<string, string>;
  csrf: Record<string, string>;
}

const PASSWORD = 'matrix password 0123456789';

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`route × role matrix (${engine.engine})`, () => {
    let server: TestServer;
    const callers: Caller[] = [];
    let pushToken = '';
    let webDir = '';

    beforeAll(async () => {
      // The server as deployed, with a build of the web app (its routes are in the matrix too).
      webDir = await mkdtemp(join(tmpdir(), 'wf-matrix-web-'));
      await mkdir(join(webDir, 'assets'));
      await writeFile(join(webDir, 'index.html'), '<!doctype html><title>Watchfloor</title>');
      await writeFile(join(webDir, 'assets', 'index.css'), 'body{}');
      server = await openTestServer(engine, { webDir });
      const identity = new IdentityService(server.ctx);
      callers.push({ name: 'anonymous', role: null, headers: {}, csrf: {} });
      // A push source, so its push route answers for an existing source.
      const source = await server.app.inject({ method: 'POST', url: '/api/sources', payload: { code: 'MX-PUSH', name: 'Push', kind: 'http_push', ownerOrganisationCode: 'VL-STC' } });
      expect(source.statusCode, source.body).toBe(201);
      pushToken = source.json<{ token: string }>().token;
      // Each role held by a signed-in user over everything, and one operator of another commune (route access is by role; the data is narrowed by scope).
      const people: { login: string; role: Role; placeCode: string | null }[] = [
        ...EVERY_ROLE.map((role) => ({ login: `m.${role}`, role, placeCode: null })),
        { login: 'm.elsewhere', role: 'operator' as const, placeCode: '29254' },
      ];
      for (const p of people) {
        await identity.createUser({ login: p.login, displayName: p.login, password: PASSWORD, mustChangePassword: false, roles: [{ role: p.role, organisationCode: null, placeCode: p.placeCode }] });
        const signed = await server.anonymous({ method: 'POST', url: '/api/auth/sign-in', payload: { login: p.login, password: PASSWORD }, remoteAddress: `10.9.0.${callers.length}` });
        expect(signed.statusCode, signed.body).toBe(200);
        const cookie = signed.cookies.find((c) => c.name === 'wf_session');
        if (!cookie) throw new Error('no session cookie');
        callers.push({ name: p.login, role: p.role, headers: { cookie: `wf_session=${cookie.value}` }, csrf: { 'x-csrf-token': signed.json<{ csrfToken: string }>().csrfToken } });
      }
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      await rm(webDir, { recursive: true, force: true });
    });

    it('has an expectation for every route the server serves, and none for a route it does not', () => {
      const served = server.app.routeTable.map((r) => `${r.method} ${r.url}`);
      expect(served.filter((k) => !(k in EXPECTED))).toEqual([]);
      expect(Object.keys(EXPECTED).filter((k) => !served.includes(k))).toEqual([]);
    });

    it('lets in exactly whom each route is for: 401 for the anonymous, 403 for the wrong role', async () => {
      const wrong: string[] = [];
      // Signing out ends the session: it goes last.
      const routes = [...server.app.routeTable].sort((a, b) => Number(a.url === '/api/auth/sign-out') - Number(b.url === '/api/auth/sign-out'));
      for (const route of routes) {
        const key = `${route.method} ${route.url}`;
        const who = EXPECTED[key];
        if (who === undefined) continue;
        for (const caller of callers) {
          const allowed = who === 'anyone' || (who === 'signed-in' && caller.role !== null) || (Array.isArray(who) && caller.role !== null && who.includes(caller.role));
          const writes = route.method !== 'GET';
          let res: LightMyRequestResponse;
          if (route.url === '/api/live') {
            // The stream never ends: its access is read from the first answer.
            res = await server.anonymous({ method: 'GET', url: '/api/live', headers: { ...caller.headers }, payloadAsStream: true });
            res.stream().destroy();
          } else {
            res = await server.anonymous({
              method: route.method as 'GET',
              url: addressOf(route.url),
              headers: { ...caller.headers, ...(writes ? caller.csrf : {}) },
              ...(writes && route.method !== 'DELETE' ? { payload: {} } : {}),
              remoteAddress: '10.8.0.1',
            });
          }
          // Refused by access control: its two codes. A route's own refusal (Open311's API key, a push token) is the route answering.
          const code = refusalCode(res);
          const refused = code === 'authentication_required' || code === 'forbidden';
          if (who === 'push-token') {
            // A source's push route refuses everyone who brings no push token of the source.
            if (res.statusCode !== 401) wrong.push(`${key} as ${caller.name}: ${res.statusCode}, expected 401 without the source's token`);
            continue;
          }
          const expected = allowed ? 'allowed' : caller.role === null ? 'authentication_required' : 'forbidden';
          const got = refused ? code : 'allowed';
          if (got !== expected) wrong.push(`${key} as ${caller.name}: ${got} (${res.statusCode} ${res.body.slice(0, 120)}), expected ${expected}`);
          if (refused && res.statusCode !== (code === 'forbidden' ? 403 : 401)) wrong.push(`${key} as ${caller.name}: ${code} with status ${res.statusCode}`);
        }
      }
      expect(wrong).toEqual([]);
    }, 120_000);

    it('lets a source push with its own token, whoever holds it', async () => {
      const pushed = await server.anonymous({
        method: 'POST',
        url: '/api/sources/MX-PUSH/push',
        headers: { authorization: `Bearer ${pushToken}`, 'content-type': 'application/x-ndjson' },
        payload: '',
      });
      // Past access control, the route reads the (empty) body.
      expect(pushed.json()).toMatchObject({ error: 'invalid_body', message: 'The body holds no rows' });
    });
  });
}
