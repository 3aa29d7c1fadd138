import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixedClock } from '@watchfloor/core';
import { openStore } from '@watchfloor/db';
import { buildApp, loadConfig } from '@watchfloor/server';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'packages/cli/src/main.ts');

function run(args: string[], input?: string) {
  const r = spawnSync(TSX, [MAIN, ...args], { cwd: ROOT, env: { ...process.env, WATCHFLOOR_LOG_LEVEL: 'silent' }, input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('watchfloor users', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wf-users-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('creates the first administrator from a password file, who can then sign in', async () => {
    const dataDir = join(dir, 'data');
    const file = join(dir, 'password.txt');
    await writeFile(file, 'a long admin password\n', { mode: 0o600 });
    const created = run(['users', 'create-admin', '--data-dir', dataDir, '--login', 'Root', '--display-name', 'Quản trị', '--password-file', file]);
    expect(created.code, created.err).toBe(0);
    expect(created.out).toContain('Administrator root created');
    expect(created.out).not.toContain('a long admin password');

    // A second administrator from standard input.
    const piped = run(['users', 'create-admin', '--data-dir', dataDir, '--login', 'second'], 'another admin password\n');
    expect(piped.code, piped.err).toBe(0);
    // There is no way to give the password on the command line.
    expect(run(['users', 'create-admin', '--data-dir', dataDir, '--login', 'x', '--password', 'a long admin password']).code).not.toBe(0);

    const list = run(['users', 'list', '--data-dir', dataDir]);
    expect(list.out).toMatch(/root\s+active\s+administrator\s+Quản trị/);
    expect(list.out).toMatch(/second\s+active\s+administrator/);

    const store = openStore({ sqlitePath: join(dataDir, 'watchfloor.sqlite') });
    const app = await buildApp({ store, clock: fixedClock('2026-11-28T03:00:00Z'), config: loadConfig({ WATCHFLOOR_LOG_LEVEL: 'silent' }) }, { logger: false });
    try {
      const r = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { login: 'root', password: 'a long admin password' } });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ user: { login: 'root', mustChangePassword: false, roles: [{ role: 'administrator' }] } });
      expect((await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { login: 'second', password: 'another admin password' } })).statusCode).toBe(200);
      // Made on the server's own command line: recorded as the account that ran it, never with the password.
      const audit = await store.db.selectFrom('audit_event').select(['actor', 'action', 'entity_key', 'after']).where('action', '=', 'user.create').orderBy('id').execute();
      expect(audit.map((e) => [e.action, e.entity_key])).toEqual([
        ['user.create', 'root'],
        ['user.create', 'second'],
      ]);
      expect(audit.every((e) => /^cli:\S+$/.test(e.actor))).toBe(true);
      expect(JSON.stringify(audit)).not.toContain('a long admin password');
    } finally {
      await app.close();
      await store.close();
    }
  });
});
