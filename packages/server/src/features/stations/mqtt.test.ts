import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, NO_OUTBOUND_ALLOW } from '@watchfloor/core';
import { ALL_ROWS, RunsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { addStation, type TestServer } from '../../testing';
import { openSourcesServer } from '../sources/test-support';
import { MqttChannel } from './mqtt';

const url = process.env.WATCHFLOOR_TEST_MQTT_URL;
if (!url) console.warn('MQTT tests skipped: WATCHFLOOR_TEST_MQTT_URL is not set (e.g. mqtt://127.0.0.1:1883 for the local Mosquitto).');

const TRA_VINH = { lat: 9.9063, lon: 106.3419 };
/** Short sessions, so test runs leave nothing behind in the broker for long. */
const SUBSCRIPTION = { sessionExpirySeconds: 120, reconnectMs: 100 };

/** Waits for something the broker delivers asynchronously; fails after `ms`. */
async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip || !url)(`MQTT channel on ${engine.engine}`, () => {
    const id = randomBytes(4).toString('hex');
    const topic = `wf-test/${id}/${engine.engine}`;
    let s: TestServer;
    let publisher: MqttClient;
    const channels: MqttChannel[] = [];
    const channel = (instance: string, ctx = () => s.ctx) => {
      const c = new MqttChannel(ctx(), { instance, subscription: SUBSCRIPTION });
      channels.push(c);
      return c;
    };
    const publish = (payload: unknown, station = 'VL-TV-MQ') => publisher.publishAsync(`${topic}/${station}/readings`, typeof payload === 'string' ? payload : JSON.stringify(payload), { qos: 1 });
    const run = async (runId: number) => (await new RunsRepository(s.store.db).get(runId, ALL_ROWS))!;
    const readings = async () => Number((await s.store.db.selectFrom('reading').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const dailyMean = async (day: string) =>
      (await s.store.db.selectFrom('observation').select(['value', 'place_code', 'source', 'run_id', 'status']).where('indicator_code', '=', 'PM25').where('period_key', '=', day).executeTakeFirst());
    const reading = (hour: number, value: number | null, extra: object = {}) => ({ station: 'VL-TV-MQ', datastream: 'pm25', at: `2026-11-20T${String(hour).padStart(2, '0')}:00:00+07:00`, value, ...extra });

    beforeAll(async () => {
      // The broker runs on this machine: an inside address the administrator allows.
      s = await openSourcesServer(engine, { WATCHFLOOR_OUTBOUND_ALLOW: new URL(url ?? 'mqtt://127.0.0.1').hostname });
      const src = await s.app.inject({
        method: 'POST',
        url: '/api/sources',
        payload: { code: 'MQ-AIR', name: 'Trạm không khí (MQTT)', kind: 'mqtt', ownerOrganisationCode: 'VL-STC', mapping: { sensors: { mqtt: { url, topics: [`${topic}/+/readings`], clientId: `wf-test-${id}-${engine.engine}` } } } },
      });
      expect(src.statusCode, src.body).toBe(201);
      const st = await s.app.inject({ method: 'POST', url: '/api/stations', payload: { code: 'VL-TV-MQ', name: 'Trạm Phường Trà Vinh', ...TRA_VINH, source: 'MQ-AIR', datastreams: [{ code: 'pm25', indicator: 'PM25', unit: 'µg/m³', incompleteDays: 'estimated' }] } });
      expect(st.statusCode, st.body).toBe(201);
      publisher = await mqtt.connectAsync(url ?? '', { clientId: `wf-test-pub-${id}-${engine.engine}` });
    });
    afterAll(async () => {
      for (const c of channels) await c.stop();
      await publisher?.endAsync();
      await s?.close();
    });

    it('stores readings, rolls them up to the commune’s daily mean, ignores a replay and rejects bad payloads with reasons', async () => {
      const a = channel('A');
      await a.tick();
      expect(a.active).toEqual(['MQ-AIR']);
      const runId = a.runOf('MQ-AIR')!;

      await publish(reading(8, 10));
      await publish([reading(9, 20), reading(10, 30)]);
      await publish({ readings: [reading(11, 40)] });
      await publish('not json');
      await publish(reading(12, 1, { station: 'NOPE' }));
      await publish(reading(12, 1, { datastream: 'no2' }));
      await publish(reading(12, 1, { at: '2026-11-20 12:00' }));
      await publish(reading(13, null));
      await until('9 readings in the run', async () => (await run(runId)).rows_read === 9);

      expect(await readings()).toBe(4);
      const fig = await dailyMean('2026-11-20');
      // Four hours of a day are short of the 18 a daily mean needs: the datastream takes such a day as estimated.
      expect(fig).toMatchObject({ value: 25, source: 'MQ-AIR', run_id: runId, status: 'estimated' });
      const rejected = await new RunsRepository(s.store.db).rejected(runId, { limit: 10 }, ALL_ROWS);
      expect(rejected.map((r) => r.reason).sort()).toEqual(['invalid_payload', 'invalid_payload', 'missing_value', 'unknown_station', 'unknown_datastream'].sort());
      expect(rejected.find((r) => r.reason === 'invalid_payload')?.raw).toBe('not json');

      // The same message again (as a broker resends after a reconnect): nothing new, the same mean.
      await publish([reading(9, 20), reading(10, 30)]);
      await until('the replay in the run', async () => (await run(runId)).rows_read === 11);
      expect(await readings()).toBe(4);
      expect((await run(runId)).rows_unchanged).toBe(2);
      expect((await dailyMean('2026-11-20'))?.value).toBe(25);

      // Another instance does not subscribe while the lease is held.
      const b = channel('B');
      await b.tick();
      expect(b.active).toEqual([]);
      await a.stop();
      const finished = await run(runId);
      expect(finished).toMatchObject({ status: 'partial', rows_accepted: 6, rows_rejected: 5 });
    });

    it('receives after a restart what was published while nobody listened', async () => {
      // No channel holds the subscription now; the broker keeps the persistent session's messages.
      await publish(reading(14, 60));
      await publish(reading(15, 70));
      const c = channel('C');
      await c.tick();
      const runId = c.runOf('MQ-AIR')!;
      await until('the messages published while stopped', async () => (await run(runId)).rows_read === 2);
      expect(await readings()).toBe(6);
      expect((await dailyMean('2026-11-20'))?.value).toBeCloseTo((10 + 20 + 30 + 40 + 60 + 70) / 6, 4);
    });

    it('lets another instance take the subscription over once the lease lapses', async () => {
      const c = channels.at(-1)!;
      expect(c.active).toEqual(['MQ-AIR']);
      // An instance whose clock is past the lease (C stopped renewing it: crashed or cut off).
      const later = channel('D', () => ({ ...s.ctx, clock: fixedClock('2026-11-28T03:01:00Z') }));
      await later.tick();
      expect(later.active).toEqual(['MQ-AIR']);
      await c.tick();
      expect(c.active).toEqual([]);
      await publish(reading(16, 80));
      const runId = later.runOf('MQ-AIR')!;
      await until('the reading through the new holder', async () => (await run(runId)).rows_read === 1);
      expect(await readings()).toBe(7);

      // A station outside what the source covers (a Hà Nội station, the source's owner being of Vĩnh Long): refused, not stored.
      await addStation(s, 'HN-MQ', '01', '01', [{ code: 'pm25', indicator: 'PM25' }]);
      await publish(reading(17, 90, { station: 'HN-MQ' }), 'HN-MQ');
      await until('the Hà Nội reading in the run', async () => (await run(runId)).rows_read === 2);
      expect(await readings()).toBe(7);
      const refused = await new RunsRepository(s.store.db).rejected(runId, { limit: 10 }, ALL_ROWS);
      expect(refused.map((r) => [r.reason, r.message])).toEqual([['out_of_scope', expect.stringContaining('outside what source MQ-AIR may report for')]]);
    });

    it('reaches the broker only through the outbound guard: an inside address not allowed is refused, and the run says so', async () => {
      for (const c of channels) await c.stop();
      const closed = channel('E', () => ({ ...s.ctx, config: { ...s.ctx.config, outboundAllow: NO_OUTBOUND_ALLOW } }));
      await closed.tick();
      expect(closed.active).toEqual([]);
      const last = (await new RunsRepository(s.store.db).listForSource('MQ-AIR', { limit: 1 }, ALL_ROWS))[0];
      expect(last).toMatchObject({ status: 'failed' });
      expect(last?.error).toMatch(/not allowed/);
    });
  });
}
