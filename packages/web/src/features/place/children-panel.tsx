import type { OverviewResponse, PlaceDetail } from '@watchfloor/core';
import { useId, useMemo, useState } from 'react';
import { api } from '../../lib/api';
import { ErrorPanel } from '../../lib/error-panel';
import { formatValue } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { Link, navigate } from '../../lib/router';
import { useSession } from '../../lib/session';
import { signedInAccess } from '../../lib/sign-in-prompt';
import { useRequest } from '../../lib/use-request';
import { placeUrl, type ViewQuery } from '../../app/routes';
import { choropleth } from '../map/classify';
import { LazyChoroplethMap } from '../map/lazy-map';
import { childrenMapRequest } from '../map/preload';
import { MapLegend } from '../map/map-legend';
import { buildPointCollection, mapPointRequests } from '../map/points';
import { comparableValue, CoverageMark } from '../overview/coverage-mark';
import { ProvisionalMark } from '../overview/provisional-mark';
import { figureLabel, isNotDefined, isWeightedEstimate, NotDefinedFigure, WeightedEstimateMark } from '../overview/regrouping-mark';
import { sortChildren, type ChildSort } from './children-logic';

/**
 * The units under the place viewed, coloured by one indicator: a map where
 * their boundaries are known (communes from 2025, districts before), and
 * always a list with the same figures, each unit a link to drill into.
 */
export function ChildrenPanel({
  place,
  overview,
  indicator,
  query,
  onIndicator,
}: {
  place: PlaceDetail;
  overview: OverviewResponse;
  indicator: string;
  query: ViewQuery;
  onIndicator: (code: string) => void;
}) {
  const { t, lang } = useI18n();
  const selectId = useId();
  const [sort, setSort] = useState<ChildSort>('name');
  const item = overview.indicators.find((i) => i.code === indicator);
  const at = query.at;
  const breakdown = useRequest(api.breakdown(indicator, { place: place.code, period: overview.period.key, at }), { keepPrevious: true });
  // Shares the load the place screen started with the place (preloadChildrenMap).
  const geometry = useRequest(childrenMapRequest(place, at));
  // Cases and stations of the place as points on the map (cases capped: the map clusters them), for signed-in users only.
  const pointRequests = mapPointRequests(signedInAccess(useSession()), place.code);
  const cases = useRequest(pointRequests.cases);
  const stations = useRequest(pointRequests.stations);
  const points = useMemo(
    () => (cases.data || stations.data ? buildPointCollection(cases.data?.cases ?? [], stations.data?.stations ?? [], { code: place.code, children: place.children.map((c) => c.code) }) : undefined),
    [cases.data, stations.data, place],
  );
  const items = breakdown.data?.items;
  const direction = item?.direction ?? 'higher_is_better';
  const unit = item?.unit ?? '';
  const format = (v: number) => formatValue(v, unit, lang);

  // An incomplete figure is not coloured: it reads as no data on the map, its coverage in the tooltip and the list.
  const scale = useMemo(() => choropleth((items ?? []).map(comparableValue), direction), [items, direction]);
  const colours = useMemo(() => new Map((items ?? []).map((i) => [i.key, scale.colourOf(comparableValue(i))])), [items, scale]);
  const labels = useMemo(
    () => new Map((items ?? []).map((i) => [i.key, figureLabel(i.key, i.name, i, unit, lang, t)])),
    [items, unit, lang, t],
  );
  const choices = overview.indicators.filter((i) => i.applicable && (i.value !== null || i.code === indicator));
  const level = place.children[0]?.level;
  const linkQuery: ViewQuery = { at: query.at, period: query.period, map: query.map };

  return (
    <section className="panel children" aria-labelledby="children-title">
      <div className="panel-head">
        <h2 id="children-title">
          {level === 'district' ? t('children.district') : t('children.commune')} <span className="muted">· {t('children.count', { n: place.children.length })}</span>
        </h2>
        <label htmlFor={selectId} className="visually-hidden">
          {t('map.indicator')}
        </label>
        <select id={selectId} value={indicator} onChange={(e) => onIndicator(e.target.value)} className="map-indicator">
          {choices.map((i) => (
            <option key={i.code} value={i.code}>
              {i.names[lang]}
            </option>
          ))}
        </select>
      </div>

      {geometry.error ? <ErrorPanel error={geometry.error} onRetry={geometry.retry} /> : null}
      {geometry.data && geometry.data.features.length > 0 ? (
        <>
          <LazyChoroplethMap
            collection={geometry.data}
            colours={colours}
            labels={labels}
            onSelect={(code) => navigate(placeUrl(code, linkQuery))}
            label={t('map.label', { place: place.name, indicator: item?.names[lang] ?? indicator })}
            failedText={t('map.failed')}
            points={points}
            pointText={{ case: t('points.cases'), station: t('points.stations'), open: t('points.open'), cluster: t('points.cluster') }}
            onOpenPoint={(href) => navigate(href)}
          />
          <MapLegend choropleth={scale} unit={unit} direction={direction} />
          <p className="muted small attribution">{t('map.attribution')}</p>
        </>
      ) : null}
      {geometry.data && geometry.data.missing.length > 0 ? <p className="note">{t('map.missingShapes')}</p> : null}

      {breakdown.error ? <ErrorPanel error={breakdown.error} onRetry={breakdown.retry} /> : null}
      {items ? (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="children-title">
        <table className={`data-table${breakdown.stale ? ' stale' : ''}`} data-testid="children-table">
          <thead>
            <tr>
              <th scope="col">
                <button type="button" className="sort" aria-pressed={sort === 'name'} onClick={() => setSort('name')}>
                  {t('children.name')}
                </button>
              </th>
              <th scope="col" className="num">
                <button type="button" className="sort" aria-pressed={sort === 'value'} onClick={() => setSort('value')} title={t('children.sortValue')}>
                  {item?.names[lang] ?? t('children.value')}
                </button>
              </th>
            </tr>
          </thead>
          <tbody>
            {sortChildren(items, sort, direction).map((c) => (
              <tr key={c.key}>
                <td>
                  <span className="swatch" style={{ background: colours.get(c.key) }} aria-hidden="true" />
                  <Link to={placeUrl(c.key, linkQuery)}>{c.name}</Link>
                </td>
                <td className={`num${c.value === null && !isNotDefined(c) ? ' no-data' : ''}`}>
                  {isNotDefined(c) ? <NotDefinedFigure figure={c} viewed={c.key} format={format} /> : c.value === null ? t('tile.noData') : format(c.value)}
                  <CoverageMark figure={c} small />
                  <ProvisionalMark figure={c} small />
                  <WeightedEstimateMark figure={c} names={overview.indicators} viewed={c.key} format={format} small />
                  {c.estimated && !isWeightedEstimate(c) ? <span className="badge small" title={t('tile.estimatedTitle')}>{t('tile.estimated')}</span> : null}
                  {c.regrouped ? <span className="badge badge-regrouped small" title={t('tile.regroupedTitle')}>{t('tile.regrouped')}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      ) : breakdown.loading ? (
        <Loading />
      ) : null}
    </section>
  );
}
