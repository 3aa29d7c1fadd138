import { describe, expect, it } from 'vitest';
import { FigureCalculator, weightedOverUnits, type LevelledStats, type UnitOfTime } from './figures';
import { indicatorDefinitionSchema, regroupRule, type IndicatorDefinition, type IndicatorDefinitionInput } from './indicator';

const base = { kind: 'base', unit: 'hồ sơ', domain: 'public_services', frequency: 'month', direction: 'higher_is_better', aggregation: { places: 'sum', time: 'sum' } } as const;
const defs: IndicatorDefinitionInput[] = [
  { ...base, code: 'RESOLVED', names: { vi: 'Đã giải quyết', en: 'Resolved' } },
  { ...base, code: 'ON_TIME', names: { vi: 'Đúng hạn', en: 'On time' } },
  { ...base, code: 'RECEIVED', names: { vi: 'Tiếp nhận', en: 'Received' } },
  { ...base, code: 'RATE', unit: '%', names: { vi: 'Tỷ lệ', en: 'Rate' }, aggregation: { places: 'ratio', time: 'ratio' }, ratio: { numerator: 'ON_TIME', denominator: 'RESOLVED', multiplier: 100 } },
  { ...base, kind: 'derived', code: 'BACKLOG', names: { vi: 'Tồn', en: 'Backlog' }, formula: 'RECEIVED - RESOLVED' },
  {
    ...base,
    kind: 'composite',
    code: 'SCORE',
    unit: 'điểm',
    names: { vi: 'Điểm', en: 'Score' },
    aggregation: { places: 'mean', time: 'last' },
    scale: 100,
    missingComponents: 'null',
    components: [
      { code: 'RATE', weight: 3, normalise: { min: 0, max: 100 } },
      { code: 'BACKLOG', weight: 1, normalise: { min: 0, max: 100, invert: true } },
    ],
  },
];
const catalogue = new Map<string, IndicatorDefinition>(defs.map((d) => [d.code, indicatorDefinitionSchema.parse(d)]));

const stats = (level: LevelledStats['level'], sum: number, extra: Partial<LevelledStats> = {}): LevelledStats => ({
  level,
  sum,
  weight: 2,
  min: 0,
  max: sum,
  lastEnd: '2025-07-31',
  lastSum: sum,
  lastWeight: 2,
  estimated: 0,
  provisional: 0,
  facts: 2,
  latestRecordedAt: '2025-08-03T02:00:00.000Z',
  ...extra,
});

/** Two communes of a province, July 2025: resolved 80 + 20, on time 78 + 12, received 130. */
const data: Record<string, LevelledStats[]> = {
  RESOLVED: [stats('commune', 100)],
  ON_TIME: [stats('commune', 90, { estimated: 1, latestRecordedAt: '2025-08-05T02:00:00.000Z' })],
  RECEIVED: [stats('commune', 130)],
};
const calc = () => new FigureCalculator({ catalogue, placeLevel: 'province', rows: (code) => data[code] ?? [] });

