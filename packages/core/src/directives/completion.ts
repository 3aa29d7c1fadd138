import type { IsoDate } from '../dates';
import type { Ratio } from '../dossiers/measures';
import { taskState, type TaskEvent, type TaskState } from './lifecycle';
import { taskOccurrences } from './recurrence';
import type { DirectiveDocument } from './schemas';

/**
 * Completion of directive tasks by agency for a period (tình hình thực
 * hiện nhiệm vụ được giao), as Vietnamese IOC dashboards count it:
 *
 * - Which tasks belong to a period: those whose deadline in force falls
 *   within it (nhiệm vụ đến hạn trong kỳ), each occurrence of a recurring
 *   task counted on its own. A task extended into the next period moves
 *   there with its deadline. Tasks without a deadline (thường xuyên) and
 *   cancelled tasks are not assigned to any period; they are counted
 *   apart (`regular`, `cancelled`) and in no rate.
 * - As of when: every task is judged at `asOf` (usually now), so a March
 *   task done in April shows in March's figures as done late, and a past
 *   period's figures change only as late reports come in.
 * - Who: only the lead agency (chủ trì) is counted; co-operating agencies
 *   (phối hợp) answer to the lead agency, not to the leader.
 *
 * assigned = doneOnTime + doneLate + overdue + inProgress, where
 * inProgress is every open task not yet past its deadline (received, in
 * progress, extended; a report of done awaiting the office's confirmation
 * included). The on-time rate is done on time over the tasks whose outcome
 * is known (done, or past their deadline): a task not yet due does not
 * lower it.
 */
export interface DirectiveCompletion {
  organisation: string;
  assigned: number;
  doneOnTime: number;
  doneLate: number;
  overdue: number;
  inProgress: number;
  /** Of the assigned, those whose deadline was extended (in any status). */
  extended: number;
  /** doneOnTime over doneOnTime + doneLate + overdue. */
  onTimeRate: Ratio;
  /** Tasks of the agency without a deadline (thường xuyên), open at `asOf`: not in `assigned`. */
  regular: number;
  /** Tasks of the period cancelled by `asOf`: not in `assigned`. */
  cancelled: number;
}

/** One thing counted: a task or an occurrence, with its lead agency and its state at `asOf`. */
export interface CountedTask {
  lead: string;
  state: TaskState;
}

function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, value: denominator === 0 ? null : numerator / denominator };
}

function empty(organisation: string): DirectiveCompletion {
  return { organisation, assigned: 0, doneOnTime: 0, doneLate: 0, overdue: 0, inProgress: 0, extended: 0, onTimeRate: ratio(0, 0), regular: 0, cancelled: 0 };
}

/**
 * The completion figures of each lead agency for the period `from`…`to`
 * (Vietnam dates, inclusive), from the tasks' states at one instant (see
 * the rules above), by organisation code. Agencies with nothing counted
 * do not appear.
 */
export function directiveCompletion(tasks: readonly CountedTask[], period: { from: IsoDate; to: IsoDate }): DirectiveCompletion[] {
  const by = new Map<string, DirectiveCompletion>();
  const row = (code: string) => {
    let r = by.get(code);
    if (!r) by.set(code, (r = empty(code)));
    return r;
  };
  for (const { lead, state } of tasks) {
    if (state.deadline === null) {
      if (state.status !== 'cancelled' && state.status !== 'done_on_time') row(lead).regular++;
      continue;
    }
    if (state.deadline < period.from || state.deadline > period.to) continue;
    const r = row(lead);
    if (state.status === 'cancelled') {
      r.cancelled++;
      continue;
    }
    r.assigned++;
    if (state.extended) r.extended++;
    if (state.status === 'done_on_time') r.doneOnTime++;
    else if (state.status === 'done_late') r.doneLate++;
    else if (state.status === 'overdue') r.overdue++;
    else r.inProgress++;
  }
  const out = [...by.values()].sort((a, b) => a.organisation.localeCompare(b.organisation));
  for (const r of out) r.onTimeRate = ratio(r.doneOnTime, r.doneOnTime + r.doneLate + r.overdue);
  return out;
}

/** The figures of several agencies added up (a province's total): rates recomputed from the summed parts, never averaged. */
export function sumCompletion(rows: readonly DirectiveCompletion[], organisation: string): DirectiveCompletion {
  const t = empty(organisation);
  for (const r of rows) {
    t.assigned += r.assigned;
    t.doneOnTime += r.doneOnTime;
    t.doneLate += r.doneLate;
    t.overdue += r.overdue;
    t.inProgress += r.inProgress;
    t.extended += r.extended;
    t.regular += r.regular;
    t.cancelled += r.cancelled;
  }
  t.onTimeRate = ratio(t.doneOnTime, t.doneOnTime + t.doneLate + t.overdue);
  return t;
}

/** A task's events, addressed to the task and, for a recurring task, the occurrence (null for a task due once). */
export interface AddressedTaskEvent {
  taskKey: string;
  occurrence: string | null;
  event: TaskEvent;
}

/** One task or occurrence of a document with its state. */
export interface DocumentOccurrence extends CountedTask {
  taskKey: string;
  occurrence: string | null;
}

/**
 * Every task of a document as things to count at `asOf`: a task due once
 * as itself, a recurring task as its occurrences falling due from the
 * document's date through `through` (a period's end, say), a regular task
 * as itself without a deadline; each folded from its own events.
 */
export function documentOccurrences(
  document: Pick<DirectiveDocument, 'date' | 'confirmDone' | 'tasks'>,
  events: readonly AddressedTaskEvent[],
  asOf: string | Date,
  through: IsoDate,
): DocumentOccurrence[] {
  const out: DocumentOccurrence[] = [];
  for (const task of document.tasks) {
    const own = (occurrence: string | null) => events.filter((e) => e.taskKey === task.key && e.occurrence === occurrence).map((e) => e.event);
    if (task.deadline.kind === 'regular') {
      out.push({ taskKey: task.key, occurrence: null, lead: task.lead, state: taskState({ deadline: null, confirmDone: document.confirmDone }, own(null), asOf) });
      continue;
    }
    for (const o of taskOccurrences(task.deadline, { from: document.date, to: through })) {
      out.push({ taskKey: task.key, occurrence: o.key, lead: task.lead, state: taskState({ deadline: o.deadline, confirmDone: document.confirmDone }, own(o.key), asOf) });
    }
  }
  return out;
}
