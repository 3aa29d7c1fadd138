import { describe, expect, it } from 'vitest';
import { dossierDaysLate, dossierMeasures, dossierState, type Dossier } from './measures';

// Instants written in Vietnam's time (+07:00) so the hand count reads like the calendar.
const d = (receivedAt: string, dueAt: string, resolvedAt: string | null, channel: Dossier['channel'] = 'offline'): Dossier => ({
  receivedAt: `${receivedAt}+07:00`,
  dueAt: `${dueAt}+07:00`,
  resolvedAt: resolvedAt === null ? null : `${resolvedAt}+07:00`,
  channel,
});

describe('Decision 766 dossier measures', () => {
  // November 2026, counted at its end (1 December 00:00 in Vietnam).
  const november = { from: '2026-11-01', to: '2026-11-30' };
  const dossiers: Dossier[] = [
    // A: October, resolved in October: not counted at all.
    d('2026-10-05T08:00:00', '2026-10-10T17:00:00', '2026-10-09T10:00:00'),
    // B: October, still open on 1 November: carried over, resolved early (a day before the due day).
    d('2026-10-20T08:00:00', '2026-11-05T17:00:00', '2026-11-04T09:00:00', 'online'),
    // C: October, carried over, resolved after its due instant: late.
    d('2026-10-25T08:00:00', '2026-11-02T17:00:00', '2026-11-03T08:00:00'),
    // D: October, carried over, never resolved, due long ago: in process, late.
    d('2026-10-28T08:00:00', '2026-11-10T17:00:00', null),
    // E: November, online, resolved on its due day before the due hour: on time.
    d('2026-11-10T08:00:00', '2026-11-15T17:00:00', '2026-11-15T16:00:00', 'online'),
    // F: November, online, open, due 1 December 15:00: within 24 h of the end of the period: about to be late.
    d('2026-11-25T08:00:00', '2026-12-01T15:00:00', null, 'online'),
    // G: November, open, due 1 December 00:30 — 30 minutes after the period ends: about to be late.
    d('2026-11-26T08:00:00', '2026-12-01T00:30:00', null),
    // H: November, open, due 10 December: not yet due.
    d('2026-11-27T08:00:00', '2026-12-10T17:00:00', null),
    // I: November, resolved in December: in process at the end of November, not yet due (due 5 December).
    d('2026-11-28T08:00:00', '2026-12-05T17:00:00', '2026-12-02T09:00:00'),
    // J: received in December: outside the period.
    d('2026-12-01T08:00:00', '2026-12-04T17:00:00', null, 'online'),
  ];

  it('counts received, carry-over, processed and in process by hand', () => {
    const m = dossierMeasures(dossiers, november);
    expect(m.received).toBe(5); // E F G H I
    expect(m.carriedOver).toBe(3); // B C D
    expect(m.toProcess).toBe(8);
    expect(m.processed).toEqual({ total: 3, early: 1, onTime: 1, late: 1 }); // B early, E on time, C late
    expect(m.inProcess).toEqual({ total: 5, late: 1, dueSoon: 2, notYetDue: 2 }); // D late; F, G due soon; H, I not yet
    expect(m.processed.total + m.inProcess.total).toBe(m.toProcess);
    expect(m.lateRate).toEqual({ numerator: 1, denominator: 3, value: 1 / 3 });
    expect(m.onTimeRate).toEqual({ numerator: 2, denominator: 3, value: 2 / 3 });
    expect(m.onlineRate).toEqual({ numerator: 2, denominator: 5, value: 0.4 }); // E F of 5 received
  });

  it('carries over into the next period what was open at its start', () => {
    const m = dossierMeasures(dossiers, { from: '2026-12-01', to: '2026-12-31' });
    // D F G H I were open on 1 December; J is new.
    expect(m.carriedOver).toBe(5);
    expect(m.received).toBe(1);
    expect(m.processed).toEqual({ total: 1, early: 1, onTime: 0, late: 0 }); // I, resolved 2 Dec, due 5 Dec
    // At the end of December every open dossier is past due.
    expect(m.inProcess).toEqual({ total: 5, late: 5, dueSoon: 0, notYetDue: 0 });
    expect(m.onlineRate).toEqual({ numerator: 1, denominator: 1, value: 1 });
  });

  it('counts a period in progress as of now', () => {
    // 30 November 16:00: G (due 1 Dec 00:30) and F (due 1 Dec 15:00) are within 24 h; I is not.
    const m = dossierMeasures(dossiers, { ...november, asOf: '2026-11-30T16:00:00+07:00' });
    expect(m.inProcess).toEqual({ total: 5, late: 1, dueSoon: 2, notYetDue: 2 });
    // 29 November 08:00 — I (received 28 Nov) counts, F is more than 24 h away; G is 40.5 h away.
    const early = dossierMeasures(dossiers, { ...november, asOf: '2026-11-29T08:00:00+07:00' });
    expect(early.inProcess).toEqual({ total: 5, late: 1, dueSoon: 0, notYetDue: 4 });
  });

  it('names each dossier\'s state as of an instant: the states the measures count', () => {
    const asOf = '2026-11-30T16:00:00+07:00';
    // B C D E F G H I of November's list (A and J are outside its period).
    expect(dossiers.slice(1, 9).map((x) => dossierState(x, asOf))).toEqual(['early', 'late', 'in_process_late', 'on_time', 'due_soon', 'due_soon', 'not_yet_due', 'not_yet_due']);
    // C was resolved 15 hours past due; D is 19 days and 23 hours past due at the instant.
    expect(dossierDaysLate(dossiers[2]!, asOf)).toBeCloseTo(15 / 24, 9);
    expect(dossierDaysLate(dossiers[3]!, asOf)).toBeCloseTo(19 + 23 / 24, 9);
    expect(dossierDaysLate(dossiers[4]!, asOf)).toBeNull();
  });

  it('leaves rates empty, not zero, when nothing was counted', () => {
    const m = dossierMeasures([], november);
    expect(m.toProcess).toBe(0);
    expect(m.lateRate).toEqual({ numerator: 0, denominator: 0, value: null });
    expect(m.onlineRate.value).toBeNull();
  });
});
