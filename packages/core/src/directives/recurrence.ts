import { daysInMonth, isoDateOf, type IsoDate } from '../dates';
import type { RecurringDeadline, TaskDeadline } from './schemas';

/**
 * The occurrences of a task: one for a task due by a date, one per period
 * for a recurring task, none for a regular one (it has no deadline). Each
 * occurrence has its own deadline and its own reports, and is judged on
 * its own: March done late does not make April late.
 */
export interface TaskOccurrence {
  /**
   * Which occurrence: null for a task due once; the period it falls in for
   * a recurring task, as the catalogue writes periods: 2026-03 (monthly),
   * 2026-Q1 (quarterly), 2026 (yearly).
   */
  key: string | null;
  /** Due by the end of this day, Vietnam time. */
  deadline: IsoDate;
}

/** The day of a month a recurrence falls due on: its day, or the month's last when the month is shorter (31 → 30 April, 28 or 29 February). */
function dueDay(year: number, month: number, day: number): IsoDate {
  return isoDateOf(year, month, Math.min(day, daysInMonth(year, month)));
}

/** The occurrence of a recurrence in a year and month, when one falls due that month. */
function occurrenceIn(d: RecurringDeadline, year: number, month: number): TaskOccurrence | null {
  switch (d.kind) {
    case 'monthly':
      return { key: `${year}-${String(month).padStart(2, '0')}`, deadline: dueDay(year, month, d.day) };
    case 'quarterly': {
      const quarter = Math.ceil(month / 3);
      return month === (quarter - 1) * 3 + d.month ? { key: `${year}-Q${quarter}`, deadline: dueDay(year, month, d.day) } : null;
    }
    case 'yearly':
      return month === d.month ? { key: `${year}`, deadline: dueDay(year, month, d.day) } : null;
  }
}

/**
 * The occurrences of a task falling due from `from` (the document's date)
 * through `to` (both inclusive; a recurrence's `until` ends it sooner), in
 * order. An occurrence due on the document's own date is included; one
 * due before it is not (a document of 28 March asking for a report by the
 * 25th of each month first asks for April's). A task due once has its one
 * occurrence whatever the window, as it was assigned whatever the window.
 */
export function taskOccurrences(deadline: TaskDeadline, window: { from: IsoDate; to: IsoDate }): TaskOccurrence[] {
  if (deadline.kind === 'regular') return [];
  if (deadline.kind === 'date') return [{ key: null, deadline: deadline.date }];
  const last = deadline.until !== null && deadline.until < window.to ? deadline.until : window.to;
  const out: TaskOccurrence[] = [];
  let year = Number(window.from.slice(0, 4));
  let month = Number(window.from.slice(5, 7));
  while (isoDateOf(year, month, 1) <= last) {
    const o = occurrenceIn(deadline, year, month);
    if (o && o.deadline >= window.from && o.deadline <= last) out.push(o);
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  return out;
}
