import { lazy, Suspense } from 'react';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import type { ChoroplethMapProps } from './choropleth-map';

// The map library (and its worker) is a chunk of its own, loaded only where a map shows.
const ChoroplethMap = lazy(() => import('./choropleth-map').then((m) => ({ default: m.ChoroplethMap })));

export function LazyChoroplethMap(props: ChoroplethMapProps) {
  const { t } = useI18n();
  return (
    <Suspense fallback={<div className="map map-placeholder"><Loading label={t('map.loading')} /></div>}>
      <ChoroplethMap {...props} />
    </Suspense>
  );
}
