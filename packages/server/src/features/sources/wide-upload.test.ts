import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { IngestResult, Run } from '@watchfloor/core';
import { PlacesRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import type { TestServer } from '../../testing';
import { multipart, openSourcesServer } from './test-support';

/** The value columns of the monthly dossier report, as the source's saved mapping names them. */
const MAPPING = {
  values: [
    { column: 'Tiếp nhận', indicator: 'DOSSIERS_RECEIVED' },
    { column: 'Hồ sơ / Đã giải quyết', indicator: 'DOSSIERS_RESOLVED', status: 'provisional' },
    { column: 'Đúng hạn', indicator: 'DOSSIERS_ON_TIME', unit: 'hồ sơ' },
  ],
};

const INDICATORS = ['DOSSIERS_RECEIVED', 'DOSSIERS_RESOLVED', 'DOSSIERS_ON_TIME'] as const;

/** Received, resolved, on time, per unit (the units are communes of Vĩnh Long, chosen in beforeAll). */
const FIGURES: [number, number, number][] = [
  [120, 110, 101],
  [85, 80, 77],
  [40, 38, 30],
];

/**
 * The report as an agency makes it: title rows with the period only in
 * words ("THÁNG 10 NĂM 2026"), a header on two rows with merged cells, a
 * row per unit, a "Tổng cộng" row of SUM formulas with their results
 * saved, `offBy` added to the last; `noResult`: the first unit's "Đúng hạn"
 * a formula saved without its result.
 */
async function report(places: readonly string[], title: string, options: { offBy?: number; noResult?: boolean } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Báo cáo');
  ws.getCell('A1').value = 'ỦY BAN NHÂN DÂN TỈNH VĨNH LONG';
  ws.mergeCells('A1:F1');
  ws.getCell('A2').value = 'BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH';
  ws.mergeCells('A2:F2');
  ws.getCell('A3').value = title;
  ws.mergeCells('A3:F3');
  ws.getCell('A4').value = 'Mã đơn vị';
  ws.mergeCells('A4:A5');
  ws.getCell('B4').value = 'Tên đơn vị';
  ws.mergeCells('B4:B5');
  ws.getCell('C4').value = 'Hồ sơ';
  ws.mergeCells('C4:E4');
  ws.getCell('C5').value = 'Tiếp nhận';
  ws.getCell('D5').value = 'Đã giải quyết';
  ws.getCell('E5').value = 'Đúng hạn';
  ws.getCell('F4').value = 'Ghi chú';
  ws.mergeCells('F4:F5');
  FIGURES.forEach(([a, b, c], i) => {
    ws.getRow(6 + i).values = [places[i], `Đơn vị ${i + 1}`, a, b, i === 0 && options.noResult ? { formula: 'D6-9' } : c];
  });
  const sum = (k: number) => FIGURES.reduce((s, f) => s + (f[k] ?? 0), 0);
  ws.getRow(9).values = ['', 'Tổng cộng', { formula: 'SUM(C6:C8)', result: sum(0) }, { formula: 'SUM(D6:D8)', result: sum(1) }, { formula: 'SUM(E6:E8)', result: sum(2) + (options.offBy ?? 0) }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`wide report files on ${engine.engine}`, () => {
    let s: TestServer;
    let places: string[];
    beforeAll(async () => {
      s = await openSourcesServer(engine);
      places = (await new PlacesRepository(s.store.db).listAt('2026-10-31', { level: 'commune', parentCode: '86' })).map((p) => p.code).slice(0, 3);
      expect(places).toHaveLength(3);
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/sources',
        payload: { code: 'VL-HOSO', name: 'Báo cáo hồ sơ TTHC hằng tháng', kind: 'file', ownerOrganisationCode: 'VL-STC', mapping: MAPPING },
      });
      expect(r.statusCode, r.body).toBe(201);
      const plain = await s.app.inject({ method: 'POST', url: '/api/sources', payload: { code: 'VL-GHICHU', name: 'Số liệu có ghi chú', kind: 'file', ownerOrganisationCode: 'VL-STC' } });
      expect(plain.statusCode, plain.body).toBe(201);
    });
    afterAll(async () => s?.close());

    const upload = async (name: string, content: Buffer | string, query = '', code = 'VL-HOSO') => s.app.inject({ method: 'POST', url: `/api/sources/${code}/upload${query}`, ...(await multipart(name, content)) });
    const stored = async (period: string) =>
      (await s.store.db.selectFrom('observation').select(['indicator_code', 'place_code', 'value', 'status']).where('period_key', '=', period).where('source', '=', 'VL-HOSO').execute())
        .map((o) => `${o.indicator_code} ${o.place_code} ${o.value} ${o.status}`)
        .sort();
    /** What the sheet says, from its own figures: one fact per unit and value column. */
    const expected = () =>
      places
        .flatMap((p, i) => INDICATORS.map((code, k) => `${code} ${p} ${FIGURES[i]?.[k]} ${code === 'DOSSIERS_RESOLVED' ? 'provisional' : 'final'}`))
        .sort();

    it('previews a wide sheet: the figures, where the period came from, the merged header, the total row checked', async () => {
      const r = await upload('bao-cao.xlsx', await report(places, 'THÁNG 10 NĂM 2026'), '?dryRun=true');
      expect(r.statusCode, r.body).toBe(200);
      const result = r.json<IngestResult>();
      expect(result).toMatchObject({ dryRun: true, rowsRead: 9, accepted: 9, rejected: 0 });
      expect(result.warnings).toBeUndefined();
      expect(result.layout?.keys.period).toEqual({ from: 'title', value: '2026-10', cell: 'A3' });
      expect(result.layout?.values.map((v) => v.column)).toEqual(['Hồ sơ / Tiếp nhận', 'Hồ sơ / Đã giải quyết', 'Hồ sơ / Đúng hạn']);
      expect(result.layout?.totals.map((t) => t.total)).toEqual([245, 228, 208]);
      expect(result.preview?.[0]).toMatchObject({ indicator: 'DOSSIERS_RECEIVED', place: places[0], period: '2026-10', value: 120 });
      expect(await stored('2026-10')).toEqual([]);
    });

    it('loads the sheet unmodified through the saved mapping; a total off by 7 is a warning on the run', async () => {
      const first = (await upload('bao-cao.xlsx', await report(places, 'THÁNG 10 NĂM 2026'))).json<IngestResult>();
      expect(first).toMatchObject({ status: 'succeeded', created: 9, rejected: 0 });
      expect(await stored('2026-10')).toEqual(expected());
      expect((await s.app.inject(`/api/runs/${first.runId}`)).json<Run>().warnings).toBeUndefined();

      const off = (await upload('bao-cao.xlsx', await report(places, 'THÁNG 10 NĂM 2026', { offBy: 7 }))).json<IngestResult>();
      expect(off).toMatchObject({ status: 'succeeded', unchanged: 9, created: 0 });
      const warning = { code: 'total_mismatch', line: 9, column: 'Hồ sơ / Đúng hạn' };
      expect(off.warnings).toEqual([expect.objectContaining(warning)]);
      const run = (await s.app.inject(`/api/runs/${off.runId}`)).json<Run>();
      expect(run.warnings).toEqual([expect.objectContaining(warning)]);
      expect(run.warnings?.[0]?.message).toContain('215');
      // The total row is never a figure.
      expect(await stored('2026-10')).toEqual(expected());
    });

    it('refuses a formula saved without its result, that figure only', async () => {
      const r = (await upload('bao-cao.xlsx', await report(places, 'Tháng 11 năm 2026', { noResult: true }))).json<IngestResult>();
      expect(r).toMatchObject({ status: 'partial', created: 8, rejected: 1 });
      expect(r.rejectedRows).toEqual([expect.objectContaining({ line: 6, reason: 'formula_without_value' })]);
      expect(r.rejectedRows[0]?.message).toContain('column "Hồ sơ / Đúng hạn"');
      expect(await stored('2026-11')).toEqual(expected().filter((x) => x !== `DOSSIERS_ON_TIME ${places[0]} 101 final`));
    });

    it('takes the period from the file name, or from the value declared with the upload', async () => {
      const csv = `Mã đơn vị;Tiếp nhận;Đã giải quyết;Đúng hạn\n${places.map((p, i) => `${p};${FIGURES[i]?.join(';')}`).join('\n')}\n`;
      const byName = (await upload('bao-cao-thang-9-2026.csv', csv)).json<IngestResult>();
      expect(byName).toMatchObject({ created: 9, layout: { keys: { period: { from: 'file_name', value: '2026-09' } } } });
      expect(await stored('2026-09')).toEqual(expected());
      const declared = (await upload('bao-cao.csv', csv, '?period=08/2026')).json<IngestResult>();
      expect(declared).toMatchObject({ created: 9, layout: { keys: { period: { from: 'declared', value: '2026-08' } } } });
      expect(await stored('2026-08')).toEqual(expected());
      expect((await upload('bao-cao.csv', csv)).json()).toMatchObject({ error: 'period_not_found' });
    });

    it('refuses a half-year for indicators reported per month, saying so', async () => {
      const r = (await upload('bao-cao.xlsx', await report(places, '6 THÁNG ĐẦU NĂM 2026'), '?dryRun=true')).json<IngestResult>();
      expect(r.layout?.keys.period).toMatchObject({ from: 'title', value: '2026-H1' });
      expect(r).toMatchObject({ accepted: 0, rejected: 9 });
      expect(new Set(r.rejectedRows.map((x) => x.reason))).toEqual(new Set(['period_does_not_match_frequency']));
      expect(r.rejectedRows[0]?.message).toContain('2026-H1');
    });

    it('keeps a changed note on an unchanged value as a revision', async () => {
      const row = (note: string) => `Mã chỉ tiêu;Mã đơn vị;Kỳ;Giá trị;Ghi chú\nDOSSIERS_RECEIVED;${places[0]};07/2026;50;${note}\n`;
      expect((await upload('x.csv', row('số liệu sơ bộ'), '', 'VL-GHICHU')).json<IngestResult>()).toMatchObject({ created: 1 });
      expect((await upload('x.csv', row('số liệu sơ bộ'), '', 'VL-GHICHU')).json<IngestResult>()).toMatchObject({ unchanged: 1, revised: 0 });
      expect((await upload('x.csv', row('đã đối chiếu với phần mềm một cửa'), '', 'VL-GHICHU')).json<IngestResult>()).toMatchObject({ unchanged: 0, revised: 1 });
      const o = await s.store.db.selectFrom('observation').select(['id', 'note', 'revision', 'value']).where('period_key', '=', '2026-07').executeTakeFirstOrThrow();
      expect(o).toMatchObject({ note: 'đã đối chiếu với phần mềm một cửa', revision: 2, value: 50 });
      const history = await s.store.db.selectFrom('observation_revision').select(['note', 'value']).where('observation_id', '=', o.id).execute();
      expect(history).toEqual([{ note: 'số liệu sơ bộ', value: 50 }]);
    });
  });
}
