import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { fixedClock, parsePeriod, periodEnd, periodStart, type ObservationInputRaw } from '@watchfloor/core';
import { IndicatorsRepository, PlacesRepository, migrateToLatest, openStore, versionDuring, versionsByCode, type Store } from '@watchfloor/db';
import { REFERENCE_DATA_DIR, createLiveHub, loadConfig, loadGeography, seedOrganisations } from '@watchfloor/server';
import { ObservationWriter } from '../packages/server/src/features/ingest/observations';
import { CATALOGUE_FILES, readCatalogues } from '../packages/server/src/features/indicators/seed';
import { assertSameAnswer, benchScale, serveBench, storedObservations, withPgSchema, type BenchResult } from './util';

type Stored = Awaited<ReturnType<typeof storedObservations>>;

/**
 * What the push source reports for: Vĩnh Long and the Trà Vinh it absorbed in
 * 2025 (before the reform the rows name Trà Vinh's communes), and the
 * People's Committees of both provinces and their communes (the figures
 * filed per committee).
 */
const COVERAGE = { places: ['86', '84'], organisations: ['VL-UBND', 'TV-UBND'] };

/**
 * The ingestion benchmark: 1,000,000 observations pushed over real HTTP
 * (NDJSON, 200 requests of 5,000 on one keep-alive connection, one request
 * at a time, as one sender would) to the real server on a fresh database,
 * against the same rows written straight into the same table by the
 * engine's fastest plain means (PostgreSQL: COPY FROM STDIN; SQLite: one
 * prepared insert per row in one transaction). Also the write path called
 * directly (no HTTP), to see where time goes. All three must store the
 * same rows (count and sum of values). The push goes to a source registered
 * over the API with an administrator's token, declaring what it reports for,
 * and sends with that source's token. WATCHFLOOR_BENCH_SCALE (0 < s ≤ 1)
 * sends fewer rows.
 */
const clock = fixedClock('2026-11-28T03:00:00Z');
const TOTAL = 1_000_000;
const BATCH = 5000;
const DAILY = [
  { code: 'ENV_PM25', value: (i: number) => 5 + (i % 90) },
  { code: 'ENV_AQI', value: (i: number) => 20 + (i % 180) },
  { code: 'ENV_SALINITY', value: (i: number) => (i % 37) * 0.5 },
  { code: 'ENV_WATER_LEVEL', value: (i: number) => -50 + (i % 250) },
];
/** Indicators reported per organisation too (each commune's People's Committee). */
const BY_ORGANISATION = new Set(['PS_DOSSIER_RECEIVED', 'PS_DOSSIER_RESOLVED', 'PS_DOSSIER_ON_TIME', 'PS_DOSSIER_LATE', 'PS_DOSSIER_ONLINE', 'CR_RECEIVED', 'CR_PROCESSED']);
const FIRST_MONTH = '2022-01';
const REFORM = '2025-07-01';

interface Communes {
  /** Trà Vinh's communes before the 2025 reform, Vĩnh Long's after it. */
  before: string[];
  after: string[];
}

async function communesOf(store: Store): Promise<Communes> {
  const places = new PlacesRepository(store.db);
  const under = async (code: string, at: string): Promise<string[]> => {
    const out: string[] = [];
    for (const child of await places.listAt(at, { parentCode: code })) {
      if (child.level === 'commune') out.push(child.code);
      else out.push(...(await under(child.code, at)));
    }
    return out;
  };
  return { before: await under('84', '2024-06-30'), after: await under('86', '2026-01-01') };
}

interface Monthly {
  code: string;
  min: number;
  span: number;
}

async function monthlyIndicators(): Promise<Monthly[]> {
  const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.demo]);
  return definitions
    .filter((d) => d.kind === 'base' && !d.ratio && d.frequency === 'month')
    .map((d) => {
      const min = d.validRange?.min ?? 0;
      const max = d.validRange?.max ?? min + 400;
      return { code: d.code, min, span: Math.max(1, Math.floor(max - min)) };
    });
}

function daysOf(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const n = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: n }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

const nextMonth = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};

/**
 * The rows, in the order a province would send them: month by month from
 * January 2022, each day's readings of every commune's stations, then the
 * month's figures (some also per People's Committee). Places are the
 * communes of the time (the old Trà Vinh units before the reform, the new
 * Vĩnh Long ones after it). Deterministic: values are functions of the index.
 */
function generate(n: number, communes: Communes, monthly: readonly Monthly[]): ObservationInputRaw[] {
  const out: ObservationInputRaw[] = [];
  let i = 0;
  for (let month = FIRST_MONTH; out.length < n; month = nextMonth(month)) {
    for (const day of daysOf(month)) {
      const places = day < REFORM ? communes.before : communes.after;
      for (const place of places) for (const d of DAILY) out.push({ indicator: d.code, place, period: day, value: d.value(i++) });
    }
    const places = `${month}-01` < REFORM ? communes.before : communes.after;
    for (const place of places) {
      for (const { code: indicator, min, span } of monthly) {
        out.push({ indicator, place, period: month, value: min + (i++ % span) });
        if (BY_ORGANISATION.has(indicator)) out.push({ indicator, place, period: month, organisation: `UBND-${place}`, value: min + (i++ % span) });
      }
    }
  }
  return out.slice(0, n);
}

