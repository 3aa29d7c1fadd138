import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import { AppError, grantsAllow, type Permission } from '@watchfloor/core';

/**
 * Who may call a route:
 * - `public`: anyone, the anonymous included (what they see may still be
 *   narrowed to published items by the query that serves them);
 * - `signed-in`: any user or API token;
 * - `source-token`: the route checks a source's own push token itself;
 * - a permission: a user or API token holding a role that gives it. What
 *   they then see or change is narrowed to their scope in the data layer.
 */
export type Access = 'public' | 'signed-in' | 'source-token' | Permission;

/**
 * The access of every route the server serves, in one table. Building the
 * app fails on a route missing here, so a new route cannot forget to say
 * who may call it; the route × role matrix test checks the table against
 * what each role should be able to do.
 */
export const ROUTE_POLICY: Readonly<Record<string, Access>> = {
  // The service itself: probes, documentation, metrics for a scraper holding a token.
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /api/status': 'public',
  'GET /api/config': 'public',
  'GET /metrics': 'read',
  'GET /api/docs': 'public',
  'GET /api/docs/static/index.html': 'public',
  'GET /api/docs/static/swagger-initializer.js': 'public',
  'GET /api/docs/json': 'public',
  'GET /api/docs/yaml': 'public',
  'GET /api/docs/static/*': 'public',
  'GET /api/openapi.json': 'public',
  // The web app (its assets and every screen's path) or, without a build, the placeholder page.
  'GET /': 'public',
  'GET /assets/*': 'public',
  'GET /*': 'public',

  // Identity.
  'POST /api/auth/sign-in': 'public',
  'POST /api/auth/sign-out': 'public',
  'GET /api/auth/me': 'public',
  'GET /api/auth/providers': 'public',
  'GET /api/auth/oidc/start': 'public',
  'GET /api/auth/oidc/callback': 'public',
  'POST /api/auth/password': 'signed-in',
  // One's own message preferences (a person's, not a bare token's: the route refuses those).
  'GET /api/me/message-preferences': 'signed-in',
  'PUT /api/me/message-preferences': 'signed-in',
  'GET /api/me/messages': 'signed-in',
  'GET /api/messages/role-preferences/:role': 'admin',
  'PUT /api/messages/role-preferences/:role': 'admin',
  'GET /api/users': 'admin',
  'POST /api/users': 'admin',
  'PATCH /api/users/:login': 'admin',
  'POST /api/users/:login/password-reset': 'admin',
  'POST /api/tokens': 'admin',
  'GET /api/tokens': 'admin',
  'DELETE /api/tokens/:id': 'admin',
  'GET /api/audit': 'admin',
  'GET /api/audit.csv': 'admin',

  // Live updates: each event reaches only those whose scope holds it.
  'GET /api/live': 'public',

  // Reference data: the map of the country and the organisations are public.
  'GET /api/places': 'public',
  'GET /api/places/locate': 'public',
  'GET /api/places/:code': 'public',
  'GET /api/places/:code/geometry': 'public',
  'GET /api/places/:code/children/geometry': 'public',
  'GET /api/places/:code/lineage': 'public',
  'GET /api/organisations': 'public',
  'GET /api/organisations/:code': 'public',

  // Indicators and figures: the public sees the published indicators.
  'GET /api/indicators': 'public',
  'GET /api/indicators/export': 'catalogue.manage',
  'POST /api/indicators/import': 'catalogue.manage',
  'GET /api/indicators/:code': 'public',
  'PUT /api/indicators/:code': 'catalogue.manage',
  'PUT /api/targets': 'catalogue.manage',
  'GET /api/targets': 'read',
  'GET /api/overview': 'public',
  'GET /api/indicators/:code/series': 'public',
  'GET /api/indicators/:code/breakdown': 'public',
  'GET /api/rankings/organisations': 'public',
  'GET /api/rankings': 'public',
  'POST /api/observations': 'data.supply',
  'GET /api/observations/history': 'read',

  // Sources, runs and the channels.
  'GET /api/sources': 'read',
  'POST /api/sources': 'catalogue.manage',
  'GET /api/sources/templates/observations.xlsx': 'data.supply',
  'GET /api/sources/:code': 'read',
  'PATCH /api/sources/:code': 'catalogue.manage',
  'POST /api/sources/:code/enable': 'catalogue.manage',
  'POST /api/sources/:code/disable': 'catalogue.manage',
  'POST /api/sources/:code/token': 'catalogue.manage',
  'POST /api/sources/:code/aliases': 'data.supply',
  'PUT /api/sources/:code/layout': 'data.supply',
  'POST /api/sources/:code/sheet': 'data.supply',
  'GET /api/sources/:code/runs': 'read',
  'GET /api/runs/:id': 'read',
  'GET /api/runs/:id/rejected': 'read',
  'GET /api/runs/:id/rejected.csv': 'read',
  'GET /api/freshness/sources': 'read',
  'POST /api/sources/:code/push': 'source-token',
  'POST /api/sources/:code/upload': 'data.supply',
  'GET /api/stations': 'read',
  'POST /api/stations': 'catalogue.manage',
  'GET /api/stations/:code': 'read',
  'GET /api/stations/:code/datastreams': 'read',
  'GET /api/stations/:code/readings': 'read',
  'POST /api/sources/:code/readings/upload': 'data.supply',
  'POST /api/sources/:code/pull': 'data.supply',
  'GET /api/sources/:code/job': 'read',
  'GET /api/sources/:code/form': 'data.supply',
  'POST /api/sources/:code/entries': 'data.supply',
  'GET /api/freshness/indicators': 'read',
  'GET /api/freshness/late': 'read',

  // Situations.
  'GET /api/case-categories': 'public',
  'POST /api/cases': 'cases.handle',
  'GET /api/cases': 'read',
  'GET /api/cases/counts': 'read',
  'GET /api/cases/:id': 'read',
  'POST /api/cases/:id/status': 'cases.handle',
  'POST /api/cases/:id/assign': 'cases.handle',
  'POST /api/cases/:id/comments': 'cases.handle',
  'POST /api/cases/:id/satisfaction': 'cases.handle',
  'POST /api/cases/:id/sop-steps/:step/done': 'cases.handle',
  'PUT /api/dossiers': 'dossiers.write',
  'GET /api/dossiers': 'read',
  'GET /api/dossiers/measures': 'read',
  'GET /api/scorecards': 'read',
  'POST /api/figures/rebuild': 'catalogue.manage',
  'GET /api/alert-rules': 'read',
  'GET /api/alert-rules/:code': 'read',
  'PUT /api/alert-rules/:code': 'catalogue.manage',
  'GET /api/alerts': 'read',
  'GET /api/alerts/:id': 'read',
  'POST /api/alerts/:id/acknowledge': 'alerts.handle',
  'POST /api/alerts/:id/resolve': 'alerts.handle',
  'POST /api/alerts/:id/publish': 'alerts.handle',
  'POST /api/alerts/:id/unpublish': 'alerts.handle',
  'POST /api/alerts/:id/sop': 'alerts.handle',
  'POST /api/alerts/:id/sop-steps/:step/done': 'alerts.handle',
  'GET /api/sop-steps/overdue': 'read',
  'GET /api/notifications': 'read',

  // Open311 GeoReport v2 is the citizens' channel: public by design, reporters' contacts never answered.
  'GET /open311/v2/discovery.json': 'public',
  'GET /open311/v2/services.json': 'public',
  'GET /open311/v2/services/:code.json': 'public',
  'GET /open311/v2/requests.json': 'public',
  'POST /open311/v2/requests.json': 'public',
  'GET /open311/v2/requests/:id.json': 'public',
  'GET /open311/v2/tokens/:token.json': 'public',
  'GET /open311/v2/discovery.xml': 'public',
  'GET /open311/v2/services.xml': 'public',
  'GET /open311/v2/services/:code.xml': 'public',
  'GET /open311/v2/requests.xml': 'public',
  'POST /open311/v2/requests.xml': 'public',
  'GET /open311/v2/requests/:id.xml': 'public',
  'GET /open311/v2/tokens/:token.xml': 'public',

  // CAP: importing is handling alerts; the feed of public alerts is public.
  'POST /api/cap/import': 'alerts.handle',
  'GET /api/cap/messages': 'read',
  'GET /api/cap/messages/:id': 'read',
  'GET /api/cap/alerts.atom': 'public',
  'GET /api/cap/alerts/:key.xml': 'public',

  // Dashboards: the public sees the published ones; playlists drive the wall.
  'GET /api/dashboards': 'public',
  'POST /api/dashboards/import': 'catalogue.manage',
  'GET /api/dashboards/:code': 'public',
  'PUT /api/dashboards/:code': 'catalogue.manage',
  'DELETE /api/dashboards/:code': 'catalogue.manage',
  'GET /api/dashboards/:code/export': 'public',
  // Report templates: read by anyone signed in, written by data stewards; a report's figures are the reader's scope.
  'GET /api/reports/templates': 'read',
  'GET /api/reports/templates/:code': 'read',
  'PUT /api/reports/templates/:code': 'catalogue.manage',
  'GET /api/reports/templates/:code/render': 'read',
  // Scheduled reports name people's e-mail addresses: stewards only (each keeps their own; a steward of the whole province, all).
  'GET /api/reports/schedules': 'catalogue.manage',
  'PUT /api/reports/schedules/:code': 'catalogue.manage',
  'GET /api/reports/schedules/:code/renderings': 'catalogue.manage',
  'GET /api/reports/schedules/:code/renderings/:id/file': 'catalogue.manage',
  'POST /api/reports/schedules/:code/run': 'catalogue.manage',
  'GET /api/playlists': 'read',
  'GET /api/playlists/:code': 'read',
  'PUT /api/playlists/:code': 'catalogue.manage',

  // The PAR Index: the Department of Home Affairs manages frameworks and cycles and appraises; a unit's officer assesses
  // their own unit (judged unit by unit in the service); the public sees published cycles and their results.
  'GET /api/par/frameworks': 'read',
  'GET /api/par/frameworks/:code': 'read',
  'PUT /api/par/frameworks/:code': 'par.manage',
  'POST /api/par/frameworks/import.xlsx': 'par.manage',
  'GET /api/par/frameworks/:code/export.json': 'read',
  'GET /api/par/frameworks/:code/export.xlsx': 'read',
  'POST /api/par/frameworks/:code/copy': 'par.manage',
  'GET /api/par/cycles': 'public',
  'POST /api/par/cycles': 'par.manage',
  'GET /api/par/cycles/:id': 'public',
  'POST /api/par/cycles/:id/refresh': 'par.manage',
  'POST /api/par/cycles/:id/publish': 'par.manage',
  'GET /api/par/cycles/:id/late': 'par.manage',
  'GET /api/par/cycles/:id/units/:unit': 'read',
  'PUT /api/par/cycles/:id/units/:unit/criteria/:criterion/self': 'par.assess',
  'PUT /api/par/cycles/:id/units/:unit/criteria/:criterion/appraisal': 'par.appraise',
  'PUT /api/par/cycles/:id/units/:unit/criteria/:criterion/answer': 'par.assess',
  'PUT /api/par/cycles/:id/units/:unit/criteria/:criterion/decision': 'par.appraise',
  'POST /api/par/cycles/:id/units/:unit/submit': 'par.assess',
  'POST /api/par/cycles/:id/units/:unit/return': 'par.appraise',
  'POST /api/par/cycles/:id/units/:unit/answer': 'par.assess',
  'POST /api/par/cycles/:id/units/:unit/decide': 'par.appraise',
  'POST /api/par/cycles/:id/units/:unit/criteria/:criterion/evidence': 'par.assess',
  'GET /api/par/evidence/:evidenceId': 'read',
  'DELETE /api/par/evidence/:evidenceId': 'par.assess',
  'GET /api/par/cycles/:id/results': 'public',
  'GET /api/par/cycles/:id/results.xlsx': 'read',

  // Leadership directives: the public reads published documents; the leader's office keeps documents and decides; the lead agency reports.
  'GET /api/directives/documents': 'public',
  'GET /api/directives/documents/:number': 'public',
  'PUT /api/directives/documents/:number': 'directives.manage',
  'PUT /api/directives/documents/:number/file': 'directives.manage',
  'GET /api/directives/documents/:number/file': 'public',
  'GET /api/directives/tasks/:id': 'public',
  'POST /api/directives/tasks/:id/reports': 'directives.report',
  'POST /api/directives/tasks/:id/decisions': 'directives.manage',
  'POST /api/directives/tasks/:id/events/:event/evidence': 'directives.report',
  'GET /api/directives/evidence/:fileId': 'read',
  'GET /api/directives/completion': 'read',
  'GET /api/directives/overdue': 'read',
  'POST /api/directives/sources/:code/push': 'source-token',
  'POST /api/directives/sources/:code/upload': 'directives.manage',
  'GET /api/directives/template.xlsx': 'directives.manage',
  'GET /api/directives/due': 'directives.report',
};

