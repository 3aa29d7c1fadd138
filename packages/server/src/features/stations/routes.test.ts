import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestResult, RejectedIngestRow, Station } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import { REFERENCE_DATA_DIR } from '../../paths';
import type { TestServer } from '../../testing';
import { multipart, openSourcesServer } from '../sources/test-support';

const TRA_VINH = { lat: 9.9063, lon: 106.3419 };
/** The U.S. Embassy chancery, 7 Láng Hạ, where the monitor stood in 2017. */
const US_EMBASSY = { lat: 21.0245, lon: 105.819 };
const JANUARY = 'sensors/hanoi_us_embassy_pm25_2017-01.csv';

/** The January export read naively, line by line, to check the loader against. */
function januaryByHand() {
  const lines = readFileSync(join(REFERENCE_DATA_DIR, JANUARY), 'utf8').split(/\r?\n/).slice(1).filter(Boolean);
  const cells = lines.map((l) => l.split(','));
  const valid = cells.filter((c) => c[13] === 'Valid' && Number(c[10]) !== -999);
  // PM2.5 cannot be negative: such a reading (the monitor's zero drift, marked Valid) lies below the indicator's valid range.
  const negative = valid.filter((c) => Number(c[10]) < 0);
  const day11 = valid.filter((c) => c[5] === '11').map((c) => Number(c[10]));
  return { rows: lines.length, valid: valid.length, negative: negative.length, day11Mean: day11.reduce((a, b) => a + b, 0) / day11.length, day11Count: day11.length };
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`stations on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openSourcesServer(engine);
      const src = await s.app.inject({
        method: 'POST',
        url: '/api/sources',
        payload: {
          code: 'AIRNOW-DOS',
          name: 'U.S. Embassy Hà Nội air quality export',
          kind: 'file',
          ownerOrganisationCode: 'VL-STC',
          // The export is of Hà Nội: the source declares it reports for it.
          coverage: { places: ['01'] },
          mapping: { sensors: { stations: { Hanoi: 'HN-USEMB' }, datastreams: { 'PM2.5 - Principal': 'pm25' } } },
        },
      });
      expect(src.statusCode, src.body).toBe(201);
    });
    afterAll(async () => s?.close());

    const post = (url: string, payload: unknown) => s.app.inject({ method: 'POST', url, payload: payload as object });

    it('registers a station in a Vĩnh Long commune, and one in Hà Nội to the province', async () => {
      const tv = await post('/api/stations', { code: 'VL-TV-01', name: 'Trạm Phường Trà Vinh', ...TRA_VINH, datastreams: [{ code: 'pm25', indicator: 'PM25', unit: 'µg/m³' }] });
      expect(tv.statusCode, tv.body).toBe(201);
      expect(tv.json<Station>()).toMatchObject({ code: 'VL-TV-01', place: { level: 'commune' }, provinceCode: '86', enabled: true, datastreams: [{ code: 'pm25', indicator: 'PM25', unit: 'µg/m³', scale: null }] });
      const hn = await post('/api/stations', { code: 'HN-USEMB', name: 'Hanoi US Embassy', ...US_EMBASSY, source: 'AIRNOW-DOS', datastreams: [{ code: 'pm25', indicator: 'PM25', unit: 'µg/m³' }] });
      expect(hn.statusCode, hn.body).toBe(201);
      expect(hn.json<Station>()).toMatchObject({ place: { code: '01', level: 'province' }, provinceCode: '01', source: 'AIRNOW-DOS' });

      const list = await s.app.inject({ url: '/api/stations' });
      expect(list.json<{ stations: Station[] }>().stations.map((x) => x.code)).toEqual(['HN-USEMB', 'VL-TV-01']);
      const streams = await s.app.inject({ url: '/api/stations/HN-USEMB/datastreams' });
      expect(streams.json()).toEqual({ datastreams: [{ code: 'pm25', indicator: 'PM25', unit: 'µg/m³', scale: null, validRange: null, minShare: 0.75, incompleteDays: 'omit' }] });
    });

    it('refuses a point outside every known boundary, a taken code, an unknown indicator or source', async () => {
      const sea = await post('/api/stations', { code: 'SEA-1', name: 'Biển Đông', lat: 5, lon: 110 });
      expect(sea.statusCode).toBe(400);
      expect(sea.json()).toMatchObject({ error: 'station_outside_boundaries' });
      const taken = await post('/api/stations', { code: 'VL-TV-01', name: 'x', ...TRA_VINH });
      expect(taken.json()).toMatchObject({ error: 'station_exists' });
      const indicator = await post('/api/stations', { code: 'X-2', name: 'x', ...TRA_VINH, datastreams: [{ code: 'no2', indicator: 'NO_SUCH', unit: 'ppb' }] });
      expect(indicator.json()).toMatchObject({ error: 'unknown_indicator' });
      const source = await post('/api/stations', { code: 'X-3', name: 'x', ...TRA_VINH, source: 'NO-SUCH' });
      expect(source.json()).toMatchObject({ error: 'unknown_source' });
      expect((await s.app.inject({ url: '/api/stations/NOPE' })).json()).toMatchObject({ error: 'unknown_station' });
    });

    it('loads the real January 2017 export: readings, missing values rejected, the daily mean of Hà Nội', async () => {
      const hand = januaryByHand();
      expect(hand).toMatchObject({ rows: 743, valid: 740, negative: 1, day11Count: 22 });
      const upload = async () => s.app.inject({ method: 'POST', url: '/api/sources/AIRNOW-DOS/readings/upload', ...(await multipart('hanoi_us_embassy_pm25_2017-01.csv', readFileSync(join(REFERENCE_DATA_DIR, JANUARY)))) });
      const r = await upload();
      expect(r.statusCode, r.body).toBe(200);
      const result = r.json<IngestResult & { figures: number }>();
      expect(result).toMatchObject({ status: 'partial', rowsRead: 743, accepted: 739, created: 739, unchanged: 0, rejected: 4, figures: 31 });
      expect(result.rejectedRows.map((x: RejectedIngestRow) => [x.line, x.reason])).toEqual([
        [130, 'missing_value'],
        [256, 'missing_value'],
        [257, 'missing_value'],
        // 2017-01-12 09:00, Raw Conc. -0.8.
        [274, 'below_valid_range'],
      ]);

      const fig = await s.store.db.selectFrom('observation').select(['value', 'place_code', 'status']).where('indicator_code', '=', 'PM25').where('period_key', '=', '2017-01-11').execute();
      expect(fig).toHaveLength(1);
      expect(fig[0]?.place_code).toBe('01');
      expect(fig[0]?.value).toBeCloseTo(hand.day11Mean, 4);
      expect(fig[0]?.status).toBe('final');

      // Readings are answered newest first, as received.
      const readings = await s.app.inject({ url: '/api/stations/HN-USEMB/readings?from=2017-01-11T00:00:00%2B07:00&to=2017-01-12T00:00:00%2B07:00' });
      expect(readings.statusCode, readings.body).toBe(200);
      const body = readings.json<{ readings: { at: string; value: number }[] }>();
      expect(body.readings).toHaveLength(22);
      // Line 264: 2017-01-11 11:00 PM local, Raw Conc. 14.7.
      expect(body.readings[0]).toEqual({ datastream: 'pm25', at: '2017-01-11T16:00:00.000Z', value: 14.7 });

      // The same file again stores nothing twice and changes no figure.
      const again = (await upload()).json<IngestResult & { figures: number }>();
      expect(again).toMatchObject({ accepted: 739, created: 0, unchanged: 739, rejected: 4, figures: 0 });
      const n = await s.store.db.selectFrom('reading').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(739);
    });
  });
}
