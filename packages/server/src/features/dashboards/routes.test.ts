import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, type BoardIssue, type Dashboard, type DashboardInput, type LiveEvent } from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import { testEngines, type TestEngine } from '@watchfloor/db/testing';
import { buildApp } from '../../app';
import { loadConfig } from '../../config';
import { LiveHub } from '../../live/hub';
import { REFERENCE_DATA_DIR } from '../../paths';
import { authenticateTests, TEST_NOW } from '../../testing';
import { CATALOGUE_FILES, readCatalogues } from '../indicators/seed';
import { DEMO_DASHBOARDS, seedDemoDashboards } from './seed';

/** Dashboards need the catalogue only: a migrated database with the demo definitions, no figures. */
async function openServer(engine: TestEngine) {
  const store = await engine.open();
  const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.pci, CATALOGUE_FILES.demo]);
  await new IndicatorsRepository(store.db).upsert(definitions, TEST_NOW);
  const clock = fixedClock(TEST_NOW);
  const seeded = [await seedDemoDashboards(store, { clock }), await seedDemoDashboards(store, { clock })];
  const live = new LiveHub();
  const events: LiveEvent[] = [];
  live.subscribe((e) => events.push(e.event));
  const ctx = { store, clock, config: loadConfig({ WATCHFLOOR_LOG_LEVEL: 'silent' }), live };
  const app = await buildApp(ctx, { logger: false });
  await app.ready();
  await authenticateTests(app, ctx);
  const close = async () => {
    await app.close();
    await store.close();
  };
  return { app, store, close, events, seeded };
}
type Server = Awaited<ReturnType<typeof openServer>>;

const BOARD: DashboardInput = {
  version: 1,
  code: 'giao-ban',
  title: { vi: 'Giao ban tuần', en: 'Weekly briefing' },
  panels: [
    { id: 'so-lieu', kind: 'tiles', indicators: ['BUD_REVENUE', 'PS_ON_TIME_RATE'], layout: { x: 0, y: 0, w: 12, h: 2 } },
    { id: 'xep-hang', kind: 'ranking', indicator: 'PS_ON_TIME_RATE', place: '86', period: { kind: 'ytd' }, layout: { x: 0, y: 2, w: 6, h: 4 } },
  ],
};

