import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { indicatorDefinitionSchema } from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { TEST_CATALOGUE } from '../observations/test-catalogue';
import { ObservationWriter } from '../ingest/observations';
import type { BreakdownResponse, SeriesResponse } from './schemas';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADERS_VI = ['Sơ bộ', 'Đủ số liệu', 'Đơn vị đã báo cáo', 'Đơn vị phải báo cáo', 'Cập nhật lúc', 'Nguồn', 'Cơ quan chịu trách nhiệm', 'Tình trạng số liệu'];
const SEVEN_HOURS = 7 * 3600_000;

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`breakdowns and series to Excel and CSV, on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine);
      await new IndicatorsRepository(s.store.db).upsert(TEST_CATALOGUE.map((d) => indicatorDefinitionSchema.parse(d)), TEST_NOW);
      const r = await new ObservationWriter(s.store, s.ctx.clock).write(
        [
          { indicator: 'DOSSIERS_RECEIVED', place: '29242', period: '2025-10', value: 1234.5 },
          { indicator: 'DOSSIERS_RECEIVED', place: '29263', period: '2025-10', value: 50 },
          { indicator: 'DOSSIERS_RECEIVED', place: '29263', period: '2025-09', value: 40 },
        ],
        { source: 'test' },
      );
      expect(r.rejected).toEqual([]);
    });
    afterAll(async () => s?.close());

    const BREAKDOWN = '/api/indicators/DOSSIERS_RECEIVED/breakdown?place=86&period=2025-10&at=2026-01-01';
    const json = async <T>(url: string) => {
      const r = await s.app.inject(url);
      expect(r.statusCode, r.body).toBe(200);
      return r.json<T>();
    };

    it('writes the breakdown as a workbook holding the JSON answer cell by cell, with a notes sheet', async () => {
      const answer = await json<BreakdownResponse>(BREAKDOWN);
      const r = await s.app.inject(`${BREAKDOWN}&format=xlsx`);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe(XLSX);
      expect(r.headers['content-disposition']).toBe('attachment; filename="breakdown-DOSSIERS_RECEIVED-86-2025-10.xlsx"');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const [data, notes] = book.worksheets;
      expect(data!.name).toBe('Dữ liệu');
      expect((data!.getRow(1).values as unknown[]).slice(1)).toEqual(['Mã đơn vị', 'Đơn vị hành chính', 'Giá trị (hồ sơ)', ...HEADERS_VI]);
      expect(data!.rowCount).toBe(1 + answer.items.length);
      answer.items.forEach((item, i) => {
        const row = data!.getRow(i + 2);
        const cell = (n: number) => row.getCell(n).value ?? null;
        expect(cell(1)).toBe(item.key);
        expect(cell(2)).toBe(item.name);
        expect(cell(3)).toBe(item.value);
        expect(cell(4)).toBe(item.provisional ? 'có' : 'không');
        expect(cell(5)).toBe(item.complete ? 'có' : 'không');
        expect(cell(6)).toBe(item.coverage?.reported ?? null);
        expect(cell(7)).toBe(item.coverage?.expected ?? null);
        expect(cell(8)).toEqual(item.updatedAt ? new Date(Date.parse(item.updatedAt) + SEVEN_HOURS) : null);
        expect(cell(9)).toBe(item.freshness.source ? (item.freshness.source.name ?? item.freshness.source.code) : null);
      });
      // The two wards that reported, as a number with a grouped format, not as text.
      const tv = data!.getRow(2 + answer.items.findIndex((i) => i.key === '29242'));
      expect(tv.getCell(3).value).toBe(1234.5);
      expect(tv.getCell(3).numFmt).toBe('#,##0.##');
      expect(tv.getCell(8).numFmt).toBe('dd/mm/yyyy hh:mm');
      expect(data!.getRow(2 + answer.items.findIndex((i) => i.key === '29263')).getCell(3).value).toBe(50);
      expect(notes!.name).toBe('Ghi chú');
      const noteRows = Object.fromEntries(notes!.getSheetValues().slice(1).map((v) => [(v as unknown[])[1], (v as unknown[])[2]]));
      expect(noteRows).toMatchObject({
        'Chỉ tiêu': 'DOSSIERS_RECEIVED — Hồ sơ tiếp nhận',
        'Đơn vị tính': 'hồ sơ',
        'Địa bàn': '86 — Tỉnh Vĩnh Long',
        'Kỳ': '2025-10',
        'Số liệu tính đến ngày': '2026-01-01',
        'Nguồn số liệu': 'test',
      });
    });

    it('answers English headers when asked, and a workbook for the Accept header of its type', async () => {
      const r = await s.app.inject({ url: `${BREAKDOWN}&lang=en`, headers: { accept: XLSX } });
      expect(r.headers['content-type']).toBe(XLSX);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      expect((book.worksheets[0]!.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['Unit code', 'Administrative unit', 'Value (hồ sơ)']);
      expect(book.worksheets[1]!.name).toBe('Notes');
    });

    it('writes the breakdown as CSV in UTF-8 with a byte order mark, parsing back to the JSON rows', async () => {
      const answer = await json<BreakdownResponse>(BREAKDOWN);
      const r = await s.app.inject(`${BREAKDOWN}&format=csv`);
      expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect([...r.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = parseCsv(r.rawPayload.toString('utf8').slice(1)) as string[][];
      expect(rows[0]).toEqual(['Mã đơn vị', 'Đơn vị hành chính', 'Giá trị (hồ sơ)', ...HEADERS_VI]);
      expect(rows.slice(1).map((row) => [row[0], row[1], row[2] === '' ? null : Number(row[2]), row[7] === '' ? null : row[7]])).toEqual(
        answer.items.map((i) => [i.key, i.name, i.value, i.updatedAt]),
      );
      expect(rows.find((row) => row[0] === '29242')!.slice(0, 3)).toEqual(['29242', 'Phường Trà Vinh', '1234.5']);
    });

    it('writes the series with plan and same period last year', async () => {
      const url = '/api/indicators/DOSSIERS_RECEIVED/series?place=29263&from=2025-09&to=2025-10&at=2026-01-01';
      const answer = await json<SeriesResponse>(url);
      const rows = parseCsv((await s.app.inject(`${url}&format=csv`)).rawPayload.toString('utf8').slice(1)) as string[][];
      expect(rows[0]!.slice(0, 4)).toEqual(['Kỳ', 'Giá trị (hồ sơ)', 'Kế hoạch (hồ sơ)', 'Cùng kỳ năm trước (hồ sơ)']);
      expect(rows.slice(1).map((row) => [row[0], row[1]])).toEqual([
        ['2025-09', '40'],
        ['2025-10', '50'],
      ]);
      expect(answer.points.map((p) => p.value)).toEqual([40, 50]);
    });
  });
}
