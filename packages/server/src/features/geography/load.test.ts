import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { cp, mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { DataFileError, fixedClock } from '@watchfloor/core';
import { PlacesRepository, type Store } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { REFERENCE_DATA_DIR } from '../../paths';
import { loadGeography } from './load';

const clock = fixedClock('2026-11-28T03:00:00Z');

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`geography loading on ${engine.engine}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await engine.open();
    });
    afterAll(async () => store?.close());

    it('loads the real geography of 2025 and before, and says what it loaded', async () => {
      const r = await loadGeography(store, { dataDir: REFERENCE_DATA_DIR, clock });
      expect(r.status).toBe('loaded');
      // 34 + 63 provinces; 696 districts; 3,321 + 10,035 communes; the country.
      expect(r.places).toEqual({ country: 1, province: 97, district: 696, commune: 13356 });
      expect(r.newPlaces).toBe(1 + 97 + 696 + 13356);
      expect(r.geometries).toBe(34 + 124 + 63 + 26);
      expect(r.lineageEdges).toBeGreaterThan(10_000);
      // Upstream gaps are reported, not hidden.
      expect(r.warnings.some((w) => w.includes('07732'))).toBe(true);
    });

    it('is idempotent: the same files again change nothing, and a forced reload keeps ids', async () => {
      const repo = new PlacesRepository(store.db);
      const before = await repo.findAt('29242', '2026-01-01');
      const again = await loadGeography(store, { dataDir: REFERENCE_DATA_DIR, clock });
      expect(again.status).toBe('unchanged');
      const forced = await loadGeography(store, { dataDir: REFERENCE_DATA_DIR, clock, force: true });
      expect(forced.status).toBe('loaded');
      expect(forced.newPlaces).toBe(0);
      expect(forced.places).toEqual(again.places);
      expect(forced.lineageEdges).toBe(again.lineageEdges);
      expect((await repo.findAt('29242', '2026-01-01'))?.id).toBe(before?.id);
    });
  });

  describe.skipIf(engine.skip)(`a corrupt geography file on ${engine.engine}`, () => {
    let store: Store;
    let dir: string;
    beforeAll(async () => {
      store = await engine.open();
      dir = await mkdtemp(join(tmpdir(), 'wf-geo-'));
      await cp(REFERENCE_DATA_DIR, dir, { recursive: true });
    });
    afterAll(async () => {
      await store?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('names the file and line, and loads nothing', async () => {
      const file = join(dir, 'admin/vn_admin_units_pre2025_v2.4.1.csv');
      const lines = (await readFile(file, 'utf8')).split('\n');
      lines[4999] = '84,Tỉnh Trà Vinh,84X,Huyện Lỗi,29999,Xã Lỗi\r'; // the file has CRLF line ends
      await writeFile(file, lines.join('\n'));
      const err = await loadGeography(store, { dataDir: dir, clock }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataFileError);
      expect((err as Error).message).toMatch(/^admin\/vn_admin_units_pre2025_v2\.4\.1\.csv:5000: district_code must be 3 digits/);
      expect((await new PlacesRepository(store.db).counts()).places).toEqual({});
    });

    it('refuses a boundary file that is not JSON, naming the line', async () => {
      const file = join(dir, 'admin/vinhlong_2025_wards_simplified.geojson');
      await cp(join(REFERENCE_DATA_DIR, 'admin/vn_admin_units_pre2025_v2.4.1.csv'), join(dir, 'admin/vn_admin_units_pre2025_v2.4.1.csv'));
      await writeFile(file, '{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature",, }\n]}');
      const err = await loadGeography(store, { dataDir: dir, clock }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataFileError);
      expect((err as Error).message).toMatch(/vinhlong_2025_wards_simplified\.geojson:3: not valid JSON/);
      expect((await new PlacesRepository(store.db).counts()).places).toEqual({});
    });
  });
}
