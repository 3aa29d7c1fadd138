import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql, type RawBuilder, type Transaction } from 'kysely';
import pg from 'pg';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { postgresNotifier, type Notifier } from './notify';
import type { Database } from './schema';

/**
 * The one place where the two engines differ. Everything else talks to
 * Kysely and stays engine-neutral; when a query needs engine-specific SQL
 * (time bucketing, bulk load, notifications, job claiming), the variant
 * lives here, keyed by `engine`.
 */
export type Engine = 'sqlite' | 'postgres';

export interface StoreOptions {
  /** postgres:// URL; when absent the embedded SQLite engine is used. */
  databaseUrl?: string | undefined;
  /** SQLite file path, or ':memory:'. */
  sqlitePath?: string | undefined;
  /** PostgreSQL schema to use (tests isolate themselves in a schema of their own). */
  pgSchema?: string | undefined;
  /** Maximum PostgreSQL connections. */
  pgPoolSize?: number | undefined;
}

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  /** Where the data lives, without credentials, for logs and `watchfloor status`. */
  location: string;
  /** The PostgreSQL schema the store works in, when not the default search path. */
  pgSchema?: string | undefined;
  bulk: BulkWriter;
  /** Cross-process notifications (PostgreSQL LISTEN/NOTIFY); absent on SQLite, which runs in one process. */
  notifier?: Notifier | undefined;
  close(): Promise<void>;
}

const PG_DATE = 1082;
const PG_TIMESTAMPTZ = 1184;
const PG_TIMESTAMP = 1114;
const PG_INT8 = 20;
const PG_NUMERIC = 1700;

function pgTypes(): pg.CustomTypesConfig {
  const timestampParser = pg.types.getTypeParser(PG_TIMESTAMPTZ);
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      switch (oid) {
        case PG_DATE:
          return (v: string) => v;
        case PG_TIMESTAMPTZ:
        case PG_TIMESTAMP:
          return (v: string) => (timestampParser(v) as Date).toISOString();
        case PG_INT8:
        case PG_NUMERIC:
          return (v: string) => Number(v);
        default:
          return pg.types.getTypeParser(oid, format);
      }
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

/** A URL safe to print: no password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable database URL)';
  }
}

export function openStore(options: StoreOptions): Store {
  if (options.databaseUrl) {
    const schema = options.pgSchema;
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.pgPoolSize ?? 10,
      types: pgTypes(),
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // A pooled client that errors while idle must not take the process down.
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      engine: 'postgres',
      pgSchema: schema,
      bulk: postgresBulkWriter,
      notifier: postgresNotifier(db, options.databaseUrl),
      location: `PostgreSQL ${redactUrl(options.databaseUrl)}${schema ? ` (schema ${schema})` : ''}`,
      close: () => db.destroy(),
    };
  }
  const path = options.sqlitePath ?? ':memory:';
  if (path !== ':memory:') ownerOnly(path);
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    engine: 'sqlite',
    bulk: sqliteBulkWriter(sqlite),
    location: path === ':memory:' ? 'SQLite (in memory)' : `SQLite ${path}`,
    close: () => db.destroy(),
  };
}

/** The files SQLite keeps beside a database: its write-ahead log and shared-memory index. */
const SQLITE_COMPANIONS = ['-wal', '-shm', '-journal'];

/**
 * Makes the embedded database readable by its owner only: the folder is
 * created 0700 and the file 0600 before SQLite opens it. SQLite gives its
 * WAL and shared-memory files the mode of the database file, so they follow;
 * files left 0644 by an earlier version are narrowed too. The umask cannot
 * widen these (it only removes bits).
 */
function ownerOnly(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // 'a' creates the file when missing and never truncates an existing one.
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, ...SQLITE_COMPANIONS.map((suffix) => path + suffix)]) if (existsSync(file)) chmodSync(file, 0o600);
}

/** Whether the database answers a trivial query. */
export async function ping(store: Store): Promise<boolean> {
  try {
    await sql`select 1`.execute(store.db);
    return true;
  } catch {
    return false;
  }
}

/** The engine's own version string. */
export async function engineVersion(store: Store): Promise<string> {
  const q = store.engine === 'postgres' ? sql<{ v: string }>`select version() as v` : sql<{ v: string }>`select 'SQLite ' || sqlite_version() as v`;
  const r = await q.execute(store.db);
  return r.rows[0]?.v ?? 'unknown';
}

/** A column written by a bulk insert, with its PostgreSQL type for the array parameter. */
export interface BulkColumn {
  name: string;
  pgType: 'text' | 'integer' | 'double precision' | 'date' | 'timestamptz';
}

/**
 * Fast multi-row writes, the one place they differ by engine: SQLite runs
 * one prepared statement per row on its single connection (inside whatever
 * transaction is open there); PostgreSQL sends each column as one array and
 * inserts from `unnest`. `suffix` is appended verbatim (ON CONFLICT …,
 * RETURNING id), so callers keep their SQL in the data layer.
 */
export interface BulkWriter {
  /**
   * The rows of `table` matching any of `keys` on `keyColumns` (each key one
   * value per key column), with `select` columns: an index lookup per key,
   * whatever the number of keys.
   */
  lookup<T>(db: Kysely<Database> | Transaction<Database>, table: string, keyColumns: readonly BulkColumn[], keys: readonly (readonly unknown[])[], select: readonly string[]): Promise<T[]>;
  insert(db: Kysely<Database> | Transaction<Database>, table: string, columns: readonly BulkColumn[], rows: readonly (readonly unknown[])[], suffix?: string): Promise<{ id: number }[]>;
  /**
   * Inserts the rows whose `conflictColumns` (columns listed in `columns`,
   * a unique key of the table) are not stored yet, leaving the others
   * untouched, and says which were inserted, row by row. One statement on
   * PostgreSQL, so a batch of new rows costs one pass over the unique index
   * instead of a lookup and then an insert.
   */
  insertMissing(db: Kysely<Database> | Transaction<Database>, table: string, columns: readonly BulkColumn[], rows: readonly (readonly unknown[])[], conflictColumns: readonly string[]): Promise<boolean[]>;
}

