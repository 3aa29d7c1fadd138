import { parsePeriod, periodContaining, periodEnd, periodKey, periodStart, ROLE_PERMISSIONS, taskEventRefusal, type DirectiveTaskStatus, type Grant, type IsoDate, type Language, type TaskDeadline, type TaskEventKind, type TaskState } from '@watchfloor/core';
import type { MessageKey } from '../../lib/i18n/translate';

/**
 * What the directives screens show and offer, as rules: the words and tone
 * of a task's status, the order of the overdue list, which forms a reader
 * is given on a task, and what keeps a form from being sent. The server
 * decides again on every write; the screen only hides what would be refused.
 */

/** How a status reads at a glance: a chip's colour. */
export type StatusTone = 'good' | 'late' | 'overdue' | 'open' | 'muted';

export function statusKey(status: DirectiveTaskStatus): MessageKey {
  return `dirStatus.${status}`;
}

export function statusTone(status: DirectiveTaskStatus): StatusTone {
  switch (status) {
    case 'done_on_time':
      return 'good';
    case 'done_late':
      return 'late';
    case 'overdue':
      return 'overdue';
    case 'cancelled':
      return 'muted';
    case 'received':
    case 'in_progress':
    case 'extended':
      return 'open';
  }
}

/** A chip beside a task: its status, then what waits on the office (a report of done, an extension request). */
export interface Chip {
  key: MessageKey;
  tone: StatusTone;
}

export function statusChips(state: Pick<TaskState, 'status' | 'awaitingConfirmation' | 'extensionRequest' | 'extended'>): Chip[] {
  const out: Chip[] = [{ key: statusKey(state.status), tone: statusTone(state.status) }];
  // An extended task done or overdue says it was extended too; "extended" alone is already the status.
  if (state.extended && state.status !== 'extended' && state.status !== 'cancelled') out.push({ key: 'dirStatus.extended', tone: 'open' });
  if (state.awaitingConfirmation) out.push({ key: 'dirStatus.awaiting', tone: 'open' });
  if (state.extensionRequest) out.push({ key: 'dirStatus.extensionAsked', tone: 'open' });
  return out;
}

/** The deadline in force, and the one the document set when an extension moved it. */
export function deadlines(state: Pick<TaskState, 'deadline' | 'originalDeadline' | 'extended'>): { deadline: string | null; original: string | null } {
  const moved = state.extended && state.originalDeadline !== null && state.originalDeadline !== state.deadline;
  return { deadline: state.deadline, original: moved ? state.originalDeadline : null };
}

/** How a task's deadline reads when it is not one date: a recurrence, or regular. */
export function recurrenceText(d: TaskDeadline): { key: MessageKey; params: Record<string, number> } | null {
  switch (d.kind) {
    case 'date':
      return null;
    case 'regular':
      return { key: 'dir.regular', params: {} };
    case 'monthly':
      return { key: 'dir.recurring.monthly', params: { day: d.day } };
    case 'quarterly':
      return { key: 'dir.recurring.quarterly', params: { day: d.day, month: d.month } };
    case 'yearly':
      return { key: 'dir.recurring.yearly', params: { day: d.day, month: d.month } };
  }
}

/** An overdue task as the list needs it. */
export interface OverdueLike {
  daysLate: number;
  agencyName: string;
  documentNumber: string;
  taskKey: string;
}

/** The overdue list: most days late first, then by agency, document and task, so the order never changes between reads. */
export function overdueFirst<T extends OverdueLike>(rows: readonly T[]): T[] {
  return [...rows].sort(
    (a, b) =>
      b.daysLate - a.daysLate || a.agencyName.localeCompare(b.agencyName, 'vi') || a.documentNumber.localeCompare(b.documentNumber, 'vi', { numeric: true }) || a.taskKey.localeCompare(b.taskKey, 'vi', { numeric: true }),
  );
}

/** A row of completion as the table needs it. */
export interface CompletionLike {
  organisation: string;
  overdue: number;
  onTimeRate: { value: number | null };
}

/**
 * The agencies, the ones a leader asks about first: most overdue tasks,
 * then the lowest on-time rate (an agency with no known outcome last), then by code.
 */
export function worstFirst<T extends CompletionLike>(rows: readonly T[]): T[] {
  const rate = (r: T) => r.onTimeRate.value ?? Number.POSITIVE_INFINITY;
  return [...rows].sort((a, b) => b.overdue - a.overdue || rate(a) - rate(b) || a.organisation.localeCompare(b.organisation));
}

/** Whether a grant holds a permission. Checked by name, so a permission the server adds later is read the same way. */
export function grantsHold(grants: readonly Grant[] | null, permission: string): boolean {
  return grants !== null && grants.some((g) => (ROLE_PERMISSIONS[g.role] as readonly string[] | undefined)?.includes(permission) === true);
}

/** What the reader may do on a task: report as its lead agency, or manage as the leader's office. */
export interface TaskMay {
  report: boolean;
  manage: boolean;
}

/**
 * What the reader may do on a task: what the server's answer says when it
 * says so (it knows the task's lead agency and the reader's scope), else by
 * permission: `directives.report` reports, `directives.manage` manages.
 */
export function taskMay(grants: readonly Grant[] | null, answer?: Partial<TaskMay> | null): TaskMay {
  return {
    report: answer?.report ?? grantsHold(grants, 'directives.report'),
    manage: answer?.manage ?? grantsHold(grants, 'directives.manage'),
  };
}

/** The forms a task may show, in the order they are shown. */
export const TASK_FORMS = ['progress', 'done', 'extension', 'confirm', 'refuseDone', 'approve', 'refuseExtension', 'cancel'] as const;
export type TaskForm = (typeof TASK_FORMS)[number];

