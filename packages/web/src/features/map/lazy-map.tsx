import { useEffect, useState } from 'react';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import type { ChoroplethMap as ChoroplethMapComponent, ChoroplethMapProps } from './choropleth-map';

type MapComponent = typeof ChoroplethMapComponent;

// The map library (and its worker) is a chunk of its own, loaded only where a map shows.
let loaded: MapComponent | null = null;
let loading: Promise<MapComponent> | null = null;

/**
 * Starts loading the map's chunk (maplibre; evaluating it starts the map's
 * worker), once: screens call it as soon as they know a map will show, so
 * the library loads while their data does. A failed load is tried again by
 * the next call.
 */
export function preloadMap(): Promise<MapComponent> {
  loading ??= import('./choropleth-map').then(
    (m) => (loaded = m.ChoroplethMap),
    (err: unknown) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}

/**
 * The choropleth once its chunk is there: drawn at once when it was
 * preloaded, otherwise after a placeholder of the map's size. Not React's
 * lazy() and Suspense: their reveal of the loaded map is held back up to
 * 300 ms after the fallback shows, which is a third of the first draw's budget.
 */
export function LazyChoroplethMap(props: ChoroplethMapProps) {
  const { t } = useI18n();
  const [Loaded, setLoaded] = useState<MapComponent | null>(() => loaded);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (Loaded) return;
    let live = true;
    void preloadMap().then(
      (component) => live && setLoaded(() => component),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [Loaded]);

  if (Loaded) return <Loaded {...props} />;
  if (failed) return <p className="map map-failed">{props.failedText}</p>;
  return (
    <div className="map map-placeholder">
      <Loading label={t('map.loading')} />
    </div>
  );
}
