import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { IngestResult, Run } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import type { TestServer } from '../../testing';
import { multipart, openSourcesServer } from './test-support';

const UPLOAD_LIMIT = 200_000;

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`file upload on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openSourcesServer(engine, { WATCHFLOOR_UPLOAD_LIMIT_BYTES: String(UPLOAD_LIMIT) });
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/sources',
        payload: { code: 'SKHDT-FILE', name: 'Báo cáo kinh tế – xã hội', kind: 'file', ownerOrganisationCode: 'VL-STC', expected: { frequency: 'month', afterPeriodEndDays: 5 } },
      });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json<{ token: string | null }>().token).toBeNull();
    });
    afterAll(async () => s?.close());

    const upload = async (name: string, content: Buffer | string, query = '', code = 'SKHDT-FILE') =>
      s.app.inject({ method: 'POST', url: `/api/sources/${code}/upload${query}`, ...(await multipart(name, content)) });
    const count = async () => Number((await s.store.db.selectFrom('observation').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    const vietnameseCsv =
      '\uFEFFBÁO CÁO SỐ LIỆU THÁNG 10 NĂM 2026;;;;\r\n' +
      'Mã chỉ tiêu;Mã đơn vị;Kỳ;Giá trị;Ghi chú\r\n' +
      'GRDP;86;Năm 2025;85.123,75;ước tính sơ bộ\r\n' +
      'PM25;29242;14/10/2026;35,5;Trạm Phường Trà Vinh\r\n' +
      'PM25;29242;15/10/2026;1.234,5;\r\n' +
      'DOSSIERS_RECEIVED;86;10/2026;1.234;\r\n' +
      'PM25;29242;16/10/2026;abc;\r\n';

    it('previews a Vietnamese CSV without writing anything', async () => {
      const r = await upload('bao-cao-thang-10.csv', vietnameseCsv, '?dryRun=true');
      expect(r.statusCode, r.body).toBe(200);
      const result = r.json<IngestResult>();
      expect(result).toMatchObject({ dryRun: true, runId: null, numberStyle: 'vi', rowsRead: 5, accepted: 3, rejected: 2 });
      expect(result.preview).toEqual([
        { indicator: 'GRDP', place: '86', period: '2025', value: 85123.75, note: 'ước tính sơ bộ' },
        { indicator: 'PM25', place: '29242', period: '2026-10-14', value: 35.5, note: 'Trạm Phường Trà Vinh' },
        { indicator: 'DOSSIERS_RECEIVED', place: '86', period: '2026-10', value: 1234 },
      ]);
      expect(result.rejectedRows.map((x) => [x.line, x.reason])).toEqual([
        [5, 'above_valid_range'],
        [7, 'invalid_number'],
      ]);
      expect(await count()).toBe(0);
      expect((await s.app.inject('/api/sources/SKHDT-FILE/runs')).json<{ runs: Run[] }>().runs).toEqual([]);
    });

    it('loads a Vietnamese CSV with a BOM, 1.234,5 numbers and dd/mm/yyyy dates, and records the run', async () => {
      const r = await upload('bao-cao-thang-10.csv', vietnameseCsv);
      const result = r.json<IngestResult>();
      expect(result).toMatchObject({ status: 'partial', accepted: 3, created: 3, rejected: 2 });
      expect(await count()).toBe(3);
      const pm = await s.store.db.selectFrom('observation').selectAll().where('indicator_code', '=', 'PM25').executeTakeFirstOrThrow();
      expect(pm).toMatchObject({ place_code: '29242', period_key: '2026-10-14', value: 35.5, source: 'SKHDT-FILE', run_id: result.runId });
      const run = (await s.app.inject(`/api/runs/${result.runId}`)).json<Run>();
      expect(run).toMatchObject({ channel: 'file', fileName: 'bao-cao-thang-10.csv', rowsRead: 5, rowsAccepted: 3, rowsRejected: 2 });
      // The same file again changes nothing.
      expect((await upload('bao-cao-thang-10.csv', vietnameseCsv)).json<IngestResult>()).toMatchObject({ accepted: 3, created: 0, unchanged: 3 });
      expect(await count()).toBe(3);
    });

    it('loads the XLSX template once filled in', async () => {
      const t = await s.app.inject('/api/sources/templates/observations.xlsx');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(new Uint8Array(t.rawPayload).buffer);
      const sheet = wb.getWorksheet('Số liệu');
      if (!sheet) throw new Error('no sheet');
      sheet.getRow(2).values = ['DOSSIERS_RESOLVED', '86', '10/2026', 118, 'chính thức', 'VL-STC'];
      sheet.getRow(3).values = ['DOSSIERS_ON_TIME', '86', '10/2026', 101, 'sơ bộ', 'VL-STC'];
      sheet.getRow(4).values = ['DOSSIERS_ON_TIME_RATE', '86', '10/2026', 85.6];
      const r = await upload('so-lieu.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json<IngestResult>()).toMatchObject({ accepted: 2, created: 2, rejected: 1, rejectedRows: [{ line: 4, reason: 'not_a_base_indicator' }] });
      const provisional = await s.store.db.selectFrom('observation').select('status').where('indicator_code', '=', 'DOSSIERS_ON_TIME').executeTakeFirstOrThrow();
      expect(provisional.status).toBe('provisional');
    });

    it('refuses files it cannot read, each with its own code, writing nothing', async () => {
      const before = await count();
      const cases: [string, Buffer | string, number, string][] = [
        ['so-lieu.xlsx', 'Mã chỉ tiêu,Mã đơn vị,Kỳ,Giá trị\nGRDP,86,2025,1\n', 415, 'not_a_spreadsheet'],
        ['empty.csv', '', 400, 'empty_file'],
        ['header-only.csv', '\uFEFFMã chỉ tiêu;Mã đơn vị;Kỳ;Giá trị\r\n', 400, 'empty_file'],
        // UTF-16 without its byte-order mark reads as Vietnamese in no encoding (it can be declared).
        ['utf16.csv', Buffer.from('Mã chỉ tiêu;Mã đơn vị;Kỳ;Giá trị\n', 'utf16le'), 415, 'unsupported_encoding'],
        ['columns.csv', 'a;b;c\n1;2;3\n', 400, 'missing_columns'],
        // Just over the limit (found while reading the file) and far over it (refused by its declared length).
        ['big.csv', `indicator,place,period,value\n${'GRDP,86,2025,1\n'.repeat(14_000)}`, 413, 'file_too_large'],
        ['huge.csv', `indicator,place,period,value\n${'GRDP,86,2025,1\n'.repeat(40_000)}`, 413, 'file_too_large'],
      ];
      for (const [name, content, status, code] of cases) {
        const r = await upload(name, content);
        expect([name, r.statusCode, r.json().error]).toEqual([name, status, code]);
      }
      const notMultipart = await s.app.inject({ method: 'POST', url: '/api/sources/SKHDT-FILE/upload', payload: { rows: [] } });
      expect([notMultipart.statusCode, notMultipart.json().error]).toEqual([415, 'unsupported_media_type']);
      expect((await upload('x.csv', vietnameseCsv, '', 'NO-SUCH')).json()).toMatchObject({ error: 'unknown_source' });
      expect((await upload('x.csv', vietnameseCsv, '?numbers=fr')).statusCode).toBe(400);
      await s.app.inject({ method: 'POST', url: '/api/sources/SKHDT-FILE/disable' });
      expect((await upload('x.csv', vietnameseCsv)).json()).toMatchObject({ error: 'source_disabled' });
      await s.app.inject({ method: 'POST', url: '/api/sources/SKHDT-FILE/enable' });
      expect(await count()).toBe(before);
    });

    it('reads numbers the way the request says, and rejects ambiguous ones when nothing tells', async () => {
      const csv = 'indicator,place,period,value\nDOSSIERS_RECEIVED,86,2026-09,"1,234"\n';
      const unsure = (await upload('x.csv', csv, '?dryRun=true')).json<IngestResult>();
      expect(unsure).toMatchObject({ numberStyle: null, accepted: 0, rejectedRows: [{ line: 2, reason: 'ambiguous_number' }] });
      expect((await upload('x.csv', csv, '?dryRun=true&numbers=en')).json<IngestResult>()).toMatchObject({ numberStyle: 'en', accepted: 1, preview: [{ value: 1234 }] });
      expect((await upload('x.csv', csv, '?dryRun=true&numbers=vi')).json<IngestResult>()).toMatchObject({ numberStyle: 'vi', accepted: 1, preview: [{ value: 1.234 }] });
    });
  });
}
