import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { dataScope, pullsApi } from '@watchfloor/core';
import type { AppContext } from '../../context';
import { serve } from '../../http/serve';
import { SourcesService, writeScopes } from '../sources/service';
import { PullService } from './service';

/** Pulls: run one now, and see a pull source's job (next run, failures in a row, cursor). */
export function pullsRoutes(ctx: AppContext, options: { instance?: string } = {}): FastifyPluginAsyncZod {
  return async (app) => {
    const pulls = new PullService(ctx, { ...options, log: app.log });
    const sources = new SourcesService(ctx);

    serve(app, pullsApi.run, async (req) => {
      await sources.writable(req.params.code, writeScopes(req.identity, 'data.supply'));
      return pulls.runOnce(req.params.code);
    });

    serve(app, pullsApi.job, async (req) => {
      await sources.record(req.params.code, dataScope(req.identity));
      return pulls.job(req.params.code);
    });
  };
}
