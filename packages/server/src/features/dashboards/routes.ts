import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { dashboardsApi, dataScope, todayIn } from '@watchfloor/core';
import { serve } from '../../http/serve';
import type { AppContext } from '../../context';
import { exportFormatOf, exportLanguageOf, sendTable } from '../../http/exports';
import { AnalyticsService } from '../analytics/service';
import { DashboardsService } from './service';
import { dashboardTable } from './exports';

/** Dashboards (panels bound to indicators, a place and a period) and the video wall's playlists. */
export function dashboardsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new DashboardsService(ctx);
  const analytics = new AnalyticsService(ctx);
  return async (app) => {
    serve(app, dashboardsApi.list, async (req) => ({ dashboards: await service.list(dataScope(req.identity)) }));

    serve(app, dashboardsApi.importFile, async (req, reply) => {
      const { created, dashboard } = await service.import(req.body);
      return reply.status(created ? 201 : 200).send(dashboard);
    });

    serve(app, dashboardsApi.detail, async (req, reply) => {
      const board = await service.get(req.params.code, dataScope(req.identity));
      const format = exportFormatOf(req);
      if (!format) return board;
      const view = { viewed: req.query.place ?? ctx.config.province, at: req.query.at ?? todayIn(ctx.clock) };
      const table = await dashboardTable(analytics, board, view, await analytics.sight(dataScope(req.identity)), exportLanguageOf(req));
      return sendTable(reply, table, format, exportLanguageOf(req));
    });

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
