import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from './i18n/i18n';
import { ExportMenu, exportHref } from './export-menu';

const SCREEN = '/api/indicators/DOSSIERS_RECEIVED/breakdown?place=86&period=2025-10&by=place';

describe('the export menu', () => {
  it('keeps the screen’s query and adds the format, and the language when it is English', () => {
    expect(exportHref(SCREEN, 'xlsx', 'vi')).toBe('/api/indicators/DOSSIERS_RECEIVED/breakdown?place=86&period=2025-10&by=place&format=xlsx');
    expect(exportHref(SCREEN, 'csv', 'en')).toBe('/api/indicators/DOSSIERS_RECEIVED/breakdown?place=86&period=2025-10&by=place&format=csv&lang=en');
    expect(exportHref('/api/cases', 'csv', 'vi')).toBe('/api/cases?format=csv');
    // A format already in the query is replaced, not doubled.
    expect(exportHref('/api/alerts?format=csv&status=open', 'xlsx', 'vi')).toBe('/api/alerts?format=xlsx&status=open');
  });

  it('offers Excel, CSV and PDF as links under "Xuất" in a disclosure reached by keyboard, with room for more', () => {
    const html = renderToStaticMarkup(
      <I18nProvider initial="vi">
        <ExportMenu href="/api/cases?status=new" more={<li>Khác</li>} />
      </I18nProvider>,
    );
    expect(html).toMatch(/^<details class="export-menu"[^>]*><summary>Xuất<\/summary>/);
    expect(html).toContain('<a href="/api/cases?status=new&amp;format=xlsx" download="">Excel (.xlsx)</a>');
    expect(html).toContain('<a href="/api/cases?status=new&amp;format=csv" download="">CSV (UTF-8)</a>');
    expect(html).toContain('<a href="/api/cases?status=new&amp;format=pdf" download="">PDF</a>');
    expect(html).toContain('<li>Khác</li>');
  });

  it('speaks English when the interface does', () => {
    const html = renderToStaticMarkup(
      <I18nProvider initial="en">
        <ExportMenu href="/api/cases" />
      </I18nProvider>,
    );
    expect(html).toContain('<summary>Export</summary>');
    expect(html).toContain('href="/api/cases?format=xlsx&amp;lang=en"');
    expect(html).toContain('href="/api/cases?format=pdf&amp;lang=en"');
  });
});
