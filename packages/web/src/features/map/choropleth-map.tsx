import { GeoJSONSource, Map as MapLibre, Marker, NavigationControl, Popup, prewarm, setWorkerUrl, type MapMouseEvent, type StyleSpecification } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { MapCollection } from '@watchfloor/core';
import { useEffect, useRef, useState } from 'react';
import { NO_DATA_COLOUR } from './classify';
import type { MapPointCollection } from './points';

// The worker is served from our own origin, as a file of the build. It is
// started as soon as this chunk loads (screens preload it with their data),
// not when the first map is made, and kept for the next map.
setWorkerUrl(workerUrl);
prewarm();

const SOURCE = 'places';
const POINTS = 'points';
const EMPTY_POINTS: MapPointCollection = { type: 'FeatureCollection', features: [] };

/**
 * The whole style at once, its data in it: no base map, only our own
 * boundaries (and the points) on a plain background, so nothing is fetched
 * from elsewhere (no glyphs, no sprites), and the worker gets the
 * boundaries as soon as the style loads rather than after a first frame.
 */
function styleOf(collection: MapCollection, points: MapPointCollection): StyleSpecification {
  return {
    version: 8,
    sources: {
      // Polygons: no clustering; the codes are the feature ids of feature-state (colours, hover, selection).
      // A tile's margin of 32 px (not 128) is ample for lines 2.5 px wide and cuts the geometry each tile clips and triangulates.
      [SOURCE]: { type: 'geojson', data: collection, promoteId: 'code', buffer: 32 },
      // Cases and stations: maplibre's own clustering.
      [POINTS]: { type: 'geojson', data: points, cluster: true, clusterRadius: 40, clusterMaxZoom: 14 },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#0b1220' } },
      {
        id: 'fill',
        type: 'fill',
        source: SOURCE,
        paint: { 'fill-color': ['coalesce', ['feature-state', 'colour'], NO_DATA_COLOUR], 'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 1, 0.88] },
      },
      { id: 'outline', type: 'line', source: SOURCE, paint: { 'line-color': '#0b1220', 'line-width': 0.8 } },
      {
        id: 'highlight',
        type: 'line',
        source: SOURCE,
        paint: { 'line-color': '#f8fafc', 'line-width': ['case', ['boolean', ['feature-state', 'hover'], false], 2.5, ['boolean', ['feature-state', 'selected'], false], 2.5, 0] },
      },
      {
        id: 'point-clusters',
        type: 'circle',
        source: POINTS,
        filter: ['has', 'point_count'],
        paint: { 'circle-color': '#f59e0b', 'circle-opacity': 0.85, 'circle-stroke-color': '#0b1220', 'circle-stroke-width': 1.5, 'circle-radius': ['step', ['get', 'point_count'], 13, 10, 17, 50, 22] },
      },
      {
        id: 'point-single',
        type: 'circle',
        source: POINTS,
        filter: ['!', ['has', 'point_count']],
        paint: { 'circle-color': ['match', ['get', 'kind'], 'station', '#38bdf8', '#f97316'], 'circle-radius': 6, 'circle-stroke-color': '#f8fafc', 'circle-stroke-width': 1.5 },
      },
    ],
  };
}

export interface ChoroplethMapProps {
  /** The units' boundaries: the full collection or the map's shape (each unit only its code, the one property the map reads). */
  collection: MapCollection;
  /** Fill colour per unit code. */
  colours: ReadonlyMap<string, string>;
  /** Tooltip text per unit code (name and value). */
  labels: ReadonlyMap<string, string>;
  selected?: string | undefined;
  onSelect: (code: string) => void;
  label: string;
  failedText: string;
  /** Cases and stations drawn on top, clustered when many; click a cluster to zoom in, a point for its popup. */
  points?: MapPointCollection | undefined;
  /** Words of the points' popups: the kinds, the link, a cluster's title ({n}). */
  pointText?: { case: string; station: string; open: string; cluster: string } | undefined;
  /** Follows a point's link in the app. */
  onOpenPoint?: ((href: string) => void) | undefined;
}

function codeOf(e: MapMouseEvent & { features?: { properties: Record<string, unknown> }[] }): string | null {
  const code = e.features?.[0]?.properties.code;
  return typeof code === 'string' ? code : null;
}

/** The children of a place as a choropleth (maplibre-gl, WebGL); click a unit to drill into it. */
export function ChoroplethMap({ collection, colours, labels, selected, onSelect, label, failedText, points, pointText, onOpenPoint }: ChoroplethMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibre | null>(null);
  // The style is loaded: the sources and layers exist (they come with it).
  const [loaded, setLoaded] = useState(false);
  // Set on maplibre's first `idle` after the layers exist: the boundaries are on screen (the speed of the first draw is measured by it).
  const [drawn, setDrawn] = useState(false);
  const [failed, setFailed] = useState(false);
  const [hover, setHover] = useState<{ code: string; x: number; y: number } | null>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const pointsRef = useRef({ text: pointText, open: onOpenPoint });
  pointsRef.current = { text: pointText, open: onOpenPoint };
  // What the sources hold: the data the map was made with is not sent to the worker a second time.
  const shown = useRef<{ collection: MapCollection; points: MapPointCollection }>({ collection, points: points ?? EMPTY_POINTS });

  // One map per mounted component; data and colours are updated in place.
  useEffect(() => {
    if (!container.current) return;
    let map: MapLibre;
    try {
      map = new MapLibre({
        container: container.current,
        style: styleOf(shown.current.collection, shown.current.points),
        // No symbols to fade in: the first frames are final.
        fadeDuration: 0,
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
    map.once('style.load', () => {
      setLoaded(true);
      map.once('idle', () => setDrawn(true));
    });
    wirePoints(map, pointsRef);
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
      // A click on a case or station is the point's, not the unit's under it.
      if (map.getLayer('point-single') && map.queryRenderedFeatures(e.point, { layers: ['point-single', 'point-clusters'] }).length > 0) return;
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
    if (shown.current.collection === collection) return;
    shown.current.collection = collection;
    const source = map.getSource(SOURCE);
    if (source instanceof GeoJSONSource) source.setData(collection);
    if (collection.bbox) map.fitBounds(collection.bbox, { padding: 16, animate: false });
  }, [collection, loaded]);

  // The units given a state (a colour, the selection): a unit with neither is drawn by the style's defaults (grey "no data", not
  // selected) and given no state, as setting one costs each tile a pass over its paint arrays; a unit that had one is reset.
  const stated = useRef(new Set<string>());
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    const next = new Set<string>();
    for (const f of collection.features) {
      const code = f.properties.code;
      const colour = colours.get(code) ?? NO_DATA_COLOUR;
      const marked = colour !== NO_DATA_COLOUR || code === selected;
      if (!marked && !stated.current.has(code)) continue;
      map.setFeatureState({ source: SOURCE, id: code }, { colour, selected: code === selected });
      if (marked) next.add(code);
    }
    // A unit of an earlier collection keeps its place in the set: should it come back uncoloured, it is reset.
    const present = new Set(collection.features.map((f) => f.properties.code));
    for (const code of stated.current) if (!present.has(code)) next.add(code);
    stated.current = next;
  }, [collection, colours, selected, loaded]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !loaded) return;
    const next = points ?? EMPTY_POINTS;
    if (shown.current.points === next) return;
    shown.current.points = next;
    const source = map.getSource(POINTS);
    if (source instanceof GeoJSONSource) source.setData(next);
  }, [points, loaded]);

  if (failed) return <p className="map map-failed">{failedText}</p>;
  const tip = hover ? labels.get(hover.code) : undefined;
  return (
    <div className="map-wrap">
      <div ref={container} className="map" role="region" aria-label={label} data-testid="choropleth-map" data-loaded={loaded || undefined} data-drawn={drawn || undefined} />
      {hover && tip ? (
        <div className="map-tip" style={{ left: hover.x + 12, top: hover.y + 12 }} aria-hidden="true">
          {tip}
        </div>
      ) : null}
    </div>
  );
}

