import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorDefinitionSchema, type IndicatorDefinitionInput, type ReportTemplateInput } from '@watchfloor/core';
import { AuditRepository, IndicatorsRepository, PlacesRepository, TargetsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, signInAs, TEST_NOW, type TestServer } from '../../testing';
import { ObservationWriter } from '../ingest/observations';
import { pdfMissing, pdfText } from '../../http/pdf-testing';

/**
 * The monthly report of October 2026 for Vĩnh Long (86), by hand:
 * - revenue (collected at the province): 1.234,56 in October, 800 in
 *   September, 1.000 in October 2025, plan 1.500 for October: the text
 *   says 1.234,6; 82,3 % of plan (1.234,56 ÷ 1.500 = 0,82304); year to
 *   date 800 + 1.234,56 = 2.034,6; last year 1.000; up 23,5 %
 *   ((1.234,56 − 1.000) ÷ 1.000); first of the one province reporting.
 * - exports (at the province): 56,7 sent provisional: its footnote says so.
 * - tourist arrivals (collected by communes): two of Vĩnh Long's 124 wards
 *   sent 12.345 and 20.000 = 32.345: incomplete, its footnote says so and
 *   it is compared with nothing.
 * - the table by agency: dossiers resolved by VL-STC 40 and VL-SYT 30.
 * - the charts: exports over August to October, October provisional and
 *   marked so; arrivals by ward, the two wards that sent figures, largest first.
 */
const month = { kind: 'base', frequency: 'month', direction: 'higher_is_better', aggregation: { places: 'sum', time: 'sum' } } as const;
const CATALOGUE: IndicatorDefinitionInput[] = [
  { ...month, code: 'REVENUE', domain: 'budget', unit: 'tỷ đồng', names: { vi: 'Thu ngân sách', en: 'Revenue' }, collectedAt: ['province'] },
  { ...month, code: 'EXPORTS', domain: 'trade', unit: 'triệu USD', names: { vi: 'Kim ngạch xuất khẩu', en: 'Exports' }, collectedAt: ['province'] },
  { ...month, code: 'ARRIVALS', domain: 'tourism', unit: 'lượt', names: { vi: 'Lượt khách du lịch', en: 'Tourist arrivals' }, collectedAt: ['commune'] },
  { ...month, code: 'RESOLVED', domain: 'public_services', unit: 'hồ sơ', names: { vi: 'Hồ sơ đã giải quyết', en: 'Dossiers resolved' } },
];

const TEMPLATE: ReportTemplateInput = {
  version: 1,
  code: 'bao-cao-thang',
  title: { vi: 'Báo cáo tình hình kinh tế – xã hội', en: 'Socio-economic report' },
  issuer: 'ỦY BAN NHÂN DÂN TỈNH VĨNH LONG',
  sections: [
    {
      kind: 'text',
      heading: 'I. Thu ngân sách',
      paragraphs: [
        'Thu ngân sách đạt {{value:REVENUE}} {{unit:REVENUE}}, bằng {{plan_pct:REVENUE}} % kế hoạch; lũy kế {{ytd:REVENUE}}; cùng kỳ {{same_period_last_year:REVENUE}}, {{change:REVENUE}}; xếp thứ {{rank:REVENUE}}.',
        'Xuất khẩu ước đạt {{value:EXPORTS}} triệu USD. Khách du lịch {{value:ARRIVALS}} lượt, {{change:ARRIVALS}}.',
      ],
    },
    { kind: 'table', heading: 'II. Hồ sơ theo cơ quan', by: 'organisation', indicators: ['RESOLVED'] },
    { kind: 'chart', heading: 'Biểu đồ 1. Xuất khẩu theo tháng', chart: 'months', indicator: 'EXPORTS', months: 3 },
    { kind: 'chart', heading: 'Biểu đồ 2. Khách du lịch theo xã, phường', chart: 'places', indicator: 'ARRIVALS', top: 5 },
  ],
};

/** The document's paragraphs as text, a footnote reference written [^n]. */
function paragraphs(xml: string): string[] {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) =>
    [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:footnoteReference w:id="(\d+)"\/>/g)].map((m) => (m[2] ? `[^${m[2]}]` : m[1]!)).join(''),
  );
}

