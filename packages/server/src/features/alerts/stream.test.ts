import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, type Alert, type AlertDetail, type LiveEvent } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import { TEST_NOW, type TestServer } from '../../testing';
import { openSourcesServer } from '../sources/test-support';
import { ReadingsIngest } from '../ingest/readings';
import { MqttChannel } from '../stations/mqtt';
import { AlertStream } from './stream';

const mqttUrl = process.env.WATCHFLOOR_TEST_MQTT_URL;

const T0 = Date.parse(TEST_NOW);
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const TRA_VINH = { lat: 9.9063, lon: 106.3419 };
const names = { vi: 'Quy tắc thử', en: 'Test rule' };

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`alert rules on the sensor stream on ${engine.engine}`, () => {
    let s: TestServer;
    let ingest: ReadingsIngest;
    let runId: number;
    let index = 0;
    const live: LiveEvent[] = [];

    beforeAll(async () => {
      // The test broker runs on this machine: an inside address, allowed as an administrator would.
      s = await openSourcesServer(engine, mqttUrl ? { WATCHFLOOR_OUTBOUND_ALLOW: new URL(mqttUrl).hostname } : {});
      const src = await s.app.inject({ method: 'POST', url: '/api/sources', payload: { code: 'SENSORS', name: 'Trạm cảm biến', kind: 'file', ownerOrganisationCode: 'VL-STC' } });
      expect(src.statusCode, src.body).toBe(201);
      const station = async (code: string, datastreams: string[]) => {
        const r = await s.app.inject({ method: 'POST', url: '/api/stations', payload: { code, name: code, ...TRA_VINH, source: 'SENSORS', datastreams: datastreams.map((d) => ({ code: d, indicator: 'PM25', unit: 'µg/m³' })) } });
        expect(r.statusCode, r.body).toBe(201);
      };
      await station('ST-A', ['pm25']);
      await station('ST-B', ['pm25']);
      await station('ST-C', Array.from({ length: 10 }, (_, i) => `d${i}`));
      await station('ST-D', ['temp']);
      ingest = new ReadingsIngest(s.ctx);
      runId = await ingest.startRun('SENSORS', 'file');
      s.ctx.live?.subscribe((e) => live.push(e.event));
    });
    afterAll(async () => s?.close());

    const put = async (code: string, body: object) => {
      const r = await s.app.inject({ method: 'PUT', url: `/api/alert-rules/${code}`, payload: { names, severity: 'warning', ...body } });
      expect(r.statusCode, r.body).toBeLessThan(300);
    };
    /** One committed batch, then the stream's evaluation of it. */
    const batch = async (readings: [station: string, datastream: string, minute: number, value: number][]) => {
      const rows = readings.map(([station, datastream, minute, value]) => ({ line: null, raw: '', value: { station, datastream, at: at(minute), value } }));
      const o = await ingest.writeBatch('SENSORS', runId, rows, index, await ingest.bounds('SENSORS', null));
      index += rows.length;
      expect(o.rejected).toEqual([]);
      await s.app.alertStream.idle();
    };
    const alertsOf = async (rule: string) => (await s.app.inject(`/api/alerts?rule=${rule}&limit=500`)).json<{ alerts: Alert[] }>().alerts;
    const detail = async (id: number) => (await s.app.inject(`/api/alerts/${id}`)).json<AlertDetail>();
    const changes = (rule: string) => live.filter((e) => e.type === 'alert.changed' && e.rule === rule);

    it('opens one alert per rule × station with the value that crossed, holds it inside the band, resolves it when clear, ignores late readings', async () => {
      await put('PM_HIGH', { kind: 'threshold', subject: { datastream: 'pm25' }, parameters: { high: 50, band: 5 } });
      await batch([
        ['ST-A', 'pm25', 0, 10],
        ['ST-B', 'pm25', 0, 20],
        ['ST-A', 'pm25', 1, 55],
        ['ST-A', 'pm25', 2, 60],
        ['ST-B', 'pm25', 1, 80],
        ['ST-A', 'pm25', 3, 70],
      ]);
      const open = await alertsOf('PM_HIGH');
      expect(open.map((a) => [a.subjectKey, a.status, a.value, a.placeCode]).sort()).toEqual([
        ['ds:ST-A/pm25', 'open', 55, open[0]?.placeCode],
        ['ds:ST-B/pm25', 'open', 80, open[0]?.placeCode],
      ]);
      expect(open[0]?.placeCode).toMatch(/^\d{5}$/);
      expect(changes('PM_HIGH').map((e) => e.type === 'alert.changed' && e.status)).toEqual(['open', 'open']);

      // 48 and 52 wander around the threshold inside the band: no flapping.
      await batch([
        ['ST-A', 'pm25', 4, 48],
        ['ST-A', 'pm25', 5, 52],
        ['ST-A', 'pm25', 6, 46],
      ]);
      const a = open.find((x) => x.subjectKey === 'ds:ST-A/pm25')!;
      expect((await detail(a.id)).status).toBe('open');
      expect(changes('PM_HIGH')).toHaveLength(2);

      // Below high − band: resolved by the rule. A late reading of B (older than what was seen) changes nothing.
      await batch([
        ['ST-A', 'pm25', 7, 44],
        ['ST-B', 'pm25', -1, 5],
      ]);
      expect(await detail(a.id)).toMatchObject({ status: 'resolved', autoResolved: true, resolvedBy: 'system' });
      expect((await detail(a.id)).timeline.map((e) => e.kind)).toEqual(['opened', 'resolved']);
      expect((await alertsOf('PM_HIGH')).find((x) => x.subjectKey === 'ds:ST-B/pm25')?.status).toBe('open');
      expect(changes('PM_HIGH').map((e) => e.type === 'alert.changed' && e.status)).toEqual(['open', 'open', 'resolved']);
    });

    it('evaluates 50 rules over 10 datastreams from one batch', async () => {
      for (let d = 0; d < 10; d++) for (let k = 0; k < 5; k++) await put(`MANY_D${d}_${k}`, { kind: 'threshold', subject: { datastream: `d${d}` }, parameters: { high: 10 * (k + 1) } });
      // d0..d9 each read 25 then (d even) 5: rules at 10 and 20 raise on every datastream; the even ones clear again.
      await batch([...Array.from({ length: 10 }, (_, d) => ['ST-C', `d${d}`, 10, 25] as [string, string, number, number]), ...Array.from({ length: 5 }, (_, i) => ['ST-C', `d${2 * i}`, 11, 5] as [string, string, number, number])]);
      const all = (await s.app.inject('/api/alerts?limit=500')).json<{ alerts: Alert[] }>().alerts.filter((x) => x.rule.startsWith('MANY_'));
      expect(all).toHaveLength(20);
      expect(all.every((x) => x.value === 25)).toBe(true);
      expect(all.filter((x) => x.status === 'open').map((x) => x.rule).sort()).toEqual(['d1', 'd3', 'd5', 'd7', 'd9'].flatMap((d) => [`MANY_${d.toUpperCase()}_0`, `MANY_${d.toUpperCase()}_1`]).sort());
      expect(all.filter((x) => x.status === 'resolved')).toHaveLength(10);
    });

    it('applies a rule changed through the API on the next batch', async () => {
      await put('CHANGED', { kind: 'threshold', subject: { datastream: 'd0' }, parameters: { high: 100 } });
      await batch([['ST-C', 'd0', 20, 90]]);
      expect(await alertsOf('CHANGED')).toEqual([]);
      await put('CHANGED', { kind: 'threshold', subject: { datastream: 'd0' }, parameters: { high: 80 } });
      await batch([['ST-C', 'd0', 21, 91]]);
      expect((await alertsOf('CHANGED')).map((x) => [x.status, x.value])).toEqual([['open', 91]]);
      // Disabled: it no longer judges (the open alert stays for people to handle).
      await put('CHANGED', { kind: 'threshold', subject: { datastream: 'd0' }, parameters: { high: 80 }, enabled: false });
      await batch([['ST-C', 'd0', 22, 10]]);
      expect((await alertsOf('CHANGED')).map((x) => x.status)).toEqual(['open']);
    });

    it('raises on a rate of change between readings of one batch', async () => {
      await put('FAST_RISE', { kind: 'rate_of_change', subject: { datastream: 'd3' }, parameters: { maxPerHour: 60, direction: 'up' } });
      // +10 in 5 minutes is 120 per hour; then +1 in 5 minutes clears it.
      await batch([
        ['ST-C', 'd3', 30, 5],
        ['ST-C', 'd3', 35, 15],
        ['ST-C', 'd3', 40, 16],
      ]);
      expect((await alertsOf('FAST_RISE')).map((x) => [x.subjectKey, x.status, x.value])).toEqual([['ds:ST-C/d3', 'resolved', 15]]);
    });

    it('breaks the silence a no-data rule raised on the tick, and the tick sees the reading', async () => {
      await put('QUIET', { kind: 'no_data', subject: { datastream: 'd9' }, parameters: { periodMinutes: 10, periods: 3 } });
      const base = s.ctx.clock;
      try {
        s.ctx.clock = fixedClock(at(200));
        await s.app.alerts.tick();
        expect((await alertsOf('QUIET')).map((x) => [x.subjectKey, x.status])).toEqual([['ds:d9', 'open']]);
        await batch([['ST-C', 'd9', 199, 7]]);
        expect((await alertsOf('QUIET')).map((x) => x.status)).toEqual(['resolved']);
        await s.app.alerts.tick();
        expect((await alertsOf('QUIET')).map((x) => x.status)).toEqual(['resolved']);
      } finally {
        s.ctx.clock = base;
      }
    });

    it('resumes after a restart from what was written: the open alert, the last instant seen', async () => {
      await put('RESTART', { kind: 'threshold', subject: { datastream: 'temp' }, parameters: { high: 30, band: 2 } });
      const reading = (minute: number, value: number) => ({ station: 'ST-D', datastream: 'temp', placeCode: null, at: at(minute), value });
      const first = new AlertStream(s.ctx, s.app.alerts);
      await first.evaluate([reading(50, 35)]);
      await first.stop();
      expect((await alertsOf('RESTART')).map((x) => [x.status, x.value])).toEqual([['open', 35]]);
      const second = new AlertStream(s.ctx, s.app.alerts);
      try {
        // Older than the instant written by the first: ignored, though it is below the band.
        await second.evaluate([reading(49, 10)]);
        // Inside the band of the open alert: holds.
        await second.evaluate([reading(51, 29)]);
        expect((await alertsOf('RESTART')).map((x) => x.status)).toEqual(['open']);
        await second.evaluate([reading(52, 27)]);
        expect((await alertsOf('RESTART')).map((x) => x.status)).toEqual(['resolved']);
      } finally {
        await second.stop();
      }
    });

    it.skipIf(!mqttUrl)('raises from a reading published over MQTT, through the channel given the app’s stream', async () => {
      const id = randomBytes(4).toString('hex');
      const topic = `wf-test/${id}/${engine.engine}/alerts`;
      const src = await s.app.inject({
        method: 'POST',
        url: '/api/sources',
        payload: { code: 'MQ-ALERTS', name: 'Trạm MQTT', kind: 'mqtt', ownerOrganisationCode: 'VL-STC', mapping: { sensors: { mqtt: { url: mqttUrl, topics: [topic], clientId: `wf-test-al-${id}-${engine.engine}` } } } },
      });
      expect(src.statusCode, src.body).toBe(201);
      const st = await s.app.inject({ method: 'POST', url: '/api/stations', payload: { code: 'ST-M', name: 'ST-M', ...TRA_VINH, source: 'MQ-ALERTS', datastreams: [{ code: 'no2', indicator: 'PM25', unit: 'µg/m³' }] } });
      expect(st.statusCode, st.body).toBe(201);
      await put('MQ_NO2', { kind: 'threshold', subject: { datastream: 'no2' }, parameters: { high: 200 } });
      const channel = new MqttChannel(s.ctx, { instance: `t-${id}`, subscription: { sessionExpirySeconds: 120, reconnectMs: 100 } });
      const publisher = await mqtt.connectAsync(mqttUrl ?? '', { clientId: `wf-test-al-pub-${id}` });
      try {
        await channel.tick();
        expect(channel.active).toEqual(['MQ-ALERTS']);
        await publisher.publishAsync(topic, JSON.stringify([{ station: 'ST-M', datastream: 'no2', at: at(60), value: 150 }, { station: 'ST-M', datastream: 'no2', at: at(61), value: 240 }]), { qos: 1 });
        const end = Date.now() + 10_000;
        while ((await alertsOf('MQ_NO2')).length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
        await s.app.alertStream.idle();
        expect((await alertsOf('MQ_NO2')).map((x) => [x.subjectKey, x.status, x.value])).toEqual([['ds:ST-M/no2', 'open', 240]]);
      } finally {
        await publisher.endAsync();
        await channel.stop();
      }
    });
  });
}
