import type { BreakdownResponse, OverviewItem, SeriesResponse } from '@watchfloor/core';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import { translate, type Language } from '../../lib/i18n/translate';
import { BreakdownTable } from '../indicator/breakdown-table';
import { chartModel } from '../indicator/chart-option';
import { SeriesTable } from '../indicator/series-table';
import { IndicatorTile } from './indicator-tile';
import { figureText } from './provisional-mark';
import { overviewItem } from './testing';

const NOW = new Date('2026-11-28T10:00:00Z');
const render = (node: ReactNode, lang: Language = 'vi') => renderToStaticMarkup(<I18nProvider initial={lang}>{node}</I18nProvider>);
const tile = (item: OverviewItem, lang: Language = 'vi') => render(<IndicatorTile item={item} href="/p/86/i/X" now={NOW} period="2025-10" />, lang);
const marks = (html: string) => html.match(/data-mark="provisional"/g)?.length ?? 0;
const place = { code: '86', name: 'Vĩnh Long', nameEn: null, level: 'province', parentCode: null, validFrom: '2025-07-01', validTo: null } as const;
const freshness = { updatedAt: null, source: null, organisation: null, dueAt: null, state: 'no_expectation' } as const;
const figure = (value: number | null, provisional: boolean) => ({ value, provisional, estimated: false, facts: value === null ? 0 : 1, updatedAt: null, components: null, freshness, coverage: null, complete: value !== null, regrouping: null });

describe('the provisional (sơ bộ) mark', () => {
  it('marks a tile whose figure rests on provisional values, in Vietnamese and in English', () => {
    const item = overviewItem({ code: 'DOSSIERS_RECEIVED', value: 250, provisional: true });
    const vi = tile(item);
    expect(marks(vi)).toBe(1);
    expect(vi).toContain('>Sơ bộ</span>');
    expect(vi).toContain('title="Có phần số liệu sơ bộ, chưa chính thức');
    expect(tile(item, 'en')).toContain('>Provisional</span>');
  });

  it('leaves a final figure, and a tile with no data, unmarked', () => {
    expect(marks(tile(overviewItem({ code: 'DOSSIERS_RESOLVED', value: 200, provisional: false })))).toBe(0);
    expect(marks(tile(overviewItem({ code: 'DOSSIERS_RECEIVED', value: null, provisional: true })))).toBe(0);
  });

  it('marks the provisional rows of a breakdown, and only those', () => {
    const breakdown: BreakdownResponse = {
      indicator: 'DOSSIERS_RECEIVED',
      place,
      at: '2026-01-01',
      period: '2025-10',
      by: 'place',
      items: [
        { key: '29242', name: 'Phường Trà Vinh', regrouped: false, ...figure(200, false) },
        { key: '29263', name: 'Phường Long Đức', regrouped: false, ...figure(50, true) },
      ],
    };
    const html = render(<BreakdownTable breakdown={breakdown} title="Theo đơn vị" direction="higher_is_better" format={String} />);
    expect(marks(html)).toBe(1);
    const rows = html.split('<tr>').slice(2);
    expect(rows.find((r) => r.includes('Phường Long Đức'))).toContain('Sơ bộ');
    expect(rows.find((r) => r.includes('Phường Trà Vinh'))).not.toContain('Sơ bộ');
  });

  it('marks the provisional point of a series, in its table and as a hollow point of its chart', () => {
    const series: SeriesResponse = {
      indicator: 'DOSSIERS_RECEIVED',
      place,
      at: '2026-01-01',
      points: [
        { period: '2025-08', regrouped: false, target: null, samePeriodLastYear: null, ...figure(null, false) },
        { period: '2025-09', regrouped: false, target: null, samePeriodLastYear: null, ...figure(240, false) },
        { period: '2025-10', regrouped: false, target: null, samePeriodLastYear: null, ...figure(250, true) },
      ],
    };
    expect(chartModel(series, 'vi').provisional).toEqual([2]);
    const html = render(<SeriesTable series={series} format={String} onSelect={() => undefined} />);
    expect(marks(html)).toBe(1);
    expect(html.split('<tr').find((r) => r.includes('>250'))).toContain('Sơ bộ');
  });

  it('says so in a map tooltip: "name: value (sơ bộ)", and never for no data', () => {
    const t = (key: Parameters<typeof translate>[1]) => translate('vi', key);
    expect(figureText('Phường Long Đức', { value: 50, provisional: true }, 'hồ sơ', 'vi', t)).toBe('Phường Long Đức: 50 hồ sơ (sơ bộ)');
    expect(figureText('Phường Trà Vinh', { value: 200, provisional: false }, 'hồ sơ', 'vi', t)).toBe('Phường Trà Vinh: 200 hồ sơ');
    expect(figureText('Phường 1', { value: null, provisional: true }, 'hồ sơ', 'vi', t)).toBe('Phường 1: Không có số liệu');
    expect(figureText('Long Duc', { value: 50, provisional: true }, 'hồ sơ', 'en', (key) => translate('en', key))).toBe('Long Duc: 50 hồ sơ (provisional)');
  });
});
