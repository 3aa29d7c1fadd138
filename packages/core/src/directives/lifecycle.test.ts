import { describe, expect, it } from 'vitest';
import { replayTask, taskEventRefusal, taskEventSchema, taskState, type TaskEvent, type TaskEventInput, type TaskTerms } from './lifecycle';

/** An instant from a Vietnam wall-clock time (UTC+7): vn('2026-03-20T23:59:59') is 2026-03-20T16:59:59Z. */
const vn = (local: string) => new Date(`${local}+07:00`).toISOString();

const ev = (e: TaskEventInput): TaskEvent => taskEventSchema.parse(e);
const progress = (local: string, percent: number) => ev({ kind: 'progress', at: vn(local), actor: 'lead_agency', percent, text: `${percent} %` });
const done = (local: string) => ev({ kind: 'done', at: vn(local), actor: 'lead_agency', text: 'Đã hoàn thành' });
const confirmed = (local: string) => ev({ kind: 'done_confirmed', at: vn(local), actor: 'office' });
const doneRefused = (local: string) => ev({ kind: 'done_refused', at: vn(local), actor: 'office', reason: 'Chưa có báo cáo kết quả' });
const asked = (local: string, until: string) => ev({ kind: 'extension_requested', at: vn(local), actor: 'lead_agency', until, reason: 'Chờ ý kiến Bộ' });
const approved = (local: string, until: string) => ev({ kind: 'extension_approved', at: vn(local), actor: 'office', until });
const extensionRefused = (local: string) => ev({ kind: 'extension_refused', at: vn(local), actor: 'office', reason: 'Không có căn cứ' });
const cancelled = (local: string) => ev({ kind: 'cancelled', at: vn(local), actor: 'office', reason: 'Không còn phù hợp' });

/** Due by 20 March 2026; a report of done is enough. */
const terms: TaskTerms = { deadline: '2026-03-20', confirmDone: false };

describe('a task done before or after its deadline', () => {
  const events = [progress('2026-03-10T09:00:00', 50), done('2026-03-18T10:00:00')];

  it('is received, then in progress, then done on time with its percentages', () => {
    expect(taskState(terms, events, vn('2026-03-05T08:00:00'))).toMatchObject({ status: 'received', percent: 0, daysLate: 0, lastEventAt: null });
    expect(taskState(terms, events, vn('2026-03-15T08:00:00'))).toMatchObject({ status: 'in_progress', percent: 50, doneAt: null });
    expect(taskState(terms, events, vn('2026-04-01T08:00:00'))).toEqual({
      status: 'done_on_time',
      percent: 100,
      deadline: '2026-03-20',
      originalDeadline: '2026-03-20',
      extended: false,
      doneAt: '2026-03-18T03:00:00.000Z',
      awaitingConfirmation: false,
      extensionRequest: null,
      cancelledAt: null,
      daysLate: 0,
      lastEventAt: '2026-03-18T03:00:00.000Z',
    });
  });

  it('is on time when done at 23:59:59 of its deadline in Vietnam (16:59:59Z), late by a day one second later', () => {
    expect(taskState(terms, [ev({ kind: 'done', at: '2026-03-20T16:59:59Z', actor: 'lead_agency' })], '2026-04-01T00:00:00Z')).toMatchObject({ status: 'done_on_time', daysLate: 0 });
    expect(taskState(terms, [ev({ kind: 'done', at: '2026-03-20T17:00:00Z', actor: 'lead_agency' })], '2026-04-01T00:00:00Z')).toMatchObject({ status: 'done_late', daysLate: 1 });
  });

  it('is done late, by the Vietnam days past its deadline, when done after it', () => {
    // Done at 09:00 on 23 March in Vietnam: 23 − 20 = 3 days late.
    const s = taskState(terms, [progress('2026-03-10T09:00:00', 50), done('2026-03-23T09:00:00')], vn('2026-04-01T08:00:00'));
    expect(s).toMatchObject({ status: 'done_late', daysLate: 3, percent: 100, doneAt: '2026-03-23T02:00:00.000Z' });
  });
});

