import { describe, expect, it } from 'vitest';
import { checkTemplate, formatDateVi, formatNumberVi, reportTemplateSchema, splitParagraph } from './templates';

describe('report templates', () => {
  it('cuts a paragraph into text and placeholders, the place optional', () => {
    expect(splitParagraph('Thu {{value:BUD_REVENUE}} tỷ, xã {{rank:PS_ON_TIME_RATE@29242}}.')).toEqual([
      'Thu ',
      { text: '{{value:BUD_REVENUE}}', kind: 'value', indicator: 'BUD_REVENUE', place: null },
      ' tỷ, xã ',
      { text: '{{rank:PS_ON_TIME_RATE@29242}}', kind: 'rank', indicator: 'PS_ON_TIME_RATE', place: '29242' },
      '.',
    ]);
  });

  it('names each unknown placeholder and indicator with where it is', () => {
    const t = reportTemplateSchema.parse({
      version: 1,
      code: 'thu',
      title: { vi: 'Thử', en: 'Test' },
      sections: [
        { kind: 'text', paragraphs: ['{{value:A}} {{growth:A}} {{value a}}', '{{ytd:B}}'] },
        { kind: 'table', by: 'organisation', indicators: ['A', 'C'] },
      ],
    });
    expect(checkTemplate(t, new Set(['A'])).map((i) => [i.path, i.reason])).toEqual([
      ['sections.0.paragraphs.0', 'unknown_placeholder'],
      ['sections.0.paragraphs.0', 'unknown_placeholder'],
      ['sections.0.paragraphs.1', 'unknown_indicator'],
      ['sections.1.indicators.1', 'unknown_indicator'],
    ]);
  });

  it('writes numbers and dates as Vietnamese documents do', () => {
    expect([formatNumberVi(1234.56), formatNumberVi(1_000_000), formatNumberVi(0.05), formatNumberVi(-12.34)]).toEqual(['1.234,6', '1.000.000', '0,1', '-12,3']);
    expect(formatDateVi('2026-10-05')).toBe('05/10/2026');
  });
});