/** The event each form records and who records it. */
export const FORM_EVENTS: Record<TaskForm, { kind: TaskEventKind; actor: 'lead_agency' | 'office' }> = {
  progress: { kind: 'progress', actor: 'lead_agency' },
  done: { kind: 'done', actor: 'lead_agency' },
  extension: { kind: 'extension_requested', actor: 'lead_agency' },
  confirm: { kind: 'done_confirmed', actor: 'office' },
  refuseDone: { kind: 'done_refused', actor: 'office' },
  approve: { kind: 'extension_approved', actor: 'office' },
  refuseExtension: { kind: 'extension_refused', actor: 'office' },
  cancel: { kind: 'cancelled', actor: 'office' },
};

/**
 * The forms shown on a task: those of the reader's part (the lead agency's
 * or the office's) that the task's state allows now, by the same rule the
 * server refuses events with (`taskEventRefusal`). Nothing on a task done
 * or cancelled.
 */
export function taskForms(state: TaskState, may: TaskMay): TaskForm[] {
  return TASK_FORMS.filter((form) => {
    const { kind, actor } = FORM_EVENTS[form];
    if (actor === 'lead_agency' ? !may.report : !may.manage) return false;
    return taskEventRefusal(state, { kind, actor }) === null;
  });
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What keeps a progress report from being sent. */
export function percentProblem(text: string): 'badPercent' | null {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(n) && n >= 0 && n <= 100 ? null : 'badPercent';
}

/** What keeps an extension (asked or given) from being sent: no reason when one is needed, a date not after the deadline in force. */
export function extensionProblem(until: string, reason: string | null, deadline: string | null): 'needDate' | 'needReason' | null {
  if (!DATE.test(until) || (deadline !== null && until <= deadline)) return 'needDate';
  if (reason !== null && reason.trim() === '') return 'needReason';
  return null;
}

/** What keeps a refusal or a cancellation from being sent. */
export function reasonProblem(reason: string): 'needReason' | null {
  return reason.trim() === '' ? 'needReason' : null;
}

/** An agency's name in the reader's language: English when there is one, else Vietnamese, else its code. */
export function agencyName(a: { code: string; name: string | null; nameEn: string | null }, lang: Language): string {
  return (lang === 'en' ? (a.nameEn ?? a.name) : a.name) ?? a.code;
}

/** The period of the completion figures: the one in the address when it is one, else the quarter of today; with its first and last dates. */
export function directivePeriod(key: string | undefined, today: IsoDate): { key: string; from: IsoDate; to: IsoDate } {
  let period;
  try {
    period = key ? parsePeriod(key) : periodContaining('quarter', today);
  } catch {
    period = periodContaining('quarter', today);
  }
  return { key: periodKey(period), from: periodStart(period), to: periodEnd(period) };
}

/**
 * The date the period picker is told it is, so that its last choice is the
 * month of today, not the month before: tasks fall due in the month under
 * way, and a leader asks about it (figures, by contrast, wait for the month to end).
 */
export function pickerDate(today: IsoDate): IsoDate {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** What a form's fields hold, as typed. */
export interface FormValues {
  percent: string;
  text: string;
  until: string;
  reason: string;
}

/** The fields each form asks for. */
export const FORM_FIELDS: Record<TaskForm, readonly (keyof FormValues)[]> = {
  progress: ['percent', 'text'],
  done: ['text'],
  extension: ['until', 'reason'],
  confirm: [],
  refuseDone: ['reason'],
  approve: ['until'],
  refuseExtension: ['reason'],
  cancel: ['reason'],
};

/** What keeps a form from being sent, as the message to show, or null; `deadline` is the deadline in force. */
export function formProblem(form: TaskForm, v: FormValues, deadline: string | null): 'badPercent' | 'needReason' | 'needDate' | null {
  const fields = FORM_FIELDS[form];
  if (fields.includes('percent') && percentProblem(v.percent)) return 'badPercent';
  if (fields.includes('until')) {
    const p = extensionProblem(v.until, fields.includes('reason') ? v.reason : null, deadline);
    if (p) return p;
  }
  if (fields.includes('reason') && reasonProblem(v.reason)) return 'needReason';
  return null;
}

export type ReportBody =
  | { kind: 'progress'; occurrence: string | null; percent: number; text: string }
  | { kind: 'done'; occurrence: string | null; text: string }
  | { kind: 'extension_requested'; occurrence: string | null; until: string; reason: string };
export type DecisionBody =
  | { kind: 'done_confirmed'; occurrence: string | null }
  | { kind: 'done_refused' | 'extension_refused' | 'cancelled'; occurrence: string | null; reason: string }
  | { kind: 'extension_approved'; occurrence: string | null; until: string };

/** What a form sends: a report of the lead agency or a decision of the office, about the occurrence shown (null for a task due once). */
export function formBody(form: TaskForm, v: FormValues, occurrence: string | null): { report: ReportBody } | { decision: DecisionBody } {
  const text = v.text.trim();
  const reason = v.reason.trim();
  switch (form) {
    case 'progress':
      return { report: { kind: 'progress', occurrence, percent: Number(v.percent.trim()), text } };
    case 'done':
      return { report: { kind: 'done', occurrence, text } };
    case 'extension':
      return { report: { kind: 'extension_requested', occurrence, until: v.until, reason } };
    case 'confirm':
      return { decision: { kind: 'done_confirmed', occurrence } };
    case 'refuseDone':
      return { decision: { kind: 'done_refused', occurrence, reason } };
    case 'approve':
      return { decision: { kind: 'extension_approved', occurrence, until: v.until } };
    case 'refuseExtension':
      return { decision: { kind: 'extension_refused', occurrence, reason } };
    case 'cancel':
      return { decision: { kind: 'cancelled', occurrence, reason } };
  }
}
