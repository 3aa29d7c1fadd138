import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { dashboardsApi, dataScope } from '@watchfloor/core';
import { serve } from '../../http/serve';
import type { AppContext } from '../../context';
import { DashboardsService } from './service';

/** Dashboards (panels bound to indicators, a place and a period) and the video wall's playlists. */
export function dashboardsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new DashboardsService(ctx);
  return async (app) => {
    serve(app, dashboardsApi.list, async (req) => ({ dashboards: await service.list(dataScope(req.identity)) }));

    serve(app, dashboardsApi.importFile, async (req, reply) => {
      const { created, dashboard } = await service.import(req.body);
      return reply.status(created ? 201 : 200).send(dashboard);
    });

    serve(app, dashboardsApi.detail, async (req) => service.get(req.params.code, dataScope(req.identity)));

    serve(app, dashboardsApi.save, async (req, reply) => {
      const { created, dashboard } = await service.put(req.params.code, req.body);
      return reply.status(created ? 201 : 200).send(dashboard);
    });

    serve(app, dashboardsApi.remove, async (req, reply) => {
      await service.delete(req.params.code);
      return reply.send(null);
    });

    serve(app, dashboardsApi.exportFile, async (req, reply) => {
      const { filename, file } = await service.exportFile(req.params.code, dataScope(req.identity));
      reply.header('content-disposition', `attachment; filename="${filename}"`);
      return file;
    });

    serve(app, dashboardsApi.playlists, async () => ({ playlists: await service.listPlaylists() }));

    serve(app, dashboardsApi.playlist, async (req) => service.getPlaylist(req.params.code));

    serve(app, dashboardsApi.savePlaylist, async (req, reply) => {
      const { created, playlist } = await service.putPlaylist(req.params.code, req.body);
      return reply.status(created ? 201 : 200).send(playlist);
    });
  };
}
