import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { AppError, parseOutboundAllow, sqlPullConfigSchema, type SqlPullConfig } from '@watchfloor/core';
import { connectFailureMessage, OutboundGuard } from '../outbound/index';
import { sqlPullConnector, type SqlPullOptions } from './index';
import { DATABASE_IDENTITY_SQL, type DatabaseIdentity } from './postgres';
import { closedPort, peerDatabases, readAll, silentServer } from './testing';

const codeOf = async (p: Promise<unknown>): Promise<{ code: string; message: string }> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a failure');
};

for (const peer of peerDatabases()) {
  describe.skipIf(peer.skip)(`SQL pull from ${peer.engine}`, () => {
    const { text, decimal, instant } = peer.types;
    let facts = '';
    const open = new Set<{ close?(): Promise<void> }>();

    // The test servers run on this machine: allowed, as an administrator would list them.
    const local = peer.skip ? new OutboundGuard() : new OutboundGuard(parseOutboundAllow(`127.0.0.1,${new URL(peer.url).hostname}`).allow);
    const connect = (query: string, config: Partial<SqlPullConfig> = {}, credentials: Record<string, string> = { url: peer.url }, options: SqlPullOptions = {}) => {
      const c = sqlPullConnector(sqlPullConfigSchema.parse({ kind: 'sql', engine: peer.engine, query, cursorColumn: 'id', ...config }), credentials, { guard: local, ...options });
      open.add(c);
      return c;
    };
    const pull = async (query: string, cursor: string | null, config: Partial<SqlPullConfig> = {}, options: SqlPullOptions = {}) => {
      const c = connect(query, config, { url: peer.url }, options);
      try {
        return await readAll(c, cursor);
      } finally {
        await c.close?.();
        open.delete(c);
      }
    };
    const ids = (rows: { raw: string }[]) => rows.map((r) => (JSON.parse(r.raw) as { id: number }).id);

    beforeAll(async () => {
      facts = peer.table();
      await peer.exec(`create table ${facts} (id integer, ind ${text}, place integer, period date, value ${decimal}, raw_value ${text}, at ${instant})`);
      const rows = [1, 2, 3, 4, 5, 6, 7].map((i) => `(${i}, 'POP', 86, '2026-${String(i).padStart(2, '0')}-01', ${i}000.5, null, '2026-11-28 03:00:00.00000${i}')`);
      await peer.exec(`insert into ${facts} (id, ind, place, period, value, raw_value, at) values ${rows.join(', ')}`);
    });
    afterAll(async () => {
      for (const c of open) await c.close?.();
      await peer.drop();
    });

    const query = () => `select id, ind as indicator, place, period, value from ${facts}`;

    it('reads every row in pages of pageSize, in cursor order, each carrying its cursor', async () => {
      const rows = await pull(query(), null, { pageSize: 3 });
      expect(ids(rows)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(rows.map((r) => r.cursor)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
      expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(rows[0]?.value).toEqual({ indicator: 'POP', place: '86', period: '2026-01-01', value: 1000.5 });
      expect(rows.every((r) => r.problem === undefined)).toBe(true);
    });

    it('reads only what is after a cursor, from the checkpoint or the configured start', async () => {
      expect(ids(await pull(query(), '4', { pageSize: 2 }))).toEqual([5, 6, 7]);
      expect(ids(await pull(query(), null, { pageSize: 2, initialCursor: '5' }))).toEqual([6, 7]);
      // A checkpoint wins over the configured start.
      expect(ids(await pull(query(), '6', { initialCursor: '1' }))).toEqual([7]);
      expect(await pull(query(), '7')).toEqual([]);
    });

    it('loses no row and repeats none when equal cursor values straddle a page boundary', async () => {
      const t = peer.table();
      await peer.exec(`create table ${t} (id integer, k integer, value integer)`);
      // k: 1, 2, 2, 2, 2, 3, 3, 4 — pages of 2 end inside the runs of 2 and of 3.
      const ks = [1, 2, 2, 2, 2, 3, 3, 4];
      await peer.exec(`insert into ${t} (id, k, value) values ${ks.map((k, i) => `(${i + 1}, ${k}, ${i + 1})`).join(', ')}`);
      const q = `select id, k, value, '2026' as period from ${t}`;
      const rows = await pull(q, null, { pageSize: 2, cursorColumn: 'k' });
      expect(ids(rows).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      // Only the last row of a value carries it: a checkpoint inside a run re-reads the run rather than skipping its rest.
      expect(rows.map((r) => r.cursor)).toEqual(['1', '1', '1', '1', '2', '2', '3', '4']);
      // A run at the very start carries no cursor until it is complete.
      const fromStart = await pull(`${q} where k >= 2`, null, { pageSize: 3, cursorColumn: 'k' });
      expect(fromStart.map((r) => r.cursor)).toEqual([undefined, undefined, undefined, '2', '2', '3', '4']);
      // A run larger than the limit is refused, not truncated.
      const refused = await codeOf(pull(q, null, { pageSize: 2, cursorColumn: 'k' }, { maxTiedRows: 3 }));
      expect(refused.code).toBe('invalid_pull_config');
      expect(refused.message).toContain('share the cursor value 2');
    });

    it('converts numbers, decimals, big integers, dates and text numbers; unreadable values become rejected rows', async () => {
      const t = peer.table();
      await peer.exec(`create table ${t} (id integer, place integer, period date, amount ${decimal}, big bigint, txt ${text}, org ${text})`);
      await peer.exec(
        `insert into ${t} (id, place, period, amount, big, txt, org) values
          (1, 86, '2026-10-01', 1234.50, 9007199254740993, '12.5', 'STC'),
          (2, 29242, '2026-10-02', -0.25, 1, '1.234.567,8', null),
          (3, 86, '2026-10-03', null, 1, 'abc', 'STC'),
          (4, 86, '2026-10-04', 7, 1, '1.234', 'STC')`,
      );
      const rows = await pull(`select id, place, period, amount as value, big, txt, org as organisation from ${t}`, null);
      expect(rows.map((r) => r.value)).toEqual([
        { place: '86', period: '2026-10-01', value: 1234.5, organisation: 'STC' },
        { place: '29242', period: '2026-10-02', value: -0.25 },
        { place: '86', period: '2026-10-03', organisation: 'STC' },
        { place: '86', period: '2026-10-04', value: 7, organisation: 'STC' },
      ]);
      expect(rows[2]?.problem?.reason).toBe('missing_value');
      // The raw row keeps every column as the server gave it, big integers exact.
      expect(JSON.parse(rows[0]?.raw ?? '{}')).toMatchObject({ big: '9007199254740993', txt: '12.5' });

      const texts = await pull(`select id, place, period, txt as value from ${t}`, null);
      expect(texts.map((r) => r.problem?.reason ?? (r.value as { value: number }).value)).toEqual([12.5, 1234567.8, 'invalid_number', 1.234]);
      expect(texts[2]?.problem?.message).toContain('"abc" is not a number');

      const bigs = await pull(`select id, place, period, big as value from ${t}`, null);
      expect((bigs[0]?.value as { value: number }).value).toBe(9007199254740992);

      // Case-insensitive and Vietnamese column names, as in files.
      const named = await pull(`select id, place as "Mã đơn vị", period as "PERIOD", amount as "Giá trị" from ${t} where id = 1`.replaceAll('"', peer.engine === 'mysql' ? '`' : '"'), null);
      expect(named[0]?.value).toEqual({ place: '86', period: '2026-10-01', value: 1234.5 });
    });

    it('pages by timestamps to the microsecond, written as ISO instants in UTC', async () => {
      const q = `select id, at, ind as indicator, place, at as period, value from ${facts}`;
      const rows = await pull(q, null, { cursorColumn: 'at', pageSize: 2 });
      expect(rows.map((r) => r.cursor)).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `2026-11-28T03:00:00.00000${i}Z`));
      expect((rows[0]?.value as { period: string }).period).toBe('2026-11-28T03:00:00.000Z');
      expect(ids(await pull(q, '2026-11-28T03:00:00.000005Z', { cursorColumn: 'at', pageSize: 1 }))).toEqual([6, 7]);
      expect(ids(await pull(q, null, { cursorColumn: 'at', initialCursor: '2026-11-28T03:00:00.000006Z' }))).toEqual([7]);
      // Dates page as dates.
      const byDate = await pull(query(), null, { cursorColumn: 'period', initialCursor: '2026-05-01', pageSize: 1 });
      expect(byDate.map((r) => r.cursor)).toEqual(['2026-06-01', '2026-07-01']);
    });

    it('refuses a cursor its column cannot compare with', async () => {
      const r = await codeOf(pull(query(), 'abc'));
      expect(r.code).toBe('invalid_pull_config');
      expect(r.message).toContain('not a value of the integer column id');
      expect((await codeOf(pull(query(), null, { cursorColumn: 'period', initialCursor: '01/05/2026' }))).code).toBe('invalid_pull_config');
    });

    it('reports a server that is down or refuses the login as source_unreachable, without the password', async () => {
      const port = await closedPort();
      const down = await codeOf(readAll(connect(query(), {}, { host: '127.0.0.1', port: String(port), user: 'u', password: 'hunter2-secret', database: 'test' }), null));
      expect(down.code).toBe('source_unreachable');
      const url = new URL(peer.url);
      url.username = 'wf_nobody';
      url.password = 'hunter2-secret';
      const refused = await codeOf(readAll(connect(query(), {}, { url: url.toString() }), null));
      expect(refused.code).toBe('source_unreachable');
      expect(refused.message).not.toContain('hunter2');
      expect(refused.message).not.toContain('wf_nobody');
    });

    it('connects from host, port, user and database as well as from a URL', async () => {
      const u = new URL(peer.url);
      const parts = { host: u.hostname, port: u.port || (peer.engine === 'postgres' ? '5432' : '3306'), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), database: u.pathname.slice(1) };
      const c = connect(query(), { initialCursor: '6' }, parts);
      expect(ids(await readAll(c, null))).toEqual([7]);
      await c.close?.();
    });

    it('reports a query the server cannot run as invalid_pull_config with the server message', async () => {
      const noTable = await codeOf(pull(`select id, period, value from ${facts}_missing`, null));
      expect(noTable.code).toBe('invalid_pull_config');
      expect(noTable.message).toMatch(/_missing/);
      const noColumn = await codeOf(pull(`select id, period, nope as value from ${facts}`, null));
      expect(noColumn.code).toBe('invalid_pull_config');
      expect(noColumn.message).toMatch(/nope/);
      const noCursor = await codeOf(pull(query(), null, { cursorColumn: 'updated_at' }));
      expect(noCursor).toEqual({ code: 'invalid_pull_config', message: expect.stringContaining('no column updated_at') as unknown as string });
      const noValue = await codeOf(pull(`select id, period from ${facts}`, null));
      expect(noValue.message).toContain('no value column');
      // A trailing semicolon and comment are fine.
      expect(ids(await pull(`${query()} -- all of them\n;`, '6'))).toEqual([7]);
    });

    it('stops a statement that runs longer than timeoutMs with source_timeout', async () => {
      const sleep = peer.engine === 'postgres' ? 'pg_sleep(3)' : 'sleep(3)';
      const r = await codeOf(pull(`select id, period, value, ${sleep} as slept from ${facts}`, null, { timeoutMs: 300 }));
      expect(r.code).toBe('source_timeout');
    });

    it('gives up on a server that accepts the connection but never answers, in the words of any failure to connect', async () => {
      const silent = await silentServer();
      const closed = await closedPort();
      try {
        const credentials = (port: number) => ({ host: '127.0.0.1', port: String(port), user: 'u', password: 'p', database: 'test' });
        const hung = await codeOf(readAll(connect(query(), { timeoutMs: 200 }, credentials(silent.port)), null));
        const down = await codeOf(readAll(connect(query(), { timeoutMs: 200 }, credentials(closed)), null));
        // A silent port and a closed one cannot be told apart: no map of which ports answer.
        expect(hung).toEqual(down);
        expect(hung).toEqual({ code: 'source_unreachable', message: connectFailureMessage(peer.engine === 'postgres' ? 'the PostgreSQL server' : 'the MySQL / MariaDB server') });
      } finally {
        await silent.close();
      }
    });

    it('refuses a server on an inside address unless allowed, and local sockets and server files always', async () => {
      const refused = await codeOf(readAll(connect(query(), {}, { url: peer.url }, { guard: new OutboundGuard() }), null));
      expect(refused.code).toBe('outbound_not_allowed');
      const u = new URL(peer.url);
      for (const host of ['2130706433', '0x7f.1', 'localhost', '::ffff:127.0.0.1']) {
        expect((await codeOf(readAll(connect(query(), {}, { host, port: u.port || '5432', user: 'u', password: 'p' }, { guard: new OutboundGuard() }), null))).code, host).toBe('outbound_not_allowed');
      }
      if (peer.engine === 'postgres') {
        const socket = new URL(peer.url);
        socket.searchParams.set('host', '/var/run/postgresql');
        expect((await codeOf(readAll(connect(query(), {}, { url: socket.toString() }), null))).code).toBe('outbound_not_allowed');
        const file = new URL(peer.url);
        file.searchParams.set('sslrootcert', '/etc/passwd');
        expect(await codeOf(readAll(connect(query(), {}, { url: file.toString() }), null))).toMatchObject({ code: 'invalid_pull_config', message: expect.stringContaining('sslrootcert') as unknown as string });
      } else {
        const socket = new URL(peer.url);
        socket.searchParams.set('socketPath', '/run/mysqld/mysqld.sock');
        expect((await codeOf(readAll(connect(query(), {}, { url: socket.toString() }), null))).code).toBe('invalid_pull_config');
      }
    });

    it.runIf(peer.engine === 'postgres')("refuses to read Watchfloor's own database, by whatever name it is reached", async () => {
      const client = new pg.Client({ connectionString: peer.url });
      await client.connect();
      const self = (await client.query<DatabaseIdentity>(DATABASE_IDENTITY_SQL)).rows[0] ?? null;
      await client.end();
      const alias = new URL(peer.url);
      alias.hostname = alias.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
      const guard = new OutboundGuard(parseOutboundAllow('127.0.0.1,localhost,::1').allow);
      for (const url of [peer.url, alias.toString()]) {
        const r = await codeOf(readAll(connect(query(), {}, { url }, { guard, self }), null));
        expect(r, url).toEqual({ code: 'outbound_not_allowed', message: "The pull's credentials lead to Watchfloor's own database: a pull cannot read it" });
      }
      // Another database is another database.
      expect(ids(await readAll(connect(query(), { initialCursor: '6' }, { url: peer.url }, { guard, self: { systemIdentifier: self?.systemIdentifier ?? '', database: 'another' } }), null))).toEqual([7]);
    });

    it('never writes: data-modifying statements and functions that write are refused', async () => {
      const t = peer.table();
      await peer.exec(`create table ${t} (id integer, period ${text}, value integer)`);
      await peer.exec(`insert into ${t} (id, period, value) values (1, '2026', 1)`);
      const attempts =
        peer.engine === 'postgres'
          ? [`with w as (insert into ${t} (id) values (2) returning id, period, value) select * from w`, `insert into ${t} (id) values (3) returning id, period, value`]
          : [`insert into ${t} (id) values (2) returning id, period, value`, `select 1 as id, '2026' as period, 1 as value; delete from ${t}`];
      const fn = peer.writingFunction(t);
      await peer.exec(fn.create);
      attempts.push(`select id, period, value, ${fn.call} as w from ${t}`);
      for (const q of attempts) {
        const r = await codeOf(pull(q, null));
        expect(r.code, q).toBe('invalid_pull_config');
      }
      const check = await pull(`select id, period, value from ${t}`, null);
      expect(ids(check)).toEqual([1]);
    });
  });
}
