import { dashboardSchema, directiveChanged, type DirectiveOverdue, type Panel } from '@watchfloor/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import { concernsScreen } from '../../lib/live';
import type { SignedInAccess } from '../../lib/sign-in-prompt';
import { addPanel, blankBoard, boardLiveScreen } from '../dashboards/panel-model';
import { OverdueDirectivesPanelView } from './overdue-panel';

const board = dashboardSchema.parse({ version: 1, code: 'w', title: { vi: 'W', en: 'W' }, panels: [{ id: 'qua-han', kind: 'directives', limit: 2, layout: { x: 0, y: 0, w: 6, h: 4 } }] });
const panel = board.panels[0] as Extract<Panel, { kind: 'directives' }>;

const task = (over: Partial<DirectiveOverdue> & Pick<DirectiveOverdue, 'taskId' | 'documentNumber' | 'key' | 'text' | 'lead' | 'daysLate'>): DirectiveOverdue => ({
  documentDate: '2026-11-02',
  occurrence: null,
  deadline: '2026-11-25',
  originalDeadline: '2026-11-25',
  extended: false,
  percent: 0,
  extensionRequested: false,
  ...over,
});

// Three tasks overdue at 10:00 on 28 Nov 2026 (Vietnam), in the order the server might send them.
const DATA = {
  asOf: '2026-11-28T03:00:00.000Z',
  tasks: [
    task({ taskId: 2, documentNumber: '125/TB-UBND', key: '2', text: 'Báo cáo giải ngân vốn đầu tư công', lead: { code: 'VL-STC', name: 'Sở Tài chính', nameEn: 'Department of Finance' }, daysLate: 3 }),
    task({ taskId: 4, documentNumber: '125/TB-UBND', key: '4', text: 'Đề án y tế cơ sở', lead: { code: 'VL-SYT', name: 'Sở Y tế', nameEn: 'Department of Health' }, daysLate: 1 }),
    task({ taskId: 7, documentNumber: '12/CT-UBND', key: '1', occurrence: '2026-10', text: 'Báo cáo tháng về trật tự đô thị', lead: { code: 'UBND-29242', name: 'UBND phường Trà Vinh', nameEn: null }, daysLate: 12 }),
  ],
};

function render(o: { wall?: boolean; access?: SignedInAccess; lang?: 'vi' | 'en'; data?: typeof DATA | undefined } = {}): string {
  return renderToStaticMarkup(
    <I18nProvider initial={o.lang ?? 'vi'}>
      <OverdueDirectivesPanelView panel={panel} wall={o.wall ?? false} access={o.access ?? 'read'} data={'data' in o ? o.data : DATA} />
    </I18nProvider>,
  );
}

describe('the wall panel “Overdue directive tasks”', () => {
  it('lists the most late first up to its limit, each with days late, agency, task and document, and counts the rest', () => {
    const html = render({ wall: true });
    expect(html).toContain('Nhiệm vụ chỉ đạo quá hạn');
    expect(html).toContain('3 nhiệm vụ quá hạn');
    // 12 days (the ward's October report), then 3 (Sở Tài chính); Sở Y tế's single day is past the limit of 2.
    const ward = html.indexOf('Trễ 12 ngày');
    const finance = html.indexOf('Trễ 3 ngày');
    expect(ward).toBeGreaterThan(-1);
    expect(finance).toBeGreaterThan(ward);
    expect(html.indexOf('UBND phường Trà Vinh')).toBeGreaterThan(ward);
    expect(html).toContain('Báo cáo tháng về trật tự đô thị');
    expect(html).toContain('12/CT-UBND · 1 · Kỳ 2026-10');
    expect(html.indexOf('Sở Tài chính')).toBeGreaterThan(finance);
    expect(html).not.toContain('Sở Y tế');
    expect(html).not.toContain('Trễ 1 ngày');
    expect(html).toContain('Còn 1 nhiệm vụ quá hạn khác');
    // On the wall nothing is a link.
    expect(html).not.toContain('<a ');
  });

  it('links to the directives and each task off the wall, in English too', () => {
    const html = render({ lang: 'en' });
    expect(html).toContain('Overdue directive tasks');
    expect(html).toContain('12 days late');
    expect(html).toContain('Department of Finance');
    // A ward without an English name keeps its Vietnamese one.
    expect(html).toContain('UBND phường Trà Vinh');
    expect(html).toContain('href="/directives"');
    expect(html).toContain(`href="/directives/${encodeURIComponent('125/TB-UBND')}?task=2"`);
  });

  it('says when nothing is overdue, and offers whoever is not signed in to sign in', () => {
    expect(render({ data: { asOf: DATA.asOf, tasks: [] } })).toContain('Không có nhiệm vụ nào quá hạn.');
    const anonymous = render({ access: 'signIn', data: undefined, lang: 'en' });
    expect(anonymous).toContain('Sign in to see overdue directive tasks');
    expect(anonymous).not.toContain('dir-panel-list');
  });

  it('is one of the kinds the layout editor adds, and a board showing it re-reads on a change to a directive', () => {
    const added = addPanel(blankBoard('moi'), 'directives', 'X').panels[0];
    expect(added).toMatchObject({ id: 'directives-1', kind: 'directives', limit: 8, layout: { x: 0, y: 0, w: 6, h: 4 } });
    expect(added).not.toHaveProperty('indicator');
    const event = directiveChanged('125/TB-UBND', ['VL-STC'], false);
    expect(concernsScreen(event, boardLiveScreen(board))).toBe(true);
    expect(concernsScreen(event, boardLiveScreen(blankBoard('moi')))).toBe(false);
  });
});
