import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { placesApi } from '@watchfloor/core';
import { serve } from '../../http/serve';
import type { AppContext } from '../../context';
import { PlacesService } from './service';

export function placesRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new PlacesService(ctx);
  return async (app) => {
    serve(app, placesApi.list, async (req) => {
      const at = req.query.at ?? service.today();
      return { at, places: await service.list(at, req.query.level, req.query.parent) };
    });

    serve(app, placesApi.locate, async (req) => service.locate(req.query.lat, req.query.lon, req.query.at ?? service.today()));

    serve(app, placesApi.detail, async (req) => {
      const at = req.query.at ?? service.today();
      return { at, ...(await service.detail(req.params.code, at)) };
    });

    serve(app, placesApi.geometry, async (req, reply) => {
      reply.type('application/geo+json');
      return service.geometry(req.params.code, req.query.at ?? service.today());
    });

    serve(app, placesApi.childrenGeometry, async (req, reply) => {
      reply.type('application/geo+json');
      return service.childrenGeometry(req.params.code, req.query.at ?? service.today(), req.query.tolerance, req.query.properties);
    });

    serve(app, placesApi.lineage, async (req) => service.lineage(req.params.code, req.query.at));
  };
}
