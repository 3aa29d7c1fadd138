/**
 * The app's screens and their URLs. Every screen has a shareable address:
 *   /                              the home province's overview (84 before 1 July 2025, 86 after)
 *   /p/86?period=2026-Q3&at=…      a place's overview
 *   /p/29242/i/PS_ON_TIME_RATE     one indicator of a place
 * Query parameters: `at` (date viewed), `period`, `map` (indicator on the
 * map), `sel` (the period whose revisions are shown).
 */
export type Route =
  | { name: 'home' }
  | { name: 'place'; code: string }
  | { name: 'indicator'; code: string; indicator: string }
  | { name: 'notFound' };

export interface ViewQuery {
  at?: string | undefined;
  period?: string | undefined;
  map?: string | undefined;
  sel?: string | undefined;
}

const PLACE = /^\/p\/([^/]+)\/?$/;
const INDICATOR = /^\/p\/([^/]+)\/i\/([^/]+)\/?$/;

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** The screen a path names. Codes are not checked here: the server says whether a place or indicator exists. */
export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'home' };
  const i = INDICATOR.exec(pathname);
  if (i) {
    const code = decode(i[1] ?? '');
    const indicator = decode(i[2] ?? '');
    return code && indicator ? { name: 'indicator', code, indicator } : { name: 'notFound' };
  }
  const p = PLACE.exec(pathname);
  if (p) {
    const code = decode(p[1] ?? '');
    return code ? { name: 'place', code } : { name: 'notFound' };
  }
  return { name: 'notFound' };
}

export function readQuery(search: string): ViewQuery {
  const q = new URLSearchParams(search);
  const get = (k: string) => q.get(k) || undefined;
  return { at: get('at'), period: get('period'), map: get('map'), sel: get('sel') };
}

function withQuery(path: string, query: ViewQuery): string {
  const q = new URLSearchParams();
  for (const key of ['period', 'at', 'map', 'sel'] as const) {
    const v = query[key];
    if (v) q.set(key, v);
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export function homeUrl(query: ViewQuery = {}): string {
  return withQuery('/', query);
}

export function placeUrl(code: string, query: ViewQuery = {}): string {
  return withQuery(`/p/${encodeURIComponent(code)}`, query);
}

export function indicatorUrl(code: string, indicator: string, query: ViewQuery = {}): string {
  return withQuery(`/p/${encodeURIComponent(code)}/i/${encodeURIComponent(indicator)}`, query);
}

/** The URL of a route with a query: how screens link to each other. */
export function routeUrl(route: Route, query: ViewQuery = {}): string {
  switch (route.name) {
    case 'home':
    case 'notFound':
      return homeUrl(query);
    case 'place':
      return placeUrl(route.code, query);
    case 'indicator':
      return indicatorUrl(route.code, route.indicator, query);
  }
}
