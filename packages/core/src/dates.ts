import { z } from 'zod';

/**
 * Calendar dates are `YYYY-MM-DD` strings everywhere (API, database, domain):
 * they compare correctly as strings and never shift with a time zone.
 * "Today" is today in Vietnam (UTC+7, no daylight saving), the province's clock.
 */
export const VIETNAM_UTC_OFFSET_MINUTES = 7 * 60;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `s` is a real calendar date written as YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

export const isoDateSchema = z
  .string()
  .refine(isIsoDate, { message: 'must be a calendar date written YYYY-MM-DD' })
  .describe('A calendar date, YYYY-MM-DD');

export type IsoDate = string;

/** `?at=YYYY-MM-DD`: the date an answer is as of; default today in Vietnam. */
export const atQuery = z.object({
  at: isoDateSchema.optional().describe('The date the answer is as of (YYYY-MM-DD); default: today in Vietnam (UTC+7)'),
});

/** The calendar date in Vietnam at the given instant. */
export function vietnamDate(instant: Date): IsoDate {
  const shifted = new Date(instant.getTime() + VIETNAM_UTC_OFFSET_MINUTES * 60_000);
  return shifted.toISOString().slice(0, 10);
}

/** The number of days in a month (1–12) of a year, leap years included. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Writes a year, month (1–12) and day as `YYYY-MM-DD`. */
export function isoDateOf(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The year, month (1–12) and day of a `YYYY-MM-DD` date. */
export function dateParts(date: IsoDate): { year: number; month: number; day: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

/** The date `days` days after `date` (before it when negative). */
export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The day before `date`. */
export function previousDay(date: IsoDate): IsoDate {
  return addDays(date, -1);
}

/** Whether a unit valid from `from` to `to` (both inclusive, null = open) is valid on `at`. */
export function isValidOn(at: IsoDate, from: IsoDate | null, to: IsoDate | null): boolean {
  return (from === null || from <= at) && (to === null || at <= to);
}

/** Today's date in Vietnam by the given clock: the default of every `at` parameter. */
export function todayIn(clock: Clock): IsoDate {
  return vietnamDate(clock.now());
}

/** A clock the server and jobs read the time from; tests pass a fixed one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(iso: string): Clock {
  const t = new Date(iso);
  return { now: () => new Date(t) };
}
