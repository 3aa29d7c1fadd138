import { describe, expect, it } from 'vitest';
import { errorOf } from '../testing';
import {
  canAggregateTo,
  growthRate,
  localDate,
  monthsOf,
  parsePeriod,
  periodContaining,
  periodEnd,
  periodIncludes,
  periodKey,
  storedPeriod,
  storedPeriodsWithin,
  periodKeySchema,
  periodLabel,
  periodLabels,
  periodMatchesFrequency,
  periodStart,
  previousPeriod,
  samePeriodLastYear,
  type MonthSpanPeriod,
  type Period,
} from './periods';

const p = parsePeriod;
const key = (x: Period | null): string | null => (x === null ? null : periodKey(x));


describe('period keys', () => {
  it('parses every kind of key into its parts', () => {
    expect(p('2025-07-14')).toEqual({ kind: 'day', date: '2025-07-14' });
    expect(p('2025-07')).toEqual({ kind: 'month', year: 2025, month: 7 });
    expect(p('2025-Q3')).toEqual({ kind: 'quarter', year: 2025, quarter: 3 });
    expect(p('2025-H1')).toEqual({ kind: 'half', year: 2025, half: 1 });
    expect(p('2025-9M')).toEqual({ kind: 'nine_months', year: 2025 });
    expect(p('2025')).toEqual({ kind: 'year', year: 2025 });
    expect(p('2025-YTD-07')).toEqual({ kind: 'ytd', year: 2025, month: 7 });
  });

  it('writes each period back as the key it was read from', () => {
    for (const k of ['2024-02-29', '2025-01', '2025-12', '2025-Q1', '2025-Q4', '2025-H2', '2016-9M', '2016', '2025-YTD-01', '2025-YTD-12']) {
      expect(periodKey(p(k))).toBe(k);
    }
  });

  it.each([
    ['2025-13', 'month 13'],
    ['2025-00', 'month 0'],
    ['2025-7', 'unpadded month'],
    ['2025-Q5', 'quarter 5'],
    ['2025-Q0', 'quarter 0'],
    ['2025-H3', 'half 3'],
    ['2025-6M', '6M is written H1'],
    ['2025-YTD-13', 'YTD to month 13'],
    ['2025-YTD-7', 'unpadded YTD month'],
    ['2025-02-29', '29 February of a common year'],
    ['2025-04-31', '31 April'],
    ['0999', 'a three-digit year'],
    ['2025-q3', 'lower-case q'],
    [' 2025', 'leading space'],
    ['', 'empty'],
  ])('refuses %s (%s) with a coded error', (bad) => {
    const err = errorOf(() => p(bad));
    expect(err.code).toBe('invalid_parameter');
    expect(err.status).toBe(400);
    expect(err.details).toEqual({ reason: 'invalid_period', key: bad });
    expect(periodKeySchema.safeParse(bad).success).toBe(false);
  });

  it('accepts good keys in the schema used at the boundaries', () => {
    expect(periodKeySchema.safeParse('2025-YTD-07').success).toBe(true);
  });
});

describe('start and end (both inclusive)', () => {
  it.each([
    ['2025-07-14', '2025-07-14', '2025-07-14'],
    ['2025-02', '2025-02-01', '2025-02-28'],
    ['2024-02', '2024-02-01', '2024-02-29'],
    ['2025-Q1', '2025-01-01', '2025-03-31'],
    ['2025-Q2', '2025-04-01', '2025-06-30'],
    ['2025-Q3', '2025-07-01', '2025-09-30'],
    ['2025-Q4', '2025-10-01', '2025-12-31'],
    ['2025-H1', '2025-01-01', '2025-06-30'],
    ['2025-H2', '2025-07-01', '2025-12-31'],
    ['2025-9M', '2025-01-01', '2025-09-30'],
    ['2025', '2025-01-01', '2025-12-31'],
    ['2025-YTD-07', '2025-01-01', '2025-07-31'],
    ['2024-YTD-02', '2024-01-01', '2024-02-29'],
  ])('%s runs from %s to %s', (k, start, end) => {
    expect(periodStart(p(k))).toBe(start);
    expect(periodEnd(p(k))).toBe(end);
  });

  it('knows which dates a period includes', () => {
    expect(periodIncludes(p('2025-Q3'), '2025-07-01')).toBe(true);
    expect(periodIncludes(p('2025-Q3'), '2025-09-30')).toBe(true);
    expect(periodIncludes(p('2025-Q3'), '2025-10-01')).toBe(false);
    expect(periodIncludes(p('2025-Q3'), '2025-06-30')).toBe(false);
  });
});

