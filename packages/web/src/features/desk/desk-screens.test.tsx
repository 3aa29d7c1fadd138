import type { Alert, CaseStatus, IngestResult } from '@watchfloor/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import type { Language } from '../../lib/i18n/translate';
import { alertsBySeverity } from './alert-desk';
import { CaseFilters } from './case-board';
import { readsDossiers } from './desk-nav';
import { DossierFilters, DossierScreen } from './dossier-list';
import { StatusControl, StepWhen, Timeline } from './case-screen';
import { UploadOutcome } from './file-upload';
import { figureProblem, previousMonth } from './manual-entry';
import { parseFigure } from './operator';
import { commitReady, initialUpload, uploadReducer, type UploadState } from './upload-state';

function render(node: React.ReactNode, lang: Language = 'vi'): string {
  return renderToStaticMarkup(<I18nProvider initial={lang}>{node}</I18nProvider>);
}

const options = (html: string) => [...html.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);

describe('the status control of a case', () => {
  const moveTo = async () => true;
  it.each<[CaseStatus, string[]]>([
    ['new', ['received', 'rejected']],
    ['assigned', ['in_progress', 'rejected']],
    ['in_progress', ['resolved']],
    ['resolved', ['closed', 'reopened']],
  ])('from %s offers only %j', (status, expected) => {
    expect(options(render(<StatusControl status={status} busy={false} onMove={moveTo} />))).toEqual(expected);
  });

  it('names the statuses in the reader’s language', () => {
    expect(render(<StatusControl status="assigned" busy={false} onMove={moveTo} />)).toContain('>Đang xử lý</option>');
    expect(render(<StatusControl status="assigned" busy={false} onMove={moveTo} />, 'en')).toContain('>In progress</option>');
  });
});

describe('a procedure step', () => {
  const now = new Date('2026-12-06T03:00:00Z');
  it('says when it falls due, in Vietnam time, and that it is overdue once that has passed', () => {
    expect(render(<StepWhen step={{ doneAt: null, doneBy: null, dueAt: '2026-12-06T05:30:00Z' }} now={now} />)).toContain('Hạn 12:30 6/12/26');
    const late = render(<StepWhen step={{ doneAt: null, doneBy: null, dueAt: '2026-12-06T02:00:00Z' }} now={now} />, 'en');
    expect(late).toContain('sop-overdue');
    expect(late).toContain('Overdue since');
    expect(render(<StepWhen step={{ doneAt: '2026-12-06T01:00:00Z', doneBy: 'lan', dueAt: '2026-12-06T02:00:00Z' }} now={now} />)).toMatch(/Xong lúc .* \(lan\)/);
  });
});

describe('the case board filters', () => {
  it('show the filter of the URL as chosen, with labels for every control', () => {
    const html = render(<CaseFilters filter={{ status: 'in_progress', overdue: 'overdue', place: '29242' }} categories={[]} organisations={[{ code: 'SO-GTVT', name: 'Sở Giao thông vận tải', nameEn: null }]} />);
    expect(html).toMatch(/<option value="in_progress" selected="">Đang xử lý<\/option>/);
    expect(html).toMatch(/<option value="overdue" selected="">Quá hạn<\/option>/);
    expect(html).toContain('value="29242"');
    expect(html).toContain('<span>Lĩnh vực</span>');
    expect(html).toContain('Sở Giao thông vận tải');
  });
});

describe('the case timeline', () => {
  it('tells each event in words and shows notes as text, never as markup', () => {
    const html = render(
      <Timeline
        events={[
          { at: '2026-11-28T03:00:00Z', actor: 'Lan', kind: 'status', before: 'assigned', after: 'in_progress', note: null },
          { at: '2026-11-28T03:05:00Z', actor: 'Lan', kind: 'comment', before: null, after: null, note: '<b>đã đến hiện trường</b>' },
        ]}
      />,
    );
    expect(html).toContain('chuyển trạng thái: Đã giao → Đang xử lý');
    expect(html).toContain('&lt;b&gt;đã đến hiện trường&lt;/b&gt;');
    expect(html).toContain('10:00 28/11/26');
  });
});

