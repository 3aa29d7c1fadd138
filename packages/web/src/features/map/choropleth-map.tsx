import { GeoJSONSource, Map as MapLibre, NavigationControl, setWorkerUrl, type MapMouseEvent, type StyleSpecification } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { PlaceFeatureCollection } from '@watchfloor/core';
import { useEffect, useRef, useState } from 'react';
import { NO_DATA_COLOUR } from './classify';

// The worker is served from our own origin, as a file of the build.
setWorkerUrl(workerUrl);

/** No base map: only our own boundaries on a plain background, so nothing is fetched from elsewhere. */
const EMPTY_STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#0b1220' } }],
};

const SOURCE = 'places';

export interface ChoroplethMapProps {
  collection: PlaceFeatureCollection;
  /** Fill colour per unit code. */
  colours: ReadonlyMap<string, string>;
  /** Tooltip text per unit code (name and value). */
  labels: ReadonlyMap<string, string>;
  selected?: string | undefined;
  onSelect: (code: string) => void;
  label: string;
  failedText: string;
}

function codeOf(e: MapMouseEvent & { features?: { properties: Record<string, unknown> }[] }): string | null {
  const code = e.features?.[0]?.properties.code;
  return typeof code === 'string' ? code : null;
}

/** The children of a place as a choropleth (maplibre-gl, WebGL); click a unit to drill into it. */
export function ChoroplethMap({ collection, colours, labels, selected, onSelect, label, failedText }: ChoroplethMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibre | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [failed, setFailed] = useState(false);
  const [hover, setHover] = useState<{ code: string; x: number; y: number } | null>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  // One map per mounted component; data and colours are updated in place.
  useEffect(() => {
    if (!container.current) return;
    let map: MapLibre;
    try {
      map = new MapLibre({
        container: container.current,
        style: EMPTY_STYLE,
        attributionControl: false,
        dragRotate: false,
        pitchWithRotate: false,
        touchPitch: false,
        renderWorldCopies: false,
        ...(collection.bbox ? { bounds: collection.bbox, fitBoundsOptions: { padding: 16 } } : {}),
      });
    } catch {
      setFailed(true);
      return;
    }
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.touchZoomRotate.disableRotation();
    map.on('load', () => {
      map.addSource(SOURCE, { type: 'geojson', data: collection, promoteId: 'code' });
      map.addLayer({
        id: 'fill',
        type: 'fill',
        source: SOURCE,
        paint: { 'fill-color': ['coalesce', ['feature-state', 'colour'], NO_DATA_COLOUR], 'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 1, 0.88] },
      });
      map.addLayer({ id: 'outline', type: 'line', source: SOURCE, paint: { 'line-color': '#0b1220', 'line-width': 0.8 } });
      map.addLayer({
        id: 'highlight',
        type: 'line',
        source: SOURCE,
        paint: { 'line-color': '#f8fafc', 'line-width': ['case', ['boolean', ['feature-state', 'hover'], false], 2.5, ['boolean', ['feature-state', 'selected'], false], 2.5, 0] },
      });
      setLoaded(true);
    });
    let hovered: string | null = null;
    const setHovered = (code: string | null) => {
      if (hovered === code) return;
      if (hovered) map.setFeatureState({ source: SOURCE, id: hovered }, { hover: false });
      hovered = code;
      if (code) map.setFeatureState({ source: SOURCE, id: code }, { hover: true });
    };
    map.on('mousemove', 'fill', (e) => {
      const code = codeOf(e);
      setHovered(code);
      map.getCanvas().style.cursor = code ? 'pointer' : '';
      setHover(code ? { code, x: e.point.x, y: e.point.y } : null);
    });
    map.on('mouseleave', 'fill', () => {
      setHovered(null);
      map.getCanvas().style.cursor = '';
      setHover(null);
    });
    map.on('click', 'fill', (e) => {
      const code = codeOf(e);
      if (code) onSelectRef.current(code);
    });
    map.on('error', (e) => console.warn('map error', e.error.message));
    mapRef.current = map;
    return () => {
      mapRef.current = null;
      map.remove();
    };
    // Created once; the effects below follow the props.
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    const source = map.getSource(SOURCE);
    if (source instanceof GeoJSONSource) source.setData(collection);
    if (collection.bbox) map.fitBounds(collection.bbox, { padding: 16, animate: false });
  }, [collection, loaded]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    for (const f of collection.features) {
      const code = f.properties.code;
      map.setFeatureState({ source: SOURCE, id: code }, { colour: colours.get(code) ?? NO_DATA_COLOUR, selected: code === selected });
    }
  }, [collection, colours, selected, loaded]);

  if (failed) return <p className="map map-failed">{failedText}</p>;
  const tip = hover ? labels.get(hover.code) : undefined;
  return (
    <div className="map-wrap">
      <div ref={container} className="map" role="region" aria-label={label} data-testid="choropleth-map" data-loaded={loaded || undefined} />
      {hover && tip ? (
        <div className="map-tip" style={{ left: hover.x + 12, top: hover.y + 12 }} aria-hidden="true">
          {tip}
        </div>
      ) : null}
    </div>
  );
}
