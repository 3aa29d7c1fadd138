import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { SqlPullConfig } from '@watchfloor/core';
import type { ReadRow } from '../rows';
import type { PullConnector } from '../pull';

/**
 * The real database servers the SQL pull tests read from: PostgreSQL when
 * WATCHFLOOR_TEST_PG_URL is set, MariaDB / MySQL when WATCHFLOOR_TEST_MYSQL_URL
 * is (CI sets both). Each test file works in a throw-away table (a schema of
 * its own on PostgreSQL) that `drop()` removes.
 */
export interface PeerDatabase {
  engine: SqlPullConfig['engine'];
  /** Why the engine is skipped, or null when it runs. */
  skip: string | null;
  url: string;
  /** A fresh throw-away table name, qualified as queries must write it. */
  table(): string;
  exec(sql: string): Promise<void>;
  /** The SQL types the tests' tables use, per engine. */
  types: { text: string; decimal: string; instant: string; serial: string };
  /** A function the query can call that inserts into `table`: a write the read-only session must refuse. */
  writingFunction(table: string): { create: string; call: string };
  drop(): Promise<void>;
}

/**
 * The PostgreSQL peer is a database of its own beside the one the tests'
 * Watchfloor stores live in (WATCHFLOOR_TEST_PG_URL): a pull refuses to
 * read Watchfloor's own database, as a real peer never is.
 */
const pgBaseUrl = process.env.WATCHFLOOR_TEST_PG_URL;
const pgUrl = pgBaseUrl === undefined ? undefined : peerUrlOf(pgBaseUrl);

function peerUrlOf(base: string): string {
  const u = new URL(base);
  u.pathname = `/${decodeURIComponent(u.pathname.slice(1)) || 'postgres'}_peer`;
  return u.toString();
}

/** Creates the peer database once (test files racing to create it find it there). */
async function ensurePeerDatabase(base: string, url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create database ${pg.escapeIdentifier(decodeURIComponent(new URL(url).pathname.slice(1)))}`);
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? e.code : undefined;
    if (code !== '42P04' && code !== '23505') throw e;
  } finally {
    await admin.end();
  }
}
const mysqlUrl = process.env.WATCHFLOOR_TEST_MYSQL_URL;
const warned = new Set<string>();

function warn(name: string, variable: string) {
  if (warned.has(name)) return;
  warned.add(name);
  console.warn(`${name} SQL pull tests skipped: ${variable} is not set (CI sets it to the local server).`);
}

export function peerDatabases(): PeerDatabase[] {
  if (!pgUrl) warn('PostgreSQL', 'WATCHFLOOR_TEST_PG_URL');
  if (!mysqlUrl) warn('MariaDB', 'WATCHFLOOR_TEST_MYSQL_URL');
  const suffix = randomBytes(5).toString('hex');
  const schema = `wf_pull_${suffix}`;
  let pgClient: pg.Client | null = null;
  let myConn: mysql.Connection | null = null;
  const myTables: string[] = [];
  let n = 0;

  const postgres: PeerDatabase = {
    engine: 'postgres',
    skip: pgUrl ? null : 'WATCHFLOOR_TEST_PG_URL is not set',
    url: pgUrl ?? '',
    table: () => `${schema}.t${++n}`,
    async exec(sql) {
      if (!pgClient) {
        await ensurePeerDatabase(pgBaseUrl ?? '', pgUrl ?? '');
        pgClient = new pg.Client({ connectionString: pgUrl });
        await pgClient.connect();
        await pgClient.query(`create schema ${schema}`);
      }
      await pgClient.query(sql);
    },
    types: { text: 'text', decimal: 'numeric(14,2)', instant: 'timestamptz', serial: 'integer' },
    writingFunction: (table) => ({
      create: `create function ${schema}.wf_write() returns integer language plpgsql as $$ begin insert into ${table} (id) values (999); return 1; end $$`,
      call: `${schema}.wf_write()`,
    }),
    async drop() {
      if (!pgClient) return;
      await pgClient.query(`drop schema if exists ${schema} cascade`);
      await pgClient.end();
      pgClient = null;
    },
  };

  const maria: PeerDatabase = {
    engine: 'mysql',
    skip: mysqlUrl ? null : 'WATCHFLOOR_TEST_MYSQL_URL is not set',
    url: mysqlUrl ?? '',
    table: () => {
      const t = `wf_pull_${suffix}_t${++n}`;
      myTables.push(t);
      return t;
    },
    async exec(sql) {
      myConn ??= await mysql.createConnection({ uri: mysqlUrl ?? '' });
      await myConn.query(sql);
    },
    types: { text: 'varchar(200)', decimal: 'decimal(14,2)', instant: 'datetime(6)', serial: 'integer' },
    writingFunction: (table) => ({
      create: `create function wf_pull_${suffix}_write() returns integer modifies sql data begin insert into ${table} (id) values (999); return 1; end`,
      call: `wf_pull_${suffix}_write()`,
    }),
    async drop() {
      if (!myConn) return;
      for (const t of myTables) await myConn.query(`drop table if exists ${t}`);
      await myConn.query(`drop function if exists wf_pull_${suffix}_write`);
      await myConn.end();
      myConn = null;
    },
  };
  return [postgres, maria];
}

/** Every row a read yields. */
export async function readAll(connector: PullConnector, cursor: string | null): Promise<ReadRow[]> {
  const out: ReadRow[] = [];
  for await (const r of connector.read(cursor, new AbortController().signal)) out.push(r);
  return out;
}

/** A local port nothing listens on: one the system just gave out and took back. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A local server that accepts connections and never says a word: a peer that hangs. */
export async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
