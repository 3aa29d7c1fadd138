import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { dashboardSchema } from '@watchfloor/core';
import { I18nProvider } from '../../lib/i18n/i18n';
import { ParIndexPanelView } from './results-panel';
import { DATA } from './results-testing';

describe('the wall panel “PAR Index by department”', () => {
  const panel = dashboardSchema.parse({ version: 1, code: 'w', title: { vi: 'W', en: 'W' }, panels: [{ id: 'cchc', kind: 'par', limit: 3, layout: { x: 0, y: 0, w: 6, h: 4 } }] }).panels[0];
  if (panel?.kind !== 'par') throw new Error('a par panel');

  it('lists the departments by rank with their index and band, provisional and example marked', () => {
    const html = renderToStaticMarkup(
      <I18nProvider initial="vi">
        <ParIndexPanelView panel={panel} wall data={DATA} none={false} />
      </I18nProvider>,
    );
    expect(html).toContain('Chỉ số CCHC các sở, ngành');
    expect(html).toContain('Năm 2026 · Bộ chỉ số minh họa · Tạm tính');
    const order = ['Sở Nội vụ', 'Sở Y tế', 'Sở Tài chính'].map((n) => html.indexOf(n));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(html).toContain('95 %');
    expect(html).toContain('Tốt');
    expect(html).not.toContain('Long Hồ');
    // On the wall nothing is a link.
    expect(html).not.toContain('<a ');
  });

  it('says so when there are no results to show', () => {
    const html = renderToStaticMarkup(
      <I18nProvider initial="en">
        <ParIndexPanelView panel={panel} wall={false} data={undefined} none />
      </I18nProvider>,
    );
    expect(html).toContain('PAR Index by department');
    expect(html).toContain('No PAR Index results to show yet.');
  });
});
