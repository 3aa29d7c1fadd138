import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Case, CaseDetail } from '@watchfloor/core';
import { CasesRepository, resolveScope } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { REFERENCE_DATA_DIR } from '../../paths';
import { openTestServer, signInAs, type TestServer } from '../../testing';
import { seedCaseCategories } from './seed';

// Phường Trà Vinh (29242) and Phường Nguyệt Hoá (29254) of the new Vĩnh Long (86).
const TRA_VINH = { lat: 9.9063, lon: 106.3419 };
const NGUYET_HOA = { lat: 9.9366, lon: 106.3116 };

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`the cases list to Excel and CSV, on ${engine.engine}`, () => {
    let s: TestServer;
    let officer: Record<string, string>;
    const mine: string[] = [];
    beforeAll(async () => {
      s = await openTestServer(engine);
      await seedCaseCategories(s.store, { dataDir: REFERENCE_DATA_DIR, clock: s.ctx.clock });
      for (const [where, title, own] of [
        [TRA_VINH, 'Rác đổ trộm, "bãi" sau chợ', true],
        [NGUYET_HOA, 'Đèn đường hỏng', false],
        [TRA_VINH, '=cmd|calc', true],
      ] as const) {
        const r = await s.app.inject({ method: 'POST', url: '/api/cases', payload: { category: 'MOI_TRUONG', title, ...where } });
        expect(r.statusCode, r.body).toBe(201);
        if (own) mine.push(r.json<CaseDetail>().id);
      }
      officer = (await signInAs(s, 'officer.tv', [{ role: 'agency_officer', organisationCode: 'UBND-29242', placeCode: '29242' }])).read;
    });
    afterAll(async () => s?.close());

    it('gives an officer only the cases of their scope, as on the board', async () => {
      const json = await s.app.inject({ url: '/api/cases', headers: officer });
      const board = json.json<{ cases: Case[] }>().cases;
      expect(board.map((c) => c.id).sort()).toEqual([...mine].sort());
      const r = await s.app.inject({ url: '/api/cases?format=csv', headers: officer });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-disposition']).toBe('attachment; filename="cases-2026-11-28.csv"');
      expect(r.rawPayload.subarray(0, 3).toString('hex')).toBe('efbbbf');
      const rows = parseCsv(r.rawPayload.toString('utf8').slice(1)) as string[][];
      expect(rows[0]!.slice(0, 4)).toEqual(['Mã', 'Lĩnh vực', 'Tiêu đề', 'Mã đơn vị hành chính']);
      expect(rows.slice(1).map((row) => row[0])).toEqual(board.map((c) => c.id));
      expect(rows.slice(1).map((row) => row[3])).toEqual(['29242', '29242']);
      // A title a spreadsheet would run as a formula is defused; quotes and commas come back as written.
      expect(rows.slice(1).map((row) => row[2])).toEqual(["'=cmd|calc", 'Rác đổ trộm, "bãi" sau chợ']);
      expect(rows.slice(1).map((row) => row[9])).toEqual(['2026-11-28T03:00:00.000Z', '2026-11-28T03:00:00.000Z']);
    });

    it('reads a list of any length page by page, every case once and in the board\'s order, ties in received time included', async () => {
      // Every case here was received at the same instant: pages of two must still part them by id.
      for (const title of ['Cống nghẹt', 'Cây đổ', 'Ngập nước']) {
        const r = await s.app.inject({ method: 'POST', url: '/api/cases', payload: { category: 'MOI_TRUONG', title, ...NGUYET_HOA } });
        expect(r.statusCode, r.body).toBe(201);
      }
      const repo = new CasesRepository(s.store.db);
      const all = await resolveScope(s.store.db, { kind: 'all' });
      const listed = (await repo.list({}, all)).map((c) => c.publicId);
      expect(listed).toHaveLength(6);
      const pages: string[][] = [];
      for await (const page of repo.pages({}, all, 2)) pages.push(page.map((c) => c.publicId));
      expect(pages.map((p) => p.length)).toEqual([2, 2, 2]);
      expect(pages.flat()).toEqual(listed);
      const limited: string[] = [];
      for await (const page of repo.pages({ limit: 3 }, all, 2)) limited.push(...page.map((c) => c.publicId));
      expect(limited).toEqual(listed.slice(0, 3));
      // The export asks for no limit: every case of the scope, in the same order as the JSON list.
      const r = await s.app.inject({ url: '/api/cases?format=csv', headers: officer });
      const rows = parseCsv(r.rawPayload.toString('utf8').slice(1)) as string[][];
      expect(rows.slice(1).map((row) => row[0])).toEqual(listed.filter((id) => mine.includes(id)));
    });

    it('writes the same rows to a workbook, dates as dates in Vietnam time, and the scope in its notes', async () => {
      const r = await s.app.inject({ url: '/api/cases?format=xlsx&lang=en', headers: officer });
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const [data, notes] = book.worksheets;
      expect(data!.rowCount).toBe(3);
      expect(data!.getRow(1).getCell(10).value).toBe('Received at');
      // Received at 03:00 UTC: 10:00 in Vietnam.
      expect(data!.getRow(2).getCell(10).value).toEqual(new Date('2026-11-28T10:00:00Z'));
      expect(notes!.getRow(3).values).toEqual([undefined, 'As of', '2026-11-28T03:00:00.000Z']);
      expect(notes!.getRow(4).values).toEqual([undefined, 'Scope', 'Only the records within the exporting user’s scope']);
    });
  });
}
