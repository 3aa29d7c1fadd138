import { describe, expect, it } from 'vitest';
import { rankScorecards, scoreAgency, SCORECARD_WEIGHTS, type ScorecardInput } from './scorecards';

function input(code: string, over: Partial<Omit<ScorecardInput, 'organisation'>> = {}): ScorecardInput {
  return {
    organisation: { code, name: `Sở ${code}` },
    dossiers: { processed: 0, onTime: 0 },
    cases: { received: 0, processed: 0, processedOnTime: 0 },
    data: { expected: 0, late: 0 },
    ...over,
  };
}

describe('agency scorecards', () => {
  it('weights dossiers 40, cases 30 and data 30, each component with its value, weight and contribution', () => {
    const s = scoreAgency(input('A', { dossiers: { processed: 10, onTime: 9 }, cases: { received: 5, processed: 4, processedOnTime: 2 }, data: { expected: 4, late: 1 } }));
    expect(SCORECARD_WEIGHTS).toEqual({ dossierOnTime: 0.4, caseOnTime: 0.3, dataPunctuality: 0.3 });
    expect(s.components).toEqual([
      { key: 'dossierOnTime', numerator: 9, denominator: 10, value: 0.9, weight: 0.4, effectiveWeight: 0.4, contribution: 36 },
      { key: 'caseOnTime', numerator: 2, denominator: 4, value: 0.5, weight: 0.3, effectiveWeight: 0.3, contribution: 15 },
      { key: 'dataPunctuality', numerator: 3, denominator: 4, value: 0.75, weight: 0.3, effectiveWeight: 0.3, contribution: 22.5 },
    ]);
    expect(s.composite).toBe(73.5);
    expect(s).toMatchObject({ casesReceived: 5, casesHandled: 4, lateData: 1 });
  });

  it('renormalises the weights over the components an agency has', () => {
    // No case processed: dossiers count 40/70, data 30/70.
    const s = scoreAgency(input('B', { dossiers: { processed: 4, onTime: 4 }, data: { expected: 2, late: 2 } }));
    const byKey = new Map(s.components.map((c) => [c.key, c]));
    expect(byKey.get('caseOnTime')).toMatchObject({ value: null, effectiveWeight: 0, contribution: null });
    expect(byKey.get('dossierOnTime')?.effectiveWeight).toBeCloseTo(4 / 7, 10);
    expect(byKey.get('dataPunctuality')).toMatchObject({ value: 0, contribution: 0 });
    expect(s.composite).toBe(57.14);
  });

  it('gives no composite to an agency with nothing to score, rather than a zero', () => {
    const s = scoreAgency(input('C', { cases: { received: 3, processed: 0, processedOnTime: 0 } }));
    expect(s.composite).toBeNull();
    expect(s.casesReceived).toBe(3);
    expect(s.components.every((c) => c.contribution === null && c.effectiveWeight === 0)).toBe(true);
  });

  it('ranks best first, equal composites sharing a rank, agencies without a composite last', () => {
    const ranked = rankScorecards([
      input('Z'),
      input('B', { data: { expected: 2, late: 1 } }),
      input('A', { dossiers: { processed: 2, onTime: 1 } }),
      input('C', { cases: { received: 1, processed: 1, processedOnTime: 1 } }),
    ]);
    expect(ranked.map((s) => [s.organisation.code, s.rank, s.composite])).toEqual([
      ['C', 1, 100],
      ['A', 2, 50],
      ['B', 2, 50],
      ['Z', null, null],
    ]);
  });
});
