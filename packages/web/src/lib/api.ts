import {
  placeFeatureCollectionSchema,
  placeFeatureSchema,
  placeMapFeatureSchema,
  type PlaceFeature,
  type PlaceFeatureCollection,
  type PlaceMapCollection,
  analyticsApi,
  catalogueApi,
  observationsApi,
  placesApi,
} from '@watchfloor/core';
import { cached } from './client';

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
    /** The error's `details` as the server sent them (e.g. the problems of a refused board). */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What the client needs of a zod schema. */
export interface Schema<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

/** One request: its URL (the cache key) and how to load it. */
export interface Request<T> {
  url: string;
  peek(): T | undefined;
  load(signal?: AbortSignal): Promise<T>;
}

function errorOf(body: unknown, status: number, url: string): ApiError {
  const e = typeof body === 'object' && body !== null ? (body as { error?: unknown; message?: unknown; details?: unknown }) : {};
  return new ApiError(
    typeof e.error === 'string' ? e.error : status >= 500 ? 'internal_error' : 'not_found',
    typeof e.message === 'string' ? e.message : `HTTP ${status} for ${url}`,
    status,
    e.details,
  );
}

/** Methods that change state: a session signed in by cookie sends its CSRF token with them. */
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const CSRF_HEADER = 'x-csrf-token';
let csrfToken: string | null = null;
let onSessionEnded: (() => void) | null = null;

/**
 * The signed-in session's CSRF token (null: nobody is signed in), sent as
 * `x-csrf-token` on every POST, PUT, PATCH and DELETE; and what to do when
 * the server says the session has ended. Set by lib/session.ts only.
 */
export function setSessionCredentials(token: string | null, ended: (() => void) | null = onSessionEnded): void {
  csrfToken = token;
  onSessionEnded = ended;
}

/**
 * One request, its answer checked against `schema`: a network failure is
 * `network`, a server error keeps its code, message and details, an answer
 * of another shape is `bad_response`. A string body is sent as JSON.
 */
export async function send<T>(url: string, schema: Schema<T>, init: RequestInit = {}): Promise<T> {
  let res: Response;
  const json = typeof init.body === 'string';
  const changes = STATE_CHANGING.has((init.method ?? 'GET').toUpperCase());
  const headers: Record<string, string> = { accept: 'application/json', ...(json ? { 'content-type': 'application/json' } : {}) };
  if (changes && csrfToken !== null) headers[CSRF_HEADER] = csrfToken;
  try {
    res = await fetch(url, { ...init, headers });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new ApiError('network', err instanceof Error ? err.message : String(err), 0);
  }
  const body: unknown = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const error = errorOf(body, res.status, url);
    if (error.code === 'invalid_session') onSessionEnded?.();
    throw error;
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError('bad_response', `${url}: ${parsed.error.message}`, res.status);
  return parsed.data;
}

/** Why `c` is not a list of positions (2 or 3 numbers each), or null. */
function ringProblem(c: unknown): string | null {
  if (!Array.isArray(c)) return 'expected a list of positions';
  for (const p of c) {
    if (!Array.isArray(p) || p.length < 2 || p.length > 3) return 'expected a position of 2 or 3 numbers';
    for (const n of p) if (typeof n !== 'number') return 'expected a number';
  }
  return null;
}

function polygonProblem(c: unknown): string | null {
  if (!Array.isArray(c)) return 'expected a list of rings';
  for (const ring of c) {
    const problem = ringProblem(ring);
    if (problem) return problem;
  }
  return null;
}

const collectionEnvelopeSchema = placeFeatureCollectionSchema.pick({ type: true, bbox: true, missing: true });

/** A collection of boundaries whose units carry properties P (all of a unit's, or the map's shape's code alone). */
type Collection<P> = Omit<PlaceFeatureCollection, 'features'> & { features: { type: 'Feature'; geometry: PlaceFeature['geometry']; properties: P }[] };

