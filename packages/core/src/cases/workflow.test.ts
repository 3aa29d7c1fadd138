import { describe, expect, it } from 'vitest';
import { errorOf } from '../testing';
import { assertTransition, canTransition, caseDeadline, CASE_STATUSES, CASE_TRANSITIONS, deadlineState, routeCase, type CaseRoute } from './workflow';

describe('case workflow', () => {
  it('walks the main path and the side paths', () => {
    const path = ['new', 'received', 'assigned', 'in_progress', 'resolved', 'closed', 'reopened', 'assigned'] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
    expect(canTransition('new', 'rejected')).toBe(true);
    expect(canTransition('rejected', 'reopened')).toBe(true);
  });

  it('refuses a forbidden move with a coded error naming the allowed ones', () => {
    const e = errorOf(() => assertTransition('new', 'closed'));
    expect(e.code).toBe('invalid_transition');
    expect(e.status).toBe(409);
    expect(e.details).toEqual({ from: 'new', to: 'closed', allowed: ['received', 'rejected'] });
    expect(canTransition('closed', 'in_progress')).toBe(false);
    expect(canTransition('resolved', 'resolved')).toBe(false);
  });

  it('names only known statuses as targets', () => {
    for (const targets of Object.values(CASE_TRANSITIONS)) for (const t of targets) expect(CASE_STATUSES).toContain(t);
  });
});

describe('case deadlines', () => {
  it('adds the service level to the receipt', () => {
    expect(caseDeadline('2026-11-28T03:00:00Z', 72)).toBe('2026-12-01T03:00:00.000Z');
    expect(caseDeadline('2026-11-28T03:00:00Z', 0.5)).toBe('2026-11-28T03:30:00.000Z');
    expect(() => caseDeadline('2026-11-28T03:00:00Z', 0)).toThrow();
  });

  it('tells overdue and about to be overdue (within 24 h) apart', () => {
    const now = new Date('2026-11-28T03:00:00Z');
    expect(deadlineState('assigned', '2026-11-28T02:59:59Z', now)).toBe('overdue');
    expect(deadlineState('assigned', '2026-11-28T03:00:00Z', now)).toBe('due_soon');
    expect(deadlineState('in_progress', '2026-11-29T03:00:00Z', now)).toBe('due_soon');
    expect(deadlineState('in_progress', '2026-11-29T03:00:01Z', now)).toBe('on_track');
    expect(deadlineState('closed', '2026-11-01T00:00:00Z', now)).toBe('finished');
    expect(deadlineState('reopened', '2026-11-01T00:00:00Z', now)).toBe('overdue');
  });
});

describe('case routing', () => {
  const routes: CaseRoute[] = [
    { place: '86', organisation: 'VL-SXD' },
    { place: '29242', organisation: 'UBND-{commune}' },
  ];
  const base = { routes, defaultOrganisation: 'VL-UBND' };

  it('takes the rule of the finest place the case lies in', () => {
    expect(routeCase({ ...base, placeCodes: ['29242', '86'], communeCode: '29242' })).toBe('UBND-29242');
    expect(routeCase({ ...base, placeCodes: ['29245', '86'], communeCode: '29245' })).toBe('VL-SXD');
  });

  it('falls back to the default, and lets an operator override', () => {
    expect(routeCase({ ...base, placeCodes: ['01001', '01'], communeCode: '01001' })).toBe('VL-UBND');
    expect(routeCase({ ...base, placeCodes: ['29242', '86'], communeCode: '29242', override: 'VL-SNNMT' })).toBe('VL-SNNMT');
  });

  it('needs the commune for a commune template', () => {
    expect(routeCase({ routes: [], defaultOrganisation: 'UBND-{commune}', placeCodes: ['86'], communeCode: null })).toBeNull();
    expect(routeCase({ routes: [], defaultOrganisation: 'UBND-{commune}', placeCodes: ['29242', '86'], communeCode: '29242' })).toBe('UBND-29242');
  });
});
