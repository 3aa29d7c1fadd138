import { checkCatalogue, indicatorDefinitionSchema, type DefinitionProblem, type IndicatorDefinition } from '@watchfloor/core';
import type { DefinitionIssue } from './schemas';

export type ParsedDefinition = { ok: true; definition: IndicatorDefinition } | { ok: false; issues: DefinitionIssue[] };

/** The code a raw definition claims, if it has a readable one: issues name it even when the rest is broken. */
export function claimedCode(raw: unknown): string | null {
  return typeof raw === 'object' && raw !== null && 'code' in raw && typeof raw.code === 'string' ? raw.code : null;
}

/**
 * One definition checked on its own: shape and the rules of
 * indicatorDefinitionSchema. A rule's issue carries its coded reason in
 * `params.reason`; a shape issue is reported by zod's issue code.
 */
export function parseDefinition(raw: unknown): ParsedDefinition {
  const r = indicatorDefinitionSchema.safeParse(raw);
  if (r.success) return { ok: true, definition: r.data };
  const code = claimedCode(raw);
  return {
    ok: false,
    issues: r.error.issues.map((i) => {
      const reason = i.code === 'custom' && typeof i.params?.reason === 'string' ? i.params.reason : i.code;
      return { code, path: i.path.map(String).join('.'), reason, message: i.message };
    }),
  };
}

/** Where in `def` it refers to `ref`, so a client can point at the field. */
function referencePath(def: IndicatorDefinition | undefined, ref: string | undefined): string {
  if (!def || ref === undefined) return '';
  if (def.kind === 'derived' && new RegExp(`\\b${ref}\\b`).test(def.formula)) return 'formula';
  if (def.ratio?.numerator === ref) return 'ratio.numerator';
  if (def.ratio?.denominator === ref) return 'ratio.denominator';
  if (def.weightCode === ref) return 'weightCode';
  if (def.kind === 'composite') {
    const i = def.components.findIndex((c) => c.code === ref);
    if (i >= 0) return `components.${i}.code`;
  }
  return '';
}

function issueOf(p: DefinitionProblem, byCode: ReadonlyMap<string, IndicatorDefinition>): DefinitionIssue {
  const def = byCode.get(p.code);
  switch (p.reason) {
    case 'duplicate_code':
      return { code: p.code, path: 'code', reason: p.reason, message: p.message };
    case 'formula_syntax':
      return { code: p.code, path: 'formula', reason: p.reason, message: p.message };
    case 'unknown_indicator':
      return { code: p.code, path: referencePath(def, p.references), reason: p.reason, message: p.message };
    case 'self_reference':
      return { code: p.code, path: referencePath(def, p.code), reason: p.reason, message: p.message };
    case 'cycle':
      return { code: p.code, path: referencePath(def, p.cycle[1] ?? p.cycle[0]), reason: p.reason, message: p.message };
  }
}

/**
 * The problems the incoming definitions would bring into the stored
 * catalogue (incoming replacing stored ones of the same code): unknown
 * references, self-references and cycles. Only problems that involve an
 * incoming definition are reported, so an old inconsistency elsewhere does
 * not block an unrelated change.
 */
export function catalogueIssues(stored: readonly IndicatorDefinition[], incoming: readonly IndicatorDefinition[]): DefinitionIssue[] {
  const changed = new Set(incoming.map((d) => d.code));
  const merged = [...stored.filter((d) => !changed.has(d.code)), ...incoming];
  const byCode = new Map(merged.map((d) => [d.code, d]));
  return checkCatalogue(merged)
    .filter((p) => (p.reason === 'cycle' ? p.cycle.some((c) => changed.has(c)) : changed.has(p.code)))
    .map((p) => issueOf(p.reason === 'cycle' ? startingAtChanged(p, changed) : p, byCode));
}

/** A cycle told from the first changed definition in it, so the issue names a definition the client sent. */
function startingAtChanged(p: Extract<DefinitionProblem, { reason: 'cycle' }>, changed: ReadonlySet<string>): DefinitionProblem {
  const at = Math.max(0, p.cycle.findIndex((c) => changed.has(c)));
  const cycle = [...p.cycle.slice(at), ...p.cycle.slice(0, at)];
  const code = cycle[0] ?? p.code;
  return { reason: 'cycle', code, cycle, message: `circular definition: ${[...cycle, code].join(' → ')}` };
}
