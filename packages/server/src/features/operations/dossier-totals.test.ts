import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndicatorsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { REFERENCE_DATA_DIR } from '../../paths';
import { TEST_NOW, type TestServer } from '../../testing';
import { CATALOGUE_FILES, readCatalogues } from '../indicators/seed';
import { multipart, openSourcesServer } from '../sources/test-support';

/**
 * An agency's monthly dossier report as a province's departments send it:
 * title rows giving the month, one row per agency and unit, a column per
 * measure, a total row. Loaded unmodified through the source's saved
 * mapping. The clock reads 28 November 2026; the report is October's.
 */
const SHEET = [
  'UBND TỈNH VĨNH LONG',
  'BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH',
  'THÁNG 10 NĂM 2026',
  '',
  'Cơ quan,Địa bàn,Tiếp nhận,Kỳ trước chuyển sang,Đúng hạn,Trễ hạn,Đang giải quyết',
  'VL-STC,86,120,15,100,8,27',
  'VL-SXD,86,60,5,50,10,5',
  'Sở Y tế,29242,30,0,25,1,4',
  'Tổng cộng,,210,20,175,19,36',
];

const MAPPING = {
  target: 'dossier_totals',
  values: [
    { column: 'Tiếp nhận', indicator: 'PS_DOSSIER_RECEIVED' },
    { column: 'Kỳ trước chuyển sang', indicator: 'PS_DOSSIER_CARRIED_OVER' },
    { column: 'Đúng hạn', indicator: 'PS_DOSSIER_ON_TIME' },
    { column: 'Trễ hạn', indicator: 'PS_DOSSIER_LATE' },
    { column: 'Đang giải quyết', indicator: 'PS_DOSSIER_PENDING' },
  ],
};

/** The sheet's agency rows as numbers, read here from its own text. */
const reported = SHEET.slice(5, 8).map((line) => {
  const [organisation, place, received, carriedOver, onTime, late, pending] = line.split(',');
  return { organisation: organisation!, place: place!, received: Number(received), carriedOver: Number(carriedOver), onTime: Number(onTime), late: Number(late), pending: Number(pending) };
});
const ofAgency = (name: string) => reported.find((r) => r.organisation === name)!;

// Instants in Vietnam's time.
const dossier = (code: string, receivedAt: string, dueAt: string, resolvedAt: string) => ({
  code,
  procedure: '1.001234',
  organisation: 'VL-SXD',
  receivedAt: `${receivedAt}+07:00`,
  dueAt: `${dueAt}+07:00`,
  resolvedAt: `${resolvedAt}+07:00`,
  channel: 'offline',
});
/**
 * Sở Xây dựng's October as records, at the province (no commune): one
 * resolved a day before its due day (early), one on its due day before
 * the hour (on time), one after it (late). Received 3, carried over 0,
 * resolved 3, on time 2 (early included), late 1, pending 0.
 */
