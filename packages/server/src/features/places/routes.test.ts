import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@watchfloor/db/testing';
import { mapPlaceCollection, type LocateResult, type Lineage, type PlaceDetail, type PlaceFeatureCollection, type PlaceMapCollection, type PlaceSummary } from '@watchfloor/core';
import { openTestServer, type TestServer } from '../../testing';

/** A point well inside today's Phường Trà Vinh, in what was Thành phố Trà Vinh. */
const TRA_VINH_CITY = { lat: 9.9063, lon: 106.3419 };

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`place API on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine);
    });
    afterAll(async () => s?.close());

    const get = async <T>(url: string) => {
      const r = await s.app.inject({ method: 'GET', url });
      return { status: r.statusCode, body: r.json<T>(), headers: r.headers };
    };

    it('knows Trà Vinh province (84) with its 9 districts in 2020', async () => {
      const r = await get<PlaceDetail>('/api/places/84?at=2020-01-01');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ code: '84', name: 'Tỉnh Trà Vinh', level: 'province', validTo: '2025-06-30' });
      expect(r.body.ancestors.map((a) => a.code)).toEqual(['VN']);
      expect(r.body.children).toHaveLength(9);
      expect(r.body.children.every((c) => c.level === 'district')).toBe(true);
      expect(r.body.children.map((c) => c.code)).toContain('842');
    });

    it('says 84 is not valid from 1 July 2025, and when it was', async () => {
      const r = await get<{ error: string; message: string }>('/api/places/84?at=2025-07-01');
      expect(r.status).toBe(404);
      expect(r.body.error).toBe('place_not_valid_at_date');
      expect(r.body.message).toContain('2025-06-30');
    });

    it('knows the new Vĩnh Long (86) with 124 communes from 1 July 2025', async () => {
      const r = await get<PlaceDetail>('/api/places/86?at=2025-07-01');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ code: '86', name: 'Tỉnh Vĩnh Long', validFrom: '2025-07-01', validTo: null, hasGeometry: true });
      expect(r.body.children).toHaveLength(124);
      expect(r.body.children.every((c) => c.level === 'commune')).toBe(true);
      // Code 86 also named the old, smaller Vĩnh Long: that unit had 8 districts.
      const old = await get<PlaceDetail>('/api/places/86?at=2020-01-01');
      expect(old.body.validTo).toBe('2025-06-30');
      expect(old.body.children).toHaveLength(8);
    });

    it('lists units valid on a date by level and parent', async () => {
      const provinces = await get<{ places: PlaceSummary[] }>('/api/places?at=2026-01-01&level=province');
      expect(provinces.body.places).toHaveLength(34);
      const before = await get<{ places: PlaceSummary[] }>('/api/places?at=2024-12-31&level=province');
      expect(before.body.places).toHaveLength(63);
      const communes = await get<{ places: PlaceSummary[] }>('/api/places?at=2020-01-01&level=commune&parent=842');
      expect(communes.body.places.map((p) => p.name)).toContain('Phường 3');
      const noDistricts = await get<{ places: PlaceSummary[] }>('/api/places?at=2026-01-01&level=district');
      expect(noDistricts.body.places).toEqual([]);
    });

    it('defaults to today in Vietnam', async () => {
      const r = await get<PlaceDetail & { at: string }>('/api/places/29242');
      expect(r.body.at).toBe('2026-11-28');
      expect(r.body.name).toBe('Phường Trà Vinh');
      expect(r.body.ancestors.map((a) => a.code)).toEqual(['VN', '86']);
    });

    it('gives the lineage of Phường Trà Vinh (29242): the old communes it was formed from, and the act', async () => {
      const r = await get<Lineage>('/api/places/29242/lineage');
      expect(r.status).toBe(200);
      expect(r.body.place).toMatchObject({ code: '29242', name: 'Phường Trà Vinh', validFrom: '2025-07-01' });
      expect(r.body.from.map((e) => `${e.place.code} ${e.place.name}`)).toEqual(['29239 Phường 1', '29242 Phường 3', '29260 Phường 9']);
      for (const e of r.body.from) {
        expect(e).toMatchObject({ kind: 'merge', part: 'full', effectiveDate: '2025-07-01' });
        expect(e.legalRef).toContain('1687/NQ-UBTVQH15');
        expect(e.place.validTo).toBe('2025-06-30');
      }
      // The same code in 2020 named Phường 3, which became part of Phường Trà Vinh.
      const old = await get<Lineage>('/api/places/29242/lineage?at=2020-01-01');
      expect(old.body.place.name).toBe('Phường 3');
      expect(old.body.to.map((e) => e.place.name)).toEqual(['Phường Trà Vinh']);
    });

    it('says the district Thành phố Trà Vinh (842) ended with the district level on 1 July 2025, and names the wards its communes went into', async () => {
      const r = await get<Lineage>('/api/places/842/lineage');
      expect(r.status).toBe(200);
      expect(r.body.place).toMatchObject({ code: '842', name: 'Thành phố Trà Vinh', level: 'district', validTo: '2025-06-30' });
      // No edge of its own: a district became no unit; its eight communes did.
      expect(r.body.to).toEqual([]);
      expect(r.body.abolished).toMatchObject({ level: 'district', effectiveDate: '2025-07-01' });
      expect(r.body.abolished!.legalRef).toContain('72/2025/QH15');
      // From the merger resolution of Vĩnh Long (1687/NQ-UBTVQH15), read by hand:
      // Phường 1, 3, 9 → Phường Trà Vinh; Phường 7, 8 (+ Xã Nguyệt Hóa of Châu Thành) → Phường Nguyệt Hoá;
      // Phường 4, Xã Long Đức → Phường Long Đức; Phường 5 (+ Xã Hòa Thuận of Châu Thành) → Phường Hoà Thuận (the 2025 list spells "oá").
      const lines = r.body.abolished!.successors.map((s) => `${s.place.code} ${s.place.name} ← ${s.from.map((f) => `${f.code} ${f.name}`).join(', ')} +${s.others}`);
      expect(lines).toEqual([
        '29242 Phường Trà Vinh ← 29239 Phường 1, 29242 Phường 3, 29260 Phường 9 +0',
        '29254 Phường Nguyệt Hoá ← 29254 Phường 7, 29257 Phường 8 +1',
        '29263 Phường Long Đức ← 29236 Phường 4, 29263 Xã Long Đức +0',
        '29398 Phường Hoà Thuận ← 29248 Phường 5 +1',
      ]);
      for (const s of r.body.abolished!.successors) {
        expect(s.place).toMatchObject({ level: 'commune', parentCode: '86', validFrom: '2025-07-01', validTo: null });
        for (const f of s.from) expect(f).toMatchObject({ level: 'commune', parentCode: '842', validTo: '2025-06-30' });
      }
      // The same with the date of its time; units whose level lives on are not "abolished".
      expect((await get<Lineage>('/api/places/842/lineage?at=2020-01-01')).body.abolished?.successors).toHaveLength(4);
      expect((await get<Lineage>('/api/places/84/lineage')).body.abolished).toBeNull();
      expect((await get<Lineage>('/api/places/29242/lineage?at=2020-01-01')).body.abolished).toBeNull();
      expect((await get<Lineage>('/api/places/29242/lineage')).body.abolished).toBeNull();
    });

    it('records that Trà Vinh province became part of the new Vĩnh Long', async () => {
      const r = await get<Lineage>('/api/places/84/lineage');
      expect(r.body.place.validTo).toBe('2025-06-30');
      expect(r.body.to).toHaveLength(1);
      expect(r.body.to[0]).toMatchObject({ kind: 'merge', part: 'full', place: { code: '86', validFrom: '2025-07-01' } });
      expect(r.body.to[0]!.legalRef).toContain('202/2025/QH15');
      const vl = await get<Lineage>('/api/places/86/lineage');
      expect(vl.body.from.map((e) => e.place.code)).toEqual(['83', '84', '86']);
    });

    it('locates a point in Trà Vinh city to a ward of 86 today and to district 842 in 2020', async () => {
      const q = `lat=${TRA_VINH_CITY.lat}&lon=${TRA_VINH_CITY.lon}`;
      const today = await get<LocateResult>(`/api/places/locate?${q}`);
      expect(today.status).toBe(200);
      expect(today.body).toMatchObject({ precision: 'commune', commune: { code: '29242', name: 'Phường Trà Vinh' }, district: null, province: { code: '86' } });
      const then = await get<LocateResult>(`/api/places/locate?${q}&at=2020-01-01`);
      expect(then.body).toMatchObject({ precision: 'district', commune: null, district: { code: '842' }, province: { code: '84', name: 'Tỉnh Trà Vinh' } });
      expect(then.body.note).toMatch(/communes/);
    });

    it('locates a point elsewhere in Vietnam to its province when commune boundaries are not shipped', async () => {
      // Hoàn Kiếm lake, Hà Nội.
      const r = await get<LocateResult>('/api/places/locate?lat=21.0287&lon=105.8524&at=2026-01-01');
      expect(r.body).toMatchObject({ precision: 'province', province: { code: '01' }, commune: null });
    });

    it('serves boundaries as GeoJSON, and says when there is none', async () => {
      const r = await get<{ type: string; geometry: { type: string }; properties: { code: string } }>('/api/places/29242/geometry');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toContain('application/geo+json');
      expect(r.body.type).toBe('Feature');
      expect(['Polygon', 'MultiPolygon']).toContain(r.body.geometry.type);
      expect(r.body.properties.code).toBe('29242');
      const district = await get<{ properties: { name: string } }>('/api/places/842/geometry?at=2020-01-01');
      expect(district.body.properties.name).toBe('Thành phố Trà Vinh');
      const none = await get<{ error: string }>('/api/places/29242/geometry?at=2020-01-01');
      expect(none.status).toBe(404);
      expect(none.body.error).toBe('no_geometry');
    });

    it("serves the children's boundaries as one FeatureCollection: 124 communes of 86 today, 9 districts of 84 in 2020", async () => {
      const today = await get<PlaceFeatureCollection>('/api/places/86/children/geometry');
      expect(today.status).toBe(200);
      expect(today.headers['content-type']).toContain('application/geo+json');
      expect(today.body.type).toBe('FeatureCollection');
      expect(today.body.features).toHaveLength(124);
      expect(today.body.missing).toEqual([]);
      const ward = today.body.features.find((f) => f.properties.code === '29242');
      expect(ward?.properties).toMatchObject({ name: 'Phường Trà Vinh', level: 'commune', parentCode: '86' });
      expect(['Polygon', 'MultiPolygon']).toContain(ward?.geometry.type);
      const [west, south, east, north] = today.body.bbox!;
      expect(west).toBeLessThan(TRA_VINH_CITY.lon);
      expect(east).toBeGreaterThan(TRA_VINH_CITY.lon);
      expect(south).toBeLessThan(TRA_VINH_CITY.lat);
      expect(north).toBeGreaterThan(TRA_VINH_CITY.lat);

      const before = await get<PlaceFeatureCollection>('/api/places/84/children/geometry?at=2020-01-01');
      expect(before.body.features.map((f) => f.properties.code)).toHaveLength(9);
      expect(before.body.features.map((f) => f.properties.code)).toContain('842');
      expect(before.body.features.every((f) => f.properties.level === 'district')).toBe(true);
      // Pre-2025 communes have no licensed boundary: listed, not drawn.
      const communes = await get<PlaceFeatureCollection>('/api/places/842/children/geometry?at=2020-01-01');
      expect(communes.body.features).toEqual([]);
      expect(communes.body.bbox).toBeUndefined();
      expect(communes.body.missing).toContain('29242');

      const gone = await get<{ error: string }>('/api/places/84/children/geometry?at=2026-01-01');
      expect(gone).toMatchObject({ status: 404, body: { error: 'place_not_valid_at_date' } });
    });

    it('simplifies the boundaries to a tolerance (level of detail): fewer vertices, the same units, valid rings; bad tolerances refused', async () => {
      type Ring = number[][];
      const ringsOf = (c: PlaceFeatureCollection): Ring[] => c.features.flatMap((f) => (f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat()));
      const vertices = (c: PlaceFeatureCollection) => ringsOf(c).reduce((n, r) => n + r.length, 0);
      const full = await get<PlaceFeatureCollection>('/api/places/86/children/geometry');
      const simple = await get<PlaceFeatureCollection>('/api/places/86/children/geometry?tolerance=0.001953125');
      expect(simple.status).toBe(200);
      expect(simple.headers['content-type']).toContain('application/geo+json');
      expect(vertices(simple.body)).toBeLessThan(vertices(full.body) / 2);
      expect(simple.body.features.map((f) => f.properties)).toEqual(full.body.features.map((f) => f.properties));
      expect(simple.body.features.map((f) => f.geometry.type)).toEqual(full.body.features.map((f) => f.geometry.type));
      expect(simple.body.bbox).toEqual(full.body.bbox);
      expect(simple.body.missing).toEqual(full.body.missing);
      // No ring dropped, each still closed with at least 4 positions.
      expect(ringsOf(simple.body)).toHaveLength(ringsOf(full.body).length);
      for (const ring of ringsOf(simple.body)) {
        expect(ring.length).toBeGreaterThanOrEqual(4);
        expect(ring.at(-1)).toEqual(ring[0]);
      }
      // Coordinates rounded to what the tolerance means (a tenth of it: 4 decimals).
      expect(ringsOf(simple.body).flat().every(([lon, lat]) => Number(lon!.toFixed(4)) === lon && Number(lat!.toFixed(4)) === lat)).toBe(true);
      // The same answer for the same level (cacheable), and the districts of the past alike.
      expect((await get<PlaceFeatureCollection>('/api/places/86/children/geometry?tolerance=0.001953125')).body).toEqual(simple.body);
      const past = await get<PlaceFeatureCollection>('/api/places/84/children/geometry?at=2020-01-01&tolerance=0.01');
      expect(past.body.features.map((f) => f.properties.code)).toHaveLength(9);

      for (const bad of ['0', '-0.01', '0.06', 'abc', '']) {
        const r = await get<{ error: string; message: string }>(`/api/places/86/children/geometry?tolerance=${bad}`);
        expect(r.status, bad).toBe(400);
        expect(r.body).toMatchObject({ error: 'invalid_parameter' });
        expect(r.body.message).toMatch(/^tolerance: /);
      }
    });

    it("answers the map's shape with properties=map: the same simplified features, bbox and missing, each unit only its code", async () => {
      const full = await get<PlaceFeatureCollection>('/api/places/86/children/geometry?tolerance=0.001953125');
      const light = await get<PlaceMapCollection>('/api/places/86/children/geometry?tolerance=0.001953125&properties=map');
      expect(light.status).toBe(200);
      expect(light.headers['content-type']).toContain('application/geo+json');
      expect(light.body).toEqual(mapPlaceCollection(full.body));
      expect(light.body.features.length).toBeGreaterThan(100);
      expect(light.body.features.every((f) => Object.keys(f.properties).join() === 'code')).toBe(true);
      expect(light.body.features.map((f) => f.geometry)).toEqual(full.body.features.map((f) => f.geometry));
      expect(light.body.bbox).toEqual(full.body.bbox);
      expect(light.body.missing).toEqual(full.body.missing);
      expect(JSON.stringify(light.body).length).toBeLessThan(JSON.stringify(full.body).length);
      // The default is unchanged; `all` is the default said aloud; the past keeps its `missing`.
      expect((await get<PlaceFeatureCollection>('/api/places/86/children/geometry?tolerance=0.001953125&properties=all')).body).toEqual(full.body);
      const past = await get<PlaceMapCollection>('/api/places/842/children/geometry?at=2020-01-01&properties=map');
      expect(past.body).toMatchObject({ type: 'FeatureCollection', features: [] });
      expect(past.body.missing).toContain('29242');
      const bad = await get<{ error: string; message: string }>('/api/places/86/children/geometry?tolerance=0.01&properties=names');
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ error: 'invalid_parameter' });
      expect(bad.body.message).toMatch(/^properties: /);
    });

    it('refuses bad input with coded errors that name the parameter', async () => {
      const unknown = await get<{ error: string }>('/api/places/99999');
      expect(unknown).toMatchObject({ status: 404, body: { error: 'unknown_place_code' } });
      const badDate = await get<{ error: string; message: string }>('/api/places/84?at=2020-13-01');
      expect(badDate.status).toBe(400);
      expect(badDate.body.error).toBe('invalid_parameter');
      expect(badDate.body.message).toMatch(/^at: /);
      const badLat = await get<{ error: string; message: string }>('/api/places/locate?lat=abc&lon=106.3');
      expect(badLat.status).toBe(400);
      expect(badLat.body.message).toMatch(/^lat: /);
      const outOfRange = await get<{ message: string }>('/api/places/locate?lat=9.9&lon=190');
      expect(outOfRange.status).toBe(400);
      expect(outOfRange.body.message).toMatch(/^lon: .*180/);
      const missing = await get<{ message: string }>('/api/places/locate?lat=9.9');
      expect(missing.status).toBe(400);
      expect(missing.body.message).toMatch(/lon/);
      const sea = await get<{ error: string }>('/api/places/locate?lat=0&lon=0');
      expect(sea).toMatchObject({ status: 404, body: { error: 'no_place_at_point' } });
      const badLevel = await get<{ error: string; message: string }>('/api/places?level=planet');
      expect(badLevel.status).toBe(400);
      expect(badLevel.body.message).toMatch(/^level: /);
      const badCode = await get<{ error: string }>('/api/places/abc');
      expect(badCode).toMatchObject({ status: 400, body: { error: 'invalid_parameter' } });
      const unknownParent = await get<{ error: string }>('/api/places?parent=84&at=2026-01-01');
      expect(unknownParent).toMatchObject({ status: 404, body: { error: 'place_not_valid_at_date' } });
    });
  });
}
