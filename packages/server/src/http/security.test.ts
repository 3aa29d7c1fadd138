import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@watchfloor/db/testing';
import type { TestServer } from '../testing';
import { openSourcesServer } from '../features/sources/test-support';

const OPEN311_KEY = 'test-open311-key-0123456789';

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`security headers and rate limits on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openSourcesServer(engine, { WATCHFLOOR_RATE_LIMIT_PER_MINUTE: '3', WATCHFLOOR_OPEN311_RATE_LIMIT_PER_MINUTE: '2', WATCHFLOOR_OPEN311_API_KEYS: OPEN311_KEY });
    });
    afterAll(async () => s?.close());

    it('sends a strict Content-Security-Policy and the other security headers on API and HTML answers', async () => {
      for (const url of ['/api/sources', '/', '/api/nothing-here']) {
        const r = await s.app.inject(url);
        const csp = String(r.headers['content-security-policy']);
        expect(csp, url).toContain("default-src 'self'");
        expect(csp).toContain("script-src 'self';");
        expect(csp).toContain("style-src 'self';");
        expect(csp).toContain("object-src 'none'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).not.toContain('unsafe-inline');
        expect(r.headers['x-content-type-options']).toBe('nosniff');
        expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(r.headers['referrer-policy']).toBe('no-referrer');
      }
    });

    it('lets the API docs page run its own scripts under its own policy', async () => {
      const r = await s.app.inject('/api/docs');
      expect(r.statusCode).toBe(200);
      const csp = String(r.headers['content-security-policy']);
      // Swagger UI's own policy: its scripts are files of this origin, its styles may come inline.
      expect(csp).toMatch(/script-src 'self'\s*;/);
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("object-src 'none'");
      expect(r.body).not.toMatch(/<script>(?!<\/script>)/);
    });

    it('limits pushes per source token and answers 429 rate_limited', async () => {
      const created = await s.app.inject({ method: 'POST', url: '/api/sources', payload: { code: 'RL-PUSH', name: 'Push', kind: 'http_push', ownerOrganisationCode: 'VL-STC' } });
      const token = created.json<{ token: string }>().token;
      const push = (auth: string) =>
        s.app.inject({ method: 'POST', url: '/api/sources/RL-PUSH/push?dryRun=true', headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/x-ndjson' }, payload: '' });
      for (let i = 0; i < 3; i++) expect((await push(token)).statusCode).not.toBe(429);
      const refused = await push(token);
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toMatchObject({ error: 'rate_limited', details: { max: 3 } });
      expect(refused.headers['retry-after']).toBeDefined();
      // Another token counts apart.
      expect((await push('another-token')).statusCode).toBe(401);
    });

    it('limits Open311 reports per api_key and answers in Open311 error format', async () => {
      const post = (format: 'json' | 'xml') =>
        s.app.inject({ method: 'POST', url: `/open311/v2/requests.${format}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `api_key=${OPEN311_KEY}&service_code=nothing` });
      expect((await post('json')).statusCode).not.toBe(429);
      expect((await post('json')).statusCode).not.toBe(429);
      const refused = await post('json');
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toEqual([{ code: 429, description: expect.stringMatching(/^rate_limited: /) }]);
      // The XML route has its own count.
      expect((await post('xml')).statusCode).not.toBe(429);
    });
  });
}
