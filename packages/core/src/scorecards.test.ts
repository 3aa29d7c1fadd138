import { describe, expect, it } from 'vitest';
import { rankScorecards, scoreAgency, SCORECARD_WEIGHTS, type ScorecardInput } from './scorecards';

function input(code: string, over: Partial<Omit<ScorecardInput, 'organisation'>> = {}): ScorecardInput {
  return {
    organisation: { code, name: `Sở ${code}` },
    dossiers: { processed: 0, onTime: 0 },
    cases: { received: 0, processed: 0, processedOnTime: 0 },
    directives: { judged: 0, doneOnTime: 0 },
    data: { expected: 0, late: 0 },
    ...over,
  };
}

describe('agency scorecards', () => {
  it('weights dossiers 32, cases 24, directive tasks 20 and data 24, each component with its value, weight and contribution', () => {
    const s = scoreAgency(
      input('A', {
        dossiers: { processed: 10, onTime: 9 },
        cases: { received: 5, processed: 4, processedOnTime: 2 },
        directives: { judged: 4, doneOnTime: 3 },
        data: { expected: 4, late: 1 },
      }),
    );
    expect(SCORECARD_WEIGHTS).toEqual({ dossierOnTime: 0.32, caseOnTime: 0.24, directivesOnTime: 0.2, dataPunctuality: 0.24 });
    // 0.9 × 32 + 0.5 × 24 + 0.75 × 20 + 0.75 × 24 = 28.8 + 12 + 15 + 18.
    expect(s.components).toEqual([
      { key: 'dossierOnTime', numerator: 9, denominator: 10, value: 0.9, weight: 0.32, effectiveWeight: 0.32, contribution: 28.8 },
      { key: 'caseOnTime', numerator: 2, denominator: 4, value: 0.5, weight: 0.24, effectiveWeight: 0.24, contribution: 12 },
      { key: 'directivesOnTime', numerator: 3, denominator: 4, value: 0.75, weight: 0.2, effectiveWeight: 0.2, contribution: 15 },
      { key: 'dataPunctuality', numerator: 3, denominator: 4, value: 0.75, weight: 0.24, effectiveWeight: 0.24, contribution: 18 },
    ]);
    expect(s.composite).toBe(73.8);
    expect(s).toMatchObject({ casesReceived: 5, casesHandled: 4, lateData: 1 });
  });

  it('scores an agency without a directive task judged as the other three weigh it, 40 : 30 : 30', () => {
    const s = scoreAgency(input('A', { dossiers: { processed: 10, onTime: 9 }, cases: { received: 5, processed: 4, processedOnTime: 2 }, data: { expected: 4, late: 1 } }));
    const byKey = new Map(s.components.map((c) => [c.key, c]));
    expect(byKey.get('directivesOnTime')).toMatchObject({ numerator: 0, denominator: 0, value: null, effectiveWeight: 0, contribution: null });
    expect(byKey.get('dossierOnTime')?.effectiveWeight).toBeCloseTo(0.4, 10);
    expect(byKey.get('caseOnTime')?.effectiveWeight).toBeCloseTo(0.3, 10);
    expect(byKey.get('dataPunctuality')?.effectiveWeight).toBeCloseTo(0.3, 10);
    // 0.9 × 40 + 0.5 × 30 + 0.75 × 30.
    expect(s.composite).toBe(73.5);
  });

  it('counts directive tasks done on time over those done or overdue, beside the components the agency has', () => {
    // Cases 2 of 2 on time, directive tasks 1 of 4: cases weigh 24/44, directives 20/44.
    const s = scoreAgency(input('D', { cases: { received: 2, processed: 2, processedOnTime: 2 }, directives: { judged: 4, doneOnTime: 1 } }));
    const byKey = new Map(s.components.map((c) => [c.key, c]));
    expect(byKey.get('directivesOnTime')).toMatchObject({ numerator: 1, denominator: 4, value: 0.25 });
    expect(byKey.get('directivesOnTime')?.effectiveWeight).toBeCloseTo(5 / 11, 10);
    // 100 × 6/11 + 25 × 5/11 = 725/11 = 65.909…
    expect(s.composite).toBe(65.91);
  });

  it('renormalises the weights over the components an agency has', () => {
    // No case processed and no directive task judged: dossiers count 32/56, data 24/56.
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
