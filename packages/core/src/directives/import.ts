import { vietnamDate } from '../dates';
import { CLOSED_TASK_STATUSES, type TaskState } from './lifecycle';
import type { DirectiveTask } from './schemas';

/**
 * Re-sending a document (from the e-office push, an upload or a pull) is
 * idempotent by document number and task key: a task already held is
 * updated in place and keeps its reports; a new key is a new task; a task
 * held but no longer sent is kept, with its reports, and listed as
 * `missing` for the leader's office to cancel or keep — a document system
 * that drops a line is not taken as the leader withdrawing the task. A
 * changed deadline in a re-sent document corrects the document (it is
 * the task's deadline from then on, not an extension).
 */
export interface DirectiveImportPlan {
  added: string[];
  changed: string[];
  unchanged: string[];
  missing: string[];
}

/** JSON with object keys sorted, so two equal tasks compare equal whatever order their fields were built in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** What re-sending a document does to the tasks held for it, by key, each list in the order of the document (missing ones in the order held). */
export function directiveImportPlan(held: readonly DirectiveTask[], sent: readonly DirectiveTask[]): DirectiveImportPlan {
  const before = new Map(held.map((t) => [t.key, t]));
  const sentKeys = new Set(sent.map((t) => t.key));
  const plan: DirectiveImportPlan = { added: [], changed: [], unchanged: [], missing: [] };
  for (const t of sent) {
    const old = before.get(t.key);
    if (!old) plan.added.push(t.key);
    else if (canonical(old) === canonical(t)) plan.unchanged.push(t.key);
    else plan.changed.push(t.key);
  }
  for (const t of held) if (!sentKeys.has(t.key)) plan.missing.push(t.key);
  return plan;
}

/**
 * Days from the Vietnam date at `at` to a task's deadline in force, for
 * reminders and the desk ("due in 3 days"; 0 on the day; negative once
 * overdue); null for a task without a deadline or closed.
 */
export function daysToDeadline(state: Pick<TaskState, 'deadline' | 'status'>, at: string | Date): number | null {
  if (state.deadline === null || CLOSED_TASK_STATUSES.includes(state.status)) return null;
  const today = vietnamDate(typeof at === 'string' ? new Date(at) : at);
  return Math.round((Date.parse(`${state.deadline}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}