/** Each footnote's text by its id. */
function footnotes(xml: string): Map<string, string> {
  return new Map([...xml.matchAll(/<w:footnote [^>]*w:id="(\d+)"[^>]*>([\s\S]*?)<\/w:footnote>/g)].map((m) => [m[1]!, [...m[2]!.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('')]));
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`the monthly report as a Word document, on ${engine.engine}`, () => {
    let s: TestServer;
    let steward: { read: Record<string, string>; write: Record<string, string> };
    beforeAll(async () => {
      s = await openTestServer(engine);
      await new IndicatorsRepository(s.store.db).upsert(CATALOGUE.map((d) => indicatorDefinitionSchema.parse(d)), TEST_NOW);
      const wards = (await new PlacesRepository(s.store.db).listAt('2026-11-01', { parentCode: '86' })).map((p) => p.code).sort();
      const r = await new ObservationWriter(s.store, s.ctx.clock).write(
        [
          { indicator: 'REVENUE', place: '86', period: '2026-10', value: 1234.56 },
          { indicator: 'REVENUE', place: '86', period: '2026-09', value: 800 },
          { indicator: 'REVENUE', place: '86', period: '2025-10', value: 1000 },
          { indicator: 'EXPORTS', place: '86', period: '2026-10', value: 56.7, status: 'provisional' },
          { indicator: 'ARRIVALS', place: wards[0]!, period: '2026-10', value: 12_345 },
          { indicator: 'ARRIVALS', place: wards[1]!, period: '2026-10', value: 20_000 },
          { indicator: 'RESOLVED', place: '86', period: '2026-10', organisation: 'VL-STC', value: 40 },
          { indicator: 'RESOLVED', place: '86', period: '2026-10', organisation: 'VL-SYT', value: 30 },
        ],
        { source: 'test' },
      );
      expect(r.rejected).toEqual([]);
      const vl = await new PlacesRepository(s.store.db).findAt('86', '2026-11-01');
      await new TargetsRepository(s.store.db).upsert([{ indicatorCode: 'REVENUE', placeId: vl!.id, placeCode: '86', periodKey: '2026-10', value: 1500, source: 'test' }], TEST_NOW);
      steward = await signInAs(s, 'steward.reports', [{ role: 'data_steward', placeCode: null }]);
    });
    afterAll(async () => s?.close());

    it('refuses a template naming an unknown placeholder or indicator, with a coded error, and stores nothing', async () => {
      const bad = { ...TEMPLATE, sections: [{ kind: 'text', paragraphs: ['Đạt {{valeur:REVENUE}} và {{value:NO_SUCH}}.'] }, { kind: 'table', by: 'place', indicators: ['MISSING_CODE'] }] };
      const r = await s.app.inject({ method: 'PUT', url: '/api/reports/templates/bao-cao-thang', headers: steward.write, payload: bad });
      expect(r.statusCode).toBe(400);
      const body = r.json<{ error: string; details: { path: string; reason: string }[] }>();
      expect(body.error).toBe('invalid_report_template');
      expect(body.details.map((d) => [d.path, d.reason])).toEqual([
        ['sections.0.paragraphs.0', 'unknown_placeholder'],
        ['sections.0.paragraphs.0', 'unknown_indicator'],
        ['sections.1.indicators.0', 'unknown_indicator'],
      ]);
      expect((await s.app.inject({ url: '/api/reports/templates/bao-cao-thang', headers: steward.read })).statusCode).toBe(404);
    });

    it('saves a template written by a steward, in the audit log', async () => {
      const r = await s.app.inject({ method: 'PUT', url: '/api/reports/templates/bao-cao-thang', headers: steward.write, payload: TEMPLATE });
      expect(r.statusCode, r.body).toBe(201);
      const list = await s.app.inject({ url: '/api/reports/templates', headers: steward.read });
      expect(list.json<{ templates: { code: string; sections: number }[] }>().templates.map((t) => [t.code, t.sections])).toEqual([['bao-cao-thang', 4]]);
      const audit = await new AuditRepository(s.store.db).list({ entityKind: 'report_template', limit: 10 });
      expect(audit.map((e) => [e.action, e.entityKey, e.actor])).toEqual([['report_template.create', 'bao-cao-thang', 'steward.reports']]);
    });

    it('renders October as DOCX: each placeholder filled in Vietnamese format, the provisional and incomplete figures with their notes', async () => {
      const r = await s.app.inject({ url: '/api/reports/templates/bao-cao-thang/render?period=2026-10&format=docx', headers: steward.read });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-type']).toContain('wordprocessingml.document');
      const zip = await JSZip.loadAsync(r.rawPayload);
      const doc = await zip.file('word/document.xml')!.async('string');
      const notes = footnotes(await zip.file('word/footnotes.xml')!.async('string'));
      expect(doc).toContain('Times New Roman');
      const text = paragraphs(doc);
      expect(text).toContain('ỦY BAN NHÂN DÂN TỈNH VĨNH LONG');
      expect(text).toContain('I. Thu ngân sách');
      expect(text).toContain('Thu ngân sách đạt 1.234,6 tỷ đồng, bằng 82,3 % kế hoạch; lũy kế 2.034,6; cùng kỳ 1.000, tăng 23,5 %; xếp thứ 1/1.');
      const second = text.find((p) => p.startsWith('Xuất khẩu'))!;
      const m = /^Xuất khẩu ước đạt 56,7\[\^(\d+)\] triệu USD\. Khách du lịch 32\.345\[\^(\d+)\] lượt, chưa đủ số liệu để so sánh\[\^(\d+)\]\.$/.exec(second);
      expect(m, second).not.toBeNull();
      expect(notes.get(m![1]!)).toBe('Kim ngạch xuất khẩu: Số liệu sơ bộ, có thể thay đổi khi có số liệu chính thức.');
      expect(notes.get(m![2]!)).toMatch(/^Lượt khách du lịch: Chưa đầy đủ: 2\/124 .*báo cáo/);
      // The table by agency, and the annex of sources.
      expect(text).toContain('Hồ sơ đã giải quyết (hồ sơ)');
      expect(text.filter((p) => p === '40' || p === '30')).toEqual(['40', '30']);
      expect(text).toContain('PHỤ LỤC: NGUỒN SỐ LIỆU');
      expect(text).toContain('REVENUE');
      // Each chart is a picture (PNG) with its caption below; the provisional October of exports is marked, its note a footnote.
      const pictures = Object.keys(zip.files).filter((f) => f.startsWith('word/media/'));
      expect(pictures).toHaveLength(2);
      for (const f of pictures) expect((await zip.file(f)!.async('nodebuffer')).subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(text).toContain('Biểu đồ 1. Xuất khẩu theo tháng');
      const caption = text.find((p) => p.startsWith('Kim ngạch xuất khẩu (triệu USD), '))!;
      const c = /\[\^(\d+)\]$/.exec(caption);
      expect(c, caption).not.toBeNull();
      expect(notes.get(c![1]!)).toBe('* Số liệu sơ bộ hoặc chưa đầy đủ: 10/2026 sơ bộ.');
      expect(text).toContain('Lượt khách du lịch (lượt), Tháng 10/2026 (2 đơn vị cao nhất trong 124)');
    });

    it.skipIf(pdfMissing)('prints October as PDF from the same figures: the headings, the filled sentence, the notes numbered at the foot, the table and the annex', async () => {
      const r = await s.app.inject({ url: '/api/reports/templates/bao-cao-thang/render?period=2026-10&format=pdf', headers: steward.read });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-type']).toBe('application/pdf');
      expect(r.headers['content-disposition']).toContain('filename="bao-cao-bao-cao-thang-2026-10.pdf"');
      const { text, lines } = pdfText(r.rawPayload);
      expect(text).toContain('ỦY BAN NHÂN DÂN TỈNH VĨNH LONG');
      expect(text).toContain('BÁO CÁO TÌNH HÌNH KINH TẾ – XÃ HỘI');
      expect(text).toContain('I. Thu ngân sách');
      expect(text).toContain('Thu ngân sách đạt 1.234,6 tỷ đồng, bằng 82,3 % kế hoạch; lũy kế 2.034,6; cùng kỳ 1.000, tăng 23,5 %; xếp thứ 1/1.');
      // The provisional exports figure carries note 1, the incomplete arrivals notes 2 and 3.
      expect(text).toContain('Xuất khẩu ước đạt 56,71 triệu USD. Khách du lịch 32.3452 lượt, chưa đủ số liệu để so sánh3.');
      expect(text).toContain('1 Kim ngạch xuất khẩu: Số liệu sơ bộ, có thể thay đổi khi có số liệu chính thức.');
      expect(text).toMatch(/2 Lượt khách du lịch: Chưa đầy đủ: 2\/124 .*báo cáo/);
      expect(text).toContain('II. Hồ sơ theo cơ quan');
      expect(text).toContain('Hồ sơ đã giải quyết (hồ sơ)');
      expect(lines.filter((l) => / (40|30)$/.test(l)).map((l) => l.split(' ').at(-1))).toEqual(['40', '30']);
      expect(text).toContain('PHỤ LỤC: NGUỒN SỐ LIỆU');
      expect(lines.some((l) => l.startsWith('REVENUE Thu ngân sách tỷ đồng'))).toBe(true);
      // The charts are drawn with their labels as text: the months, October marked; the two wards with their figures, largest first.
      expect(text).toContain('08/2026');
      expect(text).toContain('10/2026*');
      expect(text).toContain('Cùng kỳ năm trước');
      const bars = lines.filter((l) => /\s(20\.000|12\.345)$/.test(l));
      expect(bars.map((l) => l.split(/\s+/).at(-1))).toEqual(['20.000', '12.345']);
      expect(text).toContain('* Số liệu sơ bộ hoặc chưa đầy đủ: 10/2026 sơ bộ.');
    });

    it('reads the figures in the reader’s scope: a ward’s officer is not given the province’s unpublished figures', async () => {
      const officer = await signInAs(s, 'officer.reports', [{ role: 'agency_officer', organisationCode: 'UBND-29242', placeCode: '29242' }]);
      const r = await s.app.inject({ url: '/api/reports/templates/bao-cao-thang/render?period=2026-10', headers: officer.read });
      expect([r.statusCode, r.json<{ error: string }>().error]).toEqual([404, 'unknown_indicator']);
    });

    it('answers an unknown template with a coded error', async () => {
      const r = await s.app.inject({ url: '/api/reports/templates/khong-co/render?period=2026-10', headers: steward.read });
      expect([r.statusCode, r.json<{ error: string }>().error]).toEqual([404, 'unknown_report_template']);
    });
  });
}
