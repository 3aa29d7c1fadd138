import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { indicatorDefinitionSchema } from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { TEST_CATALOGUE } from '../observations/test-catalogue';
import { ObservationWriter } from '../ingest/observations';
import type { BreakdownResponse, OrganisationRankingResponse, OverviewResponse, RankingResponse, SeriesResponse } from './schemas';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADERS_VI = ['Sơ bộ', 'Đủ số liệu', 'Đơn vị đã báo cáo', 'Đơn vị phải báo cáo', 'Cập nhật lúc', 'Nguồn', 'Cơ quan chịu trách nhiệm', 'Tình trạng số liệu'];
const SEVEN_HOURS = 7 * 3600_000;

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`the overview, breakdowns, series and rankings to Excel and CSV, on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine);
      await new IndicatorsRepository(s.store.db).upsert(TEST_CATALOGUE.map((d) => indicatorDefinitionSchema.parse(d)), TEST_NOW);
      const r = await new ObservationWriter(s.store, s.ctx.clock).write(
        [
          { indicator: 'DOSSIERS_RECEIVED', place: '29242', period: '2025-10', value: 1234.5 },
          { indicator: 'DOSSIERS_RECEIVED', place: '29263', period: '2025-10', value: 50 },
          { indicator: 'DOSSIERS_RECEIVED', place: '29263', period: '2025-09', value: 40 },
          // Two agencies' resolved dossiers at the province, for the ranking of agencies.
          { indicator: 'DOSSIERS_RESOLVED', place: '86', period: '2025-10', organisation: 'VL-STC', value: 40 },
          { indicator: 'DOSSIERS_RESOLVED', place: '86', period: '2025-10', organisation: 'VL-SYT', value: 30 },
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
    const workbook = async (url: string) => {
      const r = await s.app.inject(url);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-type']).toBe(XLSX);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const [data, notes] = book.worksheets;
      const noteRows = Object.fromEntries(notes!.getSheetValues().slice(1).map((v) => [(v as unknown[])[1], (v as unknown[])[2]]));
      return { r, data: data!, notes: noteRows, header: (data!.getRow(1).values as unknown[]).slice(1), cell: (row: number, col: number) => data!.getRow(row).getCell(col).value ?? null };
    };
    const csvRows = async (url: string) => {
      const r = await s.app.inject(url);
      expect(r.statusCode, r.body).toBe(200);
      expect([...r.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      return parseCsv(r.rawPayload.toString('utf8').slice(1)) as string[][];
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
    const OVERVIEW = '/api/overview?place=86&period=2025-10&at=2026-01-01';

    it('writes the overview as a workbook: a row per tile, its figure, unit, plan, same period last year and status, cell by cell as the JSON answer', async () => {
      const answer = await json<OverviewResponse>(OVERVIEW);
      const shown = answer.indicators.filter((i) => i.applicable);
      expect(shown.length).toBeGreaterThan(0);
      const { r, data, notes, header, cell } = await workbook(`${OVERVIEW}&format=xlsx`);
      expect(r.headers['content-disposition']).toBe('attachment; filename="overview-86-2025-10.xlsx"');
      expect(header).toEqual([
        'Mã chỉ tiêu',
        'Chỉ tiêu',
        'Giá trị',
        'Đơn vị tính',
        'Kế hoạch',
        'So với kế hoạch (%)',
        'Lũy kế so với kế hoạch năm (%)',
        'Cùng kỳ năm trước',
        'Tăng/giảm so với cùng kỳ (%)',
        'Đánh giá',
        'Sơ bộ',
        'Đủ số liệu',
        'Cập nhật lúc',
        'Nguồn',
        'Tình trạng số liệu',
      ]);
      expect(data.rowCount).toBe(1 + shown.length);
      shown.forEach((item, i) => {
        const row = i + 2;
        expect(Array.from({ length: 15 }, (_, c) => cell(row, c + 1))).toEqual([
          item.code,
          item.names.vi,
          item.value,
          item.unit || null,
          item.target,
          item.percentOfPlan,
          item.ytd?.percentOfYearPlan ?? null,
          item.samePeriodLastYear?.value ?? null,
          item.samePeriodLastYear?.growth ?? null,
          item.status.text.vi,
          item.provisional ? 'có' : 'không',
          item.complete ? 'có' : 'không',
          item.updatedAt ? new Date(Date.parse(item.updatedAt) + SEVEN_HOURS) : null,
          item.freshness.source ? (item.freshness.source.name ?? item.freshness.source.code) : null,
          { fresh: 'đã nộp', awaiting: 'chưa đến hạn', late: 'trễ hạn', no_expectation: 'không có hạn' }[item.freshness.state],
        ]);
      });
      // Dossiers received in October: the two wards' 1.234,5 and 50 at the province, from the source test.
      const received = data.getRow(2 + shown.findIndex((i) => i.code === 'DOSSIERS_RECEIVED'));
      expect([received.getCell(3).value, received.getCell(4).value, received.getCell(14).value]).toEqual([1284.5, 'hồ sơ', 'test']);
      expect(notes).toMatchObject({ 'Địa bàn': '86 — Tỉnh Vĩnh Long', 'Số liệu tính đến ngày': '2026-01-01', 'Nguồn số liệu': 'test' });
      expect(notes['Chỉ tiêu không áp dụng (không có trong bảng)']).toBe(String(answer.indicators.length - shown.length));
    });

    it('writes the overview as CSV in English when asked', async () => {
      const answer = await json<OverviewResponse>(OVERVIEW);
      const rows = await csvRows(`${OVERVIEW}&format=csv&lang=en`);
      expect(rows[0]!.slice(0, 4)).toEqual(['Indicator code', 'Indicator', 'Value', 'Unit']);
      expect(rows.slice(1).map((row) => row[0])).toEqual(answer.indicators.filter((i) => i.applicable).map((i) => i.code));
      expect(rows.find((row) => row[0] === 'DOSSIERS_RECEIVED')!.slice(1, 4)).toEqual(['Dossiers received', '1284.5', 'hồ sơ']);
    });

    it('writes the ranking of units and of agencies as the JSON answers rank them', async () => {
      const url = '/api/rankings?indicator=DOSSIERS_RECEIVED&period=2025-10&level=commune&parent=86&at=2026-01-01';
      const ranking = await json<RankingResponse>(url);
      const { r, header, data, cell, notes } = await workbook(`${url}&format=xlsx`);
      expect(r.headers['content-disposition']).toBe('attachment; filename="rankings-DOSSIERS_RECEIVED-commune-86-2025-10.xlsx"');
      expect(header.slice(0, 4)).toEqual(['Hạng', 'Mã đơn vị', 'Đơn vị hành chính', 'Giá trị (hồ sơ)']);
      expect(data.rowCount).toBe(1 + ranking.items.length);
      expect(ranking.items.map((_, i) => [cell(i + 2, 1), cell(i + 2, 2), cell(i + 2, 4)])).toEqual(ranking.items.map((i) => [i.rank, i.place.code, i.value]));
      expect([cell(2, 1), cell(2, 2), cell(2, 3), cell(2, 4)]).toEqual([1, '29242', 'Phường Trà Vinh', 1234.5]);
      expect([cell(3, 1), cell(3, 2), cell(3, 4)]).toEqual([2, '29263', 50]);
      expect(notes).toMatchObject({ 'Chỉ tiêu': 'DOSSIERS_RECEIVED — Hồ sơ tiếp nhận', 'Cấp': 'commune', 'Trực thuộc': '86' });

      const byAgency = '/api/rankings/organisations?indicator=DOSSIERS_RESOLVED&period=2025-10&place=86&at=2026-01-01';
      const agencies = await json<OrganisationRankingResponse>(byAgency);
      const rows = await csvRows(`${byAgency}&format=csv`);
      expect(rows[0]!.slice(0, 4)).toEqual(['Hạng', 'Mã cơ quan', 'Cơ quan', 'Giá trị (hồ sơ)']);
      expect(rows.slice(1).map((row) => [Number(row[0]), row[1], row[2], Number(row[3])])).toEqual(agencies.items.map((i) => [i.rank, i.key, i.name, i.value]));
      expect(rows.slice(1).map((row) => [row[0], row[1], row[3]])).toEqual([
        ['1', 'VL-STC', '40'],
        ['2', 'VL-SYT', '30'],
      ]);
    });
  });
}
