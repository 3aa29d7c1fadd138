import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { dataScope, scorecardsApi } from '@watchfloor/core';
import { serve } from '../../http/serve';
import { exportFormatOf, exportLanguageOf, sendTable } from '../../http/exports';
import type { AppContext } from '../../context';
import { ScorecardsService } from './service';
import { scorecardsTable } from './exports';

/** Agency scorecards: organisations ranked by on-time service and on-time data. */
export function scorecardsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new ScorecardsService(ctx);
  return async (app) => {
    serve(app, scorecardsApi.list, async (req, reply) => {
      const answer = await service.scorecards(req.query, dataScope(req.identity));
      const format = exportFormatOf(req);
      return format ? sendTable(reply, scorecardsTable(answer), format, exportLanguageOf(req)) : answer;
    });
  };
}
