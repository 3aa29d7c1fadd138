import { z } from 'zod';
import { directiveTaskStatusSchema } from './lifecycle';
import { directiveOverdueSchema } from './views';

/**
 * The lead agency's desk: the tasks (each occurrence of a recurring task
 * on its own) its officers report on that are overdue now or fall due
 * within a few Vietnam days, so an officer sees what to do before it is
 * late. Judged at the server's clock as the `task_deadline` alert rules
 * judge them (core's `taskDeadlineStage`): a task whose report of done
 * waits for the office is no longer the agency's to do and is left out.
 */
export const DIRECTIVE_DUE_DAYS = { default: 7, max: 60 } as const;

export const directiveDueSchema = directiveOverdueSchema.extend({
  status: directiveTaskStatusSchema,
  daysToDeadline: z.number().int().describe('Vietnam days left to the deadline in force: 0 on the day, negative once overdue (minus the days late)'),
});
export type DirectiveDue = z.infer<typeof directiveDueSchema>;

export const directiveDueAnswerSchema = z.object({
  asOf: z.string().describe('ISO 8601 instant the tasks were judged at'),
  days: z.number().int().describe('Due within this many Vietnam days'),
  tasks: z.array(directiveDueSchema).describe('Overdue first, the most days late first, then the soonest due'),
});
export type DirectiveDueAnswer = z.infer<typeof directiveDueAnswerSchema>;

/** The desk's order: the most days late first, then the soonest due; then by document, task and occurrence. */
export function dueOrder(a: DirectiveDue, b: DirectiveDue): number {
  return a.daysToDeadline - b.daysToDeadline || a.documentNumber.localeCompare(b.documentNumber) || a.key.localeCompare(b.key) || (a.occurrence ?? '').localeCompare(b.occurrence ?? '');
}
