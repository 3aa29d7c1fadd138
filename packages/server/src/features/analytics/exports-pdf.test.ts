import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorDefinitionSchema } from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, signInAs, TEST_NOW, type TestServer } from '../../testing';
import { pdfMissing, pdfText } from '../../http/pdf-testing';
import { TEST_CATALOGUE } from '../observations/test-catalogue';
import { ObservationWriter } from '../ingest/observations';
import type { BreakdownResponse } from './schemas';

/**
 * Dossiers received in October 2025: Phường Trà Vinh (29242) 1.234,5 and
 * ward 29263 50; 29263 also 40 in September. Printed in Vietnamese, the
 * figures read 1.234,5, 50 and 40; in English 1,234.5. They were written
 * at the test clock, 03:00 UTC on 28 November 2026: 28/11/2026 10:00 in
 * Vietnam time.
 */
const BREAKDOWN = '/api/indicators/DOSSIERS_RECEIVED/breakdown?place=86&period=2025-10&at=2026-01-01';
const SERIES = '/api/indicators/DOSSIERS_RECEIVED/series?place=29263&from=2025-09&to=2025-10&at=2026-01-01';

async function withFigures(s: TestServer): Promise<void> {
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
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip || pdfMissing)(`breakdowns and series printed as PDF, on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine);
      await withFigures(s);
    });
    afterAll(async () => s?.close());

    it('prints the breakdown in Vietnamese: the title, the headings, each unit with its figure, and the notes', async () => {
      const answer = (await s.app.inject(BREAKDOWN)).json<BreakdownResponse>();
      const r = await s.app.inject(`${BREAKDOWN}&format=pdf`);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-type']).toBe('application/pdf');
      expect(r.headers['content-disposition']).toBe('attachment; filename="breakdown-DOSSIERS_RECEIVED-86-2025-10.pdf"');
      expect(r.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      const { text, lines } = pdfText(r.rawPayload);
      expect(text).toContain('Hồ sơ tiếp nhận — Tỉnh Vĩnh Long, kỳ 2025-10, theo đơn vị hành chính');
      for (const heading of ['Mã đơn vị', 'Đơn vị hành chính', 'Giá trị (hồ sơ)', 'Tình trạng số liệu', 'Nguồn số liệu', 'Số liệu tính đến ngày']) expect(text).toContain(heading);
      // Each unit of the JSON answer on a line of its own, with its figure (none for the units that did not report).
      const rowOf = (key: string) => lines.filter((l) => l.startsWith(`${key} `));
      for (const item of answer.items) expect(rowOf(item.key), item.key).toHaveLength(1);
      expect(rowOf('29242')[0]).toMatch(/^29242 Phường Trà Vinh 1\.234,5 không có 1 1 28\/11\/2026 10:00 test/);
      expect(rowOf('29263')[0]).toMatch(/^29263 Phường Long Đức 50 không có /);
      expect(text).toContain('DOSSIERS_RECEIVED — Hồ sơ tiếp nhận');
    });

    it('prints English when asked, with English number format', async () => {
      const r = await s.app.inject(`${BREAKDOWN}&format=pdf&lang=en`);
      expect(r.statusCode).toBe(200);
      const { text, lines } = pdfText(r.rawPayload);
      expect(text).toContain('Administrative unit');
      expect(lines.find((l) => l.startsWith('29242 '))).toMatch(/^29242 Phường Trà Vinh 1,234\.5 no yes /);
    });

    it('prints the overview: a row per indicator with its figure and unit, and the notes', async () => {
      const r = await s.app.inject('/api/overview?place=86&period=2025-10&at=2026-01-01&format=pdf');
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-disposition']).toBe('attachment; filename="overview-86-2025-10.pdf"');
      const { text, lines } = pdfText(r.rawPayload);
      expect(text).toContain('Tổng quan chỉ tiêu — Tỉnh Vĩnh Long');
      for (const heading of ['Mã chỉ tiêu', 'Giá trị', 'Đơn vị tính', 'Đánh giá', 'Cập nhật lúc', 'Tình trạng số liệu', 'Chỉ tiêu không áp dụng (không có trong bảng)']) expect(text).toContain(heading);
      // Dossiers received at the province: the two wards' 1.234,5 and 50, of 124 communes (so not complete), from the source test.
      expect(lines.find((l) => l.startsWith('DOSSIERS_RECEIVED '))).toMatch(/^DOSSIERS_RECEIVED Hồ sơ tiếp nhận 1\.284,5 hồ sơ Chưa đầy đủ: 2\/124 .*không không 28\/11\/2026 10:00 test không có hạn$/);
      // A wide table prints across the page (A4 landscape).
      expect(r.rawPayload.toString('latin1')).toMatch(/\/MediaBox \[0 0 842\.88 595\.9\d*\]/);
    });

    it('prints the series with its chart: the periods on the axis, the figures in the table', async () => {
      const r = await s.app.inject({ url: SERIES, headers: { accept: 'application/pdf' } });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-type']).toBe('application/pdf');
      const { text, lines } = pdfText(r.rawPayload);
      expect(text).toContain('Kế hoạch (hồ sơ)');
      expect(lines.filter((l) => /^2025-\d\d \d+ /.test(l)).map((l) => l.split(' ').slice(0, 2))).toEqual([
        ['2025-09', '40'],
        ['2025-10', '50'],
      ]);
      // The chart's axis runs from 0 to the highest value, 50, and names its lines.
      expect(text).toMatch(/50 0 2025-09 2025-10 Giá trị \(hồ sơ\) /);
      expect(text.split('Kế hoạch (hồ sơ)')).toHaveLength(3); // in the legend and the table's heading
    });
  });
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`a PDF without Chromium, on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine, { env: { WATCHFLOOR_CHROMIUM: '/nonexistent/chromium' } });
      await withFigures(s);
    });
    afterAll(async () => s?.close());

    it('is refused with a coded error, and the other formats still answer', async () => {
      const r = await s.app.inject(`${BREAKDOWN}&format=pdf`);
      expect(r.statusCode).toBe(503);
      expect(r.headers['content-type']).toContain('application/json');
      expect(r.json<{ error: string }>().error).toBe('pdf_unavailable');
      expect((await s.app.inject(`${BREAKDOWN}&format=csv`)).statusCode).toBe(200);
    });

    it('refuses a report as PDF the same way', async () => {
      const steward = await signInAs(s, 'steward.print', [{ role: 'data_steward', placeCode: null }]);
      const r = await s.app.inject({ url: '/api/reports/templates/bao-cao-thang/render?period=2025-10&format=pdf', headers: steward.read });
      expect([r.statusCode, r.json<{ error: string }>().error]).toEqual([503, 'pdf_unavailable']);
    });
  });
}