describe('figures computed from rollups', () => {
  it('recomputes a rate from the summed parts, carrying their provenance', () => {
    const f = calc().figure('RATE', '2025-07');
    expect(f.value).toBe(90);
    expect(f).toMatchObject({ estimated: true, facts: 4, latestRecordedAt: '2025-08-05T02:00:00.000Z' });
  });

  it('evaluates a derived formula from the figures it names', () => {
    expect(calc().figure('BACKLOG', '2025-07').value).toBe(30);
  });

  it('scores a composite from its components, showing each contribution', () => {
    const f = calc().figure('SCORE', '2025-07');
    // RATE 90 → 90 points × 3/4; BACKLOG 30 inverted → 70 points × 1/4.
    expect(f.value).toBeCloseTo(0.75 * 90 + 0.25 * 70, 10);
    expect(f.components?.map((c) => [c.code, c.contribution])).toEqual([
      ['RATE', 67.5],
      ['BACKLOG', 17.5],
    ]);
  });

  it('reads a published composite figure as it is', () => {
    data.SCORE = [stats('province', 61.25, { weight: 1, lastWeight: 1, lastSum: 61.25 })];
    expect(calc().figure('SCORE', '2025-07')).toMatchObject({ value: 61.25, components: null });
    delete data.SCORE;
  });

  it('says a figure rests on provisional values when any part does: the rate, the formula and the score made from them', () => {
    const rows = (code: string) => (code === 'RECEIVED' ? [stats('commune', 130, { provisional: 1 })] : (data[code] ?? []));
    const c = new FigureCalculator({ catalogue, placeLevel: 'province', rows });
    expect(c.figure('RECEIVED', '2025-07').provisional).toBe(true);
    expect(c.figure('RATE', '2025-07').provisional).toBe(false); // on time ÷ resolved: neither is provisional
    expect(c.figure('BACKLOG', '2025-07').provisional).toBe(true); // received − resolved
    expect(c.figure('SCORE', '2025-07').provisional).toBe(true); // scored from BACKLOG
  });

  it('reads a province total reported as final as final, whatever its communes are', () => {
    const rows = (code: string) => (code === 'RECEIVED' ? [stats('commune', 130, { provisional: 2 }), stats('province', 131)] : []);
    expect(new FigureCalculator({ catalogue, placeLevel: 'province', rows }).figure('RECEIVED', '2025-07')).toMatchObject({ value: 131, provisional: false });
  });

  it('has no figure when a part is missing, rather than a zero', () => {
    const c = new FigureCalculator({ catalogue, placeLevel: 'province', rows: (code) => (code === 'ON_TIME' ? [] : (data[code] ?? [])) });
    expect(c.figure('RATE', '2025-07').value).toBeNull();
    expect(c.figure('SCORE', '2025-07').value).toBeNull();
  });
});

