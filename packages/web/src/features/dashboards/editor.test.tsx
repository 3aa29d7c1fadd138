import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { IndicatorDefinition } from '@watchfloor/core';
import { ApiError } from '../../lib/api';
import { I18nProvider } from '../../lib/i18n/i18n';
import { Refusal } from './dashboards-list';
import { matchIndicators, searchKey } from './indicator-picker';

const def = (code: string, vi: string, en: string) => ({ code, names: { vi, en } }) as IndicatorDefinition;
const CATALOGUE = [def('PS_ON_TIME_RATE', 'Tỷ lệ hồ sơ giải quyết đúng hạn', 'On-time rate'), def('BUD_REVENUE', 'Thu ngân sách', 'Budget revenue'), def('HLT_DENGUE', 'Sốt xuất huyết', 'Dengue')];

describe('the indicator search', () => {
  it('finds indicators by code or name, with or without Vietnamese marks, every word', () => {
    expect(searchKey('Đúng hạn')).toBe('dung han');
    expect(matchIndicators(CATALOGUE, 'dung han').map((d) => d.code)).toEqual(['PS_ON_TIME_RATE']);
    expect(matchIndicators(CATALOGUE, 'ngân').map((d) => d.code)).toEqual(['BUD_REVENUE']);
    expect(matchIndicators(CATALOGUE, 'hlt').map((d) => d.code)).toEqual(['HLT_DENGUE']);
    expect(matchIndicators(CATALOGUE, 'rate budget')).toEqual([]);
    expect(matchIndicators(CATALOGUE, '  ')).toHaveLength(3);
  });
});

describe('a refused save', () => {
  it('lists each problem with its panel and path, in the reader’s language', () => {
    const error = Object.assign(new ApiError('invalid_dashboard', 'panel so-lieu: no indicator has code NO_SUCH', 400), {
      details: [{ path: 'panels.0.indicators.1', panel: 'so-lieu', reason: 'unknown_indicator', message: 'no indicator has code NO_SUCH' }],
    });
    const vi = renderToStaticMarkup(
      <I18nProvider initial="vi">
        <Refusal error={error} />
      </I18nProvider>,
    );
    expect(vi).toContain('role="alert"');
    expect(vi).toContain('Chưa lưu được:');
    expect(vi).toContain('<code>so-lieu</code>');
    expect(vi).toContain('(panels.0.indicators.1)');
    expect(vi).toContain('no indicator has code NO_SUCH');
    const en = renderToStaticMarkup(
      <I18nProvider initial="en">
        <Refusal error={new ApiError('network', 'Failed to fetch', 0)} />
      </I18nProvider>,
    );
    expect(en).toContain('Not saved:');
    expect(en).toContain('Failed to fetch');
  });
});
