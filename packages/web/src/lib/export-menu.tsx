import type { ReactNode } from 'react';
import { useI18n } from './i18n/i18n';
import './export-menu.css';

/** The files a table screen offers: the same route and query as the screen, with `format` (and the interface language). */
export function exportHref(href: string, format: 'xlsx' | 'csv' | 'pdf', lang: 'vi' | 'en'): string {
  const [path, query = ''] = href.split('?', 2) as [string, string?];
  const q = new URLSearchParams(query);
  q.set('format', format);
  if (lang === 'en') q.set('lang', 'en');
  else q.delete('lang');
  return `${path}?${q.toString()}`;
}

/**
 * "Xuất" (Export): a small menu of the files the screen's table leaves as
 * (Excel, CSV, and a PDF printed by the server),
 * each a link to the route the screen reads with its current query. A
 * native disclosure, so it opens with Enter or Space and every link is
 * reached with Tab. `more` holds further entries a screen adds.
 */
export function ExportMenu({ href, more }: { href: string; more?: ReactNode }) {
  const { t, lang } = useI18n();
  return (
    <details className="export-menu" data-testid="export-menu">
      <summary>{t('export.menu')}</summary>
      <ul aria-label={t('export.menuLabel')}>
        <li>
          <a href={exportHref(href, 'xlsx', lang)} download>
            {t('export.xlsx')}
          </a>
        </li>
        <li>
          <a href={exportHref(href, 'csv', lang)} download>
            {t('export.csv')}
          </a>
        </li>
        <li>
          <a href={exportHref(href, 'pdf', lang)} download>
            {t('export.pdf')}
          </a>
        </li>
        {more}
      </ul>
    </details>
  );
}
