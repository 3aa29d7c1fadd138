import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '@watchfloor/core';
import { migrateToLatest, openStore, type Store } from '@watchfloor/db';
import { REFERENCE_DATA_DIR, loadGeography } from '@watchfloor/server';
import { GEOGRAPHY_FILES, planGeography, type GeographyFileKey, type GeographyTexts } from '../packages/server/src/features/geography/parse';
import { median, withPgSchema, type BenchResult } from './util';

/**
 * Loading the shipped geography (14,150 places, 247 boundaries, ~10,600
 * lineage edges) into a fresh database, on each engine. Baseline: reading
 * and validating the same files without writing them, in the same run.
 */
async function parseOnly(): Promise<number> {
  const t = performance.now();
  const texts = Object.fromEntries(
    await Promise.all((Object.entries(GEOGRAPHY_FILES) as [GeographyFileKey, string][]).map(async ([k, f]) => [k, await readFile(join(REFERENCE_DATA_DIR, f), 'utf8')] as const)),
  ) as GeographyTexts;
  planGeography(texts);
  return performance.now() - t;
}

async function loadOnce(open: () => Promise<{ store: Store; done: () => Promise<void> }>): Promise<number> {
  const { store, done } = await open();
  try {
    await migrateToLatest(store);
    const r = await loadGeography(store, { dataDir: REFERENCE_DATA_DIR, clock: systemClock });
    return r.durationMs;
  } finally {
    await done();
  }
}

export async function benchGeography(pgUrl: string | null, runs = 5): Promise<BenchResult[]> {
  const parse: number[] = [];
  for (let i = 0; i < runs; i++) parse.push(await parseOnly());
  const baseline = median(parse);
  const out: BenchResult[] = [{ name: 'geography: read + validate files (baseline)', value: baseline, unit: 'ms' }];
  const sqlite: number[] = [];
  for (let i = 0; i < runs; i++) {
    sqlite.push(await loadOnce(async () => {
      const store = openStore({ sqlitePath: ':memory:' });
      return { store, done: () => store.close() };
    }));
  }
  out.push({ name: 'geography: full load, SQLite', value: median(sqlite), unit: 'ms', ratio: median(sqlite) / baseline });
  if (pgUrl) {
    const pg: number[] = [];
    for (let i = 0; i < runs; i++) pg.push(await loadOnce(() => withPgSchema(pgUrl)));
    out.push({ name: 'geography: full load, PostgreSQL', value: median(pg), unit: 'ms', ratio: median(pg) / baseline });
  }
  return out;
}
