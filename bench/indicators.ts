import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { fixedClock, indicatorDefinitionSchema, type IndicatorDefinition, type ObservationInputRaw } from '@watchfloor/core';
import { IndicatorsRepository, ObservationsRepository, PlacesRepository, migrateToLatest, openStore, type Store } from '@watchfloor/db';
import { REFERENCE_DATA_DIR, buildApp, loadConfig, loadGeography } from '@watchfloor/server';
import { ObservationWriter } from '../packages/server/src/features/observations/writer';
import { percentile, withPgSchema, type BenchResult } from './util';

/**
 * The indicators issue's benchmark: 124 communes × 60 indicators × 5 years
 * (44 daily, 16 monthly: about 10 million observations) loaded through the
 * one write path, then the province overview for a month and one
 * indicator's drill-down by commune, each against bare SQL over the raw
 * facts giving the same figures, in the same run. WATCHFLOOR_BENCH_SCALE
 * (0 < s ≤ 1) shortens the time span for a quick run.
 */
const clock = fixedClock('2030-07-15T03:00:00Z');
const DAILY = 44;
const MONTHLY = 16;
const FROM = '2025-07-01';
const YEARS = 5;
const QUERY_RUNS = 60;

function catalogue(): IndicatorDefinition[] {
  const common = { kind: 'base', domain: 'other', direction: 'higher_is_better', unit: 'đv' } as const;
  const defs = [
    ...Array.from({ length: DAILY }, (_, i) => ({ ...common, code: `BENCH_D${String(i + 1).padStart(2, '0')}`, frequency: 'day', aggregation: i % 2 ? { places: 'mean', time: 'mean' } : { places: 'sum', time: 'sum' } })),
    ...Array.from({ length: MONTHLY }, (_, i) => ({ ...common, code: `BENCH_M${String(i + 1).padStart(2, '0')}`, frequency: 'month', aggregation: { places: 'sum', time: 'sum' } })),
  ];
  return defs.map((d) => indicatorDefinitionSchema.parse({ ...d, names: { vi: d.code, en: d.code } }));
}

function* days(from: string, count: number): Generator<string> {
  const d = new Date(`${from}T00:00:00Z`);
  for (let i = 0; i < count; i++) {
    yield d.toISOString().slice(0, 10);
    d.setUTCDate(d.getUTCDate() + 1);
  }
}

/** Deterministic values: a smooth function of the indices, no randomness needed. */
const valueOf = (i: number, j: number, k: number) => 50 + ((i * 7 + j * 13 + k * 3) % 97) + (k % 7) * 0.5;

function* rows(communes: readonly string[], scale: number): Generator<ObservationInputRaw> {
  const dayCount = Math.max(31, Math.round(YEARS * 365.25 * scale));
  const dayList = [...days(FROM, dayCount)];
  const months = [...new Set(dayList.map((d) => d.slice(0, 7)))];
  for (let j = 0; j < communes.length; j++) {
    for (let i = 0; i < DAILY; i++) {
      const indicator = `BENCH_D${String(i + 1).padStart(2, '0')}`;
      for (let k = 0; k < dayList.length; k++) yield { indicator, place: communes[j]!, period: dayList[k]!, value: valueOf(i, j, k) };
    }
    for (let i = 0; i < MONTHLY; i++) {
      const indicator = `BENCH_M${String(i + 1).padStart(2, '0')}`;
      for (let k = 0; k < months.length; k++) yield { indicator, place: communes[j]!, period: months[k]!, value: valueOf(i, j, k) * 30 };
    }
  }
}

async function timeRuns(runs: number, f: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 5; i++) await f();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    out.push(performance.now() - t);
  }
  return out;
}

