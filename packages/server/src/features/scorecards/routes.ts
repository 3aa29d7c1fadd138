import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataScope, periodKeySchema, scorecardsResponseSchema } from '@watchfloor/core';
import { errors } from '../../http/schemas';
import type { AppContext } from '../../context';
import { ScorecardsService } from './service';

/** Agency scorecards: organisations ranked by on-time service and on-time data. */
export function scorecardsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new ScorecardsService(ctx);
  return async (app) => {
    app.get(
      '/api/scorecards',
      {
        schema: {
          tags: ['organisations'],
          summary: 'Organisations of a place ranked by a composite of dossiers on time, cases on time and data on time',
          description:
            'Per organisation serving the place or a unit under it: dossiers processed early or on time over processed (Decision 766), cases processed by their deadline over processed, ' +
            'and its scheduled sources and indicators not late now over all of them. Composite 0–100 with weights 40/30/30, renormalised over the components the agency has; ' +
            'each component answers its parts, weight, effective weight and contribution. Cases handled (processed) is shown beside the score, not in it. ' +
            'Only the agencies the caller\'s scope reaches, and others only with the caller\'s own cases and dossiers there; counts are of the cases and dossiers in the scope.',
          querystring: z.object({
            period: periodKeySchema.optional().describe('Default: the current month in Vietnam'),
            place: z.string().regex(/^\d{2,5}$/).optional().describe('A province, district or commune code; default the province served'),
          }),
          response: { 200: scorecardsResponseSchema, ...errors(400, 404) },
        },
      },
      async (req) => service.scorecards(req.query, dataScope(req.identity)),
    );
  };
}
