import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_DATA, type IngestResult, type RejectedIngestRow, type Station } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import type { TestServer } from '../../testing';
import { multipart, openSourcesServer } from '../sources/test-support';
import { ReadingsIngest, type ReadingRow } from '../ingest/readings';
import { loadSensorExport } from './service';

/**
 * An hourly sensor export as a data officer gets it, made here line by line
 * in the AirNow DOS layout: a day with an hour written twice with different
 * values (the repeated hour a daylight-saving clock leaves behind), an
 * identical line repeated, a negative reading, one above any plausible
 * PM2.5, a day of only 4 hours, and a day split across two batches of one
 * upload. Every expected mean is computed here from the lines written.
 */

const TRA_VINH = { lat: 9.9063, lon: 106.3419 };
const HEADER = 'Site,Parameter,Date (LT),Year,Month,Day,Hour,NowCast Conc.,AQI,AQI Category,Raw Conc.,Conc. Unit,Duration,QC Name';

interface Line {
  day: number;
  hour: number;
  value: number;
}
const csvLine = ({ day, hour, value }: Line) => {
  const dd = String(day).padStart(2, '0');
  const hh = String(hour).padStart(2, '0');
  return `Tra Vinh,PM2.5 - Principal,2026-11-${dd} ${hh}:00,2026,11,${dd},${hh},${value},0,Good,${value},UG/M3,1 Hr,Valid`;
};
const csv = (lines: readonly Line[]) => Buffer.from([HEADER, ...lines.map(csvLine)].join('\r\n') + '\r\n', 'utf8');
/** A plausible hourly PM2.5 (µg/m³) for a day and hour, to one decimal. */
const pm = (day: number, hour: number) => Math.round((20 + 13 * Math.sin(day * 7 + hour)) * 10) / 10;
const hours = (day: number, from: number, to: number): Line[] => Array.from({ length: to - from + 1 }, (_, i) => ({ day, hour: from + i, value: pm(day, from + i) }));
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

