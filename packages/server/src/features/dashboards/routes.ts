import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { boardCodeSchema, dashboardFileSchema, dataScope, dashboardSchema, dashboardSummarySchema, playlistSchema, playlistSummarySchema } from '@watchfloor/core';
import { errors } from '../../http/schemas';
import type { AppContext } from '../../context';
import { documentedAs } from '../catalogue/schemas';
import { DashboardsService } from './service';

const codeParams = z.object({ code: boardCodeSchema });

const DASHBOARD_REFUSAL =
  'A refused document answers 400 `invalid_dashboard` with `details` listing each problem as `{ path, panel, reason, message }`; ' +
  'an indicator missing from the catalogue is reason `unknown_indicator`, naming the panel.';

/** Dashboards (panels bound to indicators, a place and a period) and the video wall's playlists. */
export function dashboardsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new DashboardsService(ctx);
  const dashboardBody = documentedAs(dashboardSchema, 'A dashboard document');
  return async (app) => {
    app.get(
      '/api/dashboards',
      {
        schema: {
          tags: ['dashboards'],
          summary: 'The saved dashboards, by code',
          description: 'Without signing in, only the published ones (`published: true`).',
          response: { 200: z.object({ dashboards: z.array(dashboardSummarySchema) }) },
        },
      },
      async (req) => ({ dashboards: await service.list(dataScope(req.identity)) }),
    );

    app.post(
      '/api/dashboards/import',
      {
        schema: {
          tags: ['dashboards'],
          summary: 'Import a dashboard file (or a bare document), creating or replacing the dashboard of its code',
          description: DASHBOARD_REFUSAL,
          body: documentedAs(dashboardFileSchema, 'An exported dashboard file, or a bare dashboard document'),
          response: { 200: dashboardSchema, 201: dashboardSchema, ...errors(400, 413, 415) },
        },
      },
      async (req, reply) => {
        const { created, dashboard } = await service.import(req.body);
        return reply.status(created ? 201 : 200).send(dashboard);
      },
    );

    app.get(
      '/api/dashboards/:code',
      {
        schema: {
          tags: ['dashboards'],
          summary: 'One dashboard',
          description: 'Without signing in, an unpublished dashboard answers 404 `unknown_dashboard`, as an unknown one does.',
          params: codeParams,
          response: { 200: dashboardSchema, ...errors(400, 404) },
        },
      },
      async (req) => service.get(req.params.code, dataScope(req.identity)),
    );

    app.put(
      '/api/dashboards/:code',
      {
        schema: {
          tags: ['dashboards'],
          summary: 'Save a dashboard (create or replace)',
          description: `The code in the body must be the one in the path. 201 when new, 200 when replaced; open boards and walls are told (live event dashboard.changed). ${DASHBOARD_REFUSAL}`,
          params: codeParams,
          body: dashboardBody,
          response: { 200: dashboardSchema, 201: dashboardSchema, ...errors(400, 413, 415) },
        },
      },
      async (req, reply) => {
        const { created, dashboard } = await service.put(req.params.code, req.body);
        return reply.status(created ? 201 : 200).send(dashboard);
      },
    );

    app.delete(
      '/api/dashboards/:code',
      {
        schema: {
          tags: ['dashboards'],
          summary: 'Delete a dashboard no playlist shows',
          params: codeParams,
          response: { 204: z.null().describe('Deleted'), ...errors(400, 404, 409) },
        },
      },
      async (req, reply) => {
        await service.delete(req.params.code);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/dashboards/:code/export',
      { schema: { tags: ['dashboards'], summary: 'A dashboard as a file to import elsewhere', params: codeParams, response: { 200: dashboardFileSchema, ...errors(400, 404) } } },
      async (req, reply) => {
        const { filename, file } = await service.exportFile(req.params.code, dataScope(req.identity));
        reply.header('content-disposition', `attachment; filename="${filename}"`);
        return file;
      },
    );

    app.get(
      '/api/playlists',
      { schema: { tags: ['dashboards'], summary: "The video wall's playlists", response: { 200: z.object({ playlists: z.array(playlistSummarySchema) }) } } },
      async () => ({ playlists: await service.listPlaylists() }),
    );

    app.get(
      '/api/playlists/:code',
      { schema: { tags: ['dashboards'], summary: 'One playlist', params: codeParams, response: { 200: playlistSchema, ...errors(400, 404) } } },
      async (req) => service.getPlaylist(req.params.code),
    );

    app.put(
      '/api/playlists/:code',
      {
        schema: {
          tags: ['dashboards'],
          summary: 'Save a playlist (create or replace)',
          description: 'Every dashboard named must exist (else 400 `invalid_playlist`, reason `unknown_dashboard`); each stays on the wall for its `seconds`.',
          params: codeParams,
          body: documentedAs(playlistSchema, 'A playlist'),
          response: { 200: playlistSchema, 201: playlistSchema, ...errors(400, 413, 415) },
        },
      },
      async (req, reply) => {
        const { created, playlist } = await service.putPlaylist(req.params.code, req.body);
        return reply.status(created ? 201 : 200).send(playlist);
      },
    );
  };
}
