import {
  alertSchema,
  caseSchema,
  dashboardSchema,
  dashboardSummarySchema,
  catalogueApi,
  playlistSchema,
  playlistSummarySchema,
  type Alert,
  type Case,
  type Dashboard,
  type DashboardSummary,
  type Playlist,
  type PlaylistSummary,
} from '@watchfloor/core';
import { fresh as request, listOf, nothing, send, urlOf } from '../../lib/api';
import { fresh } from '../../lib/client';

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

const seg = encodeURIComponent;

export const boardApi = {
  dashboards: () => request<{ dashboards: DashboardSummary[] }>('/api/dashboards', listOf('dashboards', dashboardSummarySchema)),
  dashboard: (code: string) => request<Dashboard>(`/api/dashboards/${seg(code)}`, dashboardSchema),
  playlists: () => request<{ playlists: PlaylistSummary[] }>('/api/playlists', listOf('playlists', playlistSummarySchema)),
  playlist: (code: string) => request<Playlist>(`/api/playlists/${seg(code)}`, playlistSchema),
  indicators: () => fresh(catalogueApi.list),
  cases: (q: { place?: string | undefined; limit: number }) => request<{ cases: Case[] }>(urlOf('/api/cases', { place: q.place, limit: String(q.limit) }), listOf('cases', caseSchema)),
  alerts: (q: { limit: number }) => request<{ alerts: Alert[] }>(urlOf('/api/alerts', { limit: String(q.limit) }), listOf('alerts', alertSchema)),
  save: (board: Dashboard) => send(`/api/dashboards/${seg(board.code)}`, dashboardSchema, { method: 'PUT', body: JSON.stringify(board) }),
  import: (file: unknown) => send('/api/dashboards/import', dashboardSchema, { method: 'POST', body: JSON.stringify(file) }),
  remove: (code: string) => send(`/api/dashboards/${seg(code)}`, nothing, { method: 'DELETE' }),
  savePlaylist: (playlist: Playlist) => send(`/api/playlists/${seg(playlist.code)}`, playlistSchema, { method: 'PUT', body: JSON.stringify(playlist) }),
  exportUrl: (code: string) => `/api/dashboards/${seg(code)}/export`,
};
