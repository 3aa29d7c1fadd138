import { daysToDeadline } from '../directives/import';
import type { TaskState } from '../directives/lifecycle';
import { directiveTaskId } from '../directives/schemas';
import type { AlertStatus, EscalationStep, NoDataParameters, RateParameters, TaskDeadlineParameters, ThresholdParameters } from './rules';

/**
 * The pure side of alerting: whether a condition holds, given the value and
 * whether an alert is already open. The server stores state and sends
 * notifications; everything decided here is testable without a database.
 */

export type ThresholdSide = 'high' | 'low';

/**
 * A threshold with hysteresis. A closed condition raises at value ≥ high
 * (or ≤ low); an open one clears only once the value is below high − band
 * (or above low + band), so a value wandering around the threshold raises
 * one alert rather than one per reading.
 */
export function thresholdState(p: ThresholdParameters, value: number, open: ThresholdSide | null): ThresholdSide | null {
  const band = p.band;
  if (p.high !== undefined && value >= p.high) return 'high';
  if (p.low !== undefined && value <= p.low) return 'low';
  if (open === 'high' && p.high !== undefined && value >= p.high - band) return 'high';
  if (open === 'low' && p.low !== undefined && value <= p.low + band) return 'low';
  return null;
}

export interface TimedValue {
  at: string;
  value: number;
}

/** Change per hour between two consecutive values; null when they are not ordered in time. */
export function ratePerHour(previous: TimedValue, current: TimedValue): number | null {
  const hours = (Date.parse(current.at) - Date.parse(previous.at)) / 3_600_000;
  if (!(hours > 0)) return null;
  return (current.value - previous.value) / hours;
}

/** Whether consecutive values change faster than the rule allows, in its direction; the rate when they do. */
export function rateExceeded(p: RateParameters, previous: TimedValue | null, current: TimedValue): number | null {
  if (previous === null) return null;
  const rate = ratePerHour(previous, current);
  if (rate === null) return null;
  const up = rate >= p.maxPerHour;
  const down = -rate >= p.maxPerHour;
  if ((p.direction === 'up' && up) || (p.direction === 'down' && down) || (p.direction === 'both' && (up || down))) return rate;
  return null;
}

/** No value for `periods` × `periodMinutes` since the last one (or since `since` when there was none): the instant it went silent, else null. */
export function noDataSince(p: NoDataParameters, lastAt: string | null, since: string, now: Date): string | null {
  const from = Date.parse(lastAt ?? since);
  const limit = from + p.periods * p.periodMinutes * 60_000;
  return now.getTime() >= limit ? new Date(limit).toISOString() : null;
}

export type DeadlineWindow = 'overdue' | 'due_soon' | null;

/** Overdue once the deadline has passed, due soon within the window before it (24 hours: "about to fall due"). */
export function deadlineWindow(dueAt: string, now: Date, windowHours: number): DeadlineWindow {
  const due = Date.parse(dueAt);
  if (now.getTime() >= due) return 'overdue';
  if (due - now.getTime() <= windowHours * 3_600_000) return 'due_soon';
  return null;
}

/** Where a directive task stands against its deadline, as a `task_deadline` rule names it. */
export type TaskDeadlineStage = 'due_soon' | 'overdue' | 'long_overdue';

/**
 * The stage of a task (or an occurrence) at an instant that a rule watches,
 * counted in Vietnam days (core's `daysToDeadline`): due soon from
 * `dueWithinDays` days before its deadline through the deadline's day;
 * overdue from 00:00 the next day; long overdue once more than
 * `overdueMoreThanDays` days late. A task the rule does not watch at its
 * stage, one closed or without a deadline, and one whose lead agency has
 * reported it done (the office has yet to confirm: the agency has done its
 * part, and a confirmed report counts from when it was made) is at none.
 */
