import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parLeafSchema, type ParLeaf, type ParUnitRef } from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { REFERENCE_DATA_DIR } from '../../paths';
import { openTestServer, registerSource, TEST_NOW, type TestServer } from '../../testing';
import { CATALOGUE_FILES, readCatalogues } from '../indicators/seed';
import { IOC_DATA_ON_TIME, IOC_DIRECTIVES_ON_TIME, scoreFromFigures, scoreUnitsFromFigures } from './computed';

/**
 * Computed and survey criteria scored from figures written here, through
 * the one write path, for the year 2026 (the clock reads 28 November 2026).
 * Only the indicators these criteria read are in the catalogue, so what is
 * expected of each agency (data on time) is known from this file alone.
 */
const CODES = [
  'PS_DOSSIER_RESOLVED',
  'PS_DOSSIER_ON_TIME',
  'PS_ON_TIME_RATE',
  'PS_DOSSIER_RECEIVED',
  'PS_DOSSIER_ONLINE',
  'PS_ONLINE_RATE',
  'CR_PROCESSED',
  'CR_PROCESSED_ON_TIME',
  'CR_ON_TIME_RATE',
  'SIPAS',
  'SIPAS_ACCESS',
  'SIPAS_PROCEDURES',
  'SIPAS_CIVIL_SERVANTS',
  'SIPAS_RESULTS',
  'SIPAS_FEEDBACK',
];

const leaf = (code: string, maxPoints: number, indicator: string, rule: unknown, method: 'computed' | 'survey' = 'computed'): ParLeaf =>
  parLeafSchema.parse({ code, name: code, maxPoints, method, indicator, rule });

// "100 % → 1; ≥ 95 % → 0.5; below → 0"
const ON_TIME = leaf('ON_TIME', 1, 'PS_ON_TIME_RATE', { kind: 'ladder', steps: [{ atLeast: 100, points: 1 }, { atLeast: 95, points: 0.5 }], otherwise: 0 });
// 50 % online scores 0, 100 % the maximum of 2.
const ONLINE = leaf('ONLINE', 2, 'PS_ONLINE_RATE', { kind: 'linear', from: 50, to: 100 });
const REPORTS = leaf('REPORTS', 1, 'CR_ON_TIME_RATE', { kind: 'ladder', steps: [{ atLeast: 90, points: 1 }, { atLeast: 70, points: 0.5 }], otherwise: 0 });
const SIPAS = leaf('SIPAS', 3, 'SIPAS', { kind: 'ladder', steps: [{ atLeast: 90, points: 3 }, { atLeast: 80, points: 2 }], otherwise: 1 }, 'survey');
const SIPAS_FEEDBACK = leaf('SIPAS_FEEDBACK', 1, 'SIPAS_FEEDBACK', { kind: 'linear', from: 0, to: 100 }, 'survey');
const DATA = leaf('DATA', 1, IOC_DATA_ON_TIME, { kind: 'ladder', steps: [{ atLeast: 90, points: 1 }, { atLeast: 50, points: 0.5 }], otherwise: 0 });
const DIRECTIVES = leaf('DIRECTIVES', 1, IOC_DIRECTIVES_ON_TIME, { kind: 'linear', from: 0, to: 100 });
// The same criterion bound to the directives' indicator by its own code: "100 % → 2; ≥ 70 % → 1; below → 0".
const DIRECTIVES_BY_CODE = leaf('DIRECTIVES_BY_CODE', 2, 'DIR_ON_TIME_RATE', { kind: 'ladder', steps: [{ atLeast: 100, points: 2 }, { atLeast: 70, points: 1 }], otherwise: 0 });
const SELF = parLeafSchema.parse({ code: 'SELF', name: 'self', maxPoints: 2, method: 'self' });

const department = (code: string): ParUnitRef => ({ code, name: code, nameEn: null, kind: 'department', placeCode: '86' });
const WARD: ParUnitRef = { code: 'UBND-29242', name: 'UBND phường Trà Vinh', nameEn: null, kind: 'commune', placeCode: '29242' };

