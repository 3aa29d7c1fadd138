import { addDays, type LineageEdge } from '@watchfloor/core';
import { api } from '../../lib/api';
import { formatDate } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { Link } from '../../lib/router';
import { useRequest } from '../../lib/use-request';
import { placeUrl } from '../../app/routes';

/**
 * What the unit was formed from and what it became, with the legal act;
 * each unit links to its own screen on a date it existed.
 */
export function LineagePanel({ code, at }: { code: string; at: string }) {
  const { t } = useI18n();
  const lineage = useRequest(api.lineage(code, at));
  const data = lineage.data;
  if (!data || (data.from.length === 0 && data.to.length === 0)) return null;
  const act = [...data.from, ...data.to].find((e) => e.legalRef)?.legalRef;
  return (
    <section className="panel lineage" aria-labelledby="lineage-title">
      <h2 id="lineage-title">{t('lineage.title')}</h2>
      {data.from.length > 0 ? <EdgeList title={t('lineage.from')} edges={data.from} when={(e) => addDays(e.effectiveDate, -1)} /> : null}
      {data.to.length > 0 ? <EdgeList title={t('lineage.to')} edges={data.to} when={(e) => e.effectiveDate} /> : null}
      {act ? <p className="muted small">{act}</p> : null}
    </section>
  );
}

function EdgeList({ title, edges, when }: { title: string; edges: readonly LineageEdge[]; when: (e: LineageEdge) => string }) {
  const { t, lang } = useI18n();
  return (
    <div className="edges">
      <h3>{title}</h3>
      <ul>
        {edges.map((e) => (
          <li key={`${e.place.code}-${e.place.validFrom ?? ''}`}>
            <Link to={placeUrl(e.place.code, { at: when(e) })}>{e.place.name}</Link>
            <span className="muted">
              {' '}
              ({e.place.code}
              {e.part === 'partial' ? `, ${t('lineage.partial')}` : ''}, {t('lineage.effective', { date: formatDate(e.effectiveDate, lang) })})
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
