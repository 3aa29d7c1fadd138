import type { DirectiveDue, DirectiveDueAnswer, GrantInput } from '@watchfloor/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import type { SessionState } from '../../lib/session';
import { dueChip, DueTasksView, reportsOnTasks } from './due-tasks';

const STC = { code: 'VL-STC', name: 'Sở Tài chính', nameEn: 'Department of Finance' };
const task = (over: Partial<DirectiveDue> & Pick<DirectiveDue, 'taskId' | 'key' | 'text' | 'daysToDeadline'>): DirectiveDue => ({
  documentNumber: '77/TB-UBND',
  documentDate: '2026-11-20',
  occurrence: null,
  lead: STC,
  deadline: '2026-12-10',
  originalDeadline: '2026-12-10',
  extended: false,
  status: 'received',
  daysLate: 0,
  percent: 0,
  extensionRequested: false,
  ...over,
});

// At 00:00 on 8 Dec 2026 in Vietnam (17:00Z on the 7th), as the server orders them: most late first, then soonest due.
const DATA: DirectiveDueAnswer = {
  asOf: '2026-12-07T17:00:00.000Z',
  days: 7,
  tasks: [
    // Due 5 Dec: 8 − 5 = 3 days late.
    task({ taskId: 3, key: '3', occurrence: '2026-12', text: 'Báo cáo thu ngân sách hằng tháng', deadline: '2026-12-05', originalDeadline: '2026-12-05', status: 'overdue', daysToDeadline: -3, daysLate: 3 }),
    task({ taskId: 5, key: '5', text: 'Tổng hợp kiến nghị cử tri', deadline: '2026-12-08', originalDeadline: '2026-12-08', daysToDeadline: 0 }),
    task({ taskId: 6, key: '6', text: 'Rà soát hồ sơ đất đai', deadline: '2026-12-09', originalDeadline: '2026-12-09', daysToDeadline: 1, extensionRequested: true }),
    // Extended from 1 Dec to 10 Dec: 2 days left.
    task({ taskId: 1, key: '1', text: 'Rà soát dự toán', originalDeadline: '2026-12-01', extended: true, status: 'extended', daysToDeadline: 2 }),
  ],
};

function render(data: DirectiveDueAnswer | undefined, lang: 'vi' | 'en' = 'vi'): string {
  return renderToStaticMarkup(
    <I18nProvider initial={lang}>
      <DueTasksView data={data}>
        <p>…</p>
      </DueTasksView>
    </I18nProvider>,
  );
}

const user = (roles: GrantInput[]): SessionState => ({ status: 'user', user: { login: 'x', displayName: 'X', roles: roles.map((r) => ({ organisationCode: null, placeCode: null, ...r })), mustChangePassword: false } }) as SessionState;

describe('the desk’s directive tasks due soon and overdue', () => {
  it('lists each task with its days late or left, its document, deadline and a link to it, in Vietnamese', () => {
    const html = render(DATA);
    expect(html).toContain('Nhiệm vụ được giao sắp đến hạn và quá hạn');
    expect(html).toContain('đến hạn trong 7 ngày tới');
    const order = ['Trễ 3 ngày', 'Đến hạn hôm nay', 'Đến hạn ngày mai', 'Còn 2 ngày'].map((s) => html.indexOf(s));
    expect(order.every((i) => i > -1)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(html).toContain('href="/directives/77%2FTB-UBND?task=3"');
    expect(html).toContain('Kỳ 2026-12');
    expect(html).toContain('Văn bản 77/TB-UBND, nhiệm vụ 1');
    expect(html).toContain('Hạn 10/12/2026');
    expect(html).toContain('đã gia hạn, hạn ban đầu 01/12/2026');
    expect(html).toContain('Đang xin gia hạn');
  });

  it('speaks English too, and says when nothing is due', () => {
    const html = render(DATA, 'en');
    expect(html).toContain('Directive tasks due soon and overdue');
    for (const s of ['3 days late', 'Due today', 'Due tomorrow', 'Due in 2 days', 'Period 2026-12', 'extended, originally due']) expect(html).toContain(s);
    expect(render({ ...DATA, tasks: [] })).toContain('Không có nhiệm vụ nào quá hạn hay đến hạn trong 7 ngày tới.');
    expect(render({ ...DATA, tasks: [] }, 'en')).toContain('No task is overdue or due within the next 7 days.');
    // No answer yet: what the screen gives instead (loading, a refusal).
    expect(render(undefined)).toContain('<p>…</p>');
  });

  it('counts days as the server did: late below zero, today at zero', () => {
    expect(dueChip({ daysToDeadline: -8 })).toEqual({ key: 'dir.lateBy', n: 8, tone: 'overdue' });
    expect(dueChip({ daysToDeadline: 0 })).toMatchObject({ key: 'dirDue.today' });
    expect(dueChip({ daysToDeadline: 5 })).toEqual({ key: 'dirDue.inDays', n: 5, tone: 'open' });
  });

  it('is on the desk of those who report on their agency’s tasks only', () => {
    expect(reportsOnTasks(user([{ role: 'agency_officer', organisationCode: 'VL-STC' }]))).toBe(true);
    expect(reportsOnTasks(user([{ role: 'operator' }]))).toBe(false);
    expect(reportsOnTasks(user([{ role: 'leader' }]))).toBe(false);
    expect(reportsOnTasks(user([{ role: 'leaders_office' }]))).toBe(false);
    expect(reportsOnTasks({ status: 'anonymous' })).toBe(false);
    expect(reportsOnTasks({ status: 'loading' })).toBe(false);
  });
});
