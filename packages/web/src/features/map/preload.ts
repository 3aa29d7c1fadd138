import { bboxOf, toleranceLevel, type MapCollection, type PlaceDetail, type PlaceFeatureCollection, type PlaceMapCollection } from '@watchfloor/core';
// Only the URL of the map's worker (a file of the build), not the library.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { api, type Request } from '../../lib/api';
import { preloadMap } from './lazy-map';

/** Boundary requests under way, by URL: a screen asking for one while it loads shares the load rather than starting another. */
const inFlight = new Map<string, Promise<MapCollection>>();

function shared<T extends MapCollection>(req: Request<T>): Promise<T> {
  let pending = inFlight.get(req.url) as Promise<T> | undefined;
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
export function childrenGeometryRequest(code: string, at?: string, tolerance?: number): Request<PlaceFeatureCollection> {
  const req = api.childrenGeometry(code, at, tolerance);
  return { url: req.url, peek: () => req.peek(), load: () => shared(req) };
}

/**
 * The boundaries of the units under a place in the map's shape (each unit
 * only its code, `properties=map`), simplified to `tolerance`, sharing a
 * load already started, as childrenGeometryRequest.
 */
export function childrenMapGeometryRequest(code: string, at: string | undefined, tolerance: number): Request<PlaceMapCollection> {
  const req = api.childrenMapGeometry(code, at, tolerance);
  return { url: req.url, peek: () => req.peek(), load: () => shared(req) };
}

/**
 * Above this many units a map's boundaries are asked for simplified to its pixel (level of detail) and in the map's shape (each unit
 * only its code); 34 provinces or 124 wards are asked for as stored, with every property.
 */
export const LEVEL_OF_DETAIL_UNITS = 300;
/** The country's extent in longitude (its provinces' box, islands included), for the country's map when no box is known before its boundaries. */
export const NATIONAL_EXTENT_DEG = 117.83 - 102.14;
/** The country's box [west, south, east, north] (its provinces' boxes together, islands included). */
export const NATIONAL_BOX: Box = [102.14, 7.18, 117.83, 23.4];
/** The height of a place screen's map in CSS pixels (styles.css, `.map`). */
export const MAP_HEIGHT_PX = 420;
/** The padding the map is fitted to its box with (choropleth-map.tsx, fitBoundsOptions). */
export const MAP_PADDING_PX = 16;

type Box = [west: number, south: number, east: number, north: number];

/**
 * The width the map of a place screen will have, in CSS pixels, before it is
 * drawn: the side column (38 % of the layout, at least 340 px) on wide
 * screens, the whole width on narrow ones (styles.css, .place-layout).
 * Over-estimating only makes the shapes finer than a pixel.
 */
export function mapWidthPx(viewportWidth: number): number {
  return viewportWidth > 1000 ? Math.max(340, viewportWidth * 0.38) : viewportWidth;
}

const mercatorY = (lat: number) => (Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) * 180) / Math.PI;

/**
 * Degrees of one screen pixel of a map of `widthPx` × `heightPx` fitted to
 * `box` (Web Mercator, as maplibre fits it, inside its padding): the fit is
 * limited by the width or by the height, whichever is tighter; a degree of
 * latitude is longer on screen away from the equator, so the pixel is taken
 * at the box's latitude farthest from it (the finest), never coarser than
 * one pixel anywhere on the map.
 */
export function degreesPerPixel(box: Box, widthPx: number, heightPx: number): number | null {
  const [west, south, east, north] = box;
  const width = widthPx - 2 * MAP_PADDING_PX;
  const height = heightPx - 2 * MAP_PADDING_PX;
  const lonExtent = east - west;
  const yExtent = mercatorY(north) - mercatorY(south);
  if (!(width > 0) || !(height > 0) || !(lonExtent > 0)) return null;
  // Pixels per degree of longitude (a unit of Mercator y is as long as a degree of longitude).
  const scale = Math.min(width / lonExtent, yExtent > 0 ? height / yExtent : Infinity);
  const farthest = Math.max(Math.abs(north), Math.abs(south));
  return Math.cos((farthest * Math.PI) / 180) / scale;
}

/** The box of a place before its children's boundaries arrive: its own shape in its parent's map, if loaded; the country's; else unknown. */
function boxOf(place: PlaceDetail, at: string | undefined): Box | null {
  if (place.level === 'country') return NATIONAL_BOX;
  const parent = place.ancestors.at(-1);
  const feature = parent ? api.childrenGeometry(parent.code, at).peek()?.features.find((f) => f.properties.code === place.code) : undefined;
  if (!feature) return null;
  const box = bboxOf(feature.geometry);
  return [box.minLon, box.minLat, box.maxLon, box.maxLat];
}

/** The tolerance chosen per place and date: the first choice holds, so the preload and the panel ask for the same URL. */
const chosen = new Map<string, number | undefined>();

/**
 * The tolerance (degrees) to ask a place's children's boundaries at: about
 * one screen pixel of the map fitted to the place's box (degreesPerPixel) (core toleranceLevel: a
 * power of two, so answers cache), only when the place has many units;
 * undefined (the stored shapes, today's request) otherwise.
 */
export function childrenMapTolerance(place: PlaceDetail, at: string | undefined, viewportWidth = globalThis.innerWidth ?? 0): number | undefined {
  if (place.children.length <= LEVEL_OF_DETAIL_UNITS) return undefined;
  const key = `${place.code}@${at ?? ''}`;
  if (chosen.has(key)) return chosen.get(key);
  const box = boxOf(place, at);
  const pixel = box === null || viewportWidth <= 0 ? null : degreesPerPixel(box, mapWidthPx(viewportWidth), MAP_HEIGHT_PX);
  const tolerance = pixel === null ? undefined : (toleranceLevel(pixel, 1) ?? undefined);
  chosen.set(key, tolerance);
  return tolerance;
}

/**
 * The boundaries of the units under a place for its map, at the level of
 * detail its map needs (the request the place screen preloads and the panel
 * draws): with a tolerance, in the map's shape (each unit only its code).
 */
export function childrenMapRequest(place: PlaceDetail, at?: string): Request<MapCollection> {
  const tolerance = childrenMapTolerance(place, at);
  return tolerance === undefined ? childrenGeometryRequest(place.code, at) : childrenMapGeometryRequest(place.code, at, tolerance);
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
export function preloadChildrenMap(place: PlaceDetail, at?: string): void {
  const req = childrenMapRequest(place, at);
  if (req.peek() === undefined) shared(req).catch(() => undefined);
  preloadMap().catch(() => undefined);
  prefetchWorker();
}
