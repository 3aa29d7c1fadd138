import { alertSchema, caseSchema, scorecardsResponseSchema, stationSchema, type Alert, type Case, type ScorecardsResponse, type Station } from '@watchfloor/core';
import { ApiError, urlOf, type Request } from '../../lib/api';

/**
 * Requests of the leaders' screens (feed, map points, scorecards), every
 * answer checked against core's schemas. Nothing is kept: these follow live
 * events and must show the state of now.
 */
interface Schema<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

async function load<T>(url: string, schema: Schema<T>, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { signal, headers: { accept: 'application/json' } });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError('network', err instanceof Error ? err.message : String(err), 0);
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = typeof body === 'object' && body !== null ? (body as { error?: unknown; message?: unknown }) : {};
    throw new ApiError(typeof e.error === 'string' ? e.error : res.status >= 500 ? 'internal_error' : 'not_found', typeof e.message === 'string' ? e.message : `HTTP ${res.status} for ${url}`, res.status);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError('bad_response', `${url}: ${parsed.error.message}`, res.status);
  return parsed.data;
}

function request<T>(url: string, schema: Schema<T>): Request<T> {
  return { url, peek: () => undefined, load: (signal) => load(url, schema, signal) };
}

/** `{ [key]: T[] }` with each item checked. */
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

const casesAnswer = listOf('cases', caseSchema);
const alertsAnswer = listOf('alerts', alertSchema);
const stationsAnswer = listOf('stations', stationSchema);

export const leadersApi = {
  /** Cases of a commune or province, newest first. */
  cases: (place: string, limit: number) => request<{ cases: Case[] }>(urlOf('/api/cases', { place, limit: String(limit) }), casesAnswer),
  /** The latest alerts; open and acknowledged ones are picked out on the client (the API filters one status at a time). */
  alerts: (limit: number) => request<{ alerts: Alert[] }>(urlOf('/api/alerts', { limit: String(limit) }), alertsAnswer),
  stations: () => request<{ stations: Station[] }>('/api/stations', stationsAnswer),
  scorecards: (q: { period?: string | undefined; place?: string | undefined }) => request<ScorecardsResponse>(urlOf('/api/scorecards', q), scorecardsResponseSchema),
};
