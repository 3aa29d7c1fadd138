import { describe, expect, it } from 'vitest';
import { dailyMean, datastreamInputSchema, hoursRequired, rangeProblem, type StreamDay } from './sensors';

/** Readings at the given hours of 20 November 2026 (Vietnam time), each with its value. */
const day = (values: Record<number, number>) => Object.entries(values).map(([h, value]) => ({ at: `2026-11-20T${h.padStart(2, '0')}:00:00+07:00`, value }));
const hours = (n: number, value: (h: number) => number) => day(Object.fromEntries(Array.from({ length: n }, (_, h) => [h, value(h)])));

describe('readings: valid range', () => {
  it('says which side of the range a reading lies on; a null bound does not limit', () => {
    expect(rangeProblem(-3, { min: 0, max: 1000 })).toBe('below_valid_range');
    expect(rangeProblem(1000.5, { min: 0, max: 1000 })).toBe('above_valid_range');
    expect(rangeProblem(0, { min: 0, max: 1000 })).toBeNull();
    expect(rangeProblem(1e9, { min: 0, max: null })).toBeNull();
    expect(rangeProblem(-1, null)).toBeNull();
  });

  it('refuses a datastream whose range is upside down, and fills the defaults', () => {
    expect(datastreamInputSchema.safeParse({ code: 'pm25', indicator: 'PM25', unit: 'µg/m³', validRange: { min: 10, max: 0 } }).success).toBe(false);
    expect(datastreamInputSchema.parse({ code: 'pm25', indicator: 'PM25', unit: 'µg/m³' })).toEqual({ code: 'pm25', indicator: 'PM25', unit: 'µg/m³', scale: null, validRange: null, minShare: null, incompleteDays: 'omit' });
  });
});

describe('readings: daily means and completeness', () => {
  const stream = (readings: StreamDay['readings'], extra: Partial<StreamDay> = {}): StreamDay => ({ minShare: null, incompleteDays: 'omit', readings, ...extra });

  it('asks 18 of 24 hours by default, as the share says otherwise', () => {
    expect(hoursRequired(null)).toBe(18);
    expect(hoursRequired(0.5)).toBe(12);
    expect(hoursRequired(0)).toBe(0);
    expect(hoursRequired(1)).toBe(24);
  });

  it('gives a day of 18 hours its mean, and none to a day of 17 or of 4', () => {
    // Hours 0..17 read 10, 11, … 27: mean (10 + 27) / 2.
    expect(dailyMean([stream(hours(18, (h) => 10 + h))])).toEqual({ value: 18.5, complete: true, hours: 18, required: 18 });
    expect(dailyMean([stream(hours(17, () => 5))])).toBeNull();
    expect(dailyMean([stream(day({ 1: 40, 2: 50, 3: 60, 4: 70 }))])).toBeNull();
  });

  it('counts an hour once however many readings it holds', () => {
    // 17 hours, one of them read twice: still 17 hours.
    const r = [...hours(17, () => 1), { at: '2026-11-20T03:30:00+07:00', value: 1 }];
    expect(dailyMean([stream(r)])).toBeNull();
  });

  it('gives an incomplete day its mean marked incomplete when the datastream takes such days as estimated', () => {
    expect(dailyMean([stream(day({ 1: 40, 2: 50, 3: 60, 4: 70 }), { incompleteDays: 'estimated' })])).toEqual({ value: 55, complete: false, hours: 4, required: 18 });
  });

  it('averages only the complete datastreams of a place when one is', () => {
    const full = stream(hours(24, () => 20));
    const short = stream(day({ 1: 400, 2: 400 }), { incompleteDays: 'estimated' });
    expect(dailyMean([full, short])).toEqual({ value: 20, complete: true, hours: 24, required: 18 });
  });

  it('follows the share a datastream asks for', () => {
    expect(dailyMean([stream(day({ 1: 40, 2: 50, 3: 60, 4: 70 }), { minShare: 4 / 24 })])).toEqual({ value: 55, complete: true, hours: 4, required: 4 });
    expect(dailyMean([])).toBeNull();
  });
});
