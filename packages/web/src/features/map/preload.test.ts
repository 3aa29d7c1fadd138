import { afterEach, describe, expect, it, vi } from 'vitest';
import { toleranceLevel, type PlaceDetail } from '@watchfloor/core';
import { childrenGeometryRequest, childrenMapRequest, childrenMapTolerance, degreesPerPixel, mapWidthPx, MAP_HEIGHT_PX, NATIONAL_BOX, NATIONAL_EXTENT_DEG } from './preload';

const ANSWER = { type: 'FeatureCollection', bbox: [105.6, 9.5, 106.8, 10.4], features: [], missing: [] };

function stubFetch() {
  const calls: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    calls.push(url);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return new Response(JSON.stringify(ANSWER), { status: 200, headers: { 'content-type': 'application/geo+json' } });
  });
  return calls;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the boundaries of the map, loaded once', () => {
  it('shares a load under way: the panel asking while the place screen preloads makes no second request', async () => {
    const calls = stubFetch();
    const first = childrenGeometryRequest('86', '2025-08-01');
    const second = childrenGeometryRequest('86', '2025-08-01');
    expect(second.url).toBe(first.url);
    const [a, b] = await Promise.all([first.load(), second.load()]);
    expect(calls).toEqual(['/api/places/86/children/geometry?at=2025-08-01']);
    expect(a).toBe(b);
    // Once loaded, the answer is the API client's, kept for the session.
    expect(childrenGeometryRequest('86', '2025-08-01').peek()).toBe(a);
  });

  it('loads another date or place apart, and again after a failure', async () => {
    const calls = stubFetch();
    await childrenGeometryRequest('87', '2025-08-01').load();
    await childrenGeometryRequest('87', '2020-01-01').load();
    expect(calls).toEqual(['/api/places/87/children/geometry?at=2025-08-01', '/api/places/87/children/geometry?at=2020-01-01']);

    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: 'internal_error', message: 'down' }), { status: 500 }));
    await expect(childrenGeometryRequest('88').load()).rejects.toMatchObject({ code: 'internal_error' });
    const retry = stubFetch();
    await childrenGeometryRequest('88').load();
    expect(retry).toEqual(['/api/places/88/children/geometry']);
  });
});

