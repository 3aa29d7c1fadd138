import type { PlaceLevel } from '../places';
import { compositeScore, type ComponentScore } from './composite';
import { isComplete, requiredCoverage, weakest, type Coverage } from './coverage';
import { evaluateFormula, parseFormula, referencedCodes } from './formula';
import type { IndicatorDefinition } from './indicator';
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
}

const EMPTY: Figure = { value: null, estimated: false, provisional: false, facts: 0, latestRecordedAt: null, components: null, coverage: null, complete: false };

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
  };
}

/** Computes figures, remembering each so shared parts are computed once. */
export class FigureCalculator {
  private readonly memo = new Map<string, Figure>();

  constructor(private readonly ctx: FigureContext) {}

  figure(code: string, periodKey: string): Figure {
    const key = `${code}\u0000${periodKey}`;
    const cached = this.memo.get(key);
    if (cached) return cached;
    this.memo.set(key, EMPTY); // a cycle (refused when defined) reads as no data rather than looping
    const result = this.compute(code, periodKey);
    this.memo.set(key, result);
    return result;
  }

  private direct(def: IndicatorDefinition, periodKey: string): Figure {
    const row = pickLevel(this.ctx.rows(def.code, periodKey), this.ctx.placeLevel);
    if (!row) return { ...EMPTY, coverage: this.coverage(def, periodKey, null) };
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
    };
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
    if (!def) return EMPTY;
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
