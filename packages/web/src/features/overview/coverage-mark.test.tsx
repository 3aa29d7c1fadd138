import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { BreakdownResponse, Coverage, OverviewItem } from '@watchfloor/core';
import { I18nProvider } from '../../lib/i18n/i18n';
import type { Language } from '../../lib/i18n/translate';
import { BreakdownTable } from '../indicator/breakdown-table';
import { comparableValue } from './coverage-mark';
import { IndicatorTile } from './indicator-tile';
import { overviewItem } from './testing';

const NOW = new Date('2026-11-28T10:00:00Z');
const partial: Coverage = { level: 'commune', reported: 3, expected: 124, weightShare: null, direct: false, required: 100 };

function tile(item: OverviewItem, lang: Language = 'vi'): string {
  return renderToStaticMarkup(
    <I18nProvider initial={lang}>
      <IndicatorTile item={item} href="/p/86/i/X" now={NOW} period="2026-10" />
    </I18nProvider>,
  );
}

/** Vĩnh Long's tourist arrivals, October 2026, from 3 of its 124 wards, as the server answers them: no status, growth or percent of plan. */
const arrivals = overviewItem({
  code: 'TOU_ARRIVALS',
  names: { vi: 'Lượt khách du lịch', en: 'Tourist arrivals' },
  unit: 'lượt',
  value: 38_700,
  coverage: partial,
  complete: false,
  target: 400_000,
  percentOfPlan: null,
  samePeriodLastYear: { period: '2025-10', value: 372_000, growth: null },
  status: { colour: 'unrated', reason: 'incomplete', text: { vi: 'Chưa đầy đủ: 3/124 xã báo cáo', en: 'Incomplete: 3 of 124 communes reported' }, stale: false, staleness: null },
});

describe('an incomplete figure', () => {
  it('shows its coverage on the tile, uncoloured and without a comparison with last year or plan', () => {
    const vi = tile(arrivals);
    expect(vi).toContain('Chưa đủ: 3/124 xã');
    expect(vi).toContain('status-unrated');
    expect(vi).not.toContain('status-green');
    expect(vi).not.toContain('class="growth');
    expect(vi).not.toContain('% kế hoạch');
    expect(tile(arrivals, 'en')).toContain('Incomplete: 3 of 124 communes');
  });

  it('marks nothing on a complete figure or one the unit reported itself', () => {
    expect(tile(overviewItem({ code: 'A', coverage: { ...partial, reported: 124 }, complete: true }))).not.toContain('data-mark="incomplete"');
    expect(tile(overviewItem({ code: 'B', coverage: { level: 'province', reported: 1, expected: 1, weightShare: null, direct: true, required: 100 }, complete: true }))).not.toContain('data-mark="incomplete"');
  });

  it('is left uncoloured on the map and marked in a breakdown', () => {
    expect(comparableValue({ value: 38_700, coverage: partial, complete: false })).toBeNull();
    expect(comparableValue({ value: 372_000, coverage: { ...partial, reported: 124 }, complete: true })).toBe(372_000);
    const freshness = { updatedAt: null, source: null, organisation: null, dueAt: null, state: 'no_expectation' } as const;
    const row = (key: string, value: number, coverage: Coverage, complete: boolean) => ({ key, name: key, value, coverage, complete, estimated: false, provisional: false, facts: 1, updatedAt: null, components: null, freshness, regrouped: false, regrouping: null });
    const breakdown: BreakdownResponse = {
      indicator: 'TOU_ARRIVALS',
      place: { code: 'VN', name: 'Việt Nam', nameEn: null, level: 'country', parentCode: null, validFrom: null, validTo: null },
      at: '2026-11-01',
      period: '2026-10',
      by: 'place',
      items: [row('86', 38_700, partial, false), row('01', 126_000, { ...partial, reported: 126, expected: 126 }, true)],
    };
    const html = renderToStaticMarkup(
      <I18nProvider initial="vi">
        <BreakdownTable breakdown={breakdown} title="Theo tỉnh" direction="higher_is_better" format={String} />
      </I18nProvider>,
    );
    const rows = html.split('<tr>').slice(2);
    expect(rows.find((r) => r.includes('>86<'))).toContain('Chưa đủ: 3/124 xã');
    expect(rows.find((r) => r.includes('>01<'))).not.toContain('Chưa đủ');
  });
});