describe('figures that do not add up across units', () => {
  const yearly = { kind: 'base', domain: 'other', frequency: 'year', direction: 'higher_is_better', names: { vi: 'x', en: 'x' } } as const;
  const scores = new Map<string, IndicatorDefinition>(
    [
      { ...yearly, code: 'INDEX', unit: 'điểm', aggregation: { places: 'mean', time: 'last' } },
      { ...yearly, code: 'POP', unit: 'người', aggregation: { places: 'sum', time: 'last' } },
      { ...yearly, code: 'SHARE', unit: '%', aggregation: { places: 'mean', time: 'last' }, regroup: { by: 'weighted_mean', weight: 'POP' } },
      { ...yearly, code: 'TOTAL', unit: 'tấn', aggregation: { places: 'sum', time: 'sum' } },
    ].map((d) => [d.code, indicatorDefinitionSchema.parse(d)]),
  );
  const one = (value: number): LevelledStats => ({ ...stats('province', value), weight: 1, lastWeight: 1, facts: 1, lastEnd: '2016-12-31' });
  /** Two provinces of 2016 (A: index 30, share 50, 1,000 people; B: index 40, share 80, 3,000 people) merged on 1 July 2025 into the province viewed. */
  const former: Record<string, Record<string, number>> = { A: { INDEX: 30, SHARE: 50, POP: 1000, TOTAL: 7 }, B: { INDEX: 40, SHARE: 80, POP: 3000, TOTAL: 5 } };
  const unit = (code: string): UnitOfTime => {
    const own = new FigureCalculator({ catalogue: scores, placeLevel: 'province', rows: (c) => (former[code]![c] === undefined ? [] : [one(former[code]![c]!)]) });
    return { id: code.charCodeAt(0), code, name: `Tỉnh ${code}`, level: 'province', share: 1, validFrom: null, validTo: '2025-06-30', figure: (c, k) => own.figure(c, k) };
  };
  // What the rollup holds for the new province in 2016: its former units' facts, pooled.
  const pooled: Record<string, LevelledStats[]> = {
    INDEX: [{ ...one(70), weight: 2, lastWeight: 2, facts: 2 }],
    SHARE: [{ ...one(130), weight: 2, lastWeight: 2, facts: 2 }],
    POP: [{ ...one(4000), weight: 2, lastWeight: 2, facts: 2 }],
    TOTAL: [{ ...one(12), weight: 2, lastWeight: 2, facts: 2 }],
  };
  const merged = (withUnits = true) =>
    new FigureCalculator({
      catalogue: scores,
      placeLevel: 'province',
      rows: (c) => pooled[c] ?? [],
      validity: { validFrom: '2025-07-01', validTo: '9999-12-31' },
      ...(withUnits ? { units: (level: string, day: string) => (level === 'province' && day <= '2025-06-30' ? [unit('A'), unit('B')] : []) } : {}),
    });

  it('says by default that a mean over places and a composite do not regroup, a weighted mean regroups by its weights, and the rest adds up', () => {
    expect(regroupRule(scores.get('INDEX')!)).toEqual({ by: 'none' });
    expect(regroupRule(scores.get('SHARE')!)).toEqual({ by: 'weighted_mean', weight: 'POP' });
    expect(regroupRule(scores.get('TOTAL')!)).toEqual({ by: 'sum' });
    expect(regroupRule(catalogue.get('SCORE')!)).toEqual({ by: 'none' });
    expect(regroupRule(catalogue.get('RATE')!)).toEqual({ by: 'sum' });
  });

  it('leaves an index score undefined for a unit that did not exist, with the former units’ own scores beside it', () => {
    const f = merged().figure('INDEX', '2016');
    expect(f.value).toBeNull();
    expect(f.complete).toBe(false);
    expect(f.regrouping).toEqual({
      by: 'none',
      weight: null,
      units: [
        { code: 'A', name: 'Tỉnh A', level: 'province', validFrom: null, validTo: '2025-06-30', value: 30, weight: null },
        { code: 'B', name: 'Tỉnh B', level: 'province', validFrom: null, validTo: '2025-06-30', value: 40, weight: null },
      ],
    });
  });

  it('regroups a weighted mean by the units’ own weights, flagged estimated', () => {
    const f = merged().figure('SHARE', '2016');
    // (50 × 1,000 + 80 × 3,000) ÷ 4,000 = 72.5, where the pooled mean would say 65.
    expect(f.value).toBe(72.5);
    expect(f).toMatchObject({ estimated: true, complete: true, coverage: { level: 'province', reported: 2, expected: 2, weightShare: 1, direct: false } });
    expect(f.regrouping?.units.map((u) => [u.code, u.value, u.weight])).toEqual([
      ['A', 50, 1000],
      ['B', 80, 3000],
    ]);
  });

  it('adds up a quantity as before, and reads as stored where the former units are not known', () => {
    expect(merged().figure('TOTAL', '2016')).toMatchObject({ value: 12, regrouping: null, estimated: false });
    expect(merged(false).figure('SHARE', '2016')).toMatchObject({ value: 65, regrouping: null });
  });

  it('weighs a mean over periods by each period’s weight, unit by unit', () => {
    expect(weightedOverUnits([{ key: '2025-Q1', end: '2025-03-31', value: 5, weight: 100 }, { key: '2025-Q2', end: '2025-06-30', value: 7, weight: 300 }], 'weighted_mean')).toBe(6.5);
    // The latest period only, for a last value; per period then summed, for a sum; no weight, no share of the mean.
    const points = [
      { key: 'Q1', end: '2025-03-31', value: 10, weight: 1 },
      { key: 'Q1', end: '2025-03-31', value: 20, weight: 3 },
      { key: 'Q2', end: '2025-06-30', value: 40, weight: 1 },
      { key: 'Q2', end: '2025-06-30', value: 99, weight: null },
    ];
    expect(weightedOverUnits(points, 'last')).toBe(40);
    expect(weightedOverUnits(points, 'sum')).toBe(17.5 + 40);
    expect(weightedOverUnits(points, 'max')).toBe(40);
    expect(weightedOverUnits([{ key: 'Q1', end: '2025-03-31', value: 10, weight: null }], 'mean')).toBeNull();
  });
});
