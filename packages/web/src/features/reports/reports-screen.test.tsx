import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ReportTemplate, ReportTemplateSummary } from '@watchfloor/core';
import { I18nProvider } from '../../lib/i18n/i18n';
import { lastWholeMonth, reportFormats, templateProblems } from './reports-model';
import { ReportsView, TemplateEditor } from './reports-screen';

const TEMPLATES: ReportTemplateSummary[] = [
  { code: 'bao-cao-kt-xh-thang', title: { vi: 'Báo cáo tình hình kinh tế – xã hội', en: 'Monthly socio-economic report' }, demo: true, sections: 5, updatedAt: '2026-11-01T00:00:00.000Z' },
];

function view(edits: boolean, lang: 'vi' | 'en' = 'vi'): string {
  return renderToStaticMarkup(
    <I18nProvider initial={lang}>
      <ReportsView templates={TEMPLATES} initialPeriod="2026-10" edits={edits} />
    </I18nProvider>,
  );
}

describe('the reports screen', () => {
  it('offers each template’s report for the month chosen as a Word file, in Vietnamese', () => {
    const html = view(false);
    expect(html).toContain('Báo cáo định kỳ');
    expect(html).toContain('Báo cáo tình hình kinh tế – xã hội');
    expect(html).toContain('value="2026-10"');
    expect(html).toContain('href="/api/reports/templates/bao-cao-kt-xh-thang/render?period=2026-10&amp;format=docx"');
    expect(html).toContain('Tải Word (.docx)');
    expect(html).toContain('5 mục');
  });

  it('hides the template editor from a reader who may not change the catalogue', () => {
    expect(view(false)).not.toContain('Sửa mẫu');
    expect(view(true)).toContain('Sửa mẫu');
  });

  it('speaks English when asked', () => {
    const html = view(true, 'en');
    expect(html).toContain('Periodic reports');
    expect(html).toContain('Monthly socio-economic report');
    expect(html).toContain('Download Word (.docx)');
    expect(html).toContain('Edit template');
  });

  it('offers a PDF only when the server’s contract lists it', () => {
    const formats = reportFormats();
    expect(formats[0]).toBe('docx');
    expect(view(false).includes('Tải PDF')).toBe(formats.includes('pdf'));
  });

  it('chooses the last whole month by default, across a new year too', () => {
    expect(lastWholeMonth('2026-11-15')).toBe('2026-10');
    expect(lastWholeMonth('2027-01-01')).toBe('2026-12');
  });

  it('reads the problems the server lists with a refused template', () => {
    const details = [{ path: 'sections.1.paragraphs.0', reason: 'unknown_indicator', message: '{{value:NOPE}}: no indicator has code NOPE' }, 'junk'];
    expect(templateProblems(details)).toEqual([details[0]]);
    expect(templateProblems(undefined)).toEqual([]);
  });
});

describe('the template editor', () => {
  const TEMPLATE: ReportTemplate = {
    version: 1,
    code: 'bao-cao-thu',
    title: { vi: 'Báo cáo thử', en: 'Test report' },
    sections: [
      { kind: 'text', heading: 'I. KINH TẾ', paragraphs: ['Thu ngân sách {{value:BUD_REVENUE}} tỷ đồng.', 'Đoạn hai.'] },
      { kind: 'table', by: 'organisation', indicators: ['PS_DOSSIER_RECEIVED'] },
    ],
  };

  it('lists the sections read-only above the template’s JSON', () => {
    const html = renderToStaticMarkup(
      <I18nProvider initial="vi">
        <TemplateEditor template={TEMPLATE} onSave={() => Promise.resolve(TEMPLATE)} />
      </I18nProvider>,
    );
    expect(html).toContain('I. KINH TẾ');
    expect(html).toContain('văn bản, 2 đoạn');
    expect(html).toContain('(không có tiêu đề)');
    expect(html).toContain('bảng theo cơ quan, 1 chỉ tiêu');
    expect(html).toContain('&quot;code&quot;: &quot;bao-cao-thu&quot;');
    expect(html).toContain('Lưu mẫu');
  });
});
