import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorDefinitionSchema } from '@watchfloor/core';
import { ALL_ROWS, IndicatorsRepository, ObservationsRepository, PlacesRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { ObservationWriter } from './observations';
import { TEST_CATALOGUE } from '../observations/test-catalogue';

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`the observation write path on ${engine.engine}`, () => {
    let s: TestServer;
    let writer: ObservationWriter;
    const prov = { source: 'test' };
    beforeAll(async () => {
      s = await openTestServer(engine);
      await new IndicatorsRepository(s.store.db).upsert(TEST_CATALOGUE.map((d) => indicatorDefinitionSchema.parse(d)), TEST_NOW);
      writer = new ObservationWriter(s.store, s.ctx.clock);
    });
    afterAll(async () => s?.close());

    const rollupAt = async (code: string, at: string, indicator: string, period: string) => {
      const place = await new PlacesRepository(s.store.db).findAt(code, at);
      const rows = await new ObservationsRepository(s.store.db).rollup([place!.id], [period], [indicator]);
      return Object.fromEntries(rows.map((r) => [r.level, r]));
    };

    it('accepts good rows and refuses each bad one with a coded reason, keeping the rest', async () => {
      const r = await writer.write(
        [
          { indicator: 'DOSSIERS_RECEIVED', place: '29239', period: '2020-05', value: 120 },
          { indicator: 'NO_SUCH', place: '29239', period: '2020-05', value: 1 },
          { indicator: 'DOSSIERS_RECEIVED', place: '99999', period: '2020-05', value: 1 },
          { indicator: 'DOSSIERS_RECEIVED', place: '84', period: '2026-01', value: 1 },
          { indicator: 'DOSSIERS_RECEIVED', place: '29242', period: '2020-Q2', value: 1 },
          { indicator: 'DOSSIERS_RECEIVED', place: '29242', period: '2020-13', value: 1 },
          { indicator: 'DOSSIERS_RECEIVED', place: '29242', period: '2020-05', value: 'many' },
          { indicator: 'PM25', place: '29242', period: '2026-01-05', value: -5 },
          { indicator: 'DOSSIERS_ON_TIME_RATE', place: '29242', period: '2020-05', value: 90 },
          { indicator: 'DOSSIERS_PENDING', place: '29242', period: '2020-05', value: 3 },
          { indicator: 'DOSSIERS_RECEIVED', place: '29239', period: '2020-05', value: 121 },
          { indicator: 'DOSSIERS_RECEIVED', place: '29242', period: '2020-05', value: 80, organisation: 'NOPE' },
          { indicator: 'GRDP', place: '84', period: '2020', value: 55, unit: 'triệu USD' },
        ],
        prov,
      );
      expect(r).toMatchObject({ received: 13, accepted: 1, created: 1, revised: 0, unchanged: 0 });
      expect(r.rejected.map((x) => [x.index, x.reason])).toEqual([
        [1, 'unknown_indicator'],
        [2, 'unknown_place'],
        [3, 'place_not_valid_in_period'],
        [4, 'period_does_not_match_frequency'],
        [5, 'invalid_period'],
        [6, 'invalid_row'],
        [7, 'below_valid_range'],
        [8, 'not_a_base_indicator'],
        [9, 'not_a_base_indicator'],
        [10, 'duplicate_in_batch'],
        [11, 'unknown_organisation'],
        [12, 'unit_mismatch'],
      ]);
      for (const x of r.rejected) expect(x.message.length).toBeGreaterThan(10);
    });

    it('changes nothing when a batch is sent again, and keeps each revision of a figure', async () => {
      const batch = [
        { indicator: 'DOSSIERS_RECEIVED', place: '29239', period: '2020-05', value: 120 },
        { indicator: 'DOSSIERS_RECEIVED', place: '29242', period: '2020-05', value: 80 },
      ];
      expect(await writer.write(batch, prov)).toMatchObject({ accepted: 2, created: 1, unchanged: 1 });
      expect(await writer.write(batch, prov)).toMatchObject({ accepted: 2, created: 0, revised: 0, unchanged: 2 });
      expect((await rollupAt('29242', '2020-01-01', 'DOSSIERS_RECEIVED', '2020-05')).commune).toMatchObject({ sum: 80, facts: 1 });

      const revised = await writer.write([{ indicator: 'DOSSIERS_RECEIVED', place: '29242', period: '2020-05', value: 85, status: 'provisional' }], { source: 'manual', enteredBy: 'can.bo@travinh' });
      expect(revised).toMatchObject({ revised: 1 });
      const place = await new PlacesRepository(s.store.db).findAt('29242', '2020-05-31');
      const h = await new ObservationsRepository(s.store.db).history('DOSSIERS_RECEIVED', place!.id, '2020-05', '', ALL_ROWS);
      expect(h?.revisions.map((x) => [x.revision, x.value, x.status, x.source, x.entered_by])).toEqual([
        [1, 80, 'final', 'test', null],
        [2, 85, 'provisional', 'manual', 'can.bo@travinh'],
      ]);
    });

    it('rolls facts up to the district and province of their time, and through lineage onto the 2025 map', async () => {
      // Phường 1 (120) and Phường 3 (85) of Thành phố Trà Vinh, May 2020.
      expect((await rollupAt('842', '2020-01-01', 'DOSSIERS_RECEIVED', '2020-05')).commune).toMatchObject({ sum: 205, facts: 2, estimated: 0 });
      expect((await rollupAt('84', '2020-01-01', 'DOSSIERS_RECEIVED', '2020-05')).commune).toMatchObject({ sum: 205 });
      expect((await rollupAt('VN', '2020-01-01', 'DOSSIERS_RECEIVED', '2020-05')).commune).toMatchObject({ sum: 205 });
      // Both became part of Phường Trà Vinh (29242) and so of the new Vĩnh Long (86).
      expect((await rollupAt('29242', '2026-01-01', 'DOSSIERS_RECEIVED', '2020-05')).commune).toMatchObject({ sum: 205, estimated: 0 });
      expect((await rollupAt('86', '2026-01-01', 'DOSSIERS_RECEIVED', '2020-05')).commune).toMatchObject({ sum: 205 });
    });

    it('splits a commune that went to two wards by share, flagged estimated, yet whole at the province', async () => {
      // Xã Hòa Lộc (28924) was divided between Xã Tân Thành Bình (28921) and Xã Hòa Hiệp (29734).
      await writer.write([{ indicator: 'DOSSIERS_RECEIVED', place: '28924', period: '2021-03', value: 100 }], prov);
      const a = (await rollupAt('28921', '2026-01-01', 'DOSSIERS_RECEIVED', '2021-03')).commune;
      const b = (await rollupAt('29734', '2026-01-01', 'DOSSIERS_RECEIVED', '2021-03')).commune;
      expect(a).toMatchObject({ sum: 50, estimated: 1 });
      expect(b).toMatchObject({ sum: 50, estimated: 1 });
      expect((await rollupAt('86', '2026-01-01', 'DOSSIERS_RECEIVED', '2021-03')).commune).toMatchObject({ sum: 100, estimated: 0 });
    });

    it('regroups the three old provinces into the new Vĩnh Long, keeping province totals apart from commune sums', async () => {
      await writer.write(
        [
          { indicator: 'GRDP', place: '83', period: '2020', value: 60000 },
          { indicator: 'GRDP', place: '84', period: '2020', value: 55000 },
          { indicator: 'GRDP', place: '86', period: '2020', value: 58000 },
          { indicator: 'GRDP', place: '86', period: '2025', value: 190000, status: 'estimated' },
        ],
        prov,
      );
      expect((await rollupAt('84', '2020-01-01', 'GRDP', '2020')).province).toMatchObject({ sum: 55000, facts: 1 });
      const now = await rollupAt('86', '2026-01-01', 'GRDP', '2020');
      expect(now.province).toMatchObject({ sum: 173000, facts: 3 });
      // The old Vĩnh Long (also code 86) keeps its own figure.
      expect((await rollupAt('86', '2020-01-01', 'GRDP', '2020')).province).toMatchObject({ sum: 58000 });
      // 2025 was reported for the new province, whole, as an estimate.
      expect((await rollupAt('86', '2026-01-01', 'GRDP', '2025')).province).toMatchObject({ sum: 190000, estimated: 1 });
    });

    it('keeps daily facts under their month, revisions included', async () => {
      const days = ['2026-01-01', '2026-01-02', '2026-01-03'].map((d, i) => ({ indicator: 'PM25', place: '29242', period: d, value: [30, 60, 90][i]! }));
      await writer.write(days, prov);
      expect((await rollupAt('29242', '2026-01-01', 'PM25', '2026-01')).commune).toMatchObject({ sum: 180, weight: 3, min: 30, max: 90, lastEnd: '2026-01-03', lastSum: 90 });
      await writer.write([{ indicator: 'PM25', place: '29242', period: '2026-01-03', value: 45 }], prov);
      expect((await rollupAt('29242', '2026-01-01', 'PM25', '2026-01')).commune).toMatchObject({ sum: 135, weight: 3, lastSum: 45 });
    });

    it('converts a pushed value from the unit it states into the indicator’s, and says how each row is stored', async () => {
      const r = await writer.write(
        [
          // GRDP is kept in tỷ đồng.
          { indicator: 'GRDP', place: '83', period: '2019', value: 61234.5, unit: 'nghìn tỷ đồng' },
          { indicator: 'GRDP', place: '84', period: '2019', value: 1.7, unit: 'tr.đ' },
          { indicator: 'GRDP', place: '86', period: '2019', value: 58000, unit: 'Tỷ đồng' },
          { indicator: 'GRDP', place: 'Tỉnh Trà Vinh', period: '2018', value: 50000 },
        ],
        prov,
      );
      expect(r).toMatchObject({ accepted: 4, created: 4, rejected: [] });
      expect(r.stored).toEqual([
        { index: 0, place: '83', placeName: null, organisation: null, value: 61234500, unit: 'tỷ đồng' },
        { index: 1, place: '84', placeName: null, organisation: null, value: 0.0017, unit: 'tỷ đồng' },
        { index: 3, place: '84', placeName: 'Tỉnh Trà Vinh', organisation: null, value: 50000, unit: 'tỷ đồng' },
      ]);
      expect((await rollupAt('84', '2020-01-01', 'GRDP', '2019')).province).toMatchObject({ sum: 0.0017 });
      expect((await rollupAt('83', '2020-01-01', 'GRDP', '2019')).province).toMatchObject({ sum: 61234500 });
      expect((await rollupAt('84', '2020-01-01', 'GRDP', '2018')).province).toMatchObject({ sum: 50000 });
    });

    it('recounts the extremes of an indicator read by its maximum when a revision lowers the top value', async () => {
      const days = ['2026-02-01', '2026-02-02'].map((d, i) => ({ indicator: 'WATER_LEVEL_MAX', place: '29242', period: d, value: [150, 180][i]! }));
      await writer.write(days, prov);
      expect((await rollupAt('86', '2026-03-01', 'WATER_LEVEL_MAX', '2026-02')).commune).toMatchObject({ max: 180 });
      await writer.write([{ indicator: 'WATER_LEVEL_MAX', place: '29242', period: '2026-02-02', value: 120 }], prov);
      expect((await rollupAt('86', '2026-03-01', 'WATER_LEVEL_MAX', '2026-02')).commune).toMatchObject({ min: 120, max: 150 });
    });
  });
}