describe('the case timeline’s agencies', () => {
  it('names the agency a case was assigned to, in the reader’s language, not by its code', () => {
    const events = [{ at: '2026-11-28T03:00:00Z', actor: 'Lan', kind: 'assigned' as const, before: null, after: 'SO-GTVT', note: null }];
    const organisations = [{ code: 'SO-GTVT', name: 'Sở Giao thông vận tải', nameEn: 'Department of Transport' }];
    expect(render(<Timeline events={events} organisations={organisations} />)).toContain('giao cho Sở Giao thông vận tải');
    expect(render(<Timeline events={events} organisations={organisations} />, 'en')).toContain('assigned it to Department of Transport');
    // Before the list of agencies arrives (or for one not in it), the code.
    expect(render(<Timeline events={events} />)).toContain('giao cho SO-GTVT');
  });
});

describe('alerts by severity', () => {
  const alert = (id: number, severity: Alert['severity'], status: Alert['status'], openedAt: string) => ({ id, severity, status, openedAt }) as Alert;
  it('puts the critical first, open before acknowledged, and leaves out the resolved', () => {
    const groups = alertsBySeverity([
      alert(1, 'info', 'open', '2026-11-28T01:00:00Z'),
      alert(2, 'critical', 'acknowledged', '2026-11-28T02:00:00Z'),
      alert(3, 'critical', 'open', '2026-11-28T01:00:00Z'),
      alert(4, 'warning', 'resolved', '2026-11-28T01:00:00Z'),
    ]);
    expect(groups.map((g) => [g.severity, g.alerts.map((a) => a.id)])).toEqual([
      ['critical', [3, 2]],
      ['info', [1]],
    ]);
  });
});

describe('figures typed by hand', () => {
  it('are read the way the reader writes numbers', () => {
    expect(parseFigure('1.234,5', 'vi')).toBe(1234.5);
    expect(parseFigure('1234,5', 'vi')).toBe(1234.5);
    expect(parseFigure('1,234.5', 'en')).toBe(1234.5);
    expect(parseFigure('-12', 'en')).toBe(-12);
    expect(parseFigure('1,234.5', 'vi')).toBeNull();
    expect(parseFigure('12a', 'en')).toBeNull();
    expect(parseFigure('  ', 'vi')).toBeNull();
  });

  it('are checked against the indicator’s valid range before sending', () => {
    expect(figureProblem('101', 'vi', { min: 0, max: 100 })).toBe('aboveMax');
    expect(figureProblem('-1', 'vi', { min: 0, max: null })).toBe('belowMin');
    expect(figureProblem('abc', 'vi', null)).toBe('notNumber');
    expect(figureProblem('', 'vi', { min: 0, max: 1 })).toBeNull();
    expect(figureProblem('97,5', 'vi', { min: 0, max: 100 })).toBeNull();
  });

  it('default to the month before today', () => {
    expect(previousMonth('2026-11-28')).toBe('2026-10');
    expect(previousMonth('2027-01-05')).toBe('2026-12');
  });
});