describe('overdue, judged at an instant in Vietnam time', () => {
  it('is not overdue at 23:59:59 of the deadline in Vietnam (16:59:59Z), and is at 00:00 the day after (17:00:00Z)', () => {
    expect(taskState(terms, [], '2026-03-20T16:59:59Z')).toMatchObject({ status: 'received', daysLate: 0 });
    expect(taskState(terms, [], '2026-03-20T17:00:00Z')).toMatchObject({ status: 'overdue', daysLate: 1 });
    const started = [progress('2026-03-12T09:00:00', 30)];
    expect(taskState(terms, started, '2026-03-20T16:59:59Z')).toMatchObject({ status: 'in_progress', percent: 30 });
    expect(taskState(terms, started, '2026-03-20T17:00:00Z')).toMatchObject({ status: 'overdue', percent: 30, daysLate: 1 });
  });

  it('counts the days late up to the Vietnam date asked about', () => {
    // 2026-03-25T17:00Z is 00:00 on 26 March in Vietnam: 26 − 20 = 6.
    expect(taskState(terms, [], '2026-03-25T17:00:00Z').daysLate).toBe(6);
    expect(taskState(terms, [], '2026-03-25T16:59:59Z').daysLate).toBe(5);
  });

  it('never makes a regular task (no deadline) overdue', () => {
    const regular = { deadline: null, confirmDone: false };
    expect(taskState(regular, [progress('2026-03-12T09:00:00', 30)], '2030-01-01T00:00:00Z')).toMatchObject({ status: 'in_progress', daysLate: 0, deadline: null });
    expect(taskState(regular, [done('2026-12-31T09:00:00')], '2030-01-01T00:00:00Z')).toMatchObject({ status: 'done_on_time', daysLate: 0 });
  });
});

describe('extensions', () => {
  const extended = [asked('2026-03-18T09:00:00', '2026-04-10'), approved('2026-03-19T09:00:00', '2026-04-05')];

  it('keeps the original deadline beside the new one the office gave, and is "extended" until then', () => {
    expect(taskState(terms, extended.slice(0, 1), vn('2026-03-18T10:00:00'))).toMatchObject({
      status: 'received',
      extended: false,
      extensionRequest: { until: '2026-04-10', reason: 'Chờ ý kiến Bộ', at: '2026-03-18T02:00:00.000Z' },
    });
    expect(taskState(terms, extended, vn('2026-03-25T08:00:00'))).toMatchObject({
      status: 'extended',
      deadline: '2026-04-05',
      originalDeadline: '2026-03-20',
      extended: true,
      extensionRequest: null,
      daysLate: 0,
    });
  });

  it('counts done before the new deadline as done on time, marked extended', () => {
    const s = taskState(terms, [...extended, done('2026-04-03T09:00:00')], vn('2026-04-20T08:00:00'));
    expect(s).toMatchObject({ status: 'done_on_time', extended: true, deadline: '2026-04-05', originalDeadline: '2026-03-20', daysLate: 0 });
  });

  it('judges lateness against the new deadline once extended', () => {
    // Done at 08:00 on 6 April in Vietnam, new deadline 5 April: 1 day late (17 days after the original one).
    expect(taskState(terms, [...extended, done('2026-04-06T08:00:00')], vn('2026-04-20T08:00:00'))).toMatchObject({ status: 'done_late', daysLate: 1, extended: true });
    expect(taskState(terms, extended, vn('2026-04-06T00:00:00'))).toMatchObject({ status: 'overdue', daysLate: 1, extended: true });
  });

  it('leaves the deadline as it was when refused: overdue the day after it', () => {
    const events = [asked('2026-03-18T09:00:00', '2026-04-10'), extensionRefused('2026-03-19T09:00:00')];
    expect(taskState(terms, events, vn('2026-03-21T07:00:00'))).toMatchObject({ status: 'overdue', deadline: '2026-03-20', originalDeadline: '2026-03-20', extended: false, extensionRequest: null, daysLate: 1 });
  });

  it('lets an unanswered request run past the deadline: overdue meanwhile, extended once approved', () => {
    const events = [asked('2026-03-19T09:00:00', '2026-04-10'), approved('2026-03-23T09:00:00', '2026-04-10')];
    expect(taskState(terms, events, vn('2026-03-22T09:00:00'))).toMatchObject({ status: 'overdue', daysLate: 2 });
    expect(taskState(terms, events, vn('2026-03-24T09:00:00'))).toMatchObject({ status: 'extended', daysLate: 0 });
  });

  it('drops a pending request when the agency reports done', () => {
    const s = taskState(terms, [asked('2026-03-18T09:00:00', '2026-04-10'), done('2026-03-19T09:00:00')], vn('2026-03-25T09:00:00'));
    expect(s).toMatchObject({ status: 'done_on_time', extensionRequest: null, extended: false });
  });
});

