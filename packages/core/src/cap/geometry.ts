import booleanIntersects from '@turf/boolean-intersects';
import circle from '@turf/circle';
import simplify from '@turf/simplify';
import type { Point, Polygon, Position } from 'geojson';
import type { Area, BBox } from '../geo';

/**
 * CAP geometry is text: a polygon is a closed ring of "lat,lon" pairs
 * separated by spaces (at least four, first = last), a circle is
 * "lat,lon radius" with the radius in kilometres (WGS 84). GeoJSON, like
 * our stored boundaries, writes lon before lat.
 */

/** A result or the reason the text is not a CAP shape. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function parsePoint(pair: string): Position | null {
  const m = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(pair);
  if (!m) return null;
  const lat = Number(m[1]);
  const lon = Number(m[2]);
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return null;
  return [lon, lat];
}

export function parseCapPolygon(text: string): Parsed<Polygon> {
  const pairs = text.trim().split(/\s+/);
  const ring: Position[] = [];
  for (const pair of pairs) {
    const p = parsePoint(pair);
    if (!p) return { ok: false, reason: `"${pair.slice(0, 40)}" is not a "lat,lon" pair in degrees` };
    ring.push(p);
  }
  if (ring.length < 4) return { ok: false, reason: `a polygon needs at least 4 points (first = last), it has ${ring.length}` };
  const first = ring[0]!;
  const last = ring.at(-1)!;
  if (first[0] !== last[0] || first[1] !== last[1]) return { ok: false, reason: 'a polygon must end at its first point' };
  return { ok: true, value: { type: 'Polygon', coordinates: [ring] } };
}

/** Vertices of the polygon that stands for a circle when testing intersections (under 0.5 % of the radius off). */
const CIRCLE_STEPS = 64;

export function parseCapCircle(text: string): Parsed<{ lat: number; lon: number; radiusKm: number; area: Polygon | null }> {
  const m = /^(\S+)\s+(\d+(?:\.\d+)?)$/.exec(text.trim());
  const centre = m ? parsePoint(m[1]!) : null;
  if (!m || !centre) return { ok: false, reason: `"${text.trim().slice(0, 60)}" is not "lat,lon radius" (radius in km)` };
  const radiusKm = Number(m[2]);
  const [lon, lat] = centre as [number, number];
  // A zero radius is a point: it has no area, so it is tested as a point.
  const area = radiusKm > 0 ? circle([lon, lat], radiusKm, { steps: CIRCLE_STEPS, units: 'kilometers' }).geometry : null;
  return { ok: true, value: { lat, lon, radiusKm, area } };
}

/** A GeoJSON ring (lon, lat) as a CAP polygon (lat,lon), 5 decimals (about a metre). */
export function toCapPolygon(ring: readonly Position[]): string {
  return ring.map((p) => `${round5(p[1]!)},${round5(p[0]!)}`).join(' ');
}

function round5(x: number): string {
  return String(Math.round(x * 1e5) / 1e5);
}

/** Whether an alert's shape (an area, or the point of a circle of radius 0) shares any point with a boundary (touching counts). */
export function areasIntersect(a: Area | Point, b: Area): boolean {
  return booleanIntersects(a, b);
}

export function boxesOverlap(a: BBox, b: BBox): boolean {
  return a.minLon <= b.maxLon && b.minLon <= a.maxLon && a.minLat <= b.maxLat && b.minLat <= a.maxLat;
}

/**
 * The outer rings of a boundary as CAP polygons, simplified until the
 * total is at most `maxPoints` vertices: receivers such as sirens and
 * phones choke on the thousands of points of a surveyed boundary. Holes
 * are left out (CAP polygons have none), so the area is slightly over-covered,
 * which is the safe side for a warning.
 */
export function capPolygonsOf(area: Area, maxPoints = 200): string[] {
  const outer = (a: Area): Position[][] => (a.type === 'Polygon' ? [a.coordinates[0]!] : a.coordinates.map((p) => p[0]!));
  const count = (a: Area) => outer(a).reduce((n, r) => n + r.length, 0);
  let shape: Area = area;
  let tolerance = 0.0005;
  while (count(shape) > maxPoints && tolerance < 1) {
    shape = simplify(area, { tolerance, highQuality: false, mutate: false });
    tolerance *= 2;
  }
  return outer(shape)
    .filter((ring) => ring.length >= 4)
    .map((ring) => toCapPolygon(ring));
}
