import { describe, expect, it } from 'vitest';
import { errorOf } from '../testing';
import { checkDefinitions, derivationOrder, evaluateFormula, parseFormula, referencedCodes } from './formula';

const values = (entries: Record<string, number | null>): Map<string, number | null> => new Map(Object.entries(entries));
const calc = (text: string, entries: Record<string, number | null> = {}): number | null => evaluateFormula(parseFormula(text), values(entries));


describe('parsing formulas', () => {
  it('builds the tree with * and / binding tighter than + and -', () => {
    expect(parseFormula('A + B * 2')).toEqual({
      type: 'binary',
      op: '+',
      left: { type: 'ref', code: 'A' },
      right: { type: 'binary', op: '*', left: { type: 'ref', code: 'B' }, right: { type: 'number', value: 2 } },
    });
  });

  it('reads operators of equal precedence from left to right', () => {
    expect(calc('10 - 4 - 3')).toBe(3);
    expect(calc('100 / 10 / 5')).toBe(2);
    expect(calc('2 * 3 + 4 * 5')).toBe(26);
  });

  it('honours parentheses, unary minus and decimals', () => {
    expect(calc('(2 + 3) * 4')).toBe(20);
    expect(calc('-(2 + 3) * 4')).toBe(-20);
    expect(calc('--3')).toBe(3);
    expect(calc('+2.5 * .4')).toBe(1);
    expect(calc('  ( ( 7 ) )  ')).toBe(7);
  });

  it('reads indicator codes with digits and underscores', () => {
    expect(calc('DOSSIER_ON_TIME / DOSSIER_RESOLVED * 100', { DOSSIER_ON_TIME: 45, DOSSIER_RESOLVED: 60 })).toBe(75);
    expect(calc('PM2_5_AVG - 25', { PM2_5_AVG: 40 })).toBe(15);
  });

  it.each([
    ['', 1],
    ['   ', 1],
    ['A +', 4],
    ['(A + B', 7],
    ['A + B)', 6],
    ['A B', 3],
    ['a + 1', 1],
    ['A % 2', 3],
    ['eval("1")', 1],
    ['1,5', 2],
    ['A * * B', 5],
    ['()', 2],
  ])('refuses %j with the position of the fault', (text, position) => {
    const err = errorOf(() => parseFormula(text));
    expect(err.code).toBe('invalid_parameter');
    expect(err.details).toEqual({ reason: 'invalid_formula', formula: text, position });
  });

  it('refuses a formula longer than 2000 characters', () => {
    expect(errorOf(() => parseFormula(`A${' + A'.repeat(600)}`)).details).toMatchObject({ reason: 'invalid_formula' });
  });
});

describe('referenced codes', () => {
  it('lists each code once, in order of first use', () => {
    expect(referencedCodes(parseFormula('(B + A) / B - -C * 2'))).toEqual(['B', 'A', 'C']);
    expect(referencedCodes(parseFormula('3 * 4'))).toEqual([]);
  });
});

describe('evaluating formulas', () => {
  it('is null when an input is missing or null', () => {
    expect(calc('A + B', { A: 1 })).toBeNull();
    expect(calc('A + B', { A: 1, B: null })).toBeNull();
    expect(calc('A * 0 + B', { A: null, B: 2 })).toBeNull();
  });

  it('treats zero as a value, not as missing', () => {
    expect(calc('A + B', { A: 0, B: 0 })).toBe(0);
    expect(calc('A / B', { A: 0, B: 4 })).toBe(0);
  });

  it('is null on division by zero, even deep inside', () => {
    expect(calc('A / B', { A: 5, B: 0 })).toBeNull();
    expect(calc('1 + A / (B - B)', { A: 5, B: 3 })).toBeNull();
  });
});

describe('checking a set of definitions', () => {
  it('accepts a sound set and orders it dependencies first', () => {
    const defs = [
      { code: 'ON_TIME_RATE', formula: 'ON_TIME / RESOLVED * 100' },
      { code: 'ON_TIME' },
      { code: 'RESOLVED', formula: 'ON_TIME + LATE' },
      { code: 'LATE', formula: null },
    ];
    expect(checkDefinitions(defs)).toEqual([]);
    const order = derivationOrder(defs);
    expect(order).toEqual(['ON_TIME', 'LATE', 'RESOLVED', 'ON_TIME_RATE']);
  });

  it('refuses a reference to an unknown indicator', () => {
    expect(checkDefinitions([{ code: 'A', formula: 'B + 1' }])).toEqual([
      { reason: 'unknown_indicator', code: 'A', references: 'B', message: 'A refers to unknown indicator B' },
    ]);
  });

  it('refuses a formula that refers to itself', () => {
    expect(checkDefinitions([{ code: 'A', formula: 'A * 2' }])).toEqual([{ reason: 'self_reference', code: 'A', message: 'A refers to itself' }]);
  });

  it('refuses a cycle through other indicators, naming its path', () => {
    const problems = checkDefinitions([
      { code: 'A', formula: 'B + 1' },
      { code: 'B', formula: 'C * 2' },
      { code: 'C', formula: 'A - D' },
      { code: 'D' },
    ]);
    expect(problems).toEqual([{ reason: 'cycle', code: 'A', cycle: ['A', 'B', 'C'], message: 'circular definition: A → B → C → A' }]);
  });

  it('finds a cycle that goes through a component rather than a formula', () => {
    const problems = checkDefinitions([
      { code: 'INDEX', uses: ['SUB'] },
      { code: 'SUB', formula: 'INDEX / 10' },
    ]);
    expect(problems.map((p) => p.reason)).toEqual(['cycle']);
  });

  it('reports a syntax error, a duplicate and an unknown reference together', () => {
    const problems = checkDefinitions([
      { code: 'A', formula: 'B +' },
      { code: 'B' },
      { code: 'B', uses: ['Z'] },
    ]);
    expect(problems.map((p) => [p.reason, p.code])).toEqual([
      ['formula_syntax', 'A'],
      ['duplicate_code', 'B'],
      ['unknown_indicator', 'B'],
    ]);
  });

  it('will not order an unsound set', () => {
    const err = errorOf(() => derivationOrder([{ code: 'A', formula: 'A + 1' }]));
    expect(err.details).toMatchObject({ reason: 'invalid_indicator' });
  });
});
