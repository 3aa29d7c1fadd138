import { api } from '../../lib/api';
import { analyticsApi } from '@watchfloor/core';
import { ErrorPanel } from '../../lib/error-panel';
import { ExportMenu } from '../../lib/export-menu';
import { hrefOf } from '../../lib/client';
import { formatNumber, formatValue } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { navigate } from '../../lib/router';
import { indicatorInputs } from '../../lib/live';
import { useLiveRefresh } from '../../lib/use-live';
import { useRequest } from '../../lib/use-request';
import { indicatorUrl, placeUrl, routeUrl, type Route, type ViewQuery } from '../../app/routes';
import { IndicatorTile } from '../overview/indicator-tile';
import { PeriodPicker } from '../period/period-picker';
import { effectivePeriod, seriesRange } from '../period/period-logic';
import { Banners } from '../place/banners';
import { ScreenHeader, placeCrumbs } from '../place/screen-header';
import { DateControl } from '../time/date-control';
import { TravelChoicePanel } from '../time/travel-choice';
import { useTimeTravel } from '../time/use-time-travel';
import { directiveAgencyHref } from '../directives/indicator-drill';
import { BreakdownTable } from './breakdown-table';
import { chartModel } from './chart-option';
import { DefinitionPanel } from './definition-panel';
import { LazySeriesChart } from './lazy-chart';
import { RevisionsPanel } from './revisions-panel';
import { SeriesTable } from './series-table';

/**
 * One indicator of one place: its figure against plan and last year, its
 * history, the figure of each unit under the place and of each reporting
 * agency (a directive figure's agency opening to its tasks of the period),
 * its definition, and the revisions of the figure selected.
 */
export function IndicatorScreen({ route, query, today }: { route: Extract<Route, { name: 'indicator' }>; query: ViewQuery; today: string }) {
  const { t, lang } = useI18n();
  const { code, indicator } = route;
  const at = query.at ?? today;
  const period = effectivePeriod(query.period, query.at, today);
  const place = useRequest(api.place(code, query.at));
  const overview = useRequest(api.overview({ place: code, period, at: query.at }), { keepPrevious: true });
  const def = useRequest(api.indicator(indicator));
  const { travel, choice, dismiss } = useTimeTravel(route, place.data, query, today);
  const periodKey = overview.data?.period.key;
  const range = periodKey ? seriesRange(periodKey) : null;
  const series = useRequest(range ? api.series(indicator, { place: code, ...range, at: query.at }) : null, { keepPrevious: true });
  const byPlace = useRequest(periodKey && place.data && place.data.children.length > 0 ? api.breakdown(indicator, { place: code, period: periodKey, at: query.at }) : null);
  const byOrg = useRequest(periodKey ? api.breakdown(indicator, { place: code, period: periodKey, at: query.at, by: 'organisation' }) : null);
  useLiveRefresh(def.data ? { indicators: indicatorInputs(def.data) } : null, () => {
    for (const r of [overview, series, byPlace, byOrg]) r.retry();
  });

  const error = place.error ?? overview.error ?? def.error;
  if (error) return <ErrorPanel error={error} onRetry={place.error ? place.retry : overview.error ? overview.retry : def.retry} backTo={place.data ? placeUrl(code, query) : '/'} />;
  if (!place.data || !overview.data) return <Loading />;
  const item = overview.data.indicators.find((i) => i.code === indicator);
  if (!item) return <ErrorPanel error={{ code: 'unknown_indicator', message: indicator }} backTo={placeUrl(code, { at: query.at, period: query.period })} />;

  const p = place.data;
  const o = overview.data;
  const name = item.names[lang];
  const format = (v: number) => formatValue(v, item.unit, lang);
  const selected = query.sel ?? (item.value !== null ? o.period.key : undefined);
  const select = (sel: string) => navigate(routeUrl(route, { ...query, sel }), { replace: true });
  const crumbs = [...placeCrumbs(p, query, false), { label: name }];

  return (
    <div className={`screen indicator-screen${overview.stale ? ' is-loading' : ''}`} data-testid="indicator-screen" data-indicator={indicator}>
      <ScreenHeader crumbs={crumbs} title={name} subtitle={`${p.name} · ${item.code}`}>
        <PeriodPicker value={o.period.key} at={at} onChange={(next) => navigate(routeUrl(route, { ...query, period: next, sel: undefined }))} />
        <DateControl at={at} today={today} onChange={(next) => void travel(next)} />
      </ScreenHeader>
      {choice ? <TravelChoicePanel choice={choice} onDismiss={dismiss} /> : null}
      <Banners overview={o} at={at} today={today} />
      <div className={`indicator-layout${byPlace.data || (byOrg.data && byOrg.data.items.length > 0) ? '' : ' single'}`}>
        <div className="indicator-main">
          <div className="indicator-summary">
            <IndicatorTile item={item} href={indicatorUrl(code, indicator, query)} now={new Date()} period={o.period.key} place={o.place.code} names={o.indicators} />
            {def.data ? <DefinitionPanel def={def.data} item={item} /> : null}
          </div>
          <section className="panel" aria-labelledby="history-title">
            <div className="panel-head">
              <h2 id="history-title">{t('indicator.history')}</h2>
              {range ? <ExportMenu href={hrefOf(analyticsApi.series, { params: { code: indicator }, query: { place: code, ...range, at: query.at } })} /> : null}
            </div>
            {series.error ? <ErrorPanel error={series.error} onRetry={series.retry} /> : null}
            {series.data ? (
              <>
                <LazySeriesChart
                  model={chartModel(series.data, lang)}
                  names={{ actual: t('indicator.actual'), plan: t('indicator.plan'), lastYear: t('indicator.lastYear') }}
                  selected={selected}
                  format={format}
                  formatAxis={(v) => formatNumber(v, lang)}
                  unit={item.unit}
                  onSelect={select}
                  label={t('indicator.chartLabel', { name })}
                />
                <SeriesTable series={series.data} format={format} selected={selected} onSelect={select} names={o.indicators} />
              </>
            ) : series.loading ? (
              <Loading />
            ) : null}
          </section>
          <RevisionsPanel indicator={indicator} def={def.data} place={code} placeName={p.name} period={selected} query={query} format={format} />
        </div>
        <aside className="indicator-side">
          {byPlace.data && periodKey ? <ExportMenu href={hrefOf(analyticsApi.breakdown, { params: { code: indicator }, query: { place: code, period: periodKey, at: query.at } })} /> : null}
          {byPlace.data ? (
            <BreakdownTable
              breakdown={byPlace.data}
              title={t('indicator.byPlace')}
              direction={item.direction}
              format={format}
              hrefOf={(child) => indicatorUrl(child, indicator, { at: query.at, period: query.period })}
              names={o.indicators}
            />
          ) : null}
          {byOrg.data ? (
            <BreakdownTable
              breakdown={byOrg.data}
              title={t('indicator.byOrganisation')}
              direction={item.direction}
              format={format}
              hrefOf={directiveAgencyHref(indicator, o.period.key)}
              names={o.indicators}
            />
          ) : null}
        </aside>
      </div>
    </div>
  );
}
