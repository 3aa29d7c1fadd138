import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureWebBuilt } from '../scripts/build-web';
import { serveFrom } from './server';

/**
 * Loads the demo data once for the browser tests: a real `watchfloor start`
 * on a fresh folder, stopped once it serves (which closes the database
 * cleanly). Each test file's server then starts on a copy of the folder
 * instead of loading the same data again, which took most of the suite's
 * time.
 */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Without a browser the suite is skipped (support.ts says why): nothing to seed for.
  if (!existsSync(process.env.WATCHFLOOR_CHROMIUM ?? '/usr/bin/chromium')) return () => Promise.resolve();
  await ensureWebBuilt({ log: () => undefined });
  const dir = await mkdtemp(join(tmpdir(), 'wf-e2e-template-'));
  const server = await serveFrom(dir, { keep: true });
  await server.stop();
  project.provide('demoTemplate', dir);
  return () => rm(dir, { recursive: true, force: true });
}