const SXD_RECORDS = [
  dossier('SXD-1', '2026-10-05T08:00:00', '2026-10-10T17:00:00', '2026-10-09T10:00:00'),
  dossier('SXD-2', '2026-10-15T08:00:00', '2026-10-25T17:00:00', '2026-10-25T09:00:00'),
  dossier('SXD-3', '2026-10-12T08:00:00', '2026-10-20T17:00:00', '2026-10-22T10:00:00'),
];
const SXD_COUNTED = { received: 3, carriedOver: 0, onTime: 2, late: 1, pending: 0 };

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`reported dossier totals on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openSourcesServer(engine);
      const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.demo]);
      await new IndicatorsRepository(s.store.db).upsert(definitions, TEST_NOW);
    });
    afterAll(async () => s?.close());

    const post = async (url: string, payload: Record<string, unknown>) => {
      const r = await s.app.inject({ method: 'POST', url, payload });
      expect(r.statusCode, r.body).toBeLessThan(300);
      return r;
    };
    /** October's figure of an indicator for a place, once the recomputes have run. */
    const figure = async (code: string, place: string): Promise<number | null> => {
      await s.app.figures.idle();
      const r = await s.app.inject(`/api/indicators/${code}/series?place=${place}&from=2026-10&to=2026-10`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json<{ points: { period: string; value: number | null }[] }>().points.find((p) => p.period === '2026-10')?.value ?? null;
    };
    /** October's figure of an indicator per agency, under a place. */
    const byAgency = async (code: string, place: string): Promise<Record<string, number | null>> => {
      await s.app.figures.idle();
      const r = await s.app.inject(`/api/indicators/${code}/breakdown?place=${place}&period=2026-10&by=organisation`);
      expect(r.statusCode, r.body).toBe(200);
      return Object.fromEntries(r.json<{ items: { key: string; value: number | null }[] }>().items.map((i) => [i.key, i.value]));
    };
    const measures = async (place: string) => ({
      received: await figure('PS_DOSSIER_RECEIVED', place),
      carriedOver: await figure('PS_DOSSIER_CARRIED_OVER', place),
      toProcess: await figure('PS_DOSSIER_TO_PROCESS', place),
      resolved: await figure('PS_DOSSIER_RESOLVED', place),
      onTime: await figure('PS_DOSSIER_ON_TIME', place),
      late: await figure('PS_DOSSIER_LATE', place),
      pending: await figure('PS_DOSSIER_PENDING', place),
    });
    /** The measures of agency rows added up: resolved is on time plus late (the sheet gives no resolved column). */
    const expected = (rows: readonly { received: number; carriedOver: number; onTime: number; late: number; pending: number }[]) => {
      const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((n, r) => n + f(r), 0);
      const received = sum((r) => r.received);
      const carriedOver = sum((r) => r.carriedOver);
      return { received, carriedOver, toProcess: received + carriedOver, resolved: sum((r) => r.onTime + r.late), onTime: sum((r) => r.onTime), late: sum((r) => r.late), pending: sum((r) => r.pending) };
    };
    /** Per agency under the province: where its October figure comes from, and the source its freshness names. */
    const madeOf = async (code: string) => {
      await s.app.figures.idle();
      const r = await s.app.inject(`/api/indicators/${code}/breakdown?place=86&period=2026-10&by=organisation`);
      return Object.fromEntries(
        r.json<{ items: { key: string; dossiersFrom?: unknown; freshness: { source: { code: string } | null } }[] }>().items.map((i) => [i.key, { from: i.dossiersFrom, source: i.freshness.source?.code ?? null }]),
      );
    };
    const history = async (place: string, organisation: string) =>
      (await s.app.inject(`/api/observations/history?indicator=PS_DOSSIER_RECEIVED&place=${place}&period=2026-10&organisation=${organisation}`)).json<{
        revisions: { value: number; source: string; note: string | null }[];
      }>().revisions;

    it('counts a monthly dossier-totals sheet per agency into the Decision 766 figures of the province, the commune and each agency', async () => {
      await post('/api/sources', { code: 'BC-HOSO', name: 'Báo cáo hồ sơ TTHC hằng tháng', kind: 'file', ownerOrganisationCode: 'VL-VP', mapping: MAPPING, coverage: { organisations: ['VL-UBND'] } });
      // The preview: every total as it will be stored, the month read from the title, nothing written.
      const preview = await s.app.inject({ method: 'POST', url: '/api/sources/BC-HOSO/upload?dryRun=true', ...(await multipart('bao-cao-ho-so-thang-10-2026.csv', SHEET.join('\n'))) });
      expect(preview.json()).toMatchObject({ dryRun: true, accepted: 15, created: 0, rejected: 0, layout: { keys: { period: { from: 'title', value: '2026-10' } } } });
      expect(preview.json<{ preview: { organisation: string; period: string }[] }>().preview).toHaveLength(15);
      expect(await figure('PS_DOSSIER_RECEIVED', '86')).toBeNull();
      const r = await s.app.inject({ method: 'POST', url: '/api/sources/BC-HOSO/upload', ...(await multipart('bao-cao-ho-so-thang-10-2026.csv', SHEET.join('\n'))) });
      expect(r.statusCode, r.body).toBe(200);
      // Three agency rows of five measures; the total row is checked, not stored.
      expect(r.json()).toMatchObject({ status: 'succeeded', accepted: 15, created: 15, rejected: 0 });
      expect(r.json<{ warnings?: unknown[] }>().warnings ?? []).toEqual([]);

      expect(await measures('86')).toEqual(expected(reported));
      const total = expected(reported);
      expect(await figure('PS_ON_TIME_RATE', '86')).toBeCloseTo((total.onTime / total.resolved) * 100, 9);
      expect(await figure('PS_LATE_RATE', '86')).toBeCloseTo((total.late / total.resolved) * 100, 9);
      // Phường Trà Vinh holds only the health department's row (named, not coded, in the sheet).
      expect(await measures('29242')).toEqual(expected([ofAgency('Sở Y tế')]));

      const received = await byAgency('PS_DOSSIER_RECEIVED', '86');
      expect(received).toMatchObject({ 'VL-STC': ofAgency('VL-STC').received, 'VL-SXD': ofAgency('VL-SXD').received, 'VL-SYT': ofAgency('Sở Y tế').received });
      const stc = ofAgency('VL-STC');
      expect((await byAgency('PS_ON_TIME_RATE', '86'))['VL-STC']).toBeCloseTo((stc.onTime / (stc.onTime + stc.late)) * 100, 9);

      // Each agency's figure says it comes from the source's reported totals, in the breakdown and in its history.
      expect(await madeOf('PS_DOSSIER_RECEIVED')).toEqual({
        'VL-STC': { from: { records: false, reported: ['BC-HOSO'] }, source: 'BC-HOSO' },
        'VL-SXD': { from: { records: false, reported: ['BC-HOSO'] }, source: 'BC-HOSO' },
        'VL-SYT': { from: { records: false, reported: ['BC-HOSO'] }, source: 'BC-HOSO' },
      });
      const [stcFigure] = (await history('86', 'VL-STC')).slice(-1);
      expect(stcFigure).toMatchObject({ value: stc.received, source: 'WF-DOSSIERS' });
      expect(stcFigure?.note).toContain('BC-HOSO');

      // The scorecards count the reported resolutions, and say where they come from.
      const cards = (await s.app.inject('/api/scorecards?period=2026-10&place=86')).json<{
        agencies: { organisation: { code: string }; dossiersFrom?: { records: boolean; reported: string[] }; components: { key: string; numerator: number; denominator: number }[] }[];
      }>().agencies;
      const card = cards.find((c) => c.organisation.code === 'VL-STC');
      expect(card?.components.find((c) => c.key === 'dossierOnTime')).toMatchObject({ numerator: stc.onTime, denominator: stc.onTime + stc.late });
      expect(card?.dossiersFrom).toEqual({ records: false, reported: ['BC-HOSO'] });

      // The same file again: nothing new.
      const again = await s.app.inject({ method: 'POST', url: '/api/sources/BC-HOSO/upload', ...(await multipart('bao-cao-ho-so-thang-10-2026.csv', SHEET.join('\n'))) });
      expect(again.json()).toMatchObject({ accepted: 15, created: 0, revised: 0, unchanged: 15 });
      expect(await measures('86')).toEqual(expected(reported));
    });

    it('counts an agency by its records and another by its totals in the same month, and an agency with both once, by its records', async () => {
      const created = await post('/api/sources', {
        code: 'DVC-HOSO',
        name: 'Hệ thống giải quyết TTHC',
        kind: 'http_push',
        ownerOrganisationCode: 'VL-TTHCC',
        mapping: { target: 'dossiers' },
        coverage: { organisations: ['VL-UBND'] },
      });
      const { token } = created.json<{ token: string }>();
      const push = await s.app.inject({
        method: 'POST',
        url: '/api/sources/DVC-HOSO/push',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
        payload: SXD_RECORDS.map((d) => JSON.stringify(d)).join('\n'),
      });
      expect(push.json(), push.body).toMatchObject({ status: 'succeeded', accepted: 3 });

      // Sở Xây dựng's October at the province now has records: its reported totals no longer count, the others' still do.
      const others = reported.filter((r) => r.organisation !== 'VL-SXD');
      expect(await measures('86')).toEqual(expected([...others, SXD_COUNTED]));
      const total = expected([...others, SXD_COUNTED]);
      expect(await figure('PS_ON_TIME_RATE', '86')).toBeCloseTo((total.onTime / total.resolved) * 100, 9);
      expect(await byAgency('PS_DOSSIER_RECEIVED', '86')).toMatchObject({ 'VL-STC': ofAgency('VL-STC').received, 'VL-SXD': SXD_COUNTED.received, 'VL-SYT': ofAgency('Sở Y tế').received });
      expect((await byAgency('PS_ON_TIME_RATE', '86'))['VL-SXD']).toBeCloseTo((2 / 3) * 100, 9);

      const made = await madeOf('PS_ON_TIME_RATE');
      expect(made['VL-SXD']).toEqual({ from: { records: true, reported: [] }, source: 'WF-DOSSIERS' });
      expect(made['VL-STC']).toEqual({ from: { records: false, reported: ['BC-HOSO'] }, source: 'BC-HOSO' });

      // The agency's figure is counted from records again (its note names no reported source); the province's names both kinds.
      const sxd = (await history('86', 'VL-SXD')).map((h) => [h.value, h.source]);
      expect(sxd).toEqual([
        [ofAgency('VL-SXD').received, 'WF-DOSSIERS'],
        [SXD_COUNTED.received, 'WF-DOSSIERS'],
      ]);
      const province = (await s.app.inject('/api/observations/history?indicator=PS_DOSSIER_RECEIVED&place=86&period=2026-10')).json<{ revisions: { note: string | null }[] }>().revisions;
      expect(province.at(-1)?.note).toMatch(/hồ sơ và tổng số.*BC-HOSO/);

      const cards = (await s.app.inject('/api/scorecards?period=2026-10&place=86')).json<{
        agencies: { organisation: { code: string }; dossiersFrom?: { records: boolean; reported: string[] }; components: { key: string; numerator: number; denominator: number }[] }[];
      }>().agencies;
      const card = cards.find((c) => c.organisation.code === 'VL-SXD');
      expect(card?.components.find((c) => c.key === 'dossierOnTime')).toMatchObject({ numerator: 2, denominator: 3 });
      expect(card?.dossiersFrom).toEqual({ records: true, reported: [] });

      // Its reported totals are kept: sent again they are unchanged, and still not counted.
      const again = await s.app.inject({ method: 'POST', url: '/api/sources/BC-HOSO/upload', ...(await multipart('bao-cao-ho-so-thang-10-2026.csv', SHEET.join('\n'))) });
      expect(again.json()).toMatchObject({ accepted: 15, unchanged: 15 });
      expect(await figure('PS_DOSSIER_RECEIVED', '86')).toBe(total.received);
    });

    it('refuses a total of a measure that is not a dossier count, or of no month, with its reason', async () => {
      const created = await post('/api/sources', {
        code: 'BC-HOSO-PUSH',
        name: 'Tổng số hồ sơ (đẩy)',
        kind: 'http_push',
        ownerOrganisationCode: 'VL-VP',
        mapping: { target: 'dossier_totals' },
        coverage: { organisations: ['VL-UBND'] },
      });
      const rows = [
        { indicator: 'PS_DOSSIER_RECEIVED', place: '86', period: '2026-09', organisation: 'VL-STP', value: 40 },
        { indicator: 'PS_ON_TIME_RATE', place: '86', period: '2026-09', organisation: 'VL-STP', value: 90 },
        { indicator: 'PS_DOSSIER_RECEIVED', place: '86', period: '2026-Q3', organisation: 'VL-STP', value: 120 },
        { indicator: 'PS_DOSSIER_LATE', place: '86', period: '2026-09', value: 2 },
        { indicator: 'PS_DOSSIER_LATE', place: '86', period: '2026-09', organisation: 'VL-STP', value: 2.5 },
      ];
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/sources/BC-HOSO-PUSH/push',
        headers: { authorization: `Bearer ${created.json<{ token: string }>().token}`, 'content-type': 'application/x-ndjson' },
        payload: rows.map((row) => JSON.stringify(row)).join('\n'),
      });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ accepted: 1, rejected: 4 });
      expect(r.json<{ rejectedRows: { line: number; reason: string }[] }>().rejectedRows.map((x) => [x.line, x.reason])).toEqual([
        [2, 'not_a_base_indicator'],
        [3, 'period_does_not_match_frequency'],
        [4, 'unknown_organisation'],
        [5, 'invalid_number'],
      ]);
      // The one accepted total counts: September had no record of Sở Tư pháp.
      await s.app.figures.idle();
      const r2 = await s.app.inject('/api/indicators/PS_DOSSIER_RECEIVED/series?place=86&from=2026-09&to=2026-09');
      expect(r2.json<{ points: { period: string; value: number | null }[] }>().points.find((p) => p.period === '2026-09')?.value).toBe(40);
    });
  });
}
