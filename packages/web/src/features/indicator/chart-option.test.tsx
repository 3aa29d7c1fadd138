import type { SeriesResponse } from '@watchfloor/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import type { Language } from '../../lib/i18n/translate';
import { chartModel, mergerIndex, type ChartModel } from './chart-option';
import { LazySeriesChart } from './lazy-chart';
import { seriesOption } from './series-chart';

/** The months from `first` on, `n` of them: 2024-11, 2024-12, 2025-01 … */
function months(first: string, n: number): string[] {
  const [y, m] = first.split('-').map(Number) as [number, number];
  return Array.from({ length: n }, (_, i) => {
    const k = y * 12 + (m - 1) + i;
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
  });
}

function series(periods: string[], regrouped: (period: string) => boolean): SeriesResponse {
  return {
    indicator: 'PS_ON_TIME_RATE',
    place: { code: '86', name: 'Tỉnh Vĩnh Long', nameEn: null, level: 'province', parentCode: 'VN', validFrom: '2025-07-01', validTo: null },
    at: '2026-11-28',
    points: periods.map((period, i) => ({
      period,
      value: 90 + i,
      regrouped: regrouped(period),
      target: null,
      samePeriodLastYear: null,
      provisional: false,
    })) as unknown as SeriesResponse['points'],
  };
}

describe('the 1 July 2025 merger on a series', () => {
  it('stands on the first period of the new map when the series crosses that day', () => {
    // January … December 2025: July is the 7th point, index 6.
    expect(mergerIndex(months('2025-01', 12))).toBe(6);
    // November 2024 … October 2025: Nov, Dec, Jan … Jun are 8 points before July.
    expect(mergerIndex(months('2024-11', 12))).toBe(8);
    // Quarters: Q3 2025 begins on the day.
    expect(mergerIndex(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4'])).toBe(2);
    // A period the day falls inside carries it: the year 2025, the first seven months of 2025.
    expect(mergerIndex(['2023', '2024', '2025', '2026'])).toBe(2);
    expect(mergerIndex(['2025-YTD-05', '2025-YTD-06', '2025-YTD-07', '2025-YTD-08'])).toBe(2);
    expect(mergerIndex(['2025'])).toBe(0);
  });

  it('is absent from a series wholly before or wholly after the day', () => {
    expect(mergerIndex(months('2024-07', 12))).toBeNull(); // July 2024 … June 2025
    expect(mergerIndex(months('2025-07', 12))).toBeNull(); // July 2025 … June 2026: begins on the new map
    expect(mergerIndex(months('2025-12', 12))).toBeNull();
    expect(mergerIndex([])).toBeNull();
  });

  const names = { actual: 'Thực hiện', plan: 'Kế hoạch', lastYear: 'Cùng kỳ năm trước' };
  const props = (model: ChartModel) => ({ model, names, format: String, formatAxis: String, unit: '%', onSelect: () => undefined, label: 'x' });

  it('draws a marker line on that period, and names it and the regrouped points in the legend', () => {
    // Regrouped from the three former provinces until June 2025; the new Vĩnh Long reports from July.
    const model = chartModel(series(months('2025-01', 12), (p) => p < '2025-07'), 'vi');
    expect(model.merger).toBe(6);
    expect(model.regrouped).toEqual([0, 1, 2, 3, 4, 5]);
    const option = seriesOption(props(model), { merger: 'Sáp nhập 1/7/2025', regrouped: 'Tổng hợp lại' });
    const legend = option.legend as { data: { name: string }[] };
    expect(legend.data.map((d) => d.name)).toEqual(['Thực hiện', 'Cùng kỳ năm trước', 'Tổng hợp lại', 'Sáp nhập 1/7/2025']);
    const all = option.series as { name: string; data: unknown[]; markLine?: { data: { xAxis: number }[] } }[];
    expect(all.find((s) => s.name === 'Sáp nhập 1/7/2025')?.markLine?.data).toEqual([{ xAxis: 6 }]);
    // The regrouped entry holds the six regrouped values on their own periods, nothing elsewhere.
    expect(all.find((s) => s.name === 'Tổng hợp lại')?.data).toEqual([90, 91, 92, 93, 94, 95, null, null, null, null, null, null]);
  });

  it('draws neither where the series stays on one map', () => {
    const model = chartModel(series(months('2025-12', 12), () => false), 'vi');
    const option = seriesOption(props(model), { merger: 'Sáp nhập 1/7/2025', regrouped: 'Tổng hợp lại' });
    expect((option.legend as { data: { name: string }[] }).data.map((d) => d.name)).toEqual(['Thực hiện', 'Cùng kỳ năm trước']);
  });

  it('explains the marker and the regrouped points under the chart, in Vietnamese and English', () => {
    const render = (model: ChartModel, lang: Language) =>
      renderToStaticMarkup(
        <I18nProvider initial={lang}>
          <LazySeriesChart {...props(model)} />
        </I18nProvider>,
      );
    const crossing = chartModel(series(months('2025-01', 12), (p) => p < '2025-07'), 'vi');
    const vi = render(crossing, 'vi');
    expect(vi).toContain('data-testid="chart-merger"');
    expect(vi).toContain('Sáp nhập 1/7/2025: sáp nhập tỉnh và xã, không còn cấp huyện');
    expect(vi).toContain('data-testid="chart-regrouped"');
    expect(render(crossing, 'en')).toContain('districts abolished');
    const after = render(chartModel(series(months('2025-12', 12), () => false), 'vi'), 'vi');
    expect(after).not.toContain('chart-merger');
    expect(after).not.toContain('chart-regrouped');
  });
});
