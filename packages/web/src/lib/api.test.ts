import { describe, expect, it } from 'vitest';
import { mapPlaceCollection, placeFeatureCollectionSchema, placeMapCollectionSchema, type PlaceFeatureCollection } from '@watchfloor/core';
import { placeFeatureCollectionCheck, placeMapCollectionCheck } from './api';

const properties = { code: '86', name: 'Vĩnh Long', nameEn: null, level: 'province', parentCode: 'VN', validFrom: '2025-07-01', validTo: null, areaKm2: 6296.2 };
const square = [[[105, 10], [106, 10], [106, 11], [105, 10]]];
const answer = {
  type: 'FeatureCollection',
  bbox: [105, 10, 107, 11],
  features: [
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: square }, properties },
    { type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [square, [[[106, 10, 0], [107, 10, 0], [107, 11, 0], [106, 10, 0]]]] }, properties: { ...properties, code: '87' } },
  ],
  missing: ['88'],
};

describe('the check of a children-geometry answer', () => {
  it('accepts what core’s schema accepts, with the same result', () => {
    const r = placeFeatureCollectionCheck.safeParse(answer);
    expect(r.success).toBe(true);
    expect(r.success && r.data).toEqual(placeFeatureCollectionSchema.parse(answer));
    expect(placeFeatureCollectionCheck.safeParse({ type: 'FeatureCollection', features: [], missing: [] }).success).toBe(true);
  });

  it('refuses what core’s schema refuses', () => {
    const withFeature = (f: Record<string, unknown>) => ({ ...answer, features: [{ ...answer.features[0], ...f }] });
    const malformed: unknown[] = [
      null,
      [],
      { ...answer, type: 'Feature' },
      { ...answer, missing: undefined },
      { ...answer, bbox: [1, 2, 3] },
      { ...answer, features: {} },
      { ...answer, features: [null] },
      withFeature({ type: 'Polygon' }),
      withFeature({ properties: { ...properties, code: 86 } }),
      withFeature({ properties: { ...properties, level: 'planet' } }),
      withFeature({ properties: undefined }),
      withFeature({ geometry: null }),
      withFeature({ geometry: { type: 'Point', coordinates: [105, 10] } }),
      withFeature({ geometry: { type: 'Polygon', coordinates: [[[105, 10], [106]]] } }),
      withFeature({ geometry: { type: 'Polygon', coordinates: [[[105, 10], [106, 10, 0, 1]]] } }),
      withFeature({ geometry: { type: 'Polygon', coordinates: [[[105, '10']]] } }),
      withFeature({ geometry: { type: 'Polygon', coordinates: [[105, 10]] } }),
      withFeature({ geometry: { type: 'Polygon', coordinates: 'x' } }),
      withFeature({ geometry: { type: 'MultiPolygon', coordinates: square } }),
      withFeature({ geometry: { type: 'MultiPolygon', coordinates: [square, 'x'] } }),
    ];
    for (const input of malformed) {
      expect(placeFeatureCollectionSchema.safeParse(input).success, JSON.stringify(input)).toBe(false);
      expect(placeFeatureCollectionCheck.safeParse(input).success, JSON.stringify(input)).toBe(false);
    }
  });
});

describe("the check of a children-geometry answer in the map's shape (properties=map)", () => {
  const light = mapPlaceCollection(answer as PlaceFeatureCollection);

  it('accepts what core’s map schema accepts, with the same result: each unit only its code', () => {
    const r = placeMapCollectionCheck.safeParse(light);
    expect(r.success).toBe(true);
    expect(r.success && r.data).toEqual(placeMapCollectionSchema.parse(light));
    expect(r.success && r.data.features.map((f) => f.properties)).toEqual([{ code: '86' }, { code: '87' }]);
    expect(placeMapCollectionCheck.safeParse({ type: 'FeatureCollection', features: [], missing: [] }).success).toBe(true);
  });

  it('refuses what core’s map schema refuses', () => {
    const withFeature = (f: Record<string, unknown>) => ({ ...light, features: [{ ...light.features[0], ...f }] });
    const malformed: unknown[] = [
      null,
      { ...light, missing: undefined },
      { ...light, features: [null] },
      withFeature({ properties: {} }),
      withFeature({ properties: { code: 86 } }),
      withFeature({ properties: undefined }),
      withFeature({ geometry: { type: 'Point', coordinates: [105, 10] } }),
      withFeature({ geometry: { type: 'Polygon', coordinates: [[[105, 10], [106]]] } }),
    ];
    for (const input of malformed) {
      expect(placeMapCollectionSchema.safeParse(input).success, JSON.stringify(input)).toBe(false);
      expect(placeMapCollectionCheck.safeParse(input).success, JSON.stringify(input)).toBe(false);
    }
  });
});
