import { describe, expect, it } from 'vitest';
import { documentOccurrences, type AddressedTaskEvent } from './completion';
import { taskEventSchema } from './lifecycle';
import { taskOccurrences } from './recurrence';
import { directiveDocumentSchema } from './schemas';

const vn = (local: string) => new Date(`${local}+07:00`).toISOString();

describe('the occurrences of a recurring task', () => {
  it('falls due every month by its day, from the document’s date: a document of 28 March first asks for April’s', () => {
    const monthly = { kind: 'monthly' as const, day: 25, until: null };
    expect(taskOccurrences(monthly, { from: '2026-03-28', to: '2026-06-30' })).toEqual([
      { key: '2026-04', deadline: '2026-04-25' },
      { key: '2026-05', deadline: '2026-05-25' },
      { key: '2026-06', deadline: '2026-06-25' },
    ]);
    expect(taskOccurrences(monthly, { from: '2026-03-25', to: '2026-04-24' })).toEqual([{ key: '2026-03', deadline: '2026-03-25' }]);
  });

  it('falls on the last day of a shorter month', () => {
    expect(taskOccurrences({ kind: 'monthly', day: 31, until: null }, { from: '2028-01-05', to: '2028-04-30' }).map((o) => o.deadline)).toEqual(['2028-01-31', '2028-02-29', '2028-03-31', '2028-04-30']);
  });

  it('falls due every quarter by a day of the last month, or of the month given', () => {
    expect(taskOccurrences({ kind: 'quarterly', month: 3, day: 20, until: null }, { from: '2026-02-01', to: '2026-12-31' })).toEqual([
      { key: '2026-Q1', deadline: '2026-03-20' },
      { key: '2026-Q2', deadline: '2026-06-20' },
      { key: '2026-Q3', deadline: '2026-09-20' },
      { key: '2026-Q4', deadline: '2026-12-20' },
    ]);
    // By the 10th of each quarter's first month, from 15 January: January's has passed.
    expect(taskOccurrences({ kind: 'quarterly', month: 1, day: 10, until: null }, { from: '2026-01-15', to: '2026-07-31' })).toEqual([
      { key: '2026-Q2', deadline: '2026-04-10' },
      { key: '2026-Q3', deadline: '2026-07-10' },
    ]);
  });

  it('falls due every year, and stops at its end date', () => {
    expect(taskOccurrences({ kind: 'yearly', month: 12, day: 15, until: null }, { from: '2026-03-01', to: '2028-06-30' })).toEqual([
      { key: '2026', deadline: '2026-12-15' },
      { key: '2027', deadline: '2027-12-15' },
    ]);
    expect(taskOccurrences({ kind: 'monthly', day: 25, until: '2026-05-24' }, { from: '2026-03-01', to: '2026-12-31' }).map((o) => o.key)).toEqual(['2026-03', '2026-04']);
  });

  it('is one occurrence for a task due once, none for a regular task', () => {
    expect(taskOccurrences({ kind: 'date', date: '2026-03-31' }, { from: '2026-03-02', to: '2026-03-10' })).toEqual([{ key: null, deadline: '2026-03-31' }]);
    expect(taskOccurrences({ kind: 'regular' }, { from: '2026-03-02', to: '2026-12-31' })).toEqual([]);
  });
});

describe('each occurrence judged on its own', () => {
  const document = directiveDocumentSchema.parse({
    number: '30/KH-UBND',
    date: '2026-03-01',
    issuer: 'UBND tỉnh',
    signer: 'Phó Chủ tịch UBND tỉnh',
    kind: 'plan',
    summary: 'Kế hoạch báo cáo giải ngân hằng tháng',
    tasks: [{ key: '1', text: 'Báo cáo giải ngân trước ngày 25 hằng tháng', lead: 'STC', deadline: { kind: 'monthly', day: 25 } }],
  });
  const done = (occurrence: string, local: string): AddressedTaskEvent => ({ taskKey: '1', occurrence, event: taskEventSchema.parse({ kind: 'done', at: vn(local), actor: 'lead_agency' }) });

  it('March on time, April late, May overdue: each against its own 25th', () => {
    const events = [done('2026-03', '2026-03-24T09:00:00'), done('2026-04', '2026-04-27T09:00:00')];
    // As of 10:00 on 26 May in Vietnam: March done on the 24th (on time), April on the 27th (2 days late), May not done and 26 − 25 = 1 day late.
    const got = documentOccurrences(document, events, vn('2026-05-26T10:00:00'), '2026-05-31');
    expect(got.map((o) => [o.occurrence, o.state.deadline, o.state.status, o.state.daysLate])).toEqual([
      ['2026-03', '2026-03-25', 'done_on_time', 0],
      ['2026-04', '2026-04-25', 'done_late', 2],
      ['2026-05', '2026-05-25', 'overdue', 1],
    ]);
    expect(got.every((o) => o.lead === 'STC' && o.taskKey === '1')).toBe(true);
  });

  it('does not let one occurrence’s report count for another', () => {
    const got = documentOccurrences(document, [done('2026-04', '2026-03-20T09:00:00')], vn('2026-03-26T10:00:00'), '2026-04-30');
    expect(got.map((o) => [o.occurrence, o.state.status])).toEqual([
      ['2026-03', 'overdue'],
      ['2026-04', 'done_on_time'],
    ]);
  });
});
