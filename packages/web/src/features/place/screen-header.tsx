import type { PlaceDetail } from '@watchfloor/core';
import type { ReactNode } from 'react';
import { useI18n } from '../../lib/i18n/i18n';
import { Link } from '../../lib/router';
import { placeUrl, type ViewQuery } from '../../app/routes';

export interface Crumb {
  label: string;
  href?: string | undefined;
}

/** The trail from the country down to the place (and the indicator) viewed; the last crumb is the current page. */
export function placeCrumbs(place: Pick<PlaceDetail, 'ancestors' | 'code' | 'name'>, query: ViewQuery, current: boolean): Crumb[] {
  const keep: ViewQuery = { at: query.at, period: query.period };
  const crumbs: Crumb[] = place.ancestors.map((a) => ({ label: a.name, href: a.level === 'country' ? undefined : placeUrl(a.code, keep) }));
  crumbs.push({ label: place.name, href: current ? undefined : placeUrl(place.code, keep) });
  return crumbs;
}

export function Breadcrumbs({ crumbs }: { crumbs: readonly Crumb[] }) {
  const { t } = useI18n();
  return (
    <nav aria-label={t('nav.breadcrumb')} className="breadcrumbs">
      <ol>
        {crumbs.map((c, i) => {
          const last = i === crumbs.length - 1;
          return (
            <li key={`${i}-${c.label}`}>
              {c.href && !last ? <Link to={c.href}>{c.label}</Link> : <span aria-current={last ? 'page' : undefined}>{c.label}</span>}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

/** Breadcrumbs, the title with what it is, and the controls of the screen (period, date). */
export function ScreenHeader({ crumbs, title, subtitle, children }: { crumbs: readonly Crumb[]; title: string; subtitle?: ReactNode; children?: ReactNode }) {
  return (
    <div className="screen-header">
      <div className="screen-title">
        <Breadcrumbs crumbs={crumbs} />
        <h1>{title}</h1>
        {subtitle ? <p className="subtitle">{subtitle}</p> : null}
      </div>
      {children ? <div className="toolbar">{children}</div> : null}
    </div>
  );
}
