import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndicatorsRepository, ReportTemplatesRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, signInAs, TEST_NOW, type TestServer } from '../../testing';
import { REFERENCE_DATA_DIR } from '../../paths';
import { CATALOGUE_FILES, readCatalogues } from '../indicators/seed';
import { ObservationWriter } from '../ingest/observations';
import { seedDemoReportTemplates } from './seed';

/** The text of a DOCX's body, paragraph by paragraph. */
async function paragraphs(docx: Buffer): Promise<string[]> {
  const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) => [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''));
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`the shipped report templates, on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine);
      await new IndicatorsRepository(s.store.db).upsert((await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.demo])).definitions, TEST_NOW);
    });
    afterAll(async () => s?.close());

    it('adds both templates with the demo catalogue once, never over a steward’s edit', async () => {
      expect(await seedDemoReportTemplates(s.store, { dataDir: REFERENCE_DATA_DIR, clock: s.ctx.clock })).toBe(2);
      const repo = new ReportTemplatesRepository(s.store.db);
      const edited = { ...(await repo.get('bao-cao-tthc-thang'))!.document, title: { vi: 'Báo cáo TTHC (đã sửa)', en: 'Edited' } };
      await repo.put(edited, TEST_NOW);
      expect(await seedDemoReportTemplates(s.store, { dataDir: REFERENCE_DATA_DIR, clock: s.ctx.clock })).toBe(0);
      expect((await repo.list()).map((t) => [t.document.code, t.document.title.vi])).toEqual([
        ['bao-cao-kt-xh-thang', 'Báo cáo tình hình kinh tế – xã hội (minh họa)'],
        ['bao-cao-tthc-thang', 'Báo cáo TTHC (đã sửa)'],
      ]);
    });

    it('renders the administrative-procedure report with the Decision 766 measures of the province, by commune and by agency, a missing figure said so', async () => {
      const r = await new ObservationWriter(s.store, s.ctx.clock).write(
        [
          { indicator: 'PS_DOSSIER_RECEIVED', place: '86', period: '2026-10', value: 1545 },
          { indicator: 'PS_DOSSIER_CARRIED_OVER', place: '86', period: '2026-10', value: 120 },
          // Two departments' own dossiers, reported at the province under their code.
          { indicator: 'PS_DOSSIER_RECEIVED', place: '86', period: '2026-10', organisation: 'VL-STC', value: 300 },
          { indicator: 'PS_DOSSIER_RECEIVED', place: '86', period: '2026-10', organisation: 'VL-SYT', value: 210 },
        ],
        { source: 'test' },
      );
      expect(r.rejected).toEqual([]);
      const officer = await signInAs(s, 'office.reports', [{ role: 'leaders_office', placeCode: null }]);
      const answer = await s.app.inject({ url: '/api/reports/templates/bao-cao-tthc-thang/render?period=2026-10', headers: officer.read });
      expect(answer.statusCode, answer.body).toBe(200);
      const text = await paragraphs(answer.rawPayload);
      // Received and carried over are written in Vietnamese figures; nothing was resolved, so that figure is missing rather than 0.
      expect(text.some((p) => p.includes('toàn tỉnh tiếp nhận mới 1.545 hồ sơ, kỳ trước chuyển sang 120 hồ sơ'))).toBe(true);
      expect(text.some((p) => p.includes('Đã giải quyết (chưa có số liệu) hồ sơ'))).toBe(true);
      expect(text).toContain('Bảng 1. Kết quả giải quyết hồ sơ theo xã, phường');
      // The table by agency lists the departments that reported, their figures as sent.
      expect(text).toContain('Bảng 2. Kết quả giải quyết hồ sơ theo cơ quan chuyên môn');
      const at = text.indexOf('Bảng 2. Kết quả giải quyết hồ sơ theo cơ quan chuyên môn');
      expect(text.slice(at).filter((p) => p === '300' || p === '210')).toEqual(['300', '210']);
      // The example socio-economic report renders too, every figure it names missing in this database and said so.
      const example = await s.app.inject({ url: '/api/reports/templates/bao-cao-kt-xh-thang/render?period=2026-10', headers: officer.read });
      expect(example.statusCode, example.body).toBe(200);
      const exampleText = await paragraphs(example.rawPayload);
      expect(exampleText).toContain('I. TÌNH HÌNH KINH TẾ');
      // The demo budget has a year's plan only: revenue is set against it for the year to date, never against a month's plan.
      expect(exampleText.some((p) => p.includes('kế hoạch tháng'))).toBe(false);
      expect(example.headers['content-disposition']).toContain('bao-cao-bao-cao-kt-xh-thang-2026-10.docx');
    });
  });
}
