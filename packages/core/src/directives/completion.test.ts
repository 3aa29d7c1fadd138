import { describe, expect, it } from 'vitest';
import { directiveCompletion, documentOccurrences, sumCompletion, type AddressedTaskEvent } from './completion';
import { taskEventSchema, type TaskEventInput } from './lifecycle';
import { directiveDocumentSchema } from './schemas';

const vn = (local: string) => new Date(`${local}+07:00`).toISOString();
/** An event addressed to a task, its `at` a Vietnam wall-clock time. */
const on = (taskKey: string, e: TaskEventInput, occurrence: string | null = null): AddressedTaskEvent => ({
  taskKey,
  occurrence,
  event: taskEventSchema.parse({ ...e, at: vn(e.at) }),
});
const done = (key: string, local: string, occurrence: string | null = null) => on(key, { kind: 'done', at: local, actor: 'lead_agency' }, occurrence);
const extend = (key: string, local: string, until: string) => [
  on(key, { kind: 'extension_requested', at: local, actor: 'lead_agency', until, reason: 'Chờ vốn' }),
  on(key, { kind: 'extension_approved', at: local, actor: 'office', until }),
];
const due = (key: string, lead: string, date: string, cooperating: string[] = []) => ({ key, text: `Nhiệm vụ ${key}`, lead, cooperating, deadline: { kind: 'date', date } });

/** The Department of Construction (SXD) leads t1–t9 and co-operates on u6; Health (SYT) leads the u tasks. */
const conclusion = directiveDocumentSchema.parse({
  number: '125/TB-UBND',
  date: '2026-03-02',
  issuer: 'UBND tỉnh',
  signer: 'Chủ tịch UBND tỉnh',
  kind: 'conclusion',
  summary: 'Kết luận giao ban tháng 3/2026',
  confirmDone: false,
  tasks: [
    due('t1', 'SXD', '2026-03-10'),
    due('t2', 'SXD', '2026-03-15'),
    due('t3', 'SXD', '2026-03-20'),
    due('t4', 'SXD', '2026-03-31'),
    due('t5', 'SXD', '2026-03-12'),
    due('t6', 'SXD', '2026-03-25'),
    due('t7', 'SXD', '2026-04-10'),
    { key: 't8', text: 'Thường xuyên kiểm tra trật tự xây dựng', lead: 'SXD', deadline: { kind: 'regular' } },
    due('t9', 'SXD', '2026-03-18'),
    due('u1x', 'SYT', '2026-03-20'),
    { key: 'u2', text: 'Báo cáo dịch bệnh trước ngày 25 hằng tháng', lead: 'SYT', deadline: { kind: 'monthly', day: 25 } },
    due('u3', 'SYT', '2026-03-28'),
    due('u4', 'SYT', '2026-03-30'),
    due('u6', 'SYT', '2026-03-05', ['SXD']),
    due('u7', 'SYT', '2026-03-31'),
  ],
});
const conclusionEvents: AddressedTaskEvent[] = [
  done('t1', '2026-03-09T15:00:00'),
  done('t2', '2026-03-17T08:00:00'),
  on('t4', { kind: 'progress', at: '2026-03-20T09:00:00', actor: 'lead_agency', percent: 40 }),
  ...extend('t5', '2026-03-11T09:00:00', '2026-03-25'),
  done('t5', '2026-03-24T16:00:00'),
  on('t6', { kind: 'cancelled', at: '2026-03-05T09:00:00', actor: 'office', reason: 'Đã giao tại văn bản khác' }),
  ...extend('t9', '2026-03-16T09:00:00', '2026-04-15'),
  done('u2', '2026-03-27T10:00:00', '2026-03'),
  ...extend('u3', '2026-03-27T09:00:00', '2026-03-31'),
  // A co-operating agency's word does not close a task; the lead agency's SYT has not reported u6.
];

/** A directive asking for confirmation of done: u1 confirmed after its deadline, u8 still waiting. */
const directive = directiveDocumentSchema.parse({
  number: '45/CT-UBND',
  date: '2026-03-01',
  issuer: 'UBND tỉnh',
  signer: 'Chủ tịch UBND tỉnh',
  kind: 'directive',
  summary: 'Chỉ thị về phòng chống dịch',
  confirmDone: true,
  tasks: [due('u1', 'SYT', '2026-03-20'), due('u8', 'SYT', '2026-03-31')],
});
const directiveEvents: AddressedTaskEvent[] = [
  done('u1', '2026-03-20T23:30:00'),
  on('u1', { kind: 'done_confirmed', at: '2026-03-23T09:00:00', actor: 'office' }),
  done('u8', '2026-03-30T09:00:00'),
];

