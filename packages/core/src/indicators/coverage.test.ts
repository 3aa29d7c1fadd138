import { describe, expect, it } from 'vitest';
import { coverageKeys, coverageText, isComplete, requiredCoverage, weakest, weightShare, type Coverage } from './coverage';

const cover = (reported: number, expected: number, extra: Partial<Coverage> = {}): Coverage => ({ level: 'commune', reported, expected, weightShare: null, direct: false, required: 100, ...extra });

describe('coverage of a figure built from the units below a place', () => {
  it('needs every unit by default, and what the catalogue accepts when it says', () => {
    expect(requiredCoverage({ coverageRequired: null })).toBe(100);
    expect(isComplete(cover(123, 124), true)).toBe(false);
    expect(isComplete(cover(124, 124), true)).toBe(true);
    // 118 ÷ 124 = 95,16 % meets 95 %; 117 ÷ 124 = 94,35 % does not.
    expect(isComplete(cover(118, 124, { required: 95 }), true)).toBe(true);
    expect(isComplete(cover(117, 124, { required: 95 }), true)).toBe(false);
    // 19 ÷ 20 is exactly 95 %.
    expect(isComplete(cover(19, 20, { required: 95 }), true)).toBe(true);
  });

  it('takes a figure the place reported itself as complete, and no value as never complete', () => {
    expect(isComplete(cover(1, 1, { level: 'province', direct: true }), true)).toBe(true);
    expect(isComplete(cover(124, 124), false)).toBe(false);
    expect(isComplete(null, true)).toBe(true);
  });

  it('judges a composed period by its least covered stored period, over the periods holding the indicator’s reports', () => {
    expect(weakest([cover(124, 124), cover(3, 124), cover(120, 124)])).toMatchObject({ reported: 3 });
    expect(weakest([])).toBeNull();
    const stored = [
      { key: '2026-01', kind: 'month', end: '2026-01-31' },
      { key: '2026-02', kind: 'month', end: '2026-02-28' },
      { key: '2026-03', kind: 'month', end: '2026-03-31' },
      { key: '2026-Q1', kind: 'quarter', end: '2026-03-31' },
    ];
    expect(coverageKeys(stored, 'month', null)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(coverageKeys(stored, 'day', '2026-02-01')).toEqual(['2026-02', '2026-03']);
    expect(coverageKeys(stored, 'quarter', null)).toEqual(['2026-Q1']);
  });

  it('says the coverage as "3/124 xã" and "3 of 124 communes"', () => {
    expect(coverageText(cover(3, 124))).toEqual({ vi: '3/124 xã', en: '3 of 124 communes' });
    expect(coverageText(cover(1, 1, { level: 'province', direct: true })).en).toBe('Reported by the unit itself: complete');
  });

  it('gives the reporting units’ share of a weight, over the units whose weight is known', () => {
    const population = new Map([[1, 10_000], [2, 30_000], [3, 60_000]]);
    expect(weightShare([1, 2, 3], new Set([1, 2]), (u) => population.get(u) ?? null)).toBeCloseTo(0.4, 12);
    // Unit 4's weight is unknown: left out of both sides.
    expect(weightShare([1, 2, 3, 4], new Set([3, 4]), (u) => population.get(u) ?? null)).toBeCloseTo(0.6, 12);
    expect(weightShare([4], new Set([4]), () => null)).toBeNull();
  });
});
