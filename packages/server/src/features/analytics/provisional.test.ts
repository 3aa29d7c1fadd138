import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorDefinitionSchema, type Revision } from '@watchfloor/core';
import { IndicatorsRepository, migrateDownOne, migrateToLatest, ObservationsRepository, PlacesRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { TEST_CATALOGUE } from '../observations/test-catalogue';
import { ObservationWriter } from '../ingest/observations';
import type { BreakdownResponse, OrganisationRankingResponse, OverviewItem, OverviewResponse, RankingResponse, SeriesResponse } from './schemas';

/**
 * Provisional (sơ bộ) and final (chính thức) figures, October 2025, in two
 * wards of today's Vĩnh Long (86): Phường Trà Vinh (29242) reports final
 * figures; Phường Long Đức (29263) sends its dossiers received as
 * provisional. Expectations by hand:
 * - received 200 (final) + 50 (provisional) = 250 at the province: provisional;
 * - resolved 180 + 20 = 200, on time 171 + 19 = 190, all final: the on-time
 *   rate 190 ÷ 200 = 95 % is final;
 * - pending = received − resolved = 50: provisional, since received is;
 * - the fourth quarter holds October: provisional too.
 */
const MIGRATION = '2026-12-06-0019-rollup-provisional';

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`provisional and final figures, on ${engine.engine}`, () => {
    let s: TestServer;
    let writer: ObservationWriter;
    beforeAll(async () => {
      s = await openTestServer(engine);
      await new IndicatorsRepository(s.store.db).upsert(TEST_CATALOGUE.map((d) => indicatorDefinitionSchema.parse(d)), TEST_NOW);
      writer = new ObservationWriter(s.store, s.ctx.clock);
      const r = await writer.write(
        [
          { indicator: 'DOSSIERS_RECEIVED', place: '29242', period: '2025-10', value: 200 },
          { indicator: 'DOSSIERS_RESOLVED', place: '29242', period: '2025-10', value: 180 },
          { indicator: 'DOSSIERS_ON_TIME', place: '29242', period: '2025-10', value: 171 },
          { indicator: 'DOSSIERS_RECEIVED', place: '29263', period: '2025-10', value: 50, status: 'provisional' },
          { indicator: 'DOSSIERS_RESOLVED', place: '29263', period: '2025-10', value: 20 },
          { indicator: 'DOSSIERS_ON_TIME', place: '29263', period: '2025-10', value: 19 },
          // Two agencies' resolved dossiers at the province: one provisional.
          { indicator: 'DOSSIERS_RESOLVED', place: '86', period: '2025-10', organisation: 'VL-STC', value: 40, status: 'provisional' },
          { indicator: 'DOSSIERS_RESOLVED', place: '86', period: '2025-10', organisation: 'VL-SYT', value: 30 },
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
    const overview = async (period = '2025-10') => {
      const o = await get<OverviewResponse>(`/api/overview?place=86&period=${period}&at=2026-01-01`);
      const item = (code: string): OverviewItem => o.indicators.find((i) => i.code === code)!;
      return (code: string) => ({ value: item(code).value, provisional: item(code).provisional });
    };
    const provisionalAtProvince = async () => {
      const vl = await new PlacesRepository(s.store.db).findAt('86', '2026-01-01');
      const rows = await new ObservationsRepository(s.store.db).rollup([vl!.id], ['2025-10'], ['DOSSIERS_RECEIVED', 'DOSSIERS_RESOLVED']);
      return Object.fromEntries(rows.map((r) => [`${r.indicatorCode} ${r.level}`, r.provisional]));
    };

    it('marks a province total provisional when one of its communes is, and every figure made from it', async () => {
      const item = await overview();
      expect(item('DOSSIERS_RECEIVED')).toEqual({ value: 250, provisional: true });
      expect(item('DOSSIERS_RESOLVED')).toEqual({ value: 200, provisional: false });
      expect(item('DOSSIERS_ON_TIME_RATE')).toEqual({ value: 95, provisional: false });
      expect(item('DOSSIERS_PENDING')).toEqual({ value: 50, provisional: true });
      expect((await overview('2025-Q4'))('DOSSIERS_RECEIVED')).toEqual({ value: 250, provisional: true });
    });

    it('marks the provisional point of a series, the provisional commune of a breakdown and of a ranking', async () => {
      const series = await get<SeriesResponse>('/api/indicators/DOSSIERS_RECEIVED/series?place=86&from=2025-09&to=2025-10&at=2026-01-01');
      expect(series.points.map((p) => [p.period, p.value, p.provisional])).toEqual([
        ['2025-09', null, false],
        ['2025-10', 250, true],
      ]);
      const breakdown = await get<BreakdownResponse>('/api/indicators/DOSSIERS_RECEIVED/breakdown?place=86&period=2025-10&at=2026-01-01&by=place');
      const rows = breakdown.items.filter((i) => i.value !== null).map((i) => [i.key, i.value, i.provisional]);
      expect(rows).toEqual([
        ['29242', 200, false],
        ['29263', 50, true],
      ]);
      const ranking = await get<RankingResponse>('/api/rankings?indicator=DOSSIERS_RECEIVED&period=2025-10&level=commune&parent=86&at=2026-01-01');
      expect(ranking.items.filter((i) => i.value !== null).map((i) => [i.rank, i.place.code, i.provisional])).toEqual([
        [1, '29242', false],
        [2, '29263', true],
      ]);
      const agencies = await get<OrganisationRankingResponse>('/api/rankings/organisations?indicator=DOSSIERS_RESOLVED&period=2025-10&place=86&at=2026-01-01');
      expect(agencies.items.map((i) => [i.key, i.value, i.provisional])).toEqual([
        ['VL-STC', 40, true],
        ['VL-SYT', 30, false],
      ]);
    });

    it('counts the same provisional facts when the rollup is rebuilt from the facts, or counted by the migration that added the count', async () => {
      const kept = await provisionalAtProvince();
      expect(kept).toEqual({ 'DOSSIERS_RECEIVED commune': 1, 'DOSSIERS_RESOLVED commune': 0 });
      await s.store.db.transaction().execute((trx) => new ObservationsRepository(trx, s.store).rebuildRollup());
      expect(await provisionalAtProvince()).toEqual(kept);
      for (let name = await migrateDownOne(s.store); name !== MIGRATION; name = await migrateDownOne(s.store)) if (name === null) throw new Error(`${MIGRATION} was never reverted`);
      await migrateToLatest(s.store);
      expect(await provisionalAtProvince()).toEqual(kept);
    });

    it('clears the mark when the same value is sent final, keeping the provisional revision in the history', async () => {
      const r = await writer.write([{ indicator: 'DOSSIERS_RECEIVED', place: '29263', period: '2025-10', value: 50, status: 'final' }], { source: 'test' });
      expect(r).toMatchObject({ accepted: 1, created: 0, revised: 1, unchanged: 0 });
      const item = await overview();
      expect(item('DOSSIERS_RECEIVED')).toEqual({ value: 250, provisional: false });
      expect(item('DOSSIERS_PENDING')).toEqual({ value: 50, provisional: false });
      expect(await provisionalAtProvince()).toEqual({ 'DOSSIERS_RECEIVED commune': 0, 'DOSSIERS_RESOLVED commune': 0 });
      const history = await get<{ revisions: Revision[] }>('/api/observations/history?indicator=DOSSIERS_RECEIVED&place=29263&period=2025-10');
      expect(history.revisions.map((x) => [x.revision, x.value, x.status])).toEqual([
        [1, 50, 'provisional'],
        [2, 50, 'final'],
      ]);
      // Sent final again: nothing changes, no third revision.
      expect(await writer.write([{ indicator: 'DOSSIERS_RECEIVED', place: '29263', period: '2025-10', value: 50, status: 'final' }], { source: 'test' })).toMatchObject({ unchanged: 1, revised: 0 });
      expect((await get<{ revisions: Revision[] }>('/api/observations/history?indicator=DOSSIERS_RECEIVED&place=29263&period=2025-10')).revisions).toHaveLength(2);
    });

    it('marks a final figure provisional again when a provisional revision replaces it', async () => {
      await writer.write([{ indicator: 'DOSSIERS_RESOLVED', place: '29242', period: '2025-10', value: 181, status: 'provisional' }], { source: 'test' });
      const item = await overview();
      // Resolved 181 + 20 = 201; on time 190 ÷ 201; pending 250 − 201 = 49.
      expect(item('DOSSIERS_RESOLVED')).toEqual({ value: 201, provisional: true });
      expect(item('DOSSIERS_ON_TIME_RATE')).toEqual({ value: (190 / 201) * 100, provisional: true });
      expect(item('DOSSIERS_PENDING')).toEqual({ value: 49, provisional: true });
    });
  });
}