// 2 November: 24 hours; hour 2 written again with another value, hour 10 repeated as is, hour 5 negative.
const november2 = hours(2, 0, 23).flatMap((l): Line[] => {
  if (l.hour === 2) return [l, { ...l, value: Math.round((l.value + 41.7) * 10) / 10 }];
  if (l.hour === 5) return [{ ...l, value: -3.2 }];
  if (l.hour === 10) return [l, l];
  return [l];
});
// 3 November: 4 hours. 4 November: 24 hours. 5 November: 20 hours, hour 12 at 1200.5 (above the indicator's 0 … 1000).
const november3 = hours(3, 8, 11);
const november4 = hours(4, 0, 23);
const november5 = hours(5, 0, 19).map((l) => (l.hour === 12 ? { ...l, value: 1200.5 } : l));
// Last, 2 November's hour 7 again with another value: by then the first is stored (an earlier batch).
const lateConflict: Line = { day: 2, hour: 7, value: pm(2, 7) + 5 };
const FILE = [...november2, ...november3, ...november4, ...november5, lateConflict];
/** The file line (the header is line 1) of the n-th reading line. */
const lineOf = (l: Line) => FILE.indexOf(l) + 2;
/** Readings per batch: the first batch ends inside 4 November. */
const BATCH = 40;

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`sensor exports as they come, on ${engine.engine}`, () => {
    let s: TestServer;
    let place = '';
    beforeAll(async () => {
      s = await openSourcesServer(engine);
      const src = await s.app.inject({
        method: 'POST',
        url: '/api/sources',
        payload: { code: 'TV-AIR', name: 'Trạm không khí Trà Vinh (tệp)', kind: 'file', ownerOrganisationCode: 'VL-STC', mapping: { sensors: { stations: { 'Tra Vinh': 'VL-TV-Q' }, datastreams: { 'PM2.5 - Principal': 'pm25' } } } },
      });
      expect(src.statusCode, src.body).toBe(201);
      const st = await s.app.inject({ method: 'POST', url: '/api/stations', payload: { code: 'VL-TV-Q', name: 'Trạm Phường Trà Vinh', ...TRA_VINH, source: 'TV-AIR', datastreams: [{ code: 'pm25', indicator: 'PM25', unit: 'µg/m³' }] } });
      expect(st.statusCode, st.body).toBe(201);
      place = st.json<Station>().place?.code ?? '';
      expect(place).toMatch(/^\d{5}$/);
    });
    afterAll(async () => s?.close());

    const figures = async () =>
      (await s.store.db.selectFrom('observation').select(['id', 'period_key', 'value', 'status', 'revision', 'note']).where('indicator_code', '=', 'PM25').where('place_code', '=', place).orderBy('period_key').execute()).map((o) => ({ ...o, value: Number(o.value) }));
    const revisions = async (id: number) => Number((await s.store.db.selectFrom('observation_revision').select((eb) => eb.fn.countAll<number>().as('n')).where('observation_id', '=', id).executeTakeFirstOrThrow()).n);

    it('takes one batch holding a reading of each of 1,100 datastreams, as a busy MQTT batch does, and finds the one changed among them', async () => {
      // 11 stations of 100 datastreams: looking up what is stored for 1,100 streams at once must not outgrow SQLite's expression limit.
      for (let st = 0; st < 11; st++) {
        const datastreams = Array.from({ length: 100 }, (_, d) => ({ code: `w${d}`, indicator: 'PM25', unit: 'µg/m³' }));
        const r = await s.app.inject({ method: 'POST', url: '/api/stations', payload: { code: `VL-WIDE-${st}`, name: `Trạm ${st}`, ...TRA_VINH, source: 'TV-AIR', datastreams } });
        expect(r.statusCode, r.body).toBe(201);
      }
      const at = '2026-11-20T01:00:00.000Z';
      const batch = (changed: number | null): ReadingRow[] =>
        Array.from({ length: 1100 }, (_, i) => {
          const value = { station: `VL-WIDE-${Math.floor(i / 100)}`, datastream: `w${i % 100}`, at, value: i === changed ? 99 : 10 + (i % 7) };
          return { line: null, raw: JSON.stringify(value), value };
        });
      const ingest = new ReadingsIngest(s.ctx);
      const runId = await ingest.startRun('TV-AIR', 'mqtt');
      const first = await ingest.writeBatch('TV-AIR', runId, batch(null), 0, await ingest.bounds('TV-AIR', null));
      expect(first).toMatchObject({ read: 1100, accepted: 1100, created: 1100, rejected: [] });
      const again = await ingest.writeBatch('TV-AIR', runId, batch(777), 1100, await ingest.bounds('TV-AIR', null));
      expect(again).toMatchObject({ read: 1100, accepted: 1099, created: 0, unchanged: 1099 });
      expect(again.rejected.map((r) => [r.index, r.reason])).toEqual([[1100 + 777, 'conflicting_duplicate']]);
    });

    it('refuses conflicting duplicates and readings out of range, keeps identical repeats, and gives only complete days a mean, once', async () => {
      expect(FILE.length).toBe(75);
      const result = await loadSensorExport(s.ctx, 'TV-AIR', csv(FILE), 'tram-tra-vinh-2026-11.csv', { read: ALL_DATA, write: ALL_DATA }, undefined, null, BATCH);
      // Two batches: lines 2–41 and 42–76; 4 November (lines 33–56) lies across them.
      expect(lineOf(november4[0]!)).toBeLessThanOrEqual(BATCH + 1);
      expect(lineOf(november4.at(-1)!)).toBeGreaterThan(BATCH + 1);

      const conflict2 = november2[3]!;
      expect([conflict2.hour, conflict2.value === pm(2, 2)]).toEqual([2, false]);
      const negative = november2.find((l) => l.value < 0)!;
      const above = november5.find((l) => l.value > 1000)!;
      expect(result.rejectedRows.map((r: RejectedIngestRow) => [r.line, r.reason])).toEqual([
        [lineOf(conflict2), 'conflicting_duplicate'],
        [lineOf(negative), 'below_valid_range'],
        [lineOf(above), 'above_valid_range'],
        [lineOf(lateConflict), 'conflicting_duplicate'],
      ]);
      expect(result.rejectedRows[0]?.message).toContain(`differs from ${pm(2, 2)}`);
      expect(result.rejectedRows[3]?.message).toContain('stored');
      // 75 lines, 4 refused; the repeated hour 10 is taken once and counted unchanged.
      expect(result).toMatchObject({ status: 'partial', rowsRead: 75, accepted: 71, created: 70, unchanged: 1, rejected: 4, figures: 3 });

      // The means, from the lines written: the first value of each hour, in range; a day of 4 hours has none.
      const taken = (day: number) => {
        const byHour = new Map<number, number>();
        for (const l of FILE) if (l.day === day && l.value >= 0 && l.value <= 1000 && !byHour.has(l.hour)) byHour.set(l.hour, l.value);
        return [...byHour.values()];
      };
      expect([taken(2).length, taken(3).length, taken(4).length, taken(5).length]).toEqual([23, 4, 24, 19]);
      const stored = await figures();
      expect(stored.map((f) => [f.period_key, f.status])).toEqual([
        ['2026-11-02', 'final'],
        ['2026-11-04', 'final'],
        ['2026-11-05', 'final'],
      ]);
      expect(stored[0]?.value).toBeCloseTo(mean(taken(2)), 4);
      expect(stored[1]?.value).toBeCloseTo(mean(taken(4)), 4);
      expect(stored[2]?.value).toBeCloseTo(mean(taken(5)), 4);
      // 4 November, split across the two batches, was written once: its first revision, nothing superseded.
      for (const f of stored) {
        expect(f.revision).toBe(1);
        expect(await revisions(f.id)).toBe(0);
      }

      // The refused rows are kept with the run, with their reasons.
      const kept = (await s.app.inject(`/api/runs/${result.runId}/rejected`)).json<{ rows: { line: number; reason: string }[] }>().rows;
      expect(kept.map((r) => r.reason).sort()).toEqual(['above_valid_range', 'below_valid_range', 'conflicting_duplicate', 'conflicting_duplicate']);
    });

    it('gives 3 November its mean once a later upload completes the day; a changed value for a stored hour is refused', async () => {
      const rest = [...hours(3, 12, 23), ...hours(3, 0, 3)];
      const changed: Line = { day: 3, hour: 9, value: pm(3, 9) + 1 };
      const upload = await s.app.inject({ method: 'POST', url: '/api/sources/TV-AIR/readings/upload', ...(await multipart('tram-tra-vinh-03-11.csv', csv([...rest, changed]))) });
      expect(upload.statusCode, upload.body).toBe(200);
      const r = upload.json<IngestResult & { figures: number }>();
      expect(r).toMatchObject({ rowsRead: 17, accepted: 16, created: 16, rejected: 1, figures: 1 });
      expect(r.rejectedRows.map((x) => [x.line, x.reason])).toEqual([[18, 'conflicting_duplicate']]);

      const day3 = [...november3, ...rest].map((l) => l.value);
      expect(day3).toHaveLength(20);
      const stored = await figures();
      expect(stored.map((f) => f.period_key)).toEqual(['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05']);
      expect(stored[1]).toMatchObject({ status: 'final', revision: 1 });
      expect(stored[1]?.value).toBeCloseTo(mean(day3), 4);
    });

    it("judges a reading by its datastream's own range when it declares one, in the datastream's unit", async () => {
      const st = await s.app.inject({
        method: 'POST',
        url: '/api/stations',
        payload: {
          code: 'VL-TV-R',
          name: 'Trạm thử',
          ...TRA_VINH,
          source: 'TV-AIR',
          datastreams: [
            { code: 'wide', indicator: 'PM25', unit: 'µg/m³', validRange: { min: 0, max: null } },
            { code: 'narrow', indicator: 'PM25', unit: 'mg/m³', scale: 1000, validRange: { min: 0.005, max: 0.05 } },
          ],
        },
      });
      expect(st.statusCode, st.body).toBe(201);
      expect(st.json<Station>().datastreams.map((d) => [d.code, d.validRange])).toEqual([
        ['narrow', { min: 0.005, max: 0.05 }],
        ['wide', { min: 0, max: null }],
      ]);
      const line = (parameter: string, hour: number, value: number) => `VL-TV-R,${parameter},2026-11-10 ${hour}:00,2026,11,10,${hour},${value},0,Good,${value},UG/M3,1 Hr,Valid`;
      const file = Buffer.from([HEADER, line('wide', 10, 1500), line('narrow', 10, 0.003), line('narrow', 11, 0.06), line('narrow', 12, 0.02)].join('\r\n') + '\r\n');
      const r = await loadSensorExport(s.ctx, 'TV-AIR', file, 'thu.csv', { read: ALL_DATA, write: ALL_DATA });
      // 1,500 µg/m³ lies within what `wide` allows though beyond the indicator's 1,000; `narrow` is judged in mg/m³, before its scale.
      expect(r.rejectedRows.map((x) => [x.line, x.reason])).toEqual([
        [3, 'below_valid_range'],
        [4, 'above_valid_range'],
      ]);
      expect(r).toMatchObject({ accepted: 2, created: 2, figures: 0 });
    });
  });
}
