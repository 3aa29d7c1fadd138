import type { ParResults } from '@watchfloor/core';
import { useMemo, useState } from 'react';
import { ErrorPanel } from '../../lib/error-panel';
import { formatNumber, formatPercent } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { Link } from '../../lib/router';
import { parAssessmentUrl } from '../../app/routes';
import { useRequest } from '../../lib/use-request';
import { NO_DATA_COLOUR } from '../map/classify';
import { LazyChoroplethMap } from '../map/lazy-map';
import { childrenGeometryRequest } from '../map/preload';
import { homePlace, todayInVietnam } from '../time/time-travel';
import { bandColour, BELOW_BANDS_COLOUR, mapDate, nameIn, rankingOf } from './results-model';
import { BandChip } from './results-table';

/**
 * The communes of the province coloured by their PAR Index band, drawn from
 * the app's own boundaries (no online tiles) as the place screens draw
 * them; the legend is the framework's bands. Clicking a commune shows its
 * score under the map, with a link to its assessment for those who may read it.
 */
export function ParMap({ data, colours, linkUnits }: { data: ParResults; colours: ReadonlyMap<string, string>; linkUnits: boolean }) {
  const { t, lang } = useI18n();
  const [selected, setSelected] = useState<string | undefined>();
  const at = mapDate(data.cycle.year, todayInVietnam());
  const province = homePlace(at);
  const geometry = useRequest(childrenGeometryRequest(province, at));
  const communes = useMemo(() => rankingOf(data.results, 'commune').filter((r) => r.placeCode !== null), [data.results]);
  const byPlace = useMemo(() => new Map(communes.map((r) => [r.placeCode!, r])), [communes]);
  const fill = useMemo(() => new Map(communes.map((r) => [r.placeCode!, bandColour(colours, r.band)])), [communes, colours]);
  const labels = useMemo(
    () =>
      new Map(
        communes.map((r) => [r.placeCode!, t('parMap.tip', { name: nameIn(r, lang), index: formatPercent(r.index, lang), band: r.band ? nameIn(r.band, lang) : t('parResults.noBand') })]),
      ),
    [communes, lang, t],
  );
  const counts = useMemo(() => {
    const m = new Map<string, number>();
    for (const r of communes) m.set(r.band?.code ?? '', (m.get(r.band?.code ?? '') ?? 0) + 1);
    return m;
  }, [communes]);
  const shapes = geometry.data;
  const onMap = shapes ? new Set(shapes.features.map((f) => f.properties.code)) : null;
  const missing = onMap ? communes.filter((r) => !onMap.has(r.placeCode!)).length + data.results.filter((r) => r.kind === 'commune' && r.placeCode === null).length : 0;
  const notAssessed = shapes ? shapes.features.filter((f) => !byPlace.has(f.properties.code)).length : 0;
  const picked = selected ? byPlace.get(selected) : undefined;
  const pts = (n: number) => formatNumber(n, lang, 2);

  return (
    <section className="panel par-map" aria-labelledby="par-map-title" data-testid="par-map">
      <h2 id="par-map-title">{t('parMap.title')}</h2>
      {geometry.error ? <ErrorPanel error={geometry.error} onRetry={geometry.retry} /> : null}
      {shapes && shapes.features.length === 0 ? <p className="note">{t('parMap.noShapes')}</p> : null}
      {shapes && shapes.features.length > 0 ? (
        <LazyChoroplethMap
          collection={shapes}
          colours={fill}
          labels={labels}
          selected={selected}
          onSelect={(code) => setSelected(code)}
          label={t('parMap.label', { year: data.cycle.year })}
          failedText={t('map.failed')}
        />
      ) : !geometry.error && !shapes ? (
        <Loading label={t('map.loading')} />
      ) : null}
      <div className="legend" role="group" aria-label={t('parMap.legend')} data-testid="par-map-legend">
        <ul>
          {data.bands.map((b) => (
            <li key={b.code}>
              <span className="swatch" style={{ background: colours.get(b.code) }} aria-hidden="true" />
              {t('parMap.bandRange', { name: nameIn(b, lang), from: formatNumber(b.atLeast, lang) })}
              <span className="muted"> ({counts.get(b.code) ?? 0})</span>
            </li>
          ))}
          {(counts.get('') ?? 0) > 0 ? (
            <li>
              <span className="swatch" style={{ background: BELOW_BANDS_COLOUR }} aria-hidden="true" />
              {t('parResults.noBand')}
              <span className="muted"> ({counts.get('')})</span>
            </li>
          ) : null}
          {notAssessed > 0 ? (
            <li>
              <span className="swatch" style={{ background: NO_DATA_COLOUR }} aria-hidden="true" />
              {t('parMap.notAssessed')}
              <span className="muted"> ({notAssessed})</span>
            </li>
          ) : null}
        </ul>
      </div>
      {missing > 0 ? <p className="muted small">{t('parMap.missing', { n: missing })}</p> : null}
      <div className="par-map-pick" aria-live="polite" data-testid="par-map-pick">
        {picked ? (
          <div className="par-map-card" data-unit={picked.code}>
            <p className="par-map-card-title">
              <strong>{nameIn(picked, lang)}</strong> <BandChip band={picked.band} colours={colours} />
            </p>
            <p className="small">
              {t('parMap.summary', { rank: picked.rank, of: picked.of, total: pts(picked.total), max: pts(picked.max), index: formatPercent(picked.index, lang) })}
              {picked.final ? null : <span className="badge badge-provisional small">{t('parResults.provisional')}</span>}
            </p>
            {linkUnits ? <Link to={parAssessmentUrl(data.cycle.id, picked.code)}>{t('parResults.openUnit', { name: nameIn(picked, lang) })}</Link> : null}
          </div>
        ) : (
          <p className="muted small">{t('parMap.pick')}</p>
        )}
      </div>
    </section>
  );
}
