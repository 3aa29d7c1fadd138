import { REFORM_2025_DATE, periodEnd, periodStart, type Coverage, type Language, type SeriesResponse } from '@watchfloor/core';
import { labelOf } from '../period/period-label';
import { tryParsePeriod } from '../period/period-logic';
import { isNotDefined, isWeightedEstimate, type Regrouping } from '../overview/regrouping-mark';

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
  /**
   * Indexes of the points whose figure is incomplete: it has a value, but
   * from fewer of the units below than it needs (a partial total). Drawn
   * apart, off the line, with their coverage in the tooltip.
   */
  incomplete: number[];
  /** Each point's coverage of the units below (null when not known), for the tooltip of an incomplete one. */
  coverage: (Coverage | null)[];
  /** The code of the unit of the series: a former unit of the same code is named with its dates. */
  place: string;
  /**
   * Indexes of the points where the score is not defined for the unit (it did
   * not exist then, and the score does not regroup): nothing is drawn, the
   * tooltip gives the former units' own values.
   */
  notDefined: number[];
  /** Indexes of the points that are a weighted mean of former units after a merger: estimates, said so in the tooltip. */
  estimated: number[];
  /** Each point's regrouping (null when read as stored), for those tooltips. */
  regrouping: (Regrouping | null)[];
  /**
   * Index of the point the 1 July 2025 merger marker stands on (the first
   * period on the new map, or the one the date falls inside), when the
   * series crosses that day; else null.
   */
  merger: number | null;
  hasPlan: boolean;
}

/**
 * Where a series of periods crosses the 1 July 2025 reform (provinces and
 * communes merged, districts abolished): the index of the first period that
 * ends on or after it, when a period before it, or that period itself,
 * begins before it. Null when the whole series lies on one side.
 */
export function mergerIndex(periods: readonly string[]): number | null {
  const parsed = periods.map((key) => tryParsePeriod(key));
  const index = parsed.findIndex((p) => p !== null && periodEnd(p) >= REFORM_2025_DATE);
  if (index < 0) return null;
  const crosses = periodStart(parsed[index]!) < REFORM_2025_DATE || parsed.slice(0, index).some((p) => p !== null && periodStart(p) < REFORM_2025_DATE);
  return crosses ? index : null;
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
    incomplete: points.flatMap((p, i) => (p.value !== null && !p.complete ? [i] : [])),
    coverage: points.map((p) => p.coverage),
    place: series.place.code,
    notDefined: points.flatMap((p, i) => (isNotDefined(p) ? [i] : [])),
    estimated: points.flatMap((p, i) => (isWeightedEstimate(p) ? [i] : [])),
    regrouping: points.map((p) => p.regrouping ?? null),
    merger: mergerIndex(points.map((p) => p.period)),
    hasPlan: points.some((p) => p.target !== null),
  };
}

export const CHART_COLOURS = { actual: '#38bdf8', plan: '#fbbf24', lastYear: '#94a3b8', regrouped: '#c084fc', merger: '#f472b6', selected: '#f8fafc', incomplete: '#d6d3d1' } as const;
