import { describe, expect, it } from 'vitest';
import { decimalsFor, mapPlaceCollection, MAX_SIMPLIFY_TOLERANCE, placeMapCollectionSchema, simplifyPlaceCollection, toleranceLevel } from './level-of-detail';
import type { PlaceFeatureCollection } from './places';

/** A wiggly square of 1° with `n` positions a side, and a tiny triangle that Douglas–Peucker would reduce below a ring. */
function collection(n: number): PlaceFeatureCollection {
  const side = (t: number) => 0.001 * Math.sin(t * 40);
  const ring: number[][] = [];
  for (let i = 0; i < n; i++) ring.push([105 + i / n, 10 + side(i / n)]);
  for (let i = 0; i < n; i++) ring.push([106 + side(i / n), 10 + i / n]);
  for (let i = 0; i < n; i++) ring.push([106 - i / n, 11 + side(i / n)]);
  for (let i = 0; i < n; i++) ring.push([105 + side(i / n), 11 - i / n]);
  ring.push(ring[0]!);
  const props = (code: string) => ({ code, name: code, nameEn: null, level: 'commune' as const, parentCode: '86', validFrom: null, validTo: null, areaKm2: 1 });
  return {
    type: 'FeatureCollection',
    bbox: [105, 9.999, 106.001, 11.001],
    features: [
      { type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: props('00001') },
      { type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [[[[107, 10], [107.00001, 10], [107.00001, 10.00001], [107, 10]]]] }, properties: props('00002') },
    ],
    missing: ['00003'],
  };
}

describe('level of detail of a boundary collection', () => {
  it('keeps every feature, ring and property, fewer vertices, rings of at least 4 positions, coordinates rounded', () => {
    const input = collection(100);
    const copy = structuredClone(input);
    const out = simplifyPlaceCollection(input, 0.01);
    expect(input).toEqual(copy);
    expect(out.features.map((f) => f.properties)).toEqual(input.features.map((f) => f.properties));
    expect(out.bbox).toEqual(input.bbox);
    expect(out.missing).toEqual(['00003']);
    const square = out.features[0]!.geometry;
    expect(square.type).toBe('Polygon');
    const ring = square.type === 'Polygon' ? square.coordinates[0]! : [];
    expect(ring.length).toBeLessThan(20);
    expect(ring.length).toBeGreaterThanOrEqual(5);
    expect(ring.at(-1)).toEqual(ring[0]);
    expect(ring.flat().every((x) => Number(x.toFixed(3)) === x)).toBe(true);
    // The tiny triangle is kept as a ring, unrounded rather than collapsed.
    const tiny = out.features[1]!.geometry;
    expect(tiny.type === 'MultiPolygon' ? tiny.coordinates[0]![0]!.length : 0).toBeGreaterThanOrEqual(4);
    expect(() => simplifyPlaceCollection(input, 0)).toThrow(/tolerance/);
  });

  it('chooses about one pixel, a power of two never coarser than the pixel, within the bounds', () => {
    expect(toleranceLevel(15.69, 547)).toBe(2 ** -6);
    expect(toleranceLevel(1.2, 547)).toBe(2 ** -9);
    expect(toleranceLevel(360, 100)).toBeLessThanOrEqual(MAX_SIMPLIFY_TOLERANCE);
    expect(toleranceLevel(0.001, 2000)).toBeNull();
    expect(toleranceLevel(0, 500)).toBeNull();
    expect(decimalsFor(2 ** -6)).toBe(3);
    expect(decimalsFor(2 ** -9)).toBe(4);
  });
});

describe("the map's shape of a boundary collection", () => {
  it('keeps features, geometries, bbox and missing, each unit only its code; pure; valid by its schema', () => {
    const input = collection(10);
    const copy = structuredClone(input);
    const out = mapPlaceCollection(input);
    expect(input).toEqual(copy);
    expect(out.features.map((f) => f.properties)).toEqual([{ code: '00001' }, { code: '00002' }]);
    expect(out.features.map((f) => f.geometry)).toEqual(input.features.map((f) => f.geometry));
    expect(out.bbox).toEqual(input.bbox);
    expect(out.missing).toEqual(['00003']);
    expect(placeMapCollectionSchema.parse(out)).toEqual(out);
    const { bbox: _, ...empty } = { ...input, features: [] };
    expect(mapPlaceCollection(empty)).toEqual({ type: 'FeatureCollection', features: [], missing: ['00003'] });
    // The full shape is not the map's (extra properties are stripped, so check the stricter way round: the map's lacks name).
    expect(placeMapCollectionSchema.safeParse({ ...out, features: [{ ...out.features[0], properties: {} }] }).success).toBe(false);
  });
});
