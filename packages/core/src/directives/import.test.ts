import { describe, expect, it } from 'vitest';
import { daysToDeadline, directiveImportPlan } from './import';
import { taskState } from './lifecycle';
import { directiveTaskSchema, type DirectiveTaskInput } from './schemas';

const task = (t: DirectiveTaskInput) => directiveTaskSchema.parse(t);

describe('re-sending a document', () => {
  const held = [
    task({ key: '1', text: 'Giải phóng mặt bằng', lead: 'SXD', cooperating: ['STC'], deadline: { kind: 'date', date: '2026-03-31' } }),
    task({ key: '2', text: 'Báo cáo giải ngân', lead: 'STC', deadline: { kind: 'monthly', day: 25 } }),
    task({ key: '3', text: 'Kiểm tra', lead: 'SYT', deadline: { kind: 'regular' } }),
  ];

  it('adds new keys, updates changed ones, leaves equal ones, and lists those no longer sent without dropping them', () => {
    const sent = [
      // Same task, its fields written in another order: unchanged.
      directiveTaskSchema.parse({ deadline: { date: '2026-03-31', kind: 'date' }, cooperating: ['STC'], lead: 'SXD', text: 'Giải phóng mặt bằng', key: '1' }),
      task({ key: '2', text: 'Báo cáo giải ngân', lead: 'STC', deadline: { kind: 'monthly', day: 20 } }),
      task({ key: '4', text: 'Mới', lead: 'SNV', deadline: { kind: 'date', date: '2026-04-30' } }),
    ];
    expect(directiveImportPlan(held, sent)).toEqual({ added: ['4'], changed: ['2'], unchanged: ['1'], missing: ['3'] });
  });

  it('changes nothing when the same document is sent again', () => {
    expect(directiveImportPlan(held, held)).toEqual({ added: [], changed: [], unchanged: ['1', '2', '3'], missing: [] });
  });
});

describe('days to the deadline', () => {
  const terms = { deadline: '2026-03-20', confirmDone: false };
  it('counts Vietnam days: 3 on the 17th, 0 on the day until 23:59:59, −1 from 00:00 the day after; none once done or without a deadline', () => {
    const open = taskState(terms, [], '2026-03-17T01:00:00Z');
    expect(daysToDeadline(open, '2026-03-17T01:00:00Z')).toBe(3);
    expect(daysToDeadline(open, '2026-03-20T16:59:59Z')).toBe(0);
    expect(daysToDeadline(open, '2026-03-20T17:00:00Z')).toBe(-1);
    expect(daysToDeadline({ deadline: '2026-03-20', status: 'done_late' }, '2026-03-25T00:00:00Z')).toBeNull();
    expect(daysToDeadline({ deadline: null, status: 'in_progress' }, '2026-03-25T00:00:00Z')).toBeNull();
  });
});
