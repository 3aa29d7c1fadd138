import type { PlaceLevel } from '../places';
import type { Aggregation } from './indicator';

/**
 * Statistics kept per indicator × place × period × level of the facts, so a
 * dashboard reads one row instead of thousands of facts. Every statistic is
 * weighted by the share with which a fact's place belongs to the place (1 in
 * its own hierarchy, less after a partial merge), which lets sums and means
 * regroup alike. They compose: a batch of new facts adds to them.
 */
export interface RollupStats {
  /** Σ share × value. */
  sum: number;
  /** Σ share: the number of facts, weighted. */
  weight: number;
  min: number;
  max: number;
  /** The last day of the latest period any fact covers. */
  lastEnd: string;
  /** Σ share × value over the facts of that latest period. */
  lastSum: number;
  /** Σ share over those facts: how many places reported in the latest period. */
  lastWeight: number;
  /** Facts that were estimated or came through a partial merge. */
  estimated: number;
  /** Facts whose current value is provisional (số sơ bộ): not yet final. */
  provisional: number;
  facts: number;
  latestRecordedAt: string;
}

/**
 * Statistics of two sets of facts together: how a quarter is read from its
 * months, or a year-to-date from its months and quarters. The same rules
 * the database applies when a batch of facts is added.
 */
export function mergeStats(a: RollupStats, b: RollupStats): RollupStats {
  const lastEnd = a.lastEnd > b.lastEnd ? a.lastEnd : b.lastEnd;
  const at = (s: RollupStats, f: 'lastSum' | 'lastWeight') => (s.lastEnd === lastEnd ? s[f] : 0);
  return {
    sum: a.sum + b.sum,
    weight: a.weight + b.weight,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    lastEnd,
    lastSum: at(a, 'lastSum') + at(b, 'lastSum'),
    lastWeight: at(a, 'lastWeight') + at(b, 'lastWeight'),
    estimated: a.estimated + b.estimated,
    provisional: a.provisional + b.provisional,
    facts: a.facts + b.facts,
    latestRecordedAt: a.latestRecordedAt > b.latestRecordedAt ? a.latestRecordedAt : b.latestRecordedAt,
  };
}

export const LEVEL_RANK: Record<PlaceLevel, number> = { country: 0, province: 1, district: 2, commune: 3 };

/**
 * Which facts make a place's figure: its own (or, for a unit that did not
 * exist yet, those of the units of its level it was formed from) when there
 * are any, else those of the coarsest level below it that reported. A
 * province's reported total wins over the sum of its communes; a district
 * total over its communes.
 */
export function pickLevel<T extends { level: PlaceLevel }>(rows: readonly T[], placeLevel: PlaceLevel): T | null {
  let best: T | null = null;
  for (const r of rows) {
    if (LEVEL_RANK[r.level] < LEVEL_RANK[placeLevel]) continue;
    if (best === null || LEVEL_RANK[r.level] < LEVEL_RANK[best.level]) best = r;
  }
  return best;
}

/**
 * The figure from rolled-up statistics, for an indicator that combines
 * values over places with `places` and over time with `time`:
 * the per-place time aggregate, then the aggregate over places.
 *
 * - sum over places of per-place sums: Σ value; of per-place last values: Σ latest values;
 *   of per-place means: Σ value ÷ periods (weight ÷ latest places).
 * - mean over places: of means, Σ value ÷ Σ weight; of last values, their mean; of sums, Σ value ÷ latest places.
 * - min and max are taken over all contributing facts, whatever the other axis.
 * - weighted_mean is read as a mean here: the weights need the other indicator's facts, place by place.
 * - ratio is never read from one rollup: the caller divides the numerator's figure by the denominator's.
 */
export function rollupValue(aggregation: { places: Aggregation; time: Aggregation }, s: RollupStats): number | null {
  if (s.weight <= 0) return null;
  const { places, time } = aggregation;
  if (places === 'ratio' || time === 'ratio') return null;
  if (places === 'min' || time === 'min') return s.min;
  if (places === 'max' || time === 'max') return s.max;
  const mean = places === 'mean' || places === 'weighted_mean';
  switch (time) {
    case 'sum':
      return mean ? (s.lastWeight > 0 ? s.sum / s.lastWeight : null) : s.sum;
    case 'last':
      return mean ? (s.lastWeight > 0 ? s.lastSum / s.lastWeight : null) : s.lastSum;
    case 'mean':
    case 'weighted_mean':
      return mean ? s.sum / s.weight : s.lastWeight > 0 ? (s.sum * s.lastWeight) / s.weight : null;
  }
}

/** One fact as it enters rollup statistics. */
export interface RollupFact {
  value: number;
  /** The share of the fact's place that belongs to the place being summarised (1 within its own hierarchy). */
  share: number;
  periodEnd: string;
  estimated: boolean;
  /** The fact's value is provisional (sơ bộ), not yet final. */
  provisional: boolean;
  recordedAt: string;
}

/**
 * One fact's change to a set of statistics: a new fact adds its weighted
 * value and weight; a revision adds only the difference of its weighted
 * value (its weight is already counted).
 */
export interface Contribution {
  value: number;
  /** share × (value − previous value, or 0 for a new fact). */
  dSum: number;
  /** share for a new fact; 0 for a revision. */
  dWeight: number;
  periodEnd: string;
  /** +1 when the contribution became estimated, −1 when it stopped being, 0 otherwise. */
  dEstimated: number;
  /** +1 when the fact became provisional, −1 when it was made final (or estimated), 0 otherwise. */
  dProvisional: number;
  /** 1 for a new fact, 0 for a revision. */
  dFacts: number;
  recordedAt: string;
}

/** An empty set of statistics, ready to accumulate into. */
export function emptyStats(): RollupStats {
  return { sum: 0, weight: 0, min: Infinity, max: -Infinity, lastEnd: '', lastSum: 0, lastWeight: 0, estimated: 0, provisional: 0, facts: 0, latestRecordedAt: '' };
}

/** Adds one contribution to statistics, in place: the one rule for keeping them, in memory and (as deltas) in the database. */
export function accumulate(s: RollupStats, c: Contribution): void {
  s.sum += c.dSum;
  s.weight += c.dWeight;
  s.min = Math.min(s.min, c.value);
  s.max = Math.max(s.max, c.value);
  if (c.periodEnd > s.lastEnd) {
    s.lastEnd = c.periodEnd;
    s.lastSum = 0;
    s.lastWeight = 0;
  }
  if (c.periodEnd === s.lastEnd) {
    s.lastSum += c.dSum;
    s.lastWeight += c.dWeight;
  }
  s.estimated += c.dEstimated;
  s.provisional += c.dProvisional;
  s.facts += c.dFacts;
  if (c.recordedAt > s.latestRecordedAt) s.latestRecordedAt = c.recordedAt;
}

/**
 * Rollup statistics of a set of facts, computed in memory: the same
 * statistics the database keeps, for groupings it does not keep (by
 * organisation, by day). Null when there are no facts.
 */
export function statsFromFacts(facts: readonly RollupFact[]): RollupStats | null {
  if (facts.length === 0) return null;
  const s = emptyStats();
  for (const f of facts) {
    accumulate(s, { value: f.value, dSum: f.share * f.value, dWeight: f.share, periodEnd: f.periodEnd, dEstimated: f.estimated || f.share < 1 ? 1 : 0, dProvisional: f.provisional ? 1 : 0, dFacts: 1, recordedAt: f.recordedAt });
  }
  return s;
}
