import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '@watchfloor/db';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** value ÷ the baseline measured in the same run, when the bench has one. */
  ratio?: number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** A store in a fresh PostgreSQL schema, dropped when done. */
export async function withPgSchema(url: string): Promise<{ store: Store; done: () => Promise<void> }> {
  const schema = `wf_bench_${randomBytes(5).toString('hex')}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await admin(`create schema ${schema}`);
  const store = openStore({ databaseUrl: url, pgSchema: schema });
  return {
    store,
    done: async () => {
      await store.close();
      await admin(`drop schema ${schema} cascade`);
    },
  };
}

/** A store in a fresh SQLite file, removed when done. */
export async function withSqliteFile(prefix: string): Promise<{ store: Store; done: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const store = openStore({ sqlitePath: join(dir, 'bench.db') });
  return { store, done: async () => (await store.close(), await rm(dir, { recursive: true, force: true })) };
}

export interface BenchEngine {
  name: 'SQLite' | 'PostgreSQL';
  open: () => Promise<{ store: Store; done: () => Promise<void> }>;
}

/** The engines a bench runs on: a fresh SQLite file, and a fresh PostgreSQL schema when a server answers. */
export function benchEngines(pgUrl: string | null, sqlitePrefix: string): BenchEngine[] {
  return [{ name: 'SQLite', open: () => withSqliteFile(sqlitePrefix) }, ...(pgUrl ? [{ name: 'PostgreSQL' as const, open: () => withPgSchema(pgUrl) }] : [])];
}

/** Whether a PostgreSQL server answers at the URL. */
export async function pgAvailable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}
