import { taskState, type Grant, type TaskEventInput, type TaskEvent } from '@watchfloor/core';
import { describe, expect, it } from 'vitest';
import { directiveUrl, directivesUrl, parseRoute, routeUrl } from '../../app/routes';
import { translate } from '../../lib/i18n/translate';
import {
  directivePeriod,
  formBody,
  formProblem,
  overdueFirst,
  pickerDate,
  recurrenceText,
  statusChips,
  statusKey,
  taskForms,
  taskMay,
  worstFirst,
  type FormValues,
} from './directives-model';

/** A task due on 31 March 2026 (Vietnam), its document wanting done confirmed by the office. */
const terms = { deadline: '2026-03-31', confirmDone: true };
const ev = (e: TaskEventInput) => ({ by: null, ...e }) as TaskEvent;
const progress = ev({ kind: 'progress', at: '2026-03-10T02:00:00Z', actor: 'lead_agency', percent: 40, text: '' });
const done = ev({ kind: 'done', at: '2026-03-20T02:00:00Z', actor: 'lead_agency', text: '' });
const asked = ev({ kind: 'extension_requested', at: '2026-03-25T02:00:00Z', actor: 'lead_agency', until: '2026-04-30', reason: 'Chờ ý kiến bộ' });
const approved = ev({ kind: 'extension_approved', at: '2026-03-26T02:00:00Z', actor: 'office', until: '2026-04-30' });
const confirmed = ev({ kind: 'done_confirmed', at: '2026-03-21T02:00:00Z', actor: 'office' });
const MARCH_15 = '2026-03-15T05:00:00Z';
// 00:00 of 1 April in Vietnam is 17:00Z on 31 March: one day late from then.
const APRIL_3 = '2026-04-03T05:00:00Z';

const officer: TaskMayInput = { report: true, manage: false };
const office: TaskMayInput = { report: false, manage: true };
type TaskMayInput = { report: boolean; manage: boolean };

describe('a task’s status as read', () => {
  it('names each status in Vietnamese and in English', () => {
    expect(translate('vi', statusKey('done_on_time'))).toBe('Hoàn thành đúng hạn');
    expect(translate('en', statusKey('done_on_time'))).toBe('Done on time');
    expect(translate('vi', statusKey('overdue'))).toBe('Quá hạn');
    expect(translate('en', statusKey('done_late'))).toBe('Done late');
    expect(translate('vi', statusKey('extended'))).toBe('Đã gia hạn');
    expect(translate('en', statusKey('cancelled'))).toBe('Cancelled');
  });

  it('adds to the status what waits on the office and whether the deadline was moved', () => {
    const awaiting = taskState(terms, [progress, done], '2026-03-22T05:00:00Z');
    expect(awaiting.status).toBe('in_progress');
    expect(statusChips(awaiting).map((c) => c.key)).toEqual(['dirStatus.in_progress', 'dirStatus.awaiting']);
    const pending = taskState(terms, [progress, asked], '2026-03-25T05:00:00Z');
    expect(statusChips(pending).map((c) => c.key)).toEqual(['dirStatus.in_progress', 'dirStatus.extensionAsked']);
    // Extended then overdue past the new deadline: overdue, and extended beside it.
    const lateAfterExtension = taskState(terms, [asked, approved], '2026-05-02T05:00:00Z');
    expect(lateAfterExtension.status).toBe('overdue');
    expect(statusChips(lateAfterExtension).map((c) => [c.key, c.tone])).toEqual([
      ['dirStatus.overdue', 'overdue'],
      ['dirStatus.extended', 'open'],
    ]);
    // Extended and still open: the status says it once.
    expect(statusChips(taskState(terms, [asked, approved], APRIL_3)).map((c) => c.key)).toEqual(['dirStatus.extended']);
    expect(statusChips(taskState(terms, [progress, done, confirmed], APRIL_3)).map((c) => [c.key, c.tone])).toEqual([['dirStatus.done_on_time', 'good']]);
  });

  it('words a recurrence and a regular task, and leaves a date to the deadline line', () => {
    expect(recurrenceText({ kind: 'date', date: '2026-03-31' })).toBeNull();
    const monthly = recurrenceText({ kind: 'monthly', day: 25, until: null })!;
    expect(translate('vi', monthly.key, monthly.params)).toBe('Hằng tháng, trước ngày 25');
    const regular = recurrenceText({ kind: 'regular' })!;
    expect(translate('en', regular.key, regular.params)).toBe('Regular');
  });
});

