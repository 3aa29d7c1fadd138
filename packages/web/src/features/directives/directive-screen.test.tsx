import type { DirectiveCompletionAnswer, DirectiveCompletionRow, DirectiveOverdue, DirectiveTaskStateView, DirectiveTaskView } from '@watchfloor/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import type { Language } from '../../lib/i18n/translate';
import { TaskCard, Timeline } from './directive-screen';
import { CompletionTable, OverdueTable } from './directives-screen';

function render(node: React.ReactNode, lang: Language = 'vi'): string {
  return renderToStaticMarkup(<I18nProvider initial={lang}>{node}</I18nProvider>);
}

const state = (over: Partial<DirectiveTaskStateView>): DirectiveTaskStateView => ({
  status: 'in_progress',
  percent: 40,
  deadline: '2026-03-31',
  originalDeadline: '2026-03-31',
  extended: false,
  daysLate: 0,
  daysToDeadline: 10,
  doneAt: null,
  awaitingConfirmation: false,
  extensionRequest: null,
  cancelledAt: null,
  lastEventAt: '2026-03-10T02:00:00Z',
  ...over,
});

const SXD = { code: 'SXD', name: 'Sở Xây dựng', nameEn: 'Department of Construction' };

const task = (over: Partial<DirectiveTaskView>): DirectiveTaskView => ({
  id: 7,
  documentNumber: '125/TB-UBND',
  key: '2',
  taskId: '125/TB-UBND#2',
  text: 'Hoàn thành sửa chữa cầu Cái Cá',
  lead: SXD,
  cooperating: [{ code: 'STC', name: 'Sở Tài chính', nameEn: null }],
  deadline: { kind: 'date', date: '2026-03-31' },
  links: { places: [], indicators: [], cases: [], parCriteria: [] },
  missing: false,
  state: state({}),
  current: null,
  occurrences: [],
  can: { report: false, manage: false },
  ...over,
});

const card = (t: DirectiveTaskView, lang: Language = 'vi') => render(<TaskCard task={t} grants={null} onChanged={() => undefined} />, lang);
const forms = (html: string) => [...html.matchAll(/data-form="(\w+)"/g)].map((m) => m[1]);

describe('a task of a document', () => {
  it('shows its status, agencies, deadline and progress, and no form to a reader who may do nothing', () => {
    const html = card(task({}));
    expect(html).toContain('Đang thực hiện');
    expect(html).toContain('Sở Xây dựng');
    expect(html).toContain('Phối hợp: Sở Tài chính');
    expect(html).toContain('31/03/2026');
    expect(html).toContain('<strong>40 %</strong>');
    expect(forms(html)).toEqual([]);
    expect(html).not.toContain('<form');
  });

  it('shows the original deadline beside an extended one, the days late, in English too', () => {
    const html = card(task({ state: state({ status: 'overdue', deadline: '2026-04-30', originalDeadline: '2026-03-31', extended: true, daysLate: 3 }) }), 'en');
    expect(html).toContain('Overdue');
    expect(html).toContain('Extended');
    expect(html).toContain('Originally due 31 Mar 2026');
    expect(html).toContain('3 days late');
    expect(html).toContain('Department of Construction');
  });

  it('gives the lead agency’s officer the reporting forms, and the office its decisions, as the server says', () => {
    expect(forms(card(task({ can: { report: true, manage: false } })))).toEqual(['progress', 'done', 'extension']);
    expect(forms(card(task({ can: { report: false, manage: true } })))).toEqual(['cancel']);
    const awaiting = task({ can: { report: true, manage: true }, state: state({ awaitingConfirmation: true, percent: 100 }) });
    expect(forms(card(awaiting))).toEqual(['confirm', 'refuseDone', 'cancel']);
    expect(card(awaiting)).toContain('Chờ xác nhận hoàn thành');
    const asked = task({ can: { report: false, manage: true }, state: state({ extensionRequest: { until: '2026-04-30', reason: 'Chờ vốn', at: '2026-03-25T02:00:00Z' } }) });
    const html = card(asked);
    expect(forms(html)).toEqual(['approve', 'refuseExtension', 'cancel']);
    expect(html).toContain('Xin gia hạn đến 30/04/2026: Chờ vốn');
    // The office's new deadline starts at the date asked for.
    expect(html).toContain('value="2026-04-30"');
  });

  it('links the places and cases it concerns, and names its indicators and PAR criteria', () => {
    const html = card(task({ links: { places: ['29242'], indicators: ['PS_ON_TIME_RATE'], cases: ['PA000123'], parCriteria: [] } }));
    expect(html).toContain('Địa bàn: <span><a href="/p/29242">29242</a>');
    expect(html).toContain('href="/cases/PA000123"');
    expect(html).toContain('Chỉ tiêu: <span><code>PS_ON_TIME_RATE</code>');
    expect(html).not.toContain('Tiêu chí CCHC');
    expect(card(task({}))).not.toContain('dir-task-links');
  });

  it('gives nothing on a task done, whoever reads it', () => {
    expect(forms(card(task({ can: { report: true, manage: true }, state: state({ status: 'done_on_time', percent: 100, doneAt: '2026-03-20T02:00:00Z' }) })))).toEqual([]);
  });

  it('tells a recurring task’s rule and lists its occurrences', () => {
    const html = card(
      task({
        deadline: { kind: 'monthly', day: 25, until: null },
        current: '2026-03',
        occurrences: [
          { key: '2026-02', state: state({ status: 'done_late', deadline: '2026-02-25', originalDeadline: '2026-02-25', daysLate: 2, percent: 100 }) },
          { key: '2026-03', state: state({ deadline: '2026-03-25', originalDeadline: '2026-03-25' }) },
        ],
      }),
    );
    expect(html).toContain('Hằng tháng, trước ngày 25');
    expect(html).toContain('Kỳ 2026-03');
    expect(html).toContain('data-occurrence="2026-02"');
    expect(html).toContain('Hoàn thành quá hạn');
  });
});

