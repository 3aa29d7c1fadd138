import { openAsBlob } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANONYMOUS, apiTokenCreateSchema, fixedClock, ROLES, type ObservationInputRaw } from '@watchfloor/core';
import { IndicatorsRepository, PlacesRepository, migrateToLatest, type Store } from '@watchfloor/db';
import { IdentityService, REFERENCE_DATA_DIR, buildApp, createLiveHub, loadConfig, loadGeography, seedOrganisations } from '@watchfloor/server';
import { CATALOGUE_FILES, readCatalogues } from '../packages/server/src/features/indicators/seed';
import { assertSameAnswer, benchEngines, benchScale, percentile, storedObservations, type BenchEngine, type BenchResult } from './util';

type Stored = Awaited<ReturnType<typeof storedObservations>>;

/**
 * The upload benchmark: a 1,000,000-row CSV sent as one multipart upload
 * over real HTTP with a real API token, against the same rows pushed as
 * NDJSON (requests of 5,000) to a fresh database of the same engine in the
 * same run. While the upload runs, /healthz is asked again and again and
 * its latency recorded, and the process's RSS is sampled: the upload must
 * not stall the server nor hold the file. Both databases must hold the same
 * rows afterwards (count and sum of values), else the bench fails.
 * WATCHFLOOR_BENCH_SCALE (0 < s ≤ 1) sends fewer rows (0.001: 1,000).
 */
const clock = fixedClock('2026-11-28T03:00:00Z');
const TOTAL = 1_000_000;
const PUSH_BATCH = 5000;
const REFORM = '2025-07-01';
/** Each indicator's values kept within its valid range. */
const DAILY: [string, (i: number) => number][] = [
  ['ENV_PM25', (i) => 5 + (i % 90)],
  ['ENV_AQI', (i) => 20 + (i % 180)],
  ['ENV_SALINITY', (i) => (i % 37) * 0.5],
  ['ENV_WATER_LEVEL', (i) => -50 + (i % 250)],
];

/**
 * Goals, as project targets (printed as `× goal`, never as baselines). The
 * push is not a baseline either (the ingest bench's COPY is the fastest way
 * to store rows): the upload's goal is to keep up with it, so the upload's
 * rate is printed against the push measured in the same run.
 */
const GOALS = { ratio: 1, rssMiB: 300, healthP99Ms: 200 };

async function communes(store: Store, province: string, at: string): Promise<string[]> {
  const places = new PlacesRepository(store.db);
  const under = async (code: string): Promise<string[]> => {
    const out: string[] = [];
    for (const child of await places.listAt(at, { parentCode: code })) out.push(...(child.level === 'commune' ? [child.code] : await under(child.code)));
    return out;
  };
  return under(province);
}

/** Daily readings of four indicators for every commune (Trà Vinh's before the 2025 reform, Vĩnh Long's after), from 2021 on. */
async function rowsFor(store: Store, n: number): Promise<ObservationInputRaw[]> {
  const before = await communes(store, '84', '2024-06-30');
  const after = await communes(store, '86', '2026-01-01');
  const out: ObservationInputRaw[] = [];
  for (let day = 0; out.length < n; day++) {
    const date = new Date(Date.UTC(2021, 0, 1 + day)).toISOString().slice(0, 10);
    for (const place of date < REFORM ? before : after) {
      for (const [indicator, value] of DAILY) if (out.length < n) out.push({ indicator, place, period: date, value: value(out.length) });
    }
  }
  return out;
}

/** A fresh database with the geography, the organisations and the PCI and demo catalogues (no figures). */
export async function prepare(store: Store): Promise<void> {
  await migrateToLatest(store);
  await loadGeography(store, { dataDir: REFERENCE_DATA_DIR, clock });
  await seedOrganisations(store, { dataDir: REFERENCE_DATA_DIR, clock });
  const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.pci, CATALOGUE_FILES.demo]);
  await new IndicatorsRepository(store.db).upsert(definitions, clock.now().toISOString());
}

interface Server {
  base: string;
  token: string;
  store: Store;
  close: () => Promise<void>;
}

