import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { analyticsApi, dataScope, periodContaining, periodKey, previousPeriod, todayIn } from '@watchfloor/core';
import { serve } from '../../http/serve';
import type { AppContext } from '../../context';
import { exportFormatOf, exportLanguageOf, sendTable } from '../../http/exports';
import { AnalyticsService } from './service';
import { breakdownTable, organisationRankingTable, overviewTable, rankingTable, seriesTable } from './exports';

export function analyticsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new AnalyticsService(ctx);
  const today = () => todayIn(ctx.clock);
  /** The last whole month: what a monthly report is about. */
  const lastMonth = () => periodKey(previousPeriod(periodContaining('month', today())));
  /** What the caller sees: everyone, the published indicators everywhere; a reader, every indicator where their scope reaches. */
  const sight = (req: FastifyRequest) => service.sight(dataScope(req.identity));

  return async (app) => {
    serve(app, analyticsApi.overview, async (req, reply) => {
      const answer = await service.overview({ placeCode: req.query.place, at: req.query.at ?? today(), period: req.query.period ?? lastMonth(), domain: req.query.domain }, await sight(req));
      const format = exportFormatOf(req);
      return format ? sendTable(reply, overviewTable(answer, exportLanguageOf(req)), format, exportLanguageOf(req)) : answer;
    });

    serve(app, analyticsApi.series, async (req, reply) => {
      const answer = await service.series({ code: req.params.code, placeCode: req.query.place, at: req.query.at ?? today(), from: req.query.from, to: req.query.to }, await sight(req));
      const format = exportFormatOf(req);
      return format ? sendTable(reply, await seriesTable(ctx, answer, exportLanguageOf(req)), format, exportLanguageOf(req)) : answer;
    });

    serve(app, analyticsApi.breakdown, async (req, reply) => {
      const answer = await service.breakdown(
        { code: req.params.code, placeCode: req.query.place, at: req.query.at ?? today(), period: req.query.period ?? lastMonth(), by: req.query.by },
        await sight(req),
      );
      const format = exportFormatOf(req);
      return format ? sendTable(reply, await breakdownTable(ctx, answer, exportLanguageOf(req)), format, exportLanguageOf(req)) : answer;
    });

    serve(app, analyticsApi.organisationRankings, async (req, reply) => {
      const answer = await service.rankOrganisations(
        { code: req.query.indicator, at: req.query.at ?? today(), period: req.query.period ?? lastMonth(), placeCode: req.query.place ?? ctx.config.province },
        await sight(req),
      );
      const format = exportFormatOf(req);
      return format ? sendTable(reply, await organisationRankingTable(ctx, answer, exportLanguageOf(req)), format, exportLanguageOf(req)) : answer;
    });

    serve(app, analyticsApi.rankings, async (req, reply) => {
      const answer = await service.ranking({ code: req.query.indicator, at: req.query.at ?? today(), period: req.query.period ?? lastMonth(), level: req.query.level, parentCode: req.query.parent }, await sight(req));
      const format = exportFormatOf(req);
      return format ? sendTable(reply, await rankingTable(ctx, answer, exportLanguageOf(req), req.query.level, req.query.parent), format, exportLanguageOf(req)) : answer;
    });
  };
}
