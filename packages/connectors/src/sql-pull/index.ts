import { AppError, type Credentials, type SqlPullConfig } from '@watchfloor/core';
import type { PullConnector } from '../pull';
import type { ReadRow } from '../rows';
import { connectFailure, OutboundGuard } from '../outbound/index';
import { isLoginRefusal, sqlError } from './errors';
import { openMysql } from './mysql';
import { openPostgres, type DatabaseIdentity } from './postgres';
import type { ConnectionParts, SqlSession } from './session';
import { checkCursor, cursorText, RowReader, type SqlColumn } from './values';

/** More rows than this sharing one cursor value are refused: they are read at once, in memory. */
export const MAX_TIED_ROWS = 100_000;

export interface SqlPullOptions {
  /** Test seam: the limit on rows sharing one cursor value. */
  maxTiedRows?: number;
  /** The outbound guard the connection goes through; by default one that allows public addresses only. */
  guard?: OutboundGuard;
  /** Watchfloor's own PostgreSQL database, which a pull must not read (null on the embedded engine). */
  self?: DatabaseIdentity | null;
}

const ENGINE_NAME = { postgres: 'the PostgreSQL server', mysql: 'the MySQL / MariaDB server' } as const;
const SCHEMES = { postgres: ['postgres:', 'postgresql:'], mysql: ['mysql:', 'mariadb:'] } as const;

/** The connection from a source's credentials: `url`, or host, port, user (username), password, database. */
export function connectionParts(engine: SqlPullConfig['engine'], credentials: Credentials | null): ConnectionParts {
  const c = credentials ?? {};
  const url = c.url ?? c.uri;
  const parts: ConnectionParts = {};
  if (url) {
    let scheme: string;
    try {
      scheme = new URL(url).protocol;
    } catch {
      throw new AppError('invalid_pull_config', 'The url in the credentials is not a URL; write it like postgres://user:password@host:5432/database');
    }
    if (!(SCHEMES[engine] as readonly string[]).includes(scheme)) {
      throw new AppError('invalid_pull_config', `The url in the credentials is ${scheme}//…, but the pull reads from ${engine}; use ${SCHEMES[engine][0]}//…`);
    }
    parts.url = url;
  }
  if (c.host) parts.host = c.host;
  if (c.port) {
    const port = Number(c.port);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new AppError('invalid_pull_config', `The port in the credentials (${c.port}) is not a port number`);
    parts.port = port;
  }
  const user = c.user ?? c.username;
  if (user) parts.user = user;
  if (c.password !== undefined) parts.password = c.password;
  const database = c.database ?? c.dbname;
  if (database) parts.database = database;
  if (!parts.url && !parts.host) {
    throw new AppError('invalid_pull_config', `A SQL pull needs credentials: a url (${SCHEMES[engine][0]}//user:password@host/database) or host, port, user, password and database`);
  }
  return parts;
}

function secretsOf(parts: ConnectionParts): string[] {
  const out: string[] = [];
  if (parts.password) out.push(parts.password, encodeURIComponent(parts.password));
  if (parts.url) {
    try {
      const u = new URL(parts.url);
      if (u.password) out.push(u.password, decodeURIComponent(u.password));
    } catch {
      // Checked when the parts were read.
    }
  }
  return out;
}

function findColumn(columns: readonly SqlColumn[], name: string): SqlColumn {
  const exact = columns.find((c) => c.name === name);
  if (exact) return exact;
  const folded = columns.filter((c) => c.name.toLowerCase() === name.toLowerCase());
  if (folded.length === 1 && folded[0]) return folded[0];
  throw new AppError('invalid_pull_config', `The query has no column ${name} to read from (its columns: ${columns.map((c) => c.name).join(', ')})`);
}

