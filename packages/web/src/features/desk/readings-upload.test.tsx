import type { Source, stationsApi } from '@watchfloor/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import type { Language } from '../../lib/i18n/translate';
import { ReadingsOutcome, ReadingsUpload, takesSensorExport } from './file-upload';

function render(node: React.ReactNode, lang: Language = 'vi'): string {
  return renderToStaticMarkup(<I18nProvider initial={lang}>{node}</I18nProvider>);
}

const source = (mapping: Source['mapping']): Source => ({
  code: 'TV-AIR',
  name: 'Trạm không khí Trà Vinh (tệp)',
  kind: 'file',
  ownerOrganisationCode: 'VL-STC',
  schedule: null,
  expected: null,
  mapping,
  enabled: true,
  hasCredentials: false,
  hasToken: false,
  coverage: null,
  lastArrivalAt: null,
  lastPeriodEnd: null,
  createdAt: '2026-12-01T00:00:00Z',
  updatedAt: '2026-12-01T00:00:00Z',
});

describe('a sensor export on the data desk', () => {
  it('is what a source takes when its mapping names a file’s sites or parameters, not a report layout or an MQTT feed alone', () => {
    expect(takesSensorExport(source({ sensors: { stations: { 'Tra Vinh': 'VL-TV-Q' }, datastreams: { 'PM2.5 - Principal': 'pm25' } } }))).toBe(true);
    expect(takesSensorExport(source({ sensors: { datastreams: { 'PM2.5 - Principal': 'pm25' } } }))).toBe(true);
    expect(takesSensorExport(source({ sensors: { mqtt: { url: 'mqtt://broker.local', topics: ['air/#'] } } }))).toBe(false);
    expect(takesSensorExport(source({ columns: { 'Chỉ tiêu': 'indicator' } }))).toBe(false);
    expect(takesSensorExport(source(null))).toBe(false);
  });

  it('says what the channel refuses and that the file is stored on upload, offering no preview', () => {
    const html = render(<ReadingsUpload source={source({ sensors: { stations: { 'Tra Vinh': 'VL-TV-Q' } } })} onCommitted={() => undefined} />);
    expect(html).toContain('Tải tệp số đo quan trắc');
    expect(html).toContain('số đo ngoài ngưỡng hợp lệ và số đo trùng giờ nhưng khác giá trị bị từ chối; một ngày chỉ có giá trị trung bình khi có số đo ở 18/24 giờ');
    expect(html).toContain('Tệp được ghi ngay khi tải lên (không có bước xem trước)');
    expect(html).not.toContain('Kiểm tra');
    // Nothing to send before a file is chosen.
    expect(html).toMatch(/<button type="button" class="button primary" disabled="">Tải lên và ghi<\/button>/);
    const en = render(<ReadingsUpload source={source({ sensors: { stations: { 'Tra Vinh': 'VL-TV-Q' } } })} onCommitted={() => undefined} />, 'en');
    expect(en).toContain('readings outside the valid range and conflicting duplicates are refused; a day gets a mean only with readings in 18 of its 24 hours');
    expect(en).toContain('The file is stored on upload');
  });

  // 26 hourly lines: 20 new readings, 3 already stored, one above the valid range, one a second value for an hour taken, one -999.
  const result: stationsApi.ReadingsUploadResult = {
    runId: 12,
    dryRun: false,
    status: 'partial',
    rowsRead: 26,
    accepted: 23,
    created: 20,
    revised: 0,
    unchanged: 3,
    rejected: 3,
    rejectedRows: [
      { index: 4, line: 6, reason: 'conflicting_duplicate', message: 'VL-TV-Q pm25 at 2026-11-01T21:00:00Z holds 19.2', raw: 'Tra Vinh,PM2.5 - Principal,2026-11-02 04:00,2026,11,02,04,60.9,0,Good,60.9,UG/M3,1 Hr,Valid', row: null },
      { index: 12, line: 14, reason: 'above_valid_range', message: '1200.5 above 1000', raw: 'Tra Vinh,PM2.5 - Principal,2026-11-02 12:00,2026,11,02,12,1200.5,0,Good,1200.5,UG/M3,1 Hr,Valid', row: null },
    ],
    figures: 1,
  };

  it('shows what the upload stored: the readings counted, the daily figures written and each rejected row with its reason in Vietnamese', () => {
    const html = render(<ReadingsOutcome name="tra-vinh-11.csv" result={result} source="TV-AIR" />);
    expect(html).toContain('Đã ghi tệp tra-vinh-11.csv.');
    expect(html).toContain('Đã nhận 23/26 dòng (20 mới, 0 sửa đổi, 3 không đổi).');
    expect(html).toContain('3 dòng bị từ chối.');
    expect(html).toContain('Đã ghi 1 giá trị trung bình ngày.');
    expect(html).toContain('Trùng thời điểm với một số đo đã có nhưng khác giá trị <code class="small">conflicting_duplicate</code>');
    expect(html).toContain('Giá trị lớn hơn mức hợp lệ <code class="small">above_valid_range</code>');
    expect(html).toContain('<td class="num">14</td>');
    expect(html).toContain('2026-11-02 12:00,2026,11,02,12,1200.5');
    // Two of the three rejected rows came back: the run shows them all.
    expect(html).toContain('href="/desk/data?source=TV-AIR&amp;run=12"');
  });

  it('reads in English for an English reader', () => {
    const html = render(<ReadingsOutcome name="tra-vinh-11.csv" result={result} source="TV-AIR" />, 'en');
    expect(html).toContain('Accepted 23 of 26 rows (20 new, 0 revised, 3 unchanged).');
    expect(html).toContain('1 daily figures written.');
    expect(html).toContain('Above the valid range');
  });
});
