import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, type TestServer } from '../../testing';
import type { OverviewResponse, RankingResponse } from '../analytics/schemas';

// Published PAPI 2016 totals (unweighted sum of the six dimensions) of the three provinces the new Vĩnh Long was formed from,
// as data/indices/papi_vietnam_2011_2016_by_province.csv holds them (lines 367–369).
const BEN_TRE = 38.36595582962036;
const TRA_VINH = 33.624526023864746;
const VINH_LONG_OLD = 36.07677936553955;

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`the real PAPI, loaded, on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine, { data: 'pci' });
    });
    afterAll(async () => s?.close());

    const get = async <T>(url: string) => {
      const r = await s.app.inject(url);
      expect(r.statusCode, r.body).toBe(200);
      return r.json<T>();
    };

    it('ranks the 63 provinces of 2016 by their published PAPI, Trà Vinh (84) 59th with 33.6245', async () => {
      const ranking = await get<RankingResponse>('/api/rankings?indicator=PAPI&period=2016&level=province&at=2016-12-31');
      expect(ranking.items.filter((i) => i.value !== null)).toHaveLength(63);
      const values = ranking.items.flatMap((i) => (i.value === null ? [] : [i.value]));
      expect(values).toEqual([...values].sort((a, b) => b - a));
      // 58 provinces scored above Trà Vinh in 2016 (Cần Thơ first with 39.5721; Quảng Ninh and Bình Dương below it).
      expect(ranking.items.find((i) => i.place.code === '84')).toMatchObject({ value: TRA_VINH, rank: 59, place: { name: 'Tỉnh Trà Vinh' } });
      expect(ranking.items[0]).toMatchObject({ rank: 1, value: 39.57212591171265, place: { code: '92' } });
      // 2014 has no scores for Bắc Giang and Đồng Tháp in the source: 61 ranked.
      const y2014 = await get<RankingResponse>('/api/rankings?indicator=PAPI&period=2014&level=province&at=2014-12-31');
      expect(y2014.items.filter((i) => i.rank !== null)).toHaveLength(61);
      expect(y2014.items.find((i) => i.place.code === '24')).toMatchObject({ value: null, rank: null });
    });

    it('shows Trà Vinh its PAPI 2016 and a dimension in the overview, against 2015', async () => {
      const o = await get<OverviewResponse>('/api/overview?place=84&period=2016&at=2016-12-31&domain=other');
      expect(o.indicators.find((i) => i.code === 'PAPI')).toMatchObject({ value: TRA_VINH, regrouped: false, regrouping: null, samePeriodLastYear: { period: '2015', value: 35.25202465057373 } });
      expect(o.indicators.find((i) => i.code === 'PAPI_CORRUPTION')).toMatchObject({ value: 6.161190986633301 });
    });

    it('leaves the new Vĩnh Long (86) without a PAPI of its own for 2016, the three former provinces’ scores beside it, unranked', async () => {
      const o = await get<OverviewResponse>('/api/overview?place=86&period=2016&at=2026-01-01&domain=other');
      const papi = o.indicators.find((i) => i.code === 'PAPI')!;
      // Not (38.3660 + 33.6245 + 36.0768) / 3 = 36.0225, the plain mean of the three.
      expect(papi).toMatchObject({ value: null, regrouped: false });
      expect(papi.status).toMatchObject({ colour: 'unrated', reason: 'not_defined_for_unit' });
      expect(papi.regrouping).toMatchObject({ by: 'none' });
      expect(papi.regrouping!.units.map((u) => [u.code, u.validTo, u.value])).toEqual([
        ['83', '2025-06-30', BEN_TRE],
        ['84', '2025-06-30', TRA_VINH],
        ['86', '2025-06-30', VINH_LONG_OLD],
      ]);
      const ranking = await get<RankingResponse>('/api/rankings?indicator=PAPI&period=2016&level=province&at=2026-01-01');
      expect(ranking.items.find((i) => i.place.code === '86')).toMatchObject({ value: null, rank: null, regrouping: { by: 'none' } });
    });
  });
}
