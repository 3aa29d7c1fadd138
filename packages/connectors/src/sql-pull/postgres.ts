import pg from 'pg';
import type { ConnectionParts, SqlSession } from './session';
import { wrap } from './session';
import type { CursorKind, SqlColumn, SqlRow } from './values';

const RAW_TEXT = new Set([
  20, // int8: beyond 2^53
  1700, // numeric: exact
  1082, // date: no JS Date, no time zone
  1114, // timestamp
  1184, // timestamptz: microseconds kept
]);

const KINDS: Record<number, CursorKind> = {
  20: 'integer',
  21: 'integer',
  23: 'integer',
  26: 'integer',
  1700: 'decimal',
  700: 'float',
  701: 'float',
  1082: 'date',
  1114: 'timestamp',
  1184: 'timestamp',
  25: 'text',
  1042: 'text',
  1043: 'text',
  19: 'text',
  2950: 'text',
};

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (RAW_TEXT.has(oid) ? (v: string) => v : pg.types.getTypeParser(oid, format))) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * A PostgreSQL session for a pull: UTC, ISO dates, every transaction read
 * only, statements cut at `timeoutMs`. Every query goes through the
 * extended protocol (it has parameters), which runs exactly one statement,
 * so the query text cannot smuggle a second one in.
 */
export async function openPostgres(parts: ConnectionParts, query: string, timeoutMs: number): Promise<SqlSession> {
  const client = new pg.Client({
    ...(parts.url ? { connectionString: parts.url } : {}),
    ...(parts.host !== undefined ? { host: parts.host } : {}),
    ...(parts.port !== undefined ? { port: parts.port } : {}),
    ...(parts.user !== undefined ? { user: parts.user } : {}),
    ...(parts.password !== undefined ? { password: parts.password } : {}),
    ...(parts.database !== undefined ? { database: parts.database } : {}),
    application_name: 'watchfloor-pull',
    connectionTimeoutMillis: timeoutMs,
    statement_timeout: timeoutMs,
    lock_timeout: timeoutMs,
    // A backstop for a server that stops answering without closing the socket.
    query_timeout: timeoutMs + 5000,
    types,
  });
  // An error on an idle connection (the server restarting) must not take the process down; the next query reports it.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query("set session characteristics as transaction read only; set time zone 'UTC'; set datestyle to 'ISO, YMD'");
  } catch (e) {
    await client.end().catch(() => undefined);
    throw e;
  }
  const base = wrap(query);
  const col = (c: SqlColumn) => pg.escapeIdentifier(c.name);
  const rows = async (text: string, values: unknown[]) => (await client.query<SqlRow>({ text, values })).rows;

  return {
    async begin() {
      await client.query('begin isolation level repeatable read, read only');
    },
    async end() {
      await client.query('rollback');
    },
    async columns() {
      const r = await client.query<SqlRow>({ text: `${base} limit $1`, values: [0] });
      return r.fields.map((f) => ({ name: f.name, kind: KINDS[f.dataTypeID] ?? 'other' }));
    },
    // The parameter takes the cursor column's own type, so values compare as that type (numbers, instants), not as text.
    page(cursor, after, limit) {
      return after === null
        ? rows(`${base} where ${col(cursor)} is not null order by ${col(cursor)} limit $1`, [limit])
        : rows(`${base} where ${col(cursor)} > $1 order by ${col(cursor)} limit $2`, [after, limit]);
    },
    tied(cursor, value, limit) {
      return rows(`${base} where ${col(cursor)} = $1 limit $2`, [value, limit]);
    },
    async close() {
      await client.end();
    },
    destroy() {
      void client.end().catch(() => undefined);
    },
  };
}
