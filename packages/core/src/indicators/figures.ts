import type { PlaceLevel } from '../places';
import { compositeScore, type ComponentScore } from './composite';
import { coverageKeys, isComplete, requiredCoverage, validAtEnd, weakest, type Coverage } from './coverage';
import { evaluateFormula, parseFormula, referencedCodes } from './formula';
import { regroupRule, type Aggregation, type IndicatorDefinition } from './indicator';
import { parsePeriod, periodEnd, periodKey as keyOf, storedPeriodsWithin } from './periods';
import { LEVEL_RANK, pickLevel, rollupValue, type RollupStats } from './rollup';

/**
 * One indicator's figure for one place and period, computed from rolled-up
 * statistics: read directly for a base indicator; a rate recomputed from
 * its numerator's and denominator's figures (never averaged); a derived
 * indicator evaluated from the figures its formula names; a composite read
 * as published when a figure was reported for it, else scored from its
 * components.
 */
export interface Figure {
  value: number | null;
  /** Some contribution was estimated, or came through a partial merge. */
  estimated: boolean;
  /** Some contribution is provisional (sơ bộ): the figure may still change when it is made final. */
  provisional: boolean;
  facts: number;
  latestRecordedAt: string | null;
  /** For a composite scored here: what each component added. */
  components: ComponentScore[] | null;
  /** How many units it was built from of those that should have reported (for a computed figure, its least covered part); null when not known. */
  coverage: Coverage | null;
  /** It has a value and covers enough units (the indicator's coverageRequired) to be compared, coloured and ranked. */
  complete: boolean;
  /**
   * How a figure that does not add up across a merger was regrouped onto a
   * unit that did not exist for the whole period (see regroupSchema), or
   * weighted over the units below: by a weighted mean of the units' own
   * figures, or not at all (`none`: the figure is not defined for the unit;
   * the units' own values stand beside it). Null for a figure read directly.
   */
  regrouping: Regrouping | null;
}

export interface Regrouping {
  by: 'weighted_mean' | 'none';
  /** The indicator whose values weighted the units. */
  weight: string | null;
  /** The units the figure was made from (or, for `none`, stands beside), each with its own figure and weight over the period. */
  units: { code: string; name: string; level: PlaceLevel; validFrom: string | null; validTo: string | null; value: number | null; weight: number | null }[];
}

/** A unit of a level under the place viewed (in its hierarchy, or one it was formed from), and its own figures as if it were viewed itself. */
export interface UnitOfTime {
  id: number;
  code: string;
  name: string;
  level: PlaceLevel;
  /** The share of the unit that belongs to the place viewed: 1 for a unit of its hierarchy or one merged into it whole. */
  share: number;
  /** Null: valid since before our records. */
  validFrom: string | null;
  /** Null: still valid. */
  validTo: string | null;
  figure(code: string, periodKey: string): Figure;
}

export type LevelledStats = RollupStats & { level: PlaceLevel };

export interface FigureContext {
  catalogue: ReadonlyMap<string, IndicatorDefinition>;
  /** The rollup rows of an indicator for a period at the place being viewed (every level). */
  rows: (code: string, periodKey: string) => readonly LevelledStats[];
  placeLevel: PlaceLevel;
  /**
   * The units at a level under the place viewed that reported an indicator
   * for a period, and those that should have (see coverage.ts); whether the
   * place reported it itself. Without it, figures carry no coverage.
   */
  coverage?: (code: string, periodKey: string, level: PlaceLevel) => Omit<Coverage, 'required'> | null;
  /** When the place viewed existed: a stored period that ended before it is read from the units of that time. Without it, every figure is read as stored. */
  validity?: { validFrom: string; validTo: string };
  /**
   * The units of a level under the place viewed (lineage included) valid on
   * a day, with their own figures: what a weighted mean weighs, and what an
   * undefined score shows beside it. Without it, figures that do not add up
   * are read as stored.
   */
  units?: (level: PlaceLevel, day: string) => readonly UnitOfTime[];
}

