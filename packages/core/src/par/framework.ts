import { z } from 'zod';
import { isoDateSchema } from '../dates';

/**
 * PAR Index frameworks (Bộ chỉ số cải cách hành chính) as data. A framework
 * is the tree a decision issues for one year: fields (lĩnh vực) hold
 * criteria (tiêu chí), which may hold sub-criteria (tiêu chí thành phần).
 * Points are scored at the leaves, each by one method; a parent's maximum is
 * the sum of its children's. The province scores its departments and its
 * communes by the same tree, each leaf saying which kinds of unit it
 * applies to, so a unit's maximum is that of the leaves that apply to it.
 *
 * The framework changes by decision from year to year: a framework is
 * identified by its code, carries its year and the decision that issued it,
 * and the next year's is a copy with changes (`copyFramework`).
 */

/** The kinds of unit a provincial PAR Index scores: departments (sở, ban, ngành) and communes (xã, phường, đặc khu). */
export const PAR_UNIT_KINDS = ['department', 'commune'] as const;
export const parUnitKindSchema = z.enum(PAR_UNIT_KINDS).describe('department | commune');
export type ParUnitKind = z.infer<typeof parUnitKindSchema>;

/**
 * How a leaf is scored:
 * - `self`: the unit assesses itself (with evidence when the leaf requires
 *   it), the appraisers adjust;
 * - `computed`: from a figure the IOC already holds for the unit and the
 *   year, through the leaf's rule; the unit cannot type over it, only
 *   dispute it;
 * - `survey`: from a survey result (SIPAS or another survey component,
 *   imported as figures), through the leaf's rule;
 * - `deduction`: points taken off (for late reports, say), between 0 and
 *   the leaf's maximum, assessed like `self` and subtracted from the total.
 */
export const PAR_METHODS = ['self', 'computed', 'survey', 'deduction'] as const;
export const parMethodSchema = z.enum(PAR_METHODS).describe('self | computed | survey | deduction');
export type ParMethod = z.infer<typeof parMethodSchema>;

const codeSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a code of letters, digits, dots, dashes or underscores');
const pointsSchema = z.number().finite().min(0).max(1000);

/**
 * A point ladder: the first step whose threshold the value reaches gives
 * its points, `otherwise` below the last ("100 % → 1; ≥ 95 % → 0.5; below → 0").
 */
export const ladderRuleSchema = z
  .object({
    kind: z.literal('ladder'),
    steps: z
      .array(z.object({ atLeast: z.number().finite(), points: pointsSchema }))
      .min(1)
      .describe('Highest threshold first'),
    otherwise: pointsSchema.default(0),
  })
  .describe('A point ladder');

/**
 * A linear scale: `from` gives 0 points, `to` the leaf's maximum, values
 * between in proportion and beyond them clamped. `to` below `from` scores
 * a measure where lower is better.
 */
export const linearRuleSchema = z
  .object({ kind: z.literal('linear'), from: z.number().finite(), to: z.number().finite() })
  .refine((r) => r.from !== r.to, 'from and to must differ')
  .describe('A linear scale from 0 points to the maximum');

export const parRuleSchema = z.discriminatedUnion('kind', [ladderRuleSchema, linearRuleSchema]);
export type ParRule = z.infer<typeof parRuleSchema>;

const nameFields = {
  code: codeSchema,
  name: z.string().min(1).max(500).describe('Vietnamese name'),
  nameEn: z.string().min(1).max(500).nullable().default(null).describe('English name'),
};

const scoringFields = {
  maxPoints: pointsSchema.describe('Its maximum points (for a deduction: the most that can be taken off)'),
  method: parMethodSchema,
  evidenceRequired: z.boolean().default(false).describe('A self-assessment must attach at least one evidence file'),
  indicator: z.string().min(1).max(64).optional().describe('computed and survey: the indicator whose figure for the unit and the year is scored'),
  rule: parRuleSchema.optional().describe('computed and survey: how the figure becomes points'),
  guidance: z.string().max(4000).nullable().default(null).describe('How to assess it, what evidence counts'),
};

/** A scored leaf: a sub-criterion, or a criterion scored itself. */
export const parLeafSchema = z.object({
  ...nameFields,
  appliesTo: z.array(parUnitKindSchema).min(1).optional().describe('The kinds of unit it applies to; default: those of its parent'),
  ...scoringFields,
});
export type ParLeaf = z.infer<typeof parLeafSchema>;

