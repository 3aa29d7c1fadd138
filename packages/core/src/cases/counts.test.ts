import { describe, expect, it } from 'vitest';
import { caseCounts, type CountedCase } from './counts';

const c = (receivedAt: string, deadlineAt: string, resolvedAt: string | null, satisfaction: number | null = null): CountedCase => ({
  receivedAt: `${receivedAt}+07:00`,
  deadlineAt: `${deadlineAt}+07:00`,
  resolvedAt: resolvedAt === null ? null : `${resolvedAt}+07:00`,
  satisfaction,
});

describe('case counts', () => {
  const cases = [
    c('2026-10-30T08:00:00', '2026-11-02T08:00:00', '2026-11-01T09:00:00', 5), // October, resolved in November on time, satisfied
    c('2026-11-03T08:00:00', '2026-11-05T08:00:00', '2026-11-06T08:00:00', 2), // late, rated unsatisfied
    c('2026-11-10T08:00:00', '2026-11-12T08:00:00', '2026-11-12T08:00:00', 4), // resolved exactly at the deadline: on time
    c('2026-11-30T23:30:00', '2026-12-02T23:30:00', null), // last half hour of November (Vietnam): received in November
    c('2026-12-01T00:10:00', '2026-12-03T00:10:00', '2026-12-01T10:00:00'), // December
  ];

  it('counts November by hand', () => {
    expect(caseCounts(cases, { from: '2026-11-01', to: '2026-11-30' })).toEqual({ received: 3, processed: 3, processedOnTime: 2, rated: 3, satisfied: 2 });
  });

  it('counts December apart', () => {
    expect(caseCounts(cases, { from: '2026-12-01', to: '2026-12-31' })).toEqual({ received: 1, processed: 1, processedOnTime: 1, rated: 0, satisfied: 0 });
  });
});
