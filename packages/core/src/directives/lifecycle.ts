import { z } from 'zod';
import { isoDateSchema, vietnamDate, type IsoDate } from '../dates';
import type { ErrorCode } from '../errors';
import { daysLate } from '../par/cycle';
import { DIRECTIVE_LIMITS } from './schemas';

/**
 * The life of a task (or of one occurrence of a recurring task), as rules.
 * What happens to a task is a list of events — progress reports, a report
 * of done, the office's confirmation or refusal, extension requests and
 * their answers, a cancellation — and its state at any instant is the fold
 * of the events up to then (`taskState`). Nothing time-dependent is
 * stored: whether a task is overdue is judged at the instant asked about.
 *
 * Deadlines are Vietnam dates: a task due on D is on time through 23:59:59
 * of D in Vietnam (16:59:59Z) and overdue from 00:00 of D+1 there
 * (17:00:00Z of D).
 *
 * Who does what: the lead agency's officer (`lead_agency`) reports progress,
 * reports done and asks for more time; the leader's office (`office`)
 * confirms or refuses a report of done, approves or refuses an extension
 * and cancels a task.
 */

export const DIRECTIVE_TASK_STATUSES = ['received', 'in_progress', 'done_on_time', 'done_late', 'overdue', 'extended', 'cancelled'] as const;
export const directiveTaskStatusSchema = z
  .enum(DIRECTIVE_TASK_STATUSES)
  .describe('received | in_progress | done_on_time | done_late | overdue | extended | cancelled');
export type DirectiveTaskStatus = z.infer<typeof directiveTaskStatusSchema>;

/** Statuses after which nothing more happens to a task. */
export const CLOSED_TASK_STATUSES: readonly DirectiveTaskStatus[] = ['done_on_time', 'done_late', 'cancelled'];

export const DIRECTIVE_ACTORS = ['lead_agency', 'office'] as const;
export const directiveActorSchema = z.enum(DIRECTIVE_ACTORS).describe('lead_agency (the lead agency’s officer) | office (the leader’s office)');
export type DirectiveActor = z.infer<typeof directiveActorSchema>;

/** Each kind of event and who may record it. */
export const TASK_EVENT_ACTORS = {
  progress: 'lead_agency',
  done: 'lead_agency',
  done_confirmed: 'office',
  done_refused: 'office',
  extension_requested: 'lead_agency',
  extension_approved: 'office',
  extension_refused: 'office',
  cancelled: 'office',
} as const satisfies Record<string, DirectiveActor>;
export type TaskEventKind = keyof typeof TASK_EVENT_ACTORS;

const common = {
  at: z.iso.datetime({ offset: true }).describe('When it happened, an ISO 8601 instant'),
  by: z.string().max(100).nullable().default(null).describe('The login of who recorded it'),
  actor: directiveActorSchema,
};
const text = z.string().trim().max(DIRECTIVE_LIMITS.reportText);
const reason = z.string().trim().min(1).max(DIRECTIVE_LIMITS.reason);

export const taskEventSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('progress'), ...common, percent: z.number().int().min(0).max(100), text: text.default('') }).describe('A progress report'),
    z.object({ kind: z.literal('done'), ...common, text: text.default('') }).describe('A report that the task is done'),
    z.object({ kind: z.literal('done_confirmed'), ...common }).describe('The office confirms the report of done'),
    z.object({ kind: z.literal('done_refused'), ...common, reason }).describe('The office refuses the report of done: the task is open again'),
    z.object({ kind: z.literal('extension_requested'), ...common, until: isoDateSchema.describe('The deadline asked for'), reason }).describe('The lead agency asks for more time'),
    z.object({ kind: z.literal('extension_approved'), ...common, until: isoDateSchema.describe('The new deadline (the office may give another than asked)') }).describe('The office extends the deadline; the original is kept'),
    z.object({ kind: z.literal('extension_refused'), ...common, reason }).describe('The office refuses the extension: the deadline stands'),
    z.object({ kind: z.literal('cancelled'), ...common, reason }).describe('The office cancels the task'),
  ])
  .describe('One thing that happened to a task');
export type TaskEvent = z.infer<typeof taskEventSchema>;
export type TaskEventInput = z.input<typeof taskEventSchema>;

