import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type Store, type StoreOptions } from '@watchfloor/db';
import { withPgSchema } from './util';

/**
 * The server of a bench run as a child process (bench/server-process.ts),
 * so that the memory it reads (/proc/<pid>/status) is the server's alone,
 * not the bench client's, which builds inputs and reads answers.
 */

export interface ChildEngine {
  name: 'SQLite' | 'PostgreSQL';
  /** A fresh database, and how the child server opens it. */
  open: () => Promise<{ store: Store; options: StoreOptions; done: () => Promise<void> }>;
}

/** A fresh SQLite file, and a fresh PostgreSQL schema when a server answers. */
export function childEngines(pgUrl: string | null, sqlitePrefix: string): ChildEngine[] {
  const sqlite: ChildEngine = {
    name: 'SQLite',
    open: async () => {
      const dir = await mkdtemp(join(tmpdir(), sqlitePrefix));
      const options = { sqlitePath: join(dir, 'bench.db') };
      const store = openStore(options);
      return { store, options, done: async () => (await store.close(), await rm(dir, { recursive: true, force: true })) };
    },
  };
  if (!pgUrl) return [sqlite];
  const postgres: ChildEngine = {
    name: 'PostgreSQL',
    open: async () => {
      const { store, done } = await withPgSchema(pgUrl);
      return { store, options: { databaseUrl: pgUrl, pgSchema: store.pgSchema }, done };
    },
  };
  return [sqlite, postgres];
}

/** The server process: its base URL, its pid, and a stop that waits for it to exit. */
export interface ChildServer {
  base: string;
  pid: number;
  stop: () => Promise<void>;
}

/**
 * The heap the server runs with, as `npm start` starts it (package.json
 * `config.heapMb`): a bounded heap keeps V8 collecting while a long export
 * churns through rows, where an unbounded one lets garbage pile up first.
 */
const HEAP_MB = (JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { config: { heapMb: string } }).config.heapMb;

/** Starts the server on the store `options` name, its clock fixed at `now`, and waits until it listens. */
export async function startChildServer(options: StoreOptions, now: string): Promise<ChildServer> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./server-process.ts', import.meta.url)), [], {
    execArgv: [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx'],
    env: { ...process.env, WATCHFLOOR_BENCH_STORE: JSON.stringify(options), WATCHFLOOR_BENCH_NOW: now },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`the bench server exited (${code}) before serving`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: async () => {
      child.send('close');
      await exited;
    },
  };
}

/** A line of /proc/<pid>/status in MiB: VmRSS (now) or VmHWM (the peak since start, or since `resetPeak`). */
export async function memoryMiB(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
  if (!kb) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(kb) / 1024;
}

/**
 * Starts the process's peak RSS anew from its present RSS (Linux: "5" to
 * /proc/<pid>/clear_refs), so that VmHWM then reads the peak of what
 * follows, not of the start-up. False where the kernel does not allow it.
 */
export async function resetPeak(pid: number): Promise<boolean> {
  try {
    await writeFile(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
