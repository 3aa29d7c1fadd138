import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, indicatorDefinitionSchema } from '@watchfloor/core';
import { IndicatorsRepository, type Store } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import { seedOrganisations } from '../features/organisations/seed';
import { loadGeography } from '../features/geography/load';
import { TEST_CATALOGUE } from '../features/observations/test-catalogue';
import { TEST_SECRET_KEY } from '../features/sources/test-support';
import { REFERENCE_DATA_DIR } from '../paths';
import { authenticateTests, TEST_NOW } from '../testing';

const OPEN311_KEY = 'open311-key-never-logged-0123';
const PASSWORD = 'mật-khẩu-không-được-ghi';

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`no secrets in the logs on ${engine.engine}`, () => {
    let store: Store;
    let app: FastifyInstance;
    let apiToken = '';
    let log = '';
    beforeAll(async () => {
      store = await engine.open({ migrate: true });
      const ctx = {
        store,
        clock: fixedClock(TEST_NOW),
        config: loadConfig({ WATCHFLOOR_LOG_LEVEL: 'trace', WATCHFLOOR_DEMO_DATA: 'false', WATCHFLOOR_SECRET_KEY: TEST_SECRET_KEY, WATCHFLOOR_OPEN311_API_KEYS: OPEN311_KEY }),
      };
      await loadGeography(store, { dataDir: REFERENCE_DATA_DIR, clock: ctx.clock });
      await seedOrganisations(store, { dataDir: REFERENCE_DATA_DIR, clock: ctx.clock });
      await new IndicatorsRepository(store.db).upsert(TEST_CATALOGUE.map((d) => indicatorDefinitionSchema.parse(d)), TEST_NOW);
      const stream = new Writable({
        write(chunk: Buffer, _enc, done) {
          log += chunk.toString();
          done();
        },
      });
      app = await buildApp(ctx, { logStream: stream });
      await app.ready();
      apiToken = (await authenticateTests(app, ctx)).token;
    });
    afterAll(async () => {
      await app?.close();
      await store?.close();
    });

    it('logs requests at trace level without tokens, credentials or api keys', async () => {
      const created = await app.inject({
        method: 'POST',
        url: '/api/sources',
        payload: { code: 'LOG-PUSH', name: 'Push', kind: 'http_push', ownerOrganisationCode: 'VL-STC', credentials: { username: 'ioc', password: PASSWORD } },
      });
      expect(created.statusCode, created.body).toBe(201);
      const token = created.json<{ token: string }>().token;
      const pushed = await app.inject({
        method: 'POST',
        url: '/api/sources/LOG-PUSH/push',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', cookie: 'session=secret-cookie' },
        payload: JSON.stringify({ indicator: 'PM25', place: '86', period: '2026-11-27', value: 12 }),
      });
      expect(pushed.statusCode, pushed.body).toBe(200);
      await app.inject({ method: 'POST', url: '/api/sources/LOG-PUSH/push', headers: { authorization: 'Bearer wrong-token-123', 'content-type': 'application/x-ndjson' }, payload: '' });
      await app.inject({ method: 'POST', url: `/open311/v2/requests.json?api_key=${OPEN311_KEY}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'service_code=x' });

      // The requests were logged, at the level asked.
      expect(log).toContain('/api/sources/LOG-PUSH/push');
      expect(log).toContain('api_key=[redacted]');
      for (const secret of [token, apiToken, PASSWORD, 'wrong-token-123', OPEN311_KEY, 'secret-cookie', TEST_SECRET_KEY]) expect(log).not.toContain(secret);
    });
  });
}
