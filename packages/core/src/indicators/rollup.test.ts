import { describe, expect, it } from 'vitest';
import { pickLevel, rollupValue, type RollupStats } from './rollup';

/** Two communes report monthly for a quarter: A 10, 20, 30; B 1, 2, 3. */
const quarter: RollupStats = { sum: 66, weight: 6, min: 1, max: 30, lastEnd: '2025-09-30', lastSum: 33, lastWeight: 2, estimated: 0, provisional: 0, facts: 6, latestRecordedAt: '2025-10-05T00:00:00.000Z' };

describe('figures from rolled-up statistics', () => {
  it('adds flows over places and time', () => {
    expect(rollupValue({ places: 'sum', time: 'sum' }, quarter)).toBe(66);
  });
  it('takes stocks at the latest period and adds them over places', () => {
    expect(rollupValue({ places: 'sum', time: 'last' }, quarter)).toBe(33);
  });
  it('averages a measured level over places and time', () => {
    expect(rollupValue({ places: 'mean', time: 'mean' }, quarter)).toBe(11);
    expect(rollupValue({ places: 'mean', time: 'last' }, quarter)).toBe(16.5);
  });
  it('adds per-place means (A 20 + B 2) and averages per-place sums (60 and 6)', () => {
    expect(rollupValue({ places: 'sum', time: 'mean' }, quarter)).toBe(22);
    expect(rollupValue({ places: 'mean', time: 'sum' }, quarter)).toBe(33);
  });
  it('takes extremes over all facts', () => {
    expect(rollupValue({ places: 'max', time: 'max' }, quarter)).toBe(30);
    expect(rollupValue({ places: 'sum', time: 'min' }, quarter)).toBe(1);
  });
  it('never reads a rate from one rollup, and has no figure without facts', () => {
    expect(rollupValue({ places: 'ratio', time: 'ratio' }, quarter)).toBeNull();
    expect(rollupValue({ places: 'sum', time: 'sum' }, { ...quarter, weight: 0 })).toBeNull();
  });
});

describe('which level makes a figure', () => {
  const rows = [
    { level: 'commune' as const, id: 'communes' },
    { level: 'district' as const, id: 'districts' },
    { level: 'province' as const, id: 'own' },
  ];
  it("prefers the place's own level, then the coarsest below it", () => {
    expect(pickLevel(rows, 'province')?.id).toBe('own');
    expect(pickLevel(rows.slice(0, 2), 'province')?.id).toBe('districts');
    expect(pickLevel(rows.slice(0, 1), 'province')?.id).toBe('communes');
  });
  it('never lets a coarser level answer for a finer place', () => {
    expect(pickLevel([rows[2]!], 'commune')).toBeNull();
  });
});

describe('statistics computed from facts', () => {
  it('match what the rollup keeps: shares weight, the latest period is kept apart', async () => {
    const { statsFromFacts } = await import('./rollup');
    const s = statsFromFacts([
      { value: 10, share: 1, periodEnd: '2025-07-31', estimated: false, provisional: false, recordedAt: '2025-08-01T00:00:00Z' },
      { value: 30, share: 1, periodEnd: '2025-08-31', estimated: false, provisional: true, recordedAt: '2025-09-02T00:00:00Z' },
      { value: 40, share: 0.5, periodEnd: '2025-08-31', estimated: false, provisional: false, recordedAt: '2025-09-01T00:00:00Z' },
    ]);
    expect(s).toEqual({ sum: 60, weight: 2.5, min: 10, max: 40, lastEnd: '2025-08-31', lastSum: 50, lastWeight: 1.5, estimated: 1, provisional: 1, facts: 3, latestRecordedAt: '2025-09-02T00:00:00Z' });
    expect(statsFromFacts([])).toBeNull();
  });
});

describe('statistics of two periods together', () => {
  it('add up, keeping the latest period apart', async () => {
    const { mergeStats } = await import('./rollup');
    const july = { ...quarter, sum: 30, weight: 2, min: 10, max: 20, lastEnd: '2025-07-31', lastSum: 30, lastWeight: 2, facts: 2 };
    const august = { ...quarter, sum: 50, weight: 2, min: 5, max: 45, lastEnd: '2025-08-31', lastSum: 50, lastWeight: 2, facts: 2, latestRecordedAt: '2025-09-05T00:00:00.000Z' };
    expect(mergeStats(july, august)).toEqual({ sum: 80, weight: 4, min: 5, max: 45, lastEnd: '2025-08-31', lastSum: 50, lastWeight: 2, estimated: 0, provisional: 0, facts: 4, latestRecordedAt: '2025-10-05T00:00:00.000Z' });
    expect(mergeStats(july, { ...july, lastSum: 1, lastWeight: 1 })).toMatchObject({ lastSum: 31, lastWeight: 3 });
  });
  it('keep count of the provisional facts: a quarter with one provisional month rests on it', async () => {
    const { mergeStats } = await import('./rollup');
    const july = { ...quarter, provisional: 0 };
    const august = { ...quarter, provisional: 1 };
    expect(mergeStats(july, august).provisional).toBe(1);
  });
});