describe('a report of done that needs the office’s confirmation', () => {
  const confirming: TaskTerms = { deadline: '2026-03-20', confirmDone: true };
  const reported = [progress('2026-03-12T09:00:00', 60), done('2026-03-19T09:00:00')];

  it('is not done until confirmed, and overdue past the deadline while it waits', () => {
    expect(taskState(confirming, reported, vn('2026-03-19T17:00:00'))).toMatchObject({ status: 'in_progress', percent: 100, awaitingConfirmation: true, doneAt: null });
    expect(taskState(confirming, reported, vn('2026-03-21T08:00:00'))).toMatchObject({ status: 'overdue', awaitingConfirmation: true, daysLate: 1 });
  });

  it('counts from the day reported once confirmed, however late the confirmation', () => {
    const s = taskState(confirming, [...reported, confirmed('2026-03-22T09:00:00')], vn('2026-03-23T08:00:00'));
    expect(s).toMatchObject({ status: 'done_on_time', doneAt: '2026-03-19T02:00:00.000Z', awaitingConfirmation: false, daysLate: 0 });
  });

  it('opens the task again when refused, at the percentage reported before; the next report of done is judged by its own day', () => {
    const refused = [...reported, doneRefused('2026-03-19T15:00:00')];
    expect(taskState(confirming, refused, vn('2026-03-19T16:00:00'))).toMatchObject({ status: 'in_progress', percent: 60, awaitingConfirmation: false });
    const again = [...refused, done('2026-03-22T09:00:00'), confirmed('2026-03-22T14:00:00')];
    expect(taskState(confirming, again, vn('2026-03-23T08:00:00'))).toMatchObject({ status: 'done_late', daysLate: 2, doneAt: '2026-03-22T02:00:00.000Z' });
  });

  it('counts the agency’s report alone when the document does not ask for confirmation', () => {
    expect(taskState(terms, reported, vn('2026-03-19T17:00:00'))).toMatchObject({ status: 'done_on_time', awaitingConfirmation: false });
  });
});

