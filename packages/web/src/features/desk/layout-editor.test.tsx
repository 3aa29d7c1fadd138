import type { IngestResult } from '@watchfloor/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import type { Language } from '../../lib/i18n/translate';
import { refusedColumn, TriedRows } from './layout-editor';

function render(node: React.ReactNode, lang: Language = 'vi'): string {
  return renderToStaticMarkup(<I18nProvider initial={lang}>{node}</I18nProvider>);
}

const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

/** A layout tried on a sample: a new figure, a revised one, one unchanged, and an empty cell refused. */
const tried: IngestResult = {
  runId: null,
  dryRun: true,
  status: 'partial',
  rowsRead: 4,
  accepted: 3,
  created: 0,
  revised: 0,
  unchanged: 0,
  rejected: 1,
  rejectedRows: [{ index: 3, line: 5, reason: 'missing_value', message: 'Line 5, column "Đã giải quyết": no value', raw: '29243,Xã hai,85,', row: null }],
  preview: [
    { place: '29242', period: '2026-10', indicator: 'DOSSIERS_RECEIVED', value: 125, previous: { value: 120, status: 'final' } },
    { place: '29242', period: '2026-10', indicator: 'DOSSIERS_RESOLVED', value: 110, previous: { value: 110, status: 'final' } },
    { place: 'Xã hai', period: '2026-10', indicator: 'DOSSIERS_RECEIVED', value: 85, stored: { place: '29243', placeName: 'Xã Hai', organisation: null, value: 85, unit: 'hồ sơ' } },
  ],
};

const INDICATORS = [{ code: 'DOSSIERS_RECEIVED', unit: 'hồ sơ' }, { code: 'DOSSIERS_RESOLVED', unit: 'hồ sơ' }] as never;

describe('the rows a tried layout will store', () => {
  it('shows each as stored, old → new for a revision, and each refused cell with its column and reason in Vietnamese', () => {
    const html = render(<TriedRows result={tried} indicators={INDICATORS} />);
    const stored = textOf(html.slice(html.indexOf('data-testid="layout-stored"'), html.indexOf('data-testid="layout-rejected"')));
    expect(stored).toContain('29242 DOSSIERS_RECEIVED Tháng 10/2026 125 hồ sơ 120 → 125');
    expect(stored).toContain('29242 DOSSIERS_RESOLVED Tháng 10/2026 110 hồ sơ Không đổi');
    expect(stored).toContain('29243 Xã Hai DOSSIERS_RECEIVED Tháng 10/2026 85 hồ sơ Mới');
    const rejected = textOf(html.slice(html.indexOf('data-testid="layout-rejected"')));
    expect(rejected).toContain('5 Đã giải quyết Thiếu giá trị');
  });

  it('speaks English to an English reader', () => {
    const html = textOf(render(<TriedRows result={tried} indicators={INDICATORS} />, 'en'));
    expect(html).toContain('120 → 125');
    expect(html).toContain('Unchanged');
    expect(html).toContain('No value');
  });

  it('reads the column a refusal names', () => {
    expect(refusedColumn('Line 5, column "Hồ sơ / Đúng hạn": no value')).toBe('Hồ sơ / Đúng hạn');
    expect(refusedColumn('Line 5: no unit; the row was not read')).toBeNull();
  });
});
