import type { Case, Station } from '@watchfloor/core';
import type { Request } from '../../lib/api';
import type { SignedInAccess } from '../../lib/sign-in-prompt';
import { leadersApi } from '../feed/feed-api';

/** One point on the map: a case or a station, with what its popup says and where it links. */
export interface MapPointProperties {
  kind: 'case' | 'station';
  id: string;
  title: string;
  /** A case's status, a station's code. */
  detail: string;
  href: string | null;
}

export interface MapPointCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; geometry: { type: 'Point'; coordinates: [number, number] }; properties: MapPointProperties }[];
}

/** The place viewed, for picking the stations inside it. */
export interface PointsPlace {
  code: string;
  children: readonly string[];
}

const valid = (lon: number, lat: number) => Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;

/**
 * Cases and stations as one GeoJSON source for maplibre's clustering: cases
 * are those of the place already (the API filters them), stations are kept
 * when they lie in the place or a unit under it. Points without usable
 * coordinates are left out rather than drawn at 0,0.
 */
export function buildPointCollection(cases: readonly Case[], stations: readonly Station[], place: PointsPlace): MapPointCollection {
  const features: MapPointCollection['features'] = [];
  for (const c of cases) {
    if (!valid(c.lon, c.lat)) continue;
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [c.lon, c.lat] }, properties: { kind: 'case', id: c.id, title: c.title, detail: c.status, href: `/cases/${encodeURIComponent(c.id)}` } });
  }
  for (const s of stations) {
    const inside = s.provinceCode === place.code || (s.place !== null && (s.place.code === place.code || place.children.includes(s.place.code)));
    if (!inside || !valid(s.lon, s.lat)) continue;
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [s.lon, s.lat] }, properties: { kind: 'station', id: s.code, title: s.name, detail: s.code, href: null } });
  }
  return { type: 'FeatureCollection', features };
}

/** At most this many cases of a place on the map: it clusters them. */
export const MAP_CASES = 500;

/**
 * What the map asks for its points: the place's cases and the stations for
 * a signed-in user; nothing at all while the session loads or when nobody
 * is signed in (both answer 401 to the anonymous), so the map shows the
 * boundaries alone.
 */
export function mapPointRequests(access: SignedInAccess, place: string): { cases: Request<{ cases: Case[] }> | null; stations: Request<{ stations: Station[] }> | null } {
  if (access !== 'read') return { cases: null, stations: null };
  return { cases: leadersApi.cases(place, MAP_CASES), stations: leadersApi.stations() };
}