describe('a task’s timeline', () => {
  it('tells each event with its time, who and the reason given', () => {
    const html = render(
      <Timeline
        events={[
          {
            id: 1,
            occurrence: null,
            kind: 'progress',
            at: '2026-03-10T02:00:00Z',
            by: 'sxd.officer',
            actor: 'lead_agency',
            percent: 40,
            text: 'Đã khảo sát',
            until: null,
            reason: null,
            files: [{ id: 7, fileName: 'bien-ban-khao-sat.pdf', mediaType: 'application/pdf', size: 20_480, sha256: 'ab'.repeat(32), uploadedAt: '2026-03-10T02:05:00Z', uploadedBy: 'sxd.officer' }],
          },
          { id: 2, occurrence: null, kind: 'extension_approved', at: '2026-03-26T02:00:00Z', by: 'office', actor: 'office', percent: null, text: null, until: '2026-04-30', reason: null, files: [] },
          { id: 3, occurrence: null, kind: 'done_refused', at: '2026-04-20T02:00:00Z', by: 'office', actor: 'office', percent: null, text: null, until: null, reason: 'Thiếu biên bản nghiệm thu', files: [] },
        ]}
      />,
    );
    expect(html).toContain('Báo cáo tiến độ: 40 %');
    // The evidence of the report, to download: 20,480 bytes are 20 KB.
    expect(html).toContain('href="/api/directives/evidence/7"');
    expect(html).toContain('bien-ban-khao-sat.pdf');
    expect(html).toContain('(20 KB)');
    expect(html).toContain('bởi sxd.officer');
    expect(html).toContain('Đã khảo sát');
    expect(html).toContain('Văn phòng gia hạn đến 30/04/2026');
    expect(html).toContain('Lý do: Thiếu biên bản nghiệm thu');
    expect(html.indexOf('Báo cáo tiến độ')).toBeLessThan(html.indexOf('Văn phòng gia hạn'));
  });
});

const row = (organisation: string, name: string, f: [number, number, number, number, number]): DirectiveCompletionRow => {
  const [assigned, doneOnTime, doneLate, overdue, inProgress] = f;
  const known = doneOnTime + doneLate + overdue;
  return { organisation, name, nameEn: null, assigned, doneOnTime, doneLate, overdue, inProgress, extended: 0, onTimeRate: { numerator: doneOnTime, denominator: known, value: known === 0 ? null : doneOnTime / known }, regular: 0, cancelled: 0 };
};

describe('completion by agency', () => {
  it('lists the agency with overdue tasks first, each to its tasks, with the province below', () => {
    const data: DirectiveCompletionAnswer = {
      from: '2026-01-01',
      to: '2026-03-31',
      asOf: '2026-04-03T05:00:00Z',
      // Sở Y tế: 3 on time of 4 known = 75 %; Sở Xây dựng: 1 of 3 = 33,3 %, 1 overdue; total 4 of 7 = 57,1 %.
      agencies: [row('SYT', 'Sở Y tế', [5, 3, 1, 0, 1]), row('SXD', 'Sở Xây dựng', [3, 1, 1, 1, 0])],
      total: row('total', 'Toàn tỉnh', [8, 4, 2, 1, 1]),
    };
    const html = render(<CompletionTable data={data} period="2026-Q1" />);
    expect(html.indexOf('Sở Xây dựng')).toBeLessThan(html.indexOf('Sở Y tế'));
    expect(html).toContain('href="/directives?period=2026-Q1&amp;agency=SXD"');
    expect(html).toContain('75 %');
    expect(html).toContain('33,3 %');
    expect(html).toContain('57,1 %');
    expect(html).toContain('title="4/7"');
  });
});

describe('the overdue list', () => {
  it('puts the most days late first, each task to its document', () => {
    const o = (taskId: number, key: string, daysLate: number): DirectiveOverdue => ({
      taskId,
      documentNumber: '125/TB-UBND',
      documentDate: '2026-01-10',
      key,
      occurrence: null,
      text: `Nhiệm vụ ${key}`,
      lead: SXD,
      deadline: '2026-03-31',
      originalDeadline: '2026-03-31',
      extended: false,
      daysLate,
      percent: 20,
      extensionRequested: false,
    });
    const html = render(<OverdueTable tasks={[o(1, '1', 3), o(2, '2', 9)]} labelledBy="x" />);
    expect(html.indexOf('Nhiệm vụ 2')).toBeLessThan(html.indexOf('Nhiệm vụ 1'));
    expect(html).toContain('href="/directives/125%2FTB-UBND?task=2"');
    expect(html).toContain('9 ngày');
  });
});
