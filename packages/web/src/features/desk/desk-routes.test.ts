import { describe, expect, it } from 'vitest';
import { parseRoute, routeUrl } from '../../app/routes';
import { allowedMoves, caseBoardUrl, caseUrl, dataDeskUrl, dossiersUrl, readCaseFilter, readDataSelection, readDossierFilter } from './desk-routes';

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

describe('the dossiers list filter in the URL', () => {
  it('reads every filter from the query and writes it back the same, a screen of its own', () => {
    const search = '?organisation=VL-TTHCC&place=29242&procedure=1.001234&status=in_process&late=true&dueWithin24h=true&receivedFrom=2026-11-01&receivedTo=2026-11-30';
    const filter = readDossierFilter(search);
    expect(dossiersUrl(filter)).toBe(`/desk/dossiers${search}`);
    expect(parseRoute('/desk/dossiers')).toEqual({ name: 'deskDossiers' });
    expect(routeUrl({ name: 'deskDossiers' })).toBe('/desk/dossiers');
  });

  it('leaves out values the API would refuse', () => {
    expect(dossiersUrl(readDossierFilter('?status=open&late=yes&dueWithin24h=1&place=abc&receivedFrom=1/11/2026'))).toBe('/desk/dossiers');
  });
});
