import { addDays, vietnamDate, type IsoDate } from '../dates';

/**
 * The measures of Decision 766/QĐ-TTg over public-service dossiers (hồ sơ
 * TTHC) for one reporting period. Days are days in Vietnam (UTC+7); a
 * dossier is counted from its instants, so the same function serves any
 * agency, place or period the caller filters the dossiers by.
 */
export interface Dossier {
  /** When the dossier was received (ISO instant). */
  receivedAt: string;
  /** When the result is due (ISO instant). */
  dueAt: string;
  /** When the result was given, or null while in process. */
  resolvedAt: string | null;
  channel: 'online' | 'offline';
}

/** A ratio kept as its parts (never add up ratios): value is null when nothing was counted. */
export interface Ratio {
  numerator: number;
  denominator: number;
  value: number | null;
}

export interface DossierMeasures {
  /** Received during the period. */
  received: number;
  /** Received before the period and not resolved before it began (tồn kỳ trước chuyển sang). */
  carriedOver: number;
  /** received + carriedOver (tổng số hồ sơ phải giải quyết). */
  toProcess: number;
  /** Resolved during the period, up to `asOf`. */
  processed: { total: number; early: number; onTime: number; late: number };
  /** Not resolved at `asOf`: past due, due within 24 hours, not yet due. */
  inProcess: { total: number; late: number; dueSoon: number; notYetDue: number };
  /** Processed late over processed. */
  lateRate: Ratio;
  /** Processed early or on time over processed. */
  onTimeRate: Ratio;
  /** Received online over received. */
  onlineRate: Ratio;
}

const DAY_MS = 86_400_000;

function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, value: denominator === 0 ? null : numerator / denominator };
}

/** The first instant of a Vietnam calendar day, as epoch milliseconds. */
function startOfVietnamDay(date: IsoDate): number {
  return Date.parse(`${date}T00:00:00+07:00`);
}

/**
 * Where one dossier stands as of an instant, by Decision 766: resolved
 * before its due day (early), on its due day by the due instant (on time)
 * or after it (late); not resolved by then (in process): past due, due
 * within 24 hours, or not yet due. A dossier resolved after `asOf` is in
 * process as of it.
 */
export const DOSSIER_STATES = ['early', 'on_time', 'late', 'in_process_late', 'due_soon', 'not_yet_due'] as const;
export type DossierState = (typeof DOSSIER_STATES)[number];

/** The Decision 766 state of a dossier as of `asOf` (an ISO instant or epoch milliseconds). The measures count these. */
export function dossierState(d: Pick<Dossier, 'dueAt' | 'resolvedAt'>, asOf: string | number): DossierState {
  const at = typeof asOf === 'number' ? asOf : Date.parse(asOf);
  const dueAt = Date.parse(d.dueAt);
  const resolvedAt = d.resolvedAt === null ? null : Date.parse(d.resolvedAt);
  if (resolvedAt !== null && resolvedAt < at) {
    if (resolvedAt > dueAt) return 'late';
    return vietnamDate(new Date(resolvedAt)) < vietnamDate(new Date(dueAt)) ? 'early' : 'on_time';
  }
  if (dueAt < at) return 'in_process_late';
  return dueAt - at <= DAY_MS ? 'due_soon' : 'not_yet_due';
}

/** Days past due as of `asOf` of a late dossier (until it was resolved, or until `asOf` while in process); null when it is not late. */
export function dossierDaysLate(d: Pick<Dossier, 'dueAt' | 'resolvedAt'>, asOf: string | number): number | null {
  const state = dossierState(d, asOf);
  if (state !== 'late' && state !== 'in_process_late') return null;
  const until = state === 'late' && d.resolvedAt !== null ? Date.parse(d.resolvedAt) : typeof asOf === 'number' ? asOf : Date.parse(asOf);
  return (until - Date.parse(d.dueAt)) / DAY_MS;
}

/**
 * Counts a period `from`…`to` (Vietnam dates, inclusive) as of `asOf`
 * (default: the end of the period). A dossier resolved before its due
 * day is early, on its due day but not after the due instant on time,
 * after the due instant late. An unresolved dossier is late once its due
 * instant has passed at `asOf`, about to be late when due within 24 hours.
 */
export function dossierMeasures(dossiers: readonly Dossier[], period: { from: IsoDate; to: IsoDate; asOf?: string }): DossierMeasures {
  const start = startOfVietnamDay(period.from);
  const periodEnd = startOfVietnamDay(addDays(period.to, 1));
  const asOf = Math.min(period.asOf === undefined ? periodEnd : Date.parse(period.asOf), periodEnd);
  let received = 0;
  let carriedOver = 0;
  let online = 0;
  const processed = { total: 0, early: 0, onTime: 0, late: 0 };
  const inProcess = { total: 0, late: 0, dueSoon: 0, notYetDue: 0 };
  for (const d of dossiers) {
    const receivedAt = Date.parse(d.receivedAt);
    const resolvedAt = d.resolvedAt === null ? null : Date.parse(d.resolvedAt);
    if (receivedAt >= asOf) continue;
    if (receivedAt >= start) {
      received++;
      if (d.channel === 'online') online++;
    } else if (resolvedAt === null || resolvedAt >= start) {
      carriedOver++;
    } else {
      continue;
    }
    const state = dossierState(d, asOf);
    if (state === 'early' || state === 'on_time' || state === 'late') {
      processed.total++;
      if (state === 'late') processed.late++;
      else if (state === 'early') processed.early++;
      else processed.onTime++;
    } else {
      inProcess.total++;
      if (state === 'in_process_late') inProcess.late++;
      else if (state === 'due_soon') inProcess.dueSoon++;
      else inProcess.notYetDue++;
    }
  }
  return {
    received,
    carriedOver,
    toProcess: received + carriedOver,
    processed,
    inProcess,
    lateRate: ratio(processed.late, processed.total),
    onTimeRate: ratio(processed.early + processed.onTime, processed.total),
    onlineRate: ratio(online, received),
  };
}
