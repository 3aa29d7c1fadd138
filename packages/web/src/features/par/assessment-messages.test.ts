import { ERROR_STATUS } from '@watchfloor/core';
import { describe, expect, it } from 'vitest';
import { en, vi } from '../../lib/i18n/messages';

/** The PAR Index's refusals, as core lists them: each is told in both languages. */
const PAR_CODES = [
  'unknown_par_framework',
  'invalid_par_framework',
  'par_framework_exists',
  'par_framework_in_use',
  'unknown_par_cycle',
  'par_cycle_exists',
  'par_cycle_published',
  'par_cycle_not_decided',
  'unknown_par_unit',
  'unknown_par_criterion',
  'par_step_not_allowed',
  'par_window_closed',
  'par_points_out_of_range',
  'par_points_not_assessed',
  'par_reason_required',
  'par_evidence_required',
  'evidence_type_not_allowed',
  'unknown_evidence',
];

describe('the PAR Index refusals', () => {
  it('are every PAR code core knows, each with Vietnamese and English words', () => {
    const inCore = Object.keys(ERROR_STATUS).filter((c) => c.includes('par_') || c.includes('evidence'));
    expect(inCore.sort()).toEqual([...PAR_CODES].sort());
    for (const code of PAR_CODES) {
      const key = `error.${code}` as keyof typeof vi;
      expect(vi[key], code).toBeTruthy();
      expect(en[key], code).toBeTruthy();
      expect(en[key], code).not.toBe(vi[key]);
    }
  });
});
