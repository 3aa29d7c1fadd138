import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullJob, Run, Source } from '@watchfloor/core';
import { JobsRepository, PlacesRepository, RunsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { TEST_NOW, type TestServer } from '../../testing';
import { openSourcesServer } from '../sources/test-support';
import { Scheduler } from './scheduler';
import { PullService } from './service';
import { TestPeer, peerPullConfig, pm25Records } from './test-peer';

const SECRET = 'tok-9f3a1c-never-shown';

/** A port nothing listens on: a server is opened there and closed again. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`HTTP pulls on ${engine.engine}`, () => {
    let s: TestServer;
    let communes: string[] = [];
    const peer = new TestPeer(SECRET);
    const clock = { t: new Date(TEST_NOW).getTime(), now: () => new Date(clock.t) };
    const logs: string[] = [];
    const log = {
      info: (o: object, m: string) => logs.push(`${m} ${inspect(o, { depth: 6 })}`),
      warn: (o: object, m: string) => logs.push(`${m} ${inspect(o, { depth: 6 })}`),
      error: (o: object, m: string) => logs.push(`${m} ${inspect(o, { depth: 6 })}`),
    };

    beforeAll(async () => {
      // The peers listen on loopback: allowed, as an administrator would list them.
      s = await openSourcesServer(engine, { WATCHFLOOR_OUTBOUND_ALLOW: '127.0.0.1' });
      s.ctx.clock = clock;
      await peer.start();
      communes = (await new PlacesRepository(s.store.db).listAt('2026-11-28', { level: 'commune', parentCode: '86' })).map((p) => p.code);
    });
    afterAll(async () => {
      await peer.close();
      await s?.close();
    });

    const addSource = async (code: string, feed: string, extra: Record<string, unknown> = {}, schedule: string | null = null) => {
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/sources',
        payload: { code, name: `Nguồn ${code}`, kind: 'http_pull', ownerOrganisationCode: 'VL-SNNMT', schedule, credentials: { token: SECRET }, pull: peerPullConfig(peer.base, feed, extra) },
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json<{ source: Source }>().source;
    };
    const pull = async (code: string): Promise<Run> => {
      const r = await s.app.inject({ method: 'POST', url: `/api/sources/${code}/pull` });
      expect(r.statusCode, r.body).toBe(200);
      return r.json<Run>();
    };
    const job = async (code: string): Promise<PullJob> => (await s.app.inject({ method: 'GET', url: `/api/sources/${code}/job` })).json<PullJob>();
    const stored = async (code: string): Promise<number> =>
      Number((await s.store.db.selectFrom('observation').select((eb) => eb.fn.countAll<number>().as('n')).where('source', '=', code).executeTakeFirstOrThrow()).n);

    it('reads every page of a paginated API once, then only the records added since', async () => {
      await addSource('PAGES', 'a');
      peer.add('a', pm25Records(communes, 0, 7));
      const first = await pull('PAGES');
      expect(first).toMatchObject({ channel: 'http_pull', status: 'succeeded', rowsRead: 7, rowsAccepted: 7, created: 7, errorCode: null });
      expect(peer.requestsOf('a').map((r) => r.after)).toEqual([null, '2', '5']);
      expect(await stored('PAGES')).toBe(7);
      expect(await job('PAGES')).toMatchObject({ cursor: '6', attempts: 0, lastError: null, lastRunId: first.id, nextRunAt: null, running: false });

      peer.add('a', pm25Records(communes, 7, 2));
      const second = await pull('PAGES');
      expect(second).toMatchObject({ status: 'succeeded', rowsRead: 2, created: 2, checkpoint: { cursor: '8' } });
      expect(peer.requestsOf('a').slice(3).map((r) => r.after)).toEqual(['6']);
      expect(await stored('PAGES')).toBe(9);

      // Nothing new: a pull that reads nothing succeeds and keeps the cursor.
      const third = await pull('PAGES');
      expect(third).toMatchObject({ status: 'succeeded', rowsRead: 0 });
      expect((await job('PAGES')).cursor).toBe('8');
    });

    it('creates no duplicates when a pull is replayed from an older cursor', async () => {
      await new JobsRepository(s.store.db).saveCursor('PAGES', '2', null, clock.now().toISOString());
      const again = await pull('PAGES');
      expect(again).toMatchObject({ status: 'succeeded', rowsRead: 6, created: 0, unchanged: 6 });
      expect(await stored('PAGES')).toBe(9);
      expect((await job('PAGES')).cursor).toBe('8');
    });

    it('sends the credentials to the peer and never shows them', async () => {
      expect(peer.requestsOf('a').every((r) => r.authorization === `Bearer ${SECRET}`)).toBe(true);
      const answers = await Promise.all(
        ['/api/sources/PAGES', '/api/sources', '/api/sources/PAGES/runs', '/api/sources/PAGES/job'].map(async (url) => (await s.app.inject({ method: 'GET', url })).body),
      );
      for (const body of answers) expect(body).not.toContain(SECRET);
      const source = JSON.parse(answers[0]!) as Source;
      expect(source).toMatchObject({ hasCredentials: true, pull: { kind: 'http', headers: { Authorization: 'Bearer {{credentials.token}}' } } });
    });

    it('drops the stored credentials when the pull moves to another host, and keeps them on the same host', async () => {
      expect((await addSource('MOVING', 'a')).hasCredentials).toBe(true);
      const patch = async (base: string) => {
        const r = await s.app.inject({ method: 'PATCH', url: '/api/sources/MOVING', payload: { pull: peerPullConfig(base, 'b') } });
        expect(r.statusCode, r.body).toBe(200);
        return r.json<Source>().hasCredentials;
      };
      expect(await patch(peer.base)).toBe(true);
      // Same machine, another name: another host, as far as credentials go.
      expect(await patch(peer.base.replace('127.0.0.1', 'localhost'))).toBe(false);
    });

    it('fails with a coded error, retries after a growing delay, and forgets the failures after a success', async () => {
      await addSource('BACKOFF', 'c', {}, 'PT15M');
      peer.add('c', pm25Records(communes, 100, 4));
      const scheduler = new Scheduler(s.ctx, { instance: 'backoff', log });
      const start = clock.t;
      const setPull = async (extra: Record<string, unknown>) => {
        // Credentials come along: a pull moved to another address forgets the ones stored for the old.
        const r = await s.app.inject({ method: 'PATCH', url: '/api/sources/BACKOFF', payload: { pull: peerPullConfig(peer.base, 'c', extra), credentials: { token: SECRET } } });
        expect(r.statusCode, r.body).toBe(200);
      };

      const failures: [() => Promise<void>, string, RegExp][] = [
        [async () => void (peer.mode = 'http500'), 'source_bad_answer', /answered HTTP 500/],
        [async () => void (peer.mode = 'garbage'), 'source_bad_answer', /is not JSON/],
        // A peer that never answers and a closed port read alike: one wording for every failure to connect.
        [async () => ((peer.mode = 'hang'), setPull({ timeoutMs: 200 })), 'source_unreachable', /^No answer from http:\/\/127\.0\.0\.1:\d+: it could not be reached, or did not answer in time/],
        [async () => ((peer.mode = 'ok'), setPull({ url: `http://127.0.0.1:${await deadPort()}/c` })), 'source_unreachable', /^No answer from http:\/\/127\.0\.0\.1:\d+: it could not be reached, or did not answer in time/],
      ];
      let delay = 0;
      for (const [i, [arrange, code, message]] of failures.entries()) {
        await arrange();
        clock.t = start + delay;
        const { runs } = await scheduler.tick();
        expect(runs).toHaveLength(1);
        expect(runs[0]).toMatchObject({ status: 'failed', errorCode: code });
        expect(runs[0]!.error).toMatch(message);
        delay += 30_000 * 2 ** i;
        const j = await job('BACKOFF');
        expect(j).toMatchObject({ attempts: i + 1, lastError: runs[0]!.error, lastRunId: runs[0]!.id, running: false });
        expect(j.nextRunAt).toBe(new Date(start + delay).toISOString());
        // Not due before the delay is over.
        clock.t = start + delay - 1000;
        expect((await scheduler.tick()).runs).toHaveLength(0);
      }

      await setPull({});
      clock.t = start + delay;
      const { runs } = await scheduler.tick();
      expect(runs[0]).toMatchObject({ status: 'succeeded', rowsRead: 4, created: 4 });
      expect(await job('BACKOFF')).toMatchObject({ attempts: 0, lastError: null, cursor: '103', nextRunAt: new Date(start + delay + 15 * 60_000).toISOString() });
      expect(logs.some((l) => l.includes('pull failed'))).toBe(true);
      expect(logs.join('\n')).not.toContain(SECRET);
      await s.app.inject({ method: 'POST', url: '/api/sources/BACKOFF/disable' });
    });

    it('resumes a pull whose connection dropped from the cursor of its last committed batch', async () => {
      await addSource('DROP', 'e');
      peer.add('e', pm25Records(communes, 200, 9));
      const pulls = new PullService(s.ctx, { batchSize: 3, instance: 'drop' });
      peer.mode = { dropOnRequest: 3 };
      const broken = await pulls.runOnce('DROP');
      expect(broken).toMatchObject({ status: 'failed', errorCode: 'source_unreachable', rowsRead: 6, rowsAccepted: 6, checkpoint: { rows: 6, cursor: '205' } });
      expect(broken.error).toMatch(/connection .* was lost/);
      expect(await stored('DROP')).toBe(6);
      expect((await job('DROP')).cursor).toBe('205');

      peer.mode = 'ok';
      const resumed = await pulls.runOnce('DROP');
      expect(resumed).toMatchObject({ status: 'succeeded', rowsRead: 3, created: 3 });
      expect(peer.requestsOf('e').map((r) => r.after)).toEqual([null, '202', '205', '205']);
      expect(await stored('DROP')).toBe(9);
    });

    it('runs a due pull once when two instances tick at the same moment', async () => {
      await addSource('TWICE', 'd', {}, 'PT15M');
      peer.add('d', pm25Records(communes, 300, 5));
      const other = engine.engine === 'postgres' ? await engine.open({ schema: s.store.pgSchema! }) : s.store;
      try {
        const a = new Scheduler(s.ctx, { instance: 'instance-a' });
        const b = new Scheduler({ ...s.ctx, store: other }, { instance: 'instance-b' });
        const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
        expect([...ra.runs, ...rb.runs].map((r) => r.source)).toEqual(['TWICE']);
        expect(peer.requestsOf('d').map((r) => r.after)).toEqual([null, '302']);
        const runs = await s.store.db.selectFrom('run').select(['id', 'instance']).where('source_code', '=', 'TWICE').execute();
        expect(runs).toHaveLength(1);
        expect(['instance-a', 'instance-b']).toContain(runs[0]!.instance);
        expect(await stored('TWICE')).toBe(5);
      } finally {
        if (other !== s.store) await other.close();
      }
      await s.app.inject({ method: 'POST', url: '/api/sources/TWICE/disable' });
    });

    it('keeps records that are not objects as rejected rows, not a failed pull', async () => {
      await addSource('MIXED', 'f', { records: '[items[0].{ "indicator": code, "place": commune, "period": day, "value": reading }, "không phải bản ghi", 42]', recordCursor: null });
      peer.add('f', pm25Records(communes, 400, 1));
      const run = await pull('MIXED');
      expect(run).toMatchObject({ status: 'partial', rowsRead: 3, rowsAccepted: 1, rowsRejected: 2 });
      const rejected = (await s.app.inject({ method: 'GET', url: `/api/runs/${run.id}/rejected` })).json<{ rows: { reason: string; line: number }[] }>().rows;
      expect(rejected.map((r) => [r.line, r.reason])).toEqual([
        [2, 'not_an_object'],
        [3, 'not_an_object'],
      ]);
    });

    it('closes runs left running by a server that stopped, on start and on each tick', async () => {
      const runs = new RunsRepository(s.store.db);
      const tenMinutesAgo = new Date(clock.t - 10 * 60_000).toISOString();
      await s.app.inject({ method: 'POST', url: '/api/sources', payload: { code: 'PUSHED', name: 'Đẩy', kind: 'http_push', ownerOrganisationCode: 'VL-SNNMT' } });
      const stalePull = await runs.start({ source: 'PAGES', channel: 'http_pull', startedAt: tenMinutesAgo, fileName: null });
      const oldPush = await runs.start({ source: 'PUSHED', channel: 'http_push', startedAt: tenMinutesAgo, fileName: null });
      await s.store.db.updateTable('run').set({ heartbeat_at: null }).where('id', '=', oldPush).execute();
      const alive = await runs.start({ source: 'PUSHED', channel: 'http_push', startedAt: tenMinutesAgo, fileName: null });
      await runs.heartbeat(alive, new Date(clock.t - 60_000).toISOString());

      const scheduler = new Scheduler(s.ctx, { instance: 'restarted', log });
      scheduler.start();
      await scheduler.stop();
      const get = async (id: number) => (await s.app.inject({ method: 'GET', url: `/api/runs/${id}` })).json<Run>();
      expect(await get(stalePull)).toMatchObject({ status: 'failed', errorCode: 'server_stopped', finishedAt: clock.now().toISOString() });
      expect((await get(stalePull)).error).toMatch(/next pull starts again from the cursor of the last committed batch/);
      expect(await get(oldPush)).toMatchObject({ status: 'failed', errorCode: 'server_stopped' });
      expect((await get(oldPush)).error).toMatch(/send the data again/);
      expect(await get(alive)).toMatchObject({ status: 'running' });

      clock.t += 5 * 60_000;
      expect((await scheduler.tick()).closed).toEqual([alive]);
      expect(await get(alive)).toMatchObject({ status: 'failed', errorCode: 'server_stopped' });
    });

    it('refuses pull configurations that cannot work, and pulls of sources that are not pulled', async () => {
      const create = (payload: Record<string, unknown>) =>
        s.app.inject({ method: 'POST', url: '/api/sources', payload: { code: 'BAD', name: 'x', kind: 'http_pull', ownerOrganisationCode: 'VL-SNNMT', ...payload } });
      expect((await create({})).json()).toMatchObject({ error: 'invalid_body' });
      expect((await create({ kind: 'http_push', pull: peerPullConfig(peer.base, 'x') })).json()).toMatchObject({ error: 'invalid_body' });
      const badJsonata = await create({ pull: peerPullConfig(peer.base, 'x', { records: 'items.{ "value": ' }) });
      expect(badJsonata.statusCode).toBe(400);
      expect(badJsonata.json()).toMatchObject({ error: 'invalid_pull_config', details: { field: 'records' } });
      const clearSecret = await create({ pull: peerPullConfig(peer.base, 'x', { headers: { Authorization: `Bearer ${SECRET}` } }) });
      expect(clearSecret.json()).toMatchObject({ error: 'invalid_body' });
      expect(clearSecret.body).toMatch(/credentials\.NAME/);
      expect((await create({ schedule: '61 * * * *', pull: peerPullConfig(peer.base, 'x') })).json()).toMatchObject({ error: 'invalid_body' });
      const patch = await s.app.inject({ method: 'PATCH', url: '/api/sources/PAGES', payload: { pull: null } });
      expect(patch.json()).toMatchObject({ error: 'invalid_pull_config' });

      for (const url of ['/api/sources/PUSHED/pull', '/api/sources/PUSHED/job']) {
        const r = await s.app.inject({ method: url.endsWith('pull') ? 'POST' : 'GET', url });
        expect(r.statusCode).toBe(409);
        expect(r.json()).toMatchObject({ error: 'source_not_pullable' });
      }
      expect((await s.app.inject({ method: 'POST', url: '/api/sources/NOPE/pull' })).statusCode).toBe(404);
    });
  });
}
