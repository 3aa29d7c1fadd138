import type { Dashboard, Panel } from '@watchfloor/core';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { api } from '../../lib/api';
import { ErrorBoundary } from '../../lib/error-boundary';
import { ErrorPanel } from '../../lib/error-panel';
import { formatAgo, formatNumber, formatValue } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { isMessageKey } from '../../lib/i18n/translate';
import { Loading } from '../../lib/loading';
import { navigate } from '../../lib/router';
import { useSession } from '../../lib/session';
import { SignInLine, signedInAccess, type SignedInAccess } from '../../lib/sign-in-prompt';
import { useRequest, type RequestState } from '../../lib/use-request';
import { indicatorUrl, placeUrl } from '../../app/routes';
import { BreakdownTable } from '../indicator/breakdown-table';
import { chartModel } from '../indicator/chart-option';
import { LazySeriesChart } from '../indicator/lazy-chart';
import { choropleth } from '../map/classify';
import { LazyChoroplethMap } from '../map/lazy-map';
import { MapLegend } from '../map/map-legend';
import { IndicatorTile } from '../overview/indicator-tile';
import { comparableValue, isIncomplete } from '../overview/coverage-mark';
import { figureLabel } from '../overview/regrouping-mark';
import { labelOf } from '../period/period-label';
import { seriesRange } from '../period/period-logic';
import { sortChildren } from '../place/children-logic';
import { OverdueDirectivesPanel } from '../directives/overdue-panel';
import { ParIndexPanel } from '../par/results-panel';
import { boardApi } from './board-api';
import { gridArea, panelPeriodKey, panelPlace, readingOrder } from './panel-model';

/** What every panel of a board shares: the place and date viewed, and a counter that moves when figures must be re-read. */
export interface BoardView {
  viewed: string;
  at: string;
  /** The `at` of requests: undefined for today, so answers are shared with the other screens. */
  atParam: string | undefined;
  generation: number;
  wall: boolean;
}

/** Re-runs the requests when the board's generation moves (a live event, a reconnect). */
function useRereadOn(generation: number, ...states: RequestState<unknown>[]): void {
  const first = useRef(generation);
  const latest = useRef(states);
  latest.current = states;
  useEffect(() => {
    if (generation === first.current) return;
    for (const s of latest.current) s.retry();
  }, [generation]);
}

/** The panels of a board on its 12-column grid, in reading order for keyboards and screen readers. */
export function BoardGrid({ board, view }: { board: Dashboard; view: BoardView }) {
  const { t } = useI18n();
  if (board.panels.length === 0) return <p className="muted">{t('board.empty')}</p>;
  const rows = board.panels.reduce((n, p) => Math.max(n, p.layout.y + p.layout.h), 0);
  return (
    <div className="board-grid" style={view.wall ? { gridTemplateRows: `repeat(${rows}, minmax(0, 1fr))` } : undefined} data-testid="board-grid" data-board={board.code}>
      {readingOrder(board.panels).map((p) => (
        // One panel's failure (a chunk that could not load while the network was down) stays in its cell; the next refresh retries it.
        <div key={p.id} className="board-cell" style={gridArea(p.layout)}>
          <ErrorBoundary resetKey={String(view.generation)}>
            <PanelView panel={p} view={view} />
          </ErrorBoundary>
        </div>
      ))}
    </div>
  );
}

function PanelFrame({ panel, title, meta, children }: { panel: Panel; title: string; meta?: string | undefined; children: ReactNode }) {
  const id = `panel-${panel.id}-title`;
  return (
    <section className={`board-panel panel kind-${panel.kind}`} aria-labelledby={id} data-testid={`panel-${panel.id}`}>
      <header className="board-panel-head">
        <h2 id={id}>{title}</h2>
        {meta ? <span className="muted board-panel-meta">{meta}</span> : null}
      </header>
      <div className="board-panel-body">{children}</div>
    </section>
  );
}