describe('the lists of the leaders’ screen', () => {
  it('puts the most days late first, then by agency, document and task', () => {
    const o = (agencyName: string, documentNumber: string, taskKey: string, daysLate: number) => ({ agencyName, documentNumber, taskKey, daysLate });
    const rows = [o('Sở Y tế', '125/TB-UBND', '2', 3), o('Sở Xây dựng', '125/TB-UBND', '10', 12), o('Sở Tài chính', '125/TB-UBND', '1', 3), o('Sở Tài chính', '99/CT-UBND', '1', 3), o('Sở Xây dựng', '125/TB-UBND', '2', 12)];
    expect(overdueFirst(rows).map((r) => `${r.daysLate} ${r.agencyName} ${r.documentNumber}#${r.taskKey}`)).toEqual([
      '12 Sở Xây dựng 125/TB-UBND#2',
      '12 Sở Xây dựng 125/TB-UBND#10',
      '3 Sở Tài chính 99/CT-UBND#1',
      '3 Sở Tài chính 125/TB-UBND#1',
      '3 Sở Y tế 125/TB-UBND#2',
    ]);
    expect(rows[0]!.agencyName).toBe('Sở Y tế');
  });

  it('puts the agencies with most overdue first, then the lowest on-time rate, one with no known outcome last', () => {
    const c = (organisation: string, overdue: number, value: number | null) => ({ organisation, overdue, onTimeRate: { value } });
    expect(worstFirst([c('SYT', 0, 1), c('STC', 2, 0.5), c('SXD', 2, 0.2), c('SNV', 0, null), c('SGD', 0, 0.75)]).map((r) => r.organisation)).toEqual(['SXD', 'STC', 'SGD', 'SYT', 'SNV']);
  });

  it('reads the period from the address, else today’s quarter, and lets the picker reach the month under way', () => {
    expect(directivePeriod('2026-03', '2026-12-06')).toEqual({ key: '2026-03', from: '2026-03-01', to: '2026-03-31' });
    expect(directivePeriod(undefined, '2026-12-06')).toEqual({ key: '2026-Q4', from: '2026-10-01', to: '2026-12-31' });
    expect(directivePeriod('not-a-period', '2026-05-06')).toEqual({ key: '2026-Q2', from: '2026-04-01', to: '2026-06-30' });
    expect(pickerDate('2026-12-06')).toBe('2027-01-01');
    expect(pickerDate('2026-03-31')).toBe('2026-04-01');
  });
});

describe('the forms a task shows', () => {
  it('gives the lead agency’s officer progress, done and more time on an open task, and the office cancelling only', () => {
    const open = taskState(terms, [progress], MARCH_15);
    expect(taskForms(open, officer)).toEqual(['progress', 'done', 'extension']);
    expect(taskForms(open, office)).toEqual(['cancel']);
    expect(taskForms(open, { report: false, manage: false })).toEqual([]);
  });

  it('while a report of done awaits, gives the office confirm or refuse, and the officer nothing', () => {
    const awaiting = taskState(terms, [progress, done], '2026-03-20T05:00:00Z');
    expect(taskForms(awaiting, officer)).toEqual([]);
    expect(taskForms(awaiting, office)).toEqual(['confirm', 'refuseDone', 'cancel']);
  });

  it('while an extension is asked, gives the office approve or refuse, and the officer no second request', () => {
    const pending = taskState(terms, [asked], '2026-03-25T05:00:00Z');
    expect(taskForms(pending, officer)).toEqual(['progress', 'done']);
    expect(taskForms(pending, office)).toEqual(['approve', 'refuseExtension', 'cancel']);
  });

  it('still lets an overdue task be reported on, done late or extended', () => {
    const overdue = taskState(terms, [progress], APRIL_3);
    expect(overdue.status).toBe('overdue');
    expect(taskForms(overdue, officer)).toEqual(['progress', 'done', 'extension']);
  });

  it('gives nothing on a task done or cancelled, and no extension on a regular task', () => {
    const closed = taskState(terms, [progress, done, confirmed], APRIL_3);
    expect(taskForms(closed, { report: true, manage: true })).toEqual([]);
    const regular = taskState({ deadline: null, confirmDone: false }, [], MARCH_15);
    expect(taskForms(regular, officer)).toEqual(['progress', 'done']);
  });

  it('takes the server’s word on what the reader may do, else the permissions of the roles', () => {
    const g = (role: Grant['role']): Grant => ({ role, organisationCode: null, placeCode: null });
    expect(taskMay([g('leader')], { report: true, manage: false })).toEqual({ report: true, manage: false });
    expect(taskMay([g('agency_officer')], { report: false, manage: false })).toEqual({ report: false, manage: false });
    expect(taskMay([g('leader')])).toEqual({ report: false, manage: false });
    expect(taskMay(null)).toEqual({ report: false, manage: false });
  });
});