/** A figure with no value and nothing behind it. */
export const NO_FIGURE: Figure = { value: null, estimated: false, provisional: false, facts: 0, latestRecordedAt: null, components: null, coverage: null, complete: false, regrouping: null };

/** The stored periods a period is composed of (a day is its own), with their kinds and last days. */
export function storedWithin(key: string): { key: string; kind: string; end: string }[] {
  const p = parsePeriod(key);
  const list = p.kind === 'day' ? [p] : storedPeriodsWithin(p);
  return list.map((sp) => ({ key: keyOf(sp), kind: sp.kind, end: periodEnd(sp) }));
}

/** The year before a period key's year. */
const yearOf = (key: string, back = 0) => String(Number(key.slice(0, 4)) - back);

/**
 * A weighted mean of units' figures over the stored periods of a figure:
 * at each stored period the mean of the units' values by their weights,
 * then over time by the indicator's time aggregation (a weighted or plain
 * mean over time weighs every unit and period alike; `last` keeps the latest
 * period; `sum`, `min` and `max` combine the periods' means).
 */
export function weightedOverUnits(points: readonly { key: string; end: string; value: number | null; weight: number | null }[], time: Aggregation): number | null {
  const used = points.filter((p): p is { key: string; end: string; value: number; weight: number } => p.value !== null && p.weight !== null && p.weight > 0);
  if (used.length === 0) return null;
  const mean = (list: readonly { value: number; weight: number }[]) => list.reduce((a, p) => a + p.value * p.weight, 0) / list.reduce((a, p) => a + p.weight, 0);
  if (time === 'mean' || time === 'weighted_mean') return mean(used);
  const ends = [...new Set(used.map((p) => p.end))].sort();
  if (time === 'last') return mean(used.filter((p) => p.end === ends.at(-1)));
  const perPeriod = ends.map((e) => mean(used.filter((p) => p.end === e)));
  if (time === 'min') return Math.min(...perPeriod);
  if (time === 'max') return Math.max(...perPeriod);
  return perPeriod.reduce((a, v) => a + v, 0);
}

const later = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);

/** Combines the provenance of the figures a computed figure was made from; it is as covered as its least covered part, judged by its own requirement. */
function merge(def: IndicatorDefinition, value: number | null, parts: readonly Figure[], components: ComponentScore[] | null = null): Figure {
  const v = value !== null && Number.isFinite(value) ? value : null;
  // A part the place reported itself counts as wholly covered.
  const worst = weakest(parts.flatMap(({ coverage: c }) => (c ? [{ c, reported: c.direct ? 1 : c.reported, expected: c.direct ? 1 : c.expected }] : [])));
  const coverage = worst ? { ...worst.c, required: requiredCoverage(def) } : null;
  return {
    value: v,
    estimated: parts.some((p) => p.estimated),
    provisional: parts.some((p) => p.provisional),
    facts: parts.reduce((a, p) => a + p.facts, 0),
    latestRecordedAt: parts.reduce<string | null>((a, p) => later(a, p.latestRecordedAt), null),
    components,
    coverage,
    complete: v !== null && isComplete(coverage, true),
    regrouping: null,
  };
}

const ref = (u: UnitOfTime) => ({ code: u.code, name: u.name, level: u.level, validFrom: u.validFrom, validTo: u.validTo });

/** Computes figures, remembering each so shared parts are computed once. */
export class FigureCalculator {
  private readonly memo = new Map<string, Figure>();

  constructor(private readonly ctx: FigureContext) {}

  figure(code: string, periodKey: string): Figure {
    const key = `${code}\u0000${periodKey}`;
    const cached = this.memo.get(key);
    if (cached) return cached;
    this.memo.set(key, NO_FIGURE); // a cycle (refused when defined) reads as no data rather than looping
    const result = this.compute(code, periodKey);
    this.memo.set(key, result);
    return result;
  }

