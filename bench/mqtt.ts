import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { fixedClock } from '@watchfloor/core';
import { MqttChannel, type AppContext } from '@watchfloor/server';
import { BENCH_MQTT_URL, benchStations, mqttBenchSource, prepareSensorBench } from './sensor-bench';
import { assertSameAnswer, benchEngines, benchScale, serveBench, type BenchResult } from './util';

/**
 * The MQTT benchmark: N readings (200,000 × WATCHFLOOR_BENCH_SCALE) published
 * with QoS 1 to the local Mosquitto and received by Watchfloor's MQTT channel
 * (persistent session, acknowledged after commit), stored and rolled up to
 * daily means, timed from the first publish to the last commit; on SQLite
 * (a file, WAL) and PostgreSQL. Two message shapes: one reading per message,
 * and 100 readings per message (a gateway's batch). Every reading published
 * must be stored once with its value. The reference, measured in the same
 * run, is a floor rather than a baseline (it stores nothing): a bare mqtt.js
 * subscriber (QoS 1, acknowledged at once) counting the same messages, the
 * rate at which the broker can hand them over at all.
 *
 * Mosquitto's defaults bound a subscriber's backlog: max_inflight_messages 20
 * (unacknowledged QoS 1 messages in flight per client) and
 * max_queued_messages 1000 (queued beyond those; more are dropped, even for
 * a persistent session). The publisher therefore keeps at most WINDOW
 * messages ahead of what the receiver has taken, as a sender must with
 * these defaults.
 */
const clock = fixedClock('2026-11-28T03:00:00Z');
const STATIONS = 20;
const WINDOW = 500;
const STALL_MS = 30_000;

const N = Math.max(STATIONS, Math.round(200_000 * benchScale()));

/** Reading i: station i mod STATIONS, hour i div STATIONS from 1 January 2026 (Vietnam time). */
function reading(i: number) {
  const hour = Math.floor(i / STATIONS);
  return { station: `BENCH-${i % STATIONS}`, datastream: 'pm25', at: new Date(Date.UTC(2025, 11, 31, 17) + hour * 3_600_000).toISOString(), value: 5 + (i % 90) };
}

function messages(perMessage: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < N; i += perMessage) {
    const items = [];
    for (let j = i; j < Math.min(N, i + perMessage); j++) items.push(reading(j));
    out.push(Buffer.from(JSON.stringify(perMessage === 1 ? items[0] : items)));
  }
  return out;
}

/** Resolves when `done()` holds; rejects when `count()` has not moved for STALL_MS (a message lost or a receiver stuck). */
function progressOf(count: () => number, done: () => boolean, what: string): { promise: Promise<void>; check: () => void } {
  let last = -1;
  let lastAt = Date.now();
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const timer = setInterval(() => {
    if (count() !== last) {
      last = count();
      lastAt = Date.now();
    } else if (Date.now() - lastAt > STALL_MS) {
      clearInterval(timer);
      reject(new Error(`${what}: no progress for ${STALL_MS / 1000} s at ${count()}`));
    }
  }, 500);
  return {
    promise,
    check: () => {
      if (done()) {
        clearInterval(timer);
        resolve();
      }
    },
  };
}

/** Publishes with QoS 1, never more than WINDOW messages ahead of `taken()`; resolves when all are published. */
async function publishAll(topic: string, payloads: Buffer[], taken: () => number, progress: { wake: (() => void) | null }): Promise<void> {
  const pub = await mqtt.connectAsync(BENCH_MQTT_URL, { clientId: `wf-bench-pub-${randomBytes(4).toString('hex')}` });
  try {
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < payloads.length; i++) {
      while (i - taken() >= WINDOW) await new Promise<void>((r) => (progress.wake = r));
      pending.push(pub.publishAsync(topic, payloads[i]!, { qos: 1 }));
      if (pending.length >= 200) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
  } finally {
    await pub.endAsync();
  }
}