export function PanelView({ panel, view }: { panel: Panel; view: BoardView }) {
  switch (panel.kind) {
    case 'tiles':
      return <TilesPanel panel={panel} view={view} />;
    case 'chart':
      return <ChartPanel panel={panel} view={view} />;
    case 'map':
      return <MapPanel panel={panel} view={view} />;
    case 'ranking':
      return <RankingPanel panel={panel} view={view} />;
    case 'feed':
      return <FeedPanel panel={panel} view={view} />;
    case 'par':
      return <ParIndexPanel panel={panel} view={view} />;
    case 'directives':
      return <OverdueDirectivesPanel panel={panel} view={view} />;
  }
}

/** The overview of the panel's place and period: names, units, directions and figures of every indicator, shared by panels that ask the same. */
function usePanelOverview(panel: Panel, view: BoardView) {
  const place = panelPlace(panel, view.viewed);
  const period = panelPeriodKey(panel.period, view.at);
  const overview = useRequest(api.overview({ place, period, at: view.atParam }), { keepPrevious: true });
  return { place, period, overview };
}

function titleOf(panel: Panel, lang: 'vi' | 'en', fallback: string): string {
  return panel.title?.[lang] ?? fallback;
}

function TilesPanel({ panel, view }: { panel: Extract<Panel, { kind: 'tiles' }>; view: BoardView }) {
  const { t, lang } = useI18n();
  const { place, period, overview } = usePanelOverview(panel, view);
  // The public sees published indicators only: to them, one missing may be read signed in (the directives' completion, say).
  const access = signedInAccess(useSession());
  useRereadOn(view.generation, overview);
  const o = overview.data;
  const title = titleOf(panel, lang, o ? `${o.place.name} · ${labelOf(o.period.key, lang)}` : t('panel.kind.tiles'));
  return (
    <PanelFrame panel={panel} title={title}>
      {overview.error ? <ErrorPanel error={overview.error} onRetry={overview.retry} /> : null}
      {o ? (
        <ul className={`tiles board-tiles${overview.stale ? ' stale' : ''}`}>
          {panel.indicators.map((code) => {
            const item = o.indicators.find((i) => i.code === code);
            return (
              <li key={code}>
                {!item ? (
                  access === 'signIn' ? (
                    <SignInLine text="board.signInForIndicator" />
                  ) : (
                    <p className="note">{t('board.unknownIndicator', { code })}</p>
                  )
                ) : !item.applicable ? (
                  <p className="note">{t(item.status.reason === 'not_collected_at_level' ? 'board.notCollectedHere' : 'board.notApplicable', { name: item.names[lang] })}</p>
                ) : (
                  <IndicatorTile item={item} href={indicatorUrl(place, code, { period, at: view.atParam })} now={new Date()} period={o.period.key} place={o.place.code} names={o.indicators} />
                )}
              </li>
            );
          })}
        </ul>
      ) : overview.loading ? (
        <Loading />
      ) : null}
    </PanelFrame>
  );
}

function ChartPanel({ panel, view }: { panel: Extract<Panel, { kind: 'chart' }>; view: BoardView }) {
  const { t, lang } = useI18n();
  const { place, period, overview } = usePanelOverview(panel, view);
  const range = seriesRange(overview.data?.period.key ?? period);
  const series = useRequest(range ? api.series(panel.indicator, { place, ...range, at: view.atParam }) : null, { keepPrevious: true });
  useRereadOn(view.generation, overview, series);
  const item = overview.data?.indicators.find((i) => i.code === panel.indicator);
  const name = item?.names[lang] ?? panel.indicator;
  const unit = item?.unit ?? '';
  const error = overview.error ?? series.error;
  return (
    <PanelFrame panel={panel} title={titleOf(panel, lang, name)} meta={overview.data ? overview.data.place.name : undefined}>
      {error ? <ErrorPanel error={error} onRetry={() => (overview.error ? overview.retry() : series.retry())} /> : null}
      {series.data && overview.data ? (
        <LazySeriesChart
          model={chartModel(series.data, lang)}
          names={{ actual: t('indicator.actual'), plan: t('indicator.plan'), lastYear: t('indicator.lastYear') }}
          format={(v) => formatValue(v, unit, lang)}
          formatAxis={(v) => formatNumber(v, lang)}
          unit={unit}
          onSelect={(sel) => {
            if (!view.wall) navigate(indicatorUrl(place, panel.indicator, { period, at: view.atParam, sel }));
          }}
          label={t('indicator.chartLabel', { name })}
        />
      ) : !error ? (
        <Loading />
      ) : null}
    </PanelFrame>
  );
}

