import { indicatorDefinitionSchema } from '@watchfloor/core';
import { IndicatorsRepository, PlacesRepository } from '@watchfloor/db';
import type { TestEngine } from '@watchfloor/db/testing';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { TEST_CATALOGUE } from '../observations/test-catalogue';

/** A 32-byte key for tests, as WATCHFLOOR_SECRET_KEY takes it. */
export const TEST_SECRET_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

/** A test server with the small test catalogue and a secret key; `env` adds configuration (limits). */
export async function openSourcesServer(engine: TestEngine, env: Record<string, string> = {}): Promise<TestServer> {
  const s = await openTestServer(engine, { env: { WATCHFLOOR_SECRET_KEY: TEST_SECRET_KEY, ...env } });
  await new IndicatorsRepository(s.store.db).upsert(TEST_CATALOGUE.map((d) => indicatorDefinitionSchema.parse(d)), TEST_NOW);
  return s;
}

/** Daily PM2.5 rows for the communes of Vĩnh Long (86), from 1 July 2026: `count` distinct valid rows. */
export async function pm25Rows(s: TestServer, count: number): Promise<{ indicator: string; place: string; period: string; value: number }[]> {
  const communes = (await new PlacesRepository(s.store.db).listAt('2026-11-28', { level: 'commune', parentCode: '86' })).map((p) => p.code);
  const rows: { indicator: string; place: string; period: string; value: number }[] = [];
  for (let day = 0; rows.length < count; day++) {
    const date = new Date(Date.UTC(2026, 6, 1 + day)).toISOString().slice(0, 10);
    for (const place of communes) {
      if (rows.length === count) break;
      rows.push({ indicator: 'PM25', place, period: date, value: 10 + ((day * 7 + rows.length) % 50) });
    }
  }
  return rows;
}

/** A multipart/form-data body holding one file, as a browser would send it. */
export async function multipart(fileName: string, content: Buffer | string, field = 'file'): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  form.append(field, new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), fileName);
  const req = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await req.arrayBuffer()), headers: { 'content-type': req.headers.get('content-type') ?? '' } };
}