/** What the rules need of a task (or an occurrence): its deadline and whether its document wants done confirmed. */
export interface TaskTerms {
  /** Due by the end of this Vietnam day; null for a regular task (thường xuyên). */
  deadline: IsoDate | null;
  /** The document's setting: a report of done counts only once the office confirms it. */
  confirmDone: boolean;
}

export interface TaskState {
  status: DirectiveTaskStatus;
  /** The last reported percentage (100 once done, or while a report of done awaits confirmation). */
  percent: number;
  /** The deadline in force (the last extension's, when extended). */
  deadline: IsoDate | null;
  /** The deadline the document set, kept beside an extended one. */
  originalDeadline: IsoDate | null;
  extended: boolean;
  /** When the report of done that counts was made (for a confirmed report: when it was reported, not confirmed). */
  doneAt: string | null;
  /** A report of done waiting for the office's confirmation. */
  awaitingConfirmation: boolean;
  /** An extension asked for and not answered yet. */
  extensionRequest: { until: IsoDate; reason: string; at: string } | null;
  cancelledAt: string | null;
  /** Days past the deadline in force: when done, the Vietnam date done minus the deadline; while open, today (in Vietnam) minus the deadline; 0 on time. */
  daysLate: number;
  /** The last event taken into account. */
  lastEventAt: string | null;
}

/** What the fold keeps between events; the status is judged from it at an instant. */
interface Facts {
  percent: number;
  percentBeforeDone: number;
  deadline: IsoDate | null;
  originalDeadline: IsoDate | null;
  extended: boolean;
  started: boolean;
  doneReportedAt: string | null;
  doneAt: string | null;
  extensionRequest: TaskState['extensionRequest'];
  cancelledAt: string | null;
  lastEventAt: string | null;
}

/**
 * The status of the facts at an instant. Done is on time when the Vietnam
 * date it was reported on is not after the deadline in force, so a task
 * extended and then done by its new deadline is done on time — with
 * `extended` set and the original deadline kept, so a leader sees both
 * that it was on time and that it needed more time. (The alternative,
 * judging against the original deadline, would make approving an
 * extension pointless for the agency; the e-office systems judge against
 * the extended deadline too.) A regular task has no deadline: never
 * overdue, and on time whenever it is done.
 */
function judge(f: Facts, at: number): TaskState {
  const today = vietnamDate(new Date(at));
  let status: DirectiveTaskStatus;
  let late = 0;
  if (f.cancelledAt !== null) status = 'cancelled';
  else if (f.doneAt !== null) {
    const doneOn = vietnamDate(new Date(f.doneAt));
    late = f.deadline === null ? 0 : daysLate(f.deadline, doneOn, doneOn);
    status = late > 0 ? 'done_late' : 'done_on_time';
  } else if (f.deadline !== null && today > f.deadline) {
    status = 'overdue';
    late = daysLate(f.deadline, null, today);
  } else if (f.extended) status = 'extended';
  else if (f.started) status = 'in_progress';
  else status = 'received';
  return {
    status,
    percent: f.percent,
    deadline: f.deadline,
    originalDeadline: f.originalDeadline,
    extended: f.extended,
    doneAt: f.doneAt,
    awaitingConfirmation: f.doneReportedAt !== null && f.doneAt === null,
    extensionRequest: f.extensionRequest,
    cancelledAt: f.cancelledAt,
    daysLate: late,
    lastEventAt: f.lastEventAt,
  };
}

/**
 * Whether an event may be recorded on a task in the state it is in at the
 * event's instant, as the error code refusing it, or null:
 * - each kind of event has its actor (`TASK_EVENT_ACTORS`): another is
 *   `directive_actor_not_allowed`;
 * - nothing happens to a task done or cancelled: `directive_task_closed`;
 * - while a report of done awaits the office, the agency neither reports
 *   nor asks for time (`directive_awaiting_confirmation`), and the office
 *   confirms or refuses only such a report (`directive_no_done_report`);
 * - an extension is asked for a task with a deadline
 *   (`directive_no_deadline`), one at a time
 *   (`directive_extension_pending`), and answered only when asked
 *   (`directive_no_extension_request`); the deadline asked for or given is
 *   later than the one in force (`directive_deadline_not_later`).
 * An overdue task may still be reported on, done (late) and extended: a
 * late request is still a request. The office may cancel any open task.
 */
