import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '@watchfloor/db';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'packages/cli/src/main.ts');

/** Runs `watchfloor` as a user would, with its own data directory. */
function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(TSX, [MAIN, ...args], { cwd: ROOT, env: { ...process.env, WATCHFLOOR_DEMO_DATA: 'true', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The audit log of a data directory's embedded database, oldest first. */
async function auditOf(dataDir: string): Promise<{ actor: string; action: string; entity_key: string }[]> {
  const store = openStore({ sqlitePath: join(dataDir, 'watchfloor.sqlite') });
  try {
    return await store.db.selectFrom('audit_event').select(['actor', 'action', 'entity_key']).orderBy('id').execute();
  } finally {
    await store.close();
  }
}

describe('the watchfloor command', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wf-cli-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('explains itself', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['start', 'migrate', 'load-geography', 'status']) expect(r.out).toContain(cmd);
    expect(r.out).toContain('DATABASE_URL');
  });

  it('refuses bad configuration with a readable message and exit code 2', () => {
    const r = run(['status'], { WATCHFLOOR_PORT: 'eighty' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('Invalid configuration');
    expect(r.err).toContain('WATCHFLOOR_PORT="eighty"');
    expect(r.err).not.toMatch(/\s+at .*\.ts:\d+/);
  });

  it('migrates, loads the geography once, and reports status', () => {
    const dataDir = join(dir, 'a');
    expect(run(['migrate', '--data-dir', dataDir]).out).toMatch(/Applied \d+ migration/);
    const first = run(['load-geography', '--data-dir', dataDir]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Geography loaded in \d+ ms/);
    expect(first.out).toContain('13356 commune');
    const second = run(['load-geography', '--data-dir', dataDir]);
    expect(second.out).toMatch(/Geography unchanged/);
    const status = run(['status', '--data-dir', dataDir, '--json']);
    const s = JSON.parse(status.out) as { migrations: { pending: string[] }; places: Record<string, number>; organisations: number };
    expect(s.migrations.pending).toEqual([]);
    expect(s.places.province).toBe(97);
    expect(s.organisations).toBeGreaterThan(200);
  });

  it('registers a source, prints its push token once, and lists it', () => {
    const dataDir = join(dir, 'a');
    const added = run(['sources', 'add', '--data-dir', dataDir, '--code', 'STC-PUSH', '--name', 'Sở Tài chính', '--kind', 'http_push', '--owner', 'VL-STC', '--monthly', '5']);
    expect(added.code, added.err).toBe(0);
    expect(added.out).toMatch(/Push token \(shown once, keep it\): wfp_\S{43}/);
    const again = run(['sources', 'add', '--data-dir', dataDir, '--code', 'STC-PUSH', '--name', 'x', '--kind', 'file', '--owner', 'VL-STC']);
    expect([again.code, again.err.trim()]).toEqual([1, 'source_exists: A source with code STC-PUSH exists already']);
    expect(run(['sources', 'add', '--data-dir', dataDir, '--code', 'X', '--name', 'x', '--kind', 'fax', '--owner', 'VL-STC']).code).toBe(2);
    const list = run(['sources', 'list', '--data-dir', dataDir, '--json']);
    expect(JSON.parse(list.out)).toEqual([expect.objectContaining({ source: 'STC-PUSH', kind: 'http_push', ownerOrganisationCode: 'VL-STC', state: 'awaiting' })]);
    expect(list.out).not.toContain('wfp_');
  });

  it('changes a source, issues a new token, lists its runs and ranks what is late', async () => {
    const db = ['--data-dir', join(dir, 'a')];
    const changed = run(['sources', 'update', 'STC-PUSH', ...db, '--disable', '--schedule', 'PT15M', '--expected', 'PT0S']);
    expect(changed.code, changed.err).toBe(0);
    expect(changed.out).toContain('Source STC-PUSH updated: disabled, schedule PT15M, expected every PT0S, owner VL-STC');
    // Disabled: never counted late.
    expect(JSON.parse(run(['sources', 'late', ...db, '--json']).out)).toMatchObject({ sources: [], agencies: [] });
    expect(run(['sources', 'update', 'STC-PUSH', ...db, '--enable']).out).toContain('enabled');
    // Due as soon as registered (PT0S) and nothing arrived: late, and its agency is the one to remind.
    const late = run(['sources', 'late', ...db]);
    expect(late.code, late.err).toBe(0);
    expect(late.out).toMatch(/VL-STC\s+1 source\(s\), 0 indicator\(s\) late since \d{4}-\d{2}-\d{2}T/);
    expect(late.out).toMatch(/Late sources:\n {2}STC-PUSH/);
    expect(run(['sources', 'update', 'STC-PUSH', ...db, '--expected', 'fortnightly']).code).toBe(2);
    const unknown = run(['sources', 'update', 'NOPE', ...db, '--expected', 'month:5']);
    expect([unknown.code, unknown.err.trim()]).toEqual([1, 'unknown_source: No source has code NOPE']);

    const token = run(['sources', 'token', 'STC-PUSH', ...db]);
    expect(token.code, token.err).toBe(0);
    expect(token.out).toMatch(/New push token for STC-PUSH \(shown once, keep it; the previous one no longer works\): wfp_\S{43}/);
    expect(run(['sources', 'runs', 'STC-PUSH', ...db]).out).toContain('Source STC-PUSH has no run yet');
    // Each change made here is in the audit log as the account that ran the command, the new token never.
    const audit = await auditOf(join(dir, 'a'));
    expect(audit.map((e) => [e.action, e.entity_key])).toEqual([
      ['source.create', 'STC-PUSH'],
      ['source.update', 'STC-PUSH'],
      ['source.update', 'STC-PUSH'],
      ['source.token', 'STC-PUSH'],
    ]);
    expect(audit.every((e) => e.actor.startsWith('cli:'))).toBe(true);
    expect(JSON.stringify(audit)).not.toMatch(/wfp_/);
    // Ten commands, each starting a process: the cli project's bound (vitest.config.ts) is for a loaded machine.
  });

  it('starts a server that answers, and stops cleanly on SIGTERM', async () => {
    const child = spawn(TSX, [MAIN, 'start', '--port', '0', '--host', '127.0.0.1', '--data-dir', join(dir, 'b')], {
      cwd: ROOT,
      // Without the demo data set: what is checked here is the command's own life (the first start migrates and loads the
      // geography, serves, and stops on SIGTERM); the demo's loading has its own tests and the browser tests start with it.
      env: { ...process.env, WATCHFLOOR_LOG_LEVEL: 'info', WATCHFLOOR_DEMO_DATA: 'false' },
    });
    let log = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGTERM');
        reject(new Error(`server did not start:\n${log}`));
      }, 110_000);
      child.stdout.on('data', (b: Buffer) => {
        log += b.toString();
        const m = /"url":"(http:\/\/localhost:\d+\/)".*"msg":"Watchfloor is serving"/.exec(log);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.on('exit', () => reject(new Error(`server exited:\n${log}`)));
    });
    const ready = await fetch(`${url}readyz`);
    expect(ready.status).toBe(200);
    const place = (await (await fetch(`${url}api/places/86`)).json()) as { name: string };
    expect(place.name).toBe('Tỉnh Vĩnh Long');
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // A first start migrates and loads the geography: slow on a busy machine.
  }, 120_000);
});
