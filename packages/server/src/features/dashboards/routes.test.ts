import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { fixedClock, type BoardIssue, type Dashboard, type DashboardInput, type LiveEvent } from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import { testEngines, type TestEngine } from '@watchfloor/db/testing';
import { buildApp } from '../../app';
import { loadConfig } from '../../config';
import { LiveHub } from '../../live/hub';
import { REFERENCE_DATA_DIR } from '../../paths';
import { authenticateTests, TEST_NOW } from '../../testing';
import { CATALOGUE_FILES, readCatalogues } from '../indicators/seed';
import { loadGeography } from '../geography/load';
import { ObservationWriter } from '../ingest/observations';
import { DEMO_DASHBOARDS, seedDemoDashboards } from './seed';

/** Dashboards need the catalogue, and the places their figures are exported for: a migrated database with the demo definitions and the geography. */
async function openServer(engine: TestEngine) {
  const store = await engine.open();
  const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.pci, CATALOGUE_FILES.demo]);
  await new IndicatorsRepository(store.db).upsert(definitions, TEST_NOW);
  const clock = fixedClock(TEST_NOW);
  await loadGeography(store, { dataDir: REFERENCE_DATA_DIR, clock });
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
  return { app, store, clock, close, events, seeded };
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

    it('exports a board as one table of its panels’ figures for the place viewed, as the panels read them', async () => {
      const written = await new ObservationWriter(s.store, s.clock).write(
        [
          { indicator: 'BUD_REVENUE', place: '86', period: '2026-10', value: 500 },
          { indicator: 'PS_DOSSIER_RESOLVED', place: '29242', period: '2026-10', value: 120 },
          { indicator: 'PS_DOSSIER_RESOLVED', place: '29263', period: '2026-10', value: 80 },
        ],
        { source: 'test' },
      );
      expect(written.rejected).toEqual([]);
      const october = { key: '2026-10' };
      const board: DashboardInput = {
        version: 1,
        code: 'so-lieu-thang',
        title: { vi: 'Số liệu tháng', en: 'Monthly figures' },
        panels: [
          { id: 'so-lieu', kind: 'tiles', indicators: ['BUD_REVENUE', 'PS_DOSSIER_RESOLVED'], period: october, layout: { x: 0, y: 0, w: 12, h: 2 } },
          { id: 'bieu-do', kind: 'chart', indicator: 'BUD_REVENUE', period: october, title: { vi: 'Thu ngân sách', en: 'Budget revenue' }, layout: { x: 6, y: 2, w: 6, h: 4 } },
          { id: 'xep-hang', kind: 'ranking', indicator: 'PS_DOSSIER_RESOLVED', place: '86', period: october, limit: 3, layout: { x: 0, y: 2, w: 6, h: 4 } },
          { id: 'tin', kind: 'feed', source: 'cases', layout: { x: 0, y: 6, w: 12, h: 2 } },
        ],
      };
      expect((await s.app.inject({ method: 'PUT', url: '/api/dashboards/so-lieu-thang', payload: board })).statusCode).toBe(201);
      // The JSON answer stays the document.
      expect((await s.app.inject({ url: '/api/dashboards/so-lieu-thang?place=86&at=2026-11-28' })).json<Dashboard>().code).toBe('so-lieu-thang');

      const r = await s.app.inject({ url: '/api/dashboards/so-lieu-thang?place=86&at=2026-11-28&format=xlsx' });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-disposition']).toBe('attachment; filename="dashboard-so-lieu-thang-86-2026-11-28.xlsx"');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const [sheet, notes] = book.worksheets;
      const rows = sheet!.getSheetValues().slice(1).map((v) => Array.from((v as unknown[]).slice(1, 11), (c) => c ?? null));
      expect(rows[0]).toEqual(['Ô', 'Loại ô', 'Mã chỉ tiêu', 'Chỉ tiêu', 'Địa bàn', 'Kỳ', 'Giá trị', 'Đơn vị tính', 'Đủ số liệu', 'Nguồn']);
      // The tiles at the place viewed: the province's revenue, and its dossiers resolved from 2 of its communes (incomplete).
      expect(rows.slice(1, 3)).toEqual([
        ['Tỉnh Vĩnh Long · Tháng 10/2026', 'Ô chỉ tiêu', 'BUD_REVENUE', 'Tổng thu ngân sách nhà nước trên địa bàn', '86 — Tỉnh Vĩnh Long', '2026-10', 500, 'tỷ đồng', 'có', 'test'],
        ['Tỉnh Vĩnh Long · Tháng 10/2026', 'Ô chỉ tiêu', 'PS_DOSSIER_RESOLVED', expect.any(String), '86 — Tỉnh Vĩnh Long', '2026-10', 200, 'hồ sơ', 'không', 'test'],
      ]);
      // Then, in reading order, the ranking (left): its first 3 communes, the most resolved first.
      expect(rows.slice(3, 6).map((row) => [row[0], row[1], row[4], row[6]])).toEqual([
        [expect.any(String), 'Xếp hạng', '29242 — Phường Trà Vinh', 120],
        [expect.any(String), 'Xếp hạng', '29263 — Phường Long Đức', 80],
        [expect.any(String), 'Xếp hạng', expect.any(String), null],
      ]);
      // Then the chart (right): the 24 months it draws, up to October.
      const chart = rows.slice(6);
      expect(chart).toHaveLength(24);
      expect(chart.every((row) => row[0] === 'Thu ngân sách' && row[1] === 'Biểu đồ' && row[2] === 'BUD_REVENUE')).toBe(true);
      expect([chart[0]![5], chart[23]![5], chart[23]![6]]).toEqual(['2024-11', '2026-10', 500]);
      const noteRows = Object.fromEntries(notes!.getSheetValues().slice(1).map((v) => [(v as unknown[])[1], (v as unknown[])[2]]));
      expect(noteRows).toMatchObject({
        'Bảng điều khiển': 'so-lieu-thang — Số liệu tháng',
        'Địa bàn đang xem': '86',
        'Số liệu tính đến ngày': '2026-11-28',
        'Ô không có số liệu chỉ tiêu (không có trong bảng)': 'tin (Tin mới)',
      });

      const csv = await s.app.inject({ url: '/api/dashboards/so-lieu-thang?place=29242&at=2026-11-28&format=csv&lang=en' });
      expect([...csv.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = csv.rawPayload.toString('utf8').slice(1).split('\r\n');
      expect(lines[0]).toBe('Panel,Panel kind,Indicator code,Indicator,Place,Period,Value,Unit,Complete,Source,Updated at');
      // Viewed from a ward, the tiles follow it (the province's revenue is not collected there, and says so); the ranking is bound to the province and stays.
      expect(lines[1]).toMatch(/^Phường Trà Vinh · October 2026,Tiles,PS_DOSSIER_RESOLVED,Dossiers resolved,29242 — Phường Trà Vinh,2026-10,120,hồ sơ,yes,test,2026-11-28T03:00:00.000Z$/);
      expect(lines.slice(2, 5).map((l) => l.split(',').slice(1, 7).join(','))).toEqual([
        'Ranking,PS_DOSSIER_RESOLVED,Dossiers resolved,29242 — Phường Trà Vinh,2026-10,120',
        'Ranking,PS_DOSSIER_RESOLVED,Dossiers resolved,29263 — Phường Long Đức,2026-10,80',
        expect.stringMatching(/^Ranking,PS_DOSSIER_RESOLVED,Dossiers resolved,\d{5} — .*,2026-10,$/),
      ]);
      expect((await s.app.inject({ url: '/api/dashboards/no-such?format=csv' })).statusCode).toBe(404);
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
