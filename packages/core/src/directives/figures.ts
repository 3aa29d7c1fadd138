import type { IsoDate } from '../dates';
import { monthBounds, type OperationalFigure } from '../operations';
import { directiveCompletion, sumCompletion, type CountedTask, type DirectiveCompletion } from './completion';

/**
 * The completion of leadership directives as indicators of the catalogue
 * (data/indicators/directives.json), so that they appear wherever figures
 * do: the overview, rankings of agencies, dashboards and the wall, the PAR
 * Index's computed criteria.
 *
 * - Period: the month, as `directiveCompletion` counts it (tasks whose
 *   deadline in force falls within it, each occurrence of a recurring task
 *   on its own; cancelled and regular tasks in no figure). Every count adds
 *   up over time, so a quarter's or a year's figure is the sum of its months
 *   and the on-time rate of a year is recomputed from the year's counts
 *   (DIR_ON_TIME_RATE = DIR_DONE_ON_TIME / DIR_JUDGED, DIR_JUDGED = on time
 *   + late + overdue), never averaged over months.
 * - As of when: every month is judged now, as the directives screen judges
 *   it, so a March task done in April counts in March as done late, and a
 *   task due on a day becomes overdue at 00:00 the next day in Vietnam.
 * - Who: the lead agency (chủ trì), its figures filed for it (organisation)
 *   at the place it serves; the province's total, the sum of its agencies,
 *   filed for the province without an organisation.
 */

/** The system's source the figures are filed under (channel `derived`). */
export const DIRECTIVE_SOURCE = 'WF-DIRECTIVES';

/** The stored counts and the part of a completion row each one is. */
export const DIRECTIVE_INDICATORS = {
  DIR_ASSIGNED: 'assigned',
  DIR_DONE_ON_TIME: 'doneOnTime',
  DIR_DONE_LATE: 'doneLate',
  DIR_OVERDUE: 'overdue',
  DIR_IN_PROGRESS: 'inProgress',
} as const satisfies Record<string, keyof DirectiveCompletion>;

/** The on-time rate in percent, a ratio of the catalogue over the stored counts. */
export const DIRECTIVE_ON_TIME_RATE = 'DIR_ON_TIME_RATE';

/** Whether an indicator is one of the directive figures: its agencies' figures lead to their tasks. */
export const isDirectiveIndicator = (code: string): boolean => code.startsWith('DIR_');

/** Where an agency's figures are filed: the place it serves, else the province. */
export interface DirectiveFigurePlaces {
  province: string;
  placeOf: (organisation: string) => string | null;
}

/** The months (YYYY-MM) in which some counted task or occurrence falls due, up to and including `through`'s month. */
export function directiveFigureMonths(counted: readonly CountedTask[], through: IsoDate): string[] {
  const last = through.slice(0, 7);
  const months = new Set<string>();
  for (const c of counted) if (c.state.deadline !== null && c.state.deadline.slice(0, 7) <= last) months.add(c.state.deadline.slice(0, 7));
  return [...months].sort();
}

/**
 * The figures of one month: each lead agency with a task due in it (every
 * count, zeros included) and the province's total. A month without any
 * task due has none (a figure stored before is then written back to zero by
 * `figureChanges`).
 */
export function directiveMonthFigures(counted: readonly CountedTask[], month: string, places: DirectiveFigurePlaces): OperationalFigure[] {
  const rows = directiveCompletion(counted, monthBounds(month)).filter((r) => r.assigned > 0);
  if (rows.length === 0) return [];
  const out: OperationalFigure[] = [];
  const push = (r: DirectiveCompletion, place: string, organisation: string) => {
    for (const [indicator, field] of Object.entries(DIRECTIVE_INDICATORS)) out.push({ indicator, place, organisation, value: r[field] });
  };
  for (const r of rows) push(r, places.placeOf(r.organisation) ?? places.province, r.organisation);
  push(sumCompletion(rows, ''), places.province, '');
  return out;
}

/** The last day of the year of a date: figures are kept for every month of the year under way, so the year's add up to what the directives screen shows for it. */
export function endOfYear(date: IsoDate): IsoDate {
  return `${date.slice(0, 4)}-12-31`;
}
