import { describe, expect, it } from 'vitest';
import type { OverviewItem } from '@watchfloor/core';
import { sparklinePath } from './sparkline-path';
import { overviewItem } from './testing';
import { defaultMapIndicator, groupByDomain, growthTone, statusClass } from './tile-model';

describe('overview tiles', () => {
  it('groups the applicable indicators by domain in the catalogue order, counting the rest', () => {
    const { groups, notApplicable } = groupByDomain([
      overviewItem({ code: 'A', domain: 'health' }),
      overviewItem({ code: 'B', domain: 'economy' }),
      overviewItem({ code: 'C', domain: 'health' }),
      overviewItem({ code: 'D', domain: 'economy', applicable: false }),
      // Not a domain of the catalogue: grouped last.
      overviewItem({ code: 'E', domain: 'made_up' as OverviewItem['domain'] }),
    ]);
    expect(groups.map((g) => [g.domain, g.items.map((i) => i.code)])).toEqual([
      ['economy', ['B']],
      ['health', ['A', 'C']],
      ['made_up', ['E']],
    ]);
    expect(notApplicable).toBe(1);
  });

  it('leaves out the indicators not collected at the place’s level, counting them apart', () => {
    const notHere = { colour: 'unrated' as const, reason: 'not_collected_at_level' as const, text: { vi: 'Chỉ thu thập ở cấp tỉnh', en: 'Province only' }, stale: false, staleness: null };
    const { groups, notApplicable, notCollectedHere } = groupByDomain([
      overviewItem({ code: 'PS_ON_TIME_RATE' }),
      overviewItem({ code: 'BUD_REVENUE', domain: 'budget', applicable: false, value: null, status: notHere }),
      overviewItem({ code: 'TRD_EXPORT', domain: 'trade', applicable: false, value: null, status: notHere }),
      overviewItem({ code: 'ECO_GRDP', domain: 'economy', applicable: false, value: null, status: { ...notHere, reason: 'not_applicable' } }),
    ]);
    expect(groups.flatMap((g) => g.items.map((i) => i.code))).toEqual(['PS_ON_TIME_RATE']);
    expect({ notApplicable, notCollectedHere }).toEqual({ notApplicable: 1, notCollectedHere: 2 });
  });

  it('colours growth by which way is good', () => {
    expect(growthTone(5, 'higher_is_better')).toBe('good');
    expect(growthTone(-5, 'higher_is_better')).toBe('bad');
    expect(growthTone(5, 'lower_is_better')).toBe('bad');
    expect(growthTone(-5, 'lower_is_better')).toBe('good');
    expect(growthTone(5, 'band')).toBe('neutral');
    expect(growthTone(0.01, 'higher_is_better')).toBe('neutral');
    expect(growthTone(null, 'higher_is_better')).toBe('neutral');
  });

  it('maps status colours to classes, unknown ones to unrated', () => {
    expect(statusClass('grey')).toBe('grey');
    expect(statusClass('purple')).toBe('unrated');
  });

  it('colours the map by the on-time rate when it has data, else the first indicator with data, else the first that applies', () => {
    expect(defaultMapIndicator([overviewItem({ code: 'X' }), overviewItem({ code: 'PS_ON_TIME_RATE' })])).toBe('PS_ON_TIME_RATE');
    expect(defaultMapIndicator([overviewItem({ code: 'X', value: null }), overviewItem({ code: 'Y' }), overviewItem({ code: 'PS_ON_TIME_RATE', value: null })])).toBe('Y');
    expect(defaultMapIndicator([overviewItem({ code: 'X', value: null, applicable: false }), overviewItem({ code: 'Y', value: null })])).toBe('Y');
    expect(defaultMapIndicator([])).toBeNull();
  });
});

describe('sparkline', () => {
  it('spans the width, scales between min and max, and breaks where there is no data', () => {
    const { d, last } = sparklinePath([1, 3, null, 2], 100, 20, 0);
    expect(d).toBe('M0 20 L33.3 0 M100 10');
    expect(last).toEqual({ x: 100, y: 10 });
  });

  it('draws a flat series in the middle and nothing without data', () => {
    expect(sparklinePath([5, 5], 10, 10, 0).d).toBe('M0 5 L10 5');
    expect(sparklinePath([null, null], 10, 10)).toEqual({ d: '', last: null });
  });
});
