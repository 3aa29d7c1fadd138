import { describe, expect, it } from 'vitest';
import { FigureCalculator, type LevelledStats } from './figures';
import { indicatorDefinitionSchema, type IndicatorDefinition, type IndicatorDefinitionInput } from './indicator';

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