  private direct(def: IndicatorDefinition, periodKey: string): Figure {
    const row = pickLevel(this.ctx.rows(def.code, periodKey), this.ctx.placeLevel);
    if (!row) return { ...NO_FIGURE, coverage: this.coverage(def, periodKey, null) };
    const value = rollupValue(def.aggregation, row);
    const coverage = this.coverage(def, periodKey, row.level);
    return {
      value,
      estimated: row.estimated > 0,
      provisional: row.provisional > 0,
      facts: row.facts,
      latestRecordedAt: row.latestRecordedAt,
      components: null,
      coverage,
      complete: value !== null && isComplete(coverage, true),
      regrouping: null,
    };
  }

  /**
   * A figure that does not add up across units (a weighted mean, or a score
   * that does not regroup), when it would be made from units other than the
   * place itself: a stored period that ended before the place existed, or
   * (a weighted mean over places) a level below it. Null when the figure is
   * the place's own, read as stored.
   */
  private fromUnits(def: IndicatorDefinition, periodKey: string): Figure | null {
    const { validity, units } = this.ctx;
    if (!validity) return null;
    const rule = regroupRule(def);
    const weights = def.aggregation.places === 'weighted_mean' || def.aggregation.time === 'weighted_mean';
    const weighted = rule.by === 'weighted_mean' ? rule.weight : weights ? def.weightCode : null;
    if (rule.by === 'sum' && weighted === null) return null;
    const stored = storedWithin(periodKey);
    const keys = new Set(coverageKeys(stored, def.frequency, null));
    const periods = stored.filter((s) => keys.has(s.key));
    const before = periods.filter((s) => s.end < validity.validFrom);
    // Read below the place's level, a weighted mean is taken over its units (they existed: not an estimate); over several periods, by each period's weight.
    const level = before.length > 0 ? this.ctx.placeLevel : (this.readLevel(def, periodKey) ?? this.ctx.placeLevel);
    const below = level !== this.ctx.placeLevel;
    const overTime = weighted !== null && def.aggregation.time === 'weighted_mean' && periods.length > 1;
    if (before.length === 0 && !(weighted !== null && (below || overTime))) return null;
    if ((before.length > 0 || below) && !units) return null;
    const listed = (end: string) => units?.(level, end) ?? [];
    const last = before.reduce((a, s) => (s.end > a ? s.end : a), '');
    const formers = before.length > 0 ? listed(last) : [];
    // One unit that became the place whole (a province that went on unchanged under a new record) is the place itself.
    if (before.length > 0 && formers.length === 1 && formers[0]!.share === 1 && !below && !overTime) return null;
    // Nothing to regroup: no former unit has a figure.
    const own = formers.map((u) => ({ ...ref(u), value: u.figure(def.code, periodKey).value }));
    if (before.length > 0 && own.every((u) => u.value === null) && rule.by === 'none') return null;
    if (rule.by === 'none') return { ...NO_FIGURE, regrouping: { by: 'none', weight: null, units: own.map((u) => ({ ...u, weight: null })) } };
    const w = weighted!;
    const weightOf = (u: Pick<UnitOfTime, 'figure'>, key: string) => u.figure(w, key).value ?? u.figure(w, yearOf(key)).value ?? u.figure(w, yearOf(key, 1)).value;
    // At each stored period, the units of that time: the place itself once it exists at that level, else the units it was formed from or holds.
    const self: UnitOfTime | null = !below ? { id: -1, code: '', name: '', level, share: 1, validFrom: null, validTo: null, figure: (c, k) => this.figure(c, k) } : null;
    const points: { key: string; end: string; unit: UnitOfTime; value: number | null; weight: number | null; figure: Figure }[] = [];
    for (const s of periods) {
      const of = self && validAtEnd(validity, s.end) ? [self] : listed(s.end);
      for (const u of of) {
        const f = u.figure(def.code, s.key);
        points.push({ key: s.key, end: s.end, unit: u, value: f.value, weight: weightOf(u, s.key), figure: f });
      }
    }
    const value = weightedOverUnits(points, def.aggregation.time);
    // Covered as its least covered stored period that anyone reported for.
    const counts = periods.map((s) => {
      const at = points.filter((p) => p.key === s.key);
      const heard = at.filter((p) => p.value !== null && p.weight !== null);
      const all = at.reduce((a, p) => a + (p.weight ?? 0), 0);
      return { reported: heard.length, expected: at.length, share: all > 0 ? heard.reduce((a, p) => a + p.weight!, 0) / all : null };
    });
    const heard = counts.filter((c) => c.reported > 0);
    const worst = weakest(heard.length > 0 ? heard : counts);
    const coverage: Coverage | null = worst ? { level, reported: worst.reported, expected: worst.expected, weightShare: worst.share, direct: false, required: requiredCoverage(def) } : null;
    const used = points.filter((p) => p.value !== null);
    if (used.length === 0) return null;
    const shown = before.length > 0 ? formers : listed(periods.at(-1)?.end ?? '');
    return {
      value,
      estimated: before.length > 0 || used.some((p) => p.figure.estimated),
      provisional: used.some((p) => p.figure.provisional),
      facts: used.reduce((a, p) => a + p.figure.facts, 0),
      latestRecordedAt: used.reduce<string | null>((a, p) => later(a, p.figure.latestRecordedAt), null),
      components: null,
      coverage,
      complete: value !== null && isComplete(coverage, true),
      regrouping:
        before.length > 0 || below ? { by: 'weighted_mean', weight: w, units: shown.map((u) => ({ ...ref(u), value: u.figure(def.code, periodKey).value, weight: weightOf(u, periodKey) })) } : null,
    };
  }

