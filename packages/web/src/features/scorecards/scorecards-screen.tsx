import type { Scorecard, ScorecardComponent, ScorecardsResponse } from '@watchfloor/core';
import { Fragment, useState } from 'react';
import { ErrorPanel } from '../../lib/error-panel';
import { ExportMenu } from '../../lib/export-menu';
import { formatDate, formatInstant, formatNumber, formatPercent } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { Link, navigate } from '../../lib/router';
import { useLiveRefresh } from '../../lib/use-live';
import { useRequest } from '../../lib/use-request';
import { placeUrl } from '../../app/routes';
import { leadersApi } from '../feed/feed-api';
import { PeriodPicker } from '../period/period-picker';
import { ScreenHeader } from '../place/screen-header';
import { componentValue, nextSort, sortScorecards, type ScoreColumn, type ScoreSort } from './sort';

/** The address of the scorecards of a period and place: shareable as it is. */
export function scorecardsUrl(q: { period?: string | undefined; place?: string | undefined }): string {
  const s = new URLSearchParams();
  if (q.period) s.set('period', q.period);
  if (q.place) s.set('place', q.place);
  const text = s.toString();
  return text ? `/scorecards?${text}` : '/scorecards';
}

/**
 * Agency scorecards (/scorecards?period=&place=): the organisations of a
 * place ranked by the composite computed on the server, sortable by each
 * component, a row opening to show each component's parts, weight and
 * contribution.
 */
export function ScorecardsScreen({ search, today }: { search: string; today: string }) {
  const { t, lang } = useI18n();
  const params = new URLSearchParams(search);
  const period = params.get('period') || undefined;
  const place = params.get('place') || undefined;
  const answer = useRequest(leadersApi.scorecards({ period, place }), { keepPrevious: true });
  // Cases, dossiers and directive tasks move the counts; a burst of changes makes one re-read.
  useLiveRefresh({ indicators: [], cases: true, directives: true }, answer.retry);

  if (answer.error) return <ErrorPanel error={answer.error} onRetry={answer.retry} />;
  if (!answer.data) return <Loading />;
  const data = answer.data;
  const w = (x: number) => formatNumber(x * 100, lang, 0);
  return (
    <div className={`screen scorecards-screen${answer.stale ? ' is-loading' : ''}`} data-testid="scorecards-screen">
      <ScreenHeader
        crumbs={[{ label: data.place.name, href: placeUrl(data.place.code, { period }) }, { label: t('score.title') }]}
        title={t('score.title')}
        subtitle={t('score.subtitle', { place: data.place.name })}
      >
        <PeriodPicker value={data.period.key} at={today} onChange={(next) => navigate(scorecardsUrl({ period: next, place }))} />
        <ExportMenu href={leadersApi.scorecardsHref({ period, place })} />
      </ScreenHeader>
      <p className="muted small">
        {t('score.weights', { d: w(data.weights.dossierOnTime), c: w(data.weights.caseOnTime), t: w(data.weights.directivesOnTime), p: w(data.weights.dataPunctuality) })}{' '}
        {t('score.asOf', { at: formatInstant(data.asOf, lang) })} ({formatDate(data.period.from, lang)} – {formatDate(data.period.to, lang)})
      </p>
      <ScorecardsTable data={data} />
    </div>
  );
}

const COMPONENT_COLUMNS = ['dossierOnTime', 'caseOnTime', 'directivesOnTime', 'dataPunctuality'] as const;

