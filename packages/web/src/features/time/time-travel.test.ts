import type { Lineage, PlaceSummary } from '@watchfloor/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { setServerConfig } from '../../lib/server-config';
import { counterpart, homePlace, todayInVietnam, validOn } from './time-travel';

const unit = (code: string, name: string, parentCode: string | null, validFrom: string | null, validTo: string | null): PlaceSummary => ({
  code,
  name,
  nameEn: null,
  level: code.length === 2 ? 'province' : code.length === 3 ? 'district' : 'commune',
  parentCode,
  validFrom,
  validTo,
});
const edge = (place: PlaceSummary) => ({ place, kind: 'merge' as const, part: 'full' as const, share: null, effectiveDate: '2025-07-01', legalRef: null });

const newVinhLong = unit('86', 'Tỉnh Vĩnh Long', 'VN', '2025-07-01', null);
const oldProvinces = [unit('83', 'Tỉnh Bến Tre', 'VN', null, '2025-06-30'), unit('84', 'Tỉnh Trà Vinh', 'VN', null, '2025-06-30'), unit('86', 'Tỉnh Vĩnh Long', 'VN', null, '2025-06-30')];
const phuongTraVinh = unit('29242', 'Phường Trà Vinh', '86', '2025-07-01', null);
const oldWards = [unit('29239', 'Phường 1', '842', null, '2025-06-30'), unit('29242', 'Phường 3', '842', null, '2025-06-30'), unit('29260', 'Phường 9', '842', null, '2025-06-30')];

/** The founding case as GET /api/config answers it: Trà Vinh until 30 June 2025, then the new Vĩnh Long. */
const foundingCase = {
  version: '0',
  province: { code: '86', name: 'Tỉnh Vĩnh Long' },
  home: [
    { code: '84', name: 'Tỉnh Trà Vinh', from: null, to: '2025-06-30' },
    { code: '86', name: 'Tỉnh Vĩnh Long', from: '2025-07-01', to: null },
  ],
  demoData: true,
};

describe('time travel', () => {
  beforeEach(() => setServerConfig(foundingCase));

  it('shows Trà Vinh before 1 July 2025 and the new Vĩnh Long from then, as the server configures', () => {
    expect(homePlace('2020-01-01')).toBe('84');
    expect(homePlace('2025-06-30')).toBe('84');
    expect(homePlace('2025-07-01')).toBe('86');
  });

  it('shows another province served when the server serves another', () => {
    const hue = { home: [{ code: '46', name: 'Thành phố Huế', from: '2025-01-01', to: null }] };
    expect(homePlace('2026-01-01', hue)).toBe('46');
    // Before its first span the first is shown: there is no other home to show.
    expect(homePlace('2020-01-01', hue)).toBe('46');
    const spans = { home: [{ code: '84', name: 'Tỉnh Trà Vinh', from: '2004-01-01', to: '2025-06-30' }, { code: '86', name: 'Tỉnh Vĩnh Long', from: '2025-07-01', to: '2030-12-31' }] };
    expect(homePlace('2000-01-01', spans)).toBe('84');
    expect(homePlace('2031-01-01', spans)).toBe('86');
  });

  it('knows today in Vietnam, seven hours ahead of UTC', () => {
    expect(todayInVietnam(new Date('2026-11-28T16:59:00Z'))).toBe('2026-11-28');
    expect(todayInVietnam(new Date('2026-11-28T17:00:00Z'))).toBe('2026-11-29');
  });

  it('tells whether a version of a unit existed on a date', () => {
    expect(validOn(newVinhLong, '2026-01-01')).toBe(true);
    expect(validOn(newVinhLong, '2020-01-01')).toBe(false);
    expect(validOn(oldProvinces[1]!, '2020-01-01')).toBe(true);
  });

  it('follows the new Vĩnh Long back to Trà Vinh, the home province among those it was formed from', () => {
    const lineage: Lineage = { place: newVinhLong, from: oldProvinces.map(edge), to: [], abolished: null };
    expect(counterpart(lineage, '2020-01-01')).toEqual({ code: '84' });
  });

  it('follows Phường Trà Vinh back to the district whose wards it merged', () => {
    const lineage: Lineage = { place: phuongTraVinh, from: oldWards.map(edge), to: [], abolished: null };
    expect(counterpart(lineage, '2020-01-01')).toEqual({ code: '842' });
  });

  it('follows an old unit forward to the one it became, and Trà Vinh province forward to the new Vĩnh Long', () => {
    expect(counterpart({ place: oldWards[0]!, from: [], to: [edge(phuongTraVinh)], abolished: null }, '2026-01-01')).toEqual({ code: '29242' });
    expect(counterpart({ place: oldProvinces[1]!, from: [], to: [edge(newVinhLong)], abolished: null }, '2026-01-01')).toEqual({ code: '86' });
  });

  it("offers a district's successor wards today, not the province: the reader chooses among the four", () => {
    const ward = (code: string, name: string) => unit(code, name, '86', '2025-07-01', null);
    const successors = [ward('29242', 'Phường Trà Vinh'), ward('29254', 'Phường Nguyệt Hoá'), ward('29263', 'Phường Long Đức'), ward('29398', 'Phường Hoà Thuận')];
    const district: Lineage = {
      place: unit('842', 'Thành phố Trà Vinh', '84', null, '2025-06-30'),
      from: [],
      to: [],
      abolished: { level: 'district', effectiveDate: '2025-07-01', legalRef: '72/2025/QH15', successors: successors.map((place) => ({ place, from: [], others: 0 })) },
    };
    const found = counterpart(district, '2026-11-28');
    expect(found).toEqual({ choose: successors });
    // Going back to a date it existed needs no lineage; before the wards existed, none of them is offered.
    expect(counterpart(district, '2025-06-30')).toBeNull();
    // A district whose communes all went into one ward goes straight there.
    expect(counterpart({ ...district, abolished: { ...district.abolished!, successors: [{ place: successors[0]!, from: [], others: 0 }] } }, '2026-11-28')).toEqual({ code: '29242' });
  });

  it('offers the units an old commune was split among, for the reader to choose', () => {
    const old = unit('29300', 'Xã A', '842', null, '2025-06-30');
    const b = unit('29301', 'Xã B', '86', '2025-07-01', null);
    const c = unit('29302', 'Xã C', '86', '2025-07-01', null);
    const part = (place: PlaceSummary) => ({ ...edge(place), kind: 'split' as const, part: 'partial' as const });
    expect(counterpart({ place: old, from: [], to: [part(b), part(c)], abolished: null }, '2026-01-01')).toEqual({ choose: [b, c] });
  });

  it('names none when the lineage has no unit of that date', () => {
    expect(counterpart({ place: unit('842', 'Thành phố Trà Vinh', '84', null, '2025-06-30'), from: [], to: [], abolished: null }, '2026-01-01')).toBeNull();
  });
});
