import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, type TestServer } from '../../testing';
import { serverConfig } from './service';

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`server basics on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine, {
        routes: { 'GET /__test/boom': 'public', 'POST /__test/echo': 'public' },
        // A route that fails the way a bug would, to see what a client gets.
        extend: (app) => {
          app.get('/__test/boom', async () => {
            throw new Error('connection to /var/secret/db.sqlite failed at line 42');
          });
          app.post('/__test/echo', async (req) => ({ received: req.body }));
        },
      });
    });
    afterAll(async () => s?.close());

    it('is live and ready', async () => {
      expect((await s.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
      const ready = await s.app.inject('/readyz');
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({ ready: true, checks: { database: true, migrations: true } });
    });

    it('tells anyone what it serves: the province, the home province over time, whether demo data is loaded', async () => {
      const r = await s.anonymous({ url: '/api/config' });
      expect(r.statusCode).toBe(200);
      // The defaults: the new Vĩnh Long, and before 1 July 2025 Trà Vinh (WATCHFLOOR_PROVINCE_BEFORE=84), one of the three it was formed from.
      expect(r.json()).toEqual({
        version: expect.any(String),
        province: { code: '86', name: 'Tỉnh Vĩnh Long' },
        home: [
          { code: '84', name: 'Tỉnh Trà Vinh', from: null, to: '2025-06-30' },
          { code: '86', name: 'Tỉnh Vĩnh Long', from: '2025-07-01', to: null },
        ],
        demoData: false,
      });
      // Without a predecessor named, home before the reform is the served province's own earlier version (the old Vĩnh Long).
      const own = await serverConfig({ ...s.ctx, config: { ...s.ctx.config, provinceBefore: null } });
      expect(own.home).toEqual([
        { code: '86', name: 'Tỉnh Vĩnh Long', from: null, to: '2025-06-30' },
        { code: '86', name: 'Tỉnh Vĩnh Long', from: '2025-07-01', to: null },
      ]);
      // Hà Nội kept its code through the reform: home is Hà Nội on every date.
      const hanoi = await serverConfig({ ...s.ctx, config: { ...s.ctx.config, province: '01', provinceBefore: null } });
      expect(new Set(hanoi.home.map((h) => h.code))).toEqual(new Set(['01']));
      expect(hanoi.home.at(-1)).toMatchObject({ code: '01', to: null });
      // A served province that is not among today's units is a configuration error, said as such.
      await expect(serverConfig({ ...s.ctx, config: { ...s.ctx.config, province: '84' } })).rejects.toThrow(/WATCHFLOOR_PROVINCE/);
    });

    it('describes every API route in OpenAPI 3.1', async () => {
      const r = await s.app.inject('/api/openapi.json');
      expect(r.statusCode).toBe(200);
      const doc = r.json<{ openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>();
      expect(doc.openapi).toBe('3.1.0');
      const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
      const served = s.app.routeTable.filter((r) => !r.hidden && !r.url.startsWith('/api/docs') && !r.url.startsWith('/__test'));
      expect(served.length).toBeGreaterThanOrEqual(10);
      for (const r of served) expect(documented).toContain(`${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
      // Each documented route names its error answers.
      expect(Object.keys(doc.paths['/api/places/{code}']!.get!.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
    });

    it('serves a browsable API page with no asset from another origin', async () => {
      const r = await s.app.inject('/api/docs');
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain('swagger-ui-bundle.js');
      expect(r.body).not.toMatch(/(src|href)="https?:\/\//);
      const init = await s.app.inject('/api/docs/static/swagger-initializer.js');
      expect(init.statusCode).toBe(200);
      // The online spec validator badge would call an outside server: it is off.
      expect(init.body).toContain('"validatorUrl":null');
    });

    it('exports Prometheus metrics with request durations by route pattern', async () => {
      await s.app.inject('/api/places/84?at=2020-01-01');
      const r = await s.app.inject('/metrics');
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('text/plain');
      expect(r.body).toMatch(/watchfloor_http_request_duration_seconds_count\{method="GET",route="\/api\/places\/:code",status_code="200"\} \d+/);
      expect(r.body).toContain('watchfloor_process_resident_memory_bytes');
    });

    it('turns an unexpected failure into a coded 500 with no internals', async () => {
      const r = await s.app.inject('/__test/boom');
      expect(r.statusCode).toBe(500);
      expect(r.json()).toEqual({ error: 'internal_error', message: 'Internal error' });
      expect(r.body).not.toContain('secret');
    });

    it('refuses bodies over the configured limit and bodies that are not JSON, with codes', async () => {
      const limit = s.ctx.config.bodyLimitBytes;
      const big = await s.app.inject({ method: 'POST', url: '/__test/echo', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ x: 'a'.repeat(limit) }) });
      expect(big.statusCode).toBe(413);
      expect(big.json()).toMatchObject({ error: 'body_too_large' });
      const broken = await s.app.inject({ method: 'POST', url: '/__test/echo', headers: { 'content-type': 'application/json' }, payload: '{"x": ' });
      expect(broken.statusCode).toBe(400);
      expect(broken.json()).toMatchObject({ error: 'invalid_body' });
      const fine = await s.app.inject({ method: 'POST', url: '/__test/echo', payload: { x: 1 } });
      expect(fine.json()).toEqual({ received: { x: 1 } });
    });

    it('answers unknown routes with a coded 404', async () => {
      const r = await s.app.inject('/api/nothing-here');
      expect(r.statusCode).toBe(404);
      expect(r.json()).toMatchObject({ error: 'not_found' });
    });

    it('reports what is loaded', async () => {
      const r = await s.app.inject('/api/status');
      expect(r.json()).toMatchObject({
        database: { engine: engine.engine },
        migrations: { pending: [] },
        places: { province: 97, district: 696, commune: 13356, country: 1 },
      });
    });

    it('tells where the database is and its version to administrators only', async () => {
      // The tests' token holds every role, administrator included.
      const admin = (await s.app.inject('/api/status')).json<{ database: Record<string, string> }>();
      expect(admin.database).toEqual({ engine: engine.engine, location: s.store.location, version: expect.any(String) });
      const leaderToken = (await s.app.inject({ method: 'POST', url: '/api/tokens', payload: { name: 'status reader', roles: [{ role: 'leader' }, { role: 'data_steward' }] } })).json<{ token: string }>().token;
      for (const r of [await s.anonymous({ method: 'GET', url: '/api/status' }), await s.app.inject({ method: 'GET', url: '/api/status', headers: { authorization: `Bearer ${leaderToken}` } })]) {
        expect(r.statusCode).toBe(200);
        expect(r.json()).toMatchObject({ database: { engine: engine.engine }, migrations: { pending: [] } });
        expect(r.json<{ database: object }>().database).toEqual({ engine: engine.engine });
        expect(r.body).not.toContain(admin.database.version!);
        expect(r.body).not.toContain(s.store.location);
      }
    });

    it('serves the home page in Vietnamese by default and in English on request', async () => {
      const vi = await s.app.inject('/');
      expect(vi.headers['content-type']).toContain('text/html');
      expect(vi.body).toContain('<html lang="vi">');
      expect(vi.body).toContain('Trung tâm điều hành giám sát thông minh');
      expect(vi.body).not.toMatch(/(src|href)="https?:\/\//);
      const en = await s.app.inject('/?lang=en');
      expect(en.body).toContain('<html lang="en">');
      expect(en.body).toContain('Intelligent Operations Center');
    });
  });

  describe.skipIf(engine.skip)(`readiness before migrations on ${engine.engine}`, () => {
    it('is not ready while migrations are pending', async () => {
      const s = await openTestServer(engine, { prepare: false });
      try {
        const r = await s.anonymous({ url: '/readyz' });
        expect(r.statusCode).toBe(503);
        expect(r.json()).toMatchObject({ ready: false, checks: { database: true, migrations: false } });
        expect((await s.anonymous({ url: '/healthz' })).statusCode).toBe(200);
      } finally {
        await s.close();
      }
    });
  });
}