/** The bare subscriber: messages per second from the first publish to the last message received. */
async function baseline(payloads: Buffer[]): Promise<number> {
  const readings = payloads.reduce((n, p) => n + ([JSON.parse(p.toString('utf8')) as unknown].flat().length), 0);
  if (readings !== N) throw new Error(`the messages hold ${readings} readings, not ${N}`);
  const id = randomBytes(4).toString('hex');
  const topic = `wf-bench/${id}/base`;
  const sub = await mqtt.connectAsync(BENCH_MQTT_URL, { clientId: `wf-bench-base-${id}`, clean: true });
  await sub.subscribeAsync(topic, { qos: 1 });
  let received = 0;
  const progress: { wake: (() => void) | null } = { wake: null };
  const all = progressOf(() => received, () => received === payloads.length, 'bare subscriber');
  sub.on('message', () => {
    received++;
    progress.wake?.();
    all.check();
  });
  const t0 = performance.now();
  await publishAll(topic, payloads, () => received, progress);
  await all.promise;
  const seconds = (performance.now() - t0) / 1000;
  await sub.endAsync();
  return payloads.length / seconds;
}


/** Readings per second through Watchfloor: first publish → every reading committed. */
async function throughWatchfloor(ctx: AppContext, payloads: Buffer[]): Promise<number> {
  // The source and stations registered over the API with an administrator's token; the channel runs in-process, as `watchfloor start` runs it.
  const server = await serveBench(ctx);
  let source: Awaited<ReturnType<typeof mqttBenchSource>>;
  try {
    source = await mqttBenchSource(server, 'BENCH-MQ', 'readings');
    await benchStations(server, Array.from({ length: STATIONS }, (_, s) => `BENCH-${s}`), [{ code: 'pm25', indicator: 'ENV_PM25', unit: 'µg/m³', scale: null }]);
  } finally {
    await server.close();
  }
  const { id, topic } = source;
  let messagesTaken = 0;
  let readings = 0;
  const progress: { wake: (() => void) | null } = { wake: null };
  const all = progressOf(() => readings, () => readings >= N, 'Watchfloor');
  const channel = new MqttChannel(ctx, {
    instance: `bench-${id}`,
    subscription: { sessionExpirySeconds: 300 },
    onCommitted: (_source, m, r) => {
      messagesTaken += m;
      readings += r;
      progress.wake?.();
      all.check();
    },
  });
  await channel.tick();
  const t0 = performance.now();
  try {
    await publishAll(topic, payloads, () => messagesTaken, progress);
    await all.promise;
  } catch (e) {
    await channel.stop();
    throw e;
  }
  const seconds = (performance.now() - t0) / 1000;
  await channel.stop();
  // The answer: every reading published is stored, once, with its value.
  const stored = await ctx.store.db.selectFrom('reading').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('value').as('sum')]).executeTakeFirstOrThrow();
  let sum = 0;
  for (let i = 0; i < N; i++) sum += reading(i).value;
  assertSameAnswer('readings stored through MQTT', { readings: Number(stored.n), sum: Number(stored.sum) }, { readings: N, sum });
  // Readings are the same on every pass: clear them so the next shape stores them anew.
  await ctx.store.db.deleteFrom('reading').execute();
  return N / seconds;
}

/** Runs the MQTT benchmark on each engine. */
export async function benchMqtt(pgUrl: string | null): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const shapes = [
    { name: '1 reading per message', perMessage: 1 },
    { name: '100 readings per message', perMessage: 100 },
  ];
  const engines = benchEngines(pgUrl, 'wf-bench-mqtt-');
  const payloads = new Map(shapes.map((shape) => [shape.name, messages(shape.perMessage)]));
  const baselines = new Map<string, number>();
  for (const shape of shapes) {
    const base = (await baseline(payloads.get(shape.name)!)) * shape.perMessage;
    baselines.set(shape.name, base);
    out.push({ name: `bare mqtt.js subscriber, ${shape.name} (floor)`, value: base, unit: 'rdg/s' });
  }
  // One prepared database per engine; each shape's readings are cleared after it, so the next stores them anew.
  for (const e of engines) {
    const { store, done } = await e.open();
    try {
      const ctx = await prepareSensorBench(store, clock);
      for (const shape of shapes) {
        const rate = await throughWatchfloor(ctx, payloads.get(shape.name)!);
        out.push({ name: `stored and rolled up, ${e.name}, ${shape.name} (${N})`, value: rate, unit: 'rdg/s', ratio: rate / baselines.get(shape.name)!, against: 'floor' });
      }
    } finally {
      await done();
    }
  }
  return out;
}
