import { describe, expect, it } from 'vitest';
import { copyFramework, frameworkLeaves, maxPointsFor, parFrameworkSchema, type ParFrameworkInput } from './framework';
import { bandOf, indexChange, leafPoints, pointsByRule, rankWithinKinds, scoreUnit } from './scoring';
import { daysLate, parActionRefusal, responseDue } from './cycle';

/** Two fields, five leaves, one of each method (and a criterion scored itself), departments and communes. */
const small: ParFrameworkInput = {
  code: 'T-2026',
  year: 2026,
  name: 'Bộ chỉ số thử',
  unitKinds: ['department', 'commune'],
  bands: [
    { code: 'A', name: 'Tốt', atLeast: 80 },
    { code: 'B', name: 'Khá', atLeast: 60 },
    { code: 'C', name: 'Trung bình', atLeast: 0 },
  ],
  fields: [
    {
      code: 'F1',
      name: 'Công tác chỉ đạo',
      criteria: [
        { code: 'F1.1', name: 'Kế hoạch', maxPoints: 2, method: 'self', evidenceRequired: true },
        {
          code: 'F1.2',
          name: 'Thủ tục hành chính',
          subCriteria: [
            { code: 'F1.2.1', name: 'Hồ sơ đúng hạn', maxPoints: 1, method: 'computed', indicator: 'PS_ON_TIME_RATE', rule: { kind: 'ladder', steps: [{ atLeast: 100, points: 1 }, { atLeast: 95, points: 0.5 }], otherwise: 0 } },
            { code: 'F1.2.2', name: 'Chậm báo cáo', maxPoints: 1, method: 'deduction' },
          ],
        },
      ],
    },
    {
      code: 'F2',
      name: 'Tác động',
      criteria: [
        {
          code: 'F2.1',
          name: 'Hài lòng',
          subCriteria: [
            { code: 'F2.1.1', name: 'SIPAS', maxPoints: 4, method: 'survey', indicator: 'SIPAS', rule: { kind: 'linear', from: 50, to: 100 } },
            { code: 'F2.1.2', name: 'Chỉ cho xã', maxPoints: 1, method: 'self', appliesTo: ['commune'] },
          ],
        },
      ],
    },
  ],
};

const f = parFrameworkSchema.parse(small);

describe('a PAR framework as data', () => {
  it('reads a tree of fields, criteria and sub-criteria, a criterion scored itself being a leaf', () => {
    expect(frameworkLeaves(f).map((e) => [e.leaf.code, e.fieldCode, e.appliesTo])).toEqual([
      ['F1.1', 'F1', ['department', 'commune']],
      ['F1.2.1', 'F1', ['department', 'commune']],
      ['F1.2.2', 'F1', ['department', 'commune']],
      ['F2.1.1', 'F2', ['department', 'commune']],
      ['F2.1.2', 'F2', ['commune']],
    ]);
  });

  it('gives each kind of unit the maximum of the leaves that apply to it, deductions left out', () => {
    expect(maxPointsFor(f, 'department')).toBe(7);
    expect(maxPointsFor(f, 'commune')).toBe(8);
  });

  it('refuses a framework that cannot be scored, saying why', () => {
    const bad = structuredClone(small) as ParFrameworkInput & { fields: { criteria: Record<string, unknown>[] }[] };
    bad.fields[1]!.criteria[0]!.code = 'F1.1';
    bad.fields[0]!.criteria[1]!.subCriteria = [{ code: 'X', name: 'x', maxPoints: 1, method: 'computed' }];
    bad.bands = [{ code: 'A', name: 'a', atLeast: 50 }, { code: 'B', name: 'b', atLeast: 70 }];
    const r = parFrameworkSchema.safeParse(bad);
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => i.message);
    expect(messages).toContain('the code F1.1 is used twice');
    expect(messages).toContain('X: a computed criterion names its indicator and its rule');
    expect(messages).toContain('classification bands go from the highest down');
  });

  it('refuses a ladder step worth more than its criterion', () => {
    const bad = structuredClone(small) as ParFrameworkInput & { fields: { criteria: { subCriteria?: Record<string, unknown>[] }[] }[] };
    bad.fields[0]!.criteria[1]!.subCriteria![0]!.rule = { kind: 'ladder', steps: [{ atLeast: 100, points: 3 }] };
    expect(parFrameworkSchema.safeParse(bad).error?.issues.map((i) => i.message)).toEqual(['F1.2.1: a ladder step gives 3 points, more than the maximum 1']);
  });

  it('copies to the next year under a new code, as a draft without a decision', () => {
    const withDecision = { ...f, decision: { number: '1/QĐ-UBND', date: '2026-01-05', issuer: 'UBND tỉnh' } };
    const next = copyFramework(withDecision, { code: 'T-2027', year: 2027 });
    expect([next.code, next.year, next.decision, next.fields]).toEqual(['T-2027', 2027, null, f.fields]);
    expect(withDecision.decision).not.toBeNull();
  });
});