function MapPanel({ panel, view }: { panel: Extract<Panel, { kind: 'map' }>; view: BoardView }) {
  const { t, lang } = useI18n();
  const { place, period, overview } = usePanelOverview(panel, view);
  const key = overview.data?.period.key ?? period;
  const breakdown = useRequest(api.breakdown(panel.indicator, { place, period: key, at: view.atParam }), { keepPrevious: true });
  const geometry = useRequest(api.childrenGeometry(place, view.atParam));
  useRereadOn(view.generation, overview, breakdown);
  const item = overview.data?.indicators.find((i) => i.code === panel.indicator);
  const direction = item?.direction ?? 'higher_is_better';
  const unit = item?.unit ?? '';
  const items = breakdown.data?.items;
  // An incomplete figure is not coloured (it reads as no data), its coverage said in the tooltip.
  const scale = useMemo(() => choropleth((items ?? []).map(comparableValue), direction), [items, direction]);
  const colours = useMemo(() => new Map((items ?? []).map((i) => [i.key, scale.colourOf(comparableValue(i))])), [items, scale]);
  const labels = useMemo(() => new Map((items ?? []).map((i) => [i.key, figureLabel(i.key, i.name, i, unit, lang, t)])), [items, unit, lang, t]);
  const name = item?.names[lang] ?? panel.indicator;
  const placeName = overview.data?.place.name ?? place;
  const error = overview.error ?? breakdown.error ?? geometry.error;
  return (
    <PanelFrame panel={panel} title={titleOf(panel, lang, name)} meta={`${placeName} · ${labelOf(key, lang)}`}>
      {error ? <ErrorPanel error={error} onRetry={() => [overview, breakdown, geometry].forEach((r) => r.error && r.retry())} /> : null}
      {geometry.data && geometry.data.features.length === 0 ? <p className="note">{t('map.noShapes')}</p> : null}
      {geometry.data && geometry.data.features.length > 0 && items ? (
        <>
          <LazyChoroplethMap
            collection={geometry.data}
            colours={colours}
            labels={labels}
            onSelect={(code) => {
              if (!view.wall) navigate(placeUrl(code, { period: key, at: view.atParam, map: panel.indicator }));
            }}
            label={t('map.label', { place: placeName, indicator: name })}
            failedText={t('map.failed')}
          />
          <MapLegend choropleth={scale} unit={unit} direction={direction} />
        </>
      ) : !error ? (
        <Loading label={t('map.loading')} />
      ) : null}
    </PanelFrame>
  );
}

function RankingPanel({ panel, view }: { panel: Extract<Panel, { kind: 'ranking' }>; view: BoardView }) {
  const { t, lang } = useI18n();
  const { place, period, overview } = usePanelOverview(panel, view);
  const key = overview.data?.period.key ?? period;
  const breakdown = useRequest(api.breakdown(panel.indicator, { place, period: key, at: view.atParam }), { keepPrevious: true });
  useRereadOn(view.generation, overview, breakdown);
  const item = overview.data?.indicators.find((i) => i.code === panel.indicator);
  const direction = item?.direction ?? 'higher_is_better';
  const name = item?.names[lang] ?? panel.indicator;
  // An incomplete figure is left out of a ranking.
  const top = useMemo(
    () => (breakdown.data ? { ...breakdown.data, items: sortChildren(breakdown.data.items.filter((i) => !isIncomplete(i)), 'value', direction).slice(0, panel.limit) } : null),
    [breakdown.data, direction, panel.limit],
  );
  const error = overview.error ?? breakdown.error;
  return (
    <section className="board-panel kind-ranking" data-testid={`panel-${panel.id}`}>
      {error ? <ErrorPanel error={error} onRetry={() => (overview.error ? overview.retry() : breakdown.retry())} /> : null}
      {top && top.items.length === 0 ? <p className="note panel">{t('board.noChildren')}</p> : null}
      {top ? (
        <BreakdownTable
          breakdown={top}
          title={titleOf(panel, lang, `${t('board.ranking', { name })} · ${labelOf(key, lang)}`)}
          direction={direction}
          format={(v) => formatValue(v, item?.unit ?? '', lang)}
          hrefOf={view.wall ? undefined : (child) => indicatorUrl(child, panel.indicator, { period: key, at: view.atParam })}
          names={overview.data?.indicators}
        />
      ) : !error ? (
        <Loading />
      ) : null}
    </section>
  );
}

