import { describe, expect, it } from 'vitest';
import { taskState, type TaskEvent } from '../directives/lifecycle';
import { taskAlertSubject, taskDeadlineStage, taskOfAlertSubject } from './evaluate';
import { checkRule, ruleParameters } from './rules';

/**
 * A task due on 10 December 2026 (Vietnam time, UTC+7): on time through
 * 23:59:59 of the 10th there (16:59:59Z), overdue from 00:00 of the 11th
 * (17:00:00Z of the 10th).
 */
const terms = { deadline: '2026-12-10', confirmDone: true };
const stageAt = (p: unknown, at: string, events: TaskEvent[] = []) => taskDeadlineStage(ruleParameters('task_deadline', p), taskState(terms, events, at), at);

describe('task_deadline rules', () => {
  it('take due within N days, overdue and overdue more than N days, at least one of them', () => {
    const rule = (parameters: unknown, subject = {}) => checkRule({ kind: 'task_deadline', subject, parameters, escalation: [] });
    expect(rule({ dueWithinDays: 3 })).toEqual([]);
    expect(rule({ overdue: true }, { agency: 'VL-STC' })).toEqual([]);
    expect(rule({ dueWithinDays: 0, overdue: true, overdueMoreThanDays: 7 })).toEqual([]);
    expect(ruleParameters('task_deadline', { overdueMoreThanDays: 7 })).toEqual({ overdue: false, overdueMoreThanDays: 7 });
    expect(rule({})).toEqual(['parameters: needs `dueWithinDays`, `overdue: true` or `overdueMoreThanDays`']);
    expect(rule({ overdue: false })).toHaveLength(1);
    expect(rule({ dueWithinDays: -1 })[0]).toMatch(/^parameters\.dueWithinDays: /);
    expect(rule({ dueWithinDays: 1.5 })[0]).toMatch(/^parameters\.dueWithinDays: /);
    expect(rule({ overdueMoreThanDays: 0 })[0]).toMatch(/^parameters\.overdueMoreThanDays: /);
    expect(rule({ windowHours: 24 })[0]).toMatch(/^parameters: /);
    // A task rule is about a lead agency or every task: not a place, a category or a source.
    expect(rule({ overdue: true }, { place: '86', category: 'GIAO_THONG' })).toEqual(['subject.place: not used by a task_deadline rule', 'subject.category: not used by a task_deadline rule']);
  });

  it('count due within 3 days in Vietnam days: from 00:00 on the 7th there through the deadline’s day', () => {
    const p = { dueWithinDays: 3 };
    expect(stageAt(p, '2026-12-06T16:59:59Z')).toBeNull(); // 23:59:59 on the 6th: 4 days left
    expect(stageAt(p, '2026-12-06T17:00:00Z')).toBe('due_soon'); // 00:00 on the 7th: 3 days left
    expect(stageAt(p, '2026-12-10T16:59:59Z')).toBe('due_soon'); // the last second of the 10th
    // Not watching overdue: a task past its deadline is at none of this rule's stages.
    expect(stageAt(p, '2026-12-10T17:00:00Z')).toBeNull();
    expect(stageAt({ dueWithinDays: 0 }, '2026-12-09T17:00:00Z')).toBe('due_soon'); // 0: on the day itself
    expect(stageAt({ dueWithinDays: 0 }, '2026-12-09T16:59:59Z')).toBeNull();
  });

  it('find a task overdue from 00:00 the day after its deadline, and long overdue after more than N days late', () => {
    const p = { overdue: true, overdueMoreThanDays: 7 };
    expect(stageAt(p, '2026-12-10T16:59:59Z')).toBeNull();
    expect(stageAt(p, '2026-12-10T17:00:00Z')).toBe('overdue'); // 00:00 on the 11th: 1 day late
    expect(stageAt(p, '2026-12-17T16:59:59Z')).toBe('overdue'); // the 17th: 7 days late, not more
    expect(stageAt(p, '2026-12-17T17:00:00Z')).toBe('long_overdue'); // the 18th: 8 days late
    // Without `overdue`, only the long overdue stage.
    expect(stageAt({ overdueMoreThanDays: 7 }, '2026-12-12T03:00:00Z')).toBeNull();
    expect(stageAt({ overdueMoreThanDays: 7 }, '2026-12-20T03:00:00Z')).toBe('long_overdue');
  });

  it('leave out a task done, cancelled, reported done for the office to confirm, or extended past the window', () => {
    const p = { dueWithinDays: 3, overdue: true };
    const by = { by: 'x' };
    const done: TaskEvent = { kind: 'done', at: '2026-12-08T03:00:00Z', actor: 'lead_agency', text: '', ...by };
    const confirmed: TaskEvent = { kind: 'done_confirmed', at: '2026-12-09T03:00:00Z', actor: 'office', ...by };
    expect(stageAt(p, '2026-12-08T05:00:00Z', [done])).toBeNull(); // awaiting the office
    expect(stageAt(p, '2026-12-12T03:00:00Z', [done])).toBeNull(); // still awaiting it, past the deadline
    expect(stageAt(p, '2026-12-12T03:00:00Z', [done, confirmed])).toBeNull(); // done on time
    const asked: TaskEvent = { kind: 'extension_requested', at: '2026-12-07T03:00:00Z', actor: 'lead_agency', until: '2026-12-31', reason: 'cần thêm thời gian', ...by };
    const approved: TaskEvent = { kind: 'extension_approved', at: '2026-12-08T03:00:00Z', actor: 'office', until: '2026-12-31', ...by };
    expect(stageAt(p, '2026-12-07T05:00:00Z', [asked])).toBe('due_soon'); // a request alone does not move the deadline
    expect(stageAt(p, '2026-12-12T03:00:00Z', [asked, approved])).toBeNull(); // due on the 31st: 19 days left
    expect(stageAt(p, '2026-12-28T03:00:00Z', [asked, approved])).toBe('due_soon'); // 3 days left of the extended deadline
    const cancelled: TaskEvent = { kind: 'cancelled', at: '2026-12-08T03:00:00Z', actor: 'office', reason: 'không còn cần', ...by };
    expect(stageAt(p, '2026-12-12T03:00:00Z', [cancelled])).toBeNull();
    // A regular task (no deadline) never falls due.
    expect(taskDeadlineStage({ dueWithinDays: 3, overdue: true }, taskState({ deadline: null, confirmDone: false }, [], '2026-12-12T03:00:00Z'), '2026-12-12T03:00:00Z')).toBeNull();
  });

  it('name their subject by task, occurrence and stage, and read it back', () => {
    const monthly = { documentNumber: '12 / ct-ubnd', key: '2.a', occurrence: '2026-03' };
    expect(taskAlertSubject(monthly, 'overdue')).toBe('task:12/CT-UBND#2.a@2026-03|overdue');
    expect(taskOfAlertSubject('task:12/CT-UBND#2.a@2026-03|overdue')).toEqual({ documentNumber: '12/CT-UBND', key: '2.a', occurrence: '2026-03', stage: 'overdue' });
    expect(taskOfAlertSubject(taskAlertSubject({ documentNumber: '77/TB-UBND', key: '1', occurrence: null }, 'long_overdue'))).toEqual({ documentNumber: '77/TB-UBND', key: '1', occurrence: null, stage: 'long_overdue' });
    expect(taskOfAlertSubject('case:PA000001')).toBeNull();
    expect(taskOfAlertSubject('task:77/TB-UBND#1|late')).toBeNull();
  });
});