/** A fresh database with the geography, the demo organisations and the demo catalogue (no figures). */
async function prepare(store: Store): Promise<void> {
  await migrateToLatest(store);
  await loadGeography(store, { dataDir: REFERENCE_DATA_DIR, clock });
  await seedOrganisations(store, { dataDir: REFERENCE_DATA_DIR, clock });
  const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.pci, CATALOGUE_FILES.demo]);
  await new IndicatorsRepository(store.db).upsert(definitions, clock.now().toISOString());
}

type Open = () => Promise<{ store: Store; done: () => Promise<void> }>;

/** Pushes the rows to a listening server, a request of BATCH rows at a time, from a push source registered with an administrator's API token. */
async function pushOverHttp(open: Open, rows: readonly ObservationInputRaw[]): Promise<{ ms: number; accepted: number; stored: Stored }> {
  const { store, done } = await open();
  try {
    await prepare(store);
    const live = await createLiveHub(store);
    const server = await serveBench({ store, clock, config: loadConfig({ WATCHFLOOR_LOG_LEVEL: 'silent', WATCHFLOOR_PUSH_LIMIT_BYTES: String(64 * 1024 * 1024) }), live });
    try {
      // The province's People's Committee office sends its communes' figures: the source declares what it reports for, as a steward would.
      const { token } = await server.call<{ token: string }>('POST', '/api/sources', { code: 'BENCH-PUSH', name: 'Bench push', kind: 'http_push', ownerOrganisationCode: 'VL-UBND', coverage: COVERAGE });
      const bodies: string[] = [];
      for (let i = 0; i < rows.length; i += BATCH) bodies.push(rows.slice(i, i + BATCH).map((r) => JSON.stringify(r)).join('\n'));
      let accepted = 0;
      const t0 = performance.now();
      for (const body of bodies) {
        const r = await fetch(`${server.base}/api/sources/BENCH-PUSH/push`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, body });
        const answer = (await r.json()) as { accepted?: number; rejected?: number; rejectedRows?: unknown[] };
        if (r.status !== 200 || answer.rejected) throw new Error(`push: ${r.status} ${JSON.stringify(answer).slice(0, 500)}`);
        accepted += answer.accepted ?? 0;
      }
      return { ms: performance.now() - t0, accepted, stored: await storedObservations(store) };
    } finally {
      await server.close();
      await live.close();
    }
  } finally {
    await done();
  }
}

/** Hands the rows to the write path directly, in batches of BATCH, rollup kept as the channels keep it. */
async function writeDirectly(open: Open, rows: readonly ObservationInputRaw[]): Promise<{ ms: number; accepted: number; stored: Stored }> {
  const { store, done } = await open();
  try {
    await prepare(store);
    const writer = new ObservationWriter(store, clock);
    let accepted = 0;
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += BATCH) {
      const r = await writer.write(rows.slice(i, i + BATCH), { source: 'bench', runId: null });
      if (r.rejected.length) throw new Error(`direct: ${JSON.stringify(r.rejected[0])}`);
      accepted += r.accepted;
    }
    return { ms: performance.now() - t0, accepted, stored: await storedObservations(store) };
  } finally {
    await done();
  }
}

/** The rows as stored: place and organisation resolved, period bounds computed (outside the timed part). */
async function storedRows(store: Store, rows: readonly ObservationInputRaw[], now: string): Promise<unknown[][]> {
  const places = await versionsByCode(store.db, 'place', [...new Set(rows.map((r) => r.place))]);
  const bounds = new Map<string, { kind: string; start: string; end: string }>();
  return rows.map((r) => {
    let b = bounds.get(r.period);
    if (!b) {
      const p = parsePeriod(r.period);
      b = { kind: p.kind, start: periodStart(p), end: periodEnd(p) };
      bounds.set(r.period, b);
    }
    const place = versionDuring(places.get(r.place), b.start, b.end);
    if (!place) throw new Error(`no place ${r.place}`);
    return [r.indicator, place.id, r.place, r.period, b.kind, b.start, b.end, r.organisation ?? '', r.value, 'final', 'bench', null, null, null, 1, now];
  });
}

const COLUMNS = 'indicator_code, place_id, place_code, period_key, period_kind, period_start, period_end, org_code, value, status, source, run_id, entered_by, note, revision, recorded_at';

async function copyBaseline(pgUrl: string, rows: readonly ObservationInputRaw[]): Promise<{ ms: number; stored: Stored }> {
  const { store, done } = await withPgSchema(pgUrl);
  try {
    await prepare(store);
    const text = (await storedRows(store, rows, clock.now().toISOString())).map((r) => r.map((v) => (v === null ? '\\N' : String(v))).join('\t')).join('\n') + '\n';
    const client = new pg.Client({ connectionString: pgUrl, options: `-c search_path=${store.pgSchema}` });
    await client.connect();
    try {
      const t0 = performance.now();
      await pipeline(Readable.from([text]), client.query(copyFrom(`copy observation (${COLUMNS}) from stdin`)));
      return { ms: performance.now() - t0, stored: await storedObservations(store) };
    } finally {
      await client.end();
    }
  } finally {
    await done();
  }
}

