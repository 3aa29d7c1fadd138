import { AppError } from '../errors';
import { invalidInput } from './shared';

/**
 * Formulas of derived indicators, e.g. `DOSSIER_ON_TIME / DOSSIER_RESOLVED * 100`:
 * numbers, indicator codes, + - * /, unary minus and parentheses. A small
 * recursive-descent parser, never `eval`, so a stored formula cannot run code.
 *
 *   expr   := term (('+' | '-') term)*
 *   term   := unary (('*' | '/') unary)*
 *   unary  := ('-' | '+') unary | atom
 *   atom   := number | CODE | '(' expr ')'
 */
export type FormulaNode =
  | { type: 'number'; value: number }
  | { type: 'ref'; code: string }
  | { type: 'negate'; operand: FormulaNode }
  | { type: 'binary'; op: '+' | '-' | '*' | '/'; left: FormulaNode; right: FormulaNode };

type Token = { kind: 'number'; value: number; at: number } | { kind: 'code'; code: string; at: number } | { kind: 'op'; op: string; at: number };

const TOKEN = String.raw`\s*(?:(\d+(?:\.\d+)?|\.\d+)|([A-Z][A-Z0-9_]*)|([-+*/()]))`;
const MAX_FORMULA_LENGTH = 2000;

function syntaxError(text: string, at: number, what: string): AppError {
  return invalidInput('invalid_formula', `formula "${text}": ${what} at position ${at + 1}`, { formula: text, position: at + 1 });
}

function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  const re = new RegExp(TOKEN, 'y');
  while (text.slice(re.lastIndex).trim() !== '') {
    const start = re.lastIndex;
    const m = re.exec(text);
    if (!m) {
      const at = start + (text.slice(start).length - text.slice(start).trimStart().length);
      throw syntaxError(text, at, `unexpected "${text[at]}" (codes are UPPER_CASE, numbers use a dot)`);
    }
    const at = m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? '').length;
    if (m[1] !== undefined) tokens.push({ kind: 'number', value: Number(m[1]), at });
    else if (m[2] !== undefined) tokens.push({ kind: 'code', code: m[2], at });
    else tokens.push({ kind: 'op', op: m[3] ?? '', at });
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  parse(): FormulaNode {
    const node = this.expr();
    const extra = this.tokens[this.i];
    if (extra) throw syntaxError(this.text, extra.at, 'unexpected token');
    return node;
  }

  private peekOp(...ops: string[]): string | null {
    const t = this.tokens[this.i];
    return t?.kind === 'op' && ops.includes(t.op) ? t.op : null;
  }

  private binary(next: () => FormulaNode, ops: Array<'+' | '-' | '*' | '/'>): FormulaNode {
    let left = next();
    for (let op = this.peekOp(...ops); op !== null; op = this.peekOp(...ops)) {
      this.i++;
      left = { type: 'binary', op: op as '+' | '-' | '*' | '/', left, right: next() };
    }
    return left;
  }

  private expr(): FormulaNode {
    return this.binary(() => this.term(), ['+', '-']);
  }

  private term(): FormulaNode {
    return this.binary(() => this.unary(), ['*', '/']);
  }

  private unary(): FormulaNode {
    const op = this.peekOp('-', '+');
    if (op === null) return this.atom();
    this.i++;
    const operand = this.unary();
    return op === '-' ? { type: 'negate', operand } : operand;
  }

  private atom(): FormulaNode {
    const t = this.tokens[this.i++];
    if (!t) throw syntaxError(this.text, this.text.length, 'unexpected end');
    if (t.kind === 'number') return { type: 'number', value: t.value };
    if (t.kind === 'code') return { type: 'ref', code: t.code };
    if (t.op !== '(') throw syntaxError(this.text, t.at, `unexpected "${t.op}"`);
    const inner = this.expr();
    if (this.peekOp(')') === null) throw syntaxError(this.text, this.tokens[this.i]?.at ?? this.text.length, 'missing ")"');
    this.i++;
    return inner;
  }
}

/** Parses a formula into a tree, refusing anything else with an `invalid_formula` reason and the position. */
export function parseFormula(text: string): FormulaNode {
  if (text.length > MAX_FORMULA_LENGTH) throw syntaxError(text.slice(0, 40), MAX_FORMULA_LENGTH, 'formula too long');
  if (text.trim() === '') throw syntaxError(text, 0, 'empty formula');
  return new Parser(text, tokenise(text)).parse();
}

