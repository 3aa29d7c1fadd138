import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { grantsAllow, type Identity } from '@watchfloor/core';
import type { AppContext } from '../../context';
import { readiness, statusReport, type StatusReport } from './service';

const readinessSchema = z.object({
  ready: z.boolean(),
  checks: z.object({ database: z.boolean(), migrations: z.boolean() }),
  problems: z.array(z.string()),
});

/** Where the database is and which version it runs help an attacker more than anyone else: administrators only see them. */
export function statusFor(identity: Identity, report: StatusReport): StatusReport {
  if (identity.kind !== 'anonymous' && grantsAllow(identity.roles, 'admin')) return report;
  return { ...report, database: { engine: report.database.engine } };
}

/** Probes (liveness, readiness) and the status of what is loaded. */
export function systemRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/healthz',
      { schema: { tags: ['system'], summary: 'Liveness: the process is up', response: { 200: z.object({ status: z.literal('ok') }) } } },
      async () => ({ status: 'ok' as const }),
    );
    app.get(
      '/readyz',
      {
        schema: {
          tags: ['system'],
          summary: 'Readiness: the database is reachable and migrations are applied',
          response: { 200: readinessSchema, 503: readinessSchema },
        },
      },
      async (_req, reply) => {
        const r = await readiness(ctx.store);
        return reply.status(r.ready ? 200 : 503).send(r);
      },
    );
    app.get(
      '/api/status',
      {
        schema: {
          tags: ['system'],
          summary: 'Version, database, and what reference data is loaded',
          description: 'The database’s location and version are answered to administrators only.',
          response: {
            200: z.object({
              version: z.string(),
              database: z.object({
                engine: z.string(),
                location: z.string().optional().describe('Administrators only'),
                version: z.string().optional().describe('Administrators only'),
              }),
              migrations: z.object({ applied: z.number(), pending: z.array(z.string()) }),
              datasets: z.array(z.object({ name: z.string(), loadedAt: z.string(), summary: z.unknown() })),
              places: z.record(z.string(), z.number()),
              geometries: z.number(),
              lineageEdges: z.number(),
              organisations: z.number(),
            }),
          },
        },
      },
      async (req) => statusFor(req.identity, await statusReport(ctx.store)),
    );
  };
}
