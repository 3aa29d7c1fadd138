import { connect } from 'node:net';
import mysql from 'mysql2/promise';
import { AppError } from '@watchfloor/core';
import type { OutboundGuard } from '../outbound/index';
import type { ConnectionParts, SqlSession } from './session';
import { mysqlTarget } from './target';
import { wrap } from './session';
import type { CursorKind, SqlColumn, SqlRow } from './values';

// mysql2's column type codes (MySQL protocol).
const KINDS: Record<number, CursorKind> = {
  1: 'integer', // TINY
  2: 'integer', // SHORT
  3: 'integer', // LONG
  8: 'integer', // LONGLONG
  9: 'integer', // INT24
  13: 'integer', // YEAR
  0: 'decimal', // DECIMAL
  246: 'decimal', // NEWDECIMAL
  4: 'float',
  5: 'float',
  10: 'date',
  14: 'date', // NEWDATE
  7: 'timestamp',
  12: 'timestamp', // DATETIME
  17: 'timestamp',
  18: 'timestamp',
  15: 'text', // VARCHAR
  253: 'text', // VAR_STRING
  254: 'text', // STRING
  247: 'text', // ENUM
};

/**
 * How the cursor parameter is compared: as the column's own type. Integers
 * go through DECIMAL(65,0) so a BIGINT UNSIGNED beyond 2^63 still compares
 * exactly; instants through DATETIME(6), keeping microseconds.
 */
const CAST: Record<CursorKind | 'other', string> = {
  integer: 'cast(? as decimal(65,0))',
  decimal: 'cast(? as decimal(65,30))',
  float: 'cast(? as double)',
  date: 'cast(? as date)',
  timestamp: 'cast(? as datetime(6))',
  text: '?',
  other: '?',
};

/** An ISO instant as a UTC DATETIME literal (the session's time zone is UTC). */
export function mysqlTimestamp(cursor: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]00(?::?00)?)?$/.exec(cursor);
  if (m) return `${m[1]} ${m[2]}`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(cursor)) return cursor;
  // Another offset: through a Date (milliseconds are all an offset-bearing cursor written by hand carries).
  const t = new Date(cursor);
  return Number.isNaN(t.getTime()) ? cursor : t.toISOString().replace('T', ' ').replace('Z', '');
}

const param = (cursor: SqlColumn, value: string) => (cursor.kind === 'timestamp' ? mysqlTimestamp(value) : value);

/**
 * A MySQL / MariaDB session for a pull: UTC, dates and decimals as text,
 * every transaction read only, statements cut at `timeoutMs` (MariaDB's
 * max_statement_time, MySQL's max_execution_time, and the driver's own
 * timeout behind both). Queries are prepared statements: one statement
 * each, and a `?` inside the query's own text is not taken for a parameter.
 *
 * The host is resolved once through the outbound guard and the socket
 * opened to the address it checked; the driver keeps the name written for
 * TLS.
 */
export async function openMysql(parts: ConnectionParts, query: string, timeoutMs: number, guard: OutboundGuard): Promise<SqlSession> {
  const target = mysqlTarget(parts);
  const [checked] = await guard.resolve(target.host);
  if (!checked) throw new AppError('source_unreachable', `${target.host} resolved to no address`);
  const options: mysql.ConnectionOptions = {
    host: target.host,
    port: target.port,
    ...(target.user !== undefined ? { user: target.user } : {}),
    ...(target.password !== undefined ? { password: target.password } : {}),
    ...(target.database !== undefined ? { database: target.database } : {}),
    ...(target.ssl !== false ? { ssl: target.ssl } : {}),
    stream: () => connect({ host: checked.address, port: target.port }),
    connectTimeout: timeoutMs,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    timezone: 'Z',
    multipleStatements: false,
  };
  const conn = await mysql.createConnection(options);
  // An error on an idle connection must not take the process down; the next query reports it.
  conn.on('error', () => undefined);
  const timeout = timeoutMs + 5000;
  try {
    await conn.query("set session time_zone = '+00:00'");
    await conn.query('set session transaction read only');
    try {
      await conn.query(`set session max_statement_time = ${timeoutMs / 1000}`);
    } catch {
      await conn.query(`set session max_execution_time = ${timeoutMs}`).catch(() => undefined);
    }
  } catch (e) {
    conn.destroy();
    throw e;
  }
  const base = wrap(query);
  const col = (c: SqlColumn) => `\`${c.name.replaceAll('`', '``')}\``;
  const rows = async (sql: string, values: string[]) => {
    const [r] = await conn.execute<mysql.RowDataPacket[]>({ sql, timeout }, values);
    return r as SqlRow[];
  };
  // LIMIT takes our own integer, written into the text: some servers refuse a bound LIMIT parameter.
  const lim = (n: number) => String(Math.trunc(n));

  return {
    async begin() {
      await conn.query('start transaction with consistent snapshot, read only');
    },
    async end() {
      await conn.query('rollback');
    },
    async columns() {
      const [, fields] = await conn.execute<mysql.RowDataPacket[]>({ sql: `${base} limit 0`, timeout });
      return fields.map((f) => ({ name: f.name, kind: KINDS[f.columnType ?? -1] ?? 'other' }));
    },
    page(cursor, after, limit) {
      return after === null
        ? rows(`${base} where ${col(cursor)} is not null order by ${col(cursor)} limit ${lim(limit)}`, [])
        : rows(`${base} where ${col(cursor)} > ${CAST[cursor.kind]} order by ${col(cursor)} limit ${lim(limit)}`, [param(cursor, after)]);
    },
    tied(cursor, value, limit) {
      return rows(`${base} where ${col(cursor)} = ${CAST[cursor.kind]} limit ${lim(limit)}`, [param(cursor, value)]);
    },
    async close() {
      await conn.end();
    },
    destroy() {
      conn.destroy();
    },
  };
}
