import { Cron } from 'croner';
import { addDuration, isoDurationSchema, parseIsoDuration } from '@watchfloor/core';
import { SCHEDULE_TIMEZONE } from '../sources/checks';


/** The first retry after a failure waits this long; each next one twice as long, up to RETRY_CAP_MS. */
export const RETRY_BASE_MS = 30_000;
export const RETRY_CAP_MS = 3_600_000;

const isDuration = (schedule: string): boolean => isoDurationSchema.safeParse(schedule).success;

/** The run after one that started at `from`: a duration later, or the cron's next instant after it; null without a schedule. */
export function nextRunAfter(schedule: string | null, from: Date): Date | null {
  if (schedule === null) return null;
  if (isDuration(schedule)) return addDuration(from, parseIsoDuration(schedule));
  return new Cron(schedule, { timezone: SCHEDULE_TIMEZONE, paused: true }).nextRun(from);
}

/** When a newly scheduled source first runs: right away for a duration, at the cron's next instant otherwise. */
export function firstRun(schedule: string, now: Date): Date | null {
  return isDuration(schedule) ? now : nextRunAfter(schedule, now);
}

/** The wait before retry number `attempts` (1 for the first failure): 30 s, 1 min, 2 min, … at most 1 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, Math.min(attempts - 1, 20)));
}

