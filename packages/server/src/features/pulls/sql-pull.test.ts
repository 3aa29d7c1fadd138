import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullJob, Run } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import { closedPort, peerDatabases } from '@watchfloor/connectors/sql-pull/testing';
import type { TestServer } from '../../testing';
import { openSourcesServer, pm25Rows } from '../sources/test-support';

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`sql_pull sources stored on ${engine.engine}`, () => {
    let s: TestServer;
    let all: { indicator: string; place: string; period: string; value: number }[] = [];
    beforeAll(async () => {
      // The peer databases run on this machine: allowed, as an administrator would list them.
      s = await openSourcesServer(engine, { WATCHFLOOR_OUTBOUND_ALLOW: '127.0.0.1,localhost' });
      all = await pm25Rows(s, 64);
    });
    afterAll(async () => s?.close());

    it.runIf(engine.engine === 'postgres')("refuses a pull whose credentials lead to Watchfloor's own database, by any name", async () => {
      const own = new URL(process.env.WATCHFLOOR_TEST_PG_URL ?? '');
      // Through the other loopback name than the store's own: the database is recognised, not the address.
      own.hostname = own.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/sources',
        payload: {
          code: 'SELF-READ',
          name: 'Watchfloor itself',
          kind: 'sql_pull',
          ownerOrganisationCode: 'VL-STC',
          expected: { every: 'P1D' },
          pull: { kind: 'sql', engine: 'postgres', query: 'select id, login as place, created_at as period, 1 as value from app_user', cursorColumn: 'id' },
          credentials: { url: own.toString() },
        },
      });
      expect(r.statusCode, r.body).toBe(201);
      const run = (await s.app.inject({ method: 'POST', url: '/api/sources/SELF-READ/pull' })).json<Run>();
      expect(run).toMatchObject({ status: 'failed', errorCode: 'outbound_not_allowed', rowsRead: 0 });
      expect(run.error).toContain("Watchfloor's own database");
    });

    peerDatabases().forEach((peer, n) => {
      describe.skipIf(peer.skip)(`reading ${peer.engine}`, () => {
        const code = `TNMT-AIR-${n}`;
        let table = '';
        // Each peer delivers other days, so the two sources never write the same figure.
        const rows = () => all.slice(n * 32, n * 32 + 32);

        const insert = async (from: number, to: number) => {
          const values = rows()
            .slice(from, to)
            .map((r, i) => `(${from + i + 1}, '${r.indicator}', '${r.place}', '${r.period}', ${r.value})`);
          await peer.exec(`insert into ${table} (id, chi_tieu, ma_xa, ngay, pm25) values ${values.join(', ')}`);
        };
        const pull = async (source: string): Promise<Run> => {
          const r = await s.app.inject({ method: 'POST', url: `/api/sources/${source}/pull` });
          expect(r.statusCode, r.body).toBe(200);
          return r.json<Run>();
        };
        const stored = async () =>
          Number((await s.store.db.selectFrom('observation').select((eb) => eb.fn.countAll<number>().as('n')).where('source', '=', code).executeTakeFirstOrThrow()).n);

        beforeAll(async () => {
          table = peer.table();
          await peer.exec(`create table ${table} (id integer, chi_tieu ${peer.types.text}, ma_xa ${peer.types.text}, ngay date, pm25 ${peer.types.decimal})`);
          await insert(0, 30);
        });
        afterAll(async () => peer.drop());

        const register = (source: string, credentials: Record<string, string>) =>
          s.app.inject({
            method: 'POST',
            url: '/api/sources',
            payload: {
              code: source,
              name: 'Sở TN&MT — trạm quan trắc không khí',
              kind: 'sql_pull',
              ownerOrganisationCode: 'VL-STC',
              schedule: 'PT1H',
              expected: { every: 'P1D' },
              pull: {
                kind: 'sql',
                engine: peer.engine,
                query: `select id, chi_tieu as indicator, ma_xa as place, ngay as period, pm25 as value from ${table}`,
                cursorColumn: 'id',
                pageSize: 7,
              },
              credentials,
            },
          });

        it('pulls every row once, then only what is new', async () => {
          const created = await register(code, { url: peer.url });
          expect(created.statusCode, created.body).toBe(201);
          expect(created.body).not.toContain(peer.url);

          const first = await pull(code);
          expect(first).toMatchObject({ channel: 'sql_pull', status: 'succeeded', rowsRead: 30, rowsAccepted: 30, created: 30, rowsRejected: 0 });
          expect(await stored()).toBe(30);
          const job = (await s.app.inject({ url: `/api/sources/${code}/job` })).json<PullJob>();
          expect(job.cursor).toBe('30');

          const again = await pull(code);
          expect(again).toMatchObject({ status: 'succeeded', rowsRead: 0, rowsAccepted: 0 });
          expect(await stored()).toBe(30);

          await insert(30, 32);
          const more = await pull(code);
          expect(more).toMatchObject({ status: 'succeeded', rowsRead: 2, created: 2 });
          expect(await stored()).toBe(32);
          expect((await s.app.inject({ url: `/api/sources/${code}/job` })).json<PullJob>().cursor).toBe('32');
        });

        it('records a peer that is down as a failed run with source_unreachable, keeping what was stored', async () => {
          const before = await stored();
          const port = await closedPort();
          expect((await register(`TNMT-DOWN-${n}`, { host: '127.0.0.1', port: String(port), user: 'ioc', password: 'hunter2-secret', database: 'test' })).statusCode).toBe(201);
          const run = await pull(`TNMT-DOWN-${n}`);
          expect(run).toMatchObject({ status: 'failed', errorCode: 'source_unreachable', rowsRead: 0 });
          expect(run.error).not.toContain('hunter2');
          expect(await stored()).toBe(before);
        });
      });
    });
  });
}
