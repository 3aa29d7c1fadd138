import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorDefinitionSchema, type IndicatorDefinitionInput } from '@watchfloor/core';
import { IndicatorsRepository, PlacesRepository, TargetsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { ObservationWriter } from '../ingest/observations';
import type { BreakdownResponse, OverviewItem, OverviewResponse, RankingResponse, SeriesResponse } from './schemas';

/**
 * Coverage on every aggregate. Today's Vĩnh Long (86) has 124 communes and
 * wards; Hà Nội (01) keeps its own. Expectations by hand:
 * - tourist arrivals, October 2026: 3 of Vĩnh Long's 124 wards sent 10.000,
 *   15.000 and 13.700 = 38.700; October 2025 all 124 sent 3.000 = 372.000.
 *   Compared, that would be −89.6 % and 9.7 % of a 400.000 plan: the sum is
 *   3/124, complete: false, and compared, coloured and ranked by nothing.
 *   Every commune of Hà Nội sent 1.000: its sum is complete and ranked 1st.
 *   Its year to date is those 3 wards' October alone: 3/124 too, and not
 *   set against the year plan of 4.000.000.
 * - the on-time rate needs 95 % coverage: in October 118 of 124 wards sent
 *   their parts (118 ÷ 124 = 95,2 %): complete, 9 ÷ 10 = 90 %, green (≥ 85);
 *   in September 117 (94,4 %): incomplete. October's year to date is as
 *   complete as September: 117/124, incomplete.
 * - revenue is collected at province level: Vĩnh Long's own 5.000 is
 *   complete in itself (direct), judged against its plan of 4.000 (125 %).
 *   October 2024, regrouped onto today's Vĩnh Long from the three provinces
 *   it absorbed: Bến Tre (83) and Trà Vinh (84) reported, the old Vĩnh Long
 *   did not: 2 of 3 provinces, incomplete.
 * - a score weighted by population: 3 wards of 10.000 people reported, the
 *   other 121 have 5.000 each: the reporting share of the weight is
 *   30.000 ÷ (30.000 + 605.000) = 30.000 ÷ 635.000.
 */
const month = { kind: 'base', domain: 'tourism', unit: 'lượt', frequency: 'month', direction: 'higher_is_better', aggregation: { places: 'sum', time: 'sum' } } as const;
const CATALOGUE: IndicatorDefinitionInput[] = [
  { ...month, code: 'ARRIVALS', names: { vi: 'Lượt khách', en: 'Tourist arrivals' }, collectedAt: ['commune'] },
  { ...month, code: 'RESOLVED', domain: 'public_services', unit: 'hồ sơ', names: { vi: 'Đã giải quyết', en: 'Resolved' }, collectedAt: ['commune'] },
  { ...month, code: 'ON_TIME', domain: 'public_services', unit: 'hồ sơ', names: { vi: 'Đúng hạn', en: 'On time' }, collectedAt: ['commune'] },
  {
    ...month,
    code: 'ON_TIME_RATE',
    domain: 'public_services',
    unit: '%',
    names: { vi: 'Tỷ lệ đúng hạn', en: 'On-time rate' },
    aggregation: { places: 'ratio', time: 'ratio' },
    ratio: { numerator: 'ON_TIME', denominator: 'RESOLVED', multiplier: 100 },
    thresholds: { green: 85, amber: 70 },
    coverageRequired: 95,
  },
  { ...month, code: 'REVENUE', domain: 'budget', unit: 'tỷ đồng', names: { vi: 'Thu ngân sách', en: 'Revenue' }, collectedAt: ['province'] },
  { ...month, code: 'POPULATION', frequency: 'year', domain: 'other', unit: 'người', names: { vi: 'Dân số', en: 'Population' }, collectedAt: ['commune'], aggregation: { places: 'sum', time: 'last' } },
  {
    ...month,
    code: 'SCORE',
    domain: 'other',
    unit: 'điểm',
    names: { vi: 'Điểm hài lòng', en: 'Satisfaction score' },
    collectedAt: ['commune'],
    aggregation: { places: 'weighted_mean', time: 'mean' },
    weightCode: 'POPULATION',
  },
];

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`coverage of aggregates, on ${engine.engine}`, () => {
    let s: TestServer;
    let wards: string[];
    beforeAll(async () => {
      s = await openTestServer(engine);
      await new IndicatorsRepository(s.store.db).upsert(CATALOGUE.map((d) => indicatorDefinitionSchema.parse(d)), TEST_NOW);
      const places = new PlacesRepository(s.store.db);
      wards = (await places.listAt('2026-11-01', { parentCode: '86' })).map((p) => p.code).sort();
      const hanoi = (await places.listAt('2026-11-01', { parentCode: '01' })).map((p) => p.code);
      expect(wards).toHaveLength(124);
      const parts = (period: string, n: number) =>
        wards.slice(0, n).flatMap((place) => [
          { indicator: 'RESOLVED', place, period, value: 10 },
          { indicator: 'ON_TIME', place, period, value: 9 },
        ]);
      const r = await new ObservationWriter(s.store, s.ctx.clock).write(
        [
          ...[10_000, 15_000, 13_700].map((value, i) => ({ indicator: 'ARRIVALS', place: wards[i]!, period: '2026-10', value })),
          ...wards.map((place) => ({ indicator: 'ARRIVALS', place, period: '2025-10', value: 3000 })),
          ...hanoi.map((place) => ({ indicator: 'ARRIVALS', place, period: '2026-10', value: 1000 })),
          ...parts('2026-10', 118),
          ...parts('2026-09', 117),
          { indicator: 'REVENUE', place: '86', period: '2026-10', value: 5000 },
          { indicator: 'REVENUE', place: '83', period: '2024-10', value: 2100 },
          { indicator: 'REVENUE', place: '84', period: '2024-10', value: 1900 },
          ...wards.map((place, i) => ({ indicator: 'POPULATION', place, period: '2026', value: i < 3 ? 10_000 : 5000 })),
          ...[70, 80, 90].map((value, i) => ({ indicator: 'SCORE', place: wards[i]!, period: '2026-10', value })),
        ],
        { source: 'test' },
      );
      expect(r.rejected).toEqual([]);
      const vl = await places.findAt('86', '2026-11-01');
      await new TargetsRepository(s.store.db).upsert(
        [
          { indicatorCode: 'ARRIVALS', placeId: vl!.id, placeCode: '86', periodKey: '2026-10', value: 400_000, source: 'test' },
          { indicatorCode: 'ARRIVALS', placeId: vl!.id, placeCode: '86', periodKey: '2026', value: 4_000_000, source: 'test' },
          { indicatorCode: 'REVENUE', placeId: vl!.id, placeCode: '86', periodKey: '2026-10', value: 4000, source: 'test' },
        ],
        TEST_NOW,
      );
    });
    afterAll(async () => s?.close());

    const get = async <T>(url: string) => {
      const r = await s.app.inject(url);
      expect(r.statusCode, r.body).toBe(200);
      return r.json<T>();
    };
    const overview = async (period: string) => {
      const o = await get<OverviewResponse>(`/api/overview?place=86&period=${period}&at=2026-11-01`);
      return (code: string): OverviewItem => o.indicators.find((i) => i.code === code)!;
    };

    it('shows a sum from 3 of 124 wards as incomplete: no plan, no last year, no colour', async () => {
      const arrivals = (await overview('2026-10'))('ARRIVALS');
      expect(arrivals).toMatchObject({ value: 38_700, complete: false, coverage: { level: 'commune', reported: 3, expected: 124, direct: false, required: 100, weightShare: null } });
      expect(arrivals.status).toMatchObject({ colour: 'unrated', reason: 'incomplete' });
      expect(arrivals.status.text).toEqual({
        vi: 'Chưa đầy đủ: 3/124 xã báo cáo (cần 100 %); không so sánh, không đánh giá',
        en: 'Incomplete: 3 of 124 communes reported (100 % needed); not compared or rated',
      });
      expect(arrivals.target).toBe(400_000);
      expect(arrivals.percentOfPlan).toBeNull();
      // Last year's figure is shown; the −89.6 % is not.
      expect(arrivals.samePeriodLastYear).toEqual({ period: '2025-10', value: 372_000, growth: null });
      // Its year to date is those 3 wards' October alone, incomplete too: shown with its coverage, never set against
      // the year plan of 4.000.000 (0,97 % of it, were it compared).
      expect(arrivals.ytd).toMatchObject({
        period: '2026-YTD-10',
        value: 38_700,
        complete: false,
        provisional: false,
        coverage: { level: 'commune', reported: 3, expected: 124, direct: false, required: 100, weightShare: null },
        target: 4_000_000,
        percentOfYearPlan: null,
      });
      // Last year all 124 reported: that figure is complete.
      const lastYear = (await overview('2025-10'))('ARRIVALS');
      expect(lastYear).toMatchObject({ value: 372_000, complete: true, coverage: { reported: 124, expected: 124 } });
    });

    it('carries the coverage into the series, the breakdown and the ranking, where the incomplete sum has no rank', async () => {
      const series = await get<SeriesResponse>('/api/indicators/ARRIVALS/series?place=86&from=2026-09&to=2026-10&at=2026-11-01');
      expect(series.points.map((p) => [p.period, p.value, p.complete, p.coverage && `${p.coverage.reported}/${p.coverage.expected}`])).toEqual([
        ['2026-09', null, false, '0/124'],
        ['2026-10', 38_700, false, '3/124'],
      ]);
      const breakdown = await get<BreakdownResponse>('/api/indicators/ARRIVALS/breakdown?place=86&period=2026-10&at=2026-11-01&by=place');
      const reporting = breakdown.items.filter((i) => i.value !== null);
      expect(reporting.map((i) => [i.key, i.value, i.complete, i.coverage?.direct])).toEqual([
        [wards[0], 10_000, true, true],
        [wards[1], 15_000, true, true],
        [wards[2], 13_700, true, true],
      ]);
      const ranking = await get<RankingResponse>('/api/rankings?indicator=ARRIVALS&period=2026-10&level=province&at=2026-11-01');
      const of = (code: string) => ranking.items.find((i) => i.place.code === code)!;
      // Hà Nội: every commune, 1.000 each, ranked first; Vĩnh Long's larger but partial 38.700 is shown without a rank.
      expect(of('01')).toMatchObject({ rank: 1, complete: true });
      expect(of('01').value).toBe(of('01').coverage!.expected * 1000);
      expect(of('86')).toMatchObject({ rank: null, value: 38_700, complete: false, coverage: { reported: 3, expected: 124 } });
    });

    it('counts a rate complete at 95 % coverage when its catalogue accepts 95 %, and not at 94 %', async () => {
      const october = (await overview('2026-10'))('ON_TIME_RATE');
      expect(october.value).toBeCloseTo(90, 10);
      expect(october).toMatchObject({ complete: true, coverage: { level: 'commune', reported: 118, expected: 124, required: 95 } });
      expect(october.status).toMatchObject({ colour: 'green', reason: 'meets_green' });
      // Its year to date is as complete as its least complete month, September's 117: incomplete, though October is not.
      expect(october.ytd).toMatchObject({ period: '2026-YTD-10', complete: false, coverage: { reported: 117, expected: 124, required: 95 } });
      expect(october.ytd!.value).toBeCloseTo(90, 10);
      const september = (await overview('2026-09'))('ON_TIME_RATE');
      expect(september.value).toBeCloseTo(90, 10);
      expect(september).toMatchObject({ complete: false, coverage: { reported: 117, expected: 124, required: 95 } });
      expect(september.status).toMatchObject({ colour: 'unrated', reason: 'incomplete' });
    });

    it('takes a figure the province reported itself as complete in itself, and says so', async () => {
      const revenue = (await overview('2026-10'))('REVENUE');
      expect(revenue).toMatchObject({ value: 5000, complete: true, coverage: { level: 'province', reported: 1, expected: 1, direct: true } });
      expect(revenue.status).toMatchObject({ colour: 'green', reason: 'target_met' });
      expect(revenue.percentOfPlan).toBe(125);
      expect(revenue.ytd).toMatchObject({ period: '2026-YTD-10', value: 5000, complete: true, coverage: { direct: true } });
      // Regrouped from the provinces of the time, it is as complete as they were: 2 of 3.
      const regrouped = (await overview('2024-10'))('REVENUE');
      expect(regrouped).toMatchObject({ value: 4000, complete: false, coverage: { level: 'province', reported: 2, expected: 3, direct: false } });
    });

    it("says a weighted figure's share of its weight that reported", async () => {
      const score = (await overview('2026-10'))('SCORE');
      expect(score).toMatchObject({ complete: false, coverage: { level: 'commune', reported: 3, expected: 124 } });
      expect(score.coverage!.weightShare).toBeCloseTo(30_000 / 635_000, 12);
    });
  });
}
