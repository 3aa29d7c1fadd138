import { periodKey, parsePeriod } from '@watchfloor/core';
import { describe, expect, it } from 'vitest';
import { convertPeriod, effectivePeriod, lastWholeMonth, latestOfKind, periodAfterTimeTravel, periodOptions, seriesRange } from './period-logic';

const key = periodKey;
const TODAY = '2026-11-28';
const LATEST = lastWholeMonth(TODAY);

describe('the period picker', () => {
  it('ends at the last whole month before the date viewed', () => {
    expect(key(LATEST)).toBe('2026-10');
    expect(key(lastWholeMonth('2025-07-01'))).toBe('2025-06');
    expect(key(lastWholeMonth('2026-01-15'))).toBe('2025-12');
  });

  it('offers only periods that have ended: the last whole quarter and year', () => {
    expect(key(latestOfKind('month', LATEST))).toBe('2026-10');
    expect(key(latestOfKind('quarter', LATEST))).toBe('2026-Q3');
    expect(key(latestOfKind('ytd', LATEST))).toBe('2026-YTD-10');
    expect(key(latestOfKind('year', LATEST))).toBe('2025');
    expect(key(latestOfKind('quarter', parsePeriod('2026-09')))).toBe('2026-Q3');
    expect(key(latestOfKind('year', parsePeriod('2025-12')))).toBe('2025');
  });

  it('switches kind around the same moment', () => {
    const oct = parsePeriod('2026-10');
    expect(key(convertPeriod(oct, 'quarter', LATEST))).toBe('2026-Q3');
    expect(key(convertPeriod(oct, 'ytd', LATEST))).toBe('2026-YTD-10');
    expect(key(convertPeriod(oct, 'year', LATEST))).toBe('2025');
    expect(key(convertPeriod(parsePeriod('2024-05'), 'quarter', LATEST))).toBe('2024-Q1');
    expect(key(convertPeriod(parsePeriod('2024-06'), 'quarter', LATEST))).toBe('2024-Q2');
    expect(key(convertPeriod(parsePeriod('2024-Q2'), 'month', LATEST))).toBe('2024-06');
    expect(key(convertPeriod(parsePeriod('2024'), 'ytd', LATEST))).toBe('2024-YTD-12');
  });

  it('lists choices newest first', () => {
    expect(periodOptions('quarter', LATEST, 3).map(key)).toEqual(['2026-Q3', '2026-Q2', '2026-Q1']);
    expect(periodOptions('month', LATEST, 3).map(key)).toEqual(['2026-10', '2026-09', '2026-08']);
    expect(periodOptions('year', LATEST, 2).map(key)).toEqual(['2025', '2024']);
  });

  it('asks for the last whole month before a past date when the URL names no period', () => {
    expect(effectivePeriod('2026-Q3', undefined, TODAY)).toBe('2026-Q3');
    expect(effectivePeriod(undefined, undefined, TODAY)).toBeUndefined();
    expect(effectivePeriod(undefined, TODAY, TODAY)).toBeUndefined();
    expect(effectivePeriod(undefined, '2020-06-30', TODAY)).toBe('2020-05');
  });

  it('moves the latest period along with the date; keeps an earlier choice that still fits', () => {
    // Latest month today → latest month before 30 June 2025.
    expect(periodAfterTimeTravel(undefined, TODAY, '2025-06-30', TODAY)).toBe('2025-05');
    expect(periodAfterTimeTravel('2026-Q3', TODAY, '2020-06-30', TODAY)).toBe('2020-Q1');
    // Back to today: the latest month is the server's default.
    expect(periodAfterTimeTravel('2020-05', '2020-06-30', TODAY, TODAY)).toBeUndefined();
    expect(periodAfterTimeTravel('2020-Q1', '2020-06-30', TODAY, TODAY)).toBe('2026-Q3');
    // A chosen earlier period stays, or is capped by the new date.
    expect(periodAfterTimeTravel('2024-03', TODAY, '2025-06-30', TODAY)).toBe('2024-03');
    expect(periodAfterTimeTravel('2024-03', TODAY, '2022-01-10', TODAY)).toBe('2021-12');
  });

  it('picks the run of periods of the history chart', () => {
    expect(seriesRange('2026-10')).toEqual({ from: '2024-11', to: '2026-10' });
    expect(seriesRange('2026-Q3')).toEqual({ from: '2023-Q4', to: '2026-Q3' });
    expect(seriesRange('2025')).toEqual({ from: '2016', to: '2025' });
    expect(seriesRange('2026-YTD-10')).toEqual({ from: '2026-YTD-01', to: '2026-YTD-10' });
    expect(seriesRange('nonsense')).toBeNull();
  });
});
