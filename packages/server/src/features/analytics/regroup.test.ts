import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorDefinitionSchema } from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { TEST_CATALOGUE } from '../observations/test-catalogue';
import { ObservationWriter } from '../ingest/observations';
import type { BreakdownResponse, OverviewItem, OverviewResponse } from './schemas';

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
