import { describe, expect, it } from 'vitest';
import { defaultPreferences, fillGatewayTemplate, heldBack, nextMessageAttempt, quietUntil, severityAtLeast } from './index';

describe('quiet hours', () => {
  const night = { from: '22:00', to: '06:00' };
  it('span midnight on Vietnam time and end at their end', () => {
    // 15:30Z is 22:30 in Vietnam: quiet until 06:00 = 23:00Z.
    expect(quietUntil(night, new Date('2026-11-28T15:30:00Z'))?.toISOString()).toBe('2026-11-28T23:00:00.000Z');
    // 21:15Z is 04:15 the next day in Vietnam: still quiet, until 23:00Z.
    expect(quietUntil(night, new Date('2026-11-28T21:15:40Z'))?.toISOString()).toBe('2026-11-28T23:00:00.000Z');
    // 23:00Z is 06:00 in Vietnam: over.
    expect(quietUntil(night, new Date('2026-11-28T23:00:00Z'))).toBeNull();
    // 03:00Z is 10:00: not quiet.
    expect(quietUntil(night, new Date('2026-11-28T03:00:00Z'))).toBeNull();
  });
  it('within one day, and none when both ends are equal', () => {
    // 12:00–13:30 in Vietnam; 05:10Z is 12:10: until 13:30 = 06:30Z.
    expect(quietUntil({ from: '12:00', to: '13:30' }, new Date('2026-11-28T05:10:00Z'))?.toISOString()).toBe('2026-11-28T06:30:00.000Z');
    expect(quietUntil({ from: '12:00', to: '12:00' }, new Date('2026-11-28T05:10:00Z'))).toBeNull();
  });
  it('hold back what is not critical only', () => {
    const at = new Date('2026-11-28T16:00:00Z');
    expect(heldBack('warning', night, at)?.toISOString()).toBe('2026-11-28T23:00:00.000Z');
    expect(heldBack('info', night, at)).not.toBeNull();
    expect(heldBack('critical', night, at)).toBeNull();
  });
});

describe('message preferences and delivery', () => {
  it('default by role: operators from warnings, leaders critical only', () => {
    expect(defaultPreferences(['operator']).minSeverity).toBe('warning');
    expect(defaultPreferences(['leader']).minSeverity).toBe('critical');
    expect(severityAtLeast('critical', 'warning')).toBe(true);
    expect(severityAtLeast('info', 'warning')).toBe(false);
  });
  it('retry after 1, 5, 30 minutes, then give up', () => {
    const now = new Date('2026-11-28T00:00:00Z');
    const retry = { attempts: 4, delaysMs: [60_000, 300_000, 1_800_000] };
    expect(nextMessageAttempt(1, now, retry)?.toISOString()).toBe('2026-11-28T00:01:00.000Z');
    expect(nextMessageAttempt(2, now, retry)?.toISOString()).toBe('2026-11-28T00:05:00.000Z');
    expect(nextMessageAttempt(3, now, retry)?.toISOString()).toBe('2026-11-28T00:30:00.000Z');
    expect(nextMessageAttempt(4, now, retry)).toBeNull();
  });
  it('fill a JSON gateway template so it stays JSON whatever the text holds', () => {
    const body = fillGatewayTemplate('{"to":"{{to}}","text":"{{ text }}"}', { to: '84912345678', text: 'Mưa "lớn"\nở Trà Vinh', subject: '', id: '1' });
    expect(JSON.parse(body)).toEqual({ to: '84912345678', text: 'Mưa "lớn"\nở Trà Vinh' });
  });
});
