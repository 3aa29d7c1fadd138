import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { dataScope, freshnessApi } from '@watchfloor/core';
import type { AppContext } from '../../context';
import { serve } from '../../http/serve';
import { exportFormatOf, exportLanguageOf, sendTable } from '../../http/exports';
import { lateTable } from './exports';
import { FreshnessService } from './service';

/** Freshness per indicator, and what is late with the agencies answerable for it. */
export function freshnessRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new FreshnessService(ctx);
  return async (app) => {
    serve(app, freshnessApi.indicators, async () => service.indicators());

    serve(app, freshnessApi.late, async (req, reply) => {
      const answer = await service.late(dataScope(req.identity));
      const format = exportFormatOf(req);
      return format ? sendTable(reply, lateTable(answer, exportLanguageOf(req)), format, exportLanguageOf(req)) : answer;
    });
  };
}
