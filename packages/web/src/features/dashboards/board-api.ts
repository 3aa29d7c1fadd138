import {
  alertsApi,
  casesApi,
  dashboardsApi,
  catalogueApi,
  type Dashboard,
  type Playlist,
} from '@watchfloor/core';
import { call, fresh, hrefOf } from '../../lib/client';

/**
 * Requests of the dashboard screens, checked against core's schemas like
 * every answer. Boards, playlists and feeds are not kept between screens:
 * a steward's save or a new case must show at once.
 */
/** The problems of a refused board, as the server lists them. */
export function issuesOf(err: unknown): { path: string; panel: string | null; message: string }[] {
  const details = (err as { details?: unknown } | null)?.details;
  return Array.isArray(details) ? details.filter((d): d is { path: string; panel: string | null; message: string } => typeof d === 'object' && d !== null && 'message' in d) : [];
}

export const boardApi = {
  dashboards: () => fresh(dashboardsApi.list),
  dashboard: (code: string) => fresh(dashboardsApi.detail, { params: { code } }),
  playlists: () => fresh(dashboardsApi.playlists),
  playlist: (code: string) => fresh(dashboardsApi.playlist, { params: { code } }),
  indicators: () => fresh(catalogueApi.list),
  cases: (q: { place?: string | undefined; limit: number }) => fresh(casesApi.list, { query: { place: q.place, limit: q.limit } }),
  alerts: (q: { limit: number }) => fresh(alertsApi.list, { query: { limit: q.limit } }),
  save: (board: Dashboard) => call(dashboardsApi.save, { params: { code: board.code }, body: board }),
  import: (file: unknown) => call(dashboardsApi.importFile, { body: file }),
  remove: (code: string) => call(dashboardsApi.remove, { params: { code } }),
  savePlaylist: (playlist: Playlist) => call(dashboardsApi.savePlaylist, { params: { code: playlist.code }, body: playlist }),
  exportUrl: (code: string) => hrefOf(dashboardsApi.exportFile, { params: { code } }),
  /** The board's figures for the place and date viewed, as the export menu links to them (the server reads them as the panels do). */
  figuresHref: (code: string, q: { place: string; at?: string | undefined }) => hrefOf(dashboardsApi.detail, { params: { code }, query: q }),
};
