import { describe, expect, it } from 'vitest';
import { type ParCycle, type ParResult } from '@watchfloor/core';
import { allFinal, bandColour, bandColours, BELOW_BANDS_COLOUR, changeMark, fieldColumns, mapDate, fieldPoints, kindOf, latestCycle, rankingOf, topLost } from './results-model';

const cycle = (id: number, year: number): ParCycle => ({
  id,
  frameworkCode: `F${year}`,
  year,
  name: `PAR ${year}`,
  nameEn: null,
  example: true,
  deadlines: { selfAssessmentDue: `${year + 1}-01-15`, appraisalDue: `${year + 1}-02-15`, responseDays: 5 },
  openedAt: `${year}-12-01T00:00:00.000Z`,
  openedBy: 'appraiser',
  publishedAt: null,
  publishedBy: null,
  counts: { draft: 0, submitted: 0, appraised: 0, answered: 0, final: 0 },
});

const result = (code: string, name: string, over: Partial<ParResult>): ParResult => ({
  code,
  name,
  nameEn: null,
  kind: 'department',
  placeCode: null,
  status: 'final',
  final: true,
  total: 0,
  max: 10,
  index: 0,
  band: null,
  rank: 1,
  of: 1,
  previousIndex: null,
  change: null,
  fields: [],
  lost: [],
  ...over,
});

describe('the PAR Index results on screen', () => {
  it('reads the kind of unit from the address, departments unless communes are asked for', () => {
    expect(kindOf('')).toBe('department');
    expect(kindOf('?kind=commune')).toBe('commune');
    expect(kindOf('?kind=department')).toBe('department');
    expect(kindOf('?kind=province')).toBe('department');
  });

  it('shows the newest year’s cycle at /par while none is published, the later opened of two in one year', () => {
    expect(latestCycle([])).toBeNull();
    expect(latestCycle([cycle(1, 2024), cycle(3, 2025), cycle(2, 2023)])?.id).toBe(3);
    expect(latestCycle([cycle(4, 2025), cycle(5, 2025), cycle(1, 2024)])?.id).toBe(5);
  });

  it('shows the newest published cycle at /par rather than a later one still in progress', () => {
    const published = (id: number, year: number): ParCycle => ({ ...cycle(id, year), publishedAt: '2026-03-01T00:00:00.000Z' });
    expect(latestCycle([published(1, 2024), published(2, 2025), cycle(3, 2026)])?.id).toBe(2);
    expect(latestCycle([published(1, 2024), cycle(2, 2025)])?.id).toBe(1);
  });

  it('ranks one kind by rank, a shared rank in alphabetical order, leaving the other kind out', () => {
    const list = [
      result('C', 'Sở Tài chính', { rank: 2, of: 4 }),
      result('X', 'Xã Long Hồ', { kind: 'commune', rank: 1, of: 1 }),
      result('A', 'Sở Y tế', { rank: 4, of: 4 }),
      result('B', 'Sở Nội vụ', { rank: 2, of: 4 }),
      result('D', 'Ban Quản lý', { rank: 1, of: 4 }),
    ];
    // Ranks 1, 2, 2, 4: the two at 2 as Vietnamese sorts their names ("Sở N…" before "Sở T…").
    expect(rankingOf(list, 'department').map((r) => r.code)).toEqual(['D', 'B', 'C', 'A']);
    expect(rankingOf(list, 'commune').map((r) => r.code)).toEqual(['X']);
  });

  it('marks a rise ▲ and a fall ▼ with the size of the change, nothing without last year', () => {
    expect(changeMark(2.5)).toEqual({ arrow: '▲', direction: 'up', value: 2.5 });
    expect(changeMark(-3.25)).toEqual({ arrow: '▼', direction: 'down', value: 3.25 });
    expect(changeMark(0)).toEqual({ arrow: '=', direction: 'same', value: 0 });
    // Below half a hundredth of a point it reads as unchanged, not as a fall of 0.
    expect(changeMark(-0.004)).toEqual({ arrow: '=', direction: 'same', value: 0 });
    expect(changeMark(null)).toBeNull();
  });

  it('lists the three criteria where a unit lost most, most first, ties in the order the server gave (the framework’s), named in the reader’s language', () => {
    const lost = [
      { code: 'L2', name: 'Báo cáo đúng hạn', nameEn: null, fieldCode: 'F1', lost: 1, max: 1 },
      { code: 'C2', name: 'Kiểm tra', nameEn: null, fieldCode: 'F1', lost: 1.5, max: 3 },
      { code: 'L1', name: 'Ban hành kế hoạch', nameEn: 'The plan issued', fieldCode: 'F1', lost: 1, max: 2 },
      { code: 'C3', name: 'Khấu trừ', nameEn: null, fieldCode: 'F2', lost: 0.5, max: 1 },
      { code: 'ZZ', name: 'Không mất', nameEn: null, fieldCode: 'F2', lost: 0, max: 1 },
    ];
    // 1.5 first; L2 and L1 tie at 1 and keep the order given; the fourth (0.5) is left out.
    expect(topLost(lost, 'vi').map((l) => [l.code, l.label])).toEqual([
      ['C2', 'Kiểm tra'],
      ['L2', 'Báo cáo đúng hạn'],
      ['L1', 'Ban hành kế hoạch'],
    ]);
    expect(topLost(lost, 'en').map((l) => l.label)).toEqual(['Kiểm tra', 'Báo cáo đúng hạn', 'The plan issued']);
    // Nothing lost lists nothing.
    expect(topLost(lost, 'vi', 1).map((l) => l.code)).toEqual(['C2']);
    expect(topLost([lost[4]!], 'vi')).toEqual([]);
  });

  it('gives a unit’s points per field and the columns of the fields some unit is scored in', () => {
    const a = result('A', 'Sở A', { fields: [{ code: 'F1', points: 7.5, max: 10 }], final: false });
    const b = result('B', 'Sở B', { fields: [{ code: 'F1', points: 9, max: 10 }] });
    expect(fieldPoints(a, 'F1')).toEqual({ points: 7.5, max: 10 });
    expect(fieldPoints(a, 'F2')).toBeNull();
    expect(fieldColumns([{ code: 'F1' }, { code: 'F2' }], [a, b])).toEqual([{ code: 'F1' }]);
    expect(allFinal([a, b])).toBe(false);
    expect(allFinal([b])).toBe(true);
  });

  it('colours the bands from dark to bright, the highest band brightest, a unit below them all dark red', () => {
    const colours = bandColours([{ code: 'xuat-sac' }, { code: 'tot' }, { code: 'kha' }]);
    // Three classes take the ramp's ends and middle (viridis): bright yellow, teal, dark purple.
    expect([...colours]).toEqual([
      ['xuat-sac', '#fde725'],
      ['tot', '#21918c'],
      ['kha', '#3b0f70'],
    ]);
    expect(bandColour(colours, { code: 'tot' })).toBe('#21918c');
    expect(bandColour(colours, null)).toBe(BELOW_BANDS_COLOUR);
    // The map of a cycle's communes is as of its year's end, or today within the year.
    expect(mapDate(2025, '2026-05-01')).toBe('2025-12-31');
    expect(mapDate(2026, '2026-05-01')).toBe('2026-05-01');
  });
});
