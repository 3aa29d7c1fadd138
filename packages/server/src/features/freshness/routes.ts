import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { dataScope, indicatorFreshnessResponseSchema, lateResponseSchema } from '@watchfloor/core';
import type { AppContext } from '../../context';
import { FreshnessService } from './service';

/** Freshness per indicator, and what is late with the agencies answerable for it. */
export function freshnessRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new FreshnessService(ctx);
  return async (app) => {
    app.get(
      '/api/freshness/indicators',
      {
        schema: {
          tags: ['sources'],
          summary: 'Every indicator: when its data last arrived, from which source and agency, when it is due, and whether it is late',
          description:
            "The deadline is the supplying source's expected delivery when a registered source supplies the indicator, else the indicator's own delivery rule. " +
            'A rate or formula takes the arrival of its latest part.',
          response: { 200: indicatorFreshnessResponseSchema },
        },
      },
      async () => service.indicators(),
    );

    app.get(
      '/api/freshness/late',
      {
        schema: {
          tags: ['sources'],
          summary: 'Late sources and indicators, and the agencies accountable ranked by lateness: the basis of reminders',
          description: 'The sources are those in the caller’s scope; the indicators are all of them.',
          response: { 200: lateResponseSchema },
        },
      },
      async (req) => service.late(dataScope(req.identity)),
    );
  };
}
