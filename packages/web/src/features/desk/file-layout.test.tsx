import type { IngestResult } from '@watchfloor/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import type { Language } from '../../lib/i18n/translate';
import { UploadOutcome } from './file-upload';
import { initialUpload, uploadReducer } from './upload-state';

function render(node: React.ReactNode, lang: Language = 'vi'): string {
  return renderToStaticMarkup(<I18nProvider initial={lang}>{node}</I18nProvider>);
}

const file = { name: 'bao-cao-thang-10.xlsx' } as File;

/** The dry run of a wide monthly report whose "Đúng hạn" total is off by 7. */
const wide: IngestResult = {
  runId: null,
  dryRun: true,
  status: 'succeeded',
  rowsRead: 9,
  accepted: 9,
  created: 9,
  revised: 0,
  unchanged: 0,
  rejected: 0,
  rejectedRows: [],
  numberStyle: null,
  layout: {
    headerLine: 5,
    values: [
      { column: 'Hồ sơ / Tiếp nhận', indicator: 'DOSSIERS_RECEIVED', unit: null, status: null },
      { column: 'Hồ sơ / Đúng hạn', indicator: 'DOSSIERS_ON_TIME', unit: 'hồ sơ', status: null },
    ],
    keys: { period: { from: 'title', value: '2026-10', cell: 'A3' }, place: { from: 'column', value: null, cell: null } },
    totals: [
      { line: 9, column: 'Hồ sơ / Tiếp nhận', total: 1245, sum: 1245 },
      { line: 9, column: 'Hồ sơ / Đúng hạn', total: 1215, sum: 1208 },
    ],
  },
  warnings: [{ code: 'total_mismatch', line: 9, column: 'Hồ sơ / Đúng hạn', message: 'Line 9, column "Hồ sơ / Đúng hạn": the total row says 1215 but the rows add up to 1208 (a difference of 7)' }],
};

const previewOf = (r: IngestResult) => uploadReducer(uploadReducer(uploadReducer(initialUpload, { type: 'choose', file }), { type: 'preview' }), { type: 'previewed', result: r });

describe('the preview of a report file', () => {
  it('says where the period came from, which columns feed which indicators, and warns of a total that does not add up', () => {
    const html = render(<UploadOutcome state={previewOf(wide)} source="VL-HOSO" onCommit={() => undefined} />);
    expect(html).toContain('Kỳ báo cáo<strong> Tháng 10/2026</strong>: lấy từ dòng tiêu đề (ô A3)');
    expect(html).toContain('Đơn vị: lấy từ cột của từng dòng');
    expect(html).toContain('<q>Hồ sơ / Tiếp nhận</q> → <code>DOSSIERS_RECEIVED</code>');
    expect(html).toContain('Dòng tổng cộng (dòng 9) không được ghi');
    expect(html).toContain('Cảnh báo: dòng 9, cột &quot;Hồ sơ / Đúng hạn&quot;: dòng tổng ghi 1.215 nhưng cộng các dòng được 1.208.');
    const en = render(<UploadOutcome state={previewOf(wide)} source="VL-HOSO" onCommit={() => undefined} />, 'en');
    expect(en).toContain('from the title rows (cell A3)');
    expect(en).toContain('the total row says 1,215 but the rows add up to 1,208.');
  });

  it('says nothing of a layout the answer does not carry, and a declared period drops the preview', () => {
    const { layout: _l, warnings: _w, ...plain } = wide;
    expect(render(<UploadOutcome state={previewOf(plain)} source="VL-HOSO" onCommit={() => undefined} />)).not.toContain('file-layout');
    const declared = uploadReducer(previewOf(wide), { type: 'period', period: '10/2026' });
    expect(declared).toMatchObject({ step: 'chosen', period: '10/2026' });
    expect(uploadReducer(declared, { type: 'preview' })).toMatchObject({ step: 'previewing', period: '10/2026' });
  });
});
