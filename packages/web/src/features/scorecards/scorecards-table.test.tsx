import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { rankScorecards, SCORECARD_WEIGHTS, type ScorecardsResponse } from '@watchfloor/core';
import { I18nProvider } from '../../lib/i18n/i18n';
import { parseRoute, routeUrl } from '../../app/routes';
import { ScorecardsTable, scorecardsUrl } from './scorecards-screen';

const DATA: ScorecardsResponse = {
  period: { key: '2026-11', from: '2026-11-01', to: '2026-11-30' },
  place: { code: '86', name: 'Vĩnh Long' },
  asOf: '2026-11-28T03:00:00.000Z',
  weights: { ...SCORECARD_WEIGHTS },
  agencies: rankScorecards([
    { organisation: { code: 'VL-SXD', name: 'Sở Xây dựng' }, dossiers: { processed: 0, onTime: 0 }, cases: { received: 2, processed: 2, processedOnTime: 1 }, directives: { judged: 0, doneOnTime: 0 }, data: { expected: 1, late: 1 } },
    { organisation: { code: 'VL-TTHCC', name: 'Trung tâm Phục vụ hành chính công' }, dossiers: { processed: 3, onTime: 2 }, cases: { received: 0, processed: 0, processedOnTime: 0 }, directives: { judged: 0, doneOnTime: 0 }, data: { expected: 0, late: 0 } },
  ]),
};

describe('the scorecards table', () => {
  it('lists agencies by composite with each component as a column, in Vietnamese', () => {
    const html = renderToStaticMarkup(
      <I18nProvider initial="vi">
        <ScorecardsTable data={DATA} />
      </I18nProvider>,
    );
    expect(html.indexOf('Trung tâm Phục vụ')).toBeLessThan(html.indexOf('Sở Xây dựng'));
    expect(html).toContain('Hồ sơ TTHC đúng hạn');
    expect(html).toContain('66,7');
    expect(html).toContain('50 %');
    expect(html).toContain('aria-sort="descending"');
    expect(html).toContain('aria-expanded="false"');
  });

  it('sorts by another column when asked, in English', () => {
    const html = renderToStaticMarkup(
      <I18nProvider initial="en">
        <ScorecardsTable data={DATA} initialSort={{ column: 'casesHandled', descending: true }} />
      </I18nProvider>,
    );
    expect(html.indexOf('Sở Xây dựng')).toBeLessThan(html.indexOf('Trung tâm Phục vụ'));
    expect(html).toContain('Cases handled');
  });

  it('says when an agency’s dossier counts are totals it reported rather than its records', () => {
    const reported: ScorecardsResponse = {
      ...DATA,
      agencies: rankScorecards([
        { organisation: { code: 'VL-STC', name: 'Sở Tài chính' }, dossiers: { processed: 108, onTime: 100, from: { records: false, reported: ['BC-HOSO'] } }, cases: { received: 0, processed: 0, processedOnTime: 0 }, directives: { judged: 0, doneOnTime: 0 }, data: { expected: 0, late: 0 } },
        { organisation: { code: 'VL-SXD', name: 'Sở Xây dựng' }, dossiers: { processed: 3, onTime: 2, from: { records: true, reported: [] } }, cases: { received: 0, processed: 0, processedOnTime: 0 }, directives: { judged: 0, doneOnTime: 0 }, data: { expected: 0, late: 0 } },
      ]),
    };
    const html = (lang: 'vi' | 'en') =>
      renderToStaticMarkup(
        <I18nProvider initial={lang}>
          <ScorecardsTable data={reported} initialOpen={['VL-STC', 'VL-SXD']} />
        </I18nProvider>,
      );
    const vi = html('vi');
    // 100 of 108 on time, marked as reported; the records-only agency carries no mark.
    expect(vi).toContain('92,6 %<span class="muted"> · báo cáo</span>');
    expect(vi.match(/· báo cáo/g)).toHaveLength(1);
    expect(vi).toContain('Hồ sơ: theo tổng số do BC-HOSO báo cáo (không có hồ sơ chi tiết)');
    expect(html('en')).toContain('Dossiers: from totals reported by BC-HOSO (no dossier records)');
  });

  it('shows the directive tasks done on time as a column and, opened, with its parts and weight, in Vietnamese and English', () => {
    const withTasks: ScorecardsResponse = {
      ...DATA,
      agencies: rankScorecards([
        { organisation: { code: 'VL-STC', name: 'Sở Tài chính' }, dossiers: { processed: 0, onTime: 0 }, cases: { received: 0, processed: 0, processedOnTime: 0 }, directives: { judged: 4, doneOnTime: 3 }, data: { expected: 0, late: 0 } },
      ]),
    };
    const html = (lang: 'vi' | 'en') =>
      renderToStaticMarkup(
        <I18nProvider initial={lang}>
          <ScorecardsTable data={withTasks} initialOpen={['VL-STC']} />
        </I18nProvider>,
      );
    const vi = html('vi');
    expect(vi).toContain('Nhiệm vụ được giao hoàn thành đúng hạn');
    // 3 of 4 tasks judged done on time; its only component, so it is the whole composite.
    expect(vi).toContain('<tr data-component="directivesOnTime"><th scope="row">Nhiệm vụ được giao hoàn thành đúng hạn</th><td class="num">3 / 4</td><td class="num">75 %</td><td class="num">20 %</td><td class="num">100 %</td><td class="num">75</td></tr>');
    expect(html('en')).toContain('Directive tasks on time');
  });

  it('has a shareable address with its period and place', () => {
    expect(parseRoute('/scorecards')).toEqual({ name: 'scorecards' });
    expect(scorecardsUrl({ period: '2026-Q3', place: '86' })).toBe('/scorecards?period=2026-Q3&place=86');
    expect(routeUrl({ name: 'scorecards' }, { period: '2026-11' })).toBe('/scorecards?period=2026-11');
  });
});
