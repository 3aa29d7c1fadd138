import type { ParLeafAssessment } from '@watchfloor/core';
import { describe, expect, it } from 'vitest';
import { assessmentSteps, assessmentTree, leafActions, leafStages, parsePoints, pointsProblem, refusedLeaves, signedPoints, type Can } from './assessment-model';

const none: Can = { assess: false, submit: false, adjust: false, return: false, answer: false, decide: false };

function leaf(code: string, over: Partial<ParLeafAssessment> = {}): ParLeafAssessment {
  return {
    code,
    fieldCode: 'F1',
    criterionCode: 'F1.1',
    name: `Tiêu chí ${code}`,
    nameEn: null,
    method: 'self',
    maxPoints: 2,
    evidenceRequired: false,
    guidance: null,
    self: null,
    note: null,
    computed: null,
    basis: null,
    dispute: null,
    appraised: null,
    appraisalReason: null,
    response: null,
    final: null,
    finalReason: null,
    points: 0,
    evidence: [],
    ...over,
  };
}

describe('what a leaf offers', () => {
  it('lets the unit type points on self-assessed and deduction leaves only, and dispute computed and survey points', () => {
    const draft: Can = { ...none, assess: true, submit: true };
    expect(leafActions({ method: 'self' }, draft)).toEqual({ self: true, dispute: false, evidence: true, adjust: false, answer: false, decide: false });
    expect(leafActions({ method: 'deduction' }, draft)).toMatchObject({ self: true, dispute: false });
    expect(leafActions({ method: 'computed' }, draft)).toMatchObject({ self: false, dispute: true, evidence: true });
    expect(leafActions({ method: 'survey' }, draft)).toMatchObject({ self: false, dispute: true });
  });

  it('offers nothing the server does not allow now', () => {
    for (const method of ['self', 'computed', 'survey', 'deduction'] as const) {
      expect(Object.values(leafActions({ method }, none)).some(Boolean)).toBe(false);
    }
    // The appraisers adjust any leaf, computed ones included, and never edit the unit's own words.
    expect(leafActions({ method: 'computed' }, { ...none, adjust: true, return: true })).toEqual({ self: false, dispute: false, evidence: false, adjust: true, answer: false, decide: false });
    expect(leafActions({ method: 'self' }, { ...none, answer: true })).toMatchObject({ answer: true, self: false, evidence: false });
    expect(leafActions({ method: 'self' }, { ...none, decide: true })).toMatchObject({ decide: true, adjust: false });
  });

  it('lists the whole assessment’s steps in the order of the cycle', () => {
    expect(assessmentSteps(none)).toEqual([]);
    expect(assessmentSteps({ ...none, assess: true, submit: true })).toEqual(['submit']);
    expect(assessmentSteps({ ...none, adjust: true, return: true })).toEqual(['return']);
    expect(assessmentSteps({ ...none, decide: true, answer: true })).toEqual(['answer', 'decide']);
  });
});

describe('the tree of a unit’s assessment', () => {
  const leaves = [
    leaf('F2.1', { fieldCode: 'F2', criterionCode: 'F2.1', name: 'Tỷ lệ hồ sơ đúng hạn', method: 'computed' }),
    leaf('F1.1.a', { criterionCode: 'F1.1' }),
    leaf('F1.1.b', { criterionCode: 'F1.1' }),
    leaf('F1.2', { criterionCode: 'F1.2', name: 'Kế hoạch CCHC' }),
  ];
  const fields = [
    { code: 'F2', points: 1, max: 3 },
    { code: 'F1', points: 2.5, max: 6 },
  ];
  const framework = {
    fields: [
      { code: 'F1', name: 'Công tác chỉ đạo', nameEn: 'Direction', criteria: [{ code: 'F1.1', name: 'Kế hoạch', nameEn: null }, { code: 'F1.2', name: 'Kế hoạch CCHC', nameEn: null }] },
      { code: 'F2', name: 'Thủ tục hành chính', nameEn: null, criteria: [{ code: 'F2.1', name: 'Tỷ lệ hồ sơ đúng hạn', nameEn: null }] },
    ],
  } as unknown as Parameters<typeof assessmentTree>[1];

  it('groups leaves by field and criterion in the framework’s order, with each field’s totals and names', () => {
    const tree = assessmentTree({ leaves, fields }, framework);
    expect(tree.map((f) => [f.code, f.name, f.points, f.max])).toEqual([
      ['F1', 'Công tác chỉ đạo', 2.5, 6],
      ['F2', 'Thủ tục hành chính', 1, 3],
    ]);
    expect(tree[0]!.criteria.map((c) => [c.code, c.name, c.scoredItself, c.leaves.map((l) => l.code)])).toEqual([
      ['F1.1', 'Kế hoạch', false, ['F1.1.a', 'F1.1.b']],
      ['F1.2', 'Kế hoạch CCHC', true, ['F1.2']],
    ]);
  });

  it('without the framework, names fields by their code and criteria scored themselves by their own name', () => {
    const tree = assessmentTree({ leaves, fields }, null);
    expect(tree.map((f) => f.name)).toEqual(['F2', 'F1']);
    expect(tree[0]!.criteria[0]).toMatchObject({ code: 'F2.1', name: 'Tỷ lệ hồ sơ đúng hạn', scoredItself: true });
    expect(tree[1]!.criteria[0]).toMatchObject({ code: 'F1.1', name: 'F1.1', scoredItself: false });
  });
});

