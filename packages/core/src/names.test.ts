import { describe, expect, it } from 'vitest';
import { describeCandidate, foldName, matchOrganisationName, matchPlaceName, organisationNameIndex, placeNameIndex, readPlaceName, type NamedVersion } from './names';

/** A few real units around the 1 July 2025 merger: codes 29242 and 86 were reused. */
const PLACES: NamedVersion[] = [
  { code: '84', name: 'Tỉnh Trà Vinh', level: 'province', validFrom: null, validTo: '2025-06-30' },
  { code: '86', name: 'Tỉnh Vĩnh Long', level: 'province', validFrom: null, validTo: '2025-06-30' },
  { code: '86', name: 'Tỉnh Vĩnh Long', level: 'province', validFrom: '2025-07-01', validTo: null },
  { code: '92', name: 'Thành phố Cần Thơ', level: 'province', validFrom: null, validTo: '2025-06-30' },
  { code: '92', name: 'Thành phố Cần Thơ', level: 'province', validFrom: '2025-07-01', validTo: null },
  { code: '79', name: 'Thành phố Hồ Chí Minh', level: 'province', validFrom: '2025-07-01', validTo: null },
  { code: '842', name: 'Thành phố Trà Vinh', level: 'district', validFrom: null, validTo: '2025-06-30' },
  { code: '29239', name: 'Phường 1', level: 'commune', validFrom: null, validTo: '2025-06-30' },
  { code: '29242', name: 'Phường 3', level: 'commune', validFrom: null, validTo: '2025-06-30' },
  { code: '29242', name: 'Phường Trà Vinh', level: 'commune', validFrom: '2025-07-01', validTo: null },
  { code: '26734', name: 'Phường 1', level: 'commune', validFrom: null, validTo: '2025-06-30' },
  { code: '29263', name: 'Xã Long Đức', level: 'commune', validFrom: null, validTo: null },
  { code: '00013', name: 'Phường Quán Thánh', level: 'commune', validFrom: null, validTo: '2025-06-30' },
];
const index = placeNameIndex(PLACES);
const Y2024: [string, string] = ['2024-01-01', '2024-12-31'];
const M2026: [string, string] = ['2026-10-01', '2026-10-31'];
const code = (text: string, [start, end]: [string, string]) => {
  const m = matchPlaceName(text, index, start, end);
  return m.ok ? m.version.code : m.why;
};

