import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardIndicators, dashboardSchema, grantSchema, indicatorDefinitionSchema, type DashboardSummary, type GrantInput, type IndicatorDefinition } from '@watchfloor/core';
import { DashboardsRepository, IndicatorsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import type { LightMyRequestResponse } from 'fastify';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { REFERENCE_DATA_DIR } from '../../paths';
import { DEMO_DASHBOARDS, seedDemoDashboards } from '../dashboards/seed';
import { IdentityService } from '../identity/service';
import { CATALOGUE_FILES, readCatalogues } from '../indicators/seed';
import { TEST_CATALOGUE } from '../observations/test-catalogue';
import { ObservationWriter } from '../ingest/observations';
import type { OverviewResponse, RankingResponse, SeriesResponse } from './schemas';

/**
 * What the anonymous public sees, chosen per item: the published
 * indicators (in the catalogue, the overview, series, breakdowns and
 * rankings) and the published dashboards; anything else answers 404 as if
 * it did not exist. Signed-in readers see all that, and every indicator
 * within the places of their scope.
 */
const PUBLISHED = new Set(['DOSSIERS_RECEIVED', 'DOSSIERS_ON_TIME_RATE']);
const PASSWORD = 'public figures password 0123';
const month = (place: string, received: number, resolved: number, onTime: number) => [
  { indicator: 'DOSSIERS_RECEIVED', place, period: '2025-10', value: received },
  { indicator: 'DOSSIERS_RESOLVED', place, period: '2025-10', value: resolved },
  { indicator: 'DOSSIERS_ON_TIME', place, period: '2025-10', value: onTime },
];
const AT = 'at=2026-01-01';
const codes = (r: LightMyRequestResponse) => r.json<{ indicators: { code: string }[] }>().indicators.map((i) => i.code);

const board = (code: string, published: boolean) => ({
  version: 1,
  code,
  title: { vi: code, en: code },
  published,
  panels: [{ id: 'so-lieu', kind: 'tiles', indicators: ['DOSSIERS_RECEIVED', 'DOSSIERS_RESOLVED'], layout: { x: 0, y: 0, w: 12, h: 3 } }],
});

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`published items for the public (${engine.engine})`, () => {
    let s: TestServer;
    let leader: Record<string, string>;
    const anonymous = (url: string) => s.anonymous({ method: 'GET', url });

    beforeAll(async () => {
      s = await openTestServer(engine);
      const defs = TEST_CATALOGUE.map((d) => indicatorDefinitionSchema.parse({ ...d, published: PUBLISHED.has(d.code) }));
      await new IndicatorsRepository(s.store.db).upsert(defs, TEST_NOW);
      const written = await new ObservationWriter(s.store, s.ctx.clock).write([...month('29242', 200, 180, 171), ...month('29254', 50, 20, 19)], { source: 'test' });
      expect(written.rejected).toEqual([]);
      for (const [code, published] of [
        ['bang-cong-khai', true],
        ['bang-noi-bo', false],
      ] as const) {
        const r = await s.app.inject({ method: 'PUT', url: `/api/dashboards/${code}`, payload: board(code, published) });
        expect(r.statusCode, r.body).toBe(201);
      }
      await new IdentityService(s.ctx).createUser({
        login: 'leader-29242',
        displayName: 'Lãnh đạo phường Trà Vinh',
        password: PASSWORD,
        mustChangePassword: false,
        roles: [grantSchema.parse({ role: 'leader', placeCode: '29242' } satisfies GrantInput)],
      });
      const signIn = await s.anonymous({ method: 'POST', url: '/api/auth/sign-in', payload: { login: 'leader-29242', password: PASSWORD }, remoteAddress: '10.9.0.1' });
      expect(signIn.statusCode, signIn.body).toBe(200);
      leader = { cookie: `wf_session=${signIn.cookies.find((c) => c.name === 'wf_session')?.value ?? ''}` };
    });
    afterAll(async () => s?.close());

    it('lists only the published indicators to the anonymous; an unpublished one is unknown (404)', async () => {
      expect(codes(await anonymous('/api/indicators'))).toEqual(['DOSSIERS_ON_TIME_RATE', 'DOSSIERS_RECEIVED']);
      const one = await anonymous('/api/indicators/DOSSIERS_RECEIVED');
      expect(one.statusCode).toBe(200);
      expect(one.json<IndicatorDefinition>()).toMatchObject({ code: 'DOSSIERS_RECEIVED', published: true });
      const hidden = await anonymous('/api/indicators/DOSSIERS_RESOLVED');
      expect(hidden.statusCode).toBe(404);
      expect(hidden.json()).toMatchObject({ error: 'unknown_indicator' });
      expect((await anonymous('/api/indicators/NO_SUCH')).json()).toMatchObject({ error: 'unknown_indicator' });
    });

    it('shows the anonymous the tiles of published indicators only, a published rate computed from unpublished parts', async () => {
      const r = await anonymous(`/api/overview?place=86&period=2025-10&${AT}`);
      expect(r.statusCode, r.body).toBe(200);
      const o = r.json<OverviewResponse>();
      expect(o.indicators.map((i) => i.code).sort()).toEqual([...PUBLISHED].sort());
      expect(o.indicators.find((i) => i.code === 'DOSSIERS_RECEIVED')?.value).toBe(250);
      expect(o.indicators.find((i) => i.code === 'DOSSIERS_ON_TIME_RATE')?.value).toBeCloseTo((190 / 200) * 100, 6);
      // Any place: the published figures are public.
      expect((await anonymous(`/api/overview?place=29254&period=2025-10&${AT}`)).statusCode).toBe(200);
    });

    it('answers series, breakdowns and rankings of published indicators to the anonymous, 404 for the others', async () => {
      const series = await anonymous(`/api/indicators/DOSSIERS_RECEIVED/series?place=86&from=2025-09&to=2025-10&${AT}`);
      expect(series.statusCode, series.body).toBe(200);
      expect(series.json<SeriesResponse>().points.map((p) => p.value)).toEqual([null, 250]);
      expect((await anonymous(`/api/indicators/DOSSIERS_RECEIVED/breakdown?place=86&period=2025-10&${AT}`)).statusCode).toBe(200);
      for (const url of [
        `/api/indicators/DOSSIERS_RESOLVED/series?place=86&from=2025-09&to=2025-10&${AT}`,
        `/api/indicators/DOSSIERS_RESOLVED/breakdown?place=86&period=2025-10&${AT}`,
        `/api/rankings?indicator=DOSSIERS_RESOLVED&period=2025-10&level=commune&parent=86&${AT}`,
        `/api/rankings/organisations?indicator=DOSSIERS_RESOLVED&period=2025-10&place=86&${AT}`,
      ]) {
        const r = await anonymous(url);
        expect([url, r.statusCode, r.json<{ error: string }>().error]).toEqual([url, 404, 'unknown_indicator']);
      }
      expect((await anonymous(`/api/rankings?indicator=DOSSIERS_RECEIVED&period=2025-10&level=commune&parent=86&${AT}`)).statusCode).toBe(200);
    });

    it('lists only the published dashboards to the anonymous; an unpublished one and its export are unknown (404)', async () => {
      const list = (await anonymous('/api/dashboards')).json<{ dashboards: DashboardSummary[] }>().dashboards;
      expect(list.map((d) => [d.code, d.published])).toEqual([['bang-cong-khai', true]]);
      expect((await anonymous('/api/dashboards/bang-cong-khai')).statusCode).toBe(200);
      expect((await anonymous('/api/dashboards/bang-cong-khai/export')).statusCode).toBe(200);
      for (const url of ['/api/dashboards/bang-noi-bo', '/api/dashboards/bang-noi-bo/export']) {
        const r = await anonymous(url);
        expect([url, r.statusCode, r.json<{ error: string }>().error]).toEqual([url, 404, 'unknown_dashboard']);
      }
    });

    it('shows a signed-in all-roles token everything', async () => {
      expect(codes(await s.app.inject('/api/indicators'))).toHaveLength(TEST_CATALOGUE.length);
      expect((await s.app.inject('/api/indicators/DOSSIERS_RESOLVED')).json()).toMatchObject({ code: 'DOSSIERS_RESOLVED', published: false });
      const o = (await s.app.inject(`/api/overview?place=86&period=2025-10&${AT}`)).json<OverviewResponse>();
      expect(o.indicators).toHaveLength(TEST_CATALOGUE.length);
      expect((await s.app.inject(`/api/indicators/DOSSIERS_RESOLVED/series?place=86&from=2025-09&to=2025-10&${AT}`)).statusCode).toBe(200);
      const boards = (await s.app.inject('/api/dashboards')).json<{ dashboards: DashboardSummary[] }>().dashboards;
      expect(boards.map((d) => [d.code, d.published])).toEqual([
        ['bang-cong-khai', true],
        ['bang-noi-bo', false],
      ]);
      expect((await s.app.inject('/api/dashboards/bang-noi-bo')).statusCode).toBe(200);
    });

    it("gives a leader of 29242 every indicator of its ward and, like everyone, the published ones of 29254 and of the province; the others there are unknown (404)", async () => {
      const get = (url: string) => s.app.inject({ method: 'GET', url, headers: leader });
      const own = await get(`/api/overview?place=29242&period=2025-10&${AT}`);
      expect(own.statusCode, own.body).toBe(200);
      const o = own.json<OverviewResponse>();
      expect(o.indicators).toHaveLength(TEST_CATALOGUE.length);
      expect(o.indicators.find((i) => i.code === 'DOSSIERS_RESOLVED')?.value).toBe(180);
      // Outside the ward: what the public reads, no less.
      for (const place of ['29254', '86']) {
        const url = `/api/overview?place=${place}&period=2025-10&${AT}`;
        const r = await get(url);
        expect(r.statusCode, r.body).toBe(200);
        const figures = (x: LightMyRequestResponse) => x.json<OverviewResponse>().indicators.map((i) => [i.code, i.value]);
        expect(figures(r)).toEqual(figures(await anonymous(url)));
        expect(new Set(codes(r))).toEqual(PUBLISHED);
      }
      expect((await get(`/api/overview?place=86&period=2025-10&${AT}`)).json<OverviewResponse>().indicators.find((i) => i.code === 'DOSSIERS_RECEIVED')?.value).toBe(250);
      expect((await get(`/api/indicators/DOSSIERS_RECEIVED/series?place=29254&from=2025-09&to=2025-10&${AT}`)).json<SeriesResponse>().points.map((p) => p.value)).toEqual([null, 50]);
      expect((await get(`/api/indicators/DOSSIERS_RECEIVED/breakdown?place=86&period=2025-10&${AT}`)).statusCode).toBe(200);
      for (const url of [
        `/api/indicators/DOSSIERS_RESOLVED/series?place=29254&from=2025-09&to=2025-10&${AT}`,
        `/api/indicators/DOSSIERS_RESOLVED/breakdown?place=86&period=2025-10&${AT}`,
        `/api/rankings/organisations?indicator=DOSSIERS_RESOLVED&period=2025-10&place=86&${AT}`,
      ]) {
        const r = await get(url);
        expect([url, r.statusCode, r.json<{ error: string }>().error]).toEqual([url, 404, 'unknown_indicator']);
      }
      expect((await get(`/api/indicators/DOSSIERS_RESOLVED/series?place=29242&from=2025-09&to=2025-10&${AT}`)).json<SeriesResponse>().points.map((p) => p.value)).toEqual([null, 180]);
      // A published indicator ranks every unit, as for the public; another, only the units within the leader's scope.
      const ranking = (code: string) => get(`/api/rankings?indicator=${code}&period=2025-10&level=commune&parent=86&${AT}`);
      const published = (await ranking('DOSSIERS_RECEIVED')).json<RankingResponse>();
      expect(published.items.length).toBeGreaterThan(100);
      expect(published.items.slice(0, 2).map((i) => [i.place.code, i.value])).toEqual([
        ['29242', 200],
        ['29254', 50],
      ]);
      expect((await ranking('DOSSIERS_RESOLVED')).json<RankingResponse>().items.map((i) => [i.place.code, i.value])).toEqual([['29242', 180]]);
      // The anonymous public still ranks nothing unpublished.
      expect((await anonymous(`/api/rankings?indicator=DOSSIERS_RESOLVED&period=2025-10&level=commune&parent=86&${AT}`)).statusCode).toBe(404);
    });

    it('publishes the demo boards on seeding, and brings up to date those stored before boards were published unless a steward edited them', async () => {
      const repo = new DashboardsRepository(s.store.db);
      const [first, second] = DEMO_DASHBOARDS.map((d) => dashboardSchema.parse(d));
      const { published: _p1, description: _d1, ...asSeededBefore } = first!;
      const { published: _p2, description: _d2, ...edited } = second!;
      await repo.dashboards.put(asSeededBefore.code, asSeededBefore, TEST_NOW);
      await repo.dashboards.put(edited.code, { ...edited, title: { vi: 'Sửa bởi cán bộ', en: 'Edited by a steward' } }, TEST_NOW);
      expect((await anonymous(`/api/dashboards/${first!.code}`)).statusCode).toBe(404);
      await seedDemoDashboards(s.store, { clock: s.ctx.clock });
      const shown = await anonymous(`/api/dashboards/${first!.code}`);
      expect(shown.statusCode).toBe(200);
      expect(shown.json()).toMatchObject({ published: true, description: { en: expect.stringContaining('without signing in') } });
      expect((await anonymous(`/api/dashboards/${second!.code}`)).statusCode).toBe(404);
      expect((await s.app.inject(`/api/dashboards/${second!.code}`)).json()).toMatchObject({ title: { en: 'Edited by a steward' } });
    });
  });
}

describe('the demo data set, for a newcomer who has not signed in', () => {
  it('publishes every demo and PCI indicator, and the demo dashboards over them, but for the directives’ completion, read signed in', async () => {
    const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.pci, CATALOGUE_FILES.demo]);
    expect(definitions.filter((d) => !d.published).map((d) => d.code)).toEqual([]);
    const published = new Set(definitions.map((d) => d.code));
    for (const input of DEMO_DASHBOARDS) {
      const d = dashboardSchema.parse(input);
      expect([d.code, d.published]).toEqual([d.code, true]);
      // The first board's directive tile, like its overdue tasks, offers the public to sign in.
      expect(dashboardIndicators(d).filter((r) => !published.has(r.indicator)).map((r) => r.indicator)).toEqual(d.code === 'demo-dieu-hanh' ? ['DIR_ON_TIME_RATE'] : []);
    }
  });
});