export function taskEventRefusal(state: TaskState, event: Pick<TaskEvent, 'kind' | 'actor'> & { until?: IsoDate }): ErrorCode | null {
  if (TASK_EVENT_ACTORS[event.kind] !== event.actor) return 'directive_actor_not_allowed';
  if (CLOSED_TASK_STATUSES.includes(state.status)) return 'directive_task_closed';
  switch (event.kind) {
    case 'progress':
    case 'done':
      return state.awaitingConfirmation ? 'directive_awaiting_confirmation' : null;
    case 'done_confirmed':
    case 'done_refused':
      return state.awaitingConfirmation ? null : 'directive_no_done_report';
    case 'extension_requested':
      if (state.deadline === null) return 'directive_no_deadline';
      if (state.awaitingConfirmation) return 'directive_awaiting_confirmation';
      if (state.extensionRequest !== null) return 'directive_extension_pending';
      return event.until !== undefined && event.until <= state.deadline ? 'directive_deadline_not_later' : null;
    case 'extension_approved':
      if (state.extensionRequest === null) return 'directive_no_extension_request';
      return event.until !== undefined && state.deadline !== null && event.until <= state.deadline ? 'directive_deadline_not_later' : null;
    case 'extension_refused':
      return state.extensionRequest === null ? 'directive_no_extension_request' : null;
    case 'cancelled':
      return null;
  }
}

/** The effect of an accepted event on the facts. */
function apply(f: Facts, e: TaskEvent, terms: TaskTerms): void {
  f.lastEventAt = e.at;
  switch (e.kind) {
    case 'progress':
      f.started = true;
      f.percent = e.percent;
      return;
    case 'done':
      // A report of done withdraws a pending extension request: the agency no longer needs the time.
      f.started = true;
      f.extensionRequest = null;
      f.percentBeforeDone = f.percent;
      f.percent = 100;
      f.doneReportedAt = e.at;
      if (!terms.confirmDone) f.doneAt = e.at;
      return;
    case 'done_confirmed':
      f.doneAt = f.doneReportedAt;
      return;
    case 'done_refused':
      f.doneReportedAt = null;
      f.percent = f.percentBeforeDone;
      return;
    case 'extension_requested':
      f.extensionRequest = { until: e.until, reason: e.reason, at: e.at };
      return;
    case 'extension_approved':
      f.deadline = e.until;
      f.extended = true;
      f.extensionRequest = null;
      return;
    case 'extension_refused':
      f.extensionRequest = null;
      return;
    case 'cancelled':
      f.cancelledAt = e.at;
      return;
  }
}

/**
 * Replays a task's events up to `at` (events after it are not yet known),
 * in the order of their instants (events at the same instant in the order
 * given), and gives the state at `at` with the events the rules refuse,
 * which are left out (each was checked with `taskEventRefusal` when it was
 * recorded; a refused one can only come from a faulty import).
 */
export function replayTask(terms: TaskTerms, events: readonly TaskEvent[], at: string | Date): { state: TaskState; refused: { event: TaskEvent; code: ErrorCode }[] } {
  const until = typeof at === 'string' ? Date.parse(at) : at.getTime();
  const facts: Facts = {
    percent: 0,
    percentBeforeDone: 0,
    deadline: terms.deadline,
    originalDeadline: terms.deadline,
    extended: false,
    started: false,
    doneReportedAt: null,
    doneAt: null,
    extensionRequest: null,
    cancelledAt: null,
    lastEventAt: null,
  };
  const refused: { event: TaskEvent; code: ErrorCode }[] = [];
  const ordered = events
    .map((event, i) => ({ event, t: Date.parse(event.at), i }))
    .filter((x) => x.t <= until)
    .sort((a, b) => a.t - b.t || a.i - b.i);
  for (const { event, t } of ordered) {
    const code = taskEventRefusal(judge(facts, t), event);
    if (code === null) apply(facts, event, terms);
    else refused.push({ event, code });
  }
  return { state: judge(facts, until), refused };
}

/** The state of a task (or an occurrence) at an instant: the fold of its events up to then (see `replayTask`). */
export function taskState(terms: TaskTerms, events: readonly TaskEvent[], at: string | Date): TaskState {
  return replayTask(terms, events, at).state;
}