describe('names of units', () => {
  it('fold diacritics, case, punctuation and leading zeros', () => {
    expect(foldName('  Phường  Trà Vinh ')).toBe('phuong tra vinh');
    expect(foldName('PHUONG 01')).toBe('phuong 1');
    expect(foldName('Văn Miếu - Quốc Tử Giám')).toBe('van mieu quoc tu giam');
    expect(foldName('Đặc khu Côn Đảo')).toBe('dac khu con dao');
  });

  it('read their kind apart, after a People’s Committee', () => {
    expect(readPlaceName('UBND phường Trà Vinh')).toEqual({ kind: 'phuong', key: 'tra vinh' });
    expect(readPlaceName('Ủy ban nhân dân tỉnh Trà Vinh')).toEqual({ kind: 'tinh', key: 'tra vinh' });
    expect(readPlaceName('TP. Cần Thơ')).toEqual({ kind: 'thanh pho', key: 'can tho' });
    expect(readPlaceName('Tp.HCM')).toEqual({ kind: 'thanh pho', key: 'ho chi minh' });
    expect(readPlaceName('TPHCM')).toEqual({ kind: 'thanh pho', key: 'ho chi minh' });
    expect(readPlaceName('Thị xã Duyên Hải')).toEqual({ kind: 'thi xa', key: 'duyen hai' });
    expect(readPlaceName('Xã Long Đức')).toEqual({ kind: 'xa', key: 'long duc' });
    expect(readPlaceName('Long Đức')).toEqual({ kind: null, key: 'long duc' });
  });

  it('resolve to the unit of that name valid during the period, with or without diacritics', () => {
    expect(code('Tỉnh Trà Vinh', Y2024)).toBe('84');
    expect(code('Tinh Tra Vinh', Y2024)).toBe('84');
    expect(code('UBND phường Trà Vinh', M2026)).toBe('29242');
    expect(code('Phuong Tra Vinh', M2026)).toBe('29242');
    expect(code('Phường 3', Y2024)).toBe('29242');
    expect(code('TP. Cần Thơ', Y2024)).toBe('92');
    expect(code('TP. Cần Thơ', M2026)).toBe('92');
    expect(code('Thành phố Hồ Chí Minh', M2026)).toBe('79');
    expect(code('TP.HCM', M2026)).toBe('79');
    expect(code('Thành phố Trà Vinh', Y2024)).toBe('842');
    expect(code('Long Đức', Y2024)).toBe('29263');
    // A name proper that begins like a kind ("Quán" reads as "quan") without one.
    expect(code('Quán Thánh', Y2024)).toBe('00013');
    expect(code('Phường Quán Thánh', Y2024)).toBe('00013');
    expect(code('Tỉnh Vĩnh Long', Y2024)).toBe('86');
    expect(code('Tỉnh Vĩnh Long', M2026)).toBe('86');
  });

  it('refuse a name that no longer existed, listing the unit it was', () => {
    const m = matchPlaceName('Tỉnh Trà Vinh', index, ...M2026);
    expect(m).toMatchObject({ ok: false, why: 'not_valid', candidates: [{ code: '84', validTo: '2025-06-30' }] });
    expect(!m.ok && m.candidates.map(describeCandidate)).toEqual(['84 Tỉnh Trà Vinh (until 2025-06-30)']);
  });

  it('refuse a name several units bore, listing them; and an unknown name', () => {
    const m = matchPlaceName('Phường 01', index, ...Y2024);
    expect(m).toMatchObject({ ok: false, why: 'ambiguous' });
    expect(!m.ok && m.candidates.map((c) => c.code)).toEqual(['26734', '29239']);
    // "Trà Vinh" with no kind is the province, the city and (later) the ward.
    expect(code('Trà Vinh', Y2024)).toBe('ambiguous');
    expect(code('Phường Nowhere', M2026)).toBe('unknown');
    // A kind of another level is offered, not taken; one of the same level is read as a slip ("Tỉnh Cần Thơ" is the city).
    const wrongLevel = matchPlaceName('Xã Cần Thơ', index, ...M2026);
    expect(wrongLevel).toMatchObject({ ok: false, why: 'unknown' });
    expect(!wrongLevel.ok && wrongLevel.candidates.map(describeCandidate)).toEqual(['92 Thành phố Cần Thơ (until 2025-06-30)', '92 Thành phố Cần Thơ (from 2025-07-01)']);
    expect(code('Tỉnh Cần Thơ', M2026)).toBe('92');
  });
});

describe('names of agencies', () => {
  const orgs = organisationNameIndex<NamedVersion>([
    { code: 'TV-STC', name: 'Sở Tài chính tỉnh Trà Vinh', validFrom: null, validTo: '2025-06-30' },
    { code: 'VL-STC', name: 'Sở Tài chính tỉnh Vĩnh Long', validFrom: '2025-07-01', validTo: null },
    { code: 'VL-UBND', name: 'Ủy ban nhân dân tỉnh Vĩnh Long', validFrom: '2025-07-01', validTo: null },
  ]);
  const org = (text: string, [start, end]: [string, string]) => {
    const m = matchOrganisationName(text, orgs, start, end);
    return m.ok ? m.version.code : m.why;
  };

  it('resolve by full name, or without the province, as valid during the period', () => {
    expect(org('Sở Tài chính tỉnh Vĩnh Long', M2026)).toBe('VL-STC');
    expect(org('So tai chinh', M2026)).toBe('VL-STC');
    expect(org('Sở Tài chính', Y2024)).toBe('TV-STC');
    expect(org('UBND tỉnh Vĩnh Long', M2026)).toBe('VL-UBND');
    expect(org('Sở Tài chính tỉnh Trà Vinh', M2026)).toBe('not_valid');
    expect(org('Sở Xây dựng', M2026)).toBe('unknown');
  });
});