describe('which event is allowed in which state, and by whom', () => {
  const at = vn('2026-03-15T09:00:00');
  const fresh = taskState(terms, [], at);

  it('lets the lead agency report and ask for time, and the office answer and cancel, not the other way round', () => {
    expect(taskEventRefusal(fresh, { kind: 'progress', actor: 'lead_agency' })).toBeNull();
    expect(taskEventRefusal(fresh, { kind: 'progress', actor: 'office' })).toBe('directive_actor_not_allowed');
    expect(taskEventRefusal(fresh, { kind: 'done', actor: 'office' })).toBe('directive_actor_not_allowed');
    expect(taskEventRefusal(fresh, { kind: 'cancelled', actor: 'lead_agency' })).toBe('directive_actor_not_allowed');
    expect(taskEventRefusal(fresh, { kind: 'cancelled', actor: 'office' })).toBeNull();
    expect(taskEventRefusal(fresh, { kind: 'extension_requested', actor: 'lead_agency', until: '2026-04-01' })).toBeNull();
  });

  it('closes a task once done or cancelled', () => {
    const finished = taskState(terms, [done('2026-03-14T09:00:00')], at);
    const dropped = taskState(terms, [cancelled('2026-03-14T09:00:00')], at);
    expect(dropped.status).toBe('cancelled');
    for (const s of [finished, dropped]) {
      expect(taskEventRefusal(s, { kind: 'progress', actor: 'lead_agency' })).toBe('directive_task_closed');
      expect(taskEventRefusal(s, { kind: 'cancelled', actor: 'office' })).toBe('directive_task_closed');
    }
  });

  it('while done awaits confirmation, takes only the office’s answer', () => {
    const waiting = taskState({ ...terms, confirmDone: true }, [done('2026-03-14T09:00:00')], at);
    expect(taskEventRefusal(waiting, { kind: 'progress', actor: 'lead_agency' })).toBe('directive_awaiting_confirmation');
    expect(taskEventRefusal(waiting, { kind: 'extension_requested', actor: 'lead_agency', until: '2026-04-01' })).toBe('directive_awaiting_confirmation');
    expect(taskEventRefusal(waiting, { kind: 'done_confirmed', actor: 'office' })).toBeNull();
    expect(taskEventRefusal(waiting, { kind: 'done_refused', actor: 'office' })).toBeNull();
    expect(taskEventRefusal(fresh, { kind: 'done_confirmed', actor: 'office' })).toBe('directive_no_done_report');
  });

  it('takes one extension request at a time, for a later date, on a task with a deadline, and answers only a request', () => {
    const pending = taskState(terms, [asked('2026-03-14T09:00:00', '2026-04-01')], at);
    expect(taskEventRefusal(pending, { kind: 'extension_requested', actor: 'lead_agency', until: '2026-04-10' })).toBe('directive_extension_pending');
    expect(taskEventRefusal(pending, { kind: 'extension_approved', actor: 'office', until: '2026-03-20' })).toBe('directive_deadline_not_later');
    expect(taskEventRefusal(pending, { kind: 'extension_approved', actor: 'office', until: '2026-03-21' })).toBeNull();
    expect(taskEventRefusal(fresh, { kind: 'extension_requested', actor: 'lead_agency', until: '2026-03-20' })).toBe('directive_deadline_not_later');
    expect(taskEventRefusal(fresh, { kind: 'extension_approved', actor: 'office', until: '2026-04-01' })).toBe('directive_no_extension_request');
    expect(taskEventRefusal(fresh, { kind: 'extension_refused', actor: 'office' })).toBe('directive_no_extension_request');
    const regular = taskState({ deadline: null, confirmDone: false }, [], at);
    expect(taskEventRefusal(regular, { kind: 'extension_requested', actor: 'lead_agency', until: '2026-04-01' })).toBe('directive_no_deadline');
  });

  it('replays events in the order of their instants, leaves out those the rules refuse and those after the instant asked', () => {
    const late = progress('2026-03-30T09:00:00', 90);
    const { state, refused } = replayTask(
      terms,
      [done('2026-03-18T09:00:00'), progress('2026-03-10T09:00:00', 40), confirmed('2026-03-09T09:00:00'), progress('2026-03-19T10:00:00', 10), late],
      vn('2026-03-25T09:00:00'),
    );
    expect(state).toMatchObject({ status: 'done_on_time', percent: 100, doneAt: '2026-03-18T02:00:00.000Z' });
    expect(refused.map((r) => [r.event.kind, r.code])).toEqual([
      ['done_confirmed', 'directive_no_done_report'],
      ['progress', 'directive_task_closed'],
    ]);
  });

  it('refuses an event without the words it needs', () => {
    expect(taskEventSchema.safeParse({ kind: 'extension_requested', at: vn('2026-03-14T09:00:00'), actor: 'lead_agency', until: '2026-04-01', reason: ' ' }).success).toBe(false);
    expect(taskEventSchema.safeParse({ kind: 'progress', at: vn('2026-03-14T09:00:00'), actor: 'lead_agency', percent: 101 }).success).toBe(false);
  });
});
