import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { organisationsApi } from '@watchfloor/core';
import { serve } from '../../http/serve';
import type { AppContext } from '../../context';
import { OrganisationsService } from './service';

export function organisationsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new OrganisationsService(ctx);
  return async (app) => {
    serve(app, organisationsApi.list, async (req) => {
      const at = req.query.at ?? service.today();
      return { at, organisations: await service.list(at, { parentCode: req.query.parent, placeCode: req.query.place, kind: req.query.kind }) };
    });

    serve(app, organisationsApi.detail, async (req) => {
      const at = req.query.at ?? service.today();
      return { at, ...(await service.detail(req.params.code, at)) };
    });
  };
}