interface Refusal {
  error: string;
  message: string;
  details: BoardIssue[];
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`dashboards API on ${engine.engine}`, () => {
    let s: Server;
    beforeAll(async () => {
      s = await openServer(engine);
    }, 60_000);
    afterAll(() => s?.close());

    it('seeds the demo boards and playlist once, over indicators of the demo catalogue', async () => {
      expect(s.seeded).toEqual([{ dashboards: 2, playlists: 1 }, { dashboards: 0, playlists: 0 }]);
      const list = (await s.app.inject({ url: '/api/dashboards' })).json<{ dashboards: { code: string; demo: boolean; panels: number }[] }>();
      expect(list.dashboards.map((d) => [d.code, d.demo, d.panels])).toEqual([
        ['demo-dich-vu-cong', true, 5],
        ['demo-dieu-hanh', true, 6],
      ]);
      const playlists = (await s.app.inject({ url: '/api/playlists' })).json<{ playlists: { code: string; dashboards: number }[] }>();
      expect(playlists.playlists).toEqual([expect.objectContaining({ code: 'demo', dashboards: 2, demo: true })]);
      const playlist = await s.app.inject({ url: '/api/playlists/demo' });
      expect(playlist.json<{ items: unknown[] }>().items).toEqual([
        { dashboard: 'demo-dieu-hanh', seconds: 30 },
        { dashboard: 'demo-dich-vu-cong', seconds: 30 },
      ]);
      expect(DEMO_DASHBOARDS).toHaveLength(2);
    });

    it('saves a board (201, then 200), fills its defaults, and tells open walls', async () => {
      s.events.length = 0;
      const first = await s.app.inject({ method: 'PUT', url: '/api/dashboards/giao-ban', payload: BOARD });
      expect(first.statusCode).toBe(201);
      const saved = first.json<Dashboard>();
      expect(saved.panels[0]).toMatchObject({ place: 'viewed', period: { kind: 'month' } });
      const again = await s.app.inject({ method: 'PUT', url: '/api/dashboards/giao-ban', payload: { ...BOARD, title: { vi: 'Giao ban', en: 'Briefing' } } });
      expect(again.statusCode).toBe(200);
      expect((await s.app.inject({ url: '/api/dashboards/giao-ban' })).json<Dashboard>().title.vi).toBe('Giao ban');
      expect(s.events).toEqual([
        { type: 'dashboard.changed', kind: 'dashboard', code: 'giao-ban' },
        { type: 'dashboard.changed', kind: 'dashboard', code: 'giao-ban' },
      ]);
    });

    it('refuses a bad board with each problem and its panel, and stores nothing', async () => {
      const unknown = await s.app.inject({
        method: 'PUT',
        url: '/api/dashboards/moi',
        payload: { ...BOARD, code: 'moi', panels: [{ ...BOARD.panels[0], indicators: ['BUD_REVENUE', 'NO_SUCH'] }, BOARD.panels[1]] },
      });
      expect(unknown.statusCode).toBe(400);
      const body = unknown.json<Refusal>();
      expect(body.error).toBe('invalid_dashboard');
      expect(body.message).toContain('panel so-lieu');
      expect(body.details).toEqual([{ path: 'panels.0.indicators.1', panel: 'so-lieu', reason: 'unknown_indicator', message: 'no indicator has code NO_SUCH' }]);

      const shape = await s.app.inject({ method: 'PUT', url: '/api/dashboards/moi', payload: { ...BOARD, code: 'moi', panels: [{ ...BOARD.panels[1], layout: { x: 10, y: 0, w: 4, h: 2 } }] } });
      expect(shape.json<Refusal>().details).toEqual([expect.objectContaining({ path: 'panels.0.layout.w', panel: 'xep-hang' })]);

      const mismatch = await s.app.inject({ method: 'PUT', url: '/api/dashboards/khac', payload: BOARD });
      expect(mismatch.json<Refusal>().details[0]?.reason).toBe('code_does_not_match_path');

      const missing = await s.app.inject({ url: '/api/dashboards/moi' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json<Refusal>().error).toBe('unknown_dashboard');
      expect((await s.app.inject({ url: '/api/dashboards/Not_A_Code' })).json<Refusal>().error).toBe('invalid_parameter');
    });

    it('exports a board as a file and imports it back, or a bare document, refusing unknown indicators by panel', async () => {
      const exported = await s.app.inject({ url: '/api/dashboards/giao-ban/export' });
      expect(exported.statusCode).toBe(200);
      expect(exported.headers['content-disposition']).toBe('attachment; filename="watchfloor-dashboard-giao-ban-2026-11-28.json"');
      const file = exported.json<{ format: string; version: number; dashboard: Dashboard }>();
      expect(file).toMatchObject({ format: 'watchfloor-dashboard', version: 1, exportedAt: TEST_NOW.replace('Z', '.000Z') });

      const copy = { ...file, dashboard: { ...file.dashboard, code: 'giao-ban-2' } };
      const imported = await s.app.inject({ method: 'POST', url: '/api/dashboards/import', payload: copy });
      expect(imported.statusCode).toBe(201);
      expect((await s.app.inject({ url: '/api/dashboards/giao-ban-2' })).json<Dashboard>().panels).toEqual(file.dashboard.panels);
      const bare = await s.app.inject({ method: 'POST', url: '/api/dashboards/import', payload: copy.dashboard });
      expect(bare.statusCode).toBe(200);

      const bad = await s.app.inject({
        method: 'POST',
        url: '/api/dashboards/import',
        payload: { ...copy, dashboard: { ...copy.dashboard, code: 'xau', panels: [{ ...copy.dashboard.panels[1], indicator: 'GONE' }] } },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json<Refusal>().details).toEqual([expect.objectContaining({ panel: 'xep-hang', reason: 'unknown_indicator', path: 'panels.0.indicator' })]);
      expect((await s.app.inject({ url: '/api/dashboards/xau' })).statusCode).toBe(404);
    });

    it('saves playlists of existing boards only, and keeps a shown board from deletion', async () => {
      const refused = await s.app.inject({
        method: 'PUT',
        url: '/api/playlists/tuong',
        payload: { code: 'tuong', title: { vi: 'Tường', en: 'Wall' }, items: [{ dashboard: 'giao-ban', seconds: 10 }, { dashboard: 'khong-co', seconds: 10 }] },
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json<Refusal>()).toMatchObject({ error: 'invalid_playlist', details: [{ path: 'items.1.dashboard', reason: 'unknown_dashboard' }] });
      s.events.length = 0;
      const saved = await s.app.inject({ method: 'PUT', url: '/api/playlists/tuong', payload: { code: 'tuong', title: { vi: 'Tường', en: 'Wall' }, items: [{ dashboard: 'giao-ban', seconds: 10 }] } });
      expect(saved.statusCode).toBe(201);
      expect(s.events).toEqual([{ type: 'dashboard.changed', kind: 'playlist', code: 'tuong' }]);
      expect((await s.app.inject({ url: '/api/playlists/none' })).json<Refusal>().error).toBe('unknown_playlist');

      const inUse = await s.app.inject({ method: 'DELETE', url: '/api/dashboards/giao-ban' });
      expect(inUse.statusCode).toBe(409);
      expect(inUse.json<Refusal>()).toMatchObject({ error: 'dashboard_in_use', details: { playlists: ['tuong'] } });
      expect((await s.app.inject({ method: 'DELETE', url: '/api/dashboards/giao-ban-2' })).statusCode).toBe(204);
      expect((await s.app.inject({ url: '/api/dashboards/giao-ban-2' })).statusCode).toBe(404);
      expect((await s.app.inject({ method: 'DELETE', url: '/api/dashboards/giao-ban-2' })).statusCode).toBe(404);
    });
  });
}
