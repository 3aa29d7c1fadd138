import type { ParAssessment, ParFramework, ParLeafAssessment } from '@watchfloor/core';

/**
 * What a unit's assessment screen shows and offers, as rules. The server
 * decides what the caller may do now (`can`); the screen offers only that,
 * and per leaf only what fits its method: a unit types points only for
 * self-assessed and deduction leaves and can only dispute computed and
 * survey points.
 */

export type Can = ParAssessment['can'];

/** What may be done to one leaf now. */
export interface LeafActions {
  /** Type the unit's points and explanation (self-assessed and deduction leaves). */
  self: boolean;
  /** Dispute computed or survey points with a reason. */
  dispute: boolean;
  /** Attach evidence files, and remove them. */
  evidence: boolean;
  /** The appraisers' adjusted points with their reason. */
  adjust: boolean;
  /** The unit's answer to the appraisal. */
  answer: boolean;
  /** The council's final points with their reason. */
  decide: boolean;
}

export function isScoredByFigures(method: ParLeafAssessment['method']): boolean {
  return method === 'computed' || method === 'survey';
}

export function leafActions(leaf: Pick<ParLeafAssessment, 'method'>, can: Can): LeafActions {
  const figures = isScoredByFigures(leaf.method);
  return {
    self: can.assess && !figures,
    dispute: can.assess && figures,
    evidence: can.assess,
    adjust: can.adjust,
    answer: can.answer,
    decide: can.decide,
  };
}

/** The steps of the whole assessment the caller may take now, in the order of the cycle. */
export type AssessmentStep = 'submit' | 'return' | 'answer' | 'decide';

export function assessmentSteps(can: Can): AssessmentStep[] {
  const out: AssessmentStep[] = [];
  if (can.submit) out.push('submit');
  if (can.return) out.push('return');
  if (can.answer) out.push('answer');
  if (can.decide) out.push('decide');
  return out;
}

/** A field of the tree with its criteria, each criterion with its scored leaves (itself when it is scored itself). */
export interface TreeField {
  code: string;
  name: string;
  nameEn: string | null;
  points: number;
  max: number;
  criteria: TreeCriterion[];
}

export interface TreeCriterion {
  code: string;
  name: string;
  nameEn: string | null;
  /** Scored itself: its one leaf is the criterion. */
  scoredItself: boolean;
  leaves: ParLeafAssessment[];
}

type Names = Pick<ParFramework, 'fields'>;

/**
 * The assessment's leaves as the framework's tree: fields → criteria →
 * leaves, in the framework's order when it is known, else in the order of
 * the leaves (named by their codes). Fields and criteria without a leaf
 * that applies to the unit are left out.
 */
export function assessmentTree(a: Pick<ParAssessment, 'leaves' | 'fields'>, framework: Names | null): TreeField[] {
  const totals = new Map(a.fields.map((f) => [f.code, f]));
  const fieldNames = new Map<string, { name: string; nameEn: string | null }>();
  const criterionNames = new Map<string, { name: string; nameEn: string | null }>();
  const order: string[] = [];
  for (const f of framework?.fields ?? []) {
    fieldNames.set(f.code, { name: f.name, nameEn: f.nameEn });
    order.push(f.code);
    for (const c of f.criteria) criterionNames.set(`${f.code}/${c.code}`, { name: c.name, nameEn: c.nameEn });
  }
  const byField = new Map<string, TreeField>();
  for (const leaf of a.leaves) {
    let field = byField.get(leaf.fieldCode);
    if (!field) {
      const n = fieldNames.get(leaf.fieldCode);
      const total = totals.get(leaf.fieldCode);
      field = { code: leaf.fieldCode, name: n?.name ?? leaf.fieldCode, nameEn: n?.nameEn ?? null, points: total?.points ?? 0, max: total?.max ?? 0, criteria: [] };
      byField.set(leaf.fieldCode, field);
    }
    let criterion = field.criteria.find((c) => c.code === leaf.criterionCode);
    if (!criterion) {
      const itself = leaf.code === leaf.criterionCode;
      const n = criterionNames.get(`${leaf.fieldCode}/${leaf.criterionCode}`) ?? (itself ? { name: leaf.name, nameEn: leaf.nameEn } : undefined);
      criterion = { code: leaf.criterionCode, name: n?.name ?? leaf.criterionCode, nameEn: n?.nameEn ?? null, scoredItself: itself, leaves: [] };
      field.criteria.push(criterion);
    }
    criterion.leaves.push(leaf);
  }
  const fields = [...byField.values()];
  const rank = (code: string) => {
    const i = order.indexOf(code);
    return i < 0 ? order.length : i;
  };
  return fields.sort((x, y) => rank(x.code) - rank(y.code));
}

