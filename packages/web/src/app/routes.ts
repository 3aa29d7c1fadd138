import { signInUrl } from '../lib/sign-in-url';

/**
 * The app's screens and their URLs. Every screen has a shareable address:
 *   /                              the home province's overview (84 before 1 July 2025, 86 after)
 *   /p/86?period=2026-Q3&at=…      a place's overview
 *   /p/29242/i/PS_ON_TIME_RATE     one indicator of a place
 *   /d, /d/:code, /d/:code/edit    dashboards: the list, one board (?place, at), its editor
 *   /wall, /wall/:playlist         the video wall: its playlists, one playlist full screen
 *   /desk/cases, /cases/:id        the case board (filters in the query) and one case
 *   /desk/alerts, /desk/data       the alert desk; the data desk (?source, run)
 *   /desk/dossiers?late=true       administrative dossiers (filters in the query)
 *   /scorecards?period=&place=     agency scorecards
 *   /playlists, /playlists/:code/edit  the wall's playlists: the list, one playlist's editor
 *   /par, /par/:id?kind=commune    the PAR Index results: the latest cycle's, one cycle's (departments or communes)
 *   /par/desk                      the PAR Index cycles and opening one
 *   /par/:id/desk                  a PAR Index cycle's desk: deadlines, units, the late list
 *   /par/:id/units/:unit           one unit's PAR Index assessment in a cycle
 *   /directives?period=&agency=    leadership directives: completion by agency and the overdue list, or one agency's tasks
 *   /directives/:number            one directive document (its number and symbol, encoded) with its tasks
 *   /reports                       periodic reports: each template downloaded for a month (Word, PDF); a data steward edits them
 *   /account/messages              one's own notification preferences (channels, addresses, severity, quiet hours)
 *   /sign-in?next=/desk/cases      signing in, then back to `next` (a path of this site only)
 * Query parameters: `at` (date viewed), `period`, `map` (indicator on the
 * map), `sel` (the period whose revisions are shown).
 */
export type Route =
  | { name: 'home' }
  | { name: 'place'; code: string }
  | { name: 'indicator'; code: string; indicator: string }
  | { name: 'dashboards' }
  | { name: 'dashboard'; code: string }
  | { name: 'dashboardEdit'; code: string }
  | { name: 'walls' }
  | { name: 'wall'; playlist: string }
  | { name: 'deskCases' }
  | { name: 'case'; id: string }
  | { name: 'deskAlerts' }
  | { name: 'deskData' }
  | { name: 'deskDossiers' }
  | { name: 'scorecards' }
  | { name: 'playlists' }
  | { name: 'playlistEdit'; code: string }
  | { name: 'parResults'; id: string | null }
  | { name: 'parDesks' }
  | { name: 'parCycleDesk'; id: number }
  | { name: 'parAssessment'; id: number; unit: string }
  | { name: 'directives' }
  | { name: 'directive'; number: string }
  | { name: 'reports' }
  | { name: 'messagePreferences' }
  | { name: 'signIn' }
  | { name: 'notFound' };

export interface ViewQuery {
  at?: string | undefined;
  period?: string | undefined;
  map?: string | undefined;
  sel?: string | undefined;
}

