import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorDefinitionSchema } from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { TEST_CATALOGUE } from '../observations/test-catalogue';
import { ObservationWriter } from '../ingest/observations';
import type { BreakdownResponse, OverviewItem, OverviewResponse, RankingResponse, SeriesResponse } from './schemas';

const dossiers = (place: string, period: string, received: number, resolved: number, onTime: number) => [
  { indicator: 'DOSSIERS_RECEIVED', place, period, value: received },
  { indicator: 'DOSSIERS_RESOLVED', place, period, value: resolved },
  { indicator: 'DOSSIERS_ON_TIME', place, period, value: onTime },
];

/**
 * Figures of units that no longer exist, read on today's map through the
 * API leaders use (overview and breakdown over the rollup): what was added
 * up, averaged or divided, and what is flagged.
 */
for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`old units read on today's map, on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine);
      await new IndicatorsRepository(s.store.db).upsert(TEST_CATALOGUE.map((d) => indicatorDefinitionSchema.parse(d)), TEST_NOW);
      const r = await new ObservationWriter(s.store, s.ctx.clock).write(
        [
          // Phường 1 (29239) and Phường 3 (29242) of the old Trà Vinh city, both merged whole into today's Phường Trà Vinh (29242).
          ...dossiers('29239', '2024-10', 100, 90, 81),
          ...dossiers('29242', '2024-10', 60, 50, 49),
          { indicator: 'PM25', place: '29239', period: '2024-10-05', value: 30 },
          { indicator: 'PM25', place: '29242', period: '2024-10-05', value: 60 },
          { indicator: 'WATER_LEVEL_MAX', place: '29239', period: '2024-10-05', value: 120 },
          { indicator: 'WATER_LEVEL_MAX', place: '29242', period: '2024-10-05', value: 150 },
          // Xã Hòa Lộc (28924), divided between Xã Tân Thành Bình (28921) and Xã Hòa Hiệp (29734) with no share recorded: half each.
          ...dossiers('28924', '2021-03', 100, 40, 30),
        ],
        { source: 'test' },
      );
      expect(r.rejected).toEqual([]);
    });
    afterAll(async () => s?.close());

    const get = async <T>(url: string) => {
      const r = await s.app.inject(url);
      expect(r.statusCode, r.body).toBe(200);
      return r.json<T>();
    };
    const item = (o: OverviewResponse, code: string): OverviewItem | undefined => o.indicators.find((i) => i.code === code);

    it('adds up merged units, and divides a rate’s summed parts rather than averaging the old rates', async () => {
      const o = await get<OverviewResponse>('/api/overview?place=29242&period=2024-10&at=2026-01-01');
      expect(o.regrouped).toBe(true);
      expect(item(o, 'DOSSIERS_RECEIVED')).toMatchObject({ value: 160, facts: 2, regrouped: true, estimated: false });
      // (81 + 49) / (90 + 50) = 92.86%, not the 94% the mean of 90% and 98% would give.
      expect(item(o, 'DOSSIERS_ON_TIME_RATE')?.value).toBeCloseTo((130 / 140) * 100, 10);
      expect(item(o, 'DOSSIERS_ON_TIME_RATE')).toMatchObject({ regrouped: true, estimated: false });
      expect(item(o, 'DOSSIERS_PENDING')?.value).toBe(20);
    });

    it('averages a mean over the merged units and keeps the highest of a maximum', async () => {
      const o = await get<OverviewResponse>('/api/overview?place=29242&period=2024-10&at=2026-01-01');
      expect(item(o, 'PM25')).toMatchObject({ value: 45, regrouped: true, estimated: false });
      expect(item(o, 'WATER_LEVEL_MAX')).toMatchObject({ value: 150, regrouped: true, estimated: false });
    });

    it('gives each unit a split one went to its share, flagged estimated, the rate kept from the moved parts, and the province whole', async () => {
      const one = await get<OverviewResponse>('/api/overview?place=28921&period=2021-03&at=2026-01-01');
      expect(item(one, 'DOSSIERS_RECEIVED')).toMatchObject({ value: 50, regrouped: true, estimated: true });
      // 15 of 20: the same 75% as the whole commune, yet estimated.
      expect(item(one, 'DOSSIERS_ON_TIME_RATE')?.value).toBeCloseTo(75, 10);
      expect(item(one, 'DOSSIERS_ON_TIME_RATE')?.estimated).toBe(true);
      const communes = await get<BreakdownResponse>('/api/indicators/DOSSIERS_RECEIVED/breakdown?place=86&period=2021-03&at=2026-01-01');
      expect(communes.items.filter((c) => c.value !== null).map((c) => [c.key, c.value, c.estimated]).sort()).toEqual([
        ['28921', 50, true],
        ['29734', 50, true],
      ]);
      const province = await get<OverviewResponse>('/api/overview?place=86&period=2021-03&at=2026-01-01');
      expect(item(province, 'DOSSIERS_RECEIVED')).toMatchObject({ value: 100, estimated: false });
    });

    it('leaves a unit that nothing moved to without a value, not at zero', async () => {
      const communes = await get<BreakdownResponse>('/api/indicators/DOSSIERS_RECEIVED/breakdown?place=86&period=2024-10&at=2026-01-01');
      expect(communes.items.find((c) => c.key === '29242')).toMatchObject({ value: 160, regrouped: true });
      expect(communes.items.find((c) => c.key === '29263')).toMatchObject({ value: null, facts: 0 });
    });
  });
}

const yearly = { kind: 'base', domain: 'other', frequency: 'year', direction: 'higher_is_better', collectedAt: ['province'], names: { vi: 'x', en: 'x' } } as const;
/** Scores and weights of provinces, as a governance index publishes them: one value per province and year. */
const SCORES = [
  // A published index score (PAPI-like): a mean over places, so by default it does not regroup.
  { ...yearly, code: 'GOV_SCORE', unit: 'điểm', aggregation: { places: 'mean', time: 'last' } },
  { ...yearly, code: 'POP', unit: 'người', aggregation: { places: 'sum', time: 'last' } },
  // A share of households, regrouped as a population-weighted mean of the provinces' own shares.
  { ...yearly, code: 'HOUSEHOLD_SHARE', unit: '%', aggregation: { places: 'mean', time: 'last' }, regroup: { by: 'weighted_mean', weight: 'POP' } },
  // Growth weighted by output, over places and over quarters.
  { ...yearly, code: 'OUTPUT', frequency: 'quarter', unit: 'tỷ đồng', aggregation: { places: 'sum', time: 'sum' } },
  { ...yearly, code: 'GROWTH', frequency: 'quarter', unit: '%', aggregation: { places: 'weighted_mean', time: 'weighted_mean' }, weightCode: 'OUTPUT' },
  // A commune satisfaction score weighted by each commune's population.
  { ...yearly, code: 'WARD_POP', collectedAt: ['commune'], unit: 'người', aggregation: { places: 'sum', time: 'last' } },
  { ...yearly, code: 'WARD_SCORE', frequency: 'month', collectedAt: ['commune'], unit: 'điểm', aggregation: { places: 'weighted_mean', time: 'mean' }, weightCode: 'WARD_POP', coverageRequired: 0 },
];

/**
 * Scores and weighted means across the 1 July 2025 merger: Bến Tre (83),
 * Trà Vinh (84) and the old Vĩnh Long (86) became today's Vĩnh Long (86).
 */
for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`scores and weighted means across the merger, on ${engine.engine}`, () => {
    let s: TestServer;
    const pop = { '83': 1_300_000, '84': 1_000_000, '86': 1_030_000 };
    beforeAll(async () => {
      s = await openTestServer(engine);
      await new IndicatorsRepository(s.store.db).upsert(SCORES.map((d) => indicatorDefinitionSchema.parse(d)), TEST_NOW);
      const province = (place: keyof typeof pop, score: number, share: number) => [
        { indicator: 'GOV_SCORE', place, period: '2016', value: score },
        { indicator: 'POP', place, period: '2016', value: pop[place] },
        { indicator: 'HOUSEHOLD_SHARE', place, period: '2016', value: share },
      ];
      const r = await new ObservationWriter(s.store, s.ctx.clock).write(
        [
          ...province('83', 35.52, 60),
          ...province('84', 36.48, 70),
          ...province('86', 36.06, 80),
          // Hà Nội went on whole under a new record on 1 July 2025: its score stays its own.
          { indicator: 'GOV_SCORE', place: '01', period: '2016', value: 40.1 },
          // Growth: Trà Vinh 2025-Q1 and Q2 (before the merger), today's Vĩnh Long 2025-Q3 (after).
          { indicator: 'OUTPUT', place: '84', period: '2025-Q1', value: 100 },
          { indicator: 'GROWTH', place: '84', period: '2025-Q1', value: 5 },
          { indicator: 'OUTPUT', place: '83', period: '2025-Q1', value: 300 },
          { indicator: 'GROWTH', place: '83', period: '2025-Q1', value: 9 },
          { indicator: 'OUTPUT', place: '84', period: '2025-Q2', value: 300 },
          { indicator: 'GROWTH', place: '84', period: '2025-Q2', value: 7 },
          { indicator: 'OUTPUT', place: '86', period: '2025-Q3', value: 600 },
          { indicator: 'GROWTH', place: '86', period: '2025-Q3', value: 8 },
          // Two of today's wards: Phường Trà Vinh (29242), 30,000 people scoring 70; Phường Long Đức (29263), 10,000 scoring 90.
          { indicator: 'WARD_POP', place: '29242', period: '2026', value: 30_000 },
          { indicator: 'WARD_POP', place: '29263', period: '2026', value: 10_000 },
          { indicator: 'WARD_SCORE', place: '29242', period: '2026-10', value: 70 },
          { indicator: 'WARD_SCORE', place: '29263', period: '2026-10', value: 90 },
        ],
        { source: 'test' },
      );
      expect(r.rejected).toEqual([]);
    });
    afterAll(async () => s?.close());

    const get = async <T>(url: string) => {
      const r = await s.app.inject(url);
      expect(r.statusCode, r.body).toBe(200);
      return r.json<T>();
    };
    const item = async (url: string, code: string) => (await get<OverviewResponse>(url)).indicators.find((i) => i.code === code)!;

    it('leaves an index score undefined for a unit that did not exist, with the former units’ own scores beside it and no rank', async () => {
      const score = await item('/api/overview?place=86&period=2016&at=2026-01-01', 'GOV_SCORE');
      // Not 36.02, the plain mean of the three.
      expect(score).toMatchObject({ value: null, estimated: false, complete: false, regrouped: false });
      expect(score.status).toMatchObject({ colour: 'unrated', reason: 'not_defined_for_unit', stale: false });
      expect(score.regrouping).toMatchObject({ by: 'none', weight: null });
      expect(score.regrouping!.units.map((u) => [u.code, u.level, u.validTo, u.value])).toEqual([
        ['83', 'province', '2025-06-30', 35.52],
        ['84', 'province', '2025-06-30', 36.48],
        ['86', 'province', '2025-06-30', 36.06],
      ]);
      const ranked = await get<RankingResponse>('/api/rankings?indicator=GOV_SCORE&period=2016&level=province&at=2026-01-01');
      expect(ranked.items.find((i) => i.place.code === '86')).toMatchObject({ rank: null, value: null, regrouping: { by: 'none' } });
      expect(ranked.items.filter((i) => i.rank !== null).map((i) => [i.rank, i.place.code, i.value, i.regrouping])).toEqual([[1, '01', 40.1, null]]);
      // On the map of 2016 each province has its own score, ranked.
      const then = await get<RankingResponse>('/api/rankings?indicator=GOV_SCORE&period=2016&level=province&at=2016-06-01');
      expect(then.items.filter((i) => i.rank !== null).map((i) => [i.rank, i.place.code, i.value])).toEqual([
        [1, '01', 40.1],
        [2, '84', 36.48],
        [3, '86', 36.06],
        [4, '83', 35.52],
      ]);
      const own = await item('/api/overview?place=84&period=2016&at=2016-06-01', 'GOV_SCORE');
      expect(own).toMatchObject({ value: 36.48, regrouping: null, estimated: false });
    });

    it('regroups a population-weighted mean, flagged estimated, with each unit’s value and weight', async () => {
      const share = await item('/api/overview?place=86&period=2016&at=2026-01-01', 'HOUSEHOLD_SHARE');
      // (60 × 1,300,000 + 70 × 1,000,000 + 80 × 1,030,000) ÷ 3,330,000 = 69.189…, not the plain mean 70.
      expect(share.value).toBeCloseTo((60 * 1_300_000 + 70 * 1_000_000 + 80 * 1_030_000) / 3_330_000, 10);
      expect(share).toMatchObject({ estimated: true, complete: true, coverage: { level: 'province', reported: 3, expected: 3, weightShare: 1 } });
      expect(share.regrouping).toMatchObject({ by: 'weighted_mean', weight: 'POP' });
      expect(share.regrouping!.units.map((u) => [u.code, u.value, u.weight])).toEqual([
        ['83', 60, 1_300_000],
        ['84', 70, 1_000_000],
        ['86', 80, 1_030_000],
      ]);
      // The population itself adds up, exactly.
      expect(await item('/api/overview?place=86&period=2016&at=2026-01-01', 'POP')).toMatchObject({ value: 3_330_000, estimated: false, regrouping: null });
    });

    it('weighs a weighted mean by its real weights over quarters and across the merger', async () => {
      // 2025 to September: Q1 from Bến Tre and Trà Vinh, Q2 from Trà Vinh, Q3 today's Vĩnh Long's own:
      // (9 × 300 + 5 × 100 + 7 × 300 + 8 × 600) ÷ 1,300 = 7.8461…, not the plain mean 7.25 of the four.
      const growth = await item('/api/overview?place=86&period=2025-Q3&at=2026-01-01', 'GROWTH');
      expect(growth.value).toBe(8);
      expect(growth.ytd?.value).toBeCloseTo((9 * 300 + 5 * 100 + 7 * 300 + 8 * 600) / 1300, 10);
      // A series of quarters: Q1 regrouped (estimated), Q3 the unit's own.
      const series = await get<SeriesResponse>('/api/indicators/GROWTH/series?place=86&from=2025-Q1&to=2025-Q3&at=2026-01-01');
      expect(series.points.map((p) => [p.period, p.value, p.estimated])).toEqual([
        ['2025-Q1', (9 * 300 + 5 * 100) / 400, true],
        ['2025-Q2', 7, true],
        ['2025-Q3', 8, false],
      ]);
      // Trà Vinh's own 2025 first half, on the map of its time: weighted by its own quarters' output, (5 × 100 + 7 × 300) ÷ 400 = 6.5, not 6.
      const own = await item('/api/overview?place=84&period=2025-Q2&at=2025-06-01', 'GROWTH');
      expect(own.ytd).toMatchObject({ value: 6.5 });
      expect(own).toMatchObject({ value: 7, estimated: false, regrouping: null });
    });

    it('weighs communes by their population, not alike', async () => {
      const score = await item('/api/overview?place=86&period=2026-10&at=2026-11-01', 'WARD_SCORE');
      // (70 × 30,000 + 90 × 10,000) ÷ 40,000 = 75; the plain mean would be 80.
      expect(score).toMatchObject({ value: 75, estimated: false, coverage: { level: 'commune', reported: 2 } });
      expect(score.regrouping?.by).toBe('weighted_mean');
    });
  });
}