/** A name in the reader's language: the English one when there is one and English is read. */
export function nameIn(x: { name: string; nameEn: string | null }, lang: 'vi' | 'en'): string {
  return lang === 'en' && x.nameEn ? x.nameEn : x.name;
}

/** One step of a leaf's points, as the screen lists it. */
export type LeafStage =
  | { kind: 'self'; points: number | null; note: string | null }
  | { kind: 'computed'; points: number | null }
  | { kind: 'dispute'; text: string }
  | { kind: 'appraised'; points: number; reason: string | null }
  | { kind: 'response'; text: string }
  | { kind: 'final'; points: number; reason: string | null };

/** The points of a leaf at each step it has been through, in the order of the cycle. */
export function leafStages(leaf: ParLeafAssessment): LeafStage[] {
  const out: LeafStage[] = [];
  if (isScoredByFigures(leaf.method)) {
    out.push({ kind: 'computed', points: leaf.computed });
    if (leaf.dispute) out.push({ kind: 'dispute', text: leaf.dispute });
  } else {
    out.push({ kind: 'self', points: leaf.self, note: leaf.note });
  }
  if (leaf.appraised !== null) out.push({ kind: 'appraised', points: leaf.appraised, reason: leaf.appraisalReason });
  if (leaf.response) out.push({ kind: 'response', text: leaf.response });
  if (leaf.final !== null) out.push({ kind: 'final', points: leaf.final, reason: leaf.finalReason });
  return out;
}

/**
 * The leaves a refusal names, from its details: the server may send a
 * list of codes, of objects with a `code` (or `criterion`), or an object
 * holding such a list (`leaves`, `criteria`, `missing`). Only codes of the
 * assessment's leaves are kept, in the assessment's order.
 */
export function refusedLeaves(details: unknown, leaves: readonly Pick<ParLeafAssessment, 'code'>[]): string[] {
  const named = new Set<string>();
  const visit = (x: unknown, depth: number): void => {
    if (depth > 3 || x === null || x === undefined) return;
    if (typeof x === 'string') named.add(x);
    else if (Array.isArray(x)) for (const y of x) visit(y, depth + 1);
    else if (typeof x === 'object') {
      const o = x as Record<string, unknown>;
      for (const key of ['code', 'criterion', 'leaf']) if (typeof o[key] === 'string') named.add(o[key]);
      for (const key of ['leaves', 'criteria', 'missing', 'unscored', 'evidence']) visit(o[key], depth + 1);
    }
  };
  visit(details, 0);
  return leaves.map((l) => l.code).filter((c) => named.has(c));
}

/** A leaf's points for the reader: a deduction takes points off, so it shows with a minus sign. */
export function signedPoints(points: number, method: ParLeafAssessment['method']): number {
  return method === 'deduction' && points > 0 ? -points : points;
}

/** What is wrong with typed points before they are sent: not a number, or outside 0 … the maximum. */
export function pointsProblem(value: number | null, text: string, max: number): 'notNumber' | 'outOfRange' | null {
  if (text.trim() === '') return null;
  if (value === null) return 'notNumber';
  if (value < 0 || value > max) return 'outOfRange';
  return null;
}

/** Points as typed, in either language's way: "1,5" and "1.5" are both one and a half (points never need a thousands separator). Null when empty or not a number. */
export function parsePoints(text: string): number | null {
  const s = text.replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}
