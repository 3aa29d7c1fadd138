import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorDefinitionSchema, type IndicatorDefinitionInput } from '@watchfloor/core';
import { IndicatorsRepository, migrateDownOne, migrateToLatest, ObservationsRepository, PlacesRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { ObservationWriter } from '../ingest/observations';
import type { OverviewItem, OverviewResponse, RankingResponse, SeriesResponse } from './schemas';

/**
 * The coverage of a daily series: a unit counts once in a month however
 * many days it sent, and only while it existed. Today's Vĩnh Long (86) has
 * 124 wards; today's Phường Trà Vinh (29242) was formed on 1 July 2025
 * from Phường 1 (29239), Phường 3 (the old 29242) and Phường 9 (29260).
 * Expectations by hand:
 * - June 2025, read on today's map at Phường Trà Vinh: Phường 1 sent 10 and
 *   5 on two days, Phường 3 sent 7, then Phường 9 sent 2: 2 of 3 wards, then
 *   3 of 3 (24). Today's ward holds their facts but did not exist on 30 June,
 *   so it is not a fourth.
 * - October 2025 at the province: five wards sent 1 on each of 1 and 2
 *   October (5/124, 10); then the same five 1 more each on 3 October and two
 *   more wards 1 each (7/124), and the first ward's 1 October corrected to 3
 *   (+2): 10 + 5 + 2 + 2 = 19; then an eighth ward sends from two sources at
 *   once, 1 each (8/124, 21).
 */
const RAIN: IndicatorDefinitionInput = {
  kind: 'base',
  code: 'RAIN',
  names: { vi: 'Lượng mưa', en: 'Rainfall' },
  unit: 'mm',
  domain: 'other',
  frequency: 'day',
  direction: 'higher_is_better',
  aggregation: { places: 'sum', time: 'sum' },
  collectedAt: ['commune'],
};
const MIGRATION = '2026-12-06-0042-rollup-reporting-units';

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`coverage of a daily series, on ${engine.engine}`, () => {
    let s: TestServer;
    let writer: ObservationWriter;
    let wards: string[];
    const rain = (place: string, period: string, value: number) => ({ indicator: 'RAIN', place, period, value });
    const write = async (rows: ReturnType<typeof rain>[]) => expect((await writer.write(rows, { source: 'test' })).rejected).toEqual([]);
    beforeAll(async () => {
      s = await openTestServer(engine);
      await new IndicatorsRepository(s.store.db).upsert([indicatorDefinitionSchema.parse(RAIN)], TEST_NOW);
      writer = new ObservationWriter(s.store, s.ctx.clock);
      wards = (await new PlacesRepository(s.store.db).listAt('2026-01-01', { parentCode: '86' }))
        .map((p) => p.code)
        .filter((c) => c !== '29242')
        .sort();
      expect(wards).toHaveLength(123);
      await write([
        rain('29239', '2025-06-05', 10),
        rain('29239', '2025-06-20', 5),
        rain('29242', '2025-06-05', 7),
        ...wards.slice(0, 5).flatMap((w) => [rain(w, '2025-10-01', 1), rain(w, '2025-10-02', 1)]),
      ]);
    });
    afterAll(async () => s?.close());

    const get = async <T>(url: string) => {
      const r = await s.app.inject(url);
      expect(r.statusCode, r.body).toBe(200);
      return r.json<T>();
    };
    const overview = async (place: string, period: string) => {
      const o = await get<OverviewResponse>(`/api/overview?place=${place}&period=${period}&at=2026-01-01`);
      const item: OverviewItem = o.indicators.find((i) => i.code === 'RAIN')!;
      return { value: item.value, complete: item.complete, coverage: item.coverage && { reported: item.coverage.reported, expected: item.coverage.expected, direct: item.coverage.direct } };
    };
    /** What a reader sees of the series' coverage, through each route that counts it. */
    const seen = async () => {
      const series = await get<SeriesResponse>('/api/indicators/RAIN/series?place=86&from=2025-09&to=2025-10&at=2026-01-01');
      const ranking = await get<RankingResponse>('/api/rankings?indicator=RAIN&period=2025-10&level=province&at=2026-01-01');
      const vl = ranking.items.find((i) => i.place.code === '86')!;
      return {
        ward: await overview('29242', '2025-06'),
        juneAtProvince: (await overview('86', '2025-06')).coverage?.reported,
        october: await overview('86', '2025-10'),
        series: series.points.map((p) => [p.period, p.value, p.coverage && `${p.coverage.reported}/${p.coverage.expected}`]),
        ranked: [vl.value, vl.coverage && `${vl.coverage.reported}/${vl.coverage.expected}`],
      };
    };

    it('counts each unit once however many days it sent, and only the units that existed at the end of the month', async () => {
      expect(await overview('29242', '2025-06')).toEqual({ value: 22, complete: false, coverage: { reported: 2, expected: 3, direct: false } });
      expect(await overview('86', '2025-10')).toEqual({ value: 10, complete: false, coverage: { reported: 5, expected: 124, direct: false } });

      await write([
        rain('29260', '2025-06-30', 2),
        ...wards.slice(0, 5).map((w) => rain(w, '2025-10-03', 1)),
        rain(wards[5]!, '2025-10-15', 1),
        rain(wards[6]!, '2025-10-15', 1),
        rain(wards[0]!, '2025-10-01', 3),
      ]);
      expect(await overview('29242', '2025-06')).toEqual({ value: 24, complete: true, coverage: { reported: 3, expected: 3, direct: false } });
      expect(await overview('86', '2025-10')).toEqual({ value: 19, complete: false, coverage: { reported: 7, expected: 124, direct: false } });
    });

    it('counts a unit once when two senders report its first days at the same time', async () => {
      await Promise.all([write([rain(wards[7]!, '2025-10-20', 1)]), write([rain(wards[7]!, '2025-10-21', 1)])]);
      expect(await overview('86', '2025-10')).toEqual({ value: 21, complete: false, coverage: { reported: 8, expected: 124, direct: false } });
    });

    it('says the same coverage after the rollup is rebuilt from the facts, and as counted by the migration that began keeping it', async () => {
      const kept = await seen();
      expect(kept).toEqual({
        ward: { value: 24, complete: true, coverage: { reported: 3, expected: 3, direct: false } },
        juneAtProvince: 3,
        october: { value: 21, complete: false, coverage: { reported: 8, expected: 124, direct: false } },
        series: [
          ['2025-09', null, '0/124'],
          ['2025-10', 21, '8/124'],
        ],
        ranked: [21, '8/124'],
      });
      await s.store.db.transaction().execute((trx) => new ObservationsRepository(trx, s.store).rebuildRollup());
      expect(await seen()).toEqual(kept);
      for (let name = await migrateDownOne(s.store); name !== MIGRATION; name = await migrateDownOne(s.store)) if (name === null) throw new Error(`${MIGRATION} was never reverted`);
      await migrateToLatest(s.store);
      expect(await seen()).toEqual(kept);
    });
  });
}