/** The preHandler-style check of one access level: 401 `authentication_required` for the anonymous, 403 `forbidden` for roles that do not give it. */
export function checkAccess(access: Access, req: FastifyRequest): void {
  if (access === 'public' || access === 'source-token') return;
  const identity = req.identity;
  if (identity.kind === 'anonymous') throw new AppError('authentication_required', 'Sign in, or send an API token, to do this');
  if (access === 'signed-in') return;
  if (!grantsAllow(identity.roles, access)) throw new AppError('forbidden', `This needs the "${access}" permission, which your roles do not give`);
}

/**
 * Puts every route under the table: a route without an entry stops the app
 * from being built. The check runs as the route's first onRequest hook,
 * after the identity is known and before any body is read.
 */
export function installPolicy(app: FastifyInstance, policy: Readonly<Record<string, Access>> = ROUTE_POLICY): void {
  app.addHook('onRoute', (route) => {
    // A HEAD route Fastify adds beside a GET answers as the GET does.
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map((m) => (m === 'HEAD' ? 'GET' : m));
    const levels = new Set<Access>();
    for (const method of methods) {
      const access = policy[`${method} ${route.url}`];
      if (access === undefined) throw new Error(`No access policy for ${method} ${route.url}: add it to packages/server/src/http/policy.ts`);
      levels.add(access);
    }
    if (levels.size > 1) throw new Error(`${route.url} is registered for several methods with different access; register them one by one`);
    const [access] = [...levels];
    if (access === undefined || access === 'public') return;
    const check: onRequestHookHandler = async (req) => checkAccess(access, req);
    const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [check, ...existing];
  });
}

/** The access of a route as registered. */
export function accessOf(method: string, url: string): Access | undefined {
  return ROUTE_POLICY[`${method} ${url}`];
}
