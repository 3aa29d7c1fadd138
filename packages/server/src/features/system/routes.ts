import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { grantsAllow, systemApi, type Identity } from '@watchfloor/core';
import type { AppContext } from '../../context';
import { serve } from '../../http/serve';
import { readiness, serverConfig, statusReport, type StatusReport } from './service';

/** Where the database is and which version it runs help an attacker more than anyone else: administrators only see them. */
export function statusFor(identity: Identity, report: StatusReport): StatusReport {
  if (identity.kind !== 'anonymous' && grantsAllow(identity.roles, 'admin')) return report;
  return { ...report, database: { engine: report.database.engine } };
}

/** Probes (liveness, readiness), the status of what is loaded, and what the server serves. */
export function systemRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    serve(app, systemApi.health, async () => ({ status: 'ok' as const }));
    serve(app, systemApi.readiness, async (_req, reply) => {
      const r = await readiness(ctx.store);
      return reply.status(r.ready ? 200 : 503).send(r);
    });
    serve(app, systemApi.status, async (req) => statusFor(req.identity, await statusReport(ctx.store)));
    serve(app, systemApi.config, async () => serverConfig(ctx));
  };
}
