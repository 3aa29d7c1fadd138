import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataScope, indicatorCodeSchema, periodContaining, periodKey, periodKeySchema, placeCodeSchema, placeLevelSchema, previousPeriod, todayIn } from '@watchfloor/core';
import { atQuery, errors } from '../../http/schemas';
import type { AppContext } from '../../context';
import { AnalyticsService } from './service';
import { breakdownResponseSchema, organisationRankingResponseSchema, overviewResponseSchema, rankingResponseSchema, seriesResponseSchema } from './schemas';

export function analyticsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new AnalyticsService(ctx);
  const today = () => todayIn(ctx.clock);
  /** The last whole month: what a monthly report is about. */
  const lastMonth = () => periodKey(previousPeriod(periodContaining('month', today())));
  /** What the caller sees: everyone, the published indicators everywhere; a reader, every indicator where their scope reaches. */
  const sight = (req: FastifyRequest) => service.sight(dataScope(req.identity));
  const period = periodKeySchema.optional().describe('Period key (2026-10, 2026-Q3, 2026-H1, 2026-9M, 2026, 2026-YTD-10); default: the last whole month');

  return async (app) => {
    app.get(
      '/api/overview',
      {
        schema: {
          tags: ['indicators'],
          summary: 'Every indicator of a place for a period: value, status, plan, year-to-date, same period last year, trend, freshness',
          description:
            'Figures are regrouped onto the units valid on `at`: Trà Vinh 2016–2024 reads as province 84 with `at` in those years, and as part of province 86 with `at` today. ' +
            'Everyone, signed in or not, reads the published indicators of every place. A reader whose roles cover place subtrees reads every indicator of the places within them, and the published ones elsewhere; an unpublished indicator outside them answers 404 `unknown_indicator`.',
          querystring: atQuery.extend({ place: placeCodeSchema.describe('Administrative unit code'), period, domain: z.string().max(40).optional() }),
          response: { 200: overviewResponseSchema, ...errors(400, 404) },
        },
      },
      async (req) => service.overview({ placeCode: req.query.place, at: req.query.at ?? today(), period: req.query.period ?? lastMonth(), domain: req.query.domain }, await sight(req)),
    );

    app.get(
      '/api/indicators/:code/series',
      {
        schema: {
          tags: ['indicators'],
          summary: "One indicator's figures for a place over a run of periods, with plan and same period last year",
          params: z.object({ code: indicatorCodeSchema }),
          querystring: atQuery.extend({ place: placeCodeSchema, from: periodKeySchema, to: periodKeySchema }),
          response: { 200: seriesResponseSchema, ...errors(400, 404) },
        },
      },
      async (req) => service.series({ code: req.params.code, placeCode: req.query.place, at: req.query.at ?? today(), from: req.query.from, to: req.query.to }, await sight(req)),
    );

    app.get(
      '/api/indicators/:code/breakdown',
      {
        schema: {
          tags: ['indicators'],
          summary: "One indicator's figure for each child unit of a place, or for each organisation reporting under it",
          params: z.object({ code: indicatorCodeSchema }),
          querystring: atQuery.extend({ place: placeCodeSchema, period, by: z.enum(['place', 'organisation']).default('place') }),
          response: { 200: breakdownResponseSchema, ...errors(400, 404) },
        },
      },
      async (req) =>
        service.breakdown({ code: req.params.code, placeCode: req.query.place, at: req.query.at ?? today(), period: req.query.period ?? lastMonth(), by: req.query.by }, await sight(req)),
    );

    app.get(
      '/api/rankings/organisations',
      {
        schema: {
          tags: ['indicators'],
          summary: 'Organisations that reported an indicator under a place, ranked by it (agency scorecards)',
          querystring: atQuery.extend({ indicator: indicatorCodeSchema, period, place: placeCodeSchema.default('86').describe('Rank the organisations reporting under this unit') }),
          response: { 200: organisationRankingResponseSchema, ...errors(400, 404) },
        },
      },
      async (req) => service.rankOrganisations({ code: req.query.indicator, at: req.query.at ?? today(), period: req.query.period ?? lastMonth(), placeCode: req.query.place }, await sight(req)),
    );

    app.get(
      '/api/rankings',
      {
        schema: {
          tags: ['indicators'],
          summary: 'Units of a level ranked by an indicator or composite index, with the components of each score',
          querystring: atQuery.extend({
            indicator: indicatorCodeSchema,
            period,
            level: placeLevelSchema.default('province'),
            parent: placeCodeSchema.optional().describe('Only units under this one'),
          }),
          response: { 200: rankingResponseSchema, ...errors(400, 404) },
        },
      },
      async (req) =>
        service.ranking({ code: req.query.indicator, at: req.query.at ?? today(), period: req.query.period ?? lastMonth(), level: req.query.level, parentCode: req.query.parent }, await sight(req)),
    );
  };
}
