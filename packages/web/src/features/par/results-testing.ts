import type { ParResult, ParResults } from '@watchfloor/core';

/** The results of a small cycle for the tests of the results' views: three departments (one not decided) and a commune. */
export const BANDS = [
  { code: 'xuat-sac', name: 'Xuất sắc', nameEn: 'Excellent', atLeast: 90 },
  { code: 'tot', name: 'Tốt', nameEn: 'Good', atLeast: 80 },
];

export const unit = (code: string, name: string, over: Partial<ParResult>): ParResult => ({
  code,
  name,
  nameEn: null,
  kind: 'department',
  placeCode: null,
  status: 'final',
  final: true,
  total: 0,
  max: 20,
  index: 0,
  band: null,
  rank: 1,
  of: 3,
  previousIndex: null,
  change: null,
  fields: [],
  lost: [],
  ...over,
});

export const DATA: ParResults = {
  cycle: {
    id: 4,
    frameworkCode: 'VL-PAR-2026',
    year: 2026,
    name: 'Chỉ số CCHC 2026',
    nameEn: 'PAR Index 2026',
    example: true,
    deadlines: { selfAssessmentDue: '2027-01-15', appraisalDue: '2027-02-15', responseDays: 7 },
    openedAt: '2026-12-01T00:00:00.000Z',
    openedBy: 'tham-dinh',
    publishedAt: null,
    publishedBy: null,
    counts: { draft: 0, submitted: 0, appraised: 0, answered: 0, final: 3 },
  },
  bands: BANDS,
  fields: [
    { code: 'F1', name: 'Công tác chỉ đạo', nameEn: 'Direction' },
    { code: 'F2', name: 'Cải cách TTHC', nameEn: 'Procedures' },
  ],
  results: [
    // Sent out of order: the table orders by rank.
    unit('VL-STC', 'Sở Tài chính', { rank: 3, total: 15, index: 75, change: -2.5, status: 'answered', final: false, fields: [{ code: 'F1', points: 7, max: 10 }, { code: 'F2', points: 8, max: 10 }], lost: [{ code: 'L1', name: 'Ban hành kế hoạch', nameEn: 'The plan issued', fieldCode: 'F1', lost: 3, max: 5 }] }),
    unit('VL-SNV', 'Sở Nội vụ', { rank: 1, total: 19, index: 95, band: BANDS[0]!, change: 1.25, fields: [{ code: 'F1', points: 10, max: 10 }, { code: 'F2', points: 9, max: 10 }], lost: [{ code: 'L4', name: 'Công khai thủ tục', nameEn: null, fieldCode: 'F2', lost: 1, max: 4 }] }),
    unit('VL-SYT', 'Sở Y tế', { rank: 2, total: 17, index: 85, band: BANDS[1]!, fields: [{ code: 'F1', points: 9, max: 10 }, { code: 'F2', points: 8, max: 10 }] }),
    unit('UBND-29242', 'UBND xã Long Hồ', { kind: 'commune', placeCode: '29242', rank: 1, of: 1, total: 18, index: 90, band: BANDS[0]! }),
  ],
};
