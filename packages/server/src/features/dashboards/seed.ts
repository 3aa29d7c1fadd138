import { isDeepStrictEqual } from 'node:util';
import type { Clock, DashboardInput, PlaylistInput } from '@watchfloor/core';
import { dashboardSchema, playlistSchema } from '@watchfloor/core';
import { DashboardsRepository, type Store } from '@watchfloor/db';

/** What the demo boards say of themselves: published, so a newcomer who has not signed in sees them. */
const PUBLISHED_DEMO = {
  vi: 'Bảng công khai: ai cũng xem được, không cần đăng nhập. Số liệu minh họa, không phải số liệu thật của tỉnh.',
  en: 'A public board: anyone can see it without signing in. Demonstration figures, not the province’s real data.',
};

/**
 * The demo boards, over indicators of the demo data set (all published) and
 * the directives' completion (read signed in); the place viewed defaults to
 * the home province.
 */
export const DEMO_DASHBOARDS: DashboardInput[] = [
  {
    version: 1,
    code: 'demo-dieu-hanh',
    demo: true,
    published: true,
    title: { vi: 'Điều hành kinh tế – xã hội', en: 'Economy and society' },
    description: PUBLISHED_DEMO,
    panels: [
      { id: 'kinh-te', kind: 'tiles', indicators: ['BUD_REVENUE', 'TRD_RETAIL', 'TRD_EXPORT', 'TOU_VISITORS'], layout: { x: 0, y: 0, w: 12, h: 3 } },
      { id: 'ban-le', kind: 'chart', indicator: 'TRD_RETAIL', layout: { x: 0, y: 3, w: 4, h: 4 } },
      { id: 'dung-han-map', kind: 'map', indicator: 'PS_ON_TIME_RATE', layout: { x: 4, y: 3, w: 4, h: 4 } },
      // The province's directive tasks done on time this year (through the last whole month, as the board's other figures), above
      // the tasks overdue now, most late first; both read signed in (each viewer their scope), the public is offered to sign in.
      { id: 'chi-dao-dung-han', kind: 'tiles', indicators: ['DIR_ON_TIME_RATE'], period: { kind: 'ytd' }, layout: { x: 8, y: 3, w: 4, h: 2 } },
      { id: 'chi-dao-qua-han', kind: 'directives', limit: 5, layout: { x: 8, y: 5, w: 4, h: 4 } },
      { id: 'phan-anh', kind: 'feed', source: 'cases', limit: 6, layout: { x: 0, y: 7, w: 8, h: 2 } },
    ],
  },
  {
    version: 1,
    code: 'demo-dich-vu-cong',
    demo: true,
    published: true,
    title: { vi: 'Dịch vụ công và phản ánh', en: 'Public services and citizen reports' },
    description: PUBLISHED_DEMO,
    panels: [
      { id: 'dvc', kind: 'tiles', indicators: ['PS_ON_TIME_RATE', 'PS_ONLINE_RATE', 'CR_RECEIVED', 'CR_ON_TIME_RATE'], layout: { x: 0, y: 0, w: 12, h: 3 } },
      { id: 'xep-hang', kind: 'ranking', indicator: 'PS_ON_TIME_RATE', limit: 8, layout: { x: 0, y: 3, w: 4, h: 4 } },
      { id: 'dung-han', kind: 'chart', indicator: 'PS_ON_TIME_RATE', period: { kind: 'quarter' }, layout: { x: 4, y: 3, w: 4, h: 4 } },
      // The PAR Index of the departments (the latest cycle the viewer may see: the public, a published one).
      { id: 'chi-so-cchc', kind: 'par', unitKind: 'department', limit: 12, layout: { x: 8, y: 3, w: 4, h: 6 } },
      { id: 'canh-bao', kind: 'feed', source: 'alerts', limit: 6, layout: { x: 0, y: 7, w: 8, h: 2 } },
    ],
  },
];

export const DEMO_PLAYLIST: PlaylistInput = {
  code: 'demo',
  demo: true,
  title: { vi: 'Màn hình tường (minh họa)', en: 'Video wall (demo)' },
  items: [
    { dashboard: 'demo-dieu-hanh', seconds: 30 },
    { dashboard: 'demo-dich-vu-cong', seconds: 30 },
  ],
};

export interface DashboardSeedReport {
  dashboards: number;
  playlists: number;
}

/**
 * Adds the demo boards and playlist unless their codes exist: a steward's
 * edits are never overwritten. A demo board stored as seeded before boards
 * were published (no `published`, no description, otherwise the same) is
 * brought up to date, so the public sees it too.
 */
export async function seedDemoDashboards(store: Store, options: { clock: Clock }): Promise<DashboardSeedReport> {
  const repo = new DashboardsRepository(store.db);
  const now = options.clock.now().toISOString();
  let dashboards = 0;
  for (const d of DEMO_DASHBOARDS) {
    const doc = dashboardSchema.parse(d);
    if (await repo.dashboards.insertIfAbsent(doc.code, doc, now)) dashboards++;
    else {
      const { published: _published, description: _description, ...unpublished } = doc;
      const stored = await repo.dashboards.get(doc.code);
      if (stored && isDeepStrictEqual(stored.document, unpublished)) await repo.dashboards.put(doc.code, doc, now);
    }
  }
  const playlist = playlistSchema.parse(DEMO_PLAYLIST);
  const playlists = (await repo.playlists.insertIfAbsent(playlist.code, playlist, now)) ? 1 : 0;
  return { dashboards, playlists };
}
