import type { SeriesResponse } from '@watchfloor/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import { translate, type Language } from '../../lib/i18n/translate';
import { chartModel, mergerIndex, type ChartModel } from './chart-option';
import { LazySeriesChart } from './lazy-chart';
import { markNames, seriesOption } from './series-chart';

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
      coverage: null,
      complete: true,
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
  const marks = { merger: 'Sáp nhập 1/7/2025', regrouped: 'Tổng hợp lại', incomplete: 'Chưa đủ đơn vị báo cáo', incompleteNote: () => '', notDefined: 'Không xác định', estimated: 'ước tính', former: () => '' };
  const props = (model: ChartModel) => ({ model, names, format: String, formatAxis: String, unit: '%', onSelect: () => undefined, label: 'x' });

  it('draws a marker line on that period, and names it and the regrouped points in the legend', () => {
    // Regrouped from the three former provinces until June 2025; the new Vĩnh Long reports from July.
    const model = chartModel(series(months('2025-01', 12), (p) => p < '2025-07'), 'vi');
    expect(model.merger).toBe(6);
    expect(model.regrouped).toEqual([0, 1, 2, 3, 4, 5]);
    const option = seriesOption(props(model), marks);
    const legend = option.legend as { data: { name: string }[] };
    expect(legend.data.map((d) => d.name)).toEqual(['Thực hiện', 'Cùng kỳ năm trước', 'Tổng hợp lại', 'Sáp nhập 1/7/2025']);
    const all = option.series as { name: string; data: unknown[]; markLine?: { data: { xAxis: number }[] } }[];
    expect(all.find((s) => s.name === 'Sáp nhập 1/7/2025')?.markLine?.data).toEqual([{ xAxis: 6 }]);
    // The regrouped entry holds the six regrouped values on their own periods, nothing elsewhere.
    expect(all.find((s) => s.name === 'Tổng hợp lại')?.data).toEqual([90, 91, 92, 93, 94, 95, null, null, null, null, null, null]);
  });

  it('draws neither where the series stays on one map', () => {
    const model = chartModel(series(months('2025-12', 12), () => false), 'vi');
    const option = seriesOption(props(model), marks);
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

describe('an incomplete point on a series', () => {
  // Tourist arrivals of Vĩnh Long (a sum of its 124 wards): August and September every ward reported;
  // in October only 3 had, 10.000 + 15.000 + 13.700 = 38.700, a partial total and not a fall from 380.000.
  const wards = (reported: number) => ({ level: 'commune', reported, expected: 124, weightShare: null, direct: false, required: 100 }) as const;
  const freshness = { updatedAt: null, source: null, organisation: null, dueAt: null, state: 'no_expectation' } as const;
  const point = (period: string, value: number, reported: number) => ({
    period,
    value,
    regrouped: false,
    target: null,
    samePeriodLastYear: null,
    estimated: false,
    provisional: false,
    facts: reported,
    updatedAt: null,
    components: null,
    freshness,
    coverage: wards(reported),
    complete: reported === 124,
    regrouping: null,
  });
  const arrivals: SeriesResponse = {
    indicator: 'ARRIVALS',
    place: { code: '86', name: 'Tỉnh Vĩnh Long', nameEn: null, level: 'province', parentCode: 'VN', validFrom: '2025-07-01', validTo: null },
    at: '2026-11-01',
    points: [point('2026-08', 372_000, 124), point('2026-09', 380_000, 124), point('2026-10', 38_700, 3)],
  };
  const names = { actual: 'Thực hiện', plan: 'Kế hoạch', lastYear: 'Cùng kỳ năm trước' };
  const props = (model: ChartModel) => ({ model, names, format: (v: number) => `${v} lượt`, formatAxis: String, unit: 'lượt', onSelect: () => undefined, label: 'x' });
  type Line = { name: string; data: ({ value: number | null; itemStyle?: { borderType?: string } } | number | null)[]; tooltip?: { show?: boolean; valueFormatter?: (v: unknown, i: number) => string } };
  const valueOf = (d: Line['data'][number]) => (d !== null && typeof d === 'object' ? d.value : d);

  it('is drawn apart, off the line, with a legend entry of its own', () => {
    const model = chartModel(arrivals, 'vi');
    expect(model.incomplete).toEqual([2]);
    const option = seriesOption(props(model), markNames({ lang: 'vi', t: (key, params) => translate('vi', key, params) }));
    const legend = option.legend as { data: { name: string; icon?: string }[] };
    expect(legend.data).toContainEqual(expect.objectContaining({ name: 'Chưa đủ đơn vị báo cáo', itemStyle: expect.objectContaining({ borderType: 'dashed' }) }));
    const all = option.series as Line[];
    // The line joins the two complete months only: October's 38.700 is not its end.
    expect(all.find((s) => s.name === 'Thực hiện')!.data.map(valueOf)).toEqual([372_000, 380_000, null]);
    const incomplete = all.find((s) => s.name === 'Chưa đủ đơn vị báo cáo')!;
    expect(incomplete.data.map(valueOf)).toEqual([null, null, 38_700]);
    expect((incomplete.data[2] as { itemStyle: { borderType: string } }).itemStyle.borderType).toBe('dashed');
  });

  it("says in the tooltip how many units the point's figure covers, in Vietnamese and English", () => {
    const tooltip = (lang: Language) => {
      const option = seriesOption(props(chartModel(arrivals, lang)), markNames({ lang, t: (key, params) => translate(lang, key, params) }));
      const actual = (option.series as Line[]).find((s) => s.name === 'Thực hiện')!;
      // echarts hands the formatter the value drawn (none, for the incomplete point) and the point's index.
      return (i: number) => actual.tooltip!.valueFormatter!(i === 2 ? null : 380_000, i);
    };
    expect(tooltip('vi')(2)).toBe('38700 lượt (chưa đủ, 3/124 xã)');
    expect(tooltip('en')(2)).toBe('38700 lượt (incomplete, 3 of 124 communes)');
    expect(tooltip('vi')(1)).toBe('380000 lượt');
  });

  it('is explained under the chart, in Vietnamese and English, only when the series has one', () => {
    const render = (series: SeriesResponse, lang: Language) =>
      renderToStaticMarkup(
        <I18nProvider initial={lang}>
          <LazySeriesChart {...props(chartModel(series, lang))} />
        </I18nProvider>,
      );
    expect(render(arrivals, 'vi')).toContain('data-testid="chart-incomplete"');
    expect(render(arrivals, 'vi')).toContain('Chưa đủ đơn vị báo cáo');
    expect(render(arrivals, 'en')).toContain('not every unit below has reported');
    const complete = { ...arrivals, points: arrivals.points.slice(0, 2) };
    expect(chartModel(complete, 'vi').incomplete).toEqual([]);
    expect(render(complete, 'vi')).not.toContain('chart-incomplete');
  });
});
