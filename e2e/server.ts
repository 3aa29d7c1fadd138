import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real `watchfloor start` in a child process, for the browser tests and
 * their global setup (this module imports nothing of vitest, so the setup
 * can run it outside a test file).
 */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'packages/cli/src/main.ts');

/** Loading the demo data into a fresh database takes ~25 s, more on a loaded machine; a server on a copy of it starts in a few. */
export const SERVER_START_TIMEOUT = 150_000;

export interface RunningServer {
  url: string;
  origin: string;
  /** The server's data directory (the embedded database, demo-accounts.json). */
  dataDir: string;
  stop(): Promise<void>;
}

/** `watchfloor start` with the demo data on `dataDir`; stopping it removes the folder unless `keep`. */
export async function serveFrom(dataDir: string, opts: { keep?: boolean } = {}): Promise<RunningServer> {
  // The embedded database in the given folder, whatever the environment says.
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const child: ChildProcessWithoutNullStreams = spawn(TSX, [MAIN, 'start', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...env, WATCHFLOOR_LOG_LEVEL: 'info', WATCHFLOOR_DEMO_DATA: 'true' },
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    // A server that did not start in time is stopped, not left running after the test (tsx passes SIGTERM on to it).
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`server did not start:\n${log.slice(-4000)}`));
    }, SERVER_START_TIMEOUT - 10_000);
    child.stdout.on('data', (b: Buffer) => {
      log += b.toString();
      const m = /"url":"http:\/\/localhost:(\d+)\/".*"msg":"Watchfloor is serving"/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}/`);
      }
    });
    child.stderr.on('data', (b: Buffer) => (log += b.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${log.slice(-4000)}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (!opts.keep) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

