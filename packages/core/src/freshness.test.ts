import { describe, expect, it } from 'vitest';
import { figureFreshness, freshnessBases, indicatorExpectation, rankLateAgencies, type SupplierSource } from './freshness';
import { indicatorDefinitionSchema, type IndicatorDefinition, type IndicatorDefinitionInput } from './indicators/indicator';
import { parsePeriod } from './indicators/periods';

const base = { kind: 'base', unit: 'hồ sơ', domain: 'public_services', frequency: 'month', direction: 'higher_is_better', aggregation: { places: 'sum', time: 'sum' }, names: { vi: 'x', en: 'x' } } as const;
const def = (d: Partial<IndicatorDefinitionInput> & { code: string }): IndicatorDefinition => indicatorDefinitionSchema.parse({ ...base, ...d });
const catalogue = new Map(
  [
    def({ code: 'RESOLVED', ownerOrganisationCode: 'VL-TTHCC', delivery: { afterPeriodEndDays: 5 } }),
    def({ code: 'ON_TIME', ownerOrganisationCode: 'VL-TTHCC', delivery: { afterPeriodEndDays: 5 } }),
    def({ code: 'ON_TIME_RATE', unit: '%', aggregation: { places: 'ratio', time: 'ratio' }, ratio: { numerator: 'ON_TIME', denominator: 'RESOLVED', multiplier: 100 }, ownerOrganisationCode: 'VL-TTHCC' }),
    def({ code: 'PM25', frequency: 'instant', unit: 'µg/m³', aggregation: { places: 'mean', time: 'mean' }, delivery: { maxAgeMinutes: 60 } }),
    def({ code: 'GRDP', frequency: 'year' }),
  ].map((d) => [d.code, d]),
);
const manual: SupplierSource = { code: 'TTHCC-TAY', name: 'Nhập tay', kind: 'manual', ownerOrganisationCode: 'VL-TTHCC', expected: { frequency: 'month', afterPeriodEndDays: 10 }, mapping: null, enabled: true, createdAt: '2026-01-01T00:00:00Z' };
const NOW = new Date('2026-11-28T03:00:00Z');
const names = (c: string) => ({ 'VL-TTHCC': 'Trung tâm Phục vụ hành chính công' })[c] ?? null;

describe('freshness per indicator and per figure', () => {
  it('takes the deadline of the supplying source, else of the indicator', () => {
    expect(indicatorExpectation(catalogue.get('RESOLVED')!, manual)).toEqual({ frequency: 'month', afterPeriodEndDays: 10 });
    expect(indicatorExpectation(catalogue.get('RESOLVED')!, null)).toEqual({ frequency: 'month', afterPeriodEndDays: 5 });
    expect(indicatorExpectation(catalogue.get('PM25')!, null)).toEqual({ every: 'PT60M' });
    expect(indicatorExpectation(catalogue.get('GRDP')!, null)).toBeNull();
  });

  it('finds the supplier and the agency accountable; a rate borrows from its latest part', () => {
    const bases = freshnessBases({
      catalogue,
      arrivals: new Map([
        ['RESOLVED', { lastRecordedAt: '2026-11-03T00:00:00Z', lastSource: 'TTHCC-TAY', lastPeriodEnd: '2026-10-31' }],
        ['ON_TIME', { lastRecordedAt: '2026-11-04T00:00:00Z', lastSource: 'demo-generator', lastPeriodEnd: '2026-10-31' }],
      ]),
      sources: [manual],
      organisationName: names,
    });
    expect(bases.get('RESOLVED')).toMatchObject({ source: { code: 'TTHCC-TAY', name: 'Nhập tay' }, organisation: { code: 'VL-TTHCC', name: 'Trung tâm Phục vụ hành chính công' }, expectedFrom: 'source' });
    // Delivered by a loader that is no registered source: the manual source owing it is still the supplier.
    expect(bases.get('ON_TIME')).toMatchObject({ source: { code: 'demo-generator', name: null }, supplier: { code: 'TTHCC-TAY' } });
    expect(bases.get('ON_TIME_RATE')).toMatchObject({ arrival: { lastRecordedAt: '2026-11-04T00:00:00Z' }, source: { code: 'demo-generator' }, expectation: { frequency: 'month', afterPeriodEndDays: 10 } });
    expect(bases.get('GRDP')).toMatchObject({ source: null, organisation: null, expectation: null });
  });

  it('judges a figure by the deadline of its period, a stream by its silence', () => {
    const bases = freshnessBases({ catalogue, arrivals: new Map(), sources: [], organisationName: names });
    const month = (key: string, updatedAt: string | null) => figureFreshness(bases.get('RESOLVED'), { period: parsePeriod(key), updatedAt, now: NOW });
    expect(month('2026-09', '2026-10-03T00:00:00Z')).toMatchObject({ state: 'fresh', dueAt: '2026-10-05T17:00:00.000Z' });
    expect(month('2026-10', null)).toMatchObject({ state: 'late', dueAt: '2026-11-05T17:00:00.000Z' });
    expect(month('2026-11', null)).toMatchObject({ state: 'awaiting', dueAt: '2026-12-05T17:00:00.000Z' });
    expect(figureFreshness(bases.get('RESOLVED'), { period: parsePeriod('2026-10'), updatedAt: null, now: NOW, reportedHere: false }).state).toBe('no_expectation');
    const stream = (updatedAt: string | null) => figureFreshness(bases.get('PM25'), { period: parsePeriod('2026-11'), updatedAt, now: NOW });
    expect(stream('2026-11-28T02:30:00Z')).toMatchObject({ state: 'fresh', dueAt: '2026-11-28T03:30:00.000Z' });
    expect(stream('2026-11-28T01:00:00Z')).toMatchObject({ state: 'late', dueAt: '2026-11-28T02:00:00.000Z' });
    expect(stream(null)).toMatchObject({ state: 'awaiting', dueAt: null });
    expect(figureFreshness(bases.get('GRDP'), { period: parsePeriod('2025'), updatedAt: null, now: NOW })).toEqual({ updatedAt: null, source: null, organisation: null, dueAt: null, state: 'no_expectation' });
  });

  it('ranks the agencies by their worst lateness, counting late sources and indicators and the oldest deadline missed', () => {
    const item = (code: string, org: string, lateSince: string, lateSeconds: number) => ({ code, organisationCode: org, organisationName: null, lateSince, lateSeconds });
    const ranked = rankLateAgencies(
      [item('S1', 'A', '2026-11-20T00:00:00Z', 100), item('S2', 'B', '2026-11-01T00:00:00Z', 900)],
      [item('I1', 'A', '2026-11-10T00:00:00Z', 500), item('I2', 'A', '2026-11-25T00:00:00Z', 50)],
    );
    expect(ranked.map((a) => [a.organisationCode, a.lateSources, a.lateIndicators, a.lateSince, a.worstLateSeconds, a.indicators])).toEqual([
      ['B', 1, 0, '2026-11-01T00:00:00Z', 900, []],
      ['A', 1, 2, '2026-11-10T00:00:00Z', 500, ['I1', 'I2']],
    ]);
  });
});