/** Rows written between two turns of the event loop: about a few milliseconds of SQLite work each. */
const SLICE = 500;

/**
 * Lets the event loop answer other requests (health probes, live streams,
 * reads waiting their turn) between slices of a long write: SQLite works on
 * the main thread, and a batch of thousands of rows would otherwise hold it
 * for its whole length. The transaction stays open; every other use of the
 * connection waits for it as it would anyway.
 */
const breathe = (i: number): Promise<void> | null => (i > 0 && i % SLICE === 0 ? new Promise((resolve) => setImmediate(resolve)) : null);

export function sqliteBulkWriter(sqlite: BetterSqlite3.Database): BulkWriter {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    async lookup<T>(_db: unknown, table: string, keyColumns: readonly BulkColumn[], keys: readonly (readonly unknown[])[], select: readonly string[]) {
      const text = `select ${select.join(', ')} from ${table} where ${keyColumns.map((c) => `${c.name} = ?`).join(' and ')}`;
      let stmt = statements.get(text);
      if (!stmt) {
        stmt = sqlite.prepare(text);
        statements.set(text, stmt);
      }
      const out: T[] = [];
      for (const [i, k] of keys.entries()) {
        await breathe(i);
        for (const r of stmt.all(...k)) out.push(r as T);
      }
      return out;
    },
    async insert(_db, table, columns, rows, suffix = '') {
      const text = `insert into ${table} (${columns.map((c) => c.name).join(', ')}) values (${columns.map(() => '?').join(', ')}) ${suffix}`;
      let stmt = statements.get(text);
      if (!stmt) {
        stmt = sqlite.prepare(text);
        statements.set(text, stmt);
      }
      const out: { id: number }[] = [];
      for (const [i, r] of rows.entries()) {
        await breathe(i);
        if (stmt.reader) out.push(stmt.get(...r) as { id: number });
        else stmt.run(...r);
      }
      return out;
    },
    async insertMissing(_db, table, columns, rows, conflictColumns) {
      const text = `insert into ${table} (${columns.map((c) => c.name).join(', ')}) values (${columns.map(() => '?').join(', ')}) on conflict (${conflictColumns.join(', ')}) do nothing`;
      let stmt = statements.get(text);
      if (!stmt) {
        stmt = sqlite.prepare(text);
        statements.set(text, stmt);
      }
      const inserted: boolean[] = [];
      for (const [i, r] of rows.entries()) {
        await breathe(i);
        inserted.push(stmt.run(...r).changes === 1);
      }
      return inserted;
    },
  };
}

export const postgresBulkWriter: BulkWriter = {
  async lookup<T>(db: Kysely<Database> | Transaction<Database>, table: string, keyColumns: readonly BulkColumn[], keys: readonly (readonly unknown[])[], select: readonly string[]) {
    if (keys.length === 0) return [];
    const text = `select ${select.map((c) => `t.${c}`).join(', ')} from ${table} t join unnest(${keyColumns.map((c, i) => `$${i + 1}::${c.pgType}[]`).join(', ')}) as k(${keyColumns.map((c) => c.name).join(', ')}) on ${keyColumns.map((c) => `t.${c.name} = k.${c.name}`).join(' and ')}`;
    const result = await db.executeQuery<T>(CompiledQuery.raw(text, keyColumns.map((_, i) => keys.map((k) => k[i]))));
    return result.rows;
  },
  async insert(db, table, columns, rows, suffix = '') {
    if (rows.length === 0) return [];
    const text = `insert into ${table} (${columns.map((c) => c.name).join(', ')}) select * from unnest(${columns.map((c, i) => `$${i + 1}::${c.pgType}[]`).join(', ')}) ${suffix}`;
    const params = columns.map((_, i) => rows.map((r) => r[i]));
    const result = await db.executeQuery<{ id: number }>(CompiledQuery.raw(text, params));
    return result.rows;
  },
  async insertMissing(db, table, columns, rows, conflictColumns) {
    if (rows.length === 0) return [];
    const keyIndexes = conflictColumns.map((name) => {
      const i = columns.findIndex((c) => c.name === name);
      if (i === -1) throw new Error(`insertMissing: ${name} is not among the inserted columns`);
      return i;
    });
    // The inserted rows come back as their key only; the row order of RETURNING is not guaranteed, so rows are matched by key.
    const text =
      `insert into ${table} (${columns.map((c) => c.name).join(', ')}) select * from unnest(${columns.map((c, i) => `$${i + 1}::${c.pgType}[]`).join(', ')}) ` +
      `on conflict (${conflictColumns.join(', ')}) do nothing returning ${conflictColumns.join(', ')}`;
    const params = columns.map((_, i) => rows.map((r) => r[i]));
    const result = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, params));
    const keyOf = (values: readonly unknown[]) => JSON.stringify(values.map(String));
    const inserted = new Set(result.rows.map((r) => keyOf(conflictColumns.map((c) => r[c]))));
    return rows.map((r) => inserted.has(keyOf(keyIndexes.map((i) => r[i]))));
  },
};

/**
 * Engine-specific SQL fragments used by set-based statements: the month
 * (YYYY-MM) of a date column.
 */
export function monthOf(engine: Engine, column: string): RawBuilder<string> {
  return engine === 'postgres' ? sql<string>`to_char(${sql.ref(column)}, 'YYYY-MM')` : sql<string>`substr(${sql.ref(column)}, 1, 7)`;
}
