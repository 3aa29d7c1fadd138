import type { Scorecard, ScorecardComponentKey } from '@watchfloor/core';

export const SCORE_COLUMNS = ['composite', 'organisation', 'dossierOnTime', 'caseOnTime', 'directivesOnTime', 'dataPunctuality', 'casesHandled', 'lateData'] as const;
export type ScoreColumn = (typeof SCORE_COLUMNS)[number];

export interface ScoreSort {
  column: ScoreColumn;
  descending: boolean;
}

/** The sort a column starts with: names A→Z, late data fewest first, every score best first. */
export function defaultDirection(column: ScoreColumn): boolean {
  return column !== 'organisation' && column !== 'lateData';
}

/** Clicking a column: the same one flips its direction, another starts with its own default. */
export function nextSort(current: ScoreSort, column: ScoreColumn): ScoreSort {
  return current.column === column ? { column, descending: !current.descending } : { column, descending: defaultDirection(column) };
}

export function componentValue(s: Scorecard, key: ScorecardComponentKey): number | null {
  return s.components.find((c) => c.key === key)?.value ?? null;
}

function valueOf(s: Scorecard, column: ScoreColumn): number | string | null {
  switch (column) {
    case 'composite':
      return s.composite;
    case 'organisation':
      return s.organisation.name;
    case 'casesHandled':
      return s.casesHandled;
    case 'lateData':
      return s.lateData;
    default:
      return componentValue(s, column);
  }
}

/**
 * The scorecards sorted by a column. An agency without a value (nothing to
 * score) goes last whichever the direction, so "worst first" never shows
 * agencies without data as the worst; ties keep the server's ranking.
 */
export function sortScorecards(list: readonly Scorecard[], sort: ScoreSort): Scorecard[] {
  const order = new Map(list.map((s, i) => [s.organisation.code, i]));
  const sign = sort.descending ? -1 : 1;
  return [...list].sort((a, b) => {
    const x = valueOf(a, sort.column);
    const y = valueOf(b, sort.column);
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
    } else {
      const c = typeof x === 'string' && typeof y === 'string' ? x.localeCompare(y, 'vi') : Number(x) - Number(y);
      if (c !== 0) return sign * c;
    }
    return (order.get(a.organisation.code) ?? 0) - (order.get(b.organisation.code) ?? 0);
  });
}
