import { z } from 'zod';
import { AppError } from '../errors';

/**
 * Cases (tình huống, phản ánh): the status workflow, deadlines from a
 * category's service level, overdue warnings and routing to an agency.
 * Pure functions: the server stores what they decide.
 */
export const CASE_STATUSES = ['new', 'received', 'assigned', 'in_progress', 'resolved', 'closed', 'rejected', 'reopened'] as const;
export const caseStatusSchema = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof caseStatusSchema>;

export const CASE_CHANNELS = ['app', 'hotline', 'portal', 'sensor', 'operator'] as const;
export const caseChannelSchema = z.enum(CASE_CHANNELS);
export type CaseChannel = z.infer<typeof caseChannelSchema>;

export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const casePrioritySchema = z.enum(CASE_PRIORITIES);
export type CasePriority = z.infer<typeof casePrioritySchema>;

/** The moves the workflow allows from each status. Reopening is how a resolved, closed or rejected case comes back. */
export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  new: ['received', 'rejected'],
  received: ['assigned', 'rejected'],
  assigned: ['in_progress', 'rejected'],
  in_progress: ['resolved'],
  resolved: ['closed', 'reopened'],
  closed: ['reopened'],
  rejected: ['reopened'],
  reopened: ['assigned', 'in_progress'],
};

/** Statuses in which the case no longer runs against its deadline. */
export const FINISHED_STATUSES: readonly CaseStatus[] = ['resolved', 'closed', 'rejected'];

export function isFinished(status: CaseStatus): boolean {
  return FINISHED_STATUSES.includes(status);
}

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return CASE_TRANSITIONS[from].includes(to);
}

/** Checks a status change; a move the workflow forbids is a coded `invalid_transition` naming the allowed ones. */
export function assertTransition(from: CaseStatus, to: CaseStatus): void {
  if (canTransition(from, to)) return;
  const allowed = CASE_TRANSITIONS[from];
  throw new AppError('invalid_transition', `A case cannot go from ${from} to ${to}; from ${from} it can go to ${allowed.join(', ')}`, { from, to, allowed });
}

const HOUR_MS = 3_600_000;

/** When a case received at `receivedAt` (ISO instant) is due: its category's service level later, in hours. */
export function caseDeadline(receivedAt: string, serviceLevelHours: number): string {
  if (!Number.isFinite(serviceLevelHours) || serviceLevelHours <= 0) throw new Error(`service level must be a positive number of hours, got ${serviceLevelHours}`);
  return new Date(Date.parse(receivedAt) + serviceLevelHours * HOUR_MS).toISOString();
}

/** How long before its deadline a case counts as about to be overdue. */
export const DUE_SOON_HOURS = 24;

export type DeadlineState = 'finished' | 'overdue' | 'due_soon' | 'on_track';

/**
 * Where an unfinished case stands against its deadline at `now`: overdue
 * once the deadline has passed, due soon within the last 24 hours before it.
 */
export function deadlineState(status: CaseStatus, deadlineAt: string, now: Date): DeadlineState {
  if (isFinished(status)) return 'finished';
  const left = Date.parse(deadlineAt) - now.getTime();
  if (left < 0) return 'overdue';
  if (left <= DUE_SOON_HOURS * HOUR_MS) return 'due_soon';
  return 'on_track';
}

/** A routing rule of a category: cases in `place` (a unit code; any level) go to `organisation`. */
export const caseRouteSchema = z.object({
  place: z.string().regex(/^(VN|\d{2,5})$/),
  organisation: z
    .string()
    .min(1)
    .describe('An organisation code; `{commune}` stands for the code of the commune the case is in (e.g. `UBND-{commune}`, its People\'s Committee)'),
});
export type CaseRoute = z.infer<typeof caseRouteSchema>;

/**
 * Which organisation a case goes to. An operator's override wins; else the
 * rule of the most specific place the case lies in (commune before province,
 * `placeCodes` ordered from the finest unit up), else the category's default.
 * Null when a rule needs the commune and the case has none.
 */
export function routeCase(input: { routes: readonly CaseRoute[]; defaultOrganisation: string; placeCodes: readonly string[]; communeCode: string | null; override?: string | null | undefined }): string | null {
  if (input.override) return input.override;
  const fill = (template: string): string | null => {
    if (!template.includes('{commune}')) return template;
    return input.communeCode ? template.replaceAll('{commune}', input.communeCode) : null;
  };
  for (const code of input.placeCodes) {
    const rule = input.routes.find((r) => r.place === code);
    if (rule) {
      const org = fill(rule.organisation);
      if (org) return org;
    }
  }
  return fill(input.defaultOrganisation);
}