type PointsRef = { current: { text: ChoroplethMapProps['pointText']; open: ChoroplethMapProps['onOpenPoint'] } };

/**
 * The points layers' behaviour (their source and layers are in the style):
 * maplibre's own GeoJSON clustering. Cluster counts are HTML markers, not
 * map text, because the style loads no glyphs (nothing is fetched from
 * elsewhere). Clicking a cluster zooms to where it splits; clicking a point
 * opens a popup with its title and link.
 */
function wirePoints(map: MapLibre, ref: PointsRef): void {
  const markers = new Map<number, Marker>();
  const syncCounts = () => {
    const seen = new Set<number>();
    for (const f of map.querySourceFeatures(POINTS, { filter: ['has', 'point_count'] })) {
      const id = f.properties.cluster_id;
      const count = f.properties.point_count;
      if (typeof id !== 'number' || typeof count !== 'number' || f.geometry.type !== 'Point' || seen.has(id)) continue;
      seen.add(id);
      if (!markers.has(id)) {
        const el = document.createElement('span');
        el.className = 'map-cluster-count';
        el.textContent = String(count);
        el.setAttribute('aria-hidden', 'true');
        el.title = (ref.current.text?.cluster ?? '{n}').replace('{n}', String(count));
        const [lon, lat] = f.geometry.coordinates;
        markers.set(id, new Marker({ element: el }).setLngLat([lon ?? 0, lat ?? 0]).addTo(map));
      }
    }
    for (const [id, m] of markers) {
      if (!seen.has(id)) {
        m.remove();
        markers.delete(id);
      }
    }
  };
  map.on('render', () => {
    if (map.getSource(POINTS) && map.isSourceLoaded(POINTS)) syncCounts();
  });

  map.on('click', 'point-clusters', (e) => {
    const f = e.features?.[0];
    const id = f?.properties.cluster_id;
    const source = map.getSource(POINTS);
    if (typeof id !== 'number' || !(source instanceof GeoJSONSource) || f?.geometry.type !== 'Point') return;
    const [lon, lat] = f.geometry.coordinates;
    void source.getClusterExpansionZoom(id).then((zoom) => map.easeTo({ center: [lon ?? 0, lat ?? 0], zoom }));
  });
  map.on('click', 'point-single', (e) => {
    const f = e.features?.[0];
    if (!f || f.geometry.type !== 'Point') return;
    const p = f.properties as Record<string, unknown>;
    const text = ref.current.text;
    const box = document.createElement('div');
    box.className = 'map-popup';
    const kind = document.createElement('p');
    kind.className = 'muted small';
    kind.textContent = `${p.kind === 'station' ? (text?.station ?? '') : (text?.case ?? '')} · ${String(p.detail ?? '')}`;
    const title = document.createElement('p');
    title.textContent = String(p.title ?? '');
    box.append(kind, title);
    const popup = new Popup({ closeButton: true, maxWidth: '260px' });
    if (typeof p.href === 'string' && p.href) {
      const href = p.href;
      const a = document.createElement('a');
      a.href = href;
      a.textContent = text?.open ?? href;
      // A plain click stays in the app; a modified one is the browser's (new tab).
      a.addEventListener('click', (ev) => {
        if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey || !ref.current.open) return;
        ev.preventDefault();
        popup.remove();
        ref.current.open(href);
      });
      box.append(a);
    }
    const [lon, lat] = f.geometry.coordinates;
    popup.setLngLat([lon ?? 0, lat ?? 0]).setDOMContent(box).addTo(map);
  });
  for (const layer of ['point-clusters', 'point-single']) {
    map.on('mouseenter', layer, () => {
      map.getCanvas().style.cursor = 'pointer';
    });
    map.on('mouseleave', layer, () => {
      map.getCanvas().style.cursor = '';
    });
  }
}
