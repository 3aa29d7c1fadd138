import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { voronoi } from '@turf/voronoi';
import { placeFeatureCollectionSchema, REFORM_2025_DATE, type PlaceFeature, type PlaceFeatureCollection } from '@watchfloor/core';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';

/**
 * A SYNTHETIC stand-in for the national map of communes, for the benchmark
 * only: the real boundaries of the 3,321 communes of 1 July 2025 are not
 * openly licensed outside Vĩnh Long, so none of these cells is a real unit.
 *
 * Built deterministically from the shipped data, no network: as many seeded
 * random points inside each of the 34 provinces as the province has communes
 * (data/admin/vn_admin_units_2025_34prov.csv), their Voronoi cells clipped to
 * the country's box (so coastal cells reach over the sea and the borders:
 * more area to fill than the land), each edge densified with a deterministic
 * wiggle (the same points for both cells that share it, so the partition has
 * no gaps and simplification keeps vertices as it does on real boundaries)
 * until a cell holds as many vertices as a simplified Vĩnh Long ward does on
 * average, coordinates rounded to 5 decimals like the shipped boundaries.
 * The answer is shaped as GET /api/places/:code/children/geometry's
 * (placeFeatureCollectionSchema), and checked against it.
 */
export interface SyntheticPartition {
  collection: PlaceFeatureCollection;
  /** Positions in all rings (closing ones included), as the target was counted. */
  vertices: number;
  /** The target: the mean positions per unit of the shipped Vĩnh Long wards. */
  targetPerUnit: number;
}

const SEED = 20250701;
const DECIMALS = 1e5;
/** Largest sideways swing of a densified edge, as a share of its length. */
const WIGGLE = 0.04;

/** mulberry32: a small seeded generator, enough for a deterministic layout. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string, to seed an edge's wiggle from the edge itself. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const round = (x: number) => Math.round(x * DECIMALS) / DECIMALS;

type Area = Polygon | MultiPolygon;

function ringsOf(g: Area): Position[][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

/** Positions in all rings of all features, closing ones included. */
export function vertexCount(features: { geometry: Area }[]): number {
  return features.reduce((n, f) => n + ringsOf(f.geometry).reduce((m, r) => m + r.length, 0), 0);
}

function boxOf(g: Area): [number, number, number, number] {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of ringsOf(g))
    for (const [x = 0, y = 0] of ring) {
      w = Math.min(w, x);
      s = Math.min(s, y);
      e = Math.max(e, x);
      n = Math.max(n, y);
    }
  return [w, s, e, n];
}

/** Planar area of a ring in km², longitudes shortened by the cosine of the latitude (good enough for a stand-in's areaKm2). */
function areaKm2(ring: Position[]): number {
  const lat = ((ring.reduce((s, p) => s + (p[1] ?? 0), 0) / ring.length) * Math.PI) / 180;
  let twice = 0;
  for (let i = 1; i < ring.length; i++) {
    const [x0 = 0, y0 = 0] = ring[i - 1]!;
    const [x1 = 0, y1 = 0] = ring[i]!;
    twice += x0 * y1 - x1 * y0;
  }
  return Math.round(((Math.abs(twice) / 2) * 111.32 * 111.32 * Math.cos(lat)) * 100) / 100;
}

/**
 * The interior points of an edge, from `a` to `b` when a ≤ b (the canonical
 * way), seeded by the edge: both cells that share it get the same points.
 */
function densify(a: Position, b: Position, inner: number, key: string): Position[] {
  if (inner <= 0) return [];
  const next = rng(hash(key));
  const [ax = 0, ay = 0] = a;
  const [bx = 0, by = 0] = b;
  const dx = bx - ax;
  const dy = by - ay;
  // Three octaves of swing, each half the last, with the edge's own phases: a boundary rough at several scales.
  const octaves = [1, 2, 4].map((f) => ({ f: f * (1 + next()), phase: next() * 2 * Math.PI, amp: (WIGGLE * (0.5 + next())) / f }));
  const out: Position[] = [];
  for (let j = 1; j <= inner; j++) {
    const t = j / (inner + 1);
    const swing = Math.sin(Math.PI * t) * octaves.reduce((s, o) => s + o.amp * Math.sin(2 * Math.PI * o.f * t + o.phase), 0);
    // Perpendicular to the edge, scaled by its length (dx, dy already are).
    out.push([round(ax + dx * t - dy * swing), round(ay + dy * t + dx * swing)]);
  }
  return out;
}

const before = (a: Position, b: Position) => (a[0]! !== b[0]! ? a[0]! < b[0]! : a[1]! < b[1]!);
const keyOf = (a: Position, b: Position) => (before(a, b) ? `${a[0]},${a[1]};${b[0]},${b[1]}` : `${b[0]},${b[1]};${a[0]},${a[1]}`);
const lengthOf = (a: Position, b: Position) => Math.hypot(b[0]! - a[0]!, b[1]! - a[1]!);

