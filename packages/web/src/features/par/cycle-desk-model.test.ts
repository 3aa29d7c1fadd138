import type { ParFrameworkSummary, ParLate } from '@watchfloor/core';
import { describe, expect, it } from 'vitest';
import { lateFirst, managesPar, openableFrameworks, openCycleProblem } from './cycle-desk-model';

const grant = (role: 'appraiser' | 'agency_officer' | 'leader' | 'administrator') => ({ role, organisationCode: null, placeCode: null });

describe('the cycle desk', () => {
  it('offers managing cycles to appraisers only', () => {
    expect(managesPar([grant('appraiser')])).toBe(true);
    expect(managesPar([grant('agency_officer')])).toBe(false);
    expect(managesPar([grant('leader'), grant('administrator')])).toBe(false);
    expect(managesPar(null)).toBe(false);
  });

  it('opens a cycle only on a framework without one, newest year first', () => {
    const f = (code: string, year: number, cycles: number) => ({ code, year, cycles }) as ParFrameworkSummary;
    expect(openableFrameworks([f('VL-PAR-2025', 2025, 0), f('VL-PAR-2026', 2026, 0), f('VL-PAR-2024', 2024, 1)]).map((x) => x.code)).toEqual(['VL-PAR-2026', 'VL-PAR-2025']);
  });

  it('says what keeps an opening form from being sent', () => {
    const ok = { frameworkCode: 'VL-PAR-2026', selfAssessmentDue: '2026-11-30', appraisalDue: '2026-12-15', responseDays: '7' };
    expect(openCycleProblem(ok)).toBeNull();
    expect(openCycleProblem({ ...ok, appraisalDue: '2026-11-30' })).toBeNull();
    expect(openCycleProblem({ ...ok, frameworkCode: '' })).toBe('missing');
    expect(openCycleProblem({ ...ok, selfAssessmentDue: '' })).toBe('missing');
    expect(openCycleProblem({ ...ok, appraisalDue: '2026-11-29' })).toBe('badDates');
    expect(openCycleProblem({ ...ok, responseDays: '0' })).toBe('badDays');
    expect(openCycleProblem({ ...ok, responseDays: '61' })).toBe('badDays');
    expect(openCycleProblem({ ...ok, responseDays: '2.5' })).toBe('badDays');
  });

  it('lists the latest first, then by name', () => {
    const l = (code: string, name: string, daysLate: number) => ({ code, name, daysLate }) as ParLate;
    expect(lateFirst([l('A', 'Sở Tài chính', 2), l('B', 'Sở Nội vụ', 5), l('C', 'Sở Công Thương', 2)]).map((x) => x.code)).toEqual(['B', 'C', 'A']);
  });
});