describe('what a form sends', () => {
  const v = (over: Partial<FormValues>): FormValues => ({ percent: '40', text: '', until: '', reason: '', ...over });

  it('says what keeps it from being sent', () => {
    expect(formProblem('progress', v({ percent: '101' }), '2026-03-31')).toBe('badPercent');
    expect(formProblem('progress', v({ percent: '' }), '2026-03-31')).toBe('badPercent');
    expect(formProblem('progress', v({ percent: '12.5' }), '2026-03-31')).toBe('badPercent');
    expect(formProblem('progress', v({ percent: '100' }), '2026-03-31')).toBeNull();
    expect(formProblem('done', v({ percent: 'x' }), '2026-03-31')).toBeNull();
    expect(formProblem('extension', v({ until: '2026-03-31', reason: 'Chờ' }), '2026-03-31')).toBe('needDate');
    expect(formProblem('extension', v({ until: '2026-04-01', reason: ' ' }), '2026-03-31')).toBe('needReason');
    expect(formProblem('extension', v({ until: '2026-04-01', reason: 'Chờ' }), '2026-03-31')).toBeNull();
    expect(formProblem('approve', v({ until: '2026-04-01' }), '2026-03-31')).toBeNull();
    expect(formProblem('approve', v({ until: '' }), '2026-03-31')).toBe('needDate');
    expect(formProblem('cancel', v({ reason: '' }), '2026-03-31')).toBe('needReason');
    expect(formProblem('confirm', v({}), '2026-03-31')).toBeNull();
  });

  it('sends a report or a decision about the occurrence shown', () => {
    expect(formBody('progress', v({ percent: ' 60 ', text: ' Đã khảo sát ' }), null)).toEqual({ report: { kind: 'progress', occurrence: null, percent: 60, text: 'Đã khảo sát' } });
    expect(formBody('extension', v({ until: '2026-04-30', reason: 'Chờ' }), '2026-03')).toEqual({ report: { kind: 'extension_requested', occurrence: '2026-03', until: '2026-04-30', reason: 'Chờ' } });
    expect(formBody('approve', v({ until: '2026-04-30' }), null)).toEqual({ decision: { kind: 'extension_approved', occurrence: null, until: '2026-04-30' } });
    expect(formBody('confirm', v({}), null)).toEqual({ decision: { kind: 'done_confirmed', occurrence: null } });
    expect(formBody('cancel', v({ reason: 'Không còn phù hợp' }), null)).toEqual({ decision: { kind: 'cancelled', occurrence: null, reason: 'Không còn phù hợp' } });
  });
});

describe('the directives’ addresses', () => {
  it('encode a document’s number with its slash, and read it back', () => {
    expect(directiveUrl('125/TB-UBND')).toBe('/directives/125%2FTB-UBND');
    expect(directiveUrl('125/TB-UBND', { agency: 'SXD', task: '2.a' })).toBe('/directives/125%2FTB-UBND?agency=SXD&task=2.a');
    expect(parseRoute('/directives/125%2FTB-UBND')).toEqual({ name: 'directive', number: '125/TB-UBND' });
    expect(parseRoute('/directives')).toEqual({ name: 'directives' });
    expect(parseRoute('/directives/%E0%A4')).toEqual({ name: 'notFound' });
    expect(routeUrl({ name: 'directive', number: '125/TB-UBND' })).toBe('/directives/125%2FTB-UBND');
    expect(directivesUrl({ period: '2026-Q1', agency: 'SXD' })).toBe('/directives?period=2026-Q1&agency=SXD');
    expect(directivesUrl()).toBe('/directives');
  });
});