describe('the period containing a date', () => {
  it('finds each kind for 14 July 2025', () => {
    expect(key(periodContaining('day', '2025-07-14'))).toBe('2025-07-14');
    expect(key(periodContaining('month', '2025-07-14'))).toBe('2025-07');
    expect(key(periodContaining('quarter', '2025-07-14'))).toBe('2025-Q3');
    expect(key(periodContaining('half', '2025-07-14'))).toBe('2025-H2');
    expect(key(periodContaining('nine_months', '2025-07-14'))).toBe('2025-9M');
    expect(key(periodContaining('year', '2025-07-14'))).toBe('2025');
    expect(key(periodContaining('ytd', '2025-07-14'))).toBe('2025-YTD-07');
  });

  it('puts quarter and half boundaries on the right side', () => {
    expect(key(periodContaining('quarter', '2025-03-31'))).toBe('2025-Q1');
    expect(key(periodContaining('quarter', '2025-04-01'))).toBe('2025-Q2');
    expect(key(periodContaining('half', '2025-06-30'))).toBe('2025-H1');
    expect(key(periodContaining('half', '2025-07-01'))).toBe('2025-H2');
  });

  it('has no 9-month period for October to December', () => {
    expect(key(periodContaining('nine_months', '2025-09-30'))).toBe('2025-9M');
    expect(periodContaining('nine_months', '2025-10-01')).toBeNull();
  });

  it('refuses a date that is not a calendar date', () => {
    expect(errorOf(() => periodContaining('month', '2025-02-30')).details).toMatchObject({ reason: 'invalid_period' });
  });
});

describe('previous period and same period last year', () => {
  it.each([
    ['2025-07-14', '2025-07-13'],
    ['2025-03-01', '2025-02-28'],
    ['2025-01-01', '2024-12-31'],
    ['2025-07', '2025-06'],
    ['2025-01', '2024-12'],
    ['2025-Q3', '2025-Q2'],
    ['2025-Q1', '2024-Q4'],
    ['2025-H2', '2025-H1'],
    ['2025-H1', '2024-H2'],
    ['2025-9M', '2024-9M'],
    ['2025', '2024'],
    ['2025-YTD-07', '2025-YTD-06'],
    ['2025-YTD-01', '2024-YTD-12'],
  ])('before %s comes %s', (k, prev) => {
    expect(periodKey(previousPeriod(p(k)))).toBe(prev);
  });

  it.each([
    ['2025-07-14', '2024-07-14'],
    ['2024-02-29', '2023-02-28'],
    ['2025-07', '2024-07'],
    ['2025-Q3', '2024-Q3'],
    ['2025-H1', '2024-H1'],
    ['2025-9M', '2024-9M'],
    ['2025', '2024'],
    ['2025-YTD-07', '2024-YTD-07'],
  ])('cùng kỳ of %s is %s', (k, last) => {
    expect(periodKey(samePeriodLastYear(p(k)))).toBe(last);
  });
});

describe('months of a period', () => {
  const months = (k: string): string[] => monthsOf(p(k) as MonthSpanPeriod).map(periodKey);

  it('lists the months in order', () => {
    expect(months('2025-07')).toEqual(['2025-07']);
    expect(months('2025-Q3')).toEqual(['2025-07', '2025-08', '2025-09']);
    expect(months('2025-H2')).toEqual(['2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12']);
    expect(months('2025-9M')).toHaveLength(9);
    expect(months('2025-9M').at(-1)).toBe('2025-09');
    expect(months('2025')).toHaveLength(12);
    expect(months('2025-YTD-03')).toEqual(['2025-01', '2025-02', '2025-03']);
  });
});

describe('periods and indicator frequencies', () => {
  it('stores a value only under the period kind of its frequency', () => {
    expect(periodMatchesFrequency('month', 'month')).toBe(true);
    expect(periodMatchesFrequency('quarter', 'month')).toBe(false);
    expect(periodMatchesFrequency('day', 'month')).toBe(false);
    expect(periodMatchesFrequency('ytd', 'month')).toBe(false);
    expect(periodMatchesFrequency('quarter', 'quarter')).toBe(true);
    expect(periodMatchesFrequency('year', 'year')).toBe(true);
    expect(periodMatchesFrequency('day', 'day')).toBe(true);
    expect(periodMatchesFrequency('day', 'instant')).toBe(false);
  });

  it('aggregates a frequency only into periods made of whole units of it', () => {
    expect(canAggregateTo('month', p('2025-Q3'))).toBe(true);
    expect(canAggregateTo('month', p('2025-YTD-07'))).toBe(true);
    expect(canAggregateTo('month', p('2025-07-14'))).toBe(false);
    expect(canAggregateTo('quarter', p('2025-H1'))).toBe(true);
    expect(canAggregateTo('quarter', p('2025-9M'))).toBe(true);
    expect(canAggregateTo('quarter', p('2025-YTD-06'))).toBe(true);
    expect(canAggregateTo('quarter', p('2025-YTD-07'))).toBe(false);
    expect(canAggregateTo('quarter', p('2025-07'))).toBe(false);
    expect(canAggregateTo('year', p('2025'))).toBe(true);
    expect(canAggregateTo('year', p('2025-YTD-12'))).toBe(true);
    expect(canAggregateTo('year', p('2025-H1'))).toBe(false);
    expect(canAggregateTo('day', p('2025-07-14'))).toBe(true);
    expect(canAggregateTo('instant', p('2025-Q1'))).toBe(true);
  });
});

