import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorDefinitionSchema } from '@watchfloor/core';
import { IndicatorsRepository, PlacesRepository, TargetsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { TEST_CATALOGUE } from '../observations/test-catalogue';
import { ObservationWriter } from '../ingest/observations';
import type { BreakdownResponse, OverviewItem, OverviewResponse, RankingResponse, SeriesResponse } from './schemas';

const month = (place: string, period: string, received: number, resolved: number, onTime: number) => [
  { indicator: 'DOSSIERS_RECEIVED', place, period, value: received },
  { indicator: 'DOSSIERS_RESOLVED', place, period, value: resolved },
  { indicator: 'DOSSIERS_ON_TIME', place, period, value: onTime },
];

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`what leaders read, on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine);
      await new IndicatorsRepository(s.store.db).upsert(TEST_CATALOGUE.map((d) => indicatorDefinitionSchema.parse(d)), TEST_NOW);
      const w = new ObservationWriter(s.store, s.ctx.clock);
      const r = await w.write(
        [
          // Old Trà Vinh city wards (both now in Phường Trà Vinh), October 2024 and May 2020.
          ...month('29239', '2024-10', 100, 90, 81),
          ...month('29242', '2024-10', 60, 50, 49),
          ...month('29239', '2020-05', 40, 40, 30),
          // The new Phường Trà Vinh and Phường Long Đức, October 2025.
          ...month('29242', '2025-10', 200, 180, 171),
          ...month('29263', '2025-10', 50, 20, 19),
          // Citizen reports arrived for September 2025, not for October.
          { indicator: 'REPORTS_RECEIVED', place: '29242', period: '2025-09', value: 12 },
          { indicator: 'GRDP', place: '83', period: '2020', value: 60000 },
          { indicator: 'GRDP', place: '84', period: '2020', value: 55000 },
          { indicator: 'GRDP', place: '86', period: '2020', value: 58000 },
          { indicator: 'GRDP', place: '01', period: '2020', value: 1_000_000 },
        ],
        { source: 'test' },
      );
      expect(r.rejected).toEqual([]);
      const vl = await new PlacesRepository(s.store.db).findAt('86', '2026-01-01');
      await new TargetsRepository(s.store.db).upsert([{ indicatorCode: 'DOSSIERS_RECEIVED', placeId: vl!.id, placeCode: '86', periodKey: '2025', value: 1000, source: 'test' }], TEST_NOW);
    });
    afterAll(async () => s?.close());

    const get = async <T>(url: string) => {
      const r = await s.app.inject(url);
      expect(r.statusCode, r.body).toBe(200);
      return r.json<T>();
    };
    const item = (o: OverviewResponse, code: string): OverviewItem => o.indicators.find((i) => i.code === code)!;

    it('gives the province overview for a month: figures, rates recomputed, plan, same period last year', async () => {
      const o = await get<OverviewResponse>('/api/overview?place=86&period=2025-10&at=2026-01-01');
      expect(o.period).toMatchObject({ key: '2025-10', labels: { vi: 'Tháng 10/2025' } });
      expect(o.regrouped).toBe(false);
      expect(o.synthetic).toBeNull();
      const received = item(o, 'DOSSIERS_RECEIVED');
      expect(received).toMatchObject({ value: 250, facts: 2, applicable: true, regrouped: false, estimated: false });
      // Two of Vĩnh Long's 124 communes and wards reported: the sum is shown with its coverage, and compared with nothing
      // (before coverage, this answered a growth of 56.25 % and 25 % of the year plan).
      expect(received).toMatchObject({ complete: false, coverage: { level: 'commune', reported: 2, expected: 124, direct: false, required: 100 } });
      expect(received.status).toMatchObject({ colour: 'unrated', reason: 'incomplete' });
      // Same period last year, regrouped from the old wards onto today's map: 100 + 60.
      expect(received.samePeriodLastYear).toEqual({ period: '2024-10', value: 160, growth: null });
      expect(received.ytd).toMatchObject({ period: '2025-YTD-10', value: 250, target: 1000, percentOfYearPlan: null });
      expect(received.trend).toHaveLength(12);
      expect(received.trend.at(-1)).toEqual({ period: '2025-10', value: 250 });
      expect(received.trend.find((t) => t.period === '2025-09')?.value).toBeNull();
      // The rate is recomputed from the summed parts: (171 + 19) / (180 + 20).
      const rate = item(o, 'DOSSIERS_ON_TIME_RATE');
      expect(rate.value).toBeCloseTo(95, 10);
      // … from 2 of 124 units: not coloured (before coverage: green, meets_green).
      expect(rate.status).toMatchObject({ colour: 'unrated', reason: 'incomplete' });
      expect(item(o, 'DOSSIERS_PENDING').value).toBe(50);
    });

    it('shows no data as grey, never zero, and marks a late figure stale with its agency', async () => {
      const o = await get<OverviewResponse>('/api/overview?place=86&period=2025-10&at=2026-01-01');
      const reports = item(o, 'REPORTS_RECEIVED');
      expect(reports.value).toBeNull();
      expect(reports.status).toMatchObject({ colour: 'grey', reason: 'no_data', stale: true, staleness: { dueDate: '2025-11-05' } });
      expect(reports.owner).toEqual({ code: 'VL-VP', name: 'Văn phòng Ủy ban nhân dân tỉnh Vĩnh Long' });
      // Before the first report, a missing figure is history, not lateness.
      const before = await get<OverviewResponse>('/api/overview?place=86&period=2025-08&at=2026-01-01');
      expect(item(before, 'REPORTS_RECEIVED').status).toMatchObject({ colour: 'grey', stale: false, staleness: { reason: 'not_reported_here' } });
      // A yearly figure is not judged for a month.
      expect(item(o, 'GRDP')).toMatchObject({ applicable: false, value: null, status: { colour: 'unrated', reason: 'not_applicable' } });
    });

    it('shows Trà Vinh in 2020 as province 84 with its districts, and as part of today’s Vĩnh Long', async () => {
      const then = await get<OverviewResponse>('/api/overview?place=84&period=2020-05&at=2020-06-01');
      expect(then.regrouped).toBe(false);
      expect(item(then, 'DOSSIERS_RECEIVED')).toMatchObject({ value: 40, regrouped: false });
      const districts = await get<BreakdownResponse>('/api/indicators/DOSSIERS_RECEIVED/breakdown?place=84&period=2020-05&at=2020-06-01');
      expect(districts.items).toHaveLength(9);
      expect(districts.items.find((d) => d.key === '842')).toMatchObject({ name: 'Thành phố Trà Vinh', value: 40 });
      expect(districts.items.find((d) => d.key === '844')?.value).toBeNull();

      const now = await get<OverviewResponse>('/api/overview?place=86&period=2020-05&at=2026-01-01');
      expect(now.regrouped).toBe(true);
      expect(item(now, 'DOSSIERS_RECEIVED')).toMatchObject({ value: 40, regrouped: true });
      const wards = await get<BreakdownResponse>('/api/indicators/DOSSIERS_RECEIVED/breakdown?place=86&period=2020-05&at=2026-01-01');
      expect(wards.items).toHaveLength(124);
      expect(wards.items.find((w) => w.key === '29242')).toMatchObject({ name: 'Phường Trà Vinh', value: 40, regrouped: true });
    });

    it('gives a series across the reform with plan and same period last year', async () => {
      const r = await get<SeriesResponse>('/api/indicators/DOSSIERS_RECEIVED/series?place=86&from=2024-09&to=2025-10&at=2026-01-01');
      expect(r.points).toHaveLength(14);
      expect(r.points.find((p) => p.period === '2024-10')).toMatchObject({ value: 160, regrouped: true });
      expect(r.points.at(-1)).toMatchObject({ period: '2025-10', value: 250, regrouped: false, samePeriodLastYear: 160 });
      const year = await get<SeriesResponse>('/api/indicators/DOSSIERS_RECEIVED/series?place=86&from=2025&to=2025&at=2026-01-01');
      expect(year.points[0]).toMatchObject({ value: 250, target: 1000, regrouped: true });
    });

    it('ranks provinces by an indicator on the map of a date', async () => {
      const old = await get<RankingResponse>('/api/rankings?indicator=GRDP&period=2020&level=province&at=2020-12-31');
      expect(old.items).toHaveLength(63);
      expect(old.items.slice(0, 4).map((i) => [i.rank, i.place.code, i.value])).toEqual([
        [1, '01', 1_000_000],
        [2, '83', 60000],
        [3, '86', 58000],
        [4, '84', 55000],
      ]);
      expect(old.items.at(-1)?.rank).toBeNull();
      const now = await get<RankingResponse>('/api/rankings?indicator=GRDP&period=2020&level=province&at=2026-01-01');
      expect(now.items).toHaveLength(34);
      expect(now.items.slice(0, 2).map((i) => [i.place.code, i.value, i.regrouped])).toEqual([
        ['01', 1_000_000, true],
        ['86', 173000, true],
      ]);
    });

    it('answers bad requests with coded errors', async () => {
      const bad = async (url: string, status: number, error: string) => {
        const r = await s.app.inject(url);
        expect(r.statusCode, r.body).toBe(status);
        expect(r.json<{ error: string }>().error).toBe(error);
      };
      await bad('/api/overview?place=84&period=2025-10', 404, 'place_not_valid_at_date');
      await bad('/api/overview?place=86&period=2025-10-03', 400, 'invalid_parameter');
      await bad('/api/overview?place=86&period=October', 400, 'invalid_parameter');
      await bad('/api/indicators/NOPE/series?place=86&from=2025-01&to=2025-02', 404, 'unknown_indicator');
      await bad('/api/indicators/DOSSIERS_RECEIVED/series?place=86&from=2025-05&to=2025-01', 400, 'invalid_parameter');
    });
  });
}
