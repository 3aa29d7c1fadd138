import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { aggregateRatio, aggregateValues, regroupRatio, regroupValues, type AggregationInput, type LineageLink, type RatioInput } from './aggregate';

const v = (value: number | null, extra: Omit<AggregationInput, 'value'> = {}): AggregationInput => ({ value, ...extra });

describe('aggregating values', () => {
  it('sums what is there, counts what is missing, and carries estimates', () => {
    expect(aggregateValues('sum', [v(10), v(20), v(null), v(5, { estimated: true })])).toEqual({ value: 35, estimated: true, used: 3, missing: 1 });
    expect(aggregateValues('sum', [v(10), v(20)])).toEqual({ value: 30, estimated: false, used: 2, missing: 0 });
  });

  it('gives no value, not zero, when nothing has a value', () => {
    expect(aggregateValues('sum', [v(null), v(null)])).toEqual({ value: null, estimated: false, used: 0, missing: 2 });
    expect(aggregateValues('max', [])).toEqual({ value: null, estimated: false, used: 0, missing: 0 });
  });

  it('means, minimums and maximums', () => {
    expect(aggregateValues('mean', [v(10), v(20), v(30), v(null)]).value).toBe(20);
    expect(aggregateValues('min', [v(10), v(-3), v(30)]).value).toBe(-3);
    expect(aggregateValues('max', [v(10), v(-3), v(30)]).value).toBe(30);
  });

  it('weights a weighted mean, leaving out inputs without a weight', () => {
    const r = aggregateValues('weighted_mean', [v(10, { weight: 1 }), v(20, { weight: 3 }), v(99)]);
    expect(r).toEqual({ value: 17.5, estimated: false, used: 2, missing: 1 });
    expect(aggregateValues('weighted_mean', [v(10, { weight: 0 })]).value).toBeNull();
  });

  it('takes the latest for last, flagged only if that one is estimated', () => {
    const series = [v(1, { at: '2025-03' }), v(3, { at: '2025-05' }), v(2, { at: '2025-04', estimated: true })];
    expect(aggregateValues('last', series)).toEqual({ value: 3, estimated: false, used: 3, missing: 0 });
    expect(aggregateValues('last', [v(1), v(2, { estimated: true })])).toMatchObject({ value: 2, estimated: true });
    expect(aggregateValues('last', [v(1, { at: '2025-05' }), v(null, { at: '2025-06' })]).value).toBe(1);
  });
});

describe('aggregating a rate', () => {
  const dossiers: RatioInput[] = [
    { numerator: 45, denominator: 50 },
    { numerator: 5, denominator: 10 },
  ];

  it('divides the summed parts: 50 of 60 is 83.3%, not the 70% an average of 90% and 50% would give', () => {
    const r = aggregateRatio(dossiers, 100);
    expect(r).toMatchObject({ numerator: 50, denominator: 60, used: 2, missing: 0, estimated: false });
    expect(r.value).toBeCloseTo(83.3333, 4);
  });

  it('leaves out a place missing either part, and has no value over a zero denominator', () => {
    expect(aggregateRatio([...dossiers, { numerator: 7, denominator: null }, { numerator: null, denominator: 9, estimated: true }], 100)).toMatchObject({
      numerator: 50,
      denominator: 60,
      used: 2,
      missing: 2,
      estimated: false,
    });
    expect(aggregateRatio([{ numerator: 0, denominator: 0 }]).value).toBeNull();
    expect(aggregateRatio([]).value).toBeNull();
    expect(aggregateRatio([{ numerator: 3, denominator: 4, estimated: true }])).toMatchObject({ value: 0.75, estimated: true });
  });
});

