import { describe, expect, it } from 'vitest';
import { compositeScore, normaliseComponent, rankByScore, type CompositeSpec } from './composite';

const spec: CompositeSpec = {
  scale: 100,
  missingComponents: 'null',
  components: [
    { code: 'A', weight: 2, normalise: { min: 0, max: 10 } },
    { code: 'B', weight: 1, normalise: { min: 0, max: 200, invert: true } },
    { code: 'C', weight: 1, normalise: 'none' },
  ],
};
const values = (entries: Record<string, number | null>): Map<string, number | null> => new Map(Object.entries(entries));

describe('normalising a component', () => {
  it('maps min..max onto 0..scale, clamped at the goalposts', () => {
    expect(normaliseComponent(7, { min: 0, max: 10 }, 100)).toBe(70);
    expect(normaliseComponent(7, { min: 0, max: 10 }, 10)).toBe(7);
    expect(normaliseComponent(7, { min: 0, max: 10 }, 1)).toBe(0.7);
    expect(normaliseComponent(30, { min: 20, max: 60 }, 100)).toBe(25);
    expect(normaliseComponent(12, { min: 0, max: 10 }, 100)).toBe(100);
    expect(normaliseComponent(-1, { min: 0, max: 10 }, 100)).toBe(0);
  });

  it('inverts a component where lower is better', () => {
    expect(normaliseComponent(50, { min: 0, max: 200, invert: true }, 100)).toBe(75);
    expect(normaliseComponent(250, { min: 0, max: 200, invert: true }, 100)).toBe(0);
  });

  it('leaves a component already on the index scale as it is', () => {
    expect(normaliseComponent(63.2, 'none', 100)).toBe(63.2);
  });
});

describe('a composite score', () => {
  it('is the weighted sum of normalised components, with each contribution', () => {
    // A 7 → 70, B 50 → 75 (inverted), C 60 as is; weights 2:1:1 → 35 + 18.75 + 15
    const r = compositeScore(spec, values({ A: 7, B: 50, C: 60 }));
    expect(r.score).toBe(68.75);
    expect(r.coverage).toBe(1);
    expect(r.components).toEqual([
      { code: 'A', value: 7, normalised: 70, weight: 2, effectiveWeight: 0.5, contribution: 35 },
      { code: 'B', value: 50, normalised: 75, weight: 1, effectiveWeight: 0.25, contribution: 18.75 },
      { code: 'C', value: 60, normalised: 60, weight: 1, effectiveWeight: 0.25, contribution: 15 },
    ]);
  });

  it("has no score when a component is missing, under 'null'", () => {
    const r = compositeScore(spec, values({ A: 7, B: 50, C: null }));
    expect(r.score).toBeNull();
    expect(r.coverage).toBe(0.75);
    expect(r.components.map((c) => c.contribution)).toEqual([null, null, null]);
    expect(r.components.map((c) => c.normalised)).toEqual([70, 75, null]);
    expect(compositeScore(spec, values({ A: 7, B: 50 })).score).toBeNull();
  });

  it("re-weights over the components present, under 'reweight'", () => {
    const r = compositeScore({ ...spec, missingComponents: 'reweight' }, values({ A: 7, B: 50 }));
    // weights 2:1 over A and B: 2/3 × 70 + 1/3 × 75
    expect(r.score).toBeCloseTo(71.6667, 4);
    expect(r.coverage).toBe(0.75);
    expect(r.components.map((c) => c.effectiveWeight)).toEqual([2 / 3, 1 / 3, 0]);
    expect(r.components[2]).toMatchObject({ value: null, normalised: null, contribution: null });
  });

  it('gives the same score either way when nothing is missing', () => {
    const full = values({ A: 7, B: 50, C: 60 });
    expect(compositeScore({ ...spec, missingComponents: 'reweight' }, full).score).toBe(compositeScore(spec, full).score);
  });

  it('has no score when every component is missing, even re-weighted', () => {
    expect(compositeScore({ ...spec, missingComponents: 'reweight' }, values({})).score).toBeNull();
  });
});

describe('ranking by score', () => {
  const items = [
    { id: 'a', s: 5 },
    { id: 'b', s: 7 },
    { id: 'c', s: null },
    { id: 'd', s: 7 },
    { id: 'e', s: 3 },
  ];

  it('ranks best first, equal scores sharing a rank, unscored last', () => {
    const r = rankByScore(items, (x) => x.s);
    expect(r.map((x) => [x.item.id, x.rank])).toEqual([
      ['b', 1],
      ['d', 1],
      ['a', 3],
      ['e', 4],
      ['c', null],
    ]);
  });

  it('ranks the lowest first when lower is better', () => {
    expect(rankByScore(items, (x) => x.s, false).map((x) => [x.item.id, x.rank])).toEqual([
      ['e', 1],
      ['a', 2],
      ['b', 3],
      ['d', 3],
      ['c', null],
    ]);
  });
});
