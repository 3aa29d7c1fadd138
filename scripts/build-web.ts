import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the web app (packages/web → packages/web/dist) when the build is
 * missing or older than its sources, so `npm start` always serves the app
 * of the checked-out code. `--force` builds anyway. The end-to-end tests call
 * ensureWebBuilt() too; a lock directory keeps parallel callers from
 * building over each other.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB = join(ROOT, 'packages/web');
const DIST = join(WEB, 'dist');
/** Written after a successful build; vite empties dist/ first, so a failed build leaves none. */
const STAMP = join(DIST, '.built');
const LOCK = join(ROOT, 'node_modules/.cache/watchfloor-web-build.lock');
/** What the bundle is made of: the app's own files and the core package it imports. */
const INPUTS = [join(WEB, 'src'), join(WEB, 'index.html'), join(WEB, 'public'), join(WEB, 'vite.config.ts'), join(WEB, 'package.json'), join(ROOT, 'packages/core/src')];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Why the build must be (re)made, or null when dist/ is newer than every source. */
export function webBuildStaleness(): string | null {
  if (!existsSync(STAMP)) return 'no build yet';
  const built = statSync(STAMP).mtimeMs;
  const newest = Math.max(...INPUTS.map(newestMtime));
  return newest > built ? 'sources changed since the last build' : null;
}

function build(): void {
  const vite = join(ROOT, 'node_modules/.bin/vite');
  // A production build whoever calls (vitest sets NODE_ENV=test, which would bundle React's development build).
  const r = spawnSync(vite, ['build', '--config', join(WEB, 'vite.config.ts')], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status ?? r.signal})`);
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Builds the web app unless an up-to-date build exists; waits for a build another process is making. */
export async function ensureWebBuilt(options: { force?: boolean; log?: (line: string) => void } = {}): Promise<'built' | 'fresh'> {
  const log = options.log ?? ((line: string) => console.log(line));
  mkdirSync(join(LOCK, '..'), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another process is building; a lock older than the deadline is left over from a crash.
      if (Date.now() > deadline) rmSync(LOCK, { recursive: true, force: true });
      await sleep(250);
    }
  }
  try {
    const reason = options.force ? 'asked to' : webBuildStaleness();
    if (reason === null) return 'fresh';
    log(`Building the web app (${reason}) …`);
    build();
    return 'built';
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureWebBuilt({ force: process.argv.includes('--force') }).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
