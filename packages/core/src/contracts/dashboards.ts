import { z } from 'zod';
import { route } from '../contract';
import { atQuery } from '../dates';
import { exportQueryShape, withExportDescription } from '../exports';
import { placeCodeSchema } from '../places';
import { boardCodeSchema, dashboardFileSchema, dashboardSchema, dashboardSummarySchema, playlistSchema, playlistSummarySchema } from '../dashboards';
import { documentedAs } from './catalogue';

/** The HTTP contract of dashboards (panels bound to indicators, a place and a period) and the video wall's playlists. See ../contract.ts. */

const TAGS = ['dashboards'];

export const codeParams = z.object({ code: boardCodeSchema });

const DASHBOARD_REFUSAL =
  'A refused document answers 400 `invalid_dashboard` with `details` listing each problem as `{ path, panel, reason, message }`; ' +
  'an indicator missing from the catalogue is reason `unknown_indicator`, naming the panel.';

export const dashboardsAnswerSchema = z.object({ dashboards: z.array(dashboardSummarySchema) });
export const playlistsAnswerSchema = z.object({ playlists: z.array(playlistSummarySchema) });

export const list = route({
  method: 'GET',
  path: '/api/dashboards',
  tags: TAGS,
  summary: 'The saved dashboards, by code',
  description: 'Without signing in, only the published ones (`published: true`).',
  response: dashboardsAnswerSchema,
});

/** 201 when the code was new, 200 when it replaced a dashboard. */
export const importFile = route({
  method: 'POST',
  path: '/api/dashboards/import',
  tags: TAGS,
  summary: 'Import a dashboard file (or a bare document), creating or replacing the dashboard of its code',
  description: DASHBOARD_REFUSAL,
  body: documentedAs(dashboardFileSchema, 'An exported dashboard file, or a bare dashboard document'),
  statuses: [200, 201],
  response: dashboardSchema,
  errors: [400, 413, 415],
});

export const detail = route({
  method: 'GET',
  path: '/api/dashboards/:code',
  tags: TAGS,
  summary: 'One dashboard',
  description: withExportDescription(
    'Without signing in, an unpublished dashboard answers 404 `unknown_dashboard`, as an unknown one does. ' +
      'The JSON answer is the document; its panels read their figures from the overview, series and breakdown routes. ' +
      'Exported, it is one table of those figures for the place viewed (`place`) as of `at`, read the same way: a row per tile, per period a chart draws, per unit a map colours or a ranking lists ' +
      '(panel, panel kind, indicator code and name, place, period, value, unit, complete, source, updated at); panels without indicator figures (feeds, PAR Index, directives) are named in the notes.',
  ),
  params: codeParams,
  query: atQuery.extend({ place: placeCodeSchema.optional().describe('Exports: the place viewed, for the panels bound to it; default: the province served'), ...exportQueryShape }),
  response: dashboardSchema,
  errors: [400, 404],
});

/** 201 when new, 200 when replaced. */
export const save = route({
  method: 'PUT',
  path: '/api/dashboards/:code',
  tags: TAGS,
  summary: 'Save a dashboard (create or replace)',
  description: `The code in the body must be the one in the path. 201 when new, 200 when replaced; open boards and walls are told (live event dashboard.changed). ${DASHBOARD_REFUSAL}`,
  params: codeParams,
  body: documentedAs(dashboardSchema, 'A dashboard document'),
  statuses: [200, 201],
  response: dashboardSchema,
  errors: [400, 413, 415],
});

export const remove = route({
  method: 'DELETE',
  path: '/api/dashboards/:code',
  tags: TAGS,
  summary: 'Delete a dashboard no playlist shows',
  params: codeParams,
  statuses: [204],
  response: z.null().describe('Deleted'),
  errors: [400, 404, 409],
});

/** JSON sent as an attachment (Content-Disposition): the web links to it (hrefOf) to download it. */
export const exportFile = route({
  method: 'GET',
  path: '/api/dashboards/:code/export',
  tags: TAGS,
  summary: 'A dashboard as a file to import elsewhere',
  params: codeParams,
  response: dashboardFileSchema,
  errors: [400, 404],
});

export const playlists = route({
  method: 'GET',
  path: '/api/playlists',
  tags: TAGS,
  summary: "The video wall's playlists",
  response: playlistsAnswerSchema,
});

export const playlist = route({
  method: 'GET',
  path: '/api/playlists/:code',
  tags: TAGS,
  summary: 'One playlist',
  params: codeParams,
  response: playlistSchema,
  errors: [400, 404],
});

/** 201 when new, 200 when replaced. */
export const savePlaylist = route({
  method: 'PUT',
  path: '/api/playlists/:code',
  tags: TAGS,
  summary: 'Save a playlist (create or replace)',
  description: 'Every dashboard named must exist (else 400 `invalid_playlist`, reason `unknown_dashboard`); each stays on the wall for its `seconds`.',
  params: codeParams,
  body: documentedAs(playlistSchema, 'A playlist'),
  statuses: [200, 201],
  response: playlistSchema,
  errors: [400, 413, 415],
});