describe('points from a figure', () => {
  const ladder = { kind: 'ladder' as const, steps: [{ atLeast: 100, points: 1 }, { atLeast: 95, points: 0.5 }], otherwise: 0 };
  it('climbs a ladder: 100 % → 1, ≥ 95 % → 0.5, below → 0', () => {
    expect([100, 99.9, 95, 94.99].map((v) => pointsByRule(ladder, v, 1))).toEqual([1, 0.5, 0.5, 0]);
  });
  it('scales linearly between two values, clamped, either way round', () => {
    const up = { kind: 'linear' as const, from: 50, to: 100 };
    expect([40, 50, 80, 100, 120].map((v) => pointsByRule(up, v, 4))).toEqual([0, 0, 2.4, 4, 4]);
    expect(pointsByRule({ kind: 'linear', from: 10, to: 0 }, 2.5, 2)).toBe(1.5);
  });
  it('gives no points without a figure', () => {
    expect(pointsByRule(ladder, null, 1)).toBeNull();
  });
});

describe("a unit's score", () => {
  const p = (code: string, v: Partial<{ self: number; computed: number; appraised: number; final: number }>) => ({ code, self: null, computed: null, appraised: null, final: null, ...v });

  it('takes each step over the one before: final, appraised, then self or computed', () => {
    const leaf = { method: 'self' as const, maxPoints: 2 };
    expect(leafPoints(leaf, p('x', { self: 2 }))).toEqual({ points: 2, stage: 'self' });
    expect(leafPoints(leaf, p('x', { self: 2, appraised: 1 }))).toEqual({ points: 1, stage: 'appraised' });
    expect(leafPoints(leaf, p('x', { self: 2, appraised: 1, final: 1.5 }))).toEqual({ points: 1.5, stage: 'final' });
    expect(leafPoints({ method: 'computed', maxPoints: 1 }, p('x', { self: 1 }))).toEqual({ points: 0, stage: 'none' });
  });

  it('adds points per field and in all, deductions taken off, over the maximum of its kind (worked by hand)', () => {
    // Department: F1.1 self 2 appraised 1.5; F1.2.1 computed 0.5; F1.2.2 deduction 0.25; F2.1.1 survey 2.4.
    // F1 = 1.5 + 0.5 - 0.25 = 1.75 of 3; F2 = 2.4 of 4; total 4.15 of 7 → 59.29 %, band C; F2.1.2 is not the department's.
    const s = scoreUnit(f, 'department', [p('F1.1', { self: 2, appraised: 1.5 }), p('F1.2.1', { computed: 0.5 }), p('F1.2.2', { self: 0.25 }), p('F2.1.1', { computed: 2.4 }), p('F2.1.2', { self: 1 })]);
    expect(s.fields).toEqual([
      { code: 'F1', points: 1.75, max: 3 },
      { code: 'F2', points: 2.4, max: 4 },
    ]);
    expect([s.total, s.max, s.index, s.band?.code]).toEqual([4.15, 7, 59.29, 'C']);
    // Lost: F2.1.1 1.6, F1.2.1 0.5, F1.1 0.5, deduction 0.25.
    expect(s.lost.map((l) => [l.code, l.lost])).toEqual([
      ['F2.1.1', 1.6],
      ['F1.1', 0.5],
      ['F1.2.1', 0.5],
      ['F1.2.2', 0.25],
    ]);
    expect(s.unscored).toEqual([]);
  });

  it('counts a leaf without points as lost whole and names it unscored; never goes below 0', () => {
    const s = scoreUnit(f, 'commune', [p('F1.2.2', { self: 1 })]);
    expect([s.total, s.max, s.index]).toEqual([0, 8, 0]);
    expect(s.unscored).toEqual(['F1.1', 'F1.2.1', 'F2.1.1', 'F2.1.2']);
  });

  it('falls in the highest band it reaches', () => {
    expect([80, 79.99, 60, 0].map((i) => bandOf(f.bands, i)?.code)).toEqual(['A', 'B', 'B', 'C']);
    expect(bandOf([{ code: 'A', name: 'a', nameEn: null, atLeast: 50 }], 10)).toBeNull();
  });
});

