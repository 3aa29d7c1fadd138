import { describe, expect, it } from 'vitest';
import { indicatorDefinitionSchema } from '@watchfloor/core';
import { concernsScreen, indicatorInputs } from './live';

const figures = (indicators: string[], partial?: boolean) => ({ type: 'observations.changed' as const, indicators, places: partial ? [] : ['86'], periods: partial ? [] : ['2026-10'], ...(partial ? { partial } : {}) });

describe('whether a live event concerns the screen', () => {
  it('refreshes an overview for any figure written, and on resync', () => {
    expect(concernsScreen(figures(['PM25']), { indicators: 'any' })).toBe(true);
    expect(concernsScreen({ type: 'resync' }, { indicators: [] })).toBe(true);
  });

  it('refreshes an indicator screen only for the indicators it shows', () => {
    const screen = { indicators: ['DOSSIERS_ON_TIME_RATE', 'DOSSIERS_ON_TIME', 'DOSSIERS_RESOLVED'] };
    expect(concernsScreen(figures(['DOSSIERS_RESOLVED']), screen)).toBe(true);
    expect(concernsScreen(figures(['PM25', 'REPORTS_RECEIVED']), screen)).toBe(false);
  });

  it('treats a cut-short list as "any indicator"', () => {
    expect(concernsScreen(figures([], true), { indicators: ['PM25'] })).toBe(true);
  });

  it('lets case events through only to screens listing cases', () => {
    const e = { type: 'case.changed' as const, id: 'C-1', status: 'new' as const };
    expect(concernsScreen(e, { indicators: 'any' })).toBe(false);
    expect(concernsScreen(e, { indicators: [], cases: true })).toBe(true);
  });
});

describe('the indicators feeding an indicator screen', () => {
  const base = { unit: 'hồ sơ', domain: 'public_services', frequency: 'month', direction: 'higher_is_better', names: { vi: 'x', en: 'x' } };
  it('is the indicator itself, its numerator and denominator for a rate, anything for a formula', () => {
    expect(indicatorInputs(indicatorDefinitionSchema.parse({ ...base, kind: 'base', code: 'A', aggregation: { places: 'sum', time: 'sum' } }))).toEqual(['A']);
    const rate = indicatorDefinitionSchema.parse({ ...base, kind: 'base', code: 'R', aggregation: { places: 'ratio', time: 'ratio' }, ratio: { numerator: 'N', denominator: 'D', multiplier: 100 } });
    expect(indicatorInputs(rate)).toEqual(['R', 'N', 'D']);
    expect(indicatorInputs(indicatorDefinitionSchema.parse({ ...base, kind: 'derived', code: 'X', formula: 'A - B', aggregation: { places: 'sum', time: 'sum' } }))).toBe('any');
  });
});
