import type { Alert, AlertSeverity, Case } from '@watchfloor/core';

/** One line of the live feed: an alert still open or a case, newest first. */
export interface FeedItem {
  kind: 'alert' | 'case';
  key: string;
  at: string;
  title: string;
  /** Alerts: open or acknowledged; cases: their workflow status. */
  status: string;
  severity: AlertSeverity | null;
  placeCode: string | null;
  href: string;
}

/** The place viewed as far as the feed is concerned: its code, its level and the codes of the units under it. */
export interface FeedPlace {
  code: string;
  level: string;
  children: readonly string[];
}

const SEVERITY_RANK: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };

/**
 * Whether an alert concerns the place viewed: about it or a unit under it;
 * an alert about no place (a late source, an agency) concerns the province.
 */
export function alertInPlace(alert: Pick<Alert, 'placeCode'>, place: FeedPlace): boolean {
  if (alert.placeCode === null) return place.level === 'province';
  return alert.placeCode === place.code || place.children.includes(alert.placeCode);
}

/**
 * The feed: alerts not yet resolved and the newest cases of the place,
 * merged newest first (an alert by when it opened, a case by when it was
 * received); at the same instant the more severe alert first. At most `limit`.
 */
export function buildFeed(alerts: readonly Alert[], cases: readonly Case[], place: FeedPlace, limit: number): FeedItem[] {
  const items: FeedItem[] = [];
  for (const a of alerts) {
    if (a.status === 'resolved' || !alertInPlace(a, place)) continue;
    items.push({ kind: 'alert', key: `alert:${a.id}`, at: a.openedAt, title: a.message, status: a.status, severity: a.severity, placeCode: a.placeCode, href: '/desk/alerts' });
  }
  for (const c of cases) {
    items.push({ kind: 'case', key: `case:${c.id}`, at: c.receivedAt, title: c.title, status: c.status, severity: null, placeCode: c.placeCode, href: `/cases/${encodeURIComponent(c.id)}` });
  }
  const severity = (i: FeedItem) => (i.severity === null ? 3 : SEVERITY_RANK[i.severity]);
  items.sort((x, y) => Date.parse(y.at) - Date.parse(x.at) || severity(x) - severity(y) || x.key.localeCompare(y.key));
  return items.slice(0, limit);
}