// As of 10:00 on 31 March 2026 in Vietnam.
const asOf = vn('2026-03-31T10:00:00');
const march = { from: '2026-03-01', to: '2026-03-31' };
const counted = [...documentOccurrences(conclusion, conclusionEvents, asOf, march.to), ...documentOccurrences(directive, directiveEvents, asOf, march.to)];
const status = (key: string) => counted.find((c) => c.taskKey === key)!.state.status;

describe('completion by agency for a month', () => {
  it('has a task in every status (the data the figures are worked from)', () => {
    expect(['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9'].map(status)).toEqual([
      'done_on_time', // due 10th, done 9th
      'done_late', // due 15th, done 17th
      'overdue', // due 20th, nothing
      'in_progress', // due 31st, 40 %
      'done_on_time', // due 12th, extended to 25th, done 24th
      'cancelled',
      'received', // due in April
      'received', // regular, no deadline
      'extended', // due 18th, extended to 15 April
    ]);
    expect(['u1x', 'u2', 'u3', 'u4', 'u6', 'u7', 'u1', 'u8'].map(status)).toEqual([
      'overdue', // due 20th, nothing
      'done_late', // March's report due 25th, done 27th
      'extended', // due 28th, extended to 31st
      'overdue', // due 30th, nothing: 31 − 30 = 1 day
      'overdue', // due 5th, nothing
      'received', // due 31st, nothing yet
      'done_on_time', // due 20th, reported 23:30 that day, confirmed on the 23rd
      'in_progress', // due 31st, reported done, awaiting confirmation
    ]);
  });

  it('counts each lead agency’s tasks due in the month, worked by hand', () => {
    // SXD: t1–t5 due in March (t5 by its extended 25th); t6 cancelled, t7 due in April, t9 moved to April, t8 regular; u6 is SYT's.
    //   on time t1, t5 = 2; late t2 = 1; overdue t3 = 1; in progress t4 = 1; assigned 5; extended t5 = 1; rate 2 / (2 + 1 + 1).
    // SYT: u1x, u2 (March), u3, u4, u6, u7, u1, u8 = 8 assigned.
    //   on time u1 = 1; late u2 = 1; overdue u1x, u4, u6 = 3; in progress u3, u7, u8 = 3; extended u3 = 1; rate 1 / (1 + 1 + 3).
    const rows = directiveCompletion(counted, march);
    expect(rows).toEqual([
      { organisation: 'SXD', assigned: 5, doneOnTime: 2, doneLate: 1, overdue: 1, inProgress: 1, extended: 1, onTimeRate: { numerator: 2, denominator: 4, value: 0.5 }, regular: 1, cancelled: 1 },
      { organisation: 'SYT', assigned: 8, doneOnTime: 1, doneLate: 1, overdue: 3, inProgress: 3, extended: 1, onTimeRate: { numerator: 1, denominator: 5, value: 0.2 }, regular: 0, cancelled: 0 },
    ]);
    // The province: 13 assigned, 3 on time of 3 + 2 + 4 known.
    expect(sumCompletion(rows, 'ALL')).toEqual({
      organisation: 'ALL',
      assigned: 13,
      doneOnTime: 3,
      doneLate: 2,
      overdue: 4,
      inProgress: 4,
      extended: 2,
      onTimeRate: { numerator: 3, denominator: 9, value: 3 / 9 },
      regular: 1,
      cancelled: 1,
    });
  });

  it('counts the extended task in the month it is now due: April has t7 and t9', () => {
    const april = directiveCompletion(documentOccurrences(conclusion, conclusionEvents, asOf, '2026-04-30'), { from: '2026-04-01', to: '2026-04-30' });
    // t7 due 10 April, t9 extended to 15 April, u2's April report due 25 April: all open and not yet due on 31 March.
    expect(april.map((r) => [r.organisation, r.assigned, r.inProgress, r.extended, r.onTimeRate.value])).toEqual([
      ['SXD', 2, 2, 1, null],
      ['SYT', 1, 1, 0, null],
    ]);
  });

  it('judges the month again as reports come in: t3 done on 2 April turns from overdue to done late', () => {
    const later = [...conclusionEvents, done('t3', '2026-04-02T09:00:00')];
    const sxd = directiveCompletion(documentOccurrences(conclusion, later, vn('2026-04-03T09:00:00'), march.to), march).find((r) => r.organisation === 'SXD')!;
    // On 3 April t4 (due 31 March, 40 %) is overdue too: on time 2, late t2 + t3 = 2, overdue t4 = 1.
    expect([sxd.doneOnTime, sxd.doneLate, sxd.overdue, sxd.inProgress, sxd.onTimeRate.denominator]).toEqual([2, 2, 1, 0, 5]);
  });
});
