import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock, indicatorDefinitionSchema, type IndicatorDefinition, type ObservationInputRaw } from '@watchfloor/core';
import { IndicatorsRepository, ObservationsRepository, PlacesRepository, migrateToLatest, openStore, type Store } from '@watchfloor/db';
import { REFERENCE_DATA_DIR, loadConfig, loadGeography } from '@watchfloor/server';
import { ObservationWriter } from '../packages/server/src/features/ingest/observations';
import { assertSameAnswer, benchScale, percentile, repetitions, serveBench, withPgSchema, type BenchResult } from './util';

/**
 * The indicators issue's benchmark: 124 communes × 60 indicators × 5 years
 * (44 daily, 16 monthly: about 10 million observations) loaded through the
 * one write path, then the province overview for a month and one
 * indicator's drill-down by commune, asked over HTTP with an API token,
 * each against the fastest honest query for the same figures in the same
 * run: the month's sums read straight from `observation_rollup`, the table
 * the API reads. Both answers must be equal (and not empty) before either is
 * timed. WATCHFLOOR_BENCH_SCALE (0 < s ≤ 1) shortens the time span.
 */
const clock = fixedClock('2030-07-15T03:00:00Z');
const DAILY = 44;
const MONTHLY = 16;
const FROM = '2025-07-01';
const YEARS = 5;
const QUERY_RUNS = 60;
/** The goal: the APIs within this factor of the fastest honest query. */
const GOAL_RATIO = 3;
/** The overview's trend of a month: 12 months. */
const TREND_MONTHS = 12;

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
  for (let i = 0; i < Math.min(5, runs); i++) await f();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await f();
    out.push(performance.now() - t);
  }
  return out;
}

/** A figure as compared between the API and the baseline: 9 significant digits, so float summation order does not matter. */
const figure = (v: number) => Number(v.toPrecision(9));

/** Month sums of the rollup as a figure: a sum, or a mean over the weight, by the indicator's aggregation. */
function fromRollup(defs: Map<string, IndicatorDefinition>, code: string, sum: number, weight: number): number {
  const def = defs.get(code);
  if (!def || def.kind !== 'base') throw new Error(`unknown bench indicator ${code}`);
  return figure(def.aggregation.places === 'mean' ? sum / weight : sum);
}