describe('the upload steps', () => {
  const file = { name: 'bao-cao.csv' } as File;
  const result = (over: Partial<IngestResult>): IngestResult => ({
    runId: null,
    dryRun: true,
    status: 'partial',
    rowsRead: 5,
    accepted: 3,
    created: 3,
    revised: 0,
    unchanged: 0,
    rejected: 2,
    rejectedRows: [{ index: 3, line: 5, reason: 'unknown_place', message: 'No place 99999', raw: 'X,99999,10/2026,1', row: null }],
    numberStyle: 'vi',
    ...over,
  });

  it('commit only after a preview of the same file and number style that accepts rows', () => {
    let s: UploadState = uploadReducer(initialUpload, { type: 'choose', file });
    expect(uploadReducer(s, { type: 'commit' })).toBe(s);
    s = uploadReducer(s, { type: 'preview' });
    expect(s.step).toBe('previewing');
    s = uploadReducer(s, { type: 'previewed', result: result({}) });
    expect(commitReady(s)).toBe(true);
    // Another number style drops the preview: what is committed is always what was previewed.
    const changed = uploadReducer(s, { type: 'numbers', numbers: 'en' });
    expect(changed).toEqual({ step: 'chosen', file, numbers: 'en', encoding: 'auto', period: '' });
    expect(commitReady(changed)).toBe(false);
    // So does another encoding; both are kept for the next preview.
    const reread = uploadReducer(changed, { type: 'encoding', encoding: 'tcvn3' });
    expect(reread).toEqual({ step: 'chosen', file, numbers: 'en', encoding: 'tcvn3', period: '' });
    expect(uploadReducer(reread, { type: 'preview' })).toMatchObject({ step: 'previewing', numbers: 'en', encoding: 'tcvn3' });
    s = uploadReducer(s, { type: 'commit' });
    expect(s.step).toBe('committing');
    s = uploadReducer(s, { type: 'committed', result: result({ dryRun: false, runId: 7 }) });
    expect(s).toMatchObject({ step: 'committed', result: { runId: 7 } });
    expect(uploadReducer(s, { type: 'choose', file: null })).toEqual(initialUpload);
  });

  it('offer no commit when nothing would be accepted, and keep the preview after a failed commit', () => {
    const none = uploadReducer(uploadReducer(uploadReducer(initialUpload, { type: 'choose', file }), { type: 'preview' }), { type: 'previewed', result: result({ accepted: 0 }) });
    expect(commitReady(none)).toBe(false);
    expect(uploadReducer(none, { type: 'commit' })).toBe(none);
    const ready = uploadReducer(uploadReducer(uploadReducer(initialUpload, { type: 'choose', file }), { type: 'preview' }), { type: 'previewed', result: result({}) });
    const failed = uploadReducer(uploadReducer(ready, { type: 'commit' }), { type: 'failed', error: { code: 'network', message: 'Failed to fetch' } });
    expect(failed).toMatchObject({ step: 'failed', preview: { accepted: 3 } });
  });

  it('show the preview: accepted count, rejected rows with reasons, the number style, and the commit button', () => {
    const state = uploadReducer(uploadReducer(uploadReducer(initialUpload, { type: 'choose', file }), { type: 'preview' }), { type: 'previewed', result: result({}) });
    const html = render(<UploadOutcome state={state} source="SCT-FILE" onCommit={() => undefined} />);
    expect(html).toContain('Sẽ nhận 3/5 dòng');
    expect(html).toContain('2 dòng bị từ chối.');
    // The reason in the reader's language, its code, and the server's particulars.
    expect(html).toContain('Không có đơn vị hành chính mang mã này <code class="small">unknown_place</code>');
    expect(html).toContain('No place 99999');
    expect(html).toContain('kiểu Việt Nam (1.234,5)');
    expect(html).toContain('Ghi 3 dòng hợp lệ');
    const en = render(<UploadOutcome state={state} source="SCT-FILE" onCommit={() => undefined} />, 'en');
    expect(en).toContain('Would accept 3 of 5 rows');
    expect(en).toContain('Write the 3 valid rows');
  });

  it('show the encoding a CSV file was read in, how it was chosen, and a line as read', () => {
    const sample = 'TØnh Trµ Vinh;Ph­êng Long §øc';
    const previewOf = (r: IngestResult) => uploadReducer(uploadReducer(uploadReducer(initialUpload, { type: 'choose', file }), { type: 'preview' }), { type: 'previewed', result: r });
    const html = render(<UploadOutcome state={previewOf(result({ encoding: { encoding: 'windows-1258', chosenBy: 'detected', sample } }))} source="SCT-FILE" onCommit={() => undefined} />);
    expect(html).toContain('Chữ được đọc theo bảng mã Windows-1258 (tự nhận biết).');
    expect(html).toContain(`<q lang="vi">${sample}</q>`);
    const declared = previewOf(result({ encoding: { encoding: 'tcvn3', chosenBy: 'declared', sample: 'Tỉnh Trà Vinh' } }));
    const en = render(<UploadOutcome state={declared} source="SCT-FILE" onCommit={() => undefined} />, 'en');
    expect(en).toContain('The text was read as TCVN3 (ABC, .VnTime) (as chosen).');
    // An XLSX file has no encoding to tell.
    const xlsx = render(<UploadOutcome state={previewOf(result({ encoding: null }))} source="SCT-FILE" onCommit={() => undefined} />);
    expect(xlsx).not.toContain('bảng mã');
  });
});

