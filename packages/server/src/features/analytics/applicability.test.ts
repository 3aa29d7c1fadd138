import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorDefinitionSchema, type IndicatorDefinitionInput } from '@watchfloor/core';
import { IndicatorsRepository, PlacesRepository, TargetsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { ObservationWriter } from '../ingest/observations';
import type { OverviewItem, OverviewResponse } from './schemas';

/**
 * Where an indicator applies and since when (the catalogue's collectedAt and
 * since), and a month judged against a year plan (planProgress), as the
 * overview answers them. Hà Nội (01) kept its code and borders in 2025, so
 * its figures need no regrouping; 29242 is a ward of Vĩnh Long (86).
 */
const month = { kind: 'base', domain: 'budget', unit: 'tỷ đồng', frequency: 'month', direction: 'higher_is_better', aggregation: { places: 'sum', time: 'sum' } } as const;
const CATALOGUE: IndicatorDefinitionInput[] = [
  // Province only, collected from November 2021, judged pro rata against its year plan.
  { ...month, code: 'REVENUE', names: { vi: 'Thu ngân sách', en: 'Revenue' }, collectedAt: ['province'], since: '2021-11', planProgress: 'pro_rata', delivery: { afterPeriodEndDays: 10 } },
  // Province only, judged by last year's months.
  { ...month, code: 'SPENDING', names: { vi: 'Chi ngân sách', en: 'Spending' }, collectedAt: ['province'], since: '2021-11', planProgress: 'seasonal' },
  // Per commune (and added up above), from July 2021.
  { ...month, code: 'DOSSIERS', domain: 'public_services', unit: 'hồ sơ', names: { vi: 'Hồ sơ', en: 'Dossiers' }, collectedAt: ['commune'], since: '2021-07', delivery: { afterPeriodEndDays: 5 } },
  // A rate of a province-only part: province only too, without saying so.
  { ...month, kind: 'derived', code: 'SPENDING_SHARE', unit: '%', names: { vi: 'Tỷ lệ chi', en: 'Spending share' }, formula: 'SPENDING / REVENUE * 100', aggregation: { places: 'ratio', time: 'ratio' }, ratio: { numerator: 'SPENDING', denominator: 'REVENUE', multiplier: 100 } },
];

const rows = (indicator: string, place: string, values: Record<string, number>) => Object.entries(values).map(([period, value]) => ({ indicator, place, period, value }));
const months = (year: number, from: number, to: number, value: number): Record<string, number> =>
  Object.fromEntries(Array.from({ length: to - from + 1 }, (_, i) => [`${year}-${String(from + i).padStart(2, '0')}`, value]));

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`where and since when figures apply, and the year plan's pace, on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine);
      await new IndicatorsRepository(s.store.db).upsert(CATALOGUE.map((d) => indicatorDefinitionSchema.parse(d)), TEST_NOW);
      const r = await new ObservationWriter(s.store, s.ctx.clock).write(
        [
          // Revenue 2026: 1.200 a month from January to October but September (never sent), 2.800 in November: 13.600 by the end of November.
          ...rows('REVENUE', '01', { '2021-11': 900, ...months(2026, 1, 8, 1200), '2026-10': 1200, '2026-11': 2800 }),
          // Spending 2025: 1.000 a month to November, 3.000 in December (14.000); 2026: 1.000 a month to October, 2.000 in November (12.000).
          ...rows('SPENDING', '01', { ...months(2025, 1, 11, 1000), '2025-12': 3000, ...months(2026, 1, 10, 1000), '2026-11': 2000 }),
          ...rows('DOSSIERS', '29242', { '2026-10': 40 }),
        ],
        { source: 'test' },
      );
      expect(r.rejected).toEqual([]);
      const hanoi = await new PlacesRepository(s.store.db).findAt('01', '2026-11-01');
      await new TargetsRepository(s.store.db).upsert(
        ['REVENUE', 'SPENDING'].map((code) => ({ indicatorCode: code, placeId: hanoi!.id, placeCode: '01', periodKey: '2026', value: 15_000, source: 'test' })),
        TEST_NOW,
      );
    });
    afterAll(async () => s?.close());

    const overview = async (query: string): Promise<OverviewResponse> => {
      const r = await s.app.inject(`/api/overview?${query}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json<OverviewResponse>();
    };
    const item = (o: OverviewResponse, code: string): OverviewItem => o.indicators.find((i) => i.code === code)!;

    it('marks a province-only indicator on a commune page as not collected at that level, with no "not received" and no lateness', async () => {
      const ward = await overview('place=29242&period=2026-10');
      expect(ward.place.level).toBe('commune');
      for (const code of ['REVENUE', 'SPENDING', 'SPENDING_SHARE']) {
        expect(item(ward, code)).toMatchObject({
          applicable: false,
          value: null,
          trend: [],
          status: { colour: 'unrated', reason: 'not_collected_at_level', stale: false, staleness: null },
        });
      }
      expect(item(ward, 'REVENUE').status.text).toEqual({ vi: 'Chỉ thu thập ở cấp tỉnh, không áp dụng cho cấp xã', en: 'Collected at province level only: does not apply at commune level' });
      expect(item(ward, 'REVENUE').freshness.state).toBe('no_expectation');
      // What is collected per commune is there.
      expect(item(ward, 'DOSSIERS')).toMatchObject({ applicable: true, value: 40 });
      // At the province both apply.
      const province = await overview('place=01&period=2026-10');
      expect(item(province, 'REVENUE')).toMatchObject({ applicable: true, value: 1200 });
      expect(item(province, 'SPENDING_SHARE').applicable).toBe(true);
    });

    it('says "not collected yet" before a series starts, never late; a figure owed and missing stays late', async () => {
      const before = await overview('place=01&period=2021-10');
      expect(item(before, 'REVENUE')).toMatchObject({
        applicable: true,
        value: null,
        status: {
          colour: 'grey',
          reason: 'not_collected_yet',
          text: { vi: 'Chưa thu thập: chuỗi số liệu bắt đầu từ tháng 11/2021', en: 'Not collected yet: the series starts in November 2021' },
          stale: false,
          staleness: { reason: 'not_collected_yet', dueDate: null, staleSince: null },
        },
      });
      expect(item(before, 'REVENUE').freshness.state).toBe('no_expectation');
      // The derived share starts when its latest part does.
      expect(item(before, 'SPENDING_SHARE').status.reason).toBe('not_collected_yet');
      // Dossiers start in July 2021: October 2021 is within the series.
      expect(item(before, 'DOSSIERS').status.reason).toBe('no_data');
      const year2020 = await overview('place=01&period=2020');
      expect(year2020.indicators.filter((i) => i.status.reason === 'not_collected_yet').map((i) => i.code).sort()).toEqual(['DOSSIERS', 'REVENUE', 'SPENDING', 'SPENDING_SHARE']);
      expect(year2020.indicators.some((i) => i.status.stale)).toBe(false);
      // September 2026 was owed by 10 October and never came: that is late.
      const september = await overview('place=01&period=2026-09');
      expect(item(september, 'REVENUE')).toMatchObject({ value: null, status: { colour: 'grey', reason: 'no_data', stale: true, staleness: { reason: 'overdue', dueDate: '2026-10-10' } } });
    });

    it('judges November against 11/12 of the year plan, pro rata, and says what it compared with', async () => {
      const o = await overview('place=01&period=2026-11');
      const revenue = item(o, 'REVENUE');
      expect(revenue.value).toBe(2800);
      expect(revenue.target).toBeNull();
      // 13.600 of 15.000 = 90,67 % of the year plan; 11/12 = 91,67 % expected: 13.600 / 13.750 = 98,9 % of the pace → amber.
      expect(revenue.ytd).toMatchObject({ period: '2026-YTD-11', value: 13_600, target: 15_000, expected: { basis: 'pro_rata', months: 11 } });
      expect(revenue.ytd!.percentOfYearPlan).toBeCloseTo(90.667, 3);
      expect(revenue.ytd!.expected!.percent).toBeCloseTo(91.667, 3);
      expect(revenue.status).toMatchObject({
        colour: 'amber',
        reason: 'plan_pace_near',
        text: {
          vi: 'Gần đạt tiến độ kế hoạch năm (90,7 % KH năm; kỳ vọng 91,7 % sau 11 tháng)',
          en: 'Close to the year plan’s pace (90.7% of the year plan; 91.7% expected after month 11)',
        },
      });
    });

    it('judges by last year’s months with a seasonal profile', async () => {
      const o = await overview('place=01&period=2026-11');
      const spending = item(o, 'SPENDING');
      // 2025 had 11.000 of 14.000 by November: 78,57 % expected; 2026 has 12.000 of 15.000 = 80 % → on pace.
      expect(spending.ytd).toMatchObject({ value: 12_000, target: 15_000, percentOfYearPlan: 80, expected: { basis: 'seasonal', months: 11 } });
      expect(spending.ytd!.expected!.percent).toBeCloseTo((11_000 / 14_000) * 100, 9);
      expect(spending.status).toMatchObject({ colour: 'green', reason: 'plan_pace_met' });
      expect(spending.status.text.vi).toBe('Đạt tiến độ kế hoạch năm (80 % KH năm; kỳ vọng 78,6 % sau 11 tháng (theo diễn biến năm trước))');
      // Pro rata the same 80 % would be behind 91,7 %: the profile is what makes it green.
      // A year is judged by its own plan, not by a pace.
      const year = await overview('place=01&period=2026');
      expect(item(year, 'SPENDING')).toMatchObject({ value: 12_000, target: 15_000, status: { reason: 'target_missed' } });
      expect(item(year, 'SPENDING').ytd?.expected ?? null).toBeNull();
    });
  });
}
