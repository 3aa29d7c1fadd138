import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from './context';
import { installErrorHandling } from './http/errors';
import { installMetrics } from './http/metrics';
import { installOpenApi } from './http/openapi';
import { analyticsRoutes } from './features/analytics/routes';
import { casesRoutes } from './features/cases/routes';
import { dossiersRoutes } from './features/dossiers/routes';
import { catalogueRoutes } from './features/catalogue/routes';
import { observationsRoutes } from './features/observations/routes';
import { open311Routes } from './features/open311/routes';
import { homeRoutes } from './features/home/routes';
import { organisationsRoutes } from './features/organisations/routes';
import { placesRoutes } from './features/places/routes';
import { sourcesRoutes } from './features/sources/routes';
import { systemRoutes } from './features/system/routes';
import { targetsRoutes } from './features/targets/routes';
import { LiveHub } from './live/hub';
import { liveRoutes } from './live/routes';

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
  }
}

export interface AppOptions {
  /** Log records to stdout as JSON; tests pass false. */
  logger?: boolean;
  /** A build of the web app to serve at / (packages/web/dist); without one, a placeholder page says how to build it. */
  webDir?: string;
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
    logger: options.logger === false ? false : { level: ctx.config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
    bodyLimit: ctx.config.bodyLimitBytes,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    const hidden = (r.schema as { hide?: boolean } | undefined)?.hide === true;
    for (const method of methods) if (method !== 'HEAD') routeTable.push({ method, url: r.url, hidden });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  installMetrics(app);
  await installOpenApi(app);
  await app.register(systemRoutes(ctx));
  await app.register(liveRoutes(live));
  await app.register(placesRoutes(ctx));
  await app.register(organisationsRoutes(ctx));
  await app.register(catalogueRoutes(ctx));
  await app.register(targetsRoutes(ctx));
  await app.register(analyticsRoutes(ctx));
  await app.register(observationsRoutes(ctx));
  await app.register(sourcesRoutes(ctx));
  await app.register(casesRoutes(ctx));
  await app.register(dossiersRoutes(ctx));
  await app.register(open311Routes(ctx));
  await app.register(homeRoutes(ctx, { webDir: options.webDir }));
  return app;
}
