import { describe, expect, it } from 'vitest';
import { convertUnit, parseUnit, shiftDecimal, unitShift } from './units';

describe('units of measure', () => {
  it('reads the spellings of one unit as that unit: diacritics, case, spaces and dots do not matter', () => {
    for (const s of ['triệu đồng', 'Triệu đồng', 'trieu dong', 'tr.đ', 'trđ', 'Tr.đ', 'tr đ', '(triệu đồng)']) expect(parseUnit(s), s).toEqual({ family: 'vnd', exponent: 6 });
    for (const s of ['tỷ đồng', 'tỉ đồng', 'tỷ đ', 'ty dong', 'tỷđ']) expect(parseUnit(s), s).toEqual({ family: 'vnd', exponent: 9 });
    for (const s of ['nghìn đồng', 'ngàn đồng', 'nghin dong', '1.000 đồng', 'ng.đ']) expect(parseUnit(s), s).toEqual({ family: 'vnd', exponent: 3 });
    expect(parseUnit('nghìn tỷ đồng')).toEqual({ family: 'vnd', exponent: 12 });
    expect(parseUnit('đồng')).toEqual({ family: 'vnd', exponent: 0 });
    expect(parseUnit('VNĐ')).toEqual({ family: 'vnd', exponent: 0 });
    expect(parseUnit('triệu USD')).toEqual({ family: 'usd', exponent: 6 });
    expect(parseUnit('nghìn người')).toEqual({ family: 'people', exponent: 3 });
    expect(parseUnit('nghìn lượt')).toEqual({ family: 'visits', exponent: 3 });
    expect(parseUnit('tạ')).toEqual({ family: 'mass', exponent: 2 });
    expect(parseUnit('nghìn tấn')).toEqual({ family: 'mass', exponent: 6 });
    expect(parseUnit('‰')).toEqual({ family: 'percent', exponent: -1 });
    expect(parseUnit('km')).toEqual({ family: 'length', exponent: 3 });
    expect(parseUnit('µg/m³')).toBeNull();
  });

  it('converts within a family by powers of ten, and not across families', () => {
    expect(unitShift('triệu đồng', 'tỷ đồng')).toBe(-3);
    expect(unitShift('tỷ đồng', 'triệu đồng')).toBe(3);
    expect(unitShift('tấn', 'kg')).toBe(3);
    expect(unitShift('‰', '%')).toBe(-1);
    expect(unitShift('ha', 'km2')).toBe(-2);
    expect(unitShift('Tỷ đồng', 'tỷ đồng')).toBe(0);
    // A unit this table does not know converts only to itself, however spelt.
    expect(unitShift('µg/m³', 'µg/m³')).toBe(0);
    expect(unitShift('Hồ sơ', 'hồ sơ')).toBe(0);
    expect(unitShift('hồ sơ', 'doanh nghiệp')).toBeNull();
    expect(unitShift('triệu USD', 'tỷ đồng')).toBeNull();
    expect(unitShift('người', 'lượt')).toBeNull();
    expect(unitShift('%', 'người')).toBeNull();
  });

  it('moves the decimal point as a decimal would, with no binary residue', () => {
    // In floating point 0.017 × 0.001 is 0.000017000000000000003, 1.001 × 1000 is 1000.9999999999999, 0.07 / 1000 is 0.00007000000000000001.
    expect(0.017 * 0.001).not.toBe(0.000017);
    expect(1.001 * 1000).not.toBe(1001);
    expect(0.07 / 1000).not.toBe(0.00007);
    expect(convertUnit(0.017, 'triệu đồng', 'tỷ đồng')).toBe(0.000017);
    expect(convertUnit(1.001, 'tỷ đồng', 'triệu đồng')).toBe(1001);
    expect(convertUnit(0.07, 'nghìn đồng', 'triệu đồng')).toBe(0.00007);
    expect(convertUnit(1.234, 'triệu đồng', 'tỷ đồng')).toBe(0.001234);
    expect(convertUnit(1234.5, 'triệu đồng', 'tỷ đồng')).toBe(1.2345);
    expect(convertUnit(0.1, 'tỷ đồng', 'triệu đồng')).toBe(100);
    expect(convertUnit(0.07, 'tấn', 'kg')).toBe(70);
    expect(convertUnit(-2.5, '‰', '%')).toBe(-0.25);
    expect(convertUnit(5, 'nghìn người', 'người')).toBe(5000);
    expect(convertUnit(12, 'tỷ đồng', 'tỷ đồng')).toBe(12);
    expect(convertUnit(1, 'triệu USD', 'tỷ đồng')).toBeNull();
    expect(shiftDecimal(0, 5)).toBe(0);
    expect(shiftDecimal(1e-7, 3)).toBe(0.0001);
    expect(shiftDecimal(123456789.123, -9)).toBe(0.123456789123);
  });
});