const PLACE = /^\/p\/([^/]+)\/?$/;
const INDICATOR = /^\/p\/([^/]+)\/i\/([^/]+)\/?$/;
const DASHBOARD = /^\/d\/([^/]+)(\/edit)?\/?$/;
const WALL = /^\/wall\/([^/]+)\/?$/;
const CASE = /^\/cases\/([^/]+)\/?$/;
const PLAYLIST_EDIT = /^\/playlists\/([^/]+)\/edit\/?$/;
const PAR_RESULTS = /^\/par\/(\d+)\/?$/;
const PAR_CYCLE_DESK = /^\/par\/(\d{1,9})\/desk\/?$/;
const PAR_ASSESSMENT = /^\/par\/(\d{1,9})\/units\/([^/]+)\/?$/;
const DIRECTIVE = /^\/directives\/([^/]+)\/?$/;
const DESKS: Record<string, Route> = { '/desk/cases': { name: 'deskCases' }, '/desk/alerts': { name: 'deskAlerts' }, '/desk/data': { name: 'deskData' }, '/desk/dossiers': { name: 'deskDossiers' } };

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
  if (pathname === '/d' || pathname === '/d/') return { name: 'dashboards' };
  if (pathname === '/wall' || pathname === '/wall/') return { name: 'walls' };
  if (pathname === '/scorecards' || pathname === '/scorecards/') return { name: 'scorecards' };
  if (pathname === '/playlists' || pathname === '/playlists/') return { name: 'playlists' };
  if (pathname === '/sign-in' || pathname === '/sign-in/') return { name: 'signIn' };
  if (pathname === '/reports' || pathname === '/reports/') return { name: 'reports' };
  if (pathname === '/account/messages' || pathname === '/account/messages/') return { name: 'messagePreferences' };
  if (pathname === '/par' || pathname === '/par/') return { name: 'parResults', id: null };
  const pr = PAR_RESULTS.exec(pathname);
  if (pr) return { name: 'parResults', id: pr[1]! };
  if (pathname === '/par/desk' || pathname === '/par/desk/') return { name: 'parDesks' };
  const pcd = PAR_CYCLE_DESK.exec(pathname);
  if (pcd) return { name: 'parCycleDesk', id: Number(pcd[1]) };
  const pa = PAR_ASSESSMENT.exec(pathname);
  if (pa) {
    const unit = decode(pa[2] ?? '');
    return unit ? { name: 'parAssessment', id: Number(pa[1]), unit } : { name: 'notFound' };
  }
  if (pathname === '/directives' || pathname === '/directives/') return { name: 'directives' };
  const dir = DIRECTIVE.exec(pathname);
  if (dir) {
    const number = decode(dir[1] ?? '');
    return number ? { name: 'directive', number } : { name: 'notFound' };
  }
  const pe = PLAYLIST_EDIT.exec(pathname);
  if (pe) {
    const code = decode(pe[1] ?? '');
    return code ? { name: 'playlistEdit', code } : { name: 'notFound' };
  }
  const desk = DESKS[pathname.replace(/\/$/, '')];
  if (desk) return desk;
  const c = CASE.exec(pathname);
  if (c) {
    const id = decode(c[1] ?? '');
    return id ? { name: 'case', id } : { name: 'notFound' };
  }
  const d = DASHBOARD.exec(pathname);
  if (d) {
    const code = decode(d[1] ?? '');
    return code ? { name: d[2] ? 'dashboardEdit' : 'dashboard', code } : { name: 'notFound' };
  }
  const w = WALL.exec(pathname);
  if (w) {
    const playlist = decode(w[1] ?? '');
    return playlist ? { name: 'wall', playlist } : { name: 'notFound' };
  }
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
    case 'dashboards':
      return '/d';
    case 'dashboard':
      return dashboardUrl(route.code, { at: query.at });
    case 'dashboardEdit':
      return dashboardEditUrl(route.code);
    case 'walls':
      return '/wall';
    case 'wall':
      return wallUrl(route.playlist);
    case 'deskCases':
      return '/desk/cases';
    case 'case':
      return `/cases/${encodeURIComponent(route.id)}`;
    case 'deskAlerts':
      return '/desk/alerts';
    case 'deskData':
      return '/desk/data';
    case 'deskDossiers':
      return '/desk/dossiers';
    case 'scorecards':
      return query.period ? `/scorecards?period=${encodeURIComponent(query.period)}` : '/scorecards';
    case 'playlists':
      return PLAYLISTS_URL;
    case 'playlistEdit':
      return playlistEditUrl(route.code);
    case 'parDesks':
      return PAR_DESKS_URL;
    case 'parCycleDesk':
      return parCycleDeskUrl(route.id);
    case 'parAssessment':
      return parAssessmentUrl(route.id, route.unit);
    case 'parResults':
      return parResultsUrl(route.id);
    case 'directives':
      return directivesUrl({ period: query.period });
    case 'directive':
      return directiveUrl(route.number);
    case 'reports':
      return '/reports';
    case 'messagePreferences':
      return '/account/messages';
    case 'signIn':
      return signInUrl();
  }
}

/** A dashboard, optionally for another place than the home province (`place`) or as of a date (`at`). */
export function dashboardUrl(code: string, query: { place?: string | undefined; at?: string | undefined } = {}): string {
  const q = new URLSearchParams();
  if (query.place) q.set('place', query.place);
  if (query.at) q.set('at', query.at);
  const s = q.toString();
  return `/d/${encodeURIComponent(code)}${s ? `?${s}` : ''}`;
}

export function dashboardEditUrl(code: string): string {
  return `/d/${encodeURIComponent(code)}/edit`;
}

export function wallUrl(playlist: string): string {
  return `/wall/${encodeURIComponent(playlist)}`;
}

export const PLAYLISTS_URL = '/playlists';

export function playlistEditUrl(code: string): string {
  return `/playlists/${encodeURIComponent(code)}/edit`;
}

export const PAR_DESKS_URL = '/par/desk';

/** A PAR Index cycle's desk: its deadlines, its units and who is late. */
export function parCycleDeskUrl(id: number): string {
  return `/par/${id}/desk`;
}

/** One unit's assessment in a PAR Index cycle. */
export function parAssessmentUrl(id: number, unit: string): string {
  return `/par/${id}/units/${encodeURIComponent(unit)}`;
}

/** The PAR Index results: the latest cycle's (no id), or one cycle's, of departments (the default) or communes. */
export function parResultsUrl(id: string | number | null, kind?: 'department' | 'commune'): string {
  const path = id === null ? '/par' : `/par/${encodeURIComponent(String(id))}`;
  return kind && kind !== 'department' ? `${path}?kind=${kind}` : path;
}

/** Leadership directives: completion by agency and the overdue list for a period, or one agency's tasks (`agency`). */
export function directivesUrl(q: { period?: string | undefined; agency?: string | undefined } = {}): string {
  const s = new URLSearchParams();
  if (q.period) s.set('period', q.period);
  if (q.agency) s.set('agency', q.agency);
  const text = s.toString();
  return text ? `/directives?${text}` : '/directives';
}

/**
 * One directive document by its number and symbol ("125/TB-UBND", the slash
 * encoded): all its tasks, or one lead agency's (`agency`), optionally with one
 * task's timeline open (`task`, its key).
 */
export function directiveUrl(number: string, q: { agency?: string | undefined; task?: string | undefined } = {}): string {
  const s = new URLSearchParams();
  if (q.agency) s.set('agency', q.agency);
  if (q.task) s.set('task', q.task);
  const text = s.toString();
  return `/directives/${encodeURIComponent(number)}${text ? `?${text}` : ''}`;
}
