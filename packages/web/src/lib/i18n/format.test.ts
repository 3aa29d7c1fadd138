import { describe, expect, it } from 'vitest';
import { decimalsFor, formatAgo, formatDate, formatGrowth, formatInstant, formatNumber, formatPercent, formatValue } from './format';

describe('formatting for people', () => {
  it('writes numbers the Vietnamese way and the British way', () => {
    expect(formatNumber(2449861, 'vi')).toBe('2.449.861');
    expect(formatNumber(2449861, 'en')).toBe('2,449,861');
    expect(formatNumber(1800.3, 'vi', 1)).toBe('1.800,3');
    expect(formatNumber(1800.3, 'en', 1)).toBe('1,800.3');
  });

  it('gives a figure its unit and sensible decimals', () => {
    expect(formatValue(97.61036976074304, '%', 'vi')).toBe('97,6 %');
    expect(formatValue(97.61036976074304, '%', 'en')).toBe('97.6 %');
    expect(formatValue(1800.3, 'tỷ đồng', 'vi')).toBe('1.800 tỷ đồng');
    expect(formatValue(23.328104575163398, 'µg/m³', 'vi')).toBe('23,3 µg/m³');
    expect(formatValue(1.2, '‰', 'en')).toBe('1.2 ‰');
    expect(formatValue(0, 'ha', 'vi')).toBe('0 ha');
    expect(formatValue(5, '', 'vi')).toBe('5');
    expect(decimalsFor(100, '%')).toBe(0);
    expect(decimalsFor(8.58, '‰')).toBe(2);
  });

  it('signs growth and rounds percentages', () => {
    expect(formatGrowth(2.544979157960159, 'vi')).toBe('+2,5 %');
    expect(formatGrowth(-10.3, 'en')).toBe('−10.3 %');
    expect(formatGrowth(0, 'en')).toBe('±0 %');
    expect(formatPercent(72.1, 'vi')).toBe('72,1 %');
    expect(formatPercent(102.4, 'en')).toBe('102 %');
  });

  it('writes dates and instants (in Vietnam time)', () => {
    expect(formatDate('2025-06-30', 'vi')).toBe('30/06/2025');
    expect(formatDate('2025-06-30', 'en')).toBe('30 Jun 2025');
    expect(formatDate('not a date', 'en')).toBe('not a date');
    // 14:45 UTC is 21:45 in Vietnam.
    expect(formatInstant('2026-11-28T14:45:38.731Z', 'vi')).toContain('21:45');
  });

  it('says how long ago, in words', () => {
    const now = new Date('2026-11-28T10:00:00Z');
    expect(formatAgo('2026-11-25T10:00:00Z', now, 'vi')).toBe('3 ngày trước');
    expect(formatAgo('2026-11-25T10:00:00Z', now, 'en')).toBe('3 days ago');
    expect(formatAgo('2026-11-28T07:00:00Z', now, 'en')).toBe('3 hours ago');
    expect(formatAgo('2026-11-28T09:59:50Z', now, 'vi')).toBe('vừa xong');
    expect(formatAgo('2026-11-27T10:00:00Z', now, 'en')).toBe('yesterday');
  });
});