async function sqliteBaseline(rows: readonly ObservationInputRaw[]): Promise<{ ms: number; stored: Stored }> {
  const dir = await mkdtemp(join(tmpdir(), 'wf-bench-ingest-'));
  const path = join(dir, 'baseline.sqlite');
  try {
    const store = openStore({ sqlitePath: path });
    await prepare(store);
    const values = await storedRows(store, rows, clock.now().toISOString());
    await store.close();
    const db = new BetterSqlite3(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const insert = db.prepare(`insert into observation (${COLUMNS}) values (${COLUMNS.split(',').map(() => '?').join(', ')})`);
    const t0 = performance.now();
    db.transaction(() => {
      for (const v of values) insert.run(...v);
    })();
    const ms = performance.now() - t0;
    db.close();
    const reopened = openStore({ sqlitePath: path });
    try {
      return { ms, stored: await storedObservations(reopened) };
    } finally {
      await reopened.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const sqliteOpen: Open = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wf-bench-ingest-'));
  const store = openStore({ sqlitePath: join(dir, 'bench.sqlite') });
  return { store, done: async () => (await store.close(), await rm(dir, { recursive: true, force: true })) };
};

/** Runs the ingestion benchmark on each engine. */
export async function benchIngest(pgUrl: string | null): Promise<BenchResult[]> {
  const n = Math.round(TOTAL * benchScale());
  const out: BenchResult[] = [];
  const only = process.env.WATCHFLOOR_BENCH_INGEST_ONLY; // 'postgres' | 'sqlite' | undefined, for profiling one engine
  let rows: ObservationInputRaw[] | null = null;
  const rowsFor = async (store: Store) => (rows ??= generate(n, await communesOf(store), await monthlyIndicators()));
  {
    // The rows depend only on the shipped geography: read it once from a scratch database.
    const scratch = openStore({ sqlitePath: ':memory:' });
    await migrateToLatest(scratch);
    await loadGeography(scratch, { dataDir: REFERENCE_DATA_DIR, clock });
    await rowsFor(scratch);
    await scratch.close();
  }
  const all = rows!;
  const count = all.length.toLocaleString('en');
  const rate = (ms: number) => all.length / (ms / 1000);

  if (pgUrl && only !== 'sqlite') {
    const open: Open = () => withPgSchema(pgUrl);
    const copy = await copyBaseline(pgUrl, all);
    const copyMs = copy.ms;
    const direct = await writeDirectly(open, all);
    const http = await pushOverHttp(open, all);
    if (http.accepted !== all.length || direct.accepted !== all.length) throw new Error(`PostgreSQL: accepted ${http.accepted} / ${direct.accepted} of ${all.length}`);
    assertSameAnswer('PostgreSQL: rows stored by the write path', direct.stored, copy.stored);
    assertSameAnswer('PostgreSQL: rows stored by the HTTP push', http.stored, copy.stored);
    out.push(
      { name: `PostgreSQL: COPY FROM STDIN, ${count} rows (baseline)`, value: rate(copyMs), unit: 'rows/s' },
      { name: `PostgreSQL: write path called directly`, value: rate(direct.ms), unit: 'rows/s', ratio: rate(direct.ms) / rate(copyMs) },
      { name: `PostgreSQL: HTTP push, NDJSON, ${Math.ceil(all.length / BATCH)} requests of up to ${BATCH}`, value: rate(http.ms), unit: 'rows/s', ratio: rate(http.ms) / rate(copyMs) },
    );
  }
  if (only !== 'postgres') {
    const base = await sqliteBaseline(all);
    const baseMs = base.ms;
    const direct = await writeDirectly(sqliteOpen, all);
    const http = await pushOverHttp(sqliteOpen, all);
    if (http.accepted !== all.length || direct.accepted !== all.length) throw new Error(`SQLite: accepted ${http.accepted} / ${direct.accepted} of ${all.length}`);
    assertSameAnswer('SQLite: rows stored by the write path', direct.stored, base.stored);
    assertSameAnswer('SQLite: rows stored by the HTTP push', http.stored, base.stored);
    out.push(
      { name: `SQLite: prepared insert in one transaction, ${count} rows (baseline)`, value: rate(baseMs), unit: 'rows/s' },
      { name: `SQLite: write path called directly`, value: rate(direct.ms), unit: 'rows/s', ratio: rate(direct.ms) / rate(baseMs) },
      { name: `SQLite: HTTP push, NDJSON, ${Math.ceil(all.length / BATCH)} requests of up to ${BATCH}`, value: rate(http.ms), unit: 'rows/s', ratio: rate(http.ms) / rate(baseMs) },
    );
  }
  return out;
}
