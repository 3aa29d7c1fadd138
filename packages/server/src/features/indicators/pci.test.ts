import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, type TestServer } from '../../testing';
import type { OverviewResponse, RankingResponse } from '../analytics/schemas';

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`the real PCI, loaded, on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine, { data: 'pci' });
    });
    afterAll(async () => s?.close());

    it('gives Trà Vinh (84) the published weighted PCI 2016 of 57.6445, with what each sub-index adds', async () => {
      const r = await s.app.inject('/api/rankings?indicator=PCI&period=2016&level=province&at=2016-12-31');
      expect(r.statusCode, r.body).toBe(200);
      const ranking = r.json<RankingResponse>();
      expect(ranking.items.filter((i) => i.value !== null)).toHaveLength(63);
      const tv = ranking.items.find((i) => i.place.code === '84')!;
      expect(tv.value).toBe(57.6445);
      expect(tv.place.name).toBe('Tỉnh Trà Vinh');
      const components = tv.components!;
      expect(components).toHaveLength(10);
      // The 2016 weights recompute the published score from its sub-indices (published to four decimals).
      const recomputed = components.reduce((a, c) => a + (c.contribution ?? 0), 0);
      expect(Math.abs(recomputed - 57.6445)).toBeLessThan(0.001);
      expect(components.find((c) => c.code === 'PCI_TRANSPARENCY')).toMatchObject({ value: 6.1393, weight: 20 });
      // Ranks follow the published scores, best first.
      const values = ranking.items.flatMap((i) => (i.value === null ? [] : [i.value]));
      expect(values).toEqual([...values].sort((a, b) => b - a));
      expect(ranking.items[0]?.rank).toBe(1);
    });

    it('reads the same figure in the overview of Trà Vinh for 2016', async () => {
      const r = await s.app.inject('/api/overview?place=84&period=2016&at=2016-12-31&domain=enterprise');
      const o = r.json<OverviewResponse>();
      const pci = o.indicators.find((i) => i.code === 'PCI')!;
      expect(pci).toMatchObject({ value: 57.6445, regrouped: false });
      expect(pci.samePeriodLastYear?.value).toBe(57.5497);
    });
  });
}