/** Interior points per edge so that a cell averages `perUnit` positions: each edge spaced by the mean of its cells' wanted spacings. */
function innerCounts(cells: Position[][], perUnit: number): Map<string, number> {
  const spacings = new Map<string, number[]>();
  const lengths = new Map<string, number>();
  for (const ring of cells) {
    let perimeter = 0;
    for (let i = 1; i < ring.length; i++) perimeter += lengthOf(ring[i - 1]!, ring[i]!);
    const edges = ring.length - 1;
    // A cell's positions: its corners, the interior points of its edges, the closing one.
    const spacing = perimeter / Math.max(edges, perUnit - 1);
    for (let i = 1; i < ring.length; i++) {
      const key = keyOf(ring[i - 1]!, ring[i]!);
      lengths.set(key, lengthOf(ring[i - 1]!, ring[i]!));
      (spacings.get(key) ?? spacings.set(key, []).get(key)!).push(spacing);
    }
  }
  const counts = new Map<string, number>();
  for (const [key, ss] of spacings) {
    const spacing = ss.reduce((s, x) => s + x, 0) / ss.length;
    counts.set(key, Math.max(0, Math.round(lengths.get(key)! / spacing) - 1));
  }
  return counts;
}

/** Builds the stand-in from the shipped data under `dataDir` (the repo's data/). Deterministic: the same bytes every run. */
export function syntheticNationalPartition(dataDir: string): SyntheticPartition {
  const provinces = JSON.parse(readFileSync(join(dataDir, 'admin/vn_34provinces_2025_simplified.geojson'), 'utf8')) as FeatureCollection<Area, { code: string }>;
  const wards = JSON.parse(readFileSync(join(dataDir, 'admin/vinhlong_2025_wards_simplified.geojson'), 'utf8')) as FeatureCollection<Area>;
  const targetPerUnit = vertexCount(wards.features) / wards.features.length;

  const communes = new Map<string, number>();
  for (const line of readFileSync(join(dataDir, 'admin/vn_admin_units_2025_34prov.csv'), 'utf8').split('\n').slice(1)) {
    const province = line.split(',')[0];
    if (province) communes.set(province, (communes.get(province) ?? 0) + 1);
  }

  // Seeded points inside each province, as many as its communes, in the order of the provinces file.
  const next = rng(SEED);
  const seeds: Feature<Point, { parent: string }>[] = [];
  const seen = new Set<string>();
  for (const province of provinces.features) {
    const wanted = communes.get(province.properties.code) ?? 0;
    const [w, s, e, n] = boxOf(province.geometry);
    for (let got = 0, tries = 0; got < wanted; tries++) {
      if (tries > wanted * 10_000) throw new Error(`could not place ${wanted} points in province ${province.properties.code}`);
      const at = [round(w + next() * (e - w)), round(s + next() * (n - s))];
      const key = at.join(',');
      if (seen.has(key) || !booleanPointInPolygon(at, province)) continue;
      seen.add(key);
      seeds.push({ type: 'Feature', geometry: { type: 'Point', coordinates: at }, properties: { parent: province.properties.code } });
      got++;
    }
  }

  // The country's box: the one the country's own map is fitted to (the provinces' boxes together).
  const boxes = provinces.features.map((f) => boxOf(f.geometry));
  const bbox: [number, number, number, number] = [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
  const cells = voronoi({ type: 'FeatureCollection', features: seeds }, { bbox }).features.map((cell, i) => {
    if (!cell?.geometry) throw new Error(`no Voronoi cell for point ${i}`);
    // Corners rounded first, so both cells of an edge name it alike.
    return cell.geometry.coordinates[0]!.map(([x = 0, y = 0]) => [round(x), round(y)]);
  });

  // Spacing by the wanted count, then corrected once for what rounding per edge gave.
  let counts = innerCounts(cells, targetPerUnit);
  const total = () => cells.reduce((n, ring) => n + ring.length + ring.slice(1).reduce((m, p, i) => m + counts.get(keyOf(ring[i]!, p))!, 0), 0);
  counts = innerCounts(cells, targetPerUnit * (targetPerUnit / (total() / cells.length)));

  const features: PlaceFeature[] = cells.map((ring, i) => {
    const dense: Position[] = [ring[0]!];
    for (let j = 1; j < ring.length; j++) {
      const [a, b] = [ring[j - 1]!, ring[j]!];
      const key = keyOf(a, b);
      const inner = before(a, b) ? densify(a, b, counts.get(key)!, key) : densify(b, a, counts.get(key)!, key).reverse();
      dense.push(...inner, b);
    }
    const n = i + 1;
    return {
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [dense] },
      properties: {
        code: String(n).padStart(5, '0'),
        name: `Xã Giả lập ${n}`,
        nameEn: `Synthetic commune ${n}`,
        level: 'commune',
        parentCode: seeds[i]!.properties.parent,
        validFrom: REFORM_2025_DATE,
        validTo: null,
        areaKm2: areaKm2(dense),
      },
    };
  });
  const collection = placeFeatureCollectionSchema.parse({ type: 'FeatureCollection', bbox, features, missing: [] });
  return { collection, vertices: vertexCount(collection.features), targetPerUnit };
}
