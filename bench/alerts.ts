import mqtt from 'mqtt';
import { fixedClock } from '@watchfloor/core';
import type { Store } from '@watchfloor/db';
import { MqttChannel } from '@watchfloor/server';
import { BENCH_MQTT_URL, benchStations, mqttBenchSource, prepareSensorBench } from './sensor-bench';
import { assertSameAnswer, benchEngines, benchScale, median, percentile, serveBench, type BenchResult } from './util';

/**
 * The alerting benchmark: 1,000 threshold rules over the datastreams of 20
 * stations (50 datastream codes each, 20 rules per code), readings
 * published to the local Mosquitto at a target 20,000 readings/s for 10 s
 * (× WATCHFLOOR_BENCH_SCALE; at least 3 rounds), 100 readings per message, through the real
 * app as `watchfloor start` wires it (HTTP server, MQTT channel handed the
 * app's stream evaluator). A known subset of readings crosses a rule's
 * threshold — one per round of readings, each on another station ×
 * datastream, each crossing exactly one rule — and its latency is the time
 * from the publish of the message holding it to the matching
 * `alert.changed` (open) read by a client of GET /api/live (Server-Sent
 * Events over HTTP). The goal is a p95 ≤ 250 ms. The baseline, in the same
 * run and on the same engine, is the latency of the same crossings
 * published alone with only the 50 rules they cross. A third pass, the
 * same load with only those 50 rules, tells the ingest's share of the
 * latency (the stream waiting at the broker for the batch before it) from
 * the 950 other rules'. Rules go through the API and the live stream is
 * read with an administrator's API token; every pass must open the same
 * alerts (one per crossing) before any latency is printed.
 */
const clock = fixedClock('2026-11-28T03:00:00Z');
const STATIONS = 20;
const CODES = 50;
const scale = benchScale();
/** Rules per datastream code: 20 (1,000 rules); a tiny run (scale < 0.01, as CI runs it) keeps 2, to check the bench works. */
const RULES_PER_CODE = scale < 0.01 ? 2 : 20;
const PER_MESSAGE = 100;
const TARGET_RATE = 20_000;
const GOAL_MS = 250;
/** Messages the publisher may be ahead of what was committed (Mosquitto's default queue holds 1,000 per client). */
const WINDOW = 500;
const SETTLE_MS = 30_000;

const SECONDS = 10 * scale;
/** A round is one reading of each station × datastream (1,000 readings); 20 rounds a second at the target. */
const ROUND = STATIONS * CODES;
const ROUNDS = Math.max(3, Math.round((TARGET_RATE * SECONDS) / ROUND));
/** Readings' instants: round r is day r (one day per round keeps the daily roll-up of a batch small). */
const DAY0 = Date.UTC(2025, 0, 1, 3);
const HIGH_STEP = 1000;
const CROSSING_VALUE = 1500;

const ruleCode = (code: number, step: number) => `BENCH_D${code}_${step}`;
const dsCode = (code: number) => `d${code}`;
const stationCode = (s: number) => `BENCH-${s}`;

/** The crossing of round r: station × datastream unique per round (up to 1,000 rounds), crossing only the code's lowest rule. */
function crossingOf(r: number): { station: number; code: number; rule: string } {
  const code = r % CODES;
  return { station: Math.floor(r / CODES) % STATIONS, code, rule: ruleCode(code, 0) };
}

interface Reading {
  station: string;
  datastream: string;
  at: string;
  value: number;
}

/** Round r's readings in messages of PER_MESSAGE; which message holds the crossing. */
function roundMessages(r: number): { payloads: Buffer[]; crossingMessage: number } {
  const at = new Date(DAY0 + r * 86_400_000).toISOString();
  const c = crossingOf(r);
  const all: Reading[] = [];
  let crossingIndex = 0;
  for (let s = 0; s < STATIONS; s++) {
    for (let d = 0; d < CODES; d++) {
      const crossing = s === c.station && d === c.code;
      if (crossing) crossingIndex = all.length;
      all.push({ station: stationCode(s), datastream: dsCode(d), at, value: crossing ? CROSSING_VALUE : (s * 7 + d * 13 + r * 3) % 100 });
    }
  }
  const payloads: Buffer[] = [];
  for (let i = 0; i < all.length; i += PER_MESSAGE) payloads.push(Buffer.from(JSON.stringify(all.slice(i, i + PER_MESSAGE))));
  return { payloads, crossingMessage: Math.floor(crossingIndex / PER_MESSAGE) };
}