describe('ranking', () => {
  it('ranks within each kind, equal indices sharing a rank (1, 2, 2, 4)', () => {
    const units = [
      { unit: 'S1', kind: 'department' as const, index: 90 },
      { unit: 'X1', kind: 'commune' as const, index: 50 },
      { unit: 'S2', kind: 'department' as const, index: 80 },
      { unit: 'S3', kind: 'department' as const, index: 80 },
      { unit: 'S4', kind: 'department' as const, index: 70 },
    ];
    expect(rankWithinKinds(units).map((u) => [u.unit, u.rank, u.of])).toEqual([
      ['S1', 1, 4],
      ['S2', 2, 4],
      ['S3', 2, 4],
      ['S4', 4, 4],
      ['X1', 1, 1],
    ]);
  });
  it('says the change since last year, when there was a score then', () => {
    expect([indexChange(85.5, 80.25), indexChange(85.5, null)]).toEqual([5.25, null]);
  });
});

describe('the steps of a cycle', () => {
  const open = { status: 'draft' as const, cyclePublished: false, returnedOn: null };
  it('lets a draft be assessed and submitted, and nothing be appraised before it is submitted', () => {
    expect(parActionRefusal('assess', open, { responseDays: 7 }, '2026-03-01')).toBeNull();
    expect(parActionRefusal('submit', open, { responseDays: 7 }, '2026-03-01')).toBeNull();
    expect(parActionRefusal('adjust', open, { responseDays: 7 }, '2026-03-01')).toBe('par_step_not_allowed');
    expect(parActionRefusal('assess', { ...open, status: 'submitted' }, { responseDays: 7 }, '2026-03-01')).toBe('par_step_not_allowed');
  });
  it('takes an answer within its window only, and the council may decide without one', () => {
    const back = { status: 'appraised' as const, cyclePublished: false, returnedOn: '2026-04-01' };
    expect(responseDue('2026-04-01', 7)).toBe('2026-04-08');
    expect(parActionRefusal('answer', back, { responseDays: 7 }, '2026-04-08')).toBeNull();
    expect(parActionRefusal('answer', back, { responseDays: 7 }, '2026-04-09')).toBe('par_window_closed');
    expect(parActionRefusal('decide', back, { responseDays: 7 }, '2026-04-09')).toBeNull();
    expect(parActionRefusal('answer', { ...back, status: 'answered' }, { responseDays: 7 }, '2026-04-02')).toBe('par_step_not_allowed');
  });
  it('changes nothing once the cycle is published', () => {
    expect(parActionRefusal('decide', { status: 'answered', cyclePublished: true, returnedOn: '2026-04-01' }, { responseDays: 7 }, '2026-04-02')).toBe('par_cycle_published');
  });
  it('counts days late from the deadline, through the whole due day', () => {
    expect(daysLate('2026-03-15', '2026-03-15', '2026-04-01')).toBe(0);
    expect(daysLate('2026-03-15', '2026-03-18', '2026-04-01')).toBe(3);
    expect(daysLate('2026-03-15', null, '2026-03-20')).toBe(5);
  });
});
