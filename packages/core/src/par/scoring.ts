import { z } from 'zod';
import { leavesFor, maxPointsFor, roundPoints, type ParBand, type ParFramework, type ParLeaf, type ParRule, type ParUnitKind } from './framework';

/**
 * Scoring a PAR Index, pure: a figure through a rule into points, a unit's
 * leaves into its totals per field and in all, its index (points over its
 * maximum, in percent, as the Ministry of Home Affairs publishes it), its
 * band, where it lost most; units ranked within their kind.
 */

/** Points from a figure by a leaf's rule, within 0 and its maximum; null without a figure. */
export function pointsByRule(rule: ParRule, value: number | null, maxPoints: number): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  if (rule.kind === 'ladder') {
    const step = rule.steps.find((s) => value >= s.atLeast);
    return Math.min(maxPoints, step ? step.points : rule.otherwise);
  }
  const share = (value - rule.from) / (rule.to - rule.from);
  return roundPoints(Math.max(0, Math.min(1, share)) * maxPoints);
}

/**
 * One leaf's points as they stand for one unit, from each step of the
 * cycle: the council's final decision, else the appraisers' adjustment,
 * else what the unit assessed (self, deduction) or the IOC computed
 * (computed, survey). None of them: no points.
 */
export const parLeafPointsSchema = z.object({
  code: z.string(),
  self: z.number().nullable(),
  computed: z.number().nullable(),
  appraised: z.number().nullable(),
  final: z.number().nullable(),
});
export type ParLeafPoints = z.infer<typeof parLeafPointsSchema>;

/** Which step the points of a leaf stand on. */
export type ParPointsStage = 'final' | 'appraised' | 'self' | 'computed' | 'none';

export function leafPoints(leaf: Pick<ParLeaf, 'method' | 'maxPoints'>, p: Omit<ParLeafPoints, 'code'> | undefined): { points: number; stage: ParPointsStage } {
  const own = leaf.method === 'computed' || leaf.method === 'survey' ? ('computed' as const) : ('self' as const);
  const stage: ParPointsStage = p?.final != null ? 'final' : p?.appraised != null ? 'appraised' : p?.[own] != null ? own : 'none';
  const raw = stage === 'none' ? 0 : (p![stage] ?? 0);
  return { points: roundPoints(Math.max(0, Math.min(leaf.maxPoints, raw))), stage };
}

export const parFieldTotalSchema = z.object({ code: z.string(), points: z.number(), max: z.number() });

export const parLostSchema = z.object({
  code: z.string().describe('The leaf'),
  name: z.string(),
  nameEn: z.string().nullable(),
  fieldCode: z.string(),
  lost: z.number().describe('Points short of its maximum (for a deduction: the points taken off)'),
  max: z.number(),
});
export type ParLost = z.infer<typeof parLostSchema>;

export interface ParUnitScore {
  total: number;
  max: number;
  /** Points over the maximum, in percent, two decimals. */
  index: number;
  band: ParBand | null;
  fields: z.infer<typeof parFieldTotalSchema>[];
  /** The leaves where points were lost, most first (ties by the tree's order). */
  lost: ParLost[];
  /** Leaves without any points yet (nothing assessed or computed). */
  unscored: string[];
}

/** The band an index falls in: the first (highest) whose threshold it reaches. */
export function bandOf(bands: readonly ParBand[], index: number): ParBand | null {
  return bands.find((b) => index >= b.atLeast) ?? null;
}

/**
 * A unit's score: each applying leaf's points as they stand, deductions
 * taken off, per field and in all (never below 0), over the maximum of the
 * leaves that apply to its kind.
 */
export function scoreUnit(f: Pick<ParFramework, 'unitKinds' | 'fields' | 'bands'>, kind: ParUnitKind, points: readonly ParLeafPoints[]): ParUnitScore {
  const byCode = new Map(points.map((p) => [p.code, p]));
  const fields = new Map<string, { points: number; max: number }>();
  const lost: (ParLost & { order: number })[] = [];
  const unscored: string[] = [];
  for (const [order, e] of leavesFor(f, kind).entries()) {
    const { points: got, stage } = leafPoints(e.leaf, byCode.get(e.leaf.code));
    if (stage === 'none') unscored.push(e.leaf.code);
    const field = fields.get(e.fieldCode) ?? { points: 0, max: 0 };
    if (e.leaf.method === 'deduction') {
      field.points -= got;
      if (got > 0) lost.push({ code: e.leaf.code, name: e.leaf.name, nameEn: e.leaf.nameEn, fieldCode: e.fieldCode, lost: got, max: e.leaf.maxPoints, order });
    } else {
      field.points += got;
      field.max += e.leaf.maxPoints;
      const short = roundPoints(e.leaf.maxPoints - got);
      if (short > 0) lost.push({ code: e.leaf.code, name: e.leaf.name, nameEn: e.leaf.nameEn, fieldCode: e.fieldCode, lost: short, max: e.leaf.maxPoints, order });
    }
    fields.set(e.fieldCode, field);
  }
  const max = maxPointsFor(f, kind);
  const total = roundPoints(Math.max(0, [...fields.values()].reduce((s, x) => s + x.points, 0)));
  const index = max > 0 ? roundPoints((total / max) * 100) : 0;
  return {
    total,
    max,
    index,
    band: bandOf(f.bands, index),
    fields: [...fields].map(([code, x]) => ({ code, points: roundPoints(x.points), max: roundPoints(x.max) })),
    lost: lost.sort((a, b) => b.lost - a.lost || a.order - b.order).map(({ order: _order, ...l }) => l),
    unscored,
  };
}

/**
 * Ranks within each kind of unit by index, highest first; equal indices
 * share a rank and the next is skipped (1, 2, 2, 4), as published rankings
 * do. Returns each unit's rank and how many units of its kind were ranked.
 */
export function rankWithinKinds<T extends { unit: string; kind: ParUnitKind; index: number }>(units: readonly T[]): (T & { rank: number; of: number })[] {
  const out: (T & { rank: number; of: number })[] = [];
  const kinds = [...new Set(units.map((u) => u.kind))];
  for (const kind of kinds) {
    const of = units.filter((u) => u.kind === kind).sort((a, b) => b.index - a.index || a.unit.localeCompare(b.unit));
    of.forEach((u, i) => {
      const rank = i > 0 && of[i - 1]!.index === u.index ? out[out.length - 1]!.rank : i + 1;
      out.push({ ...u, rank, of: of.length });
    });
  }
  return out;
}

/** The change of an index since the year before, in points of percent; null when the unit had none then. */
export function indexChange(now: number, before: number | null | undefined): number | null {
  return before === null || before === undefined ? null : roundPoints(now - before);
}
