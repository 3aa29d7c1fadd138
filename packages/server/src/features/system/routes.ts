import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { readiness, statusReport } from './service';

const readinessSchema = z.object({
  ready: z.boolean(),
  checks: z.object({ database: z.boolean(), migrations: z.boolean() }),
  problems: z.array(z.string()),
});

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
          response: {
            200: z.object({
              version: z.string(),
              database: z.object({ engine: z.string(), location: z.string(), version: z.string() }),
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
      async () => statusReport(ctx.store),
    );
  };
}
