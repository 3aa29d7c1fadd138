import { describe, expect, it } from 'vitest';
import { completeDossierTotals, dossierMonths, figureChanges, figureKeys, groupFigures, monthInstants, monthsBetween, withDossierTotals, type DossierTotalCell } from './operations';

describe('operational figures', () => {
  it('walks months across a year end and spans them in Vietnam time', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsBetween('2026-02', '2026-01')).toEqual([]);
    expect(monthInstants('2026-11')).toEqual({ start: '2026-10-31T17:00:00.000Z', end: '2026-11-30T17:00:00.000Z' });
  });

  it('touches every month a dossier is open in, to now while it is open', () => {
    // Received on 31 October at 23:00 in Vietnam (16:00 UTC): an October dossier.
    expect(dossierMonths({ receivedAt: '2026-10-31T16:00:00Z', resolvedAt: '2026-12-02T01:00:00Z' }, '2027-01-10T00:00:00Z')).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(dossierMonths({ receivedAt: '2026-10-05T01:00:00Z', resolvedAt: null }, '2026-11-28T03:00:00Z')).toEqual(['2026-10', '2026-11']);
  });

  it('files totals at the unit and the province, and an agency once at its unit', () => {
    const r = { placeCode: '29242', provinceCode: '86', orgCode: 'VL-SXD' };
    expect(figureKeys(r)).toEqual([
      { place: '29242', organisation: '' },
      { place: '86', organisation: '' },
      { place: '29242', organisation: 'VL-SXD' },
    ]);
    expect(figureKeys({ placeCode: '86', provinceCode: '86', orgCode: null })).toEqual([{ place: '86', organisation: '' }]);
  });

  it('groups records by key and writes only what changed, zeroing a key left empty', () => {
    const records = [
      { placeCode: '29242', provinceCode: '86', orgCode: 'A' },
      { placeCode: '29263', provinceCode: '86', orgCode: 'A' },
    ];
    const figures = groupFigures(records, (g) => ({ N: g.length }));
    expect(figures.find((f) => f.place === '86' && f.organisation === '')?.value).toBe(2);
    expect(figures.filter((f) => f.organisation === 'A').map((f) => [f.place, f.value])).toEqual([
      ['29242', 1],
      ['29263', 1],
    ]);
    expect(figureChanges(figures, figures)).toEqual([]);
    const stored = [...figures.map((f) => (f.place === '86' && f.organisation === '' ? { ...f, value: 1 } : f)), { indicator: 'N', place: '29242', organisation: 'B', value: 4 }];
    expect(figureChanges(figures, stored)).toEqual([
      { indicator: 'N', place: '86', organisation: '', value: 2 },
      { indicator: 'N', place: '29242', organisation: 'B', value: 0 },
    ]);
  });

  it('counts reported totals where a cell has no record, and only the records where it has both', () => {
    // Sở Xây dựng has two records at the province; its totals there are set aside. Sở Tài chính and Sở Y tế (in a commune) report totals only.
    const records = [
      { placeCode: '86', provinceCode: '86', orgCode: 'VL-SXD' },
      { placeCode: '86', provinceCode: '86', orgCode: 'VL-SXD' },
    ];
    const counted = groupFigures(records, (g) => ({ PS_DOSSIER_RECEIVED: g.length }));
    const cell = (organisation: string, place: string, values: Record<string, number>): DossierTotalCell => ({ period: '2026-10', organisation, place, province: '86', source: 'BC', values });
    const totals = [
      cell('VL-SXD', '86', { PS_DOSSIER_RECEIVED: 60 }),
      cell('VL-STC', '86', { PS_DOSSIER_RECEIVED: 120 }),
      cell('VL-SYT', '29242', { PS_DOSSIER_RECEIVED: 30 }),
    ];
    const r = withDossierTotals(counted, records, totals);
    expect(r.superseded.map((c) => c.organisation)).toEqual(['VL-SXD']);
    const value = (place: string, organisation: string) => r.figures.find((f) => f.place === place && f.organisation === organisation);
    expect(value('86', '')).toMatchObject({ value: 2 + 120 + 30, note: expect.stringContaining('counted from dossier records and totals reported by BC') });
    expect(value('86', 'VL-SXD')).toEqual({ indicator: 'PS_DOSSIER_RECEIVED', place: '86', organisation: 'VL-SXD', value: 2 });
    expect(value('86', 'VL-STC')).toMatchObject({ value: 120, note: expect.stringContaining('totals reported by BC') });
    expect(value('29242', '')).toMatchObject({ value: 30 });
    expect(value('29242', 'VL-SYT')).toMatchObject({ value: 30 });
    // A commune's records set aside the agency's totals for the province too (they would count the same dossiers).
    expect(withDossierTotals([], [{ placeCode: '29242', provinceCode: '86', orgCode: 'VL-STC' }], [cell('VL-STC', '86', { PS_DOSSIER_RECEIVED: 1 })]).counted).toEqual([]);
  });

  it('makes resolved and pending of a total from their parts when it leaves them out', () => {
    expect(completeDossierTotals({ PS_DOSSIER_ON_TIME: 100, PS_DOSSIER_LATE: 8 })).toEqual({ PS_DOSSIER_ON_TIME: 100, PS_DOSSIER_LATE: 8, PS_DOSSIER_RESOLVED: 108 });
    expect(completeDossierTotals({ PS_DOSSIER_RESOLVED: 110, PS_DOSSIER_ON_TIME: 100, PS_DOSSIER_LATE: 8 }).PS_DOSSIER_RESOLVED).toBe(110);
    expect(completeDossierTotals({ PS_DOSSIER_PENDING_LATE: 1, PS_DOSSIER_PENDING_DUE_SOON: 2, PS_DOSSIER_PENDING_NOT_DUE: 3 }).PS_DOSSIER_PENDING).toBe(6);
    expect(completeDossierTotals({ PS_DOSSIER_PENDING_LATE: 1 }).PS_DOSSIER_PENDING).toBeUndefined();
  });

  it('rewrites a figure whose value stands when reported totals now make it, and never for a note left out', () => {
    const stored = [{ indicator: 'X', place: '86', organisation: '', value: 5, note: null }];
    expect(figureChanges([{ indicator: 'X', place: '86', organisation: '', value: 5, note: 'Tổng số do nguồn BC báo cáo' }], stored)).toHaveLength(1);
    expect(figureChanges([{ indicator: 'X', place: '86', organisation: '', value: 5 }], [{ ...stored[0]!, note: 'old' }])).toEqual([]);
  });
});
