import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ANONYMOUS, apiTokenCreateSchema, ROLES } from '@watchfloor/core';
import { openStore, type Store } from '@watchfloor/db';
import { IdentityService, buildApp, type AppContext } from '@watchfloor/server';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** value ÷ the baseline measured in the same run, when the bench has one. */
  ratio?: number;
  /**
   * What `ratio` is against when it is not a baseline: a floor (a part of the
   * work, measured in the same run, that no faster way could skip) or another
   * channel of the product the goal compares with (e.g. 'push').
   */
  against?: string;
  /** value ÷ a goal (a target set by the project, never a measurement): printed apart from baselines. */
  goal?: number;
}

/**
 * WATCHFLOOR_BENCH_SCALE, 0 < s ≤ 1 (default 1): the share of the full
 * workload a bench runs. CI runs every bench at 0.001.
 */
export function benchScale(): number {
  const scale = Number(process.env.WATCHFLOOR_BENCH_SCALE ?? '1');
  if (!(scale > 0 && scale <= 1)) throw new Error(`WATCHFLOOR_BENCH_SCALE must be in (0, 1], not ${process.env.WATCHFLOOR_BENCH_SCALE}`);
  return scale;
}

/**
 * How many times to repeat a measurement: `full` at a real scale, fewer on
 * a tiny run (scale < 0.01), where the point is that the bench still works,
 * not its figures.
 */
export function repetitions(full: number, tiny = 1): number {
  return benchScale() < 0.01 ? Math.min(full, tiny) : full;
}

/**
 * Fails the bench unless the measured answer is not empty and equals the
 * baseline's: a figure is only worth printing when both sides did the same
 * work. Answers are compared as JSON, so give both in one canonical shape.
 */
export function assertSameAnswer(what: string, answer: unknown, baseline: unknown): void {
  const a = JSON.stringify(answer);
  const b = JSON.stringify(baseline);
  const empty = (x: unknown) => x === null || x === undefined || (Array.isArray(x) && x.length === 0) || (typeof x === 'object' && Object.keys(x).length === 0);
  if (empty(answer) || empty(baseline)) throw new Error(`${what}: an empty answer (${a.slice(0, 200)} vs baseline ${b.slice(0, 200)}); nothing to compare`);
  if (a !== b) throw new Error(`${what}: the answer differs from the baseline's:\n  answer   ${a.slice(0, 600)}\n  baseline ${b.slice(0, 600)}`);
}

/** What the observation table holds (rows, sum of values to 3 decimals): the answer of every write bench. */
export async function storedObservations(store: Store): Promise<{ rows: number; sum: string }> {
  const r = await store.db
    .selectFrom('observation')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('value').as('sum')])
    .executeTakeFirstOrThrow();
  return { rows: Number(r.n), sum: Number(r.sum).toFixed(3) };
}

/** A running app on loopback and an API token, as a client holds one. */
export interface BenchServer {
  base: string;
  /** An administrator's API token (every role), made by the product's IdentityService as the CLI and the API make one. */
  token: string;
  /** A request to the server with the token; throws unless the answer is 2xx. */
  call: <T>(method: string, path: string, body?: unknown) => Promise<T>;
  app: Awaited<ReturnType<typeof buildApp>>;
  close: () => Promise<void>;
}

/** Serves the app of `ctx` on 127.0.0.1 (a free port) and makes an API token holding every role. */
export async function serveBench(ctx: AppContext): Promise<BenchServer> {
  const app = await buildApp(ctx, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the bench server has no port');
  const base = `http://127.0.0.1:${address.port}`;
  const { token } = await new IdentityService(ctx).createToken(apiTokenCreateSchema.parse({ name: 'bench', roles: ROLES.map((role) => ({ role })) }), ANONYMOUS);
  const call = <T>(method: string, path: string, body?: unknown): Promise<T> => apiCall<T>(base, token, method, path, body);
  return { base, token, call, app, close: () => app.close() };
}

/** One JSON call to a server with an API token; a status of 300 or more throws with the answer. */
export async function apiCall<T>(base: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : null) as T;
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