function FeedPanel({ panel, view }: { panel: Extract<Panel, { kind: 'feed' }>; view: BoardView }) {
  const session = useSession();
  return <FeedPanelView panel={panel} view={view} access={signedInAccess(session)} />;
}

/**
 * A feed panel for a given access (also used by the tests): cases and
 * alerts are read by signed-in users only, so nobody signed in sees a line
 * offering to sign in and nothing is asked of the server.
 */
export function FeedPanelView({ panel, view, access }: { panel: Extract<Panel, { kind: 'feed' }>; view: BoardView; access: SignedInAccess }) {
  const { t, lang } = useI18n();
  const title = titleOf(panel, lang, t(panel.source === 'cases' ? 'board.feed.cases' : 'board.feed.alerts'));
  return (
    <PanelFrame panel={panel} title={title}>
      {access === 'signIn' ? <SignInLine /> : access === 'wait' ? <Loading /> : panel.source === 'cases' ? <CasesFeed panel={panel} view={view} /> : <AlertsFeed panel={panel} view={view} />}
    </PanelFrame>
  );
}

/** Cases can be filtered by a province or a commune only; a district shows them all. */
function caseFilterPlace(code: string): string | undefined {
  return code.length === 2 || code.length === 5 ? code : undefined;
}

function CasesFeed({ panel, view }: { panel: Extract<Panel, { kind: 'feed' }>; view: BoardView }) {
  const { t, lang } = useI18n();
  const cases = useRequest(boardApi.cases({ place: caseFilterPlace(panelPlace(panel, view.viewed)), limit: panel.limit }), { keepPrevious: true });
  useRereadOn(view.generation, cases);
  if (cases.error) return <ErrorPanel error={cases.error} onRetry={cases.retry} />;
  if (!cases.data) return <Loading />;
  if (cases.data.cases.length === 0) return <p className="muted">{t('board.feed.empty')}</p>;
  const now = new Date();
  return (
    <ul className="feed">
      {cases.data.cases.map((c) => (
        <li key={c.id} className={`feed-item deadline-${c.deadlineState}`}>
          <span className="feed-title">{c.title}</span>
          <span className="muted small">
            {c.id} · {formatAgo(c.receivedAt, now, lang)}
            {c.deadlineState === 'overdue' ? <span className="badge badge-late small">{t('board.feed.overdue')}</span> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}

function AlertsFeed({ panel, view }: { panel: Extract<Panel, { kind: 'feed' }>; view: BoardView }) {
  const { t, lang } = useI18n();
  const alerts = useRequest(boardApi.alerts({ limit: panel.limit }), { keepPrevious: true });
  useRereadOn(view.generation, alerts);
  // The alerts service may not be on this server (an older one): say so, quietly.
  if (alerts.error && (alerts.error.status === 404 || alerts.error.code === 'bad_response')) return <p className="muted">{t('board.feed.unavailable')}</p>;
  if (alerts.error) return <ErrorPanel error={alerts.error} onRetry={alerts.retry} />;
  if (!alerts.data) return <Loading />;
  const list = alerts.data.alerts.slice(0, panel.limit);
  const severityLabel = (severity: string) => {
    const key = `alert.severity.${severity}`;
    return isMessageKey(key) ? t(key) : severity;
  };
  if (list.length === 0) return <p className="muted">{t('board.feed.empty')}</p>;
  const now = new Date();
  return (
    <ul className="feed">
      {list.map((a) => (
        <li key={a.id} className={`feed-item severity-${a.severity}`}>
          <span className="feed-title">{a.message}</span>
          <span className="muted small">
            {severityLabel(a.severity)} · {formatAgo(a.openedAt, now, lang)}
          </span>
        </li>
      ))}
    </ul>
  );
}