/**
 * A criterion: scored itself (it has a method and a maximum) or through
 * its sub-criteria, one or the other.
 */
export const parCriterionSchema = z.object({
  ...nameFields,
  appliesTo: z.array(parUnitKindSchema).min(1).optional(),
  maxPoints: scoringFields.maxPoints.optional(),
  method: parMethodSchema.optional().describe('When the criterion is scored itself'),
  evidenceRequired: z.boolean().optional(),
  indicator: scoringFields.indicator,
  rule: scoringFields.rule,
  guidance: z.string().max(4000).nullable().optional(),
  subCriteria: z.array(parLeafSchema).default([]),
});
export type ParCriterion = z.infer<typeof parCriterionSchema>;

/** What is wrong with one leaf's scoring, each as a sentence. */
function leafProblems(leaf: ParLeaf): string[] {
  const out: string[] = [];
  const scored = leaf.method === 'computed' || leaf.method === 'survey';
  if (scored && (!leaf.indicator || !leaf.rule)) out.push(`${leaf.code}: a ${leaf.method} criterion names its indicator and its rule`);
  if (!scored && (leaf.indicator || leaf.rule)) out.push(`${leaf.code}: a ${leaf.method} criterion has no indicator or rule`);
  if (leaf.rule?.kind === 'ladder') {
    const steps = leaf.rule.steps;
    for (let i = 1; i < steps.length; i++) {
      if (steps[i]!.atLeast >= steps[i - 1]!.atLeast) out.push(`${leaf.code}: ladder steps go from the highest threshold down`);
    }
    for (const p of [...steps.map((x) => x.points), leaf.rule.otherwise]) {
      if (p > leaf.maxPoints) out.push(`${leaf.code}: a ladder step gives ${p} points, more than the maximum ${leaf.maxPoints}`);
    }
  }
  return out;
}

/** A criterion scored itself, as a leaf. */
function criterionLeaf(c: ParCriterion): ParLeaf | null {
  if (c.method === undefined || c.maxPoints === undefined) return null;
  return {
    code: c.code,
    name: c.name,
    nameEn: c.nameEn,
    appliesTo: c.appliesTo,
    maxPoints: c.maxPoints,
    method: c.method,
    evidenceRequired: c.evidenceRequired ?? false,
    indicator: c.indicator,
    rule: c.rule,
    guidance: c.guidance ?? null,
  };
}

export const parFieldSchema = z.object({
  ...nameFields,
  appliesTo: z.array(parUnitKindSchema).min(1).optional(),
  criteria: z.array(parCriterionSchema).min(1),
});

/** A classification band: a unit whose index (percent of its maximum) reaches `atLeast` is in it; the highest band first. */
export const parBandSchema = z.object({
  code: codeSchema,
  name: z.string().min(1).max(200),
  nameEn: z.string().min(1).max(200).nullable().default(null),
  atLeast: z.number().min(0).max(100).describe('The lowest index (percent) of the band'),
});
export type ParBand = z.infer<typeof parBandSchema>;

export const parDecisionSchema = z.object({
  number: z.string().min(1).max(100).describe('e.g. "1234/QĐ-UBND"'),
  date: isoDateSchema,
  issuer: z.string().min(1).max(300),
});

export const parFrameworkSchema = z
  .object({
    code: codeSchema.describe('The framework’s own code, one per year and decision (e.g. VL-PAR-2026)'),
    year: z.number().int().min(2000).max(2100).describe('The year it scores'),
    name: z.string().min(1).max(500),
    nameEn: z.string().min(1).max(500).nullable().default(null),
    decision: parDecisionSchema.nullable().default(null).describe('The decision that issued it; null for a draft'),
    example: z.boolean().default(false).describe('An example built for the demo, modelled on the published structure, not a real decision'),
    unitKinds: z.array(parUnitKindSchema).min(1),
    bands: z.array(parBandSchema).default([]),
    fields: z.array(parFieldSchema).min(1),
  })
  .superRefine((f, ctx) => {
    for (const problem of frameworkProblems(f)) ctx.addIssue({ code: 'custom', message: problem });
  });
export type ParFramework = z.infer<typeof parFrameworkSchema>;
export type ParFrameworkInput = z.input<typeof parFrameworkSchema>;

/** A leaf as the scoring sees it, with where it sits and the kinds it applies to resolved. */
export interface ParLeafEntry {
  leaf: ParLeaf;
  fieldCode: string;
  criterionCode: string;
  appliesTo: readonly ParUnitKind[];
}

