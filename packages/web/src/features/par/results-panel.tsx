import type { Panel, ParResults } from '@watchfloor/core';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { ErrorPanel } from '../../lib/error-panel';
import { formatPercent } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { Link } from '../../lib/router';
import { useRequest } from '../../lib/use-request';
import { parResultsUrl } from '../../app/routes';
import type { BoardView } from '../dashboards/panels';
import { parResultsApi } from './results-api';
import { allFinal, bandColour, bandColours, latestCycle, nameIn, rankingOf } from './results-model';
import './results.css';

type ParPanel = Extract<Panel, { kind: 'par' }>;

/**
 * The dashboard panel "PAR Index by department" (Chỉ số CCHC các sở,
 * ngành): the latest cycle the viewer may see (the public, a published
 * one), its departments (or communes) ranked by index, each with a bar of
 * its index in its band's colour and the band's name; large on the wall.
 */
export function ParIndexPanel({ panel, view }: { panel: ParPanel; view: BoardView }) {
  const cycles = useRequest(parResultsApi.cycles(), { keepPrevious: true });
  const latest = cycles.data ? latestCycle(cycles.data.cycles) : null;
  const results = useRequest(latest ? parResultsApi.results(latest.id, panel.unitKind) : null, { keepPrevious: true });
  // A live event or a reconnect moves the board's generation: read again.
  const first = useRef(view.generation);
  const retry = useRef(() => undefined as void);
  retry.current = () => {
    cycles.retry();
    results.retry();
  };
  useEffect(() => {
    if (view.generation !== first.current) retry.current();
  }, [view.generation]);
  const error = cycles.error ?? results.error;
  return (
    <ParIndexPanelView panel={panel} wall={view.wall} data={latest ? results.data : undefined} none={cycles.data !== undefined && latest === null}>
      {error ? <ErrorPanel error={error} onRetry={() => retry.current()} /> : !cycles.data || (latest && !results.data) ? <Loading /> : null}
    </ParIndexPanelView>
  );
}

/** The panel for given results (also used by the tests): the ranking, or `children` (loading, an error) while there is none. */
export function ParIndexPanelView({ panel, wall, data, none, children }: { panel: ParPanel; wall: boolean; data: ParResults | undefined; none: boolean; children?: ReactNode }) {
  const { t, lang } = useI18n();
  const colours = useMemo(() => bandColours(data?.bands ?? []), [data?.bands]);
  const ranking = data ? rankingOf(data.results, panel.unitKind).slice(0, panel.limit) : [];
  const title = panel.title?.[lang] ?? t(panel.unitKind === 'commune' ? 'parPanel.titleCommune' : 'parPanel.title');
  const id = `panel-${panel.id}-title`;
  return (
    <section className="board-panel panel kind-par" aria-labelledby={id} data-testid={`panel-${panel.id}`}>
      <header className="board-panel-head">
        <h2 id={id}>
          {wall || !data ? (
            title
          ) : (
            <Link to={parResultsUrl(data.cycle.id, panel.unitKind)}>{title}</Link>
          )}
        </h2>
        {data ? (
          <span className="muted board-panel-meta">
            {t('parPanel.meta', { year: data.cycle.year })}
            {data.cycle.example ? ` · ${t('parResults.example')}` : ''}
            {allFinal(ranking) ? '' : ` · ${t('parResults.provisional')}`}
          </span>
        ) : null}
      </header>
      <div className="board-panel-body">
        {children}
        {none || (data && ranking.length === 0) ? <p className="muted" data-testid="par-panel-none">{t('parPanel.none')}</p> : null}
        {ranking.length > 0 ? (
          <ol className="par-panel-list" data-testid="par-panel-list">
            {ranking.map((r) => (
              <li key={r.code} className="par-panel-row" data-unit={r.code}>
                <span className="par-panel-rank">{r.rank}</span>
                <span className="par-panel-name">
                  {nameIn(r, lang)}
                  <span className="par-panel-band">{r.band ? nameIn(r.band, lang) : t('parResults.noBand')}</span>
                </span>
                <span className="par-panel-index">{formatPercent(r.index, lang)}</span>
                <span className="par-panel-bar" aria-hidden="true">
                  <span style={{ width: `${Math.max(1, Math.min(100, r.index))}%`, background: bandColour(colours, r.band) }} />
                </span>
              </li>
            ))}
          </ol>
        ) : null}
      </div>
    </section>
  );
}
