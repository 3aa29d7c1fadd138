import { describe, expect, it } from 'vitest';
import { AppError } from '@watchfloor/core';
import { firstRun, nextRunAfter, retryDelayMs } from './schedule';
import { checkSchedule } from '../sources/checks';

const at = new Date('2026-11-28T03:00:00Z'); // 10:00 in Vietnam

describe('pull schedules', () => {
  it('reads cron expressions in Vietnam time', () => {
    // 07:00 in Vietnam has passed today: tomorrow, 00:00 UTC.
    expect(nextRunAfter('0 7 * * *', at)?.toISOString()).toBe('2026-11-29T00:00:00.000Z');
    // The 5th of each month at 08:00 Vietnam time.
    expect(nextRunAfter('0 8 5 * *', at)?.toISOString()).toBe('2026-12-05T01:00:00.000Z');
    expect(firstRun('0 7 * * *', at)?.toISOString()).toBe('2026-11-29T00:00:00.000Z');
  });

  it('adds durations, calendar months included; a duration schedule first runs at once', () => {
    expect(nextRunAfter('PT15M', at)?.toISOString()).toBe('2026-11-28T03:15:00.000Z');
    expect(nextRunAfter('P1M', at)?.toISOString()).toBe('2026-12-28T03:00:00.000Z');
    expect(firstRun('PT15M', at)).toEqual(at);
    expect(nextRunAfter(null, at)).toBeNull();
  });

  it('retries after 30 s, 1 min, 2 min … and never waits more than an hour', () => {
    expect([1, 2, 3, 4, 7, 8, 50].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000]);
  });

  it('refuses a cron expression croner cannot read', () => {
    expect(() => checkSchedule('61 * * * *')).toThrow(AppError);
    expect(() => checkSchedule('*/5 * * * *')).not.toThrow();
    expect(() => checkSchedule('PT1H')).not.toThrow();
  });
});
