import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { fixedClock, type CaseDetail, type ScorecardsResponse } from '@watchfloor/core';
import { SourcesRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { REFERENCE_DATA_DIR } from '../../paths';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { seedCaseCategories } from '../cases/seed';

const TRA_VINH = { lat: 9.9063, lon: 106.3419 };
const dossier = (code: string, receivedAt: string, dueAt: string, resolvedAt: string | null) => ({
  code,
  procedure: '1.001234',
  organisation: 'VL-TTHCC',
  receivedAt: `${receivedAt}+07:00`,
  dueAt: `${dueAt}+07:00`,
  resolvedAt: resolvedAt === null ? null : `${resolvedAt}+07:00`,
  channel: 'online',
});

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`agency scorecards on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine);
      await seedCaseCategories(s.store, { dataDir: REFERENCE_DATA_DIR, clock: s.ctx.clock });
      const post = async (url: string, payload: Record<string, unknown>) => {
        const r = await s.app.inject({ method: 'POST', url, payload });
        expect(r.statusCode, r.body).toBeLessThan(300);
        return r.json<CaseDetail>();
      };
      // Two road cases for the construction department (48 hours each): one resolved in time, one late.
      s.ctx.clock = fixedClock('2026-11-20T03:00:00Z');
      const early = await post('/api/cases', { category: 'GIAO_THONG', title: 'Ổ gà', ...TRA_VINH });
      const late = await post('/api/cases', { category: 'GIAO_THONG', title: 'Đèn hỏng', ...TRA_VINH });
      for (const [c, resolvedAt] of [[early, '2026-11-21T03:00:00Z'], [late, '2026-11-25T03:00:00Z']] as const) {
        s.ctx.clock = fixedClock(resolvedAt);
        for (const status of ['received', 'assigned', 'in_progress', 'resolved']) await post(`/api/cases/${c.id}/status`, { status });
      }
      s.ctx.clock = fixedClock(TEST_NOW);
      // The public administration centre: two of three dossiers processed in November on time.
      const saved = await s.app.inject({
        method: 'PUT',
        url: '/api/dossiers',
        payload: {
          dossiers: [
            dossier('A', '2026-11-02T08:00:00', '2026-11-06T17:00:00', '2026-11-05T10:00:00'),
            dossier('B', '2026-11-03T08:00:00', '2026-11-10T17:00:00', '2026-11-10T16:00:00'),
            dossier('C', '2026-11-04T08:00:00', '2026-11-07T17:00:00', '2026-11-12T09:00:00'),
          ],
        },
      });
      expect(saved.statusCode, saved.body).toBe(200);
      // The construction department's hourly feed has been silent since yesterday: its data are late.
      await new SourcesRepository(s.store.db).insert({
        code: 'SXD-PUSH',
        name: 'Sở Xây dựng — đẩy',
        kind: 'http_push',
        ownerOrgCode: 'VL-SXD',
        expected: { every: 'PT1H' },
        schedule: null,
        mapping: null,
        credentialsEnc: null,
        tokenHash: null,
        enabled: true,
        updatedAt: '2026-11-27T00:00:00Z',
        createdAt: '2026-11-27T00:00:00Z',
      });
    });
    afterAll(async () => s?.close());

    it('ranks the agencies of the province by composite, each component with its value, weight and contribution', async () => {
      const r = await s.app.inject('/api/scorecards?period=2026-11&place=86');
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json<ScorecardsResponse>();
      expect(body).toMatchObject({ period: { key: '2026-11', from: '2026-11-01', to: '2026-11-30' }, place: { code: '86' }, asOf: '2026-11-28T03:00:00.000Z' });
      expect(body.weights).toEqual({ dossierOnTime: 0.32, caseOnTime: 0.24, directivesOnTime: 0.2, dataPunctuality: 0.24 });
      const scored = body.agencies.filter((a) => a.composite !== null);
      expect(scored.map((a) => [a.rank, a.organisation.code, a.composite])).toEqual([
        [1, 'VL-TTHCC', 66.67],
        [2, 'VL-SXD', 25],
      ]);
      const sxd = scored[1];
      expect(sxd).toMatchObject({ casesReceived: 2, casesHandled: 2, lateData: 1 });
      // Cases and data weigh 24 each: half the score apiece, as no dossier or directive task counts.
      expect(sxd?.components).toEqual([
        { key: 'dossierOnTime', numerator: 0, denominator: 0, value: null, weight: 0.32, effectiveWeight: 0, contribution: null },
        { key: 'caseOnTime', numerator: 1, denominator: 2, value: 0.5, weight: 0.24, effectiveWeight: 0.5, contribution: 25 },
        { key: 'directivesOnTime', numerator: 0, denominator: 0, value: null, weight: 0.2, effectiveWeight: 0, contribution: null },
        { key: 'dataPunctuality', numerator: 0, denominator: 1, value: 0, weight: 0.24, effectiveWeight: 0.5, contribution: 0 },
      ]);
      // Agencies with nothing to score are listed last, without a rank or a zero.
      expect(body.agencies.slice(2).every((a) => a.rank === null && a.composite === null)).toBe(true);
    });

    it('writes the scorecards to a workbook in their order, each rate in percent beside its parts', async () => {
      const body = (await s.app.inject('/api/scorecards?period=2026-11&place=86')).json<ScorecardsResponse>();
      const r = await s.app.inject('/api/scorecards?period=2026-11&place=86&format=xlsx');
      expect(r.headers['content-disposition']).toBe('attachment; filename="scorecards-86-2026-11.xlsx"');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const sheet = book.worksheets[0]!;
      expect(sheet.rowCount).toBe(1 + body.agencies.length);
      expect((sheet.getRow(1).values as unknown[]).slice(1, 8)).toEqual(['Hạng', 'Mã cơ quan', 'Cơ quan', 'Điểm tổng hợp (0–100)', 'Hồ sơ TTHC đúng hạn (%)', 'Hồ sơ TTHC đúng hạn: đạt', 'Hồ sơ TTHC đúng hạn: tổng']);
      expect(body.agencies.map((_, i) => sheet.getRow(i + 2).getCell(2).value)).toEqual(body.agencies.map((a) => a.organisation.code));
      // Sở Xây dựng: 25 points; cases 1 of 2 on time (50 %), data 0 of 1 (0 %), no dossier (empty, never 0).
      const sxd = sheet.getRow(3);
      expect([1, 2, 4, 5, 6, 7, 8, 9, 10, 17, 18].map((c) => sxd.getCell(c).value ?? null)).toEqual([2, 'VL-SXD', 25, null, 0, 0, 50, 1, 2, 2, 1]);
      expect(sxd.getCell(14).value).toBe(0);
    });

    it('counts nothing in another period, and refuses a malformed period or an unknown place', async () => {
      const october = (await s.app.inject('/api/scorecards?period=2026-10')).json<ScorecardsResponse>();
      expect(october.agencies.find((a) => a.organisation.code === 'VL-TTHCC')?.composite).toBeNull();
      // Data punctuality is as of now, whatever the period.
      expect(october.agencies.find((a) => a.organisation.code === 'VL-SXD')?.composite).toBe(0);
      expect((await s.app.inject('/api/scorecards?period=2026-13')).statusCode).toBe(400);
      const unknown = await s.app.inject('/api/scorecards?place=99999');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ error: 'unknown_place_code' });
    });
  });
}
