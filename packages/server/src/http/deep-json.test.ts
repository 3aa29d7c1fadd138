import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestResult } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import type { TestServer } from '../testing';
import { openSourcesServer, pm25Rows } from '../features/sources/test-support';

/**
 * JSON nested 100,000 deep is valid JSON that recursive code cannot walk:
 * every JSON route answers 400 `invalid_body` (never 500), and a pushed
 * row so nested is a rejected row while the rows around it are written.
 */
const DEEP = 100_000;
const deepArray = `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`;
const deepObject = `${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`;
const OPEN311_KEY = 'deep-json-open311-key-0123456';

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`deeply nested JSON on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openSourcesServer(engine, { WATCHFLOOR_OPEN311_API_KEYS: OPEN311_KEY });
    });
    afterAll(async () => s?.close());

    it('answers 400 invalid_body on sign-in, Open311, cases and sources, for nested arrays and objects', async () => {
      const routes = ['/api/auth/sign-in', `/open311/v2/requests.json?api_key=${OPEN311_KEY}`, '/api/cases', '/api/sources', '/api/observations'];
      for (const url of routes) {
        for (const body of [deepArray, deepObject, `{"login":${deepArray},"password":"x"}`]) {
          const r = await s.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: body });
          expect(r.statusCode, `${url}: ${r.body.slice(0, 200)}`).toBe(400);
          // Open311 answers in its own error format; every other route in ours.
          if (!url.startsWith('/open311')) expect(r.json<{ error: string }>().error).toBe('invalid_body');
        }
      }
      expect((await s.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    });

    it('takes a pushed line nested 100,000 deep as a rejected row and writes the others', async () => {
      const created = await s.app.inject({ method: 'POST', url: '/api/sources', payload: { code: 'DEEP', name: 'Sâu', kind: 'http_push', ownerOrganisationCode: 'VL-SNNMT' } });
      const token = created.json<{ token: string }>().token;
      const [a, b] = await pm25Rows(s, 2);
      const body = [JSON.stringify(a), `{"indicator":${deepObject}}`, deepArray, JSON.stringify(b)].join('\n');
      for (const type of ['application/x-ndjson', 'application/json']) {
        const payload = type === 'application/json' ? `[${[JSON.stringify(a), `{"indicator":${deepObject}}`, deepArray, JSON.stringify(b)].join(',')}]` : body;
        const r = await s.app.inject({ method: 'POST', url: '/api/sources/DEEP/push', headers: { authorization: `Bearer ${token}`, 'content-type': type }, payload });
        expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
        const result = r.json<IngestResult>();
        expect(result).toMatchObject({ rowsRead: 4, accepted: 2, rejected: 2 });
        expect(result.rejectedRows.map((x) => x.reason)).toEqual(['invalid_json', 'invalid_json']);
      }
    });
  });
}