/** The indicator codes a formula reads, each once, in order of first use: what it depends on. */
export function referencedCodes(node: FormulaNode): string[] {
  const codes = new Set<string>();
  const walk = (n: FormulaNode): void => {
    if (n.type === 'ref') codes.add(n.code);
    else if (n.type === 'negate') walk(n.operand);
    else if (n.type === 'binary') {
      walk(n.left);
      walk(n.right);
    }
  };
  walk(node);
  return [...codes];
}

function applyOp(op: '+' | '-' | '*' | '/', a: number, b: number): number | null {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? null : a / b;
  }
}

/**
 * Evaluates a formula. Null when any input is missing or null, or on division
 * by zero: a derived value without all of its inputs is no data, not zero.
 */
export function evaluateFormula(node: FormulaNode, values: ReadonlyMap<string, number | null>): number | null {
  switch (node.type) {
    case 'number':
      return node.value;
    case 'ref': {
      const v = values.get(node.code);
      return v === undefined || v === null || !Number.isFinite(v) ? null : v;
    }
    case 'negate': {
      const v = evaluateFormula(node.operand, values);
      return v === null ? null : -v;
    }
    case 'binary': {
      const a = evaluateFormula(node.left, values);
      const b = a === null ? null : evaluateFormula(node.right, values);
      if (a === null || b === null) return null;
      const r = applyOp(node.op, a, b);
      return r === null || !Number.isFinite(r) ? null : r;
    }
  }
}

/** What a definition depends on: the codes its formula reads, plus any it uses otherwise (components, numerator...). */
export interface DependencyDefinition {
  code: string;
  formula?: string | null;
  uses?: readonly string[];
}

export type DefinitionProblem =
  | { reason: 'duplicate_code'; code: string; message: string }
  | { reason: 'formula_syntax'; code: string; message: string }
  | { reason: 'unknown_indicator'; code: string; references: string; message: string }
  | { reason: 'self_reference'; code: string; message: string }
  | { reason: 'cycle'; code: string; cycle: string[]; message: string };

function dependencies(def: DependencyDefinition, problems: DefinitionProblem[]): string[] {
  let refs: string[] = [];
  if (def.formula !== undefined && def.formula !== null) {
    try {
      refs = referencedCodes(parseFormula(def.formula));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      problems.push({ reason: 'formula_syntax', code: def.code, message: `${def.code}: ${e.message}` });
    }
  }
  return [...new Set([...refs, ...(def.uses ?? [])])];
}

/** Finds each cycle once, as the path of codes that leads back to its start. */
function findCycles(graph: ReadonlyMap<string, string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (code: string): void => {
    state.set(code, 'open');
    stack.push(code);
    for (const next of graph.get(code) ?? []) {
      if (next === code || !graph.has(next)) continue;
      if (state.get(next) === 'open') cycles.push(stack.slice(stack.indexOf(next)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(code, 'done');
  };
  for (const code of graph.keys()) if (!state.has(code)) visit(code);
  return cycles;
}

/**
 * Checks a set of definitions before they are stored: every formula parses,
 * every code it (or a component) references exists, and nothing depends on
 * itself, directly or through others. Returns the coded reasons; empty means
 * the set is sound.
 */
export function checkDefinitions(defs: readonly DependencyDefinition[]): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const graph = new Map<string, string[]>();
  for (const def of defs) {
    if (graph.has(def.code)) problems.push({ reason: 'duplicate_code', code: def.code, message: `${def.code} is defined twice` });
    graph.set(def.code, dependencies(def, problems));
  }
  for (const [code, deps] of graph) {
    for (const ref of deps) {
      if (ref === code) problems.push({ reason: 'self_reference', code, message: `${code} refers to itself` });
      else if (!graph.has(ref)) problems.push({ reason: 'unknown_indicator', code, references: ref, message: `${code} refers to unknown indicator ${ref}` });
    }
  }
  for (const cycle of findCycles(graph)) {
    const path = [...cycle, cycle[0] ?? ''].join(' → ');
    problems.push({ reason: 'cycle', code: cycle[0] ?? '', cycle, message: `circular definition: ${path}` });
  }
  return problems;
}

/**
 * The order to compute definitions in so every input is ready before it is
 * used (dependencies first). Refuses a set checkDefinitions finds unsound.
 */
export function derivationOrder(defs: readonly DependencyDefinition[]): string[] {
  const problems = checkDefinitions(defs);
  if (problems.length > 0) {
    throw invalidInput('invalid_indicator', problems.map((p) => p.message).join('; '), { problems });
  }
  const graph = new Map(defs.map((d) => [d.code, dependencies(d, [])] as const));
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (code: string): void => {
    if (seen.has(code)) return;
    seen.add(code);
    for (const dep of graph.get(code) ?? []) visit(dep);
    order.push(code);
  };
  for (const code of graph.keys()) visit(code);
  return order;
}