describe('a leaf’s steps', () => {
  it('shows a self-assessed leaf’s own points, then the appraisal, the answer and the decision it went through', () => {
    const l = leaf('A', { self: 2, note: 'Có kế hoạch', appraised: 1.5, appraisalReason: 'Thiếu báo cáo quý IV', response: 'Đã bổ sung', final: 1.75, finalReason: 'Chấp nhận một phần' });
    expect(leafStages(l)).toEqual([
      { kind: 'self', points: 2, note: 'Có kế hoạch' },
      { kind: 'appraised', points: 1.5, reason: 'Thiếu báo cáo quý IV' },
      { kind: 'response', text: 'Đã bổ sung' },
      { kind: 'final', points: 1.75, reason: 'Chấp nhận một phần' },
    ]);
  });

  it('shows a computed leaf’s computed points and the dispute, never a self step', () => {
    expect(leafStages(leaf('B', { method: 'computed', computed: 0.5, dispute: 'Số liệu thiếu tháng 12' }))).toEqual([
      { kind: 'computed', points: 0.5 },
      { kind: 'dispute', text: 'Số liệu thiếu tháng 12' },
    ]);
    expect(leafStages(leaf('C', { method: 'survey' }))).toEqual([{ kind: 'computed', points: null }]);
  });
});

describe('refusals and typed points', () => {
  const leaves = [leaf('A'), leaf('B'), leaf('C')];
  it('names the leaves a refusal is about, whatever shape its details take, in the assessment’s order', () => {
    expect(refusedLeaves(['C', 'A'], leaves)).toEqual(['A', 'C']);
    expect(refusedLeaves({ leaves: [{ code: 'B', problem: 'evidence' }] }, leaves)).toEqual(['B']);
    expect(refusedLeaves({ missing: ['C'], evidence: ['A'] }, leaves)).toEqual(['A', 'C']);
    expect(refusedLeaves([{ criterion: 'Z' }], leaves)).toEqual([]);
    expect(refusedLeaves(undefined, leaves)).toEqual([]);
  });

  it('reads points written either way and says what is wrong with them', () => {
    expect(parsePoints('1,5')).toBe(1.5);
    expect(parsePoints(' 1.25 ')).toBe(1.25);
    expect(parsePoints('2')).toBe(2);
    expect(parsePoints('')).toBeNull();
    expect(parsePoints('-1')).toBeNull();
    expect(parsePoints('1,2,3')).toBeNull();
    expect(pointsProblem(parsePoints('abc'), 'abc', 2)).toBe('notNumber');
    expect(pointsProblem(parsePoints('2,5'), '2,5', 2)).toBe('outOfRange');
    expect(pointsProblem(parsePoints('2'), '2', 2)).toBeNull();
    expect(pointsProblem(null, '', 2)).toBeNull();
  });

  it('shows points taken off with a minus sign', () => {
    expect(signedPoints(0.5, 'deduction')).toBe(-0.5);
    expect(signedPoints(0, 'deduction')).toBe(0);
    expect(signedPoints(0.5, 'self')).toBe(0.5);
  });
});