/** A fresh database of the engine behind a listening server, and an API token holding every role, as a client would have. */
async function serve(engine: BenchEngine): Promise<Server> {
  const { store, done } = await engine.open();
  await prepare(store);
  const live = await createLiveHub(store);
  const ctx = { store, clock, config: loadConfig({ WATCHFLOOR_LOG_LEVEL: 'silent', WATCHFLOOR_PUSH_LIMIT_BYTES: String(64 * 1024 * 1024), WATCHFLOOR_UPLOAD_LIMIT_BYTES: String(512 * 1024 * 1024) }), live };
  const app = await buildApp(ctx, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const { token } = await new IdentityService(ctx).createToken(apiTokenCreateSchema.parse({ name: 'bench', roles: ROLES.map((role) => ({ role })) }), ANONYMOUS);
  return {
    base: `http://127.0.0.1:${address.port}`,
    token,
    store,
    close: async () => {
      await app.close();
      await live.close();
      await done();
    },
  };
}

async function createSource(s: Server, code: string, kind: 'http_push' | 'file'): Promise<string | null> {
  const r = await fetch(`${s.base}/api/sources`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ code, name: code, kind, ownerOrganisationCode: 'VL-SNNMT' }),
  });
  if (r.status !== 201) throw new Error(`source: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { token: string | null }).token;
}

/** What the database holds, to compare the two channels' results. */
const stored = storedObservations;

async function push(engine: BenchEngine, rows: readonly ObservationInputRaw[]): Promise<{ ms: number; stored: Stored }> {
  const s = await serve(engine);
  try {
    const token = await createSource(s, 'BENCH-PUSH', 'http_push');
    const bodies: string[] = [];
    for (let i = 0; i < rows.length; i += PUSH_BATCH) bodies.push(rows.slice(i, i + PUSH_BATCH).map((r) => JSON.stringify(r)).join('\n'));
    const t0 = performance.now();
    for (const body of bodies) {
      const r = await fetch(`${s.base}/api/sources/BENCH-PUSH/push`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, body });
      const answer = (await r.json()) as { rejected?: number };
      if (r.status !== 200 || answer.rejected) throw new Error(`push: ${r.status} ${JSON.stringify(answer).slice(0, 500)}`);
    }
    return { ms: performance.now() - t0, stored: await stored(s.store) };
  } finally {
    await s.close();
  }
}

async function upload(engine: BenchEngine, csvPath: string): Promise<{ ms: number; stored: Stored; rssMiB: number; healthMs: number[] }> {
  const s = await serve(engine);
  try {
    await createSource(s, 'BENCH-FILE', 'file');
    const form = new FormData();
    // A Blob backed by the file: the client streams it, as a browser would.
    form.append('file', await openAsBlob(csvPath), 'bench.csv');
    global.gc?.();
    const idle = process.memoryUsage().rss;
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const healthMs: number[] = [];
    let running = true;
    const t0 = performance.now();
    const answer = fetch(`${s.base}/api/sources/BENCH-FILE/upload`, { method: 'POST', headers: { authorization: `Bearer ${s.token}` }, body: form }).then(async (r) => {
      const body = (await r.json()) as { rejected?: number; accepted?: number };
      running = false;
      return { status: r.status, body, ms: performance.now() - t0 };
    });
    while (running) {
      const h0 = performance.now();
      const h = await fetch(`${s.base}/healthz`);
      await h.arrayBuffer();
      if (running) healthMs.push(performance.now() - h0);
    }
    const done = await answer;
    clearInterval(sampler);
    if (done.status !== 200 || done.body.rejected) throw new Error(`upload: ${done.status} ${JSON.stringify(done.body).slice(0, 500)}`);
    return { ms: done.ms, stored: await stored(s.store), rssMiB: (peak - idle) / 1024 / 1024, healthMs };
  } finally {
    await s.close();
  }
}

/** Runs the upload benchmark on each engine. */
export async function benchUpload(pgUrl: string | null): Promise<BenchResult[]> {
  const scale = benchScale();
  const n = Math.max(1, Math.round(TOTAL * scale));
  const dir = await mkdtemp(join(tmpdir(), 'wf-bench-upload-'));
  const out: BenchResult[] = [];
  try {
    const engines = benchEngines(pgUrl, 'wf-bench-upload-db-');
    // The rows, once, from a scratch database with the geography.
    const first = engines[0];
    if (!first) return out;
    const scratch = await first.open();
    let rows: ObservationInputRaw[];
    try {
      await prepare(scratch.store);
      rows = await rowsFor(scratch.store, n);
    } finally {
      await scratch.done();
    }
    const csvPath = join(dir, 'bench.csv');
    await writeFile(csvPath, `indicator,place,period,value\n${rows.map((r) => `${r.indicator},${r.place},${r.period},${r.value}`).join('\n')}\n`);
    const rate = (ms: number) => n / (ms / 1000);
    for (const engine of engines) {
      const pushed = await push(engine, rows);
      const uploaded = await upload(engine, csvPath);
      assertSameAnswer(`${engine.name}: rows stored by the upload`, uploaded.stored, pushed.stored);
      const p99 = uploaded.healthMs.length ? percentile(uploaded.healthMs, 99) : 0;
      out.push(
        { name: `${engine.name}: HTTP push, NDJSON, requests of ${PUSH_BATCH} (${n} rows; ${pushed.stored.rows} rows, Σ ${pushed.stored.sum})`, value: rate(pushed.ms), unit: 'rows/s' },
        { name: `${engine.name}: CSV upload, one file (goal ≥ ${GOALS.ratio}× push)`, value: rate(uploaded.ms), unit: 'rows/s', ratio: rate(uploaded.ms) / rate(pushed.ms), against: 'push' },
        { name: `${engine.name}: peak RSS above idle during the upload (goal ≤ ${GOALS.rssMiB} MiB)`, value: uploaded.rssMiB, unit: 'MiB', goal: uploaded.rssMiB / GOALS.rssMiB },
        { name: `${engine.name}: /healthz p99 during the upload, ${uploaded.healthMs.length} asked (goal ≤ ${GOALS.healthP99Ms} ms)`, value: p99, unit: 'ms', goal: p99 / GOALS.healthP99Ms },
      );
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
