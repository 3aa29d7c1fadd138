import { describe, expect, it } from 'vitest';
import type { Case, Station } from '@watchfloor/core';
import { buildPointCollection, mapPointRequests } from './points';

const kase = (id: string, lon: number, lat: number) => ({ id, title: `Case ${id}`, status: 'new', lon, lat }) as Case;
const station = (code: string, placeCode: string | null, provinceCode: string | null) =>
  ({ code, name: `Trạm ${code}`, lat: 9.93, lon: 106.34, place: placeCode ? { code: placeCode, name: placeCode, level: 'commune' } : null, provinceCode }) as Station;

const PROVINCE = { code: '86', children: ['29242'] };

describe('map points', () => {
  it('makes one GeoJSON point per case and per station of the place, lon before lat, each with its link', () => {
    const fc = buildPointCollection([kase('PA000001', 106.3419, 9.9063)], [station('HT-01', '29242', '86')], PROVINCE);
    expect(fc.features).toEqual([
      { type: 'Feature', geometry: { type: 'Point', coordinates: [106.3419, 9.9063] }, properties: { kind: 'case', id: 'PA000001', title: 'Case PA000001', detail: 'new', href: '/cases/PA000001' } },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [106.34, 9.93] }, properties: { kind: 'station', id: 'HT-01', title: 'Trạm HT-01', detail: 'HT-01', href: null } },
    ]);
  });

  it('keeps the stations of the place viewed and its units only, and drops points without usable coordinates', () => {
    const fc = buildPointCollection(
      [kase('PA000001', Number.NaN, 9.9), kase('PA000002', 200, 9.9)],
      [station('A', '29242', '86'), station('B', '26734', '80'), station('C', null, null)],
      { code: '29242', children: [] },
    );
    expect(fc.features.map((f) => f.properties.id)).toEqual(['A']);
    expect(buildPointCollection([], [station('C', null, '86')], PROVINCE).features.map((f) => f.properties.id)).toEqual(['C']);
  });

  it('asks for cases and stations only when someone is signed in: the anonymous would get a 401', () => {
    expect(mapPointRequests('signIn', '86')).toEqual({ cases: null, stations: null });
    expect(mapPointRequests('wait', '86')).toEqual({ cases: null, stations: null });
    const reads = mapPointRequests('read', '29242');
    expect(reads.cases?.url).toBe('/api/cases?place=29242&limit=500');
    expect(reads.stations?.url).toBe('/api/stations');
  });
});
