import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from './context';
import { installErrorHandling } from './http/errors';
import { installMetrics } from './http/metrics';
import { installOpenApi } from './http/openapi';
import { installPolicy, ROUTE_POLICY, type Access } from './http/policy';
import { installSecurity, logRequest } from './http/security';
import { auditRoutes } from './features/audit/routes';
import { AuditLog } from './features/audit/service';
import { analyticsRoutes } from './features/analytics/routes';
import { casesRoutes } from './features/cases/routes';
import { capRoutes } from './features/cap/routes';
import { dossiersRoutes } from './features/dossiers/routes';
import { scorecardsRoutes } from './features/scorecards/routes';
import { operationsRoutes } from './features/operations/routes';
import { OperationalFigures } from './features/operations/service';
import { alertsRoutes } from './features/alerts/routes';
import { AlertService } from './features/alerts/service';
import { AlertStream } from './features/alerts/stream';
import { dashboardsRoutes } from './features/dashboards/routes';
import { parRoutes } from './features/par/routes';
import { directiveRoutes } from './features/directives/routes';
import { messageRoutes } from './features/messages/routes';
import { reportRoutes } from './features/reports/routes';
import { DirectiveFigures } from './features/directives/figures';
import { catalogueRoutes } from './features/catalogue/routes';
import { observationsRoutes } from './features/observations/routes';
import { open311Routes } from './features/open311/routes';
import { homeRoutes } from './features/home/routes';
import { identityRoutes } from './features/identity/routes';
import { oidcRoutes } from './features/identity/oidc-routes';
import { installIdentity } from './features/identity/plugin';
import { organisationsRoutes } from './features/organisations/routes';
import { placesRoutes } from './features/places/routes';
import { sourcesRoutes } from './features/sources/routes';
import { stationsRoutes } from './features/stations/routes';
import { pullsRoutes } from './features/pulls/routes';
import { freshnessRoutes } from './features/freshness/routes';
import { manualRoutes } from './features/manual/routes';
import { systemRoutes } from './features/system/routes';
import { targetsRoutes } from './features/targets/routes';
import { LiveHub } from './live/hub';
import { liveRoutes } from './live/routes';
import { PdfPrinter } from './http/pdf';

function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

/** A route as registered: the basis of the OpenAPI coverage test and of the access matrix. */
export interface RouteEntry {
  method: string;
  url: string;
  hidden: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the app serves, in registration order. */
    routeTable: RouteEntry[];
    /** The alarm loop: its clock (`tick`) is driven by `watchfloor start` under a lease. */
    alerts: AlertService;
    /** Alert rules on the sensor stream: `idle()` waits for the batches submitted. */
    alertStream: AlertStream;
    /** Operational figures: recomputed after case and dossier changes; `idle()` waits for them. */
    figures: OperationalFigures;
  }
}

export interface AppOptions {
  /** Log records to stdout as JSON; tests pass false. */
  logger?: boolean;
  /** Where log records go instead of stdout (a test reads them back). */
  logStream?: NodeJS.WritableStream;
  /** A build of the web app to serve at / (packages/web/dist); without one, a placeholder page says how to build it. */
  webDir?: string;
  /** Access of routes added besides the app's own (a test's extra routes); the app's routes are all in http/policy.ts. */
  extraPolicy?: Readonly<Record<string, Access>>;
}

/**
 * The HTTP application: one plugin per feature, all validated by zod
 * schemas that also describe the API in OpenAPI. Building it does no I/O,
 * so tests can build one per database engine and `inject` requests.
 */