describe('regrouping through lineage', () => {
  // A and B merge wholly into X; C is split, 60% into X and 40% into Y; D has no edge.
  const links: LineageLink[] = [
    { from: 'A', to: 'X', part: 'full', share: null },
    { from: 'B', to: 'X', part: 'full', share: 1 },
    { from: 'C', to: 'X', part: 'partial', share: 0.6 },
    { from: 'C', to: 'Y', part: 'partial', share: 0.4 },
  ];
  const counts = new Map([
    ['A', v(100)],
    ['B', v(50)],
    ['C', v(200)],
    ['D', v(7)],
  ]);

  it('adds whole units and shares of split ones, flagging the partial ones estimated', () => {
    const { values, unmapped } = regroupValues('sum', counts, links);
    expect(values.get('X')).toEqual({ value: 270, estimated: true, used: 3, missing: 0 });
    expect(values.get('Y')).toEqual({ value: 80, estimated: true, used: 1, missing: 0 });
    expect(unmapped).toEqual(['D']);
  });

  it('is exact and not estimated for a merge of whole units', () => {
    const { values } = regroupValues('sum', new Map([['A', v(100)], ['B', v(50)]]), links);
    expect(values.get('X')).toEqual({ value: 150, estimated: false, used: 2, missing: 0 });
    expect(values.has('Y')).toBe(false);
  });

  it('carries an estimate through a full merge', () => {
    const { values } = regroupValues('sum', new Map([['A', v(100, { estimated: true })], ['B', v(50)]]), links);
    expect(values.get('X')?.estimated).toBe(true);
  });

  it('splits equally among the targets when no share is known', () => {
    const equal: LineageLink[] = [
      { from: 'C', to: 'X', part: 'partial', share: null },
      { from: 'C', to: 'Y', part: 'partial', share: null },
    ];
    const { values } = regroupValues('sum', new Map([['C', v(200)]]), equal);
    expect(values.get('X')?.value).toBe(100);
    expect(values.get('Y')?.value).toBe(100);
  });

  it('splits what known shares leave among the targets without one', () => {
    const mixed: LineageLink[] = [
      { from: 'C', to: 'X', part: 'partial', share: 0.5 },
      { from: 'C', to: 'Y', part: 'partial', share: null },
      { from: 'C', to: 'Z', part: 'partial', share: null },
    ];
    const { values } = regroupValues('sum', new Map([['C', v(200)]]), mixed);
    expect([values.get('X')?.value, values.get('Y')?.value, values.get('Z')?.value]).toEqual([100, 50, 50]);
  });

  it('counts a missing old value as missing on the new unit', () => {
    const { values } = regroupValues('sum', new Map([['A', v(100)], ['B', v(null)]]), links);
    expect(values.get('X')).toEqual({ value: 100, estimated: false, used: 1, missing: 1 });
  });

  it('means weighted by the share that moved', () => {
    const pm25 = new Map([
      ['A', v(30)],
      ['C', v(20)],
    ]);
    const half: LineageLink[] = [
      { from: 'A', to: 'X', part: 'full', share: null },
      { from: 'C', to: 'X', part: 'partial', share: 0.5 },
      { from: 'C', to: 'Y', part: 'partial', share: 0.5 },
    ];
    const { values } = regroupValues('mean', pm25, half);
    // (30 × 1 + 20 × 0.5) / 1.5
    expect(values.get('X')?.value).toBeCloseTo(26.6667, 4);
    expect(values.get('X')?.estimated).toBe(true);
    expect(values.get('Y')?.value).toBe(20);
  });

  it('weights a weighted mean by weight × share', () => {
    const income = new Map([
      ['A', v(30, { weight: 1000 })],
      ['C', v(20, { weight: 2000 })],
    ]);
    const half: LineageLink[] = [
      { from: 'A', to: 'X', part: 'full', share: null },
      { from: 'C', to: 'X', part: 'partial', share: 0.5 },
    ];
    // weights 1000 and 2000 × 0.5 = 1000: (30 + 20) / 2
    expect(regroupValues('weighted_mean', income, half).values.get('X')?.value).toBe(25);
  });

  it('takes min, max and last from every unit with a share, unscaled and estimated when partial', () => {
    const readings = new Map([
      ['A', v(30, { at: '2025-06-01' })],
      ['C', v(20, { at: '2025-06-02' })],
    ]);
    expect(regroupValues('min', readings, links).values.get('X')).toMatchObject({ value: 20, estimated: true });
    expect(regroupValues('max', readings, links).values.get('X')).toMatchObject({ value: 30, estimated: true });
    expect(regroupValues('last', readings, links).values.get('X')).toMatchObject({ value: 20, estimated: true });
    expect(regroupValues('max', readings, links).values.get('Y')).toMatchObject({ value: 20, estimated: true });
  });

  it('skips an edge that moved a zero share', () => {
    const zero: LineageLink[] = [
      { from: 'C', to: 'X', part: 'partial', share: 1 },
      { from: 'C', to: 'Y', part: 'partial', share: 0 },
    ];
    const { values } = regroupValues('max', new Map([['C', v(20)]]), zero);
    expect([...values.keys()]).toEqual(['X']);
  });

  it('refuses lineage that would count a unit twice', () => {
    const twice: LineageLink[] = [
      { from: 'A', to: 'X', part: 'full', share: null },
      { from: 'A', to: 'Y', part: 'partial', share: 0.2 },
    ];
    expect(() => regroupValues('sum', counts, twice)).toThrow(AppError);
    const over: LineageLink[] = [
      { from: 'C', to: 'X', part: 'partial', share: 0.7 },
      { from: 'C', to: 'Y', part: 'partial', share: 0.4 },
    ];
    let err: unknown;
    try {
      regroupValues('sum', counts, over);
    } catch (e) {
      err = e;
    }
    expect((err as AppError).details).toEqual({ reason: 'invalid_lineage', from: 'C' });
  });

  it('regroups a rate by moving its parts, then dividing', () => {
    const parts = new Map<string, RatioInput>([
      ['A', { numerator: 45, denominator: 50 }],
      ['C', { numerator: 10, denominator: 40 }],
    ]);
    const { values } = regroupRatio(parts, links, 100);
    // X: (45 + 0.6 × 10) / (50 + 0.6 × 40) = 51 / 74; Y: 4 / 16
    expect(values.get('X')).toMatchObject({ numerator: 51, denominator: 74, estimated: true });
    expect(values.get('X')?.value).toBeCloseTo(68.9189, 4);
    expect(values.get('Y')).toMatchObject({ value: 25, estimated: true });
  });

  it('keeps a rate exact through a full merge', () => {
    const parts = new Map<string, RatioInput>([
      ['A', { numerator: 45, denominator: 50 }],
      ['B', { numerator: 5, denominator: 10 }],
    ]);
    expect(regroupRatio(parts, links, 100).values.get('X')).toMatchObject({ numerator: 50, denominator: 60, estimated: false });
  });
});
