import { describe, expect, it } from 'vitest';
import { rankScorecards, type ScorecardInput } from '@watchfloor/core';
import { nextSort, sortScorecards } from './sort';

const input = (code: string, name: string, over: Partial<Omit<ScorecardInput, 'organisation'>>): ScorecardInput => ({
  organisation: { code, name },
  dossiers: { processed: 0, onTime: 0 },
  cases: { received: 0, processed: 0, processedOnTime: 0 },
  directives: { judged: 0, doneOnTime: 0 },
  data: { expected: 0, late: 0 },
  ...over,
});

const LIST = rankScorecards([
  input('A', 'Sở Y tế', { dossiers: { processed: 10, onTime: 9 }, data: { expected: 2, late: 1 } }),
  input('B', 'Ban Quản lý', { cases: { received: 6, processed: 5, processedOnTime: 5 } }),
  input('C', 'Công an', { dossiers: { processed: 4, onTime: 1 }, cases: { received: 2, processed: 2, processedOnTime: 1 }, data: { expected: 3, late: 3 } }),
  input('D', 'Đài PTTH', {}),
]);
const codes = (list: ReturnType<typeof sortScorecards>) => list.map((s) => s.organisation.code);

describe('sorting the scorecards table', () => {
  it('sorts by the composite best first, or worst first, agencies without a score always last', () => {
    expect(codes(sortScorecards(LIST, { column: 'composite', descending: true }))).toEqual(['B', 'A', 'C', 'D']);
    expect(codes(sortScorecards(LIST, { column: 'composite', descending: false }))).toEqual(['C', 'A', 'B', 'D']);
  });

  it('sorts by one component, those without it last', () => {
    expect(codes(sortScorecards(LIST, { column: 'dossierOnTime', descending: true }))).toEqual(['A', 'C', 'B', 'D']);
    expect(codes(sortScorecards(LIST, { column: 'caseOnTime', descending: false }))).toEqual(['C', 'B', 'A', 'D']);
  });

  it('sorts names in Vietnamese order and counts as numbers', () => {
    expect(codes(sortScorecards(LIST, { column: 'organisation', descending: false }))).toEqual(['B', 'C', 'D', 'A']);
    expect(codes(sortScorecards(LIST, { column: 'casesHandled', descending: true }))).toEqual(['B', 'C', 'A', 'D']);
  });

  it('flips the direction on the same column and starts a new one with its own default', () => {
    expect(nextSort({ column: 'composite', descending: true }, 'composite')).toEqual({ column: 'composite', descending: false });
    expect(nextSort({ column: 'composite', descending: true }, 'organisation')).toEqual({ column: 'organisation', descending: false });
    expect(nextSort({ column: 'organisation', descending: false }, 'lateData')).toEqual({ column: 'lateData', descending: false });
  });
});