export async function buildApp(ctx: AppContext, options: AppOptions = {}): Promise<FastifyInstance> {
  // Without a hub from the caller, live updates stay in this process (enough for SQLite, one process).
  const live = (ctx.live ??= new LiveHub());
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : { level: ctx.config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'], serializers: { req: logRequest }, ...(options.logStream ? { stream: options.logStream } : {}) },
    bodyLimit: ctx.config.bodyLimitBytes,
    routerOptions: { ignoreTrailingSlash: true },
    // A hop count trusts that many proxies in front (as proxy-addr counts them).
    trustProxy: typeof ctx.config.trustProxy === 'number' ? trustHops(ctx.config.trustProxy) : ctx.config.trustProxy,
  }).withTypeProvider<ZodTypeProvider>();
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.decorate('pdf', new PdfPrinter(ctx.config.chromium));
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    const hidden = (r.schema as { hide?: boolean } | undefined)?.hide === true;
    for (const method of methods) if (method !== 'HEAD') routeTable.push({ method, url: r.url, hidden });
  });
  // Every route registered from here on is under the access table (http/policy.ts).
  installPolicy(app, { ...ROUTE_POLICY, ...options.extraPolicy });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  installMetrics(app);
  // Every request gets `request.identity` (anonymous when none) before any route runs.
  const identity = await installIdentity(app, ctx, { secureCookies: ctx.config.secureCookies });
  await installSecurity(app, ctx.config);
  await installOpenApi(app);
  await app.register(systemRoutes(ctx));
  const audit = new AuditLog(ctx);
  await app.register(identityRoutes(identity, audit, { secureCookies: ctx.config.secureCookies }));
  await app.register(oidcRoutes(ctx, identity, { secureCookies: ctx.config.secureCookies }));
  await app.register(liveRoutes(live, { store: ctx.store, recheck: (who) => identity.current(who), anonymousPerAddress: ctx.config.liveAnonymousPerAddress }));
  await app.register(placesRoutes(ctx));
  await app.register(organisationsRoutes(ctx));
  await app.register(catalogueRoutes(ctx));
  await app.register(targetsRoutes(ctx));
  await app.register(analyticsRoutes(ctx));
  await app.register(observationsRoutes(ctx));
  await app.register(sourcesRoutes(ctx));
  await app.register(stationsRoutes(ctx));
  await app.register(pullsRoutes(ctx));
  await app.register(manualRoutes(ctx));
  await app.register(freshnessRoutes(ctx));
  await app.register(casesRoutes(ctx));
  await app.register(dossiersRoutes(ctx));
  await app.register(scorecardsRoutes(ctx));
  const figures = new OperationalFigures(ctx, { onError: (message, err) => app.log.error({ err }, message) });
  app.decorate('figures', figures);
  await app.register(operationsRoutes(ctx, figures));
  const alerts = new AlertService(ctx, { onError: (message, err) => app.log.error({ err }, message), log: app.log });
  app.decorate('alerts', alerts);
  // Readings committed through this context (file uploads, and the MQTT channel given it) are judged by the stream rules.
  ctx.alertStream = new AlertStream(ctx, alerts, { onError: (message, err) => app.log.error({ err }, message) });
  app.decorate('alertStream', ctx.alertStream);
  app.addHook('onClose', async () => ctx.alertStream?.stop());
  await app.register(alertsRoutes(ctx, alerts));
  await app.register(open311Routes(ctx));
  await app.register(capRoutes(ctx));
  await app.register(dashboardsRoutes(ctx));
  await app.register(parRoutes(ctx));
  await app.register(directiveRoutes(ctx));
  await app.register(messageRoutes(ctx));
  await app.register(reportRoutes(ctx));
  // The DIR_* figures follow each committed directive change (and, by the alarm loop's clock, each new Vietnam day).
  const directiveFigures = (ctx.directiveFigures = new DirectiveFigures(ctx, { onError: (message, err) => app.log.error({ err }, message) }));
  const stopDirectiveFigures = live.observe((event) => directiveFigures.observe(event));
  app.addHook('onClose', async () => {
    stopDirectiveFigures();
    await directiveFigures.idle();
  });
  await app.register(auditRoutes(audit));
  await app.register(homeRoutes(ctx, { webDir: options.webDir }));
  return app;
}