  /** The level a stored figure is read at (the place's own, else the coarsest below that reported). */
  private readLevel(def: IndicatorDefinition, periodKey: string): PlaceLevel | null {
    return pickLevel(this.ctx.rows(def.code, periodKey), this.ctx.placeLevel)?.level ?? null;
  }

  /** The coverage of a figure read at a level (none read: at the finest level it is collected at, as far as the caller knows). */
  private coverage(def: IndicatorDefinition, periodKey: string, level: PlaceLevel | null): Coverage | null {
    const at = level ?? def.collectedAt?.reduce<PlaceLevel | null>((a, l) => (a === null || LEVEL_RANK[l] > LEVEL_RANK[a] ? l : a), null) ?? null;
    if (!this.ctx.coverage || at === null) return null;
    const c = this.ctx.coverage(def.code, periodKey, at);
    return c ? { ...c, required: requiredCoverage(def) } : null;
  }

  private compute(code: string, periodKey: string): Figure {
    const def = this.ctx.catalogue.get(code);
    if (!def) return NO_FIGURE;
    const regrouped = this.fromUnits(def, periodKey);
    if (regrouped) return regrouped;
    if (def.ratio) {
      const num = this.figure(def.ratio.numerator, periodKey);
      const den = this.figure(def.ratio.denominator, periodKey);
      const value = num.value !== null && den.value !== null && den.value !== 0 ? (num.value / den.value) * def.ratio.multiplier : null;
      return merge(def, value, [num, den]);
    }
    if (def.kind === 'derived') {
      const ast = parseFormula(def.formula);
      const parts = new Map<string, Figure>();
      const values = new Map<string, number | null>();
      for (const ref of referencedCodes(ast)) {
        const f = this.figure(ref, periodKey);
        parts.set(ref, f);
        values.set(ref, f.value);
      }
      return merge(def, evaluateFormula(ast, values), [...parts.values()]);
    }
    if (def.kind === 'composite') {
      const published = this.direct(def, periodKey);
      if (published.value !== null) return published;
      const parts = def.components.map((c) => this.figure(c.code, periodKey));
      const score = compositeScore(def, new Map(def.components.map((c, i) => [c.code, parts[i]!.value])));
      return merge(def, score.score, parts, score.components);
    }
    return this.direct(def, periodKey);
  }
}
