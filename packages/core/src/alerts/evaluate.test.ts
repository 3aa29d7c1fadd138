import { describe, expect, it } from 'vitest';
import { canMoveAlert, deadlineWindow, escalationStep, nextWebhookAttempt, noDataSince, rateExceeded, sopDueTimes, thresholdState } from './evaluate';
import { checkRule, ruleParameters, thresholdParametersSchema } from './rules';

const now = new Date('2026-11-28T03:00:00Z');

describe('thresholdState', () => {
  const p = thresholdParametersSchema.parse({ high: 50, band: 5 });

  it('raises at the threshold and clears only below threshold − band (no flapping)', () => {
    const values = [40, 49.9, 50, 48, 45.5, 51, 45, 44.9, 49, 50];
    let open: 'high' | 'low' | null = null;
    const states = values.map((v) => (open = thresholdState(p, v, open)));
    expect(states).toEqual([null, null, 'high', 'high', 'high', 'high', 'high', null, null, 'high']);
  });

  it('watches the low side with its own band', () => {
    const low = thresholdParametersSchema.parse({ low: 10, band: 2 });
    expect(thresholdState(low, 10, null)).toBe('low');
    expect(thresholdState(low, 11.5, 'low')).toBe('low');
    expect(thresholdState(low, 12.1, 'low')).toBeNull();
    expect(thresholdState(low, 11, null)).toBeNull();
  });

  it('moves from one side to the other without clearing in between', () => {
    const both = thresholdParametersSchema.parse({ high: 50, low: 10, band: 5 });
    expect(thresholdState(both, 5, 'high')).toBe('low');
    expect(thresholdState(both, 30, 'high')).toBeNull();
  });

  it('needs high or low', () => {
    expect(thresholdParametersSchema.safeParse({ band: 1 }).success).toBe(false);
  });
});

describe('rateExceeded', () => {
  const p = ruleParameters('rate_of_change', { maxPerHour: 10 });
  it('compares consecutive values per hour, in either direction by default', () => {
    expect(rateExceeded(p, { at: '2026-11-28T01:00:00Z', value: 20 }, { at: '2026-11-28T01:30:00Z', value: 26 })).toBe(12);
    expect(rateExceeded(p, { at: '2026-11-28T01:00:00Z', value: 20 }, { at: '2026-11-28T03:00:00Z', value: 35 })).toBeNull();
    expect(rateExceeded(p, { at: '2026-11-28T01:00:00Z', value: 20 }, { at: '2026-11-28T02:00:00Z', value: 5 })).toBe(-15);
  });
  it('respects the direction and ignores values out of order or without a predecessor', () => {
    const up = ruleParameters('rate_of_change', { maxPerHour: 10, direction: 'up' });
    expect(rateExceeded(up, { at: '2026-11-28T01:00:00Z', value: 20 }, { at: '2026-11-28T02:00:00Z', value: 5 })).toBeNull();
    expect(rateExceeded(p, { at: '2026-11-28T02:00:00Z', value: 20 }, { at: '2026-11-28T01:00:00Z', value: 99 })).toBeNull();
    expect(rateExceeded(p, null, { at: '2026-11-28T01:00:00Z', value: 99 })).toBeNull();
  });
});

describe('noDataSince', () => {
  const p = ruleParameters('no_data', { periodMinutes: 15, periods: 4 });
  it('is silent after N periods without a value', () => {
    expect(noDataSince(p, '2026-11-28T02:00:00Z', '2026-01-01T00:00:00Z', now)).toBe('2026-11-28T03:00:00.000Z');
    expect(noDataSince(p, '2026-11-28T02:01:00Z', '2026-01-01T00:00:00Z', now)).toBeNull();
  });
  it('counts from the rule when nothing ever arrived', () => {
    expect(noDataSince(p, null, '2026-11-28T02:30:00Z', now)).toBeNull();
    expect(noDataSince(p, null, '2026-11-28T01:00:00Z', now)).toBe('2026-11-28T02:00:00.000Z');
  });
});

