import { describe, expect, it } from 'vitest';
import { computeAncestry, type AncestryPlace } from './ancestry';

// A small country: old province 84 with district 842 and communes A, B, C;
// from 2025-07-01 new province 86 with wards X (A + B whole) and Y (part of C) and Z (rest of C).
const OLD = { validFrom: null, validTo: '2025-06-30' };
const NEW = { validFrom: '2025-07-01', validTo: null };
const places: AncestryPlace[] = [
  { id: 1, code: 'VN', parentCode: null, validFrom: null, validTo: null },
  { id: 2, code: '84', parentCode: 'VN', ...OLD },
  { id: 3, code: '842', parentCode: '84', ...OLD },
  { id: 4, code: '00001', parentCode: '842', ...OLD },
  { id: 5, code: '00002', parentCode: '842', ...OLD },
  { id: 6, code: '00003', parentCode: '842', ...OLD },
  { id: 7, code: '86', parentCode: 'VN', ...NEW },
  { id: 8, code: '00001', parentCode: '86', ...NEW },
  { id: 9, code: '00009', parentCode: '86', ...NEW },
  { id: 10, code: '00010', parentCode: '86', ...NEW },
];
const edges = [
  { fromId: 2, toId: 7, share: null },
  { fromId: 4, toId: 8, share: null },
  { fromId: 5, toId: 8, share: null },
  { fromId: 6, toId: 9, share: 0.25 },
  { fromId: 6, toId: 10, share: null },
];
const rows = computeAncestry(places, edges);
const of = (id: number) =>
  Object.fromEntries(rows.filter((r) => r.placeId === id).map((r) => [r.ancestorId, { share: r.share, via: r.viaLineage }]));

describe('place ancestry', () => {
  it('gives a place itself and its ancestors of its own time, wholly', () => {
    expect(of(4)).toMatchObject({ 4: { share: 1, via: false }, 3: { share: 1, via: false }, 2: { share: 1, via: false }, 1: { share: 1, via: false } });
  });

  it('adds the later units a commune became, and their ancestors', () => {
    expect(of(4)).toMatchObject({ 8: { share: 1, via: true }, 7: { share: 1, via: true } });
    // The country is the same unit in both eras: counted once, in its own time.
    expect(Object.keys(of(4)).map(Number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 7, 8]);
  });

  it('splits a commune by the share that moved; unknown shares split the rest equally', () => {
    const c = of(6);
    expect(c[9]).toEqual({ share: 0.25, via: true });
    // The unknown share takes what the known one leaves.
    expect(c[10]).toEqual({ share: 0.75, via: true });
    expect(c[7]!.share).toBe(1);
  });

  it('lets a district without lineage inherit its province lineage', () => {
    expect(of(3)).toMatchObject({ 7: { share: 1, via: true } });
    expect(of(3)[8]).toBeUndefined();
  });

  it('gives a new unit only its own hierarchy', () => {
    expect(of(8)).toEqual({ 8: { share: 1, via: false }, 7: { share: 1, via: false }, 1: { share: 1, via: false } });
  });
});
