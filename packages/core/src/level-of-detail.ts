import simplify from '@turf/simplify';
import type { Position } from 'geojson';
import { z } from 'zod';
import type { Area } from './geo';
import { areaGeometrySchema, placeFeatureCollectionSchema, type PlaceFeature, type PlaceFeatureCollection } from './places';

/**
 * Level of detail for boundary maps: at the national zoom a commune is a few
 * pixels wide, so its surveyed boundary (hundreds of vertices) is mostly
 * waste. The children-geometry answer can be simplified to a tolerance of
 * about one screen pixel, in degrees, as map servers do.
 */

/** The coarsest tolerance the API accepts, in degrees (about 5 km): beyond it shapes stop being recognisable. */
export const MAX_SIMPLIFY_TOLERANCE = 0.05;
/** The finest level a client asks for, in degrees (about 1 m, the shipped boundaries' own precision): finer is the stored shape. */
export const MIN_SIMPLIFY_TOLERANCE = 2 ** -17;

/**
 * The tolerance level for a map fitting `extentDeg` degrees of longitude into
 * `widthPx` pixels: about one pixel, rounded DOWN to a power of two (never
 * coarser than a pixel; few levels, so answers cache), within the accepted
 * bounds; null when a pixel is finer than the stored shapes.
 */
export function toleranceLevel(extentDeg: number, widthPx: number): number | null {
  if (!(extentDeg > 0) || !(widthPx > 0)) return null;
  const level = 2 ** Math.floor(Math.log2(extentDeg / widthPx));
  if (level < MIN_SIMPLIFY_TOLERANCE) return null;
  return Math.min(level, 2 ** Math.floor(Math.log2(MAX_SIMPLIFY_TOLERANCE)));
}

/** Decimals that keep a tenth of the tolerance: finer digits mean nothing once the shape is off by the tolerance. */
export function decimalsFor(tolerance: number): number {
  return Math.max(0, Math.min(7, Math.ceil(-Math.log10(tolerance)) + 1));
}

function roundRing(ring: Position[], factor: number): Position[] {
  const out: Position[] = [];
  for (const p of ring) {
    const q = [Math.round(p[0]! * factor) / factor, Math.round(p[1]! * factor) / factor];
    const last = out.at(-1);
    if (last && last[0] === q[0] && last[1] === q[1]) continue;
    out.push(q);
  }
  return out;
}

/** A ring rounded, repeated positions merged; the unrounded ring when rounding would leave fewer than 4 positions (no ring is dropped). */
function roundedRing(ring: Position[], factor: number): Position[] {
  const r = roundRing(ring, factor);
  return r.length >= 4 ? r : ring;
}

function simplifyArea(area: Area, tolerance: number, factor: number): Area {
  // Turf's Douglas–Peucker keeps every ring valid (it lowers the tolerance of a ring until at least 4 positions remain).
  const simple = simplify(area, { tolerance, highQuality: false, mutate: false });
  return simple.type === 'Polygon'
    ? { type: 'Polygon', coordinates: simple.coordinates.map((r) => roundedRing(r, factor)) }
    : { type: 'MultiPolygon', coordinates: simple.coordinates.map((poly) => poly.map((r) => roundedRing(r, factor))) };
}

/**
 * The collection with each boundary simplified to `tolerance` degrees
 * (Douglas–Peucker, the same @turf/simplify the CAP polygons use) and its
 * coordinates rounded to what that tolerance leaves meaningful. Every
 * feature, ring, property, `bbox` and `missing` is kept; each ring keeps at
 * least 4 positions. Pure: the input is not changed.
 */
export function simplifyPlaceCollection(collection: PlaceFeatureCollection, tolerance: number): PlaceFeatureCollection {
  if (!(tolerance > 0)) throw new Error(`tolerance must be a positive number of degrees, not ${tolerance}`);
  const factor = 10 ** decimalsFor(tolerance);
  const features: PlaceFeature[] = collection.features.map((f) => ({ ...f, geometry: simplifyArea(f.geometry, tolerance, factor) }));
  return { ...collection, features };
}

/**
 * The map's shape of a children-geometry answer (`properties=map`): each
 * feature carries only what the choropleth reads, its unit's `code` (the
 * feature id its colours, hover, selection and click use; the tooltip's
 * name and value come with the figures). For large maps, where the other
 * properties were most of the answer: fewer bytes to send, check and copy
 * to the map's worker. `bbox` and `missing` are kept.
 */
export const placeMapFeatureSchema = z.object({
  type: z.literal('Feature'),
  geometry: areaGeometrySchema,
  properties: z.object({ code: z.string() }),
});
export type PlaceMapFeature = z.infer<typeof placeMapFeatureSchema>;

export const placeMapCollectionSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    bbox: placeFeatureCollectionSchema.shape.bbox,
    features: z.array(placeMapFeatureSchema),
    missing: placeFeatureCollectionSchema.shape.missing,
  })
  .describe("A GeoJSON FeatureCollection (RFC 7946) for a map: each feature's properties only its unit's code");
export type PlaceMapCollection = z.infer<typeof placeMapCollectionSchema>;

/** What a map draws: the full collection or its map shape (both give each feature its unit's code). */
export type MapCollection = PlaceFeatureCollection | PlaceMapCollection;

/** The map's shape of a collection: the same features, geometries (shared, not copied), `bbox` and `missing`, each feature's properties only its code. Pure. */
export function mapPlaceCollection(collection: PlaceFeatureCollection): PlaceMapCollection {
  const features = collection.features.map((f): PlaceMapFeature => ({ type: 'Feature', geometry: f.geometry, properties: { code: f.properties.code } }));
  return { type: 'FeatureCollection', ...(collection.bbox ? { bbox: collection.bbox } : {}), features, missing: collection.missing };
}