/** Checks a collection of boundaries: zod for its envelope and each unit's properties, a plain loop over the coordinates. */
function collectionCheck<P>(propertiesSchema: { safeParse(input: unknown): { success: true; data: P } | { success: false; error: { message: string } } }): Schema<Collection<P>> {
  return {
    safeParse(input) {
      const fail = (message: string) => ({ success: false as const, error: { message } });
      const envelope = collectionEnvelopeSchema.safeParse(input);
      if (!envelope.success) return fail(envelope.error.message);
      const list: unknown = (input as Record<string, unknown>).features;
      if (!Array.isArray(list)) return fail('features: expected an array');
      const features: Collection<P>['features'] = [];
      for (const [i, raw] of list.entries()) {
        const f = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : null;
        if (!f || f.type !== 'Feature') return fail(`features[${i}]: expected a Feature`);
        const properties = propertiesSchema.safeParse(f.properties);
        if (!properties.success) return fail(`features[${i}].properties: ${properties.error.message}`);
        const g = typeof f.geometry === 'object' && f.geometry !== null ? (f.geometry as Record<string, unknown>) : null;
        let problem: string | null;
        if (g?.type === 'Polygon') problem = polygonProblem(g.coordinates);
        else if (g?.type === 'MultiPolygon') problem = Array.isArray(g.coordinates) ? (g.coordinates.map(polygonProblem).find((p) => p !== null) ?? null) : 'expected a list of polygons';
        else problem = 'expected a Polygon or MultiPolygon';
        if (problem) return fail(`features[${i}].geometry: ${problem}`);
        features.push({ type: 'Feature', geometry: g as unknown as PlaceFeature['geometry'], properties: properties.data });
      }
      return { success: true, data: { ...envelope.data, features } };
    },
  };
}

/**
 * Core's placeFeatureCollectionSchema checked at the cost of a loop: zod
 * for the collection's fields and each unit's properties, a plain loop over
 * the coordinates (the answer of a national map holds tens of thousands of
 * positions, each an array zod would check and copy on the main thread
 * before the map may start). Refuses what the schema refuses (a geometry
 * other than a Polygon or MultiPolygon, a position not of 2 or 3 numbers);
 * the geometry is kept as sent.
 */
export const placeFeatureCollectionCheck: Schema<PlaceFeatureCollection> = collectionCheck(placeFeatureSchema.shape.properties);

/** Core's placeMapCollectionSchema (the map's shape, `properties=map`: each unit only its code) checked the same way. */
export const placeMapCollectionCheck: Schema<PlaceMapCollection> = collectionCheck(placeMapFeatureSchema.shape.properties);

const endpoints = {
  place: cached(placesApi.detail),
  lineage: cached(placesApi.lineage),
  // The boundaries are checked by a loop rather than zod (see placeFeatureCollectionCheck): the answer is the shape the check gives.
  childrenGeometry: cached(placesApi.childrenGeometry, { check: placeFeatureCollectionCheck }),
  childrenMapGeometry: cached(placesApi.childrenGeometry, { check: placeMapCollectionCheck }),
  overview: cached(analyticsApi.overview),
  series: cached(analyticsApi.series),
  breakdown: cached(analyticsApi.breakdown),
  indicator: cached(catalogueApi.detail),
  history: cached(observationsApi.history),
};

export const api = {
  place: (code: string, at?: string) => endpoints.place.request({ params: { code }, query: { at } }),
  lineage: (code: string, at?: string) => endpoints.lineage.request({ params: { code }, query: { at } }),
  childrenGeometry: (code: string, at?: string, tolerance?: number) =>
    endpoints.childrenGeometry.request({ params: { code }, query: { at, tolerance: tolerance === undefined ? undefined : String(tolerance) } }) as Request<PlaceFeatureCollection>,
  /** The same boundaries in the map's shape (`properties=map`): each unit only its code, for maps of thousands of units. */
  childrenMapGeometry: (code: string, at?: string, tolerance?: number) =>
    endpoints.childrenMapGeometry.request({ params: { code }, query: { at, tolerance: tolerance === undefined ? undefined : String(tolerance), properties: 'map' } }) as Request<PlaceMapCollection>,
  overview: (q: { place: string; period?: string | undefined; at?: string | undefined }) => endpoints.overview.request({ query: q }),
  series: (code: string, q: { place: string; from: string; to: string; at?: string | undefined }) => endpoints.series.request({ params: { code }, query: q }),
  breakdown: (code: string, q: { place: string; period?: string | undefined; at?: string | undefined; by?: 'place' | 'organisation' }) =>
    endpoints.breakdown.request({ params: { code }, query: q }),
  indicator: (code: string) => endpoints.indicator.request({ params: { code } }),
  history: (q: { indicator: string; place: string; period: string }) => endpoints.history.request({ query: q }),
};

/** Forgets the kept figures (overview, series, breakdowns, revisions) after a live event says they changed. */
export function invalidateFigures(): void {
  for (const e of [endpoints.overview, endpoints.series, endpoints.breakdown, endpoints.history]) e.clear();
}

/** Forgets every kept answer: after signing in or out, what may be seen has changed. */
export function clearAnswers(): void {
  for (const e of Object.values(endpoints)) e.clear();
}

/** Any thrown value as an ApiError, for the error panel. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError('unexpected', err instanceof Error ? err.message : String(err), 0);
}