describe('the administrative dossiers screen', () => {
  const links = (html: string) => [...html.matchAll(/<a href="([^"]*)" download="">/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));

  it('offers Xuất as the list it shows: the same filters, every matching dossier (no limit), in the reader’s language', () => {
    const search = '?organisation=VL-TTHCC&status=in_process&late=true&place=29242&receivedFrom=2026-11-01&bogus=1&dueWithin24h=maybe';
    const vi = render(<DossierScreen search={search} />);
    expect(vi).toContain('<h1>Hồ sơ thủ tục hành chính</h1>');
    expect(vi).toContain('<summary>Xuất</summary>');
    const q = 'organisation=VL-TTHCC&place=29242&status=in_process&late=true&receivedFrom=2026-11-01';
    expect(links(vi)).toEqual([`/api/dossiers?${q}&format=xlsx`, `/api/dossiers?${q}&format=csv`, `/api/dossiers?${q}&format=pdf`]);
    const en = render(<DossierScreen search="?late=true" />, 'en');
    expect(en).toContain('<h1>Administrative dossiers</h1>');
    expect(links(en)).toEqual(['/api/dossiers?late=true&format=xlsx&lang=en', '/api/dossiers?late=true&format=csv&lang=en', '/api/dossiers?late=true&format=pdf&lang=en']);
  });

  it('shows the filter of the URL as chosen, with a label for every control', () => {
    const html = render(<DossierFilters filter={{ organisation: 'VL-TTHCC', status: 'resolved', late: 'true', dueWithin24h: 'true', place: '29242' }} organisations={[{ code: 'VL-TTHCC', name: 'Trung tâm Phục vụ hành chính công tỉnh Vĩnh Long', nameEn: null }]} />);
    expect(html).toMatch(/<option value="VL-TTHCC" selected="">Trung tâm Phục vụ hành chính công tỉnh Vĩnh Long<\/option>/);
    expect(html).toMatch(/<option value="resolved" selected="">Đã giải quyết<\/option>/);
    expect(html).toMatch(/<option value="true" selected="">Trễ hạn<\/option>/);
    expect(html).toMatch(/name="dueWithin24h" checked=""/);
    expect(html).toContain('value="29242"');
    expect(html).toContain('<span>Cơ quan giải quyết</span>');
  });

  it('is offered to those who may read dossiers only', () => {
    expect(readsDossiers({ status: 'anonymous' })).toBe(false);
    expect(readsDossiers({ status: 'loading' })).toBe(false);
    const user = (roles: { role: 'leader' | 'agency_officer' }[]) => ({ status: 'user' as const, user: { login: 'x', displayName: 'x', mustChangePassword: false, roles: roles.map((g) => ({ ...g, organisationCode: null, placeCode: null })) } });
    expect(readsDossiers(user([{ role: 'leader' }]))).toBe(true);
    expect(readsDossiers(user([{ role: 'agency_officer' }]))).toBe(true);
    expect(readsDossiers(user([]))).toBe(false);
  });
});
