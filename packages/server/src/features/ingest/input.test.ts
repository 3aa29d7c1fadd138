import { describe, expect, it } from 'vitest';
import { observationInputSchema } from '@watchfloor/core';
import { parseInput } from './observations';

const good = { indicator: 'ENV_PM25', place: '29242', period: '2026-11-27', value: 12.5 };

/** Rows at and around every constraint of the schema: the fast check must answer exactly as the schema does. */
const rows: unknown[] = [
  good,
  { ...good, organisation: 'UBND-29242', status: 'estimated', note: 'đo lại', unit: 'µg/m³', extra: 1 },
  { ...good, organisation: null, note: null, status: undefined, unit: undefined },
  { ...good, place: 'VN' },
  { ...good, place: '1' },
  { ...good, place: '123456' },
  { ...good, place: 29242 },
  { ...good, indicator: 'env_pm25' },
  { ...good, indicator: `A${'B'.repeat(64)}` },
  { ...good, indicator: undefined },
  { ...good, period: '202' },
  { ...good, period: '2'.repeat(41) },
  { ...good, organisation: '' },
  { ...good, organisation: 'X'.repeat(41) },
  { ...good, value: '12.5' },
  { ...good, value: Number.NaN },
  { ...good, value: Number.POSITIVE_INFINITY },
  { ...good, value: -0 },
  { ...good, unit: null },
  { ...good, unit: 'u'.repeat(33) },
  { ...good, status: 'draft' },
  { ...good, status: null },
  { ...good, note: 'n'.repeat(2001) },
  { ...good, note: 5 },
  null,
  [good],
  'ENV_PM25',
];

describe('the observation row check', () => {
  it.each(rows.map((r, i) => [i, r]))('row %i: answers as observationInputSchema does', (_i, row) => {
    const fast = parseInput(row);
    const schema = observationInputSchema.safeParse(row);
    expect(fast.success).toBe(schema.success);
    if (fast.success && schema.success) expect(fast.data).toStrictEqual(schema.data);
    if (!fast.success && !schema.success) expect(fast.error.issues.map((x) => x.message)).toEqual(schema.error.issues.map((x) => x.message));
  });
});
