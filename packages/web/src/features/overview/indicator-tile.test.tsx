import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import type { Language } from '../../lib/i18n/translate';
import { IndicatorTile } from './indicator-tile';
import { overviewItem } from './testing';
import type { OverviewItem } from '@watchfloor/core';

const NOW = new Date('2026-11-28T10:00:00Z');

function render(item: OverviewItem, lang: Language = 'vi'): string {
  return renderToStaticMarkup(
    <I18nProvider initial={lang}>
      <IndicatorTile item={item} href="/p/86/i/X" now={NOW} period="2026-10" />
    </I18nProvider>,
  );
}

describe('an indicator tile', () => {
  it('shows value and unit, plan, year to date, last year and freshness with the owner', () => {
    const html = render(
      overviewItem({
        code: 'TRD_RETAIL',
        names: { vi: 'Tổng mức bán lẻ', en: 'Retail sales' },
        unit: 'tỷ đồng',
        value: 13673,
        target: 14000,
        percentOfPlan: 97.7,
        ytd: { period: '2026-YTD-10', value: 135452.2, target: 157144.5, percentOfYearPlan: 86.2 },
        samePeriodLastYear: { period: '2025-10', value: 12252, growth: 11.6 },
        owner: { code: 'VL-SCT', name: 'Sở Công Thương tỉnh Vĩnh Long' },
        trend: [{ period: '2026-09', value: 13000 }, { period: '2026-10', value: 13673 }],
      }),
    );
    expect(html).toContain('13.673<span class="unit">tỷ đồng</span>');
    expect(html).toContain('97,7 % kế hoạch');
    expect(html).toContain('Lũy kế 10 tháng năm 2026');
    expect(html).toContain('86,2 % KH năm');
    expect(html).toContain('+11,6 %');
    expect(html).toContain('tone-good');
    expect(html).toContain('Cập nhật 3 ngày trước · Sở Công Thương tỉnh Vĩnh Long');
    expect(html).toContain('<svg class="sparkline"');
    expect(html).toContain('href="/p/86/i/X"');
  });

  it('says who the figure was updated by: the accountable agency', () => {
    const freshness = { updatedAt: '2026-11-25T10:00:00Z', source: { code: 'SCT-MANUAL', name: 'Nhập tay — Sở Công Thương' }, organisation: { code: 'VL-SCT', name: 'Sở Công Thương tỉnh Vĩnh Long' }, dueAt: '2026-11-10T17:00:00.000Z', state: 'fresh' } as const;
    const html = render(overviewItem({ code: 'TRD_RETAIL', owner: { code: 'VL-SCT', name: 'Sở Công Thương tỉnh Vĩnh Long' }, freshness }));
    expect(html).toContain('Cập nhật 3 ngày trước bởi Sở Công Thương tỉnh Vĩnh Long');
    expect(html).not.toContain('· Sở Công Thương');
  });

  it('shows no data as a grey status with the late mark and its reason, never a zero', () => {
    const html = render(
      overviewItem({
        code: 'TOU_VISITORS',
        value: null,
        updatedAt: null,
        status: {
          colour: 'grey',
          reason: 'no_data',
          text: { vi: 'Không có số liệu', en: 'No data' },
          stale: true,
          staleness: { reason: 'overdue', dueDate: '2026-11-10', staleSince: '2026-11-11', text: { vi: 'Quá hạn gửi số liệu (hạn 10/11/2026)', en: 'Overdue (due 2026-11-10)' } },
        },
      }),
      'en',
    );
    expect(html).toContain('status-grey');
    expect(html).toContain('No data');
    expect(html).toContain('Late</span> Overdue (due 2026-11-10)');
    expect(html).toContain('No figure received');
    expect(html).not.toMatch(/>0</);
  });

  it('marks regrouped and estimated figures', () => {
    const html = render(overviewItem({ code: 'X', regrouped: true, estimated: true }));
    expect(html).toContain('Tổng hợp lại');
    expect(html).toContain('Ước tính');
  });
});
