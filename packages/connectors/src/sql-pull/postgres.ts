import { isIP } from 'node:net';
import pg from 'pg';
import { AppError } from '@watchfloor/core';
import type { OutboundGuard } from '../outbound/index';
import type { ConnectionParts, SqlSession } from './session';
import { postgresTarget } from './target';
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
 * Which PostgreSQL database a connection reached, whatever name or address
 * led there: the cluster's system identifier (fixed when it was created)
 * and the database's name.
 */
export interface DatabaseIdentity {
  systemIdentifier: string;
  database: string;
}

/** The query reading a connection's DatabaseIdentity (pg_control_system() is executable by everyone). */
export const DATABASE_IDENTITY_SQL = 'select (select system_identifier::text from pg_control_system()) as "systemIdentifier", current_database() as "database"';

/**
 * A PostgreSQL session for a pull: UTC, ISO dates, every transaction read
 * only, statements cut at `timeoutMs`. Every query goes through the
 * extended protocol (it has parameters), which runs exactly one statement,
 * so the query text cannot smuggle a second one in.
 *
 * The host is resolved once through the outbound guard and the connection
 * made to the address it checked (TLS still verifies the name written).
 * When `self` is Watchfloor's own database and the connection reached it
 * (by whatever alias), the pull is refused before any query of its own.
 */
export async function openPostgres(parts: ConnectionParts, query: string, timeoutMs: number, guard: OutboundGuard, self: DatabaseIdentity | null = null): Promise<SqlSession> {
  const target = postgresTarget(parts);
  const [checked] = await guard.resolve(target.host);
  if (!checked) throw new AppError('source_unreachable', `${target.host} resolved to no address`);
  const client = new pg.Client({
    host: checked.address,
    port: target.port,
    ...(target.user !== undefined ? { user: target.user } : {}),
    ...(target.password !== undefined ? { password: target.password } : {}),
    ...(target.database !== undefined ? { database: target.database } : {}),
    // Connected by address, so the name to verify the certificate against is given explicitly.
    ssl: target.ssl === false ? false : { ...target.ssl, ...(isIP(target.host) === 0 ? { servername: target.host } : {}) },
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
    if (self !== null) {
      // A server that will not say (an old version, a revoked function) is not ours: ours answers.
      const reached = await client.query<DatabaseIdentity>(DATABASE_IDENTITY_SQL).then(
        (r) => r.rows[0],
        () => undefined,
      );
      if (reached?.systemIdentifier === self.systemIdentifier && reached.database === self.database) {
        throw new AppError('outbound_not_allowed', "The pull's credentials lead to Watchfloor's own database: a pull cannot read it");
      }
    }
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
