import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { dataScope, freshnessApi } from '@watchfloor/core';
import type { AppContext } from '../../context';
import { serve } from '../../http/serve';
import { FreshnessService } from './service';

/** Freshness per indicator, and what is late with the agencies answerable for it. */
export function freshnessRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new FreshnessService(ctx);
  return async (app) => {
    serve(app, freshnessApi.indicators, async () => service.indicators());

    serve(app, freshnessApi.late, async (req) => service.late(dataScope(req.identity)));
  };
}
