import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { benchScale, median, repetitions, type BenchResult } from './util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * `watchfloor start` measured from outside as a user sees it, on the
 * embedded engine and on PostgreSQL: time from spawning the process to the
 * "serving" log line and a first answer of the status API, and its resident
 * memory then. Cold = empty database (migrations, the geography, the PCI
 * and the demo data set loaded); warm = the same database again. There is no
 * faster way to the same answer (a serving Watchfloor) to compare with, so
 * the reference is a floor, not a baseline: spawning Node with the same
 * TypeScript loader running an empty script, which any start pays. A tiny
 * run (WATCHFLOOR_BENCH_SCALE < 0.01, as CI runs it) starts once each, without
 * the demo data set.
 */
interface Started {
  ms: number;
  rssMiB: number;
}

interface Target {
  name: 'SQLite' | 'PostgreSQL';
  /** A fresh, empty database for a cold start, and how to remove it. */
  fresh: () => Promise<{ env: Record<string, string>; args: string[]; done: () => Promise<void> }>;
}

function startOnce(target: { env: Record<string, string>; args: string[] }, demoData: boolean): Promise<Started> {
  const t = performance.now();
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'packages/cli/src/main.ts'), 'start', '--port', '0', '--host', '127.0.0.1', ...target.args], {
    cwd: ROOT,
    env: { ...env, ...target.env, WATCHFLOOR_DEMO_DATA: String(demoData), WATCHFLOOR_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let log = '';
  let answered = false;
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      log += b.toString();
      const m = /"url":"http:\/\/localhost:(\d+)\/".*"rssMiB":(\d+).*"msg":"Watchfloor is serving"/.exec(log);
      if (m && !answered) {
        answered = true;
        const [, port, rss] = m;
        // Serving means answering: the status API must say the database is ready.
        void fetch(`http://127.0.0.1:${port}/readyz`).then(
          async (r) => {
            const ms = performance.now() - t;
            const ok = r.status === 200;
            const body = await r.text();
            child.once('exit', () => (ok ? resolve({ ms, rssMiB: Number(rss) }) : reject(new Error(`/readyz answered ${r.status}: ${body}`))));
            child.kill('SIGTERM');
          },
          (e: unknown) => {
            child.kill('SIGTERM');
            reject(e instanceof Error ? e : new Error(String(e)));
          },
        );
      }
    });
    child.once('exit', (code) => {
      if (!answered) reject(new Error(`start exited with ${code}: ${log.slice(-4000)}`));
    });
  });
}

function emptyTsx(script: string): Promise<number> {
  const t = performance.now();
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [script], { cwd: ROOT, stdio: 'ignore' });
  return new Promise((resolve) => child.once('exit', () => resolve(performance.now() - t)));
}

async function admin(url: string, q: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

function targets(pgUrl: string | null): Target[] {
  const sqlite: Target = {
    name: 'SQLite',
    fresh: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'wf-bench-start-'));
      return { env: {}, args: ['--data-dir', dir], done: () => rm(dir, { recursive: true, force: true }) };
    },
  };
  if (!pgUrl) return [sqlite];
  const postgres: Target = {
    name: 'PostgreSQL',
    fresh: async () => {
      // `watchfloor start` uses a database's public schema: a fresh database per cold start.
      const name = `wf_bench_start_${randomBytes(4).toString('hex')}`;
      await admin(pgUrl, `create database ${name}`);
      const url = new URL(pgUrl);
      url.pathname = `/${name}`;
      const dir = await mkdtemp(join(tmpdir(), 'wf-bench-start-pg-'));
      return {
        env: { DATABASE_URL: url.toString() },
        args: ['--data-dir', dir],
        done: async () => {
          await admin(pgUrl, `drop database if exists ${name} with (force)`);
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  };
  return [sqlite, postgres];
}

/** Runs the start-up benchmark on each engine. */
export async function benchStartup(pgUrl: string | null): Promise<BenchResult[]> {
  const runs = repetitions(5, 1);
  const demoData = benchScale() >= 0.01;
  const base: number[] = [];
  const scratch = await mkdtemp(join(tmpdir(), 'wf-bench-empty-'));
  const script = join(scratch, 'empty.ts');
  await writeFile(script, 'export {};\n');
  for (let i = 0; i < runs; i++) base.push(await emptyTsx(script));
  await rm(scratch, { recursive: true, force: true });
  const floor = median(base);
  const out: BenchResult[] = [{ name: 'start: node + TypeScript loader, empty script (floor)', value: floor, unit: 'ms' }];
  const loaded = demoData ? 'migrate, geography, PCI, demo data' : 'migrate, geography, PCI; tiny run: no demo data';
  for (const target of targets(pgUrl)) {
    const cold: Started[] = [];
    const warm: Started[] = [];
    for (let i = 0; i < runs; i++) {
      const db = await target.fresh();
      try {
        cold.push(await startOnce(db, demoData));
        warm.push(await startOnce(db, demoData));
      } finally {
        await db.done();
      }
    }
    const c = median(cold.map((x) => x.ms));
    const w = median(warm.map((x) => x.ms));
    out.push(
      { name: `start, ${target.name}: to serving, empty database (${loaded})`, value: c, unit: 'ms', ratio: c / floor, against: 'floor' },
      { name: `start, ${target.name}: to serving, loaded database`, value: w, unit: 'ms', ratio: w / floor, against: 'floor' },
      { name: `start, ${target.name}: resident memory when serving (loaded database)`, value: median(warm.map((x) => x.rssMiB)), unit: 'MiB' },
    );
  }
  return out;
}