/** The crossing alone (the baseline): one reading, one message. */
function crossingAlone(r: number): Buffer {
  const c = crossingOf(r);
  return Buffer.from(JSON.stringify([{ station: stationCode(c.station), datastream: dsCode(c.code), at: new Date(DAY0 + r * 86_400_000).toISOString(), value: CROSSING_VALUE }]));
}


/** A client of GET /api/live: calls `onAlert` with each `alert.changed` as it is read off the stream. */
async function liveClient(base: string, token: string, onAlert: (e: { rule: string; status: string }) => void): Promise<{ close: () => void }> {
  const abort = new AbortController();
  // Signed in as an operator's screen is, with the bench's API token.
  const res = await fetch(`${base}/api/live`, { signal: abort.signal, headers: { authorization: `Bearer ${token}` } });
  if (!res.ok || !res.body) throw new Error(`GET /api/live answered ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let connected!: () => void;
  const ready = new Promise<void>((r) => (connected = r));
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (block.includes(': connected')) connected();
          for (const line of block.split('\n')) {
            if (!line.startsWith('data: ')) continue;
            const event = JSON.parse(line.slice(6)) as { type: string; rule?: string; status?: string };
            if (event.type === 'alert.changed' && event.rule && event.status) onAlert({ rule: event.rule, status: event.status });
          }
        }
      }
    } catch {
      // Closed by the bench.
    }
  })();
  await ready;
  return { close: () => abort.abort() };
}

interface RunFigures {
  latencies: number[];
  /** The rules whose alert opened, one entry per crossing, sorted: the pass's answer. */
  opened: string[];
  missing: number;
  readingsPerSecond: number;
}

/**
 * One pass on a fresh database: the app served over HTTP, the rules put
 * through the API, the MQTT channel subscribed; the rounds published on
 * schedule (at the target rate, never more than WINDOW messages ahead of
 * the commits), and each crossing timed to its event on the live stream.
 */
async function pass(store: Store, mode: 'loaded' | 'alone', rulesPerCode = mode === 'loaded' ? RULES_PER_CODE : 1): Promise<RunFigures> {
  const ctx = await prepareSensorBench(store, clock);
  const server = await serveBench(ctx);
  const { id, topic } = await mqttBenchSource(server, 'BENCH-AL', 'alerts');
  // The crossings (1,500) lie above any real PM2.5, which the indicator's valid range (0 … 1,000) refuses: the bench's datastreams declare their own.
  const datastreams = Array.from({ length: CODES }, (_, d) => ({ code: dsCode(d), indicator: 'ENV_PM25', unit: 'µg/m³', scale: null, validRange: { min: 0, max: null } }));
  await benchStations(server, Array.from({ length: STATIONS }, (_, s) => stationCode(s)), datastreams);
  for (let d = 0; d < CODES; d++) {
    for (let k = 0; k < rulesPerCode; k++) {
      await server.call('PUT', `/api/alert-rules/${ruleCode(d, k)}`, {
        names: { vi: 'Ngưỡng', en: 'Threshold' },
        kind: 'threshold',
        subject: { datastream: dsCode(d) },
        parameters: { high: HIGH_STEP * (k + 1), band: 50 },
        severity: 'warning',
      });
    }
  }

  // Crossings awaiting their event, per rule in publish order (a rule is crossed on one station after another).
  const waiting = new Map<string, number[]>();
  const latencies: number[] = [];
  const opened: string[] = [];
  const live = await liveClient(server.base, server.token, (e) => {
    if (e.status !== 'open') return;
    opened.push(e.rule);
    const sent = waiting.get(e.rule)?.shift();
    if (sent !== undefined) latencies.push(performance.now() - sent);
  });

  let messagesTaken = 0;
  let readingsTaken = 0;
  let wake: (() => void) | null = null;
  const channel = new MqttChannel(ctx, {
    instance: `bench-${id}`,
    subscription: { sessionExpirySeconds: 300 },
    onCommitted: (_source, m, r) => {
      messagesTaken += m;
      readingsTaken += r;
      wake?.();
    },
  });
  await channel.tick();
  const pub = await mqtt.connectAsync(BENCH_MQTT_URL, { clientId: `wf-bench-pub-${id}` });
  let published = 0;
  let readings = 0;
  const t0 = performance.now();
  try {
    const pending: Promise<unknown>[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // Round r is due at r / (rounds per second); a publisher behind schedule sends at once.
      const due = t0 + (r * ROUND * 1000) / TARGET_RATE;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((res) => setTimeout(res, wait));
      const c = crossingOf(r);
      const { payloads, crossingMessage } = mode === 'loaded' ? roundMessages(r) : { payloads: [crossingAlone(r)], crossingMessage: 0 };
      for (const [i, payload] of payloads.entries()) {
        while (published - messagesTaken >= WINDOW) await new Promise<void>((res) => (wake = res));
        if (i === crossingMessage) {
          const list = waiting.get(c.rule) ?? [];
          list.push(performance.now());
          waiting.set(c.rule, list);
        }
        pending.push(pub.publishAsync(topic, payload, { qos: 1 }));
        published++;
        if (pending.length >= 200) await Promise.all(pending.splice(0));
      }
      readings += mode === 'loaded' ? ROUND : 1;
    }
    await Promise.all(pending);
    // Every reading committed, then every crossing's event (or SETTLE_MS without one: counted missing).
    const end = performance.now() + SETTLE_MS;
    while (readingsTaken < readings && performance.now() < end) await new Promise((res) => setTimeout(res, 20));
    const seconds = (performance.now() - t0) / 1000;
    const expected = ROUNDS;
    while (latencies.length < expected && performance.now() < end) await new Promise((res) => setTimeout(res, 20));
    await server.app.alertStream.idle();
    return { latencies, opened: opened.sort(), missing: expected - latencies.length, readingsPerSecond: readingsTaken / seconds };
  } finally {
    await pub.endAsync();
    await channel.stop();
    live.close();
    await server.close();
  }
}

/** Runs the alerting benchmark on each engine. */
export async function benchAlerts(pgUrl: string | null): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const engines = benchEngines(pgUrl, 'wf-bench-alerts-');
  const run = async (e: (typeof engines)[number], mode: 'loaded' | 'alone', rulesPerCode?: number) => {
    const { store, done } = await e.open();
    try {
      return await pass(store, mode, rulesPerCode);
    } finally {
      await done();
    }
  };
  for (const e of engines) {
    const alone = await run(e, 'alone');
    const loaded = await run(e, 'loaded');
    // The same stream with only the 50 rules crossed: how much of the latency is the ingest's, not the other rules'.
    // (Left out of a tiny run, whose 2 rules per code are hardly more than the crossed ones.)
    const fewRules = RULES_PER_CODE > 2 ? await run(e, 'loaded', 1) : null;
    // The same answer on every pass: each crossing opened its rule's alert, and nothing else opened.
    assertSameAnswer(`${e.name}: alerts opened under load`, loaded.opened, alone.opened);
    if (fewRules) assertSameAnswer(`${e.name}: alerts opened under load with only the crossed rules`, fewRules.opened, alone.opened);
    const baseP95 = percentile(alone.latencies, 95);
    out.push({ name: `${e.name}: crossing → alert.changed alone, 50 rules, p95 (baseline)`, value: baseP95, unit: 'ms' });
    out.push({ name: `${e.name}: readings through MQTT with ${CODES * RULES_PER_CODE} rules (goal ${TARGET_RATE})`, value: loaded.readingsPerSecond, unit: 'rdg/s', goal: loaded.readingsPerSecond / TARGET_RATE });
    out.push({ name: `${e.name}: crossing → alert.changed under load, p50 (${loaded.latencies.length} crossings)`, value: median(loaded.latencies), unit: 'ms', ratio: median(loaded.latencies) / median(alone.latencies) });
    const p95 = percentile(loaded.latencies, 95);
    out.push({ name: `${e.name}: crossing → alert.changed under load, p95 (goal ≤ ${GOAL_MS} ms)`, value: p95, unit: 'ms', ratio: p95 / baseP95, goal: p95 / GOAL_MS });
    out.push({ name: `${e.name}: crossing → alert.changed under load, max`, value: Math.max(...loaded.latencies), unit: 'ms' });
    if (fewRules && fewRules.latencies.length > 0) out.push({ name: `${e.name}: the same load with only the 50 rules crossed, p95`, value: percentile(fewRules.latencies, 95), unit: 'ms', ratio: percentile(fewRules.latencies, 95) / baseP95 });
    if (alone.missing > 0) out.push({ name: `${e.name}: crossings alone without their event within ${SETTLE_MS / 1000} s`, value: alone.missing, unit: 'n' });
    if (loaded.missing > 0) out.push({ name: `${e.name}: crossings under load without their event within ${SETTLE_MS / 1000} s`, value: loaded.missing, unit: 'n' });
  }
  return out;
}
