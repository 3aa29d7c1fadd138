import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { IngestResult, RejectedIngestRow } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import type { TestServer } from '../../testing';
import { multipart, openSourcesServer, pm25Rows } from './test-support';

/**
 * Uploads are read as streams within limits: too many rows, a giant cell,
 * an XLSX that inflates far beyond its size or holds too many parts are
 * each refused with their own code before the memory is spent; a NUL in a
 * cell costs one row, not the batch; and the server keeps answering while
 * a large file is read.
 */
const LIMITS = { WATCHFLOOR_UPLOAD_MAX_ROWS: '2000', WATCHFLOOR_UPLOAD_MAX_CELL_CHARS: '1000', WATCHFLOOR_XLSX_MAX_INFLATED_BYTES: String(1024 * 1024), WATCHFLOOR_XLSX_MAX_ENTRIES: '20' };

const csvOf = (rows: { indicator: string; place: string; period: string; value: number }[]) => `indicator,place,period,value\n${rows.map((r) => `${r.indicator},${r.place},${r.period},${r.value}`).join('\n')}\n`;

async function workbook(fill: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  fill(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`upload limits on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openSourcesServer(engine, LIMITS);
      const r = await s.app.inject({ method: 'POST', url: '/api/sources', payload: { code: 'LIMITS', name: 'Giới hạn', kind: 'file', ownerOrganisationCode: 'VL-STC' } });
      expect(r.statusCode, r.body).toBe(201);
    });
    afterAll(async () => s?.close());

    const upload = async (name: string, content: Buffer | string) => s.app.inject({ method: 'POST', url: '/api/sources/LIMITS/upload', ...(await multipart(name, content)) });
    const count = async () => Number((await s.store.db.selectFrom('observation').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    it('refuses a file with more rows than allowed, writing none of them', async () => {
      const before = await count();
      const r = await upload('many.csv', csvOf(await pm25Rows(s, 2001)));
      expect(r.statusCode, r.body).toBe(413);
      expect(r.json<{ error: string }>().error).toBe('too_many_rows');
      expect(await count()).toBe(before);
    });

    it('refuses a row holding a giant cell as row_too_long, keeps only its beginning and writes the others', async () => {
      const [a, b] = await pm25Rows(s, 2);
      if (!a || !b) throw new Error('no rows');
      const giant = 'x'.repeat(500_000);
      const csv = `indicator,place,period,value,note\n${a.indicator},${a.place},${a.period},${a.value},ok\nPM25,29242,2026-10-01,1,"${giant}"\n${b.indicator},${b.place},${b.period},${b.value},ok\n`;
      const r = await upload('giant.csv', csv);
      expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
      expect(r.body.length).toBeLessThan(10_000);
      const result = r.json<IngestResult>();
      expect(result).toMatchObject({ rowsRead: 3, accepted: 2, rejected: 1 });
      expect(result.rejectedRows.map((x: RejectedIngestRow) => [x.line, x.reason])).toEqual([[3, 'row_too_long']]);
      expect(result.rejectedRows[0]?.raw.length).toBeLessThan(1000);
    });

    it('refuses an XLSX that inflates beyond the limit (a small file, a large sheet) as archive_too_large', async () => {
      const bomb = await workbook((wb) => {
        const ws = wb.addWorksheet('Số liệu');
        ws.addRow(['Mã chỉ tiêu', 'Mã đơn vị', 'Kỳ', 'Giá trị']);
        for (let i = 0; i < 60; i++) ws.addRow(['PM25', '29242', '2026-10-01', String(i).padEnd(30_000, 'y')]);
      });
      expect(bomb.length).toBeLessThan(100_000);
      const r = await upload('bomb.xlsx', bomb);
      expect(r.statusCode, r.body).toBe(413);
      expect(r.json<{ error: string }>().error).toBe('archive_too_large');
    });

    it('refuses an XLSX holding more parts than allowed as too_many_entries', async () => {
      const many = await workbook((wb) => {
        for (let i = 0; i < 20; i++) wb.addWorksheet(`S${i}`).addRow(['Mã chỉ tiêu', 'Mã đơn vị', 'Kỳ', 'Giá trị']);
      });
      const r = await upload('many.xlsx', many);
      expect(r.statusCode, r.body).toBe(413);
      expect(r.json<{ error: string }>().error).toBe('too_many_entries');
    });

    it('keeps the good rows of a batch when a cell holds NUL', async () => {
      const [a, b] = (await pm25Rows(s, 40)).slice(30);
      if (!a || !b) throw new Error('no rows');
      const csv = `indicator,place,period,value,note\n${a.indicator},${a.place},${a.period},${a.value},ok\nPM25,29242,2026-10-02,1,bad\u0000note\n${b.indicator},${b.place},${b.period},${b.value},ok\n`;
      const before = await count();
      const r = await upload('nul.csv', csv);
      expect(r.statusCode, r.body).toBe(200);
      const result = r.json<IngestResult>();
      expect(result).toMatchObject({ rowsRead: 3, accepted: 2, rejected: 1 });
      expect(await count()).toBe(before + 2);
      const rejected = await s.app.inject(`/api/runs/${result.runId}/rejected`);
      expect(rejected.statusCode, rejected.body).toBe(200);
      expect(rejected.json<{ rows: { line: number }[] }>().rows.map((x) => x.line)).toEqual([3]);
    });
  });

  describe.skipIf(engine.skip)(`health while a large upload runs on ${engine.engine}`, () => {
    let s: TestServer;
    let base = '';
    beforeAll(async () => {
      s = await openSourcesServer(engine);
      await s.app.inject({ method: 'POST', url: '/api/sources', payload: { code: 'BIG', name: 'Lớn', kind: 'file', ownerOrganisationCode: 'VL-STC' } });
      await s.app.listen({ port: 0, host: '127.0.0.1' });
      const address = s.app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    afterAll(async () => s?.close());

    it('answers /healthz before a 100,000-row upload ends', async () => {
      const csv = csvOf(await pm25Rows(s, 100_000));
      const form = new FormData();
      form.append('file', new Blob([csv]), 'big.csv');
      const order: string[] = [];
      const uploading = fetch(`${base}/api/sources/BIG/upload`, { method: 'POST', headers: { authorization: `Bearer ${s.token}` }, body: form }).then(async (r) => {
        order.push('upload');
        return r;
      });
      // Once the run is recorded the file is being written batch by batch: ask for health then.
      for (;;) {
        const runs = await s.store.db.selectFrom('run').select('id').where('source_code', '=', 'BIG').execute();
        if (runs.length > 0) break;
        await new Promise((r) => setImmediate(r));
      }
      const health = await fetch(`${base}/healthz`);
      order.push('healthz');
      expect(health.status).toBe(200);
      const r = await uploading;
      expect(r.status).toBe(200);
      expect(await r.json()).toMatchObject({ rowsRead: 100_000, accepted: 100_000 });
      expect(order).toEqual(['healthz', 'upload']);
    });
  });
}
