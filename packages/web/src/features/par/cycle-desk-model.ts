import { grantsAllow, type Grant, type ParFrameworkSummary, type ParLate } from '@watchfloor/core';

/** The cycle desk's rules: who is offered managing cycles, which frameworks a cycle can be opened on, what is wrong with an opening form. */

/** Opening cycles, scoring computed points again and publishing: for holders of `par.manage` (the appraisers); the server checks again. */
export function managesPar(grants: readonly Grant[] | null): boolean {
  return grants !== null && grantsAllow(grants, 'par.manage');
}

/** The frameworks a cycle may be opened on: one cycle per framework, newest year first. */
export function openableFrameworks(frameworks: readonly ParFrameworkSummary[]): ParFrameworkSummary[] {
  return frameworks.filter((f) => f.cycles === 0).sort((a, b) => b.year - a.year || a.code.localeCompare(b.code));
}

export interface OpenCycleInput {
  frameworkCode: string;
  selfAssessmentDue: string;
  appraisalDue: string;
  responseDays: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What keeps the form from being sent: something missing, or the appraisal due before the self-assessment. */
export function openCycleProblem(f: OpenCycleInput): 'missing' | 'badDates' | 'badDays' | null {
  if (!f.frameworkCode || !DATE.test(f.selfAssessmentDue) || !DATE.test(f.appraisalDue)) return 'missing';
  if (f.appraisalDue < f.selfAssessmentDue) return 'badDates';
  const days = Number(f.responseDays);
  if (!Number.isInteger(days) || days < 1 || days > 60) return 'badDays';
  return null;
}

/** The late list, most days late first, then by unit name: what the desk reads first. */
export function lateFirst(late: readonly ParLate[]): ParLate[] {
  return [...late].sort((a, b) => b.daysLate - a.daysLate || a.name.localeCompare(b.name, 'vi'));
}
