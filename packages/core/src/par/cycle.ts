import { z } from 'zod';
import { isoDateSchema } from '../dates';
import type { ErrorCode } from '../errors';

/**
 * The yearly assessment cycle, as rules. The Department of Home Affairs
 * opens a cycle on a framework with its deadlines; each unit self-assesses
 * and submits; the appraisers adjust, with a reason, and send the result
 * back; the unit may answer once, within its window; the council decides;
 * the province publishes. Each step of a unit is one status:
 *
 *   draft ─submit→ submitted ─return→ appraised ─answer→ answered
 *                                          └──────decide──────┴→ final
 *
 * Deadlines are dates in Vietnam: a step is on time through the whole day.
 */

export const PAR_ASSESSMENT_STATUSES = ['draft', 'submitted', 'appraised', 'answered', 'final'] as const;
export const parAssessmentStatusSchema = z.enum(PAR_ASSESSMENT_STATUSES).describe('draft | submitted | appraised | answered | final');
export type ParAssessmentStatus = z.infer<typeof parAssessmentStatusSchema>;

/** What can be done to one unit's assessment, and by whom (`unit`: the unit's officer; `appraiser`: the Department of Home Affairs and its council). */
export const PAR_ACTIONS = {
  /** Points, explanation, evidence and disputes of the unit's own leaves. */
  assess: { by: 'unit', from: ['draft'] },
  submit: { by: 'unit', from: ['draft'] },
  /** The appraisers' adjusted points and reasons, saved as they go. */
  adjust: { by: 'appraiser', from: ['submitted'] },
  /** The appraisal sent back to the unit, opening its answer window. */
  return: { by: 'appraiser', from: ['submitted'] },
  /** The unit's one answer. */
  answer: { by: 'unit', from: ['appraised'] },
  /** The council's final points. */
  decide: { by: 'appraiser', from: ['appraised', 'answered'] },
} as const satisfies Record<string, { by: 'unit' | 'appraiser'; from: readonly ParAssessmentStatus[] }>;
export type ParAction = keyof typeof PAR_ACTIONS;

/** The status an action leaves. */
export const PAR_ACTION_RESULT: Record<ParAction, ParAssessmentStatus> = {
  assess: 'draft',
  submit: 'submitted',
  adjust: 'submitted',
  return: 'appraised',
  answer: 'answered',
  decide: 'final',
};

export const parDeadlinesSchema = z
  .object({
    selfAssessmentDue: isoDateSchema.describe('The last day for units to submit their self-assessment'),
    appraisalDue: isoDateSchema.describe('The last day for the appraisers to send their results back'),
    responseDays: z.number().int().min(1).max(60).default(7).describe('Days a unit has to answer, from the day the appraisal came back'),
  })
  .refine((d) => d.appraisalDue >= d.selfAssessmentDue, 'the appraisal is due after the self-assessment');
export type ParDeadlines = z.infer<typeof parDeadlinesSchema>;

/** The last day a unit may answer, from the day the appraisal came back to it. */
export function responseDue(returnedOn: string, responseDays: number): string {
  const d = new Date(`${returnedOn}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + responseDays);
  return d.toISOString().slice(0, 10);
}

/**
 * Whether an action may be taken now, as the error code refusing it or
 * null. `today` is the date in Vietnam. Late self-assessments are taken
 * (and listed as late), as late data is; a late answer is not: once the
 * window closed the council decides on the appraisal.
 */
export function parActionRefusal(
  action: ParAction,
  state: { status: ParAssessmentStatus; cyclePublished: boolean; returnedOn: string | null },
  deadlines: Pick<ParDeadlines, 'responseDays'>,
  today: string,
): ErrorCode | null {
  if (state.cyclePublished) return 'par_cycle_published';
  if (!(PAR_ACTIONS[action].from as readonly ParAssessmentStatus[]).includes(state.status)) return 'par_step_not_allowed';
  if (action === 'answer' && state.returnedOn !== null && today > responseDue(state.returnedOn, deadlines.responseDays)) return 'par_window_closed';
  return null;
}

/** Days late: how many days after its deadline a step was done (or is still undone at `today`); 0 on time. */
export function daysLate(due: string, doneOn: string | null, today: string): number {
  const end = doneOn ?? today;
  if (end <= due) return 0;
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`)) / 86_400_000);
}