/**
 * A pull from another agency's PostgreSQL or MySQL/MariaDB: the configured
 * SELECT, wrapped as a derived table and read in keyset pages by its cursor
 * column (`where cursor > :after order by cursor limit :pageSize`), inside
 * one read-only transaction (one snapshot) on one connection.
 *
 * Ties: when a full page ends on a value that more rows share, the rows of
 * that value are held back and read whole with `where cursor = :value`
 * before the next page starts after it, so no row is lost at a page
 * boundary and none is read twice. A row carries its own cursor value only
 * when it is the last of its value; the rows before it carry the value
 * before theirs, so a checkpoint taken in the middle of a tie makes the
 * next pull read the whole tie again (harmless: writes are idempotent)
 * instead of skipping its rest.
 */
export function sqlPullConnector(config: SqlPullConfig, credentials: Credentials | null, options: SqlPullOptions = {}): PullConnector {
  const parts = connectionParts(config.engine, credentials);
  const secrets = secretsOf(parts);
  const where = ENGINE_NAME[config.engine];
  const maxTied = options.maxTiedRows ?? MAX_TIED_ROWS;
  const guard = options.guard ?? new OutboundGuard();
  let session: SqlSession | null = null;

  const call = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw sqlError(e, where, secrets);
    }
  };

  const open = async (): Promise<SqlSession> => {
    if (session) return session;
    let opened: SqlSession;
    try {
      opened = config.engine === 'postgres' ? await openPostgres(parts, config.query, config.timeoutMs, guard, options.self ?? null) : await openMysql(parts, config.query, config.timeoutMs, guard);
    } catch (e) {
      // Before the login answered, every failure has one wording (a refused, silent or unknown host alike); a refused login is told as such.
      if (e instanceof AppError || isLoginRefusal(e)) throw sqlError(e, where, secrets);
      throw connectFailure(where, e);
    }
    session = opened;
    return opened;
  };

  async function* read(cursor: string | null, signal: AbortSignal): AsyncGenerator<ReadRow> {
    signal.throwIfAborted();
    const s = await open();
    const onAbort = () => {
      s.destroy();
      if (session === s) session = null;
    };
    signal.addEventListener('abort', onAbort, { once: true });
    let inTransaction = false;
    try {
      await call(() => s.begin());
      inTransaction = true;
      const columns = await call(() => s.columns());
      const cursorColumn = findColumn(columns, config.cursorColumn);
      const reader = new RowReader(columns);
      const key = (row: Record<string, unknown>): string => cursorText(row[cursorColumn.name], cursorColumn.kind) ?? '';
      let after = cursor ?? config.initialCursor;
      if (after !== null) checkCursor(after, cursorColumn);
      let line = 0;
      for (;;) {
        signal.throwIfAborted();
        const from = after;
        const page = await call(() => s.page(cursorColumn, from, config.pageSize));
        const full = page.length >= config.pageSize;
        let rows = page;
        if (full) {
          const last = key(page[page.length - 1] ?? {});
          let cut = page.length;
          while (cut > 0 && key(page[cut - 1] ?? {}) === last) cut--;
          const tied = await call(() => s.tied(cursorColumn, last, maxTied + 1));
          if (tied.length > maxTied) {
            throw new AppError('invalid_pull_config', `More than ${maxTied} rows share the cursor value ${last} of ${cursorColumn.name}; read from a column closer to unique (an id, a timestamp with seconds)`);
          }
          rows = page.slice(0, cut).concat(tied);
        }
        for (let i = 0; i < rows.length; i++) {
          const row = rows[i] ?? {};
          const k = key(row);
          const next = rows[i + 1];
          const lastOfValue = next === undefined || key(next) !== k;
          yield reader.read(row, ++line, lastOfValue ? k : (after ?? undefined));
          if (lastOfValue) after = k;
        }
        if (!full) return;
      }
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      throw e;
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (inTransaction && !signal.aborted) await s.end().catch(() => undefined);
    }
  }

  return {
    read,
    async close() {
      const s = session;
      session = null;
      if (s) await s.close().catch(() => s.destroy());
    },
  };
}