describe('deadlineWindow', () => {
  it('warns within 24 hours and flags overdue once past', () => {
    expect(deadlineWindow('2026-11-29T02:00:00Z', now, 24)).toBe('due_soon');
    expect(deadlineWindow('2026-11-29T03:00:00Z', now, 24)).toBe('due_soon');
    expect(deadlineWindow('2026-11-29T03:00:01Z', now, 24)).toBeNull();
    expect(deadlineWindow('2026-11-28T03:00:00Z', now, 24)).toBe('overdue');
  });
});

describe('escalationStep', () => {
  const table = [
    { afterMinutes: 30, level: 2, notify: [] },
    { afterMinutes: 15, level: 1, notify: [] },
  ];
  it('reaches the last step whose minutes have passed while unacknowledged', () => {
    expect(escalationStep(table, 'open', '2026-11-28T02:50:00Z', now)).toBeNull();
    expect(escalationStep(table, 'open', '2026-11-28T02:45:00Z', now)?.level).toBe(1);
    expect(escalationStep(table, 'open', '2026-11-28T02:00:00Z', now)?.level).toBe(2);
  });
  it('stops once acknowledged or resolved', () => {
    expect(escalationStep(table, 'acknowledged', '2026-11-28T02:00:00Z', now)).toBeNull();
    expect(escalationStep(table, 'resolved', '2026-11-28T02:00:00Z', now)).toBeNull();
  });
});

describe('lifecycle, retries, procedures', () => {
  it('allows open → acknowledged → resolved only', () => {
    expect(canMoveAlert('open', 'acknowledged')).toBe(true);
    expect(canMoveAlert('open', 'resolved')).toBe(true);
    expect(canMoveAlert('acknowledged', 'resolved')).toBe(true);
    expect(canMoveAlert('acknowledged', 'open')).toBe(false);
    expect(canMoveAlert('resolved', 'acknowledged')).toBe(false);
  });
  it('backs off exponentially and gives up after the last attempt', () => {
    const at = new Date('2026-11-28T03:00:00Z');
    expect(nextWebhookAttempt(1, at)?.toISOString()).toBe('2026-11-28T03:00:30.000Z');
    expect(nextWebhookAttempt(2, at)?.toISOString()).toBe('2026-11-28T03:01:00.000Z');
    expect(nextWebhookAttempt(4, at)?.toISOString()).toBe('2026-11-28T03:04:00.000Z');
    expect(nextWebhookAttempt(5, at)).toBeNull();
  });
  it('dates each procedure step from the start and the steps before it', () => {
    expect(sopDueTimes('2026-11-28T03:00:00Z', [{ expectedMinutes: 10 }, { expectedMinutes: 50 }])).toEqual(['2026-11-28T03:10:00.000Z', '2026-11-28T04:00:00.000Z']);
  });
});

describe('checkRule', () => {
  it('names what does not fit the kind', () => {
    expect(checkRule({ kind: 'threshold', subject: { indicator: 'PM25' }, parameters: { high: 50 }, escalation: [] })).toEqual([]);
    expect(checkRule({ kind: 'threshold', subject: { source: 'X' }, parameters: {}, escalation: [] })).toEqual([
      'parameters: needs `high`, `low` or both',
      'subject.source: not used by a threshold rule',
      'subject: needs either `indicator` or `datastream`',
    ]);
    expect(checkRule({ kind: 'no_data', subject: { indicator: 'PM25' }, parameters: { periodMinutes: 15, periods: 2 }, escalation: [] })).toEqual(['subject.place: a no_data rule on an indicator needs a place']);
    expect(
      checkRule({ kind: 'source_freshness', subject: {}, parameters: {}, escalation: [{ afterMinutes: 30, level: 1, notify: [] }, { afterMinutes: 10, level: 2, notify: [] }] }),
    ).toEqual(['escalation: steps must come in increasing afterMinutes']);
  });
});
