import { describe, expect, it } from 'vitest';
import { dossierMonths, figureChanges, figureKeys, groupFigures, monthInstants, monthsBetween } from './operations';

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
});
