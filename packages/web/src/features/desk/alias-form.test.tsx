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

const file = { name: 'bao-cao-xa.csv' } as File;

/** A commune sheet whose "Phường 01" three communes bore in 2024, and whose agency is a legacy code. */
const result: IngestResult = {
  runId: null,
  dryRun: true,
  status: 'partial',
  rowsRead: 3,
  accepted: 1,
  created: 0,
  revised: 0,
  unchanged: 0,
  rejected: 2,
  rejectedRows: [
    {
      index: 1,
      line: 3,
      reason: 'unknown_organisation',
      message: 'Line 3: No organisation SXD existed during 2026-10; if it is the source\'s own code or name for one, add it as an alias of the source',
      raw: 'Phuong Tra Vinh;SXD;10/2026;12',
      row: { place: 'Phuong Tra Vinh', organisation: 'SXD', period: '2026-10', value: 12 },
    },
    {
      index: 2,
      line: 4,
      reason: 'ambiguous_place_name',
      message: 'Line 4: Several units are named "Phường 01" during 2024-10: 28756 Phường 1 (until 2025-06-30); 29239 Phường 1 (until 2025-06-30). Use the code, or add "Phường 01" as an alias of the right one',
      raw: 'Phường 01;STC;10/2024;13',
      row: { place: 'Phường 01', organisation: 'STC', period: '2024-10', value: 13 },
    },
  ],
  numberStyle: null,
};

const previewed = uploadReducer(uploadReducer(uploadReducer(initialUpload, { type: 'choose', file }), { type: 'preview' }), { type: 'previewed', result });

describe('a rejected row of a preview refused for a name', () => {
  it('offers to name the unit or agency for the source, with the candidates to pick from', () => {
    const html = render(<UploadOutcome state={previewed} source="VL-XA" onCommit={() => undefined} onRecheck={() => undefined} />);
    expect(html.match(/data-testid="alias-form"/g)).toHaveLength(2);
    expect(html).toContain('“SXD” trong tệp của nguồn này là cơ quan:');
    expect(html).toContain('“Phường 01” trong tệp của nguồn này là đơn vị hành chính:');
    expect(html).toContain('<option value="28756" selected="">28756 Phường 1 (until 2025-06-30)</option>');
    expect(html).toContain('<option value="29239">29239 Phường 1 (until 2025-06-30)</option>');
    const en = render(<UploadOutcome state={previewed} source="VL-XA" onCommit={() => undefined} onRecheck={() => undefined} />, 'en');
    expect(en).toContain('Add an alias for the source');
    expect(en).toContain('Save and check the file again');
  });

  it('offers nothing where the file cannot be checked again', () => {
    expect(render(<UploadOutcome state={previewed} source="VL-XA" onCommit={() => undefined} />)).not.toContain('alias-form');
  });
});

describe('a preview of rows stored otherwise than sent', () => {
  it('shows each as in the file and as it will be kept, every digit of a converted value', () => {
    const converted: IngestResult = {
      ...result,
      rejected: 0,
      rejectedRows: [],
      accepted: 2,
      preview: [
        { indicator: 'BUD_EXPENDITURE', place: 'UBND phường Trà Vinh', period: '2026-10', value: 1234.5, unit: 'triệu đồng', stored: { place: '29242', placeName: 'Phường Trà Vinh', organisation: null, value: 1.2345, unit: 'tỷ đồng' } },
        { indicator: 'BUD_EXPENDITURE', place: '86', period: '2026-10', value: 5, unit: 'tỷ đồng' },
      ],
    };
    const state = uploadReducer(uploadReducer(uploadReducer(initialUpload, { type: 'choose', file }), { type: 'preview' }), { type: 'previewed', result: converted });
    const html = render(<UploadOutcome state={state} source="VL-CHI" onCommit={() => undefined} />);
    expect(html).toContain('data-testid="stored-as"');
    expect(html).toContain('UBND phường Trà Vinh — BUD_EXPENDITURE 2026-10: 1.234,5 triệu đồng');
    expect(html).toContain('29242 Phường Trà Vinh: 1,2345 tỷ đồng');
    // A row kept as sent is not listed.
    expect(html.match(/<tr>/g)).toHaveLength(2);
    expect(render(<UploadOutcome state={state} source="VL-CHI" onCommit={() => undefined} />, 'en')).toContain('29242 Phường Trà Vinh: 1.2345 tỷ đồng');
  });
});
