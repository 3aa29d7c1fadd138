import { MIN_WALL_SECONDS, type Playlist } from '@watchfloor/core';

/**
 * The playlist editor's state, changed by pure functions (tested without a
 * browser): dashboards in order, each with its seconds on the wall. Each
 * item carries a local key so focus and React follow it when it moves (a
 * board may appear twice).
 */
export const MAX_WALL_SECONDS = 3600;
export const DEFAULT_WALL_SECONDS = 30;

export interface DraftItem {
  key: number;
  dashboard: string;
  seconds: number;
}

export interface PlaylistDraft {
  code: string;
  title: { vi: string; en: string };
  demo: boolean;
  items: DraftItem[];
}

export function draftOf(p: Playlist): PlaylistDraft {
  return { code: p.code, title: { ...p.title }, demo: p.demo, items: p.items.map((i, n) => ({ key: n + 1, dashboard: i.dashboard, seconds: i.seconds })) };
}

export function blankPlaylist(code: string): PlaylistDraft {
  return { code, title: { vi: code, en: code }, demo: false, items: [] };
}

/** Moves the item at `index` by `delta` places (−1 earlier, +1 later); out of range leaves the list as it is. */
export function moveItem(d: PlaylistDraft, index: number, delta: number): PlaylistDraft {
  const to = index + delta;
  if (index < 0 || index >= d.items.length || to < 0 || to >= d.items.length) return d;
  const items = [...d.items];
  const [moved] = items.splice(index, 1);
  if (!moved) return d;
  items.splice(to, 0, moved);
  return { ...d, items };
}

export function removeItem(d: PlaylistDraft, index: number): PlaylistDraft {
  return { ...d, items: d.items.filter((_, i) => i !== index) };
}

/** Adds a dashboard at the end, for as long as the others stay (or the default). */
export function addItem(d: PlaylistDraft, dashboard: string, seconds = commonSeconds(d) ?? DEFAULT_WALL_SECONDS): PlaylistDraft {
  const key = d.items.reduce((m, i) => Math.max(m, i.key), 0) + 1;
  return { ...d, items: [...d.items, { key, dashboard, seconds }] };
}

export function setSeconds(d: PlaylistDraft, index: number, seconds: number): PlaylistDraft {
  return { ...d, items: d.items.map((i, n) => (n === index ? { ...i, seconds } : i)) };
}

/** One rotation interval for every dashboard. */
export function setAllSeconds(d: PlaylistDraft, seconds: number): PlaylistDraft {
  return { ...d, items: d.items.map((i) => ({ ...i, seconds })) };
}

/** The interval every item shares, or null when they differ (or there are none). */
export function commonSeconds(d: PlaylistDraft): number | null {
  const first = d.items[0]?.seconds;
  return first !== undefined && d.items.every((i) => i.seconds === first) ? first : null;
}

export function secondsValid(s: number): boolean {
  return Number.isInteger(s) && s >= MIN_WALL_SECONDS && s <= MAX_WALL_SECONDS;
}

export type DraftProblem = 'badTitle' | 'empty' | 'badSeconds';

/** What keeps the draft from being saved, checked before the server checks it again. */
export function draftProblems(d: PlaylistDraft): DraftProblem[] {
  const out: DraftProblem[] = [];
  if (!d.title.vi.trim() || !d.title.en.trim()) out.push('badTitle');
  if (d.items.length === 0) out.push('empty');
  if (d.items.some((i) => !secondsValid(i.seconds))) out.push('badSeconds');
  return out;
}

/** The body of PUT /api/playlists/:code. */
export function savePayload(d: PlaylistDraft): Playlist {
  return { code: d.code, title: { vi: d.title.vi.trim(), en: d.title.en.trim() }, demo: d.demo, items: d.items.map((i) => ({ dashboard: i.dashboard, seconds: i.seconds })) };
}