describe('growth over the same period last year', () => {
  it('is the percentage change', () => {
    expect(growthRate(108, 100)).toBe(8);
    expect(growthRate(90, 120)).toBe(-25);
    expect(growthRate(50, 50)).toBe(0);
    expect(growthRate(0, 40)).toBe(-100);
  });

  it('is null without a usable base', () => {
    expect(growthRate(10, 0)).toBeNull();
    expect(growthRate(10, null)).toBeNull();
    expect(growthRate(null, 10)).toBeNull();
    expect(growthRate(10, -5)).toBeNull();
    expect(growthRate(Number.NaN, 10)).toBeNull();
  });
});

describe('labels', () => {
  it.each([
    ['2025-07-14', 'Ngày 14/7/2025', '14 July 2025'],
    ['2025-07', 'Tháng 7/2025', 'July 2025'],
    ['2025-Q1', 'Quý I/2025', 'Q1 2025'],
    ['2025-Q3', 'Quý III/2025', 'Q3 2025'],
    ['2025-Q4', 'Quý IV/2025', 'Q4 2025'],
    ['2025-H1', '6 tháng đầu năm 2025', 'H1 2025'],
    ['2025-H2', '6 tháng cuối năm 2025', 'H2 2025'],
    ['2025-9M', '9 tháng năm 2025', '9M 2025'],
    ['2025', 'Năm 2025', '2025'],
    ['2025-YTD-07', 'Lũy kế 7 tháng năm 2025', 'Jan–Jul 2025'],
    ['2025-YTD-01', 'Lũy kế 1 tháng năm 2025', 'Jan 2025'],
  ])('%s reads "%s" / "%s"', (k, vi, en) => {
    expect(periodLabel(p(k), 'vi')).toBe(vi);
    expect(periodLabel(p(k), 'en')).toBe(en);
    expect(periodLabels(p(k))).toEqual({ vi, en });
  });
});

describe('instants fall in the Vietnamese local day', () => {
  it('moves an evening UTC instant to the next local day', () => {
    expect(localDate('2025-07-14T16:59:59Z')).toBe('2025-07-14');
    expect(localDate('2025-07-14T17:00:00Z')).toBe('2025-07-15');
    expect(localDate('2025-07-14T17:00:00.000Z')).toBe('2025-07-15');
  });

  it('reads an explicit offset as the same instant', () => {
    expect(localDate('2025-07-15T00:30:00+07:00')).toBe('2025-07-15');
    expect(localDate('2025-07-14T20:00:00-05:00')).toBe('2025-07-15');
  });

  it('places the instant in its local month, quarter and year', () => {
    const d = localDate('2025-12-31T17:00:00Z');
    expect(d).toBe('2026-01-01');
    expect(periodKey(periodContaining('month', d))).toBe('2026-01');
    expect(periodKey(periodContaining('quarter', localDate('2025-06-30T17:00:00Z')))).toBe('2025-Q3');
    expect(periodKey(periodContaining('month', localDate('2025-07-31T16:59:59Z')))).toBe('2025-07');
  });

  it('refuses an instant without a zone, or not an instant at all', () => {
    for (const bad of ['2025-07-14T17:00:00', '2025-07-14', 'yesterday']) {
      expect(errorOf(() => localDate(bad)).details).toEqual({ reason: 'invalid_instant', instant: bad });
    }
  });
});

describe('the periods statistics are kept under', () => {
  const within = (k: string) => storedPeriodsWithin(p(k) as MonthSpanPeriod).map(periodKey);
  it('keeps a day under its month, and months, quarters and years as they are', () => {
    expect(periodKey(storedPeriod(p('2025-07-14')))).toBe('2025-07');
    for (const k of ['2025-07', '2025-Q3', '2025']) expect(periodKey(storedPeriod(p(k)))).toBe(k);
  });
  it('composes a wider period from the months, quarters and year inside it', () => {
    expect(within('2025-Q3')).toEqual(['2025-07', '2025-08', '2025-09', '2025-Q3']);
    expect(within('2025-YTD-07')).toEqual(['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-Q1', '2025-Q2']);
    expect(within('2025-9M')).toEqual(expect.arrayContaining(['2025-09', '2025-Q3']));
    expect(within('2025-9M')).not.toContain('2025');
    expect(within('2025-YTD-12')).toContain('2025');
    expect(within('2025-07')).toEqual(['2025-07']);
  });
});
