import type { BreakdownResponse, FigureView, OverviewItem, SeriesResponse } from '@watchfloor/core';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import { translate, type Language } from '../../lib/i18n/translate';
import { BreakdownTable } from '../indicator/breakdown-table';
import { chartModel } from '../indicator/chart-option';
import { LazySeriesChart } from '../indicator/lazy-chart';
import { markNames, seriesOption } from '../indicator/series-chart';
import { SeriesTable } from '../indicator/series-table';
import { IndicatorTile } from './indicator-tile';
import { figureLabel } from './regrouping-mark';
import { overviewItem } from './testing';

const NOW = new Date('2026-11-28T10:00:00Z');
const render = (node: ReactNode, lang: Language = 'vi') => renderToStaticMarkup(<I18nProvider initial={lang}>{node}</I18nProvider>);
const tile = (item: OverviewItem, lang: Language = 'vi', names?: OverviewItem[]) =>
  render(<IndicatorTile item={item} href="/p/86/i/PCI" now={NOW} period="2016" place="86" {...(names ? { names } : {})} />, lang);
/** Text without its tags. */
const text = (html: string) => html.replace(/<[^>]+>/g, '');
const t = (lang: Language) => (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(lang, key, params);

type Regrouping = NonNullable<FigureView['regrouping']>;
const province = (code: string, name: string, value: number | null, weight: number | null = null) => ({ code, name, level: 'province' as const, validFrom: null, validTo: '2025-06-30', value, weight });

/** Today's Vĩnh Long (86, from 1 July 2025) viewed for 2016: its PCI is not defined; Bến Tre, Trà Vinh and the old Vĩnh Long had their own. */
const pci2016: Regrouping = { by: 'none', weight: null, units: [province('83', 'Tỉnh Bến Tre', 35.52), province('84', 'Tỉnh Trà Vinh', 36.48), province('86', 'Tỉnh Vĩnh Long', 36.06)] };
const NOT_DEFINED = {
  vi: 'Không xác định cho đơn vị này trong kỳ này: đơn vị chưa được thành lập, và chỉ số không cộng gộp từ các đơn vị cũ; xem giá trị riêng của từng đơn vị cũ',
  en: 'Not defined for this unit in this period: the unit did not exist yet, and the score does not regroup from the former units; see each former unit’s own value',
};
/** The tile as the server answers it: no value, no freshness, no status colour, nothing compared. */
const pci = overviewItem({
  code: 'PCI',
  names: { vi: 'Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)', en: 'Provincial Competitiveness Index (PCI)' },
  unit: 'điểm',
  kind: 'composite',
  frequency: 'year',
  value: null,
  complete: false,
  facts: 0,
  updatedAt: null,
  freshness: { updatedAt: null, source: { code: 'VCCI PCI (public release)', name: null }, organisation: null, dueAt: null, state: 'no_expectation' },
  regrouping: pci2016,
  samePeriodLastYear: { period: '2015', value: null, growth: null },
  trend: [{ period: '2015', value: null }, { period: '2016', value: null }],
  status: { colour: 'unrated', reason: 'not_defined_for_unit', text: NOT_DEFINED, stale: false, staleness: { reason: 'not_defined_for_unit', dueDate: null, staleSince: null, text: NOT_DEFINED } },
});

/** GRDP growth of today's Vĩnh Long in 2024: the former provinces' growth weighted by their GRDP, an estimate. */
const growth2024: Regrouping = { by: 'weighted_mean', weight: 'ECO_GRDP', units: [province('83', 'Tỉnh Bến Tre', 7.28, 44_580.9), province('84', 'Tỉnh Trà Vinh', 7.08, 33_503.7), province('86', 'Tỉnh Vĩnh Long', 5.77, 34_955.8)] };
// (7,28 × 44.580,9 + 7,08 × 33.503,7 + 5,77 × 34.955,8) / 113.040,4 = 6,73
const growth = overviewItem({ code: 'ECO_GRDP_GROWTH', names: { vi: 'Tăng trưởng GRDP', en: 'GRDP growth' }, value: 6.73, estimated: true, regrouped: true, regrouping: growth2024 });
const grdp = overviewItem({ code: 'ECO_GRDP', names: { vi: 'Tổng sản phẩm trên địa bàn (GRDP)', en: 'Gross regional domestic product (GRDP)' }, unit: 'tỷ đồng' });

describe('a score not defined for the unit in the period', () => {
  it('says so on the tile, with each former unit’s own value, the old unit of the same code named with its dates', () => {
    const vi = tile(pci);
    expect(text(vi)).toContain('Không xác định cho đơn vị này');
    expect(text(vi)).toContain('Các đơn vị cũ: Tỉnh Bến Tre 35,5 điểm · Tỉnh Trà Vinh 36,5 điểm · Tỉnh Vĩnh Long (đến 30/06/2025) 36,1 điểm');
    expect(text(vi)).toContain('Chỉ số không cộng gộp từ các đơn vị cũ');
    const en = tile(pci, 'en');
    expect(text(en)).toContain('Not defined for this unit');
    expect(text(en)).toContain('Former units: Tỉnh Bến Tre 35.5 điểm · Tỉnh Trà Vinh 36.5 điểm · Tỉnh Vĩnh Long (until 30 Jun 2025) 36.1 điểm');
  });

  it('is neither "no data", "not received" nor late, and is uncoloured with nothing compared', () => {
    const vi = tile(pci);
    expect(vi).toContain('status-unrated');
    expect(vi).not.toMatch(/status-(green|amber|red|grey)/);
    expect(vi).not.toContain('no-data');
    expect(vi).not.toContain('Không có số liệu');
    expect(vi).not.toContain('Chưa nhận được số liệu');
    expect(vi).not.toContain('Trễ hạn');
    expect(vi).not.toContain('%');
    expect(vi).not.toContain('class="growth');
    expect(tile(pci, 'en')).not.toContain('No figure received');
  });

  it('reads "Không xác định" in a breakdown with the former units’ own values, below every unit that has a figure', () => {
    const freshness = { updatedAt: null, source: null, organisation: null, dueAt: null, state: 'no_expectation' } as const;
    const row = (key: string, name: string, value: number | null, regrouping: Regrouping | null) =>
      ({ key, name, value, regrouping, regrouped: false, complete: value !== null, coverage: null, estimated: false, provisional: false, facts: value === null ? 0 : 1, updatedAt: null, components: null, freshness }) as const;
    const breakdown: BreakdownResponse = {
      indicator: 'PCI',
      place: { code: 'VN', name: 'Việt Nam', nameEn: null, level: 'country', parentCode: null, validFrom: null, validTo: null },
      at: '2026-11-28',
      period: '2016',
      by: 'place',
      items: [
        row('86', 'Tỉnh Vĩnh Long', null, pci2016),
        // A province that kept its borders still has its own score (hand-made: the demo regroups every province).
        row('01', 'Thành phố Hà Nội', 30.1, null),
      ],
    };
    const html = render(<BreakdownTable breakdown={breakdown} title="Theo tỉnh" direction="higher_is_better" format={(v) => `${String(v).replace('.', ',')} điểm`} />);
    const rows = html.split('<tr>').slice(2);
    // Sorted by value, the best first: the undefined score is not ranked, so it comes after Hà Nội's 30,1, though each former province's own score is higher.
    expect(rows[0]).toContain('Thành phố Hà Nội');
    expect(text(rows[1]!)).toContain('Tỉnh Vĩnh LongKhông xác địnhTỉnh Bến Tre 35,52 điểm · Tỉnh Trà Vinh 36,48 điểm · Tỉnh Vĩnh Long (đến 30/06/2025) 36,06 điểm');
    expect(rows[1]).not.toContain('Không có số liệu');
  });

  it('leaves its periods empty on the chart, its tooltip giving the former units’ own values, and reads "Không xác định" in the table', () => {
    const freshness = { updatedAt: null, source: null, organisation: null, dueAt: null, state: 'no_expectation' } as const;
    const point = (period: string, value: number | null, regrouping: Regrouping | null) =>
      ({ period, value, regrouping, regrouped: false, target: null, samePeriodLastYear: null, complete: value !== null, coverage: null, estimated: false, provisional: false, facts: 0, updatedAt: null, components: null, freshness }) as const;
    const series: SeriesResponse = {
      indicator: 'PCI',
      place: { code: '86', name: 'Tỉnh Vĩnh Long', nameEn: null, level: 'province', parentCode: 'VN', validFrom: '2025-07-01', validTo: null },
      at: '2026-11-28',
      points: [point('2016', null, pci2016), point('2025', null, null), point('2026', 61.2, null)],
    };
    const model = chartModel(series, 'vi');
    expect(model.notDefined).toEqual([0]);
    expect(model.actual).toEqual([null, null, 61.2]);
    const format = (v: number) => `${String(v).replace('.', ',')} điểm`;
    const option = seriesOption({ model, names: { actual: 'Thực hiện', plan: 'Kế hoạch', lastYear: 'Cùng kỳ năm trước' }, format, formatAxis: String, unit: 'điểm', onSelect: () => undefined, label: 'x' }, markNames({ lang: 'vi', t: t('vi') }));
    const actual = (option.series as { name: string; tooltip: { valueFormatter: (v: unknown, i: number) => string } }[]).find((s) => s.name === 'Thực hiện')!;
    expect(actual.tooltip.valueFormatter(null, 0)).toBe('Không xác định (Tỉnh Bến Tre 35,52 điểm · Tỉnh Trà Vinh 36,48 điểm · Tỉnh Vĩnh Long (đến 30/06/2025) 36,06 điểm)');
    // A period without a figure is still no data.
    expect(actual.tooltip.valueFormatter(null, 1)).toBe('—');
    const table = render(<SeriesTable series={series} format={format} onSelect={() => undefined} />);
    const row2016 = table.split('<tr').find((r) => r.includes('Năm 2016'))!;
    expect(text(row2016)).toContain('Không xác địnhTỉnh Bến Tre 35,52 điểm');
    expect(render(<LazySeriesChart model={model} names={{ actual: 'A', plan: 'P', lastYear: 'L' }} format={format} formatAxis={String} unit="điểm" onSelect={() => undefined} label="x" />)).toContain(
      'data-testid="chart-not-defined"',
    );
  });

  it('says so in a map tooltip, in Vietnamese and English', () => {
    const f = { value: null, provisional: false, coverage: null, complete: false, regrouped: false, regrouping: pci2016 };
    expect(figureLabel('86', 'Tỉnh Vĩnh Long', f, 'điểm', 'vi', t('vi'))).toBe(
      'Tỉnh Vĩnh Long: Không xác định (Tỉnh Bến Tre 35,5 điểm · Tỉnh Trà Vinh 36,5 điểm · Tỉnh Vĩnh Long (đến 30/06/2025) 36,1 điểm)',
    );
    expect(figureLabel('86', 'Vinh Long', f, 'điểm', 'en', t('en'))).toBe('Vinh Long: Not defined (Tỉnh Bến Tre 35.5 điểm · Tỉnh Trà Vinh 36.5 điểm · Tỉnh Vĩnh Long (until 30 Jun 2025) 36.1 điểm)');
    // A unit without a figure of its own says so; when none has one, that is said once; and no data stays no data.
    const partial = { ...pci2016, units: [province('83', 'Tỉnh Bến Tre', null), province('84', 'Tỉnh Trà Vinh', 36.48)] };
    expect(figureLabel('86', 'Tỉnh Vĩnh Long', { ...f, regrouping: partial }, 'điểm', 'vi', t('vi'))).toBe('Tỉnh Vĩnh Long: Không xác định (Tỉnh Bến Tre không có số liệu · Tỉnh Trà Vinh 36,5 điểm)');
    const none = { ...pci2016, units: [province('83', 'Tỉnh Bến Tre', null), province('84', 'Tỉnh Trà Vinh', null)] };
    expect(figureLabel('86', 'Tỉnh Vĩnh Long', { ...f, regrouping: none }, 'điểm', 'vi', t('vi'))).toBe('Tỉnh Vĩnh Long: Không xác định (Các đơn vị cũ đều không có số liệu)');
    expect(text(tile({ ...pci, regrouping: none }, 'en'))).toContain('Not defined for this unitNone of the former units has a figure');
    expect(figureLabel('86', 'Tỉnh Vĩnh Long', { ...f, regrouping: null }, 'điểm', 'vi', t('vi'))).toBe('Tỉnh Vĩnh Long: Không có số liệu');
  });
});

describe('a weighted mean of the former units after a merger', () => {
  it('is marked as an estimate on the tile, weighted by the weight indicator named as the overview names it, over how many units', () => {
    const vi = tile(growth, 'vi', [grdp, growth]);
    expect(vi).toContain('6,7');
    expect(text(vi)).toContain('Ước tính bình quân theo Tổng sản phẩm trên địa bàn (GRDP) của 3 đơn vị cũ');
    // One estimate mark, not two.
    expect(text(vi).match(/Ước tính/g)).toHaveLength(1);
    expect(vi).toContain('Tỉnh Bến Tre 7,3 % · Tỉnh Trà Vinh 7,1 % · Tỉnh Vĩnh Long (đến 30/06/2025) 5,8 %');
    expect(text(tile(growth, 'en', [grdp, growth]))).toContain('Estimated mean of 3 former units weighted by Gross regional domestic product (GRDP)');
    // Without the overview's names, the weight's code.
    expect(text(tile(growth))).toContain('bình quân theo ECO_GRDP của 3 đơn vị cũ');
  });

  it('is not marked when it is the unit’s own figure, or a weighted mean over the units below it that existed', () => {
    expect(tile(overviewItem({ code: 'ECO_GRDP_GROWTH', value: 6.9 }))).not.toContain('weighted-estimate');
    expect(tile(overviewItem({ code: 'ECO_GRDP_GROWTH', value: 6.9, regrouping: { ...growth2024, units: growth2024.units.map((u) => ({ ...u, validTo: null })) } }))).not.toContain('weighted-estimate');
  });

  it('carries the mark in a breakdown, the series table and a map tooltip', () => {
    const freshness = { updatedAt: null, source: null, organisation: null, dueAt: null, state: 'no_expectation' } as const;
    const figure = { value: 6.73, regrouping: growth2024, regrouped: true, complete: true, coverage: null, estimated: true, provisional: false, facts: 3, updatedAt: null, components: null, freshness } as const;
    const place = { code: '86', name: 'Tỉnh Vĩnh Long', nameEn: null, level: 'province', parentCode: 'VN', validFrom: '2025-07-01', validTo: null } as const;
    const breakdown: BreakdownResponse = { indicator: 'ECO_GRDP_GROWTH', place: { ...place, code: 'VN', name: 'Việt Nam', level: 'country', parentCode: null, validFrom: null }, at: '2026-11-28', period: '2024', by: 'place', items: [{ key: '86', name: 'Tỉnh Vĩnh Long', ...figure }] };
    const format = (v: number) => `${v} %`;
    const rows = render(<BreakdownTable breakdown={breakdown} title="Theo tỉnh" direction="higher_is_better" format={format} names={[grdp]} />);
    expect(rows).toContain('data-mark="weighted-estimate"');
    expect(rows).toContain('title="Ước tính: bình quân có trọng số theo Tổng sản phẩm trên địa bàn (GRDP) của giá trị riêng 3 đơn vị cũ (Tỉnh Bến Tre 7.28 % · Tỉnh Trà Vinh 7.08 % · Tỉnh Vĩnh Long (đến 30/06/2025) 5.77 %)');
    const series: SeriesResponse = { indicator: 'ECO_GRDP_GROWTH', place, at: '2026-11-28', points: [{ period: '2024', target: null, samePeriodLastYear: null, ...figure }] };
    expect(render(<SeriesTable series={series} format={format} onSelect={() => undefined} />)).toContain('data-mark="weighted-estimate"');
    expect(chartModel(series, 'vi').estimated).toEqual([0]);
    expect(figureLabel('86', 'Tỉnh Vĩnh Long', figure, '%', 'vi', t('vi'))).toBe('Tỉnh Vĩnh Long: 6,7 % (ước tính)');
  });
});
