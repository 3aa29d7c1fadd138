import {
  alertSchema,
  caseSchema,
  dashboardSchema,
  dashboardSummarySchema,
  indicatorDefinitionSchema,
  playlistSchema,
  playlistSummarySchema,
  type Alert,
  type Case,
  type Dashboard,
  type DashboardSummary,
  type IndicatorDefinition,
  type Playlist,
  type PlaylistSummary,
} from '@watchfloor/core';
import { ApiError, urlOf, type Request } from '../../lib/api';

/**
 * Requests of the dashboard screens, checked against core's schemas like
 * every answer. Boards, playlists and feeds are not kept between screens:
 * a steward's save or a new case must show at once.
 */
interface Schema<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

function errorOf(body: unknown, res: Response, url: string): ApiError {
  const e = typeof body === 'object' && body !== null ? (body as { error?: unknown; message?: unknown; details?: unknown }) : {};
  const err = new ApiError(
    typeof e.error === 'string' ? e.error : res.status >= 500 ? 'internal_error' : 'not_found',
    typeof e.message === 'string' ? e.message : `HTTP ${res.status} for ${url}`,
    res.status,
  );
  return Object.assign(err, { details: e.details });
}

async function send<T>(url: string, schema: Schema<T>, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}) } });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new ApiError('network', err instanceof Error ? err.message : String(err), 0);
  }
  const body: unknown = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) throw errorOf(body, res, url);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError('bad_response', `${url}: ${parsed.error.message}`, res.status);
  return parsed.data;
}

function request<T>(url: string, schema: Schema<T>): Request<T> {
  return { url, peek: () => undefined, load: (signal) => send(url, schema, signal ? { signal } : {}) };
}

/** The problems of a refused board, as the server lists them. */
export function issuesOf(err: unknown): { path: string; panel: string | null; message: string }[] {
  const details = (err as { details?: unknown } | null)?.details;
  return Array.isArray(details) ? details.filter((d): d is { path: string; panel: string | null; message: string } => typeof d === 'object' && d !== null && 'message' in d) : [];
}

/** `{ [key]: T[] }`, each item checked by the schema. */
function listOf<K extends string, T>(key: K, item: Schema<T>): Schema<Record<K, T[]>> {
  return {
    safeParse(input) {
      const list: unknown = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[key] : undefined;
      if (!Array.isArray(list)) return { success: false, error: { message: `expected { ${key}: [...] }` } };
      const out: T[] = [];
      for (const [i, raw] of list.entries()) {
        const r = item.safeParse(raw);
        if (!r.success) return { success: false, error: { message: `${key}[${i}]: ${r.error.message}` } };
        out.push(r.data);
      }
      return { success: true, data: { [key]: out } as Record<K, T[]> };
    },
  };
}

const nothing: Schema<null> = { safeParse: () => ({ success: true, data: null }) };

const seg = encodeURIComponent;

export const boardApi = {
  dashboards: () => request<{ dashboards: DashboardSummary[] }>('/api/dashboards', listOf('dashboards', dashboardSummarySchema)),
  dashboard: (code: string) => request<Dashboard>(`/api/dashboards/${seg(code)}`, dashboardSchema),
  playlists: () => request<{ playlists: PlaylistSummary[] }>('/api/playlists', listOf('playlists', playlistSummarySchema)),
  playlist: (code: string) => request<Playlist>(`/api/playlists/${seg(code)}`, playlistSchema),
  indicators: () => request<{ indicators: IndicatorDefinition[] }>('/api/indicators', listOf('indicators', indicatorDefinitionSchema)),
  cases: (q: { place?: string | undefined; limit: number }) => request<{ cases: Case[] }>(urlOf('/api/cases', { place: q.place, limit: String(q.limit) }), listOf('cases', caseSchema)),
  alerts: (q: { limit: number }) => request<{ alerts: Alert[] }>(urlOf('/api/alerts', { limit: String(q.limit) }), listOf('alerts', alertSchema)),
  save: (board: Dashboard) => send(`/api/dashboards/${seg(board.code)}`, dashboardSchema, { method: 'PUT', body: JSON.stringify(board) }),
  import: (file: unknown) => send('/api/dashboards/import', dashboardSchema, { method: 'POST', body: JSON.stringify(file) }),
  remove: (code: string) => send(`/api/dashboards/${seg(code)}`, nothing, { method: 'DELETE' }),
  exportUrl: (code: string) => `/api/dashboards/${seg(code)}/export`,
};
