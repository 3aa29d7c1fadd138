import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, type BenchResult } from './util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * `watchfloor start` on the embedded engine, measured from outside as a
 * user sees it: time from spawning the process to the "serving" log line,
 * and its resident memory then. Cold = empty data directory (migrations and
 * the geography load included); warm = the same directory again. Baseline:
 * spawning Node with the same TypeScript loader running an empty script.
 */
function startOnce(dataDir: string): Promise<{ ms: number; rssMiB: number }> {
  const t = performance.now();
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'packages/cli/src/main.ts'), 'start', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      log += b.toString();
      const m = /"rssMiB":(\d+).*"msg":"Watchfloor is serving"/.exec(log);
      if (m) {
        const ms = performance.now() - t;
        child.once('exit', () => resolve({ ms, rssMiB: Number(m[1]) }));
        child.kill('SIGTERM');
      }
    });
    child.once('exit', (code) => {
      if (!/Watchfloor is serving/.test(log)) reject(new Error(`start exited with ${code}: ${log}`));
    });
  });
}

function emptyTsx(script: string): Promise<number> {
  const t = performance.now();
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [script], { cwd: ROOT, stdio: 'ignore' });
  return new Promise((resolve) => child.once('exit', () => resolve(performance.now() - t)));
}

export async function benchStartup(runs = 5): Promise<BenchResult[]> {
  const base: number[] = [];
  const scratch = await mkdtemp(join(tmpdir(), 'wf-bench-empty-'));
  const script = join(scratch, 'empty.ts');
  await writeFile(script, 'export {};\n');
  for (let i = 0; i < runs; i++) base.push(await emptyTsx(script));
  await rm(scratch, { recursive: true, force: true });
  const baseline = median(base);
  const cold: { ms: number; rssMiB: number }[] = [];
  const warm: { ms: number; rssMiB: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = await mkdtemp(join(tmpdir(), 'wf-bench-start-'));
    try {
      cold.push(await startOnce(dir));
      warm.push(await startOnce(dir));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return [
    { name: 'start: node + TypeScript loader, empty script (baseline)', value: baseline, unit: 'ms' },
    { name: 'start: to serving, empty database (migrate, geography, PCI, demo data)', value: median(cold.map((c) => c.ms)), unit: 'ms', ratio: median(cold.map((c) => c.ms)) / baseline },
    { name: 'start: to serving, loaded database', value: median(warm.map((c) => c.ms)), unit: 'ms', ratio: median(warm.map((c) => c.ms)) / baseline },
    { name: 'start: resident memory when serving (loaded database)', value: median(warm.map((c) => c.rssMiB)), unit: 'MiB' },
  ];
}
