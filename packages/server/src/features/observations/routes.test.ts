import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorDefinitionSchema } from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import type { OrganisationRankingResponse } from '../analytics/schemas';
import { TEST_CATALOGUE } from './test-catalogue';

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`sending figures over HTTP on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine);
      await new IndicatorsRepository(s.store.db).upsert(TEST_CATALOGUE.map((d) => indicatorDefinitionSchema.parse(d)), TEST_NOW);
      // The home affairs department reports the dossier figures of the agencies it names in its coverage; a manual channel of the finance department.
      for (const source of [
        { code: 'so-noi-vu', name: 'Sở Nội vụ', kind: 'http_push', ownerOrganisationCode: 'VL-SNV', coverage: { organisations: ['VL-STC', 'VL-SYT'] } },
        { code: 'manual', name: 'Nhập tay Sở Tài chính', kind: 'manual', ownerOrganisationCode: 'VL-STC' },
      ]) {
        const r = await s.app.inject({ method: 'POST', url: '/api/sources', payload: source });
        expect(r.statusCode, r.body).toBe(201);
      }
    });
    afterAll(async () => s?.close());

    const post = (body: unknown, query = '') => s.app.inject({ method: 'POST', url: `/api/observations${query}`, payload: body as Record<string, unknown> });
    const batch = {
      source: 'so-noi-vu',
      observations: [
        { indicator: 'DOSSIERS_RESOLVED', place: '86', period: '2026-10', organisation: 'VL-STC', value: 120 },
        { indicator: 'DOSSIERS_ON_TIME', place: '86', period: '2026-10', organisation: 'VL-STC', value: 108 },
        { indicator: 'DOSSIERS_RESOLVED', place: '86', period: '2026-10', organisation: 'VL-SYT', value: 50 },
        { indicator: 'DOSSIERS_ON_TIME', place: '86', period: '2026-10', organisation: 'VL-SYT', value: 49 },
        { indicator: 'DOSSIERS_RESOLVED', place: '84', period: '2026-10', value: 1 },
      ],
    };

    it('previews a batch without writing it, then writes it once however often it is sent', async () => {
      const preview = await post(batch, '?dryRun=true');
      expect(preview.json()).toMatchObject({ received: 5, accepted: 4, created: 0, rejected: [{ index: 4, reason: 'place_not_valid_in_period' }] });
      const first = await post(batch);
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ accepted: 4, created: 4, unchanged: 0 });
      expect((await post(batch)).json()).toMatchObject({ accepted: 4, created: 0, unchanged: 4 });
    });

    it('keeps the history of a figure entered by hand', async () => {
      await post({ source: 'manual', enteredBy: 'nguyen.van.a', observations: [{ indicator: 'DOSSIERS_RESOLVED', place: '86', period: '2026-10', organisation: 'VL-STC', value: 125, status: 'provisional', note: 'bổ sung 5 hồ sơ' }] });
      const r = await s.app.inject('/api/observations/history?indicator=DOSSIERS_RESOLVED&place=86&period=2026-10&organisation=VL-STC');
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json<{ revisions: { revision: number; value: number; source: string; enteredBy: string | null; note: string | null }[] }>().revisions).toEqual([
        expect.objectContaining({ revision: 1, value: 120, source: 'so-noi-vu', enteredBy: null }),
        expect.objectContaining({ revision: 2, value: 125, source: 'manual', enteredBy: 'nguyen.van.a', note: 'bổ sung 5 hồ sơ' }),
      ]);
      expect((await s.app.inject('/api/observations/history?indicator=DOSSIERS_RESOLVED&place=86&period=2026-09')).statusCode).toBe(404);
    });

    it('ranks the agencies by their on-time rate, recomputed from their own counts', async () => {
      const r = await s.app.inject('/api/rankings/organisations?indicator=DOSSIERS_ON_TIME_RATE&period=2026-10&place=86');
      expect(r.statusCode, r.body).toBe(200);
      const items = r.json<OrganisationRankingResponse>().items;
      expect(items.map((i) => [i.rank, i.key, i.name, Number(i.value?.toFixed(2))])).toEqual([
        [1, 'VL-SYT', 'Sở Y tế tỉnh Vĩnh Long', 98],
        [2, 'VL-STC', 'Sở Tài chính tỉnh Vĩnh Long', 86.4],
      ]);
    });

    it('refuses a body that is not a batch, with a coded error', async () => {
      const empty = await post({ observations: [] });
      expect(empty.statusCode).toBe(400);
      expect(empty.json()).toMatchObject({ error: 'invalid_body' });
      const tooMany = await post({ observations: Array.from({ length: 5001 }, () => ({})) });
      expect(tooMany.statusCode).toBe(400);
      expect(tooMany.json<{ message: string }>().message).toMatch(/observations/);
    });
  });
}
