import type { OverviewItem } from '@watchfloor/core';

/** An overview item for tests: a green monthly rate with data, overridden as needed. */
export function overviewItem(over: Partial<OverviewItem> & Pick<OverviewItem, 'code'>): OverviewItem {
  return {
    value: 1,
    estimated: false,
    provisional: false,
    facts: 1,
    updatedAt: '2026-11-25T10:00:00Z',
    components: null,
    freshness: { updatedAt: '2026-11-25T10:00:00Z', source: null, organisation: null, dueAt: null, state: 'fresh' },
    coverage: null,
    complete: true,
    regrouping: null,
    names: { vi: over.code, en: over.code },
    unit: '%',
    domain: 'public_services',
    kind: 'base',
    frequency: 'month',
    direction: 'higher_is_better',
    applicable: true,
    regrouped: false,
    status: { colour: 'green', reason: 'meets_green', text: { vi: 'Đạt', en: 'Meets' }, stale: false, staleness: null },
    target: null,
    percentOfPlan: null,
    ytd: null,
    samePeriodLastYear: null,
    trend: [],
    owner: null,
    ...over,
  };
}
