import type { PlaceFeatureCollection } from '@watchfloor/core';
// Only the URL of the map's worker (a file of the build), not the library.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { api, type Request } from '../../lib/api';
import { preloadMap } from './lazy-map';

/** Boundary requests under way, by URL: a screen asking for one while it loads shares the load rather than starting another. */
const inFlight = new Map<string, Promise<PlaceFeatureCollection>>();

function shared(req: Request<PlaceFeatureCollection>): Promise<PlaceFeatureCollection> {
  let pending = inFlight.get(req.url);
  if (!pending) {
    pending = req.load();
    inFlight.set(req.url, pending);
    const done = () => inFlight.delete(req.url);
    pending.then(done, done);
  }
  return pending;
}

/**
 * The boundaries of the units under a place (as of `at`), as the API
 * client's request, sharing a load already started by preloadChildrenMap().
 * The shared load is not aborted when one screen leaves: its answer is kept
 * by the client for the next.
 */
export function childrenGeometryRequest(code: string, at?: string): Request<PlaceFeatureCollection> {
  const req = api.childrenGeometry(code, at);
  return { url: req.url, peek: () => req.peek(), load: () => shared(req) };
}

let workerFetched = false;

/**
 * Reads the map's worker script into the browser's cache (the build's files
 * are cached for good), so the worker the map's chunk starts does not wait
 * for it after the chunk.
 */
function prefetchWorker(): void {
  if (workerFetched) return;
  workerFetched = true;
  fetch(workerUrl)
    .then((res) => res.arrayBuffer())
    .catch(() => {
      workerFetched = false;
    });
}

/**
 * Starts what the map of the units under a place needs, side by side: its
 * boundaries, the map's chunk and its worker's script. The place screen calls it as soon as it
 * knows the place has units, before the figures arrive and render, so the
 * map is not the last link of a chain (figures → boundaries → library → worker).
 */
export function preloadChildrenMap(code: string, at?: string): void {
  const req = childrenGeometryRequest(code, at);
  if (req.peek() === undefined) shared(req).catch(() => undefined);
  preloadMap().catch(() => undefined);
  prefetchWorker();
}