/** The sortable table; a row's button opens its components. */
export function ScorecardsTable({
  data,
  initialSort = { column: 'composite', descending: true },
  initialOpen = [],
}: {
  data: ScorecardsResponse;
  initialSort?: ScoreSort;
  /** Agencies (by code) whose components are shown open at first. */
  initialOpen?: readonly string[];
}) {
  const { t, lang } = useI18n();
  const [sort, setSort] = useState<ScoreSort>(initialSort);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set(initialOpen));
  if (data.agencies.length === 0) return <p className="muted">{t('score.empty')}</p>;
  const rate = (v: number | null) => (v === null ? t('score.none') : formatPercent(v * 100, lang));
  const header = (column: ScoreColumn, label: string, num = true) => (
    <th scope="col" className={num ? 'num' : undefined} aria-sort={sort.column === column ? (sort.descending ? 'descending' : 'ascending') : undefined}>
      <button type="button" className="sort" aria-pressed={sort.column === column} title={t('score.sortBy', { column: label })} onClick={() => setSort(nextSort(sort, column))}>
        {label}
        {sort.column === column ? (sort.descending ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );
  const toggle = (code: string) => {
    const next = new Set(open);
    if (next.has(code)) next.delete(code);
    else next.add(code);
    setOpen(next);
  };
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={t('score.title')}>
      <table className="data-table scorecards" data-testid="scorecards-table">
        <thead>
          <tr>
            <th scope="col" className="num">
              {t('score.rank')}
            </th>
            {header('organisation', t('score.organisation'), false)}
            {header('composite', t('score.composite'))}
            {COMPONENT_COLUMNS.map((k) => (
              <Fragment key={k}>{header(k, t(`score.${k}`))}</Fragment>
            ))}
            {header('casesHandled', t('score.casesHandled'))}
            {header('lateData', t('score.lateData'))}
          </tr>
        </thead>
        <tbody>
          {sortScorecards(data.agencies, sort).map((s) => {
            const expanded = open.has(s.organisation.code);
            const detailsId = `score-${s.organisation.code}`;
            return (
              <Fragment key={s.organisation.code}>
                <tr data-org={s.organisation.code}>
                  <td className="num">{s.rank ?? t('score.none')}</td>
                  <td>
                    <button type="button" className="link-button" aria-expanded={expanded} aria-controls={detailsId} onClick={() => toggle(s.organisation.code)} title={t('score.details', { name: s.organisation.name })}>
                      {expanded ? '▾ ' : '▸ '}
                      {s.organisation.name}
                    </button>
                  </td>
                  <td className="num strong">{s.composite === null ? t('score.none') : formatNumber(s.composite, lang, 1)}</td>
                  {COMPONENT_COLUMNS.map((k) => (
                    <td key={k} className="num">
                      {rate(componentValue(s, k))}
                      {k === 'dossierOnTime' && (s.dossiersFrom?.reported.length ?? 0) > 0 ? <span className="muted"> · {t('score.reported')}</span> : null}
                    </td>
                  ))}
                  <td className="num">{formatNumber(s.casesHandled, lang, 0)}</td>
                  <td className="num">{s.lateData > 0 ? <Link to="/desk/data">{formatNumber(s.lateData, lang, 0)}</Link> : '0'}</td>
                </tr>
                {expanded ? (
                  <tr id={detailsId} className="score-details">
                    <td />
                    <td colSpan={COMPONENT_COLUMNS.length + 4}>
                      <Contributions scorecard={s} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Each component of one agency's score: its parts, rate, weight, weight applied and points added. */
function Contributions({ scorecard }: { scorecard: Scorecard }) {
  const { t, lang } = useI18n();
  // Where the dossier counts come from, when some are an agency's reported totals rather than its records.
  const from = scorecard.dossiersFrom;
  const pct = (x: number) => formatPercent(x * 100, lang);
  const row = (c: ScorecardComponent) => (
    <tr key={c.key} data-component={c.key}>
      <th scope="row">{t(`score.${c.key}`)}</th>
      <td className="num">
        {formatNumber(c.numerator, lang, 0)} / {formatNumber(c.denominator, lang, 0)}
      </td>
      <td className="num">{c.value === null ? t('score.notCounted') : pct(c.value)}</td>
      <td className="num">{pct(c.weight)}</td>
      <td className="num">{pct(c.effectiveWeight)}</td>
      <td className="num">{c.contribution === null ? t('score.none') : formatNumber(c.contribution, lang, 1)}</td>
    </tr>
  );
  return (
    <table className="data-table small" aria-label={t('score.details', { name: scorecard.organisation.name })}>
      <thead>
        <tr>
          <th scope="col">{t('score.component')}</th>
          <th scope="col" className="num">{t('score.parts')}</th>
          <th scope="col" className="num">{t('score.value')}</th>
          <th scope="col" className="num">{t('score.weight')}</th>
          <th scope="col" className="num">{t('score.effectiveWeight')}</th>
          <th scope="col" className="num">{t('score.contribution')}</th>
        </tr>
      </thead>
      <tbody>{scorecard.components.map(row)}</tbody>
      <tfoot>
        {from && from.reported.length > 0 ? (
          <tr>
            <td colSpan={6} className="muted">
              {t(from.records ? 'score.fromBoth' : 'score.fromReported', { sources: from.reported.join(', ') })}
            </td>
          </tr>
        ) : null}
        <tr>
          <th scope="row" colSpan={5}>
            {t('score.composite')}
          </th>
          <td className="num strong">{scorecard.composite === null ? t('score.none') : formatNumber(scorecard.composite, lang, 1)}</td>
        </tr>
      </tfoot>
    </table>
  );
}
