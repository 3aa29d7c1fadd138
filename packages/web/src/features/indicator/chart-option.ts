import type { Language, SeriesResponse } from '@watchfloor/core';
import { labelOf } from '../period/period-label';

/** What the history chart draws, computed apart from echarts so it can be tested. */
export interface ChartModel {
  categories: string[];
  periods: string[];
  actual: (number | null)[];
  plan: (number | null)[];
  lastYear: (number | null)[];
  /** Indexes of the points regrouped from former units. */
  regrouped: number[];
  /** Indexes of the points resting on provisional (sơ bộ) values: drawn hollow. */
  provisional: number[];
  hasPlan: boolean;
}

export function chartModel(series: SeriesResponse, lang: Language): ChartModel {
  const points = series.points;
  return {
    categories: points.map((p) => labelOf(p.period, lang)),
    periods: points.map((p) => p.period),
    actual: points.map((p) => p.value),
    plan: points.map((p) => p.target),
    lastYear: points.map((p) => p.samePeriodLastYear),
    regrouped: points.flatMap((p, i) => (p.regrouped ? [i] : [])),
    provisional: points.flatMap((p, i) => (p.provisional && p.value !== null ? [i] : [])),
    hasPlan: points.some((p) => p.target !== null),
  };
}

export const CHART_COLOURS = { actual: '#38bdf8', plan: '#fbbf24', lastYear: '#94a3b8', regrouped: '#c084fc', selected: '#f8fafc' } as const;