const row = (indicator: string, place: string, period: string, value: number, organisation: string | null = null) => ({ indicator, place, period, value, organisation });

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`PAR Index criteria computed from figures on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine);
      const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.national, CATALOGUE_FILES.demo]);
      await new IndicatorsRepository(s.store.db).upsert(
        definitions.filter((d) => CODES.includes(d.code)),
        TEST_NOW,
      );
      // The directives' figures are of the catalogue the product ships; they owe nothing on a schedule, so data on time is unchanged.
      await new IndicatorsRepository(s.store.db).upsert((await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.directives])).definitions, TEST_NOW);
      await registerSource(s, { code: 'so-noi-vu', ownerOrganisationCode: 'VL-SNV', coverage: { organisations: ['VL-STC', 'VL-SYT', 'VL-TTHCC', 'UBND-29242'] } });
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/observations',
        payload: {
          source: 'so-noi-vu',
          observations: [
            // Sở Tài chính: 98 of 100 dossiers on time in January, 94 of 100 in February, 95 of 100 in October: 287 of 300.
            row('PS_DOSSIER_RESOLVED', '86', '2026-01', 100, 'VL-STC'),
            row('PS_DOSSIER_ON_TIME', '86', '2026-01', 98, 'VL-STC'),
            row('PS_DOSSIER_RESOLVED', '86', '2026-02', 100, 'VL-STC'),
            row('PS_DOSSIER_ON_TIME', '86', '2026-02', 94, 'VL-STC'),
            row('PS_DOSSIER_RESOLVED', '86', '2026-10', 100, 'VL-STC'),
            row('PS_DOSSIER_ON_TIME', '86', '2026-10', 95, 'VL-STC'),
            // 150 of 200 received online in January.
            row('PS_DOSSIER_RECEIVED', '86', '2026-01', 200, 'VL-STC'),
            row('PS_DOSSIER_ONLINE', '86', '2026-01', 150, 'VL-STC'),
            // The ward: 30 of 40 citizen reports on time in March, the ward's own total (no agency named).
            row('CR_PROCESSED', '29242', '2026-03', 40),
            row('CR_PROCESSED_ON_TIME', '29242', '2026-03', 30),
          ],
        },
      });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json<{ accepted: number }>().accepted).toBe(10);
      await s.app.figures.idle();
    });
    afterAll(async () => s?.close());

    it('scores a department’s dossier rates by the ladder and the linear scale, with the figure and its source', async () => {
      const got = await scoreFromFigures(s.ctx, { unit: department('VL-STC'), year: 2026, leaves: [ON_TIME, ONLINE, SELF] });
      // 287 / 300 = 95.666…% on time: at least 95, below 100: 0.5.
      expect(got.get('ON_TIME')?.points).toBe(0.5);
      expect(got.get('ON_TIME')?.basis).toMatchObject({ indicator: 'PS_ON_TIME_RATE', period: '2026', unit: '%', sources: ['so-noi-vu'], computedAt: TEST_NOW.replace('Z', '.000Z') });
      expect(got.get('ON_TIME')?.basis.value).toBeCloseTo((287 / 300) * 100, 6);
      expect(got.get('ON_TIME')?.basis.indicatorName).toBe('Tỷ lệ hồ sơ giải quyết trước và đúng hạn');
      // 75 % online: (75 − 50) / (100 − 50) × 2 = 1.
      expect(got.get('ONLINE')?.points).toBe(1);
      expect(got.get('ONLINE')?.basis.value).toBe(75);
      // A self-assessed criterion is not computed.
      expect(got.has('SELF')).toBe(false);
    });

    it('gives no points, and says why, to a department without a figure', async () => {
      const got = await scoreFromFigures(s.ctx, { unit: department('VL-SYT'), year: 2026, leaves: [ON_TIME] });
      expect(got.get('ON_TIME')).toMatchObject({ points: null, basis: { value: null, sources: [], note: 'No figure of PS_ON_TIME_RATE reported for VL-SYT in 2026' } });
    });

    it('reads a commune’s figure at its place', async () => {
      const got = await scoreFromFigures(s.ctx, { unit: WARD, year: 2026, leaves: [REPORTS] });
      // 30 / 40 = 75 %: at least 70, below 90: 0.5.
      expect(got.get('REPORTS')).toMatchObject({ points: 0.5, basis: { value: 75, sources: ['so-noi-vu'], note: null } });
    });

    it('scores SIPAS survey results sent for an agency and a year through the push ingest', async () => {
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/observations',
        payload: {
          source: 'so-noi-vu',
          observations: [row('SIPAS', '86', '2026', 88.5, 'VL-STC'), row('SIPAS_FEEDBACK', '86', '2026', 72.25, 'VL-STC'), row('SIPAS', '29242', '2026', 91, 'UBND-29242')],
        },
      });
      expect(r.json<{ accepted: number }>().accepted).toBe(3);
      await s.app.figures.idle();
      const dept = await scoreFromFigures(s.ctx, { unit: department('VL-STC'), year: 2026, leaves: [SIPAS, SIPAS_FEEDBACK] });
      // 88.5 %: at least 80, below 90: 2 of 3.
      expect(dept.get('SIPAS')).toMatchObject({ points: 2, basis: { indicator: 'SIPAS', value: 88.5, unit: '%', sources: ['so-noi-vu'] } });
      // 72.25 % on a scale from 0 to 100 of 1 point: 0.7225, kept to two decimals: 0.72.
      expect(dept.get('SIPAS_FEEDBACK')?.points).toBe(0.72);
      // The ward's survey was sent for its People's Committee: read as that organisation's figure at the ward (91 %: 3).
      const ward = await scoreFromFigures(s.ctx, { unit: WARD, year: 2026, leaves: [SIPAS] });
      expect(ward.get('SIPAS')).toMatchObject({ points: 3, basis: { value: 91 } });
    });

    it('scores data delivered on time from the freshness records, and no directive tasks where the agency leads none', async () => {
      // The catalogue makes the Public Administration Service Centre owe four monthly dossier counts (due 5 days after the month) and the two
      // rates made of them. The counts arrived through the Department of Home Affairs's source, whose owner now answers for them; the centre
      // still answers for the two rates. The on-time rate is made of counts that arrived for October (nothing owed until December 5): on time;
      // the online rate of counts that stop in January: late. 1 of 2 on time: 50 %, at least 50: 0.5.
      const got = await scoreFromFigures(s.ctx, { unit: department('VL-TTHCC'), year: 2026, leaves: [DATA, DIRECTIVES] });
      expect(got.get('DATA')).toMatchObject({ points: 0.5, basis: { value: 50, unit: '%' } });
      expect(got.get('DATA')?.basis.note).toContain('1 of 2');
      expect(got.get('DIRECTIVES')).toMatchObject({ points: null, basis: { indicator: 'DIR_ON_TIME_RATE', value: null, note: 'No figure of DIR_ON_TIME_RATE reported for VL-TTHCC in 2026' } });
    });

    it('scores directive tasks done on time from the agency’s yearly DIR_ON_TIME_RATE, by the older code or the indicator’s own', async () => {
      // 28 November, 10:00 in Vietnam. Sở Tài chính: three tasks due 30 November done now (on time), one due 20 November done now (8 days
      // late): 3 of 4 on time, 75 %. Sở Y tế: one task due 20 November not done: overdue, 0 of 1.
      const due = (key: string, lead: string, date: string) => ({ key, text: `Nhiệm vụ ${key}`, lead, deadline: { kind: 'date', date } });
      const saved = await s.app.inject({
        method: 'PUT',
        url: `/api/directives/documents/${encodeURIComponent('301/TB-UBND')}`,
        payload: {
          number: '301/TB-UBND',
          date: '2026-11-02',
          issuer: 'UBND tỉnh Vĩnh Long',
          signer: 'Chủ tịch (thử)',
          kind: 'conclusion',
          summary: 'Kết luận (thử nghiệm)',
          synthetic: true,
          tasks: [due('1', 'VL-STC', '2026-11-30'), due('2', 'VL-STC', '2026-11-30'), due('3', 'VL-STC', '2026-11-30'), due('4', 'VL-STC', '2026-11-20'), due('5', 'VL-SYT', '2026-11-20')],
        },
      });
      expect(saved.statusCode, saved.body).toBe(201);
      const ids = new Map(saved.json<{ tasks: { key: string; id: number }[] }>().tasks.map((t) => [t.key, t.id]));
      for (const key of ['1', '2', '3', '4']) {
        const r = await s.app.inject({ method: 'POST', url: `/api/directives/tasks/${ids.get(key)}/reports`, payload: { kind: 'done', text: 'Đã xong' } });
        expect(r.statusCode, r.body).toBe(201);
      }
      await s.ctx.directiveFigures!.idle();

      const stc = await scoreFromFigures(s.ctx, { unit: department('VL-STC'), year: 2026, leaves: [DIRECTIVES, DIRECTIVES_BY_CODE] });
      // 75 % on a scale from 0 to 100 of 1 point: 0.75; on the ladder, at least 70, below 100: 1 of 2.
      expect(stc.get('DIRECTIVES')).toMatchObject({ points: 0.75, basis: { indicator: 'DIR_ON_TIME_RATE', indicatorName: 'Tỷ lệ nhiệm vụ được giao hoàn thành đúng hạn', value: 75, unit: '%', sources: ['WF-DIRECTIVES'], note: null } });
      expect(stc.get('DIRECTIVES_BY_CODE')).toMatchObject({ points: 1, basis: { value: 75 } });
      const syt = await scoreFromFigures(s.ctx, { unit: department('VL-SYT'), year: 2026, leaves: [DIRECTIVES] });
      expect(syt.get('DIRECTIVES')).toMatchObject({ points: 0, basis: { value: 0 } });
      // Many units at once read the same figures.
      const many = await scoreUnitsFromFigures(s.ctx, { units: [department('VL-STC'), department('VL-SYT')], year: 2026, leaves: () => [DIRECTIVES] });
      expect([many.get('VL-STC')?.get('DIRECTIVES')?.points, many.get('VL-SYT')?.get('DIRECTIVES')?.points]).toEqual([0.75, 0]);
    });
  });
}