async function benchOn(label: string, open: () => Promise<{ store: Store; done: () => Promise<void> }>, scale: number): Promise<BenchResult[]> {
  const { store, done } = await open();
  try {
    await migrateToLatest(store);
    await loadGeography(store, { dataDir: REFERENCE_DATA_DIR, clock });
    await new IndicatorsRepository(store.db).upsert(catalogue(), clock.now().toISOString());
    const places = new PlacesRepository(store.db);
    const communes = (await places.listAt('2026-01-01', { parentCode: '86' })).map((p) => p.code);
    const writer = new ObservationWriter(store, clock);

    let n = 0;
    let batch: ObservationInputRaw[] = [];
    const t0 = performance.now();
    for (const r of rows(communes, scale)) {
      batch.push(r);
      if (batch.length === 5000) {
        n += (await writer.write(batch, { source: 'bench' }, { deferRollup: true })).accepted;
        batch = [];
      }
    }
    if (batch.length) n += (await writer.write(batch, { source: 'bench' }, { deferRollup: true })).accepted;
    const loadMs = performance.now() - t0;
    const t1 = performance.now();
    await store.db.transaction().execute((trx) => new ObservationsRepository(trx, store).rebuildRollup());
    const rollupMs = performance.now() - t1;

    const app = await buildApp({ store, clock, config: loadConfig({ WATCHFLOOR_LOG_LEVEL: 'silent' }) }, { logger: false });
    await app.ready();
    const lastDay = [...days(FROM, Math.max(31, Math.round(YEARS * 365.25 * scale)))].at(-1)!;
    // The last whole month of the data.
    const month = lastDay.slice(8) === '31' || lastDay.slice(5) === '06-30' ? lastDay.slice(0, 7) : previousMonth(lastDay.slice(0, 7));
    const [y, m] = month.split('-');
    const start = `${month}-01`;
    const end = `${month}-${String(new Date(Date.UTC(Number(y), Number(m), 0)).getUTCDate()).padStart(2, '0')}`;
    const province = (await places.findAt('86', '2026-01-01'))!;

    const overview = await timeRuns(QUERY_RUNS, async () => {
      const r = await app.inject(`/api/overview?place=86&period=${month}&at=2026-01-01`);
      if (r.statusCode !== 200) throw new Error(r.body);
    });
    const drill = await timeRuns(QUERY_RUNS, async () => {
      const r = await app.inject(`/api/indicators/BENCH_D01/breakdown?place=86&period=${month}&at=2026-01-01&by=place`);
      if (r.statusCode !== 200) throw new Error(r.body);
    });
    // Baselines: bare SQL over the raw facts for the same figures (each indicator's month at the province; one indicator's month per commune).
    const bareOverview = await timeRuns(QUERY_RUNS, () =>
      sql`select o.indicator_code, sum(o.value * a.share) as s, sum(a.share) as w
          from observation o join place_ancestry a on a.place_id = o.place_id
          where a.ancestor_id = ${province.id} and o.period_start >= ${start} and o.period_end <= ${end} and o.org_code = ''
          group by o.indicator_code`.execute(store.db),
    );
    const bareDrill = await timeRuns(QUERY_RUNS, () =>
      sql`select o.place_id, sum(o.value) as s, count(*) as n
          from observation o
          where o.indicator_code = 'BENCH_D01' and o.period_start >= ${start} and o.period_end <= ${end} and o.org_code = ''
          group by o.place_id`.execute(store.db),
    );
    await app.close();
    const p = (xs: number[], q: number) => percentile(xs, q);
    return [
      { name: `${label}: load through the write path (${n.toLocaleString('en')} rows)`, value: n / (loadMs / 1000), unit: 'rows/s' },
      { name: `${label}: rollup rebuild`, value: rollupMs, unit: 'ms' },
      { name: `${label}: bare SQL, province month, all indicators p50 (baseline)`, value: p(bareOverview, 50), unit: 'ms' },
      { name: `${label}: bare SQL, province month, all indicators p95 (baseline)`, value: p(bareOverview, 95), unit: 'ms' },
      { name: `${label}: overview API p50`, value: p(overview, 50), unit: 'ms', ratio: p(overview, 50) / p(bareOverview, 50) },
      { name: `${label}: overview API p95`, value: p(overview, 95), unit: 'ms', ratio: p(overview, 95) / p(bareOverview, 95) },
      { name: `${label}: bare SQL, one indicator by commune p50 (baseline)`, value: p(bareDrill, 50), unit: 'ms' },
      { name: `${label}: bare SQL, one indicator by commune p95 (baseline)`, value: p(bareDrill, 95), unit: 'ms' },
      { name: `${label}: drill-down API p50`, value: p(drill, 50), unit: 'ms', ratio: p(drill, 50) / p(bareDrill, 50) },
      { name: `${label}: drill-down API p95`, value: p(drill, 95), unit: 'ms', ratio: p(drill, 95) / p(bareDrill, 95) },
    ];
  } finally {
    await done();
  }
}

function previousMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
}

export async function benchIndicators(pgUrl: string | null): Promise<BenchResult[]> {
  const scale = Number(process.env.WATCHFLOOR_BENCH_SCALE ?? '1');
  if (!(scale > 0 && scale <= 1)) throw new Error('WATCHFLOOR_BENCH_SCALE must be in (0, 1]');
  const out: BenchResult[] = [];
  if (pgUrl) out.push(...(await benchOn('PostgreSQL', () => withPgSchema(pgUrl), scale)));
  out.push(
    ...(await benchOn(
      'SQLite',
      async () => {
        const dir = await mkdtemp(join(tmpdir(), 'wf-bench-ind-'));
        const store = openStore({ sqlitePath: join(dir, 'bench.sqlite') });
        return { store, done: async () => (await store.close(), await rm(dir, { recursive: true, force: true })) };
      },
      scale,
    )),
  );
  return out;
}
