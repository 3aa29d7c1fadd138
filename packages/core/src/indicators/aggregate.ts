import type { LineagePart } from '../places';
import type { Aggregation } from './indicator';
import { invalidInput } from './shared';

/**
 * Adding figures up: children into a parent, months into a quarter, and old
 * units onto a new map through lineage. A missing input is left out and
 * counted, never read as zero; a rate is recomputed from its summed parts,
 * never added or averaged; anything built from an estimate, or from a share
 * of a split unit, is flagged estimated.
 */
export interface AggregationInput {
  value: number | null;
  estimated?: boolean;
  /** The weight of a weighted_mean (e.g. population); inputs without one are left out. */
  weight?: number | null;
  /** Orders inputs for `last`: a period key or an ISO date/instant of one form. Without it, array order. */
  at?: string;
}

export interface AggregationResult {
  /** Null when no input had a value (no data is not zero). */
  value: number | null;
  /** True when any input used was estimated. */
  estimated: boolean;
  /** Inputs used, and inputs left out for lack of a value (or weight, or rate part). */
  used: number;
  missing: number;
}

/** Every aggregation but ratio, which needs a numerator and denominator instead of values. */
export type ValueAggregation = Exclude<Aggregation, 'ratio'>;

type Usable = { value: number; weight: number; estimated: boolean; at: string | undefined };

function usable(method: ValueAggregation, inputs: readonly AggregationInput[]): Usable[] {
  const out: Usable[] = [];
  for (const x of inputs) {
    const weight = method === 'weighted_mean' ? x.weight : 1;
    if (x.value === null || !Number.isFinite(x.value)) continue;
    if (weight === null || weight === undefined || !Number.isFinite(weight) || weight < 0) continue;
    out.push({ value: x.value, weight, estimated: x.estimated === true, at: x.at });
  }
  return out;
}

function latest(xs: Usable[]): Usable | undefined {
  return xs.reduce<Usable | undefined>((best, x) => (best === undefined || (x.at ?? '') >= (best.at ?? '') ? x : best), undefined);
}

function combine(method: ValueAggregation, xs: Usable[]): number | null {
  if (xs.length === 0) return null;
  const values = xs.map((x) => x.value);
  switch (method) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'mean':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'weighted_mean': {
      const totalWeight = xs.reduce((a, x) => a + x.weight, 0);
      return totalWeight === 0 ? null : xs.reduce((a, x) => a + x.value * x.weight, 0) / totalWeight;
    }
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'last':
      return latest(xs)?.value ?? null;
  }
}

/**
 * Aggregates values over places or over time. `last` takes the input with
 * the greatest `at` (ties: the later one in the array). Inputs without a
 * value are counted in `missing` so a partial total is never mistaken for a
 * complete one.
 */
export function aggregateValues(method: ValueAggregation, inputs: readonly AggregationInput[]): AggregationResult {
  const xs = usable(method, inputs);
  const contributing = method === 'last' ? [latest(xs)].filter((x) => x !== undefined) : xs;
  return {
    value: combine(method, xs),
    estimated: contributing.some((x) => x.estimated),
    used: xs.length,
    missing: inputs.length - xs.length,
  };
}

/** One place's or one period's parts of a rate. */
export interface RatioInput {
  numerator: number | null;
  denominator: number | null;
  estimated?: boolean;
}

export interface RatioResult extends AggregationResult {
  numerator: number | null;
  denominator: number | null;
}

/**
 * Aggregates a rate as sum(numerators) / sum(denominators) × multiplier.
 * An input missing either part is left out of both sums; a zero total
 * denominator gives no value.
 */
export function aggregateRatio(inputs: readonly RatioInput[], multiplier = 1): RatioResult {
  const xs = inputs.filter(
    (x): x is RatioInput & { numerator: number; denominator: number } =>
      x.numerator !== null && x.denominator !== null && Number.isFinite(x.numerator) && Number.isFinite(x.denominator),
  );
  const numerator = xs.length === 0 ? null : xs.reduce((a, x) => a + x.numerator, 0);
  const denominator = xs.length === 0 ? null : xs.reduce((a, x) => a + x.denominator, 0);
  const value = numerator === null || denominator === null || denominator === 0 ? null : (numerator / denominator) * multiplier;
  return { value, numerator, denominator, estimated: xs.some((x) => x.estimated === true), used: xs.length, missing: inputs.length - xs.length };
}

/** One lineage edge as regrouping needs it: which old unit went into which new one, wholly or in part. */
export interface LineageLink {
  from: string;
  to: string;
  part: LineagePart;
  /** Share of the old unit that moved (0..1); null: unknown, the unassigned rest is split equally. */
  share: number | null;
}

interface Flow {
  to: string;
  share: number;
  partial: boolean;
}

const SHARE_TOLERANCE = 1e-9;

/**
 * Resolves every old unit's outgoing shares. A full edge moves the whole unit
 * and must be its only edge. Partial edges move their share; those without
 * one split what the known shares leave (all unknown: equal parts).
 */
