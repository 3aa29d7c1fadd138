import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openStore } from '@watchfloor/db';

const ROOT = fileURLToPath(new URL('../../../../..', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'packages/cli/src/main.ts');

/** Every server process a test started, so none outlives it. */
const spawned: ChildProcess[] = [];

/** Starts `watchfloor start` on a data directory and resolves with its URL once it serves. */
function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  // Node itself with the TypeScript loader, not the tsx wrapper: SIGKILL must reach the server, not a parent that cannot pass it on.
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'start', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let log = '';
  spawned.push(child);
  return new Promise((resolve, reject) => {
    // The first start loads the demo data set (its organisations and catalogue are what the push names): on a machine
    // CI shares with other suites that can take a couple of minutes. Later starts only reopen the database.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no start:\n${log.slice(-2000)}`));
    }, 150_000);
    child.stdout!.on('data', (b: Buffer) => {
      log += b.toString();
      const m = /"url":"(http:\/\/localhost:\d+\/)".*"msg":"Watchfloor is serving"/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${log.slice(-2000)}`)));
  });
}

/**
 * A real client pushing a year of daily PM2.5 for every commune in batches,
 * retrying each batch until it is acknowledged, while the server is killed
 * (SIGKILL, no shutdown) in the middle of a batch and started again: the
 * store ends with exactly the rows sent, none twice, none half-written.
 */
describe('killing the server during an HTTP push', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wf-crash-'));
  });
  afterAll(async () => {
    for (const c of spawned) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  /** The pushed facts in the store (or their distinct natural keys). */
  const countPushed = async (distinct = false): Promise<number> => {
    const store = openStore({ sqlitePath: join(dir, 'watchfloor.sqlite') });
    try {
      const r = await sql<{ n: number }>`select ${sql.raw(distinct ? "count(distinct place_id || '|' || period_key)" : 'count(*)')} as n
        from observation where indicator_code = 'ENV_PM25' and period_start >= '2027-01-01'`.execute(store.db);
      return Number(r.rows[0]?.n);
    } finally {
      await store.close();
    }
  };

  it('ends with exactly the rows sent, after the client retries', async () => {
    let server = await startServer(dir);
    const add = spawnSync(TSX, [MAIN, 'sources', 'add', '--data-dir', dir, '--code', 'QUAN-TRAC', '--name', 'Trạm quan trắc', '--kind', 'http_push', '--owner', 'VL-SNNMT', '--every', 'PT1H'], { cwd: ROOT, encoding: 'utf8' });
    const token = /Push token \(shown once, keep it\): (\S+)/.exec(add.stdout)?.[1];
    expect(token, add.stdout + add.stderr).toBeDefined();

    const communes = ((await (await fetch(`${server.url}api/places?parent=86&level=commune`)).json()) as { places: { code: string }[] }).places.map((p) => p.code);
    const rows: string[] = [];
    for (let day = 0; day < 120; day++) {
      const date = new Date(Date.UTC(2027, 0, 1 + day)).toISOString().slice(0, 10);
      for (const place of communes) rows.push(JSON.stringify({ indicator: 'ENV_PM25', place, period: date, value: 10 + ((day * 31 + place.length) % 40) }));
    }
    const batches: string[] = [];
    for (let i = 0; i < rows.length; i += 8000) batches.push(rows.slice(i, i + 8000).join('\n'));

    /**
     * Sends one request of NDJSON. With `killAfter`, the body is streamed:
     * its first lines go out, the server commits its first batch of 5,000,
     * and the server is killed before the rest is sent.
     */
    const push = (body: string, killAfter?: () => void): Promise<boolean> =>
      new Promise((resolve) => {
        const url = new URL(`${server.url}api/sources/QUAN-TRAC/push`);
        const req = request(
          { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode === 200));
            res.on('error', () => resolve(false));
          },
        );
        req.on('error', () => resolve(false));
        if (!killAfter) {
          req.end(body);
          return;
        }
        const lines = body.split('\n');
        req.write(`${lines.slice(0, 6000).join('\n')}\n`);
        setTimeout(() => {
          killAfter();
          req.write(lines.slice(6000).join('\n'));
          req.end();
        }, 1500);
      });

    let killed = false;
    let failures = 0;
    for (let b = 0; b < batches.length; b++) {
      for (;;) {
        const kill = b === 1 && !killed ? () => ((killed = true), server.child.kill('SIGKILL')) : undefined;
        if (await push(batches[b]!, kill)) break;
        failures++;
        await new Promise((r) => (server.child.exitCode !== null || server.child.signalCode !== null ? r(null) : server.child.once('exit', r)));
        // What the killed server left: whole batches of 5,000 only (the first request, and maybe the second's first batch).
        expect([8000, 13000]).toContain(await countPushed());
        server = await startServer(dir);
      }
    }
    expect(killed).toBe(true);
    expect(failures).toBeGreaterThan(0);
    const stopped = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGTERM');
    await stopped;

    expect(await countPushed()).toBe(rows.length);
    expect(await countPushed(true)).toBe(rows.length);
  }, 300_000);
});
