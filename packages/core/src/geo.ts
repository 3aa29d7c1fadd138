import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Geometry, MultiPolygon, Polygon, Position } from 'geojson';

export type Area = Polygon | MultiPolygon;

export interface BBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

export function isArea(g: Geometry | null | undefined): g is Area {
  return g?.type === 'Polygon' || g?.type === 'MultiPolygon';
}

/** The bounding box of a polygon or multipolygon. */
export function bboxOf(area: Area): BBox {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  const rings: Position[][] = area.type === 'Polygon' ? area.coordinates : area.coordinates.flat();
  for (const ring of rings) {
    for (const p of ring) {
      const lon = p[0]!;
      const lat = p[1]!;
      if (lon < minLon) minLon = lon;
      if (lon > maxLon) maxLon = lon;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
  }
  return { minLon, minLat, maxLon, maxLat };
}

/** Whether the point lies inside the area (on the edge counts as inside). */
export function containsPoint(area: Area, lon: number, lat: number): boolean {
  return booleanPointInPolygon([lon, lat], area);
}

/** Validates a coordinate pair; returns a reason, or null when valid. */
export function coordinateProblem(lat: number, lon: number): string | null {
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) return 'lat must be a number between -90 and 90';
  if (!Number.isFinite(lon) || lon < -180 || lon > 180) return 'lon must be a number between -180 and 180';
  return null;
}