function flowsByOldUnit(links: readonly LineageLink[]): Map<string, Flow[]> {
  const grouped = new Map<string, LineageLink[]>();
  for (const l of links) grouped.set(l.from, [...(grouped.get(l.from) ?? []), l]);
  const flows = new Map<string, Flow[]>();
  for (const [from, edges] of grouped) {
    if (edges.some((e) => e.part === 'full')) {
      if (edges.length > 1) throw invalidInput('invalid_lineage', `${from} moved wholly into one unit and also elsewhere`, { from });
      flows.set(from, [{ to: edges[0]?.to ?? '', share: 1, partial: false }]);
      continue;
    }
    const known = edges.reduce((a, e) => a + (e.share ?? 0), 0);
    if (known > 1 + SHARE_TOLERANCE) throw invalidInput('invalid_lineage', `the shares of ${from} add up to ${known}, more than 1`, { from });
    const unknown = edges.filter((e) => e.share === null).length;
    const rest = unknown === 0 ? 0 : Math.max(0, 1 - known) / unknown;
    flows.set(from, edges.map((e) => ({ to: e.to, share: e.share ?? rest, partial: true })));
  }
  return flows;
}

export interface Regrouped<T> {
  /** The regrouped figure of each new unit. */
  values: Map<string, T>;
  /** Old units with a figure but no lineage edge: left out, so the caller can say so. */
  unmapped: string[];
}

/** Routes each old unit's input to the new units, turning it into that unit's input by its share. */
function route<I, O>(byOldCode: ReadonlyMap<string, I>, links: readonly LineageLink[], move: (input: I, flow: Flow) => O): { routed: Map<string, O[]>; unmapped: string[] } {
  const flows = flowsByOldUnit(links);
  const routed = new Map<string, O[]>();
  const unmapped: string[] = [];
  for (const [oldCode, input] of byOldCode) {
    const out = flows.get(oldCode);
    if (out === undefined) {
      unmapped.push(oldCode);
      continue;
    }
    for (const flow of out) {
      if (flow.share <= 0) continue;
      const list = routed.get(flow.to) ?? [];
      list.push(move(input, flow));
      routed.set(flow.to, list);
    }
  }
  return { routed, unmapped };
}

/**
 * How each aggregation moves an old unit's value by its share s:
 * - sum: adds value × s (a full edge, s = 1, adds the whole);
 * - mean: a mean of the old units' values weighted by s, so half of an old
 *   unit counts half as much as a whole one;
 * - weighted_mean: weights become weight × s (e.g. the population that moved);
 * - min, max, last: the old value as it is, from every unit with s > 0.
 * Any partial contribution is flagged estimated: a share is an assumption
 * (and the extreme of a split unit may lie in the part that did not move).
 */
function moveValue(method: ValueAggregation, x: AggregationInput, flow: Flow): AggregationInput {
  const estimated = x.estimated === true || flow.partial;
  const base = { estimated, ...(x.at === undefined ? {} : { at: x.at }) };
  switch (method) {
    case 'sum':
      return { ...base, value: x.value === null ? null : x.value * flow.share };
    case 'mean':
      return { ...base, value: x.value, weight: flow.share };
    case 'weighted_mean':
      return { ...base, value: x.value, weight: x.weight === null || x.weight === undefined ? null : x.weight * flow.share };
    default:
      return { ...base, value: x.value };
  }
}

/**
 * Regroups figures kept under the old units' codes onto the new units,
 * through lineage (principle 1: facts keep their place; this is a query).
 * See moveValue for what each aggregation does with a share.
 */
export function regroupValues(
  method: ValueAggregation,
  byOldCode: ReadonlyMap<string, AggregationInput>,
  links: readonly LineageLink[],
): Regrouped<AggregationResult> {
  const { routed, unmapped } = route(byOldCode, links, (x, flow) => moveValue(method, x, flow));
  const combineAs: ValueAggregation = method === 'mean' ? 'weighted_mean' : method;
  const values = new Map([...routed].map(([code, inputs]) => [code, aggregateValues(combineAs, inputs)] as const));
  return { values, unmapped };
}

/**
 * Regroups a rate: numerator and denominator each move by their share and are
 * summed on the new unit, and only then divided. The rates are never moved.
 */
export function regroupRatio(byOldCode: ReadonlyMap<string, RatioInput>, links: readonly LineageLink[], multiplier = 1): Regrouped<RatioResult> {
  const scale = (v: number | null, s: number): number | null => (v === null ? null : v * s);
  const { routed, unmapped } = route(byOldCode, links, (x, flow) => ({
    numerator: scale(x.numerator, flow.share),
    denominator: scale(x.denominator, flow.share),
    estimated: x.estimated === true || flow.partial,
  }));
  const values = new Map([...routed].map(([code, parts]) => [code, aggregateRatio(parts, multiplier)] as const));
  return { values, unmapped };
}
