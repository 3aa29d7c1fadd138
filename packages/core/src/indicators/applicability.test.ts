import { describe, expect, it } from 'vitest';
import { applicability, collectedLevels, seriesStart } from './applicability';
import { indicatorDefinitionSchema, type IndicatorDefinition, type IndicatorDefinitionInput } from './indicator';
import { parsePeriod } from './periods';

const base = { kind: 'base', unit: 'tỷ đồng', domain: 'budget', frequency: 'month', direction: 'higher_is_better', aggregation: { places: 'sum', time: 'sum' } } as const;
const names = { vi: 'x', en: 'x' };
const catalogue = (defs: IndicatorDefinitionInput[]): Map<string, IndicatorDefinition> => new Map(defs.map((d) => [d.code, indicatorDefinitionSchema.parse(d)]));

const cat = catalogue([
  { ...base, code: 'REVENUE', names, collectedAt: ['province'], since: '2021-11' },
  { ...base, code: 'RECEIVED', names, collectedAt: ['commune'], since: '2021-07' },
  { ...base, code: 'RESOLVED', names, collectedAt: ['commune'] },
  { ...base, code: 'LEGACY', names },
  { ...base, kind: 'derived', code: 'BACKLOG', names, formula: 'RECEIVED - RESOLVED' },
  { ...base, kind: 'derived', code: 'REVENUE_PER_CASE', names, formula: 'REVENUE / RECEIVED' },
  { ...base, kind: 'derived', code: 'TOLD', names, formula: 'RECEIVED + REVENUE', collectedAt: ['commune'], since: '2023' },
]);
const at = (code: string, level: 'country' | 'province' | 'district' | 'commune', period: string) => applicability(cat, code, { level, period: parsePeriod(period) }).kind;

describe('where an indicator applies', () => {
  it('applies at the levels it is collected at and above them, never below', () => {
    expect(['country', 'province', 'district', 'commune'].map((l) => at('REVENUE', l as 'province', '2025-10'))).toEqual(['applies', 'applies', 'not_collected_at_level', 'not_collected_at_level']);
    expect(['country', 'province', 'district', 'commune'].map((l) => at('RECEIVED', l as 'province', '2025-10'))).toEqual(['applies', 'applies', 'applies', 'applies']);
  });

  it('says so in both languages', () => {
    expect(applicability(cat, 'REVENUE', { level: 'commune', period: parsePeriod('2025-10') })).toEqual({
      kind: 'not_collected_at_level',
      levels: ['province'],
      text: { vi: 'Chỉ thu thập ở cấp tỉnh, không áp dụng cho cấp xã', en: 'Collected at province level only: does not apply at commune level' },
    });
  });

  it('applies everywhere, at any period, when the catalogue does not say (as before)', () => {
    expect(['country', 'province', 'district', 'commune'].map((l) => at('LEGACY', l as 'province', '1990-01'))).toEqual(['applies', 'applies', 'applies', 'applies']);
    expect(collectedLevels(cat, 'LEGACY')).toBeNull();
    expect(seriesStart(cat, 'LEGACY')).toBeNull();
  });

  it('gives a derived indicator that does not say the levels all its parts reach, and the latest start of its parts', () => {
    expect(collectedLevels(cat, 'BACKLOG')).toEqual(['commune']);
    expect(seriesStart(cat, 'BACKLOG')).toBe('2021-07-01');
    // Revenue per case needs a province-only part: it is province-only, and starts when revenue does.
    expect(collectedLevels(cat, 'REVENUE_PER_CASE')).toEqual(['province']);
    expect(at('REVENUE_PER_CASE', 'commune', '2025-10')).toBe('not_collected_at_level');
    expect(seriesStart(cat, 'REVENUE_PER_CASE')).toBe('2021-11-01');
    // What a derived indicator says of itself wins.
    expect(collectedLevels(cat, 'TOLD')).toEqual(['commune']);
    expect(seriesStart(cat, 'TOLD')).toBe('2023-01-01');
  });
});

describe('since when an indicator is collected', () => {
  it('is "not collected yet" for a period that ends before its series starts, and applies from its first period', () => {
    expect(at('REVENUE', 'province', '2021-10')).toBe('not_collected_yet');
    expect(at('REVENUE', 'province', '2020')).toBe('not_collected_yet');
    expect(at('REVENUE', 'province', '2021-11')).toBe('applies');
    // A period the series starts within is collected (in part).
    expect(at('REVENUE', 'province', '2021')).toBe('applies');
    expect(applicability(cat, 'REVENUE', { level: 'province', period: parsePeriod('2020-05') })).toEqual({
      kind: 'not_collected_yet',
      since: '2021-11-01',
      text: { vi: 'Chưa thu thập: chuỗi số liệu bắt đầu từ tháng 11/2021', en: 'Not collected yet: the series starts in November 2021' },
    });
  });

  it('says a level first: below its levels an indicator is not collected at any time', () => {
    expect(at('REVENUE', 'commune', '2020-05')).toBe('not_collected_at_level');
  });
});

describe('the catalogue fields', () => {
  it('default to every level, no stated start and no year-plan pace, so older catalogues keep their meaning', () => {
    const d = indicatorDefinitionSchema.parse({ ...base, code: 'OLD', names });
    expect(d).toMatchObject({ collectedAt: null, since: null, planProgress: null });
  });

  it('take a series start as a period key and refuse anything else', () => {
    for (const since of ['2021-11', '2021-Q4', '2022', '2021-11-15']) expect(indicatorDefinitionSchema.safeParse({ ...base, code: 'X', names, since }).success).toBe(true);
    for (const since of ['2021-13', 'November 2021', '2021-H1', '']) expect(indicatorDefinitionSchema.safeParse({ ...base, code: 'X', names, since }).success).toBe(false);
    expect(indicatorDefinitionSchema.safeParse({ ...base, code: 'X', names, collectedAt: [] }).success).toBe(false);
    expect(indicatorDefinitionSchema.safeParse({ ...base, code: 'X', names, collectedAt: ['ward'] }).success).toBe(false);
    expect(indicatorDefinitionSchema.safeParse({ ...base, code: 'X', names, planProgress: 'linear' }).success).toBe(false);
    const band = indicatorDefinitionSchema.safeParse({ ...base, code: 'X', names, direction: 'band', planProgress: 'pro_rata' });
    expect(band.error?.issues[0]).toMatchObject({ path: ['planProgress'], params: { reason: 'plan_progress_on_band' } });
  });
});
