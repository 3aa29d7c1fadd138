import { describe, expect, it } from 'vitest';
import { NO_DATA_COLOUR, PALETTE, choropleth, classOf, paletteFor, quantileBreaks } from './classify';

describe('choropleth classes', () => {
  it('splits the values into groups of about the same size', () => {
    const values = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(quantileBreaks(values)).toEqual([3, 5, 7, 9]);
    expect(classOf(1, [3, 5, 7, 9])).toBe(0);
    expect(classOf(3, [3, 5, 7, 9])).toBe(1);
    expect(classOf(10, [3, 5, 7, 9])).toBe(4);
  });

  it('makes fewer classes when values repeat, none for a single value', () => {
    expect(quantileBreaks([1, 1, 1, 2])).toEqual([2]);
    expect(quantileBreaks([4])).toEqual([]);
    expect(quantileBreaks([null, null])).toEqual([]);
  });

  it('puts the bright end on the better side', () => {
    expect(paletteFor(5, 'higher_is_better')).toEqual([...PALETTE]);
    expect(paletteFor(5, 'lower_is_better')).toEqual([...PALETTE].reverse());
    expect(paletteFor(2, 'higher_is_better')).toEqual([PALETTE[0], PALETTE[4]]);
  });

  it('greys out units without data and counts them apart', () => {
    const c = choropleth([1, 2, null, 3, 4, 5], 'higher_is_better');
    expect(c.colourOf(null)).toBe(NO_DATA_COLOUR);
    expect(c.colourOf(5)).toBe(PALETTE[4]);
    expect(c.noData).toBe(1);
    expect(c.legend.reduce((n, e) => n + e.count, 0)).toBe(5);
    expect(c.legend[0]).toMatchObject({ from: null });
    expect(c.legend.at(-1)).toMatchObject({ to: null });
    expect(choropleth([null, null], 'higher_is_better')).toMatchObject({ legend: [], noData: 2 });
  });
});
