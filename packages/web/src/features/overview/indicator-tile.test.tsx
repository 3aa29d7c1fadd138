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
        ytd: { period: '2026-YTD-10', value: 135452.2, complete: true, provisional: false, coverage: null, target: 157144.5, percentOfYearPlan: 86.2, expected: null },
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

  it('says what a month with only a year plan was compared with: the year to date against the progress expected by then', () => {
    const revenue = overviewItem({
      code: 'BUD_REVENUE',
      unit: 'tỷ đồng',
      value: 1500,
      // 13.600 of a 15.000 plan after 11 months: 90,7 %; pro rata 11/12 = 91,7 % expected.
      ytd: { period: '2026-YTD-11', value: 13600, complete: true, provisional: false, coverage: null, target: 15000, percentOfYearPlan: (13600 / 15000) * 100, expected: { basis: 'pro_rata', months: 11, percent: (11 / 12) * 100 } },
      status: { colour: 'amber', reason: 'plan_pace_near', text: { vi: 'Gần đạt tiến độ kế hoạch năm', en: 'Close to the year plan’s pace' }, stale: false, staleness: null },
    });
    expect(render(revenue)).toContain('90,7 % KH năm</span><span class="muted">; kỳ vọng 91,7 % sau 11 tháng</span>');
    expect(render(revenue, 'en')).toContain('90.7 % of year plan</span><span class="muted">; 91.7 % expected after month 11</span>');
    const seasonal = { ...revenue, ytd: { ...revenue.ytd!, expected: { basis: 'seasonal' as const, months: 11, percent: 80.4 } } };
    expect(render(seasonal)).toContain('kỳ vọng 80,4 % sau 11 tháng (theo diễn biến năm trước)');
  });

  it('marks an incomplete year to date with its coverage, and never sets it against the year plan or its pace', () => {
    // October is complete, but in September only 117 of 124 wards sent their parts of the on-time rate, which needs 95 %:
    // the year to date is as complete as September. Were it compared: 90 of a year plan of 95 = 94,7 %.
    const coverage = { level: 'commune', reported: 117, expected: 124, weightShare: null, direct: false, required: 95 } as const;
    const item = overviewItem({
      code: 'ON_TIME_RATE',
      value: 90,
      coverage: { ...coverage, reported: 118 },
      ytd: { period: '2026-YTD-10', value: 90, complete: false, provisional: false, coverage, target: 95, percentOfYearPlan: (90 / 95) * 100, expected: { basis: 'pro_rata', months: 10, percent: (10 / 12) * 100 } },
    });
    const vi = render(item);
    expect(vi).toContain('Lũy kế 10 tháng năm 2026');
    expect(vi).toContain('data-mark="ytd-incomplete">Chưa đủ: 117/124 xã</span>');
    expect(vi).not.toContain('KH năm');
    expect(vi).not.toContain('kỳ vọng');
    // The figure of the month itself is complete: only the year to date is marked.
    expect(vi).not.toContain('data-mark="incomplete"');
    expect(render(item, 'en')).toContain('>Incomplete: 117 of 124 communes</span>');
  });

  it('marks a provisional year to date as the figure is, and leaves a final one unmarked', () => {
    const ytd = { period: '2026-YTD-10', value: 13600, complete: true, provisional: true, coverage: null, target: null, percentOfYearPlan: null, expected: null };
    const vi = render(overviewItem({ code: 'BUD_REVENUE', unit: 'tỷ đồng', value: 1500, ytd }));
    expect(vi).toContain('13.600 tỷ đồng');
    expect(vi).toContain('data-mark="ytd-provisional">Sơ bộ</span>');
    expect(vi).not.toContain('data-mark="provisional"');
    expect(render(overviewItem({ code: 'BUD_REVENUE', value: 1500, ytd: { ...ytd, provisional: false } }))).not.toContain('Sơ bộ');
  });

  it('says "not collected yet" before a series starts: no "not received", no agency owing it', () => {
    const text = { vi: 'Chưa thu thập: chuỗi số liệu bắt đầu từ tháng 7/2021', en: 'Not collected yet: the series starts in July 2021' };
    const item = overviewItem({
      code: 'BUD_REVENUE',
      value: null,
      updatedAt: null,
      owner: { code: 'VL-STC', name: 'Sở Tài chính' },
      status: { colour: 'grey', reason: 'not_collected_yet', text, stale: false, staleness: { reason: 'not_collected_yet', dueDate: null, staleSince: null, text } },
    });
    const vi = render(item);
    expect(vi).toContain('Chưa thu thập</p>');
    expect(vi).toContain('Chưa thu thập: chuỗi số liệu bắt đầu từ tháng 7/2021');
    expect(vi).not.toContain('Chưa nhận được số liệu');
    expect(vi).not.toContain('Sở Tài chính');
    expect(vi).not.toContain('Trễ hạn');
    expect(render(item, 'en')).toContain('Not collected yet: the series starts in July 2021');
  });

  it('marks regrouped and estimated figures', () => {
    const html = render(overviewItem({ code: 'X', regrouped: true, estimated: true }));
    expect(html).toContain('Tổng hợp lại');
    expect(html).toContain('Ước tính');
  });
});
