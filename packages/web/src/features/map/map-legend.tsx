import { formatNumber } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { NO_DATA_COLOUR, type Choropleth } from './classify';

/** The classes of the choropleth with their ranges and counts, and the grey of no data. */
export function MapLegend({ choropleth, unit, direction }: { choropleth: Choropleth; unit: string; direction: string }) {
  const { t, lang } = useI18n();
  const n = (v: number) => formatNumber(v, lang);
  const betterKey = direction === 'lower_is_better' ? 'map.better.lower_is_better' : direction === 'band' ? 'map.better.band' : 'map.better.higher_is_better';
  return (
    <div className="legend" aria-label={t('map.legend')} role="group">
      <ul>
        {choropleth.legend.map((e, i) => (
          <li key={i}>
            <span className="swatch" style={{ background: e.colour }} aria-hidden="true" />
            {e.from === null && e.to === null ? '' : e.from === null ? `< ${n(e.to ?? 0)}` : e.to === null ? `≥ ${n(e.from)}` : `${n(e.from)} – ${n(e.to)}`} {unit}
            <span className="muted"> ({e.count})</span>
          </li>
        ))}
        {choropleth.noData > 0 ? (
          <li>
            <span className="swatch" style={{ background: NO_DATA_COLOUR }} aria-hidden="true" />
            {t('map.noData')}
            <span className="muted"> ({choropleth.noData})</span>
          </li>
        ) : null}
      </ul>
      <p className="muted small">{t(betterKey)}</p>
    </div>
  );
}