async function benchOn(label: string, open: () => Promise<{ store: Store; done: () => Promise<void> }>, scale: number): Promise<BenchResult[]> {
  const { store, done } = await open();
  try {
    await migrateToLatest(store);
    await loadGeography(store, { dataDir: REFERENCE_DATA_DIR, clock });
    const defs = catalogue();
    await new IndicatorsRepository(store.db).upsert(defs, clock.now().toISOString());
    const byCode = new Map(defs.map((d) => [d.code, d]));
    const places = new PlacesRepository(store.db);
    // A tiny run (scale < 0.01, as CI runs it) keeps a few communes: the point there is that the bench works.
    const all = await places.listAt('2026-01-01', { parentCode: '86' });
    const communes = scale < 0.01 ? all.slice(0, 8) : all;
    const writer = new ObservationWriter(store, clock);

    let n = 0;
    let batch: ObservationInputRaw[] = [];
    const t0 = performance.now();
    for (const r of rows(communes.map((c) => c.code), scale)) {
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

    // A reader signed in with an API token, as the leaders' screens are: the bench catalogue is not published, so the anonymous public would see none of it.
    const server = await serveBench({ store, clock, config: loadConfig({ WATCHFLOOR_LOG_LEVEL: 'silent' }) });
    try {
      const lastDay = [...days(FROM, Math.max(31, Math.round(YEARS * 365.25 * scale)))].at(-1)!;
      // The last whole month of the data.
      const month = lastDay.slice(8) === '31' || lastDay.slice(5) === '06-30' ? lastDay.slice(0, 7) : previousMonth(lastDay.slice(0, 7));
      const province = (await places.findAt('86', '2026-01-01'))!;
      const codeOf = new Map(communes.map((c) => [c.id, c.code]));

      const overviewApi = async () => (await server.call<OverviewAnswer>('GET', `/api/overview?place=86&period=${month}&at=2026-01-01`)).indicators;
      const drillApi = async () => (await server.call<BreakdownAnswer>('GET', `/api/indicators/BENCH_D01/breakdown?place=86&period=${month}&at=2026-01-01&by=place`)).items;
      // Baselines: the fastest honest query for the same figures, the month's sums read straight from the rollup the API reads
      // (the province's row per indicator; one indicator's row per commune).
      const overviewSql = () =>
        store.db.selectFrom('observation_rollup').select(['indicator_code', 'sum', 'weight']).where('place_id', '=', province.id).where('period_key', '=', month).execute();
      const drillSql = () =>
        store.db
          .selectFrom('observation_rollup')
          .select(['place_id', 'sum', 'weight'])
          .where('indicator_code', '=', 'BENCH_D01')
          .where('period_key', '=', month)
          .where(
            'place_id',
            'in',
            communes.map((c) => c.id),
          )
          .execute();

      // Same answer first: every indicator's month at the province, and BENCH_D01's month per commune.
      const sorted = (xs: [string, number][]) => xs.sort((a, b) => a[0].localeCompare(b[0]));
      assertSameAnswer(
        `${label}: overview of ${month}`,
        sorted((await overviewApi()).filter((i) => i.value !== null).map((i) => [i.code, figure(i.value!)])),
        sorted((await overviewSql()).map((r) => [r.indicator_code, fromRollup(byCode, r.indicator_code, Number(r.sum), Number(r.weight))])),
      );
      assertSameAnswer(
        `${label}: BENCH_D01 by commune, ${month}`,
        sorted((await drillApi()).filter((i) => i.value !== null).map((i) => [i.key, figure(i.value!)])),
        sorted((await drillSql()).map((r) => [codeOf.get(r.place_id)!, fromRollup(byCode, 'BENCH_D01', Number(r.sum), Number(r.weight))])),
      );

      const runs = repetitions(QUERY_RUNS, 10);
      // The floor of any API answer: an HTTP round trip with the same client and token to the smallest route.
      const http = await timeRuns(runs, () => server.call('GET', '/healthz'));
      const overview = await timeRuns(runs, overviewApi);
      const bareOverview = await timeRuns(runs, overviewSql);
      const drill = await timeRuns(runs, drillApi);
      const bareDrill = await timeRuns(runs, drillSql);
      const p = (xs: number[], q: number) => percentile(xs, q);
      const answerBytes = JSON.stringify(await server.call('GET', `/api/overview?place=86&period=${month}&at=2026-01-01`)).length;
      const withinGoal = (api: number[], base: number[]) => p(api, 50) <= GOAL_RATIO * p(base, 50);
      if (!withinGoal(overview, bareOverview) || !withinGoal(drill, bareDrill)) {
        console.log(
          `${label}: not within ${GOAL_RATIO}× of the rollup query, because the API does more than read the same sums: ` +
            `per indicator the overview answers the month and also its year-to-date, the same period last year, a ${TREND_MONTHS}-month trend, the plan, status and freshness ` +
            `(${(answerBytes / 1024).toFixed(0)} KiB of JSON for ${defs.length} indicators, against ${defs.length} rows of two numbers), reads the catalogue, targets, organisations and freshness basis, ` +
            `and goes through HTTP and JSON: the HTTP round trip alone (p50 ${p(http, 50).toFixed(1)} ms) is ×${(p(http, 50) / p(bareOverview, 50)).toFixed(1)} the overview's rollup query and ×${(p(http, 50) / p(bareDrill, 50)).toFixed(1)} the drill-down's.`,
        );
      }
      return [
        { name: `${label}: HTTP round trip, GET /healthz with the same client, p50 (floor of any API answer)`, value: p(http, 50), unit: 'ms' },
        { name: `${label}: load through the write path (${n.toLocaleString('en')} rows)`, value: n / (loadMs / 1000), unit: 'rows/s' },
        { name: `${label}: rollup rebuild`, value: rollupMs, unit: 'ms' },
        { name: `${label}: rollup SQL, province month, ${defs.length} indicators p50 (baseline)`, value: p(bareOverview, 50), unit: 'ms' },
        { name: `${label}: rollup SQL, province month, ${defs.length} indicators p95 (baseline)`, value: p(bareOverview, 95), unit: 'ms' },
        { name: `${label}: overview API p50 (goal ≤ ${GOAL_RATIO}× baseline)`, value: p(overview, 50), unit: 'ms', ratio: p(overview, 50) / p(bareOverview, 50), goal: p(overview, 50) / p(bareOverview, 50) / GOAL_RATIO },
        { name: `${label}: overview API p95`, value: p(overview, 95), unit: 'ms', ratio: p(overview, 95) / p(bareOverview, 95) },
        { name: `${label}: rollup SQL, one indicator by commune p50 (baseline)`, value: p(bareDrill, 50), unit: 'ms' },
        { name: `${label}: rollup SQL, one indicator by commune p95 (baseline)`, value: p(bareDrill, 95), unit: 'ms' },
        { name: `${label}: drill-down API p50 (goal ≤ ${GOAL_RATIO}× baseline)`, value: p(drill, 50), unit: 'ms', ratio: p(drill, 50) / p(bareDrill, 50), goal: p(drill, 50) / p(bareDrill, 50) / GOAL_RATIO },
        { name: `${label}: drill-down API p95`, value: p(drill, 95), unit: 'ms', ratio: p(drill, 95) / p(bareDrill, 95) },
      ];
    } finally {
      await server.close();
    }
  } finally {
    await done();
  }
}

/** The parts of the answers the bench compares. */
interface OverviewAnswer {
  indicators: { code: string; value: number | null }[];
}
interface BreakdownAnswer {
  items: { key: string; value: number | null }[];
}

function previousMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
}

/** Runs the indicators benchmark on each engine. */
export async function benchIndicators(pgUrl: string | null): Promise<BenchResult[]> {
  const scale = benchScale();
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
