import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourcesRepository, migrateToLatest, openStore } from '@watchfloor/db';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const MAIN = join(ROOT, 'packages/cli/src/main.ts');
const KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const SECRET = 'cli-secret-7d1e';

/** Runs `watchfloor` without blocking this process, so the local API below can answer it. */
function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, env: { ...process.env, WATCHFLOOR_DEMO_DATA: 'true', WATCHFLOOR_SECRET_KEY: KEY, WATCHFLOOR_OUTBOUND_ALLOW: '127.0.0.1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('watchfloor sources pull', () => {
  let dir: string;
  let server: Server;
  let base = '';
  const auth: (string | undefined)[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wf-pull-'));
    server = createServer((req, res) => {
      auth.push(req.headers.authorization);
      const rows = [
        { i: 'PM25', p: '86', d: '2026-11-01', v: 12 },
        { i: 'PM25', p: '86', d: '2026-11-02', v: 14 },
      ];
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ rows: new URL(req.url ?? '/', 'http://x').searchParams.has('since') ? [] : rows }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('registers an HTTP pull with credentials from a file and pulls it now', async () => {
    const db = ['--data-dir', dir];
    // Only what the commands need: the schema and the owner agency (the geography would take long to load).
    const store = openStore({ sqlitePath: join(dir, 'watchfloor.sqlite') });
    try {
      await migrateToLatest(store);
      await store.db
        .insertInto('organisation')
        .values({ code: 'VL-SNNMT', name: 'Sở Nông nghiệp và Môi trường', name_en: null, kind: 'department', parent_code: null, place_code: null, valid_from: '0001-01-01', valid_to: '9999-12-31', demo: 1 })
        .execute();
      const now = new Date().toISOString();
      await new SourcesRepository(store.db).insert({ code: 'PUSHED', name: 'x', kind: 'http_push', ownerOrgCode: 'VL-SNNMT', schedule: null, expected: null, mapping: null, credentialsEnc: null, tokenHash: null, enabled: true, createdAt: now, updatedAt: now });
    } finally {
      await store.close();
    }
    // No indicator catalogue is loaded here, so the rows are refused (unknown_indicator): what matters is that they are read and the cursor moves on.
    const pull = { kind: 'http', url: `${base}/feed`, cursorParam: 'since', headers: { Authorization: 'Bearer {{credentials.token}}' }, records: 'rows.{ "indicator": "ENV_PM25", "place": p, "period": d, "value": v }', recordCursor: 'period' };
    await writeFile(join(dir, 'pull.json'), JSON.stringify(pull));
    await writeFile(join(dir, 'credentials.json'), JSON.stringify({ token: SECRET }));
    const add = await run(['sources', 'add', ...db, '--code', 'QT-KK', '--name', 'Quan trắc không khí', '--kind', 'http_pull', '--owner', 'VL-SNNMT', '--pull', `@${join(dir, 'pull.json')}`, '--credentials', `@${join(dir, 'credentials.json')}`]);
    expect(add.code, add.err).toBe(0);
    expect(add.out).toContain('Source QT-KK registered (http_pull');

    const [first, refused] = await Promise.all([run(['sources', 'pull', 'QT-KK', ...db]), run(['sources', 'pull', 'PUSHED', ...db])]);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/partial; 2 rows read, 0 accepted .*2 rejected/);
    expect(first.out).toContain('next pull starts from cursor 2026-11-02');
    // The first page, then the page after the last record's cursor, which is empty.
    expect(auth).toEqual([`Bearer ${SECRET}`, `Bearer ${SECRET}`]);
    expect(first.out + first.err).not.toContain(SECRET);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('source_not_pullable');
  });
});
