import { useEffect } from 'react';
import { analyticsApi } from '@watchfloor/core';
import { api } from '../../lib/api';
import { hrefOf } from '../../lib/client';
import { ErrorPanel } from '../../lib/error-panel';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { navigate } from '../../lib/router';
import { useLiveRefresh } from '../../lib/use-live';
import { useRequest } from '../../lib/use-request';
import { ExportMenu } from '../../lib/export-menu';
import { indicatorUrl, routeUrl, type Route, type ViewQuery } from '../../app/routes';
import { LiveFeed } from '../feed/live-feed';
import { preloadChildrenMap } from '../map/preload';
import { IndicatorTiles } from '../overview/indicator-tiles';
import { defaultMapIndicator } from '../overview/tile-model';
import { PeriodPicker } from '../period/period-picker';
import { effectivePeriod } from '../period/period-logic';
import { DateControl } from '../time/date-control';
import { TravelChoicePanel } from '../time/travel-choice';
import { useTimeTravel } from '../time/use-time-travel';
import { Banners } from './banners';
import { ChildrenPanel } from './children-panel';
import { LineagePanel } from './lineage-panel';
import { ScreenHeader, placeCrumbs } from './screen-header';

/**
 * The overview of one place (the province at /, or any unit at /p/:code):
 * indicator tiles by domain, the map and list of the units under it, and
 * where the unit came from. Everything as of `at`, for the period chosen.
 */
export function PlaceScreen({ route, code, query, today }: { route: Route; code: string; query: ViewQuery; today: string }) {
  const { t } = useI18n();
  const at = query.at ?? today;
  const period = effectivePeriod(query.period, query.at, today);
  const place = useRequest(api.place(code, query.at));
  const overview = useRequest(api.overview({ place: code, period, at: query.at }), { keepPrevious: true });
  // Every tile of the overview may move with any figure written.
  useLiveRefresh({ indicators: 'any' }, overview.retry);
  const { travel, choice, dismiss } = useTimeTravel(route, place.data, query, today);
  // The map of the units under the place (its boundaries and library) loads alongside the figures, not after them.
  const mapped = place.data && place.data.children.length > 0 ? place.data : null;
  useEffect(() => {
    if (mapped) preloadChildrenMap(mapped, query.at);
  }, [mapped, query.at]);

  const error = place.error ?? overview.error;
  if (error) return <ErrorPanel error={error} onRetry={place.error ? place.retry : overview.retry} />;
  if (!place.data || !overview.data) return <Loading />;

  const p = place.data;
  const o = overview.data;
  const go = (next: ViewQuery) => navigate(routeUrl(route, { ...query, ...next }));
  const mapIndicator = query.map && o.indicators.some((i) => i.code === query.map && i.applicable) ? query.map : defaultMapIndicator(o.indicators);

  return (
    <div className={`screen place-screen${overview.stale ? ' is-loading' : ''}`} data-testid="place-screen" data-place={p.code}>
      <ScreenHeader crumbs={placeCrumbs(p, query, true)} title={p.name} subtitle={`${t(`level.${p.level}`)} · ${p.code}`}>
        <PeriodPicker value={o.period.key} at={at} onChange={(next) => go({ period: next })} />
        <DateControl at={at} today={today} onChange={(next) => void travel(next)} />
        <ExportMenu href={hrefOf(analyticsApi.overview, { query: { place: code, period, at: query.at } })} />
      </ScreenHeader>
      {choice ? <TravelChoicePanel choice={choice} onDismiss={dismiss} /> : null}
      <Banners overview={o} at={at} today={today} />
      <div className="place-layout">
        <div className="place-main">
          <IndicatorTiles overview={o} hrefOf={(indicator) => indicatorUrl(p.code, indicator, { at: query.at, period: query.period })} />
        </div>
        <aside className="place-side">
          {p.children.length > 0 && mapIndicator ? (
            <ChildrenPanel place={p} overview={o} indicator={mapIndicator} query={query} onIndicator={(map) => navigate(routeUrl(route, { ...query, map }), { replace: true })} />
          ) : null}
          {query.at && query.at < today ? null : <LiveFeed place={p} />}
          <LineagePanel code={p.code} at={at} />
        </aside>
      </div>
    </div>
  );
}
