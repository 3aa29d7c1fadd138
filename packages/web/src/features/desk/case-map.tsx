import type { PlaceFeature } from '@watchfloor/core';
import { useI18n } from '../../lib/i18n/i18n';
import { Link } from '../../lib/router';
import { useRequest } from '../../lib/use-request';
import { placeUrl } from '../../app/routes';
import { deskApi } from './desk-api';

const SIZE = 220;

type Ring = readonly (readonly number[])[];

function rings(f: PlaceFeature): Ring[] {
  return f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat();
}

/**
 * Where a case is: the commune's boundary with the point on it, drawn as a
 * small SVG (no map library for one commune), the coordinates and a link
 * to the commune's screen. Without a boundary the coordinates still show.
 */
export function CaseMap({ lat, lon, placeCode }: { lat: number; lon: number; placeCode: string | null }) {
  const { t, lang } = useI18n();
  const geometry = useRequest(placeCode ? deskApi.placeGeometry(placeCode) : null);
  const f = geometry.data;
  let drawing = null;
  if (f) {
    const all = rings(f).flat();
    const xs = [...all.map((p) => p[0] ?? 0), lon];
    const ys = [...all.map((p) => p[1] ?? 0), lat];
    const [w, e, s, n] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    // Degrees of longitude are shorter than degrees of latitude away from the equator.
    const k = Math.cos(((s + n) / 2) * (Math.PI / 180));
    const span = Math.max((e - w) * k, n - s) || 1;
    const x = (lo: number) => 10 + (((lo - w) * k) / span) * (SIZE - 20);
    const y = (la: number) => 10 + ((n - la) / span) * (SIZE - 20);
    const d = rings(f)
      .map((r) => `M${r.map((p) => `${x(p[0] ?? 0).toFixed(1)},${y(p[1] ?? 0).toFixed(1)}`).join('L')}Z`)
      .join('');
    drawing = (
      <svg className="case-map" viewBox={`0 0 ${SIZE} ${SIZE}`} width={SIZE} height={SIZE} role="img" aria-label={t('desk.case.mapLabel', { place: f.properties.name })}>
        <path d={d} fillRule="evenodd" />
        <circle cx={x(lon)} cy={y(lat)} r="6" />
      </svg>
    );
  }
  const fmt = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 5 });
  return (
    <div className="case-location" data-testid="case-location">
      {drawing}
      <p>
        {t('desk.case.coordinates', { lat: fmt.format(lat), lon: fmt.format(lon) })}
        {placeCode ? (
          <>
            {' · '}
            <Link to={placeUrl(placeCode)}>{f ? f.properties.name : t('desk.case.commune', { code: placeCode })}</Link>
          </>
        ) : null}
      </p>
    </div>
  );
}
