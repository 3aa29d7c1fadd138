import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, type TestServer } from '../testing';
import { seedCaseCategories } from '../features/cases/seed';
import { REFERENCE_DATA_DIR } from '../paths';

/**
 * Hostile input: text that looks like SQL or script is stored and answered
 * as the inert text it is; malformed codes, NUL bytes, path traversal in
 * file names and oversized bodies are refused with a coded error. Nothing
 * answers a stack trace, and the server keeps serving.
 */
const EVIL = `Robert'); DROP TABLE "case"; DROP TABLE place; -- <script>alert(1)</script><img src=x onerror=alert(2)> {{7*7}} \${7*7} ../../etc/passwd`;
const API_KEY = 'hostile-input-open311-key-0123';

function noStackTrace(r: LightMyRequestResponse): void {
  expect(r.statusCode, r.body).toBeLessThan(500);
  expect(r.body).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  expect(r.body).not.toMatch(/node_modules|packages\/server\/src/);
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`hostile input (${engine.engine})`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine, { env: { WATCHFLOOR_OPEN311_API_KEYS: API_KEY, WATCHFLOOR_BODY_LIMIT_BYTES: '65536' } });
      await seedCaseCategories(s.store, { dataDir: REFERENCE_DATA_DIR, clock: s.ctx.clock });
    });
    afterAll(async () => s?.close());

    it('keeps SQL- and script-like text in every kind of text field as inert text', async () => {
      const send = async (method: 'POST' | 'PUT', url: string, payload: unknown, expected: number) => {
        const r = await s.app.inject({ method, url, payload: payload as Record<string, unknown> });
        noStackTrace(r);
        expect(r.statusCode, `${method} ${url}: ${r.body}`).toBe(expected);
        return r;
      };
      const opened = (await send('POST', '/api/cases', { category: 'GIAO_THONG', title: EVIL, description: EVIL, address: EVIL, lat: 9.9063, lon: 106.3419 }, 201)).json<{ id: string }>();
      await send('POST', `/api/cases/${opened.id}/comments`, { text: EVIL }, 200);
      const shown = (await s.app.inject(`/api/cases/${opened.id}`)).json<{ title: string; description: string; timeline: { note: string | null }[] }>();
      expect(shown.title).toBe(EVIL);
      expect(shown.description).toBe(EVIL);
      expect(shown.timeline.map((e) => e.note)).toContain(EVIL);

      await send('POST', '/api/sources', { code: 'HOSTILE', name: EVIL, kind: 'http_push', ownerOrganisationCode: 'VL-STC' }, 201);
      expect((await s.app.inject('/api/sources/HOSTILE')).json<{ name: string }>().name).toBe(EVIL);

      const indicator = { code: 'HOSTILE_COUNT', kind: 'base', unit: 'lượt', domain: 'public_services', frequency: 'month', direction: 'higher_is_better', aggregation: { places: 'sum', time: 'sum' }, names: { vi: EVIL, en: EVIL } };
      await send('PUT', '/api/indicators/HOSTILE_COUNT', indicator, 201);
      expect((await s.app.inject('/api/indicators/HOSTILE_COUNT')).json<{ names: { vi: string } }>().names.vi).toBe(EVIL);

      await send('PUT', '/api/dashboards/hostile', { version: 1, code: 'hostile', title: { vi: EVIL, en: EVIL }, panels: [] }, 201);
      expect((await s.app.inject('/api/dashboards/hostile')).json<{ title: { vi: string } }>().title.vi).toBe(EVIL);

      await send('POST', '/api/users', { login: 'hostile', displayName: EVIL, password: 'a long enough password', roles: [] }, 201);
      expect((await s.app.inject('/api/users')).json<{ users: { login: string; displayName: string }[] }>().users.find((u) => u.login === 'hostile')?.displayName).toBe(EVIL);

      const reported = await s.anonymous({
        method: 'POST',
        url: '/open311/v2/requests.json',
        payload: { api_key: API_KEY, service_code: 'GIAO_THONG', lat: 9.9063, long: 106.3419, description: EVIL, first_name: 'Lan <script>x</script>', email: 'x@example.org' },
      });
      noStackTrace(reported);
      expect(reported.statusCode, reported.body).toBe(201);

      // The tables the strings name are all still there, with their rows.
      const count = async (table: 'case' | 'place' | 'source') => Number((await s.store.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
      expect(await count('case')).toBe(2);
      expect(await count('place')).toBeGreaterThan(10_000);
      expect(await count('source')).toBe(1);
    });

    it('refuses malformed codes and query values with a coded 400 or 404, never a server error', async () => {
      for (const url of [
        `/api/places/${encodeURIComponent("86' OR '1'='1")}`,
        `/api/places/${encodeURIComponent('86; DROP TABLE place')}/geometry`,
        `/api/cases?place=${encodeURIComponent("' OR 1=1 --")}`,
        `/api/cases/${encodeURIComponent('PA000001 OR 1=1')}`,
        `/api/indicators/${encodeURIComponent('X<script>')}/series?place=86`,
        `/api/sources/${encodeURIComponent('../../etc/passwd')}`,
        `/api/overview?place=86&period=${encodeURIComponent("2026-10'; --")}`,
      ]) {
        const r = await s.app.inject(url);
        noStackTrace(r);
        expect([400, 404], `${url}: ${r.statusCode} ${r.body}`).toContain(r.statusCode);
        expect(r.json<{ error: string }>().error, url).toMatch(/^[a-z_]+$/);
      }
    });

    it('treats a query filter value as text: a SQL-like one finds nothing', async () => {
      const r = await s.app.inject(`/api/audit?entity=${encodeURIComponent("source:' OR ''='")}`);
      noStackTrace(r);
      expect(r.json()).toEqual({ events: [] });
    });

    it('refuses NUL bytes in text with a coded 400 on both engines', async () => {
      const r = await s.app.inject({ method: 'POST', url: '/api/cases', payload: { category: 'GIAO_THONG', title: 'before\u0000after', lat: 9.9063, lon: 106.3419 } });
      noStackTrace(r);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json()).toMatchObject({ error: 'invalid_body' });
    });

    it('rejects a pushed row holding NUL as a coded rejected row and keeps the others', async () => {
      const indicator = { code: 'NUL_COUNT', kind: 'base', unit: 'lượt', domain: 'public_services', frequency: 'month', direction: 'higher_is_better', aggregation: { places: 'sum', time: 'sum' }, names: { vi: 'Đếm', en: 'Count' } };
      expect((await s.app.inject({ method: 'PUT', url: '/api/indicators/NUL_COUNT', payload: indicator })).statusCode).toBeLessThan(300);
      const created = await s.app.inject({ method: 'POST', url: '/api/sources', payload: { code: 'NUL-PUSH', name: 'Push', kind: 'http_push', ownerOrganisationCode: 'VL-STC' } });
      const token = created.json<{ token: string }>().token;
      const rows = [
        { indicator: 'NUL_COUNT', place: '86', period: '2026-10', value: 1, note: 'fine' },
        { indicator: 'NUL_COUNT', place: '86', period: '2026-09', value: 2, note: 'bad\u0000note' },
        { indicator: 'NUL_COUNT', place: '86', period: '2026-08', value: 3, organisation: 'VL\u0000STC' },
      ];
      const r = await s.anonymous({
        method: 'POST',
        url: '/api/sources/NUL-PUSH/push',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
        payload: rows.map((x) => JSON.stringify(x)).join('\n'),
      });
      noStackTrace(r);
      expect(r.statusCode, r.body).toBe(200);
      const result = r.json<{ accepted: number; rejected: number; rejectedRows: { reason: string }[] }>();
      expect([result.accepted, result.rejected]).toEqual([1, 2]);
      expect(result.rejectedRows.map((x) => x.reason)).toEqual(['invalid_row', 'invalid_row']);
    });

    it('keeps only the base name of an uploaded file, as text', async () => {
      await s.app.inject({ method: 'POST', url: '/api/sources', payload: { code: 'HOSTILE-FILE', name: 'File', kind: 'file', ownerOrganisationCode: 'VL-STC' } });
      const boundary = 'hostileboundary';
      const body = [
        `--${boundary}`,
        'Content-Disposition: form-data; name="file"; filename="../../../../etc/passwd.csv"',
        'Content-Type: text/csv',
        '',
        'indicator,place,period,value',
        'NO_SUCH_INDICATOR,86,2026-10,1',
        `--${boundary}--`,
        '',
      ].join('\r\n');
      const r = await s.app.inject({ method: 'POST', url: '/api/sources/HOSTILE-FILE/upload', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
      noStackTrace(r);
      const runs = (await s.app.inject('/api/sources/HOSTILE-FILE/runs')).json<{ runs: { fileName: string | null }[] }>().runs;
      expect(runs.map((x) => x.fileName)).toEqual(['passwd.csv']);
    });

    it('refuses an oversized body with 413 body_too_large, and keeps serving', async () => {
      const r = await s.app.inject({ method: 'POST', url: '/api/cases', payload: { category: 'GIAO_THONG', title: 'x'.repeat(100_000), lat: 9.9063, lon: 106.3419 } });
      noStackTrace(r);
      expect(r.statusCode).toBe(413);
      expect(r.json()).toMatchObject({ error: 'body_too_large' });
      expect((await s.anonymous({ url: '/healthz' })).statusCode).toBe(200);
    });
  });
}