type FrameworkShape = Pick<ParFramework, 'unitKinds' | 'fields' | 'bands'>;

/** Every leaf of a framework in document order, each with the kinds it applies to (its own, else its criterion's, field's, the framework's). */
export function frameworkLeaves(f: Pick<ParFramework, 'unitKinds' | 'fields'>): ParLeafEntry[] {
  const out: ParLeafEntry[] = [];
  for (const field of f.fields) {
    const fieldKinds = field.appliesTo ?? f.unitKinds;
    for (const c of field.criteria) {
      const criterionKinds = c.appliesTo ?? fieldKinds;
      const own = criterionLeaf(c);
      const leaves = own ? [own] : c.subCriteria;
      for (const leaf of leaves) out.push({ leaf, fieldCode: field.code, criterionCode: c.code, appliesTo: leaf.appliesTo ?? criterionKinds });
    }
  }
  return out;
}

/** The leaves that apply to a kind of unit. */
export function leavesFor(f: Pick<ParFramework, 'unitKinds' | 'fields'>, kind: ParUnitKind): ParLeafEntry[] {
  return frameworkLeaves(f).filter((e) => e.appliesTo.includes(kind));
}

/** A unit's maximum: the points of the leaves that apply to it, deductions left out (they only take away). */
export function maxPointsFor(f: Pick<ParFramework, 'unitKinds' | 'fields'>, kind: ParUnitKind): number {
  return roundPoints(leavesFor(f, kind).reduce((s, e) => s + (e.leaf.method === 'deduction' ? 0 : e.leaf.maxPoints), 0));
}

/** Points are kept to two decimals, as the published results are. */
export function roundPoints(x: number): number {
  return Math.round(x * 100 + Number.EPSILON * 100) / 100;
}

/**
 * What makes a framework unusable, each as a sentence: codes repeated
 * anywhere in the tree, a criterion both scored and holding sub-criteria or
 * neither, kinds outside the framework's, bands not from the highest down,
 * a kind of unit with nothing to score.
 */
export function frameworkProblems(f: FrameworkShape): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const code = (c: string) => {
    if (seen.has(c)) problems.push(`the code ${c} is used twice`);
    seen.add(c);
  };
  const kinds = (where: string, list: readonly ParUnitKind[] | undefined) => {
    for (const k of list ?? []) if (!f.unitKinds.includes(k)) problems.push(`${where} applies to ${k}, which the framework does not score`);
  };
  for (const field of f.fields) {
    code(field.code);
    kinds(field.code, field.appliesTo);
    for (const c of field.criteria) {
      code(c.code);
      kinds(c.code, c.appliesTo);
      const own = criterionLeaf(c);
      if ((c.method === undefined) !== (c.maxPoints === undefined)) problems.push(`the criterion ${c.code} is scored itself with a method and a maximum, both`);
      if (own && c.subCriteria.length > 0) problems.push(`the criterion ${c.code} is scored itself and holds sub-criteria: one or the other`);
      if (!own && c.subCriteria.length === 0) problems.push(`the criterion ${c.code} has nothing to score`);
      if (own) problems.push(...leafProblems(own));
      for (const s of c.subCriteria) {
        code(s.code);
        kinds(s.code, s.appliesTo);
        problems.push(...leafProblems(s));
      }
    }
  }
  for (let i = 1; i < f.bands.length; i++) {
    if (f.bands[i]!.atLeast >= f.bands[i - 1]!.atLeast) problems.push('classification bands go from the highest down');
  }
  const bandCodes = new Set<string>();
  for (const b of f.bands) {
    if (bandCodes.has(b.code)) problems.push(`the band ${b.code} is listed twice`);
    bandCodes.add(b.code);
  }
  for (const k of f.unitKinds) if (maxPointsFor(f, k) <= 0) problems.push(`nothing is scored for a ${k}`);
  return problems;
}

/** The next year's framework from this one: same tree under a new code and year, no decision yet (a draft until one is given). */
export function copyFramework(f: ParFramework, to: { code: string; year: number }): ParFramework {
  return { ...structuredClone(f), code: to.code, year: to.year, decision: null };
}

/** The leaf of a code, with its place in the tree. */
export function findLeaf(f: Pick<ParFramework, 'unitKinds' | 'fields'>, code: string): ParLeafEntry | undefined {
  return frameworkLeaves(f).find((e) => e.leaf.code === code);
}
