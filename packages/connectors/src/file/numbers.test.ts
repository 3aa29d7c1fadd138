import { describe, expect, it } from 'vitest';
import { detectNumberHabit, numberHabitOf, parseNumber } from './numbers';
import { periodKeyOf } from './periods';

describe('numbers written the Vietnamese or the English way', () => {
  it('reads each habit when it is given', () => {
    expect(parseNumber('1.234.567,89', 'vi')).toEqual({ ok: true, value: 1234567.89 });
    expect(parseNumber('1,234,567.89', 'en')).toEqual({ ok: true, value: 1234567.89 });
    expect(parseNumber('1.234', 'vi')).toEqual({ ok: true, value: 1234 });
    expect(parseNumber('1.234', 'en')).toEqual({ ok: true, value: 1.234 });
    expect(parseNumber(' -12,5 ', 'vi')).toEqual({ ok: true, value: -12.5 });
    expect(parseNumber('95,5%', 'vi')).toEqual({ ok: true, value: 95.5 });
    expect(parseNumber('1 234 567', 'vi')).toEqual({ ok: true, value: 1234567 });
  });

  it('refuses what the habit cannot read, naming it', () => {
    expect(parseNumber('1,234,567.89', 'vi')).toMatchObject({ ok: false, reason: 'invalid_number' });
    expect(parseNumber('12a', 'en')).toMatchObject({ ok: false, reason: 'invalid_number' });
    expect(parseNumber('', 'en')).toMatchObject({ ok: false, reason: 'invalid_number' });
  });

  it('tells the habit of values that read only one way, and refuses to guess the others', () => {
    expect(numberHabitOf('1.234,5')).toBe('vi');
    expect(numberHabitOf('1.234.567')).toBe('vi');
    expect(numberHabitOf('12,5')).toBe('vi');
    expect(numberHabitOf('0,125')).toBe('vi');
    expect(numberHabitOf('1,234.5')).toBe('en');
    expect(numberHabitOf('12.5')).toBe('en');
    expect(numberHabitOf('1.234')).toBe('ambiguous');
    expect(numberHabitOf('1,234')).toBe('ambiguous');
    expect(numberHabitOf('120')).toBe('either');
    expect(detectNumberHabit(['120', '1.234', '1.234,5'])).toBe('vi');
    expect(detectNumberHabit(['120', '1,234', '3.75'])).toBe('en');
    expect(detectNumberHabit(['120', '1.234'])).toBeNull();
    expect(parseNumber('1.234', null)).toMatchObject({ ok: false, reason: 'ambiguous_number' });
    expect(parseNumber('120', null)).toEqual({ ok: true, value: 120 });
    expect(parseNumber('12,5', null)).toEqual({ ok: true, value: 12.5 });
  });
});

describe('periods written the Vietnamese way', () => {
  it('turns them into period keys', () => {
    expect(periodKeyOf('14/07/2025')).toBe('2025-07-14');
    expect(periodKeyOf('4/7/2025')).toBe('2025-07-04');
    expect(periodKeyOf('07/2025')).toBe('2025-07');
    expect(periodKeyOf('Tháng 7/2025')).toBe('2025-07');
    expect(periodKeyOf('Quý III/2025')).toBe('2025-Q3');
    expect(periodKeyOf('quý 2 năm 2025')).toBe('2025-Q2');
    expect(periodKeyOf('Q4-2025')).toBe('2025-Q4');
    expect(periodKeyOf('6 tháng đầu năm 2025')).toBe('2025-H1');
    expect(periodKeyOf('9 tháng 2025')).toBe('2025-9M');
    expect(periodKeyOf('Năm 2025')).toBe('2025');
    expect(periodKeyOf(2025)).toBe('2025');
    expect(periodKeyOf('14/07/2025 08:30')).toBe('2025-07-14T08:30:00+07:00');
    expect(periodKeyOf(new Date(Date.UTC(2025, 6, 14)))).toBe('2025-07-14');
  });

  it('passes on what it does not recognise, for the write path to judge', () => {
    expect(periodKeyOf('2025-07')).toBe('2025-07');
    expect(periodKeyOf('31/02/2025')).toBe('31/02/2025');
    expect(periodKeyOf('13/2025')).toBe('13/2025');
  });
});
