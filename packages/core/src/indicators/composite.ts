import type { CompositeDefinition, Normalise } from './indicator';

/**
 * Composite indices (PCI, PAR Index, a provincial scorecard): a weighted sum
 * of normalised components. Each component's contribution is returned with
 * the score, so a ranking can show what made it.
 */
export type CompositeSpec = Pick<CompositeDefinition, 'components' | 'scale' | 'missingComponents'>;

export interface ComponentScore {
  code: string;
  value: number | null;
  /** The value on the index's scale (0..scale after min-max; as is with 'none'); null when missing. */
  normalised: number | null;
  /** The configured weight. */
  weight: number;
  /** The share of the score this weight carries among the components used (0..1); 0 when left out. */
  effectiveWeight: number;
  /** effectiveWeight × normalised: the points this component adds to the score. Null when missing or no score. */
  contribution: number | null;
}

export interface CompositeScore {
  score: number | null;
  /** The share of the total weight whose components had a value (1 = complete). */
  coverage: number;
  components: ComponentScore[];
}

/**
 * A component's value on the index's scale: min-max to 0..scale (clamped, so a
 * value beyond the goalposts scores 0 or full; inverted when lower is better),
 * or the value as it is when it is already on the index's scale.
 */
export function normaliseComponent(value: number, how: Normalise, scale: number): number {
  if (how === 'none') return value;
  const t = (value - how.min) / (how.max - how.min);
  const clamped = Math.min(1, Math.max(0, t));
  return (how.invert === true ? 1 - clamped : clamped) * scale;
}

/**
 * Scores one place (or agency) for one period. With missingComponents
 * 'null', a missing component means no score; with 'reweight', the weights
 * of the components present are rescaled to sum to 1 (coverage says how
 * much of the index that was).
 */
export function compositeScore(spec: CompositeSpec, values: ReadonlyMap<string, number | null>): CompositeScore {
  const present = spec.components.map((c) => {
    const raw = values.get(c.code);
    const value = raw === undefined || raw === null || !Number.isFinite(raw) ? null : raw;
    return { ...c, value, normalised: value === null ? null : normaliseComponent(value, c.normalise, spec.scale) };
  });
  const totalWeight = spec.components.reduce((a, c) => a + c.weight, 0);
  const presentWeight = present.reduce((a, c) => a + (c.value === null ? 0 : c.weight), 0);
  const complete = presentWeight === totalWeight;
  const scorable = presentWeight > 0 && (complete || spec.missingComponents === 'reweight');
  const components = present.map((c): ComponentScore => {
    const effectiveWeight = c.normalised === null ? 0 : c.weight / presentWeight;
    return {
      code: c.code,
      value: c.value,
      normalised: c.normalised,
      weight: c.weight,
      effectiveWeight,
      contribution: scorable && c.normalised !== null ? effectiveWeight * c.normalised : null,
    };
  });
  const score = scorable ? components.reduce((a, c) => a + (c.contribution ?? 0), 0) : null;
  return { score, coverage: totalWeight === 0 ? 0 : presentWeight / totalWeight, components };
}

export interface Ranked<T> {
  item: T;
  score: number | null;
  /** 1 for the best; equal scores share a rank (1, 2, 2, 4); null for items without a score, listed last. */
  rank: number | null;
}

/** Orders items best first by a score, as league tables like PCI rank provinces. */
export function rankByScore<T>(items: readonly T[], scoreOf: (item: T) => number | null, higherIsBetter = true): Ranked<T>[] {
  const scored = items.map((item) => ({ item, score: scoreOf(item) }));
  const withScore = scored.filter((x): x is { item: T; score: number } => x.score !== null);
  withScore.sort((a, b) => (higherIsBetter ? b.score - a.score : a.score - b.score));
  const ranked = withScore.map((x, i): Ranked<T> => ({ ...x, rank: i + 1 }));
  ranked.forEach((x, i) => {
    const prev = ranked[i - 1];
    if (prev && prev.score === x.score) x.rank = prev.rank;
  });
  return [...ranked, ...scored.filter((x) => x.score === null).map((x) => ({ ...x, rank: null }))];
}
