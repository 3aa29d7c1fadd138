import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '@watchfloor/core';
import { migrateToLatest, openStore, type Store } from '@watchfloor/db';
import { REFERENCE_DATA_DIR, loadGeography } from '@watchfloor/server';
import { GEOGRAPHY_FILES, planGeography, type GeographyFileKey, type GeographyTexts } from '../packages/server/src/features/geography/parse';
import { assertSameAnswer, median, repetitions, withPgSchema, type BenchResult } from './util';

/**
 * Loading the shipped geography (14,150 places, 247 boundaries, ~10,600
 * lineage edges) into a fresh database, on each engine. The database must
 * then hold exactly what the files plan (places, boundaries, lineage edges).
 * No faster way stores the same rows with the same checks, so the reference
 * is a floor measured in the same run: reading and validating the same files
 * without writing them, which any load pays. WATCHFLOOR_BENCH_SCALE < 0.01
 * (a tiny run, as CI runs it) loads once per engine instead of 5 times.
 */
async function readPlan(): Promise<{ ms: number; plan: ReturnType<typeof planGeography> }> {
  const t = performance.now();
  const texts = Object.fromEntries(
    await Promise.all((Object.entries(GEOGRAPHY_FILES) as [GeographyFileKey, string][]).map(async ([k, f]) => [k, await readFile(join(REFERENCE_DATA_DIR, f), 'utf8')] as const)),
  ) as GeographyTexts;
  const plan = planGeography(texts);
  return { ms: performance.now() - t, plan };
}

interface Counts {
  places: number;
  boundaries: number;
  lineageEdges: number;
}

async function loadOnce(open: () => Promise<{ store: Store; done: () => Promise<void> }>): Promise<{ ms: number; stored: Counts }> {
  const { store, done } = await open();
  try {
    await migrateToLatest(store);
    const r = await loadGeography(store, { dataDir: REFERENCE_DATA_DIR, clock: systemClock });
    const count = async (table: 'place' | 'place_geometry' | 'place_lineage') => Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { ms: r.durationMs, stored: { places: await count('place'), boundaries: await count('place_geometry'), lineageEdges: await count('place_lineage') } };
  } finally {
    await done();
  }
}

/** Runs the geography benchmark on each engine. */
export async function benchGeography(pgUrl: string | null, runs = repetitions(5, 1)): Promise<BenchResult[]> {
  const parse: number[] = [];
  let planned: Counts | null = null;
  for (let i = 0; i < runs; i++) {
    const { ms, plan } = await readPlan();
    parse.push(ms);
    planned = { places: plan.places.length, boundaries: plan.geometries.length, lineageEdges: plan.lineage.length };
  }
  const floor = median(parse);
  const out: BenchResult[] = [{ name: 'geography: read + validate files (floor)', value: floor, unit: 'ms' }];
  const engines: [string, () => Promise<{ store: Store; done: () => Promise<void> }>][] = [
    [
      'SQLite',
      async () => {
        const store = openStore({ sqlitePath: ':memory:' });
        return { store, done: () => store.close() };
      },
    ],
    ...(pgUrl ? [['PostgreSQL', () => withPgSchema(pgUrl)] as [string, () => Promise<{ store: Store; done: () => Promise<void> }>]] : []),
  ];
  for (const [name, open] of engines) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { ms, stored } = await loadOnce(open);
      assertSameAnswer(`geography: what ${name} holds after the load`, stored, planned);
      times.push(ms);
    }
    out.push({ name: `geography: full load, ${name}`, value: median(times), unit: 'ms', ratio: median(times) / floor, against: 'floor' });
  }
  return out;
}
