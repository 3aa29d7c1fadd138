import type { IngestResult } from '@watchfloor/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import type { Language } from '../../lib/i18n/translate';
import { ImportPanelView, type ImportStep } from './directive-import';

const SOURCES = [{ code: 'DEMO-EOFFICE-FILE', name: 'Hệ thống quản lý văn bản: tệp nhiệm vụ' }];

function render(o: { sources?: typeof SOURCES | undefined; state?: ImportStep; fileName?: string | null; lang?: Language } = {}): string {
  const nothing = () => undefined;
  return renderToStaticMarkup(
    <I18nProvider initial={o.lang ?? 'vi'}>
      <ImportPanelView
        sources={'sources' in o ? o.sources : SOURCES}
        code={SOURCES[0]!.code}
        fileName={o.fileName === undefined ? 'nhiem-vu.csv' : o.fileName}
        state={o.state ?? { step: 'idle' }}
        onSource={nothing}
        onFile={nothing}
        onCheck={nothing}
        onSave={nothing}
      />
    </I18nProvider>,
  );
}

/** The check of a file of five task rows: two saved as new tasks, three refused (lines 4–6 of the file). */
const CHECKED: IngestResult = {
  runId: null,
  dryRun: true,
  status: 'partial',
  rowsRead: 5,
  accepted: 2,
  created: 2,
  revised: 0,
  unchanged: 0,
  rejected: 3,
  rejectedRows: [
    { index: 2, line: 4, reason: 'unknown_organisation_name', message: 'column “Đơn vị chủ trì” (lead): No organisation is named "Sở Tài chánh"', raw: '501/TB-UBND,…,Sở Tài chánh,,15/12/2026', row: null },
    { index: 3, line: 5, reason: 'ambiguous_organisation_name', message: 'column “Đơn vị chủ trì” (lead): Several organisations are named "Ban Quản lý dự án": VL-BQL-A …; VL-BQL-B …', raw: '501/TB-UBND,…,Ban Quản lý dự án,,20/12/2026', row: null },
    { index: 4, line: 6, reason: 'invalid_row', message: 'column “Hạn xử lý” (deadline): “sớm nhất” is not a date (dd/mm/yyyy)', raw: '501/TB-UBND,…,VL-SYT,,sớm nhất', row: null },
  ],
};

describe('the leader’s office’s import of a directive file', () => {
  it('offers the template, the directive source and the file, and a check once a file is chosen', () => {
    const html = render({ state: { step: 'idle' } });
    expect(html).toContain('Nhập văn bản từ hệ thống quản lý văn bản');
    expect(html).toContain('href="/api/directives/template.xlsx"');
    expect(html).toContain('Tải tệp mẫu (XLSX)');
    expect(html).toContain('Hệ thống quản lý văn bản: tệp nhiệm vụ (DEMO-EOFFICE-FILE)');
    expect(html).toMatch(/<button[^>]*>Kiểm tra<\/button>/);
    expect(html).not.toMatch(/<button[^>]*disabled=""[^>]*>Kiểm tra/);
    // Without a file the check waits for one.
    expect(render({ fileName: null })).toMatch(/<button[^>]*disabled=""[^>]*>Kiểm tra<\/button>/);
  });

  it('says when there is no directive source to upload to, with no form', () => {
    const html = render({ sources: [] });
    expect(html).toContain('Chưa có nguồn dữ liệu văn bản chỉ đạo nào');
    expect(html).not.toContain('<select');
    expect(html).toContain('Tải tệp mẫu (XLSX)');
  });

  it('previews a checked file: the rows accepted, each refused row with its line and its reason in Vietnamese, and the save of the valid ones', () => {
    const html = render({ state: { step: 'checked', result: CHECKED } });
    expect(html).toContain('Kết quả kiểm tra nhiem-vu.csv (chưa lưu)');
    expect(html).toContain('2/5 dòng hợp lệ: 2 nhiệm vụ mới, 0 nhiệm vụ thay đổi, 0 không đổi.');
    expect(html).toContain('3 dòng bị từ chối');
    const lines = [...html.matchAll(/<td class="num">(\d+)<\/td>/g)].map((m) => m[1]);
    expect(lines).toEqual(['4', '5', '6']);
    expect(html).toContain('Không có cơ quan nào mang tên hoặc mã này vào thời điểm đó');
    expect(html).toContain('Tên này ứng với nhiều cơ quan: hãy dùng mã');
    expect(html).toContain('Dòng không đúng khuôn dạng (thiếu hoặc sai trường)');
    // The server's particulars: the column and the name refused.
    expect(html).toContain('Sở Tài chánh');
    expect(html).toContain('Hạn xử lý');
    expect(html).toMatch(/<button[^>]*>Lưu 2 dòng hợp lệ<\/button>/);
  });

  it('has nothing to save when every row is refused, and reads in English too', () => {
    const none = { ...CHECKED, accepted: 0, created: 0, status: 'failed' as const };
    const vi = render({ state: { step: 'checked', result: none } });
    expect(vi).toContain('Không có dòng nào hợp lệ để lưu.');
    expect(vi).not.toContain('Lưu 0');
    const en = render({ state: { step: 'checked', result: CHECKED }, lang: 'en' });
    expect(en).toContain('Check of nhiem-vu.csv (not saved)');
    expect(en).toContain('Several organisations bear this name');
    expect(en).toContain('Save the 2 valid rows');
  });

  it('says what was saved, with the rows refused', () => {
    const html = render({ state: { step: 'saved', result: { ...CHECKED, dryRun: false, runId: 12 } } });
    expect(html).toContain('Đã lưu nhiem-vu.csv.');
    expect(html).toContain('3 dòng bị từ chối');
    expect(html).not.toContain('Lưu 2 dòng hợp lệ');
  });
});
