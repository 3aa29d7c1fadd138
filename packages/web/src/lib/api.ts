import {
  breakdownResponseSchema,
  figureHistoryResponseSchema,
  indicatorDefinitionSchema,
  lineageSchema,
  overviewResponseSchema,
  placeDetailSchema,
  placeFeatureCollectionSchema,
  seriesResponseSchema,
  type BreakdownResponse,
  type FigureHistoryResponse,
  type IndicatorDefinition,
  type Lineage,
  type OverviewResponse,
  type PlaceDetail,
  type PlaceFeatureCollection,
  type SeriesResponse,
} from '@watchfloor/core';

/**
 * The API client. Every answer is checked against the same zod schema the
 * server answers with (from @watchfloor/core), so the types the screens use
 * are the server's, and a mismatch is a clear error rather than a blank
 * screen. Answers are kept per URL for the session, so going back is instant.
 */

/** A failed request: the server's error code (unknown_place_code …), or `network` / `bad_response`. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What the client needs of a zod schema. */
interface Schema<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

type Params = Record<string, string | undefined>;

/** One request: its URL (the cache key) and how to load it. */
export interface Request<T> {
  url: string;
  peek(): T | undefined;
  load(signal?: AbortSignal): Promise<T>;
}

function errorEnvelope(body: unknown): { error: string; message: string } | null {
  if (typeof body !== 'object' || body === null || !('error' in body) || !('message' in body)) return null;
  const { error, message } = body;
  return typeof error === 'string' && typeof message === 'string' ? { error, message } : null;
}

export function urlOf(path: string, params: Params = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

const CACHE_SIZE = 60;

class Endpoint<T> {
  private readonly cache = new Map<string, T>();

  constructor(private readonly schema: Schema<T>) {}

  /** Forgets every kept answer: the next request reads afresh. */
  clear(): void {
    this.cache.clear();
  }

  request(path: string, params: Params = {}): Request<T> {
    const url = urlOf(path, params);
    return { url, peek: () => this.cache.get(url), load: (signal) => this.fetch(url, signal) };
  }

  private async fetch(url: string, signal?: AbortSignal): Promise<T> {
    let res: Response;
    try {
      res = await fetch(url, { signal, headers: { accept: 'application/json' } });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new ApiError('network', err instanceof Error ? err.message : String(err), 0);
    }
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const e = errorEnvelope(body);
      throw new ApiError(e?.error ?? (res.status >= 500 ? 'internal_error' : 'not_found'), e?.message ?? `HTTP ${res.status} for ${url}`, res.status);
    }
    const parsed = this.schema.safeParse(body);
    if (!parsed.success) throw new ApiError('bad_response', `${url}: ${parsed.error.message}`, res.status);
    this.cache.set(url, parsed.data);
    if (this.cache.size > CACHE_SIZE) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    return parsed.data;
  }
}

const endpoints = {
  place: new Endpoint<PlaceDetail>(placeDetailSchema),
  lineage: new Endpoint<Lineage>(lineageSchema),
  childrenGeometry: new Endpoint<PlaceFeatureCollection>(placeFeatureCollectionSchema),
  overview: new Endpoint<OverviewResponse>(overviewResponseSchema),
  series: new Endpoint<SeriesResponse>(seriesResponseSchema),
  breakdown: new Endpoint<BreakdownResponse>(breakdownResponseSchema),
  indicator: new Endpoint<IndicatorDefinition>(indicatorDefinitionSchema),
  history: new Endpoint<FigureHistoryResponse>(figureHistoryResponseSchema),
};

const seg = encodeURIComponent;

export const api = {
  place: (code: string, at?: string) => endpoints.place.request(`/api/places/${seg(code)}`, { at }),
  lineage: (code: string, at?: string) => endpoints.lineage.request(`/api/places/${seg(code)}/lineage`, { at }),
  childrenGeometry: (code: string, at?: string) => endpoints.childrenGeometry.request(`/api/places/${seg(code)}/children/geometry`, { at }),
  overview: (q: { place: string; period?: string | undefined; at?: string | undefined }) => endpoints.overview.request('/api/overview', q),
  series: (code: string, q: { place: string; from: string; to: string; at?: string | undefined }) => endpoints.series.request(`/api/indicators/${seg(code)}/series`, q),
  breakdown: (code: string, q: { place: string; period?: string | undefined; at?: string | undefined; by?: 'place' | 'organisation' }) =>
    endpoints.breakdown.request(`/api/indicators/${seg(code)}/breakdown`, q),
  indicator: (code: string) => endpoints.indicator.request(`/api/indicators/${seg(code)}`),
  history: (q: { indicator: string; place: string; period: string }) => endpoints.history.request('/api/observations/history', q),
};

/** Forgets the kept figures (overview, series, breakdowns, revisions) after a live event says they changed. */
export function invalidateFigures(): void {
  for (const e of [endpoints.overview, endpoints.series, endpoints.breakdown, endpoints.history]) e.clear();
}

/** Any thrown value as an ApiError, for the error panel. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError('unexpected', err instanceof Error ? err.message : String(err), 0);
}