export function taskDeadlineStage(p: TaskDeadlineParameters, state: Pick<TaskState, 'deadline' | 'status' | 'awaitingConfirmation'>, at: string | Date): TaskDeadlineStage | null {
  const days = daysToDeadline(state, at);
  if (days === null || state.awaitingConfirmation) return null;
  if (days >= 0) return p.dueWithinDays !== undefined && days <= p.dueWithinDays ? 'due_soon' : null;
  if (p.overdueMoreThanDays !== undefined && -days > p.overdueMoreThanDays) return 'long_overdue';
  return p.overdue ? 'overdue' : null;
}

const TASK_STAGES: readonly TaskDeadlineStage[] = ['due_soon', 'overdue', 'long_overdue'];

/** A task (an occurrence of a recurring one) as its deadline alerts name it. */
export interface TaskAlertTask {
  /** The document's number and symbol (normalised in the subject). */
  documentNumber: string;
  key: string;
  occurrence: string | null;
}

/** What a `task_deadline` alert is about, without its stage: `task:` the task's id (`125/TB-UBND#2`), `@` the occurrence of a recurring one. */
export function taskAlertTask(t: TaskAlertTask): string {
  return `task:${directiveTaskId(t.documentNumber, t.key)}${t.occurrence === null ? '' : `@${t.occurrence}`}`;
}

/** The subject of a `task_deadline` alert: the task and the stage it reached (`task:125/TB-UBND#2@2026-03|overdue`), one alert per task × stage. */
export function taskAlertSubject(t: TaskAlertTask, stage: TaskDeadlineStage): string {
  return `${taskAlertTask(t)}|${stage}`;
}

/** The task and stage a `task_deadline` alert's subject names (its document's number normalised), null for another subject. */
export function taskOfAlertSubject(subject: string): (TaskAlertTask & { stage: TaskDeadlineStage }) | null {
  const m = /^task:(.+)#([A-Za-z0-9][A-Za-z0-9._-]*)(?:@([^|]+))?\|([a-z_]+)$/.exec(subject);
  const stage = TASK_STAGES.find((x) => x === m?.[4]);
  if (!m || !stage) return null;
  return { documentNumber: m[1] ?? '', key: m[2] ?? '', occurrence: m[3] ?? null, stage };
}

/**
 * The escalation step an unacknowledged alert has reached: the last one
 * whose `afterMinutes` have passed since it opened; null before the first.
 * Acknowledged and resolved alerts do not escalate.
 */
export function escalationStep(table: readonly EscalationStep[], status: AlertStatus, openedAt: string, now: Date): EscalationStep | null {
  if (status !== 'open') return null;
  const minutes = (now.getTime() - Date.parse(openedAt)) / 60_000;
  let reached: EscalationStep | null = null;
  for (const step of [...table].sort((a, b) => a.afterMinutes - b.afterMinutes)) if (minutes >= step.afterMinutes) reached = step;
  return reached;
}

/** The moves an operator may make; resolution by the rule itself (auto) uses the same table. */
const MOVES: Record<AlertStatus, readonly AlertStatus[]> = { open: ['acknowledged', 'resolved'], acknowledged: ['resolved'], resolved: [] };

export function canMoveAlert(from: AlertStatus, to: AlertStatus): boolean {
  return MOVES[from].includes(to);
}

export const WEBHOOK_RETRY = { attempts: 5, firstDelayMs: 30_000 } as const;

/**
 * When to try a webhook again after `attempts` failed tries: 30 s, 1, 2, 4
 * minutes… (exponential backoff); null once the attempts are used up and
 * the notification is failed for good.
 */
export function nextWebhookAttempt(attempts: number, failedAt: Date, policy: { attempts: number; firstDelayMs: number } = WEBHOOK_RETRY): Date | null {
  if (attempts >= policy.attempts) return null;
  return new Date(failedAt.getTime() + policy.firstDelayMs * 2 ** (attempts - 1));
}

/** When each step of a procedure started at `startedAt` is due: the expected minutes of it and of the steps before it. */
export function sopDueTimes(startedAt: string, steps: readonly { expectedMinutes: number }[]): string[] {
  let t = Date.parse(startedAt);
  return steps.map((s) => {
    t += s.expectedMinutes * 60_000;
    return new Date(t).toISOString();
  });
}
