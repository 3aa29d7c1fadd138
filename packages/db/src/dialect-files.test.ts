import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from './dialect';

/** The permission bits of a file or folder (0o777 at most). */
const mode = (path: string) => statSync(path).mode & 0o777;

/**
 * The embedded database holds password hashes, encrypted credentials and
 * every case's reporter: only the account the server runs as may read it.
 * (PostgreSQL keeps its own files; only the embedded engine writes here.)
 */
describe('embedded database files', () => {
  let root = '';
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('creates the data folder 0700 and the database, its WAL and shared-memory files 0600', async () => {
    root = mkdtempSync(join(tmpdir(), 'wf-modes-'));
    const dir = join(root, 'var');
    const path = join(dir, 'watchfloor.sqlite');
    const store = openStore({ sqlitePath: path });
    try {
      // A write makes SQLite create the WAL and its index.
      await sql`create table t (x integer)`.execute(store.db);
      await sql`insert into t values (1)`.execute(store.db);
      expect(mode(dir)).toBe(0o700);
      expect(mode(path)).toBe(0o600);
      expect(mode(`${path}-wal`)).toBe(0o600);
      expect(mode(`${path}-shm`)).toBe(0o600);
    } finally {
      await store.close();
    }
  });

  it('narrows a database an earlier version left readable by everyone', async () => {
    root = mkdtempSync(join(tmpdir(), 'wf-modes-'));
    const path = join(root, 'watchfloor.sqlite');
    writeFileSync(path, '');
    chmodSync(path, 0o644);
    const store = openStore({ sqlitePath: path });
    try {
      await sql`create table t (x integer)`.execute(store.db);
      expect(mode(path)).toBe(0o600);
      expect(mode(`${path}-wal`)).toBe(0o600);
    } finally {
      await store.close();
    }
  });
});