describe('the level of detail the map asks for', () => {
  const summary = (code: string, level: PlaceDetail['level'], parentCode: string | null) => ({ code, name: code, nameEn: null, level, parentCode, validFrom: null, validTo: null });
  const detail = (code: string, level: PlaceDetail['level'], units: number, parent: string | null): PlaceDetail => ({
    ...summary(code, level, parent),
    areaKm2: null,
    hasGeometry: true,
    ancestors: parent ? [summary(parent, 'country', null)] : [],
    children: Array.from({ length: units }, (_, i) => summary(String(10000 + i), 'commune', code)),
    source: null,
  });

  it('keeps the stored shapes for a few hundred units (34 provinces, 124 wards): today’s request', () => {
    expect(childrenMapTolerance(detail('VN', 'country', 34, null), undefined, 1440)).toBeUndefined();
    expect(childrenMapRequest(detail('VN', 'country', 34, null), '2025-08-01').url).toBe('/api/places/VN/children/geometry?at=2025-08-01');
    expect(childrenMapTolerance(detail('86', 'province', 124, 'VN'), undefined, 1440)).toBeUndefined();
  });

  it("asks a map of thousands of units for the map's shape (each unit only its code), checks it as such and shares its load", async () => {
    const calls: string[] = [];
    const light = { type: 'FeatureCollection', bbox: [105, 10, 106, 11], features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[105, 10], [106, 10], [106, 11], [105, 10]]] }, properties: { code: '10000' } }], missing: [] };
    vi.stubGlobal('fetch', async (url: string) => {
      calls.push(url);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return new Response(JSON.stringify(light), { status: 200, headers: { 'content-type': 'application/geo+json' } });
    });
    const country = detail('VN', 'country', 3321, null);
    // The first choice holds per place and date (the tests have no window: its width is given here).
    expect(childrenMapTolerance(country, '2025-07-05', 1440)).toBe(2 ** -5);
    expect(childrenMapTolerance(country, '2025-07-06', 1440)).toBe(2 ** -5);
    const req = childrenMapRequest(country, '2025-07-05');
    expect(req.url).toBe(`/api/places/VN/children/geometry?at=2025-07-05&tolerance=${2 ** -5}&properties=map`);
    const [a, b] = await Promise.all([req.load(), childrenMapRequest(country, '2025-07-05').load()]);
    expect(calls).toHaveLength(1);
    expect(a).toBe(b);
    expect(a).toEqual(light);
    expect(childrenMapRequest(country, '2025-07-05').peek()).toBe(a);
    // A full answer is not the map's shape (the map's check keeps only the code); a unit without a code is refused.
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ ...light, features: [{ ...light.features[0], properties: { name: 'x' } }] }), { status: 200 }));
    await expect(childrenMapRequest(country, '2025-07-06').load()).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('asks a map of thousands of units for about one pixel, a power of two: the country by its box, fitted by its height', () => {
    // The country is taller than wide in a 547 × 420 px map: 16.9 units of Mercator y over 388 px (inside the padding) limit the fit,
    // 23 px a degree of longitude; a degree of latitude at 23.4° N is 1/cos(23.4°) longer: 0.040° a pixel, down to 2⁻⁵.
    const pixel = degreesPerPixel(NATIONAL_BOX, mapWidthPx(1440), MAP_HEIGHT_PX)!;
    expect(pixel).toBeCloseTo(0.0399, 3);
    expect(childrenMapTolerance(detail('VN', 'country', 3321, null), '2025-07-02', 1440)).toBe(2 ** -5);
    // Fitted by the width alone it would be 15.69° over 515 px: 0.0305° a pixel; the tighter of the two wins.
    expect(degreesPerPixel(NATIONAL_BOX, mapWidthPx(1440), 10_000)!).toBeCloseTo((0.918 * NATIONAL_EXTENT_DEG) / 515.2, 3);
    expect(degreesPerPixel(NATIONAL_BOX, 20, MAP_HEIGHT_PX)).toBeNull();
    expect(mapWidthPx(1440)).toBeCloseTo(547.2);
    expect(mapWidthPx(800)).toBe(800);
    expect(toleranceLevel(NATIONAL_EXTENT_DEG, 547.2)).toBe(2 ** -6);
    expect(toleranceLevel(1, 1e6)).toBeNull();
    expect(toleranceLevel(100, 10)).toBeLessThanOrEqual(0.05);
  });

  it('gives a province its own, finer level from its shape in the country’s map, or keeps the stored shapes when no box is known', async () => {
    const calls = stubFetch();
    // The country's map as loaded: the province's box is 1.2° wide.
    await childrenGeometryRequest('VN', '2025-08-02').load();
    expect(calls).toEqual(['/api/places/VN/children/geometry?at=2025-08-02']);
    const province = { ...detail('91', 'province', 400, 'VN') };
    vi.stubGlobal('fetch', async (url: string) => {
      calls.push(url);
      const country = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[105.6, 9.5], [106.8, 9.5], [106.8, 10.4], [105.6, 9.5]]] }, properties: { ...summary('91', 'province', 'VN'), areaKm2: null } }], missing: [] };
      return new Response(JSON.stringify(url.includes('/VN/') ? country : ANSWER), { status: 200, headers: { 'content-type': 'application/geo+json' } });
    });
    await childrenGeometryRequest('VN', '2025-08-03').load();
    // 1.2° × 0.9° over 515 × 388 px (the height limits the fit): 0.0023° a pixel, down to 2⁻⁹.
    expect(childrenMapTolerance(province, '2025-08-03', 1440)).toBe(2 ** -9);
    // In the map's shape: each unit only its code.
    expect(childrenMapRequest(province, '2025-08-03').url).toBe(`/api/places/91/children/geometry?at=2025-08-03&tolerance=${2 ** -9}&properties=map`);
    expect(childrenMapTolerance(detail('92', 'province', 400, 'VN'), '2025-08-09', 1440)).toBeUndefined();
  });
});
