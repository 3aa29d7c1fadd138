import { describe, expect, it } from 'vitest';
import { parseRoute, routeUrl } from '../../app/routes';
import { allowedMoves, caseBoardUrl, caseUrl, dataDeskUrl, readCaseFilter, readDataSelection } from './desk-routes';

describe('the case board filter in the URL', () => {
  it('reads every filter from the query and writes it back the same', () => {
    const search = '?status=assigned&category=GIAO_THONG&place=29242&organisation=UBND-29242&overdue=due_soon';
    const filter = readCaseFilter(search);
    expect(filter).toEqual({ status: 'assigned', category: 'GIAO_THONG', place: '29242', organisation: 'UBND-29242', overdue: 'due_soon' });
    expect(caseBoardUrl(filter)).toBe(`/desk/cases${search}`);
    expect(readCaseFilter(new URL(caseBoardUrl(filter), 'http://x').search)).toEqual(filter);
  });

  it('leaves out values the API would refuse, so a mistyped link still shows a board', () => {
    expect(readCaseFilter('?status=done&category=giao thong&place=abc&organisation=a%20b&overdue=late')).toEqual({
      status: undefined,
      category: undefined,
      place: undefined,
      organisation: undefined,
      overdue: undefined,
    });
    expect(caseBoardUrl(readCaseFilter('?status=done'))).toBe('/desk/cases');
  });

  it('names the desks and one case, and parses them back', () => {
    expect(parseRoute('/desk/cases')).toEqual({ name: 'deskCases' });
    expect(parseRoute('/desk/cases/')).toEqual({ name: 'deskCases' });
    expect(parseRoute('/desk/alerts')).toEqual({ name: 'deskAlerts' });
    expect(parseRoute('/desk/data')).toEqual({ name: 'deskData' });
    expect(parseRoute('/desk/other')).toEqual({ name: 'notFound' });
    expect(parseRoute(caseUrl('PA000012'))).toEqual({ name: 'case', id: 'PA000012' });
    expect(routeUrl({ name: 'case', id: 'PA000012' })).toBe('/cases/PA000012');
    expect(parseRoute('/cases/%E0%A4%A')).toEqual({ name: 'notFound' });
  });

  it('keeps the data desk selection (source, run) in the URL', () => {
    expect(dataDeskUrl({ source: 'SCT-MANUAL', run: 12 })).toBe('/desk/data?source=SCT-MANUAL&run=12');
    expect(readDataSelection('?source=SCT-MANUAL&run=12')).toEqual({ source: 'SCT-MANUAL', run: 12 });
    expect(readDataSelection('?source=../x&run=-1')).toEqual({ source: undefined, run: undefined });
  });
});

describe('the moves offered on a case', () => {
  it('are exactly those the workflow allows from its status', () => {
    expect(allowedMoves('new')).toEqual(['received', 'rejected']);
    expect(allowedMoves('assigned')).toEqual(['in_progress', 'rejected']);
    expect(allowedMoves('in_progress')).toEqual(['resolved']);
    expect(allowedMoves('closed')).toEqual(['reopened']);
  });
});
