import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFileError, type Clock } from '@watchfloor/core';
import { DatasetsRepository, ObservationsRepository, PlacesRepository, type Store } from '@watchfloor/db';
import { GEOGRAPHY_FILES, planGeography, type GeographyFileKey, type GeographyTexts } from './parse';

export const GEOGRAPHY_DATASET = 'geography';
/** Bump when the way files become rows changes, so an unchanged file set is still reloaded. */
const LOADER_VERSION = '2';

export interface GeographyLoadReport {
  status: 'loaded' | 'unchanged';
  checksum: string;
  places: Record<string, number>;
  newPlaces: number;
  geometries: number;
  lineageEdges: number;
  warnings: string[];
  durationMs: number;
}

async function readTexts(dataDir: string): Promise<GeographyTexts> {
  const entries = await Promise.all(
    (Object.entries(GEOGRAPHY_FILES) as [GeographyFileKey, string][]).map(async ([k, rel]) => {
      try {
        return [k, await readFile(join(dataDir, rel), 'utf8')] as const;
      } catch (e) {
        throw new DataFileError(rel, null, `cannot be read from ${dataDir}: ${(e as Error).message}`);
      }
    }),
  );
  return Object.fromEntries(entries) as GeographyTexts;
}

function checksumOf(texts: GeographyTexts): string {
  const h = createHash('sha256').update(`loader:${LOADER_VERSION}\n`);
  for (const k of Object.keys(GEOGRAPHY_FILES).sort()) h.update(`${k}\n`).update(texts[k as GeographyFileKey]);
  return h.digest('hex');
}

/**
 * Loads the administrative geography shipped in `dataDir`: every file is
 * parsed and validated first, then everything is written in one
 * transaction, so a bad file leaves the database as it was. Loading the
 * same files again changes nothing (`status: 'unchanged'`); `force` rewrites
 * them anyway (an upsert by natural key, so ids stay stable).
 */
export async function loadGeography(store: Store, options: { dataDir: string; clock: Clock; force?: boolean }): Promise<GeographyLoadReport> {
  const started = performance.now();
  const texts = await readTexts(options.dataDir);
  const checksum = checksumOf(texts);
  const previous = await new DatasetsRepository(store.db).get(GEOGRAPHY_DATASET);
  if (previous?.checksum === checksum && !options.force) {
    const places = new PlacesRepository(store.db);
    const counts = await places.counts();
    return {
      status: 'unchanged',
      checksum,
      places: counts.places,
      newPlaces: 0,
      geometries: counts.geometries,
      lineageEdges: counts.lineageEdges,
      warnings: [],
      durationMs: Math.round(performance.now() - started),
    };
  }
  const plan = planGeography(texts);
  const report = await store.db.transaction().execute(async (trx) => {
    const repo = new PlacesRepository(trx);
    const before = await repo.counts();
    const ids = await repo.upsertPlaces(plan.places);
    const idOf = (key: string) => {
      const id = ids.get(key);
      if (id === undefined) throw new Error(`place ${key} was not written`);
      return id;
    };
    await repo.upsertGeometries(
      plan.geometries.map((g) => ({ placeId: idOf(g.key), geojson: g.geojson, ...g.bbox, source: g.source })),
    );
    await repo.upsertLineage(
      plan.lineage.map((l) => ({
        fromPlaceId: idOf(l.fromKey),
        toPlaceId: idOf(l.toKey),
        kind: l.kind,
        part: l.part,
        share: null,
        effectiveDate: l.effectiveDate,
        legalRef: l.legalRef,
      })),
    );
    // Facts roll up through the ancestry, so both follow the geography.
    await repo.rebuildAncestry();
    await new ObservationsRepository(trx, store).rebuildRollup();
    const after = await repo.counts();
    const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    const summary = {
      places: after.places,
      newPlaces: total(after.places) - total(before.places),
      geometries: after.geometries,
      lineageEdges: after.lineageEdges,
    };
    await new DatasetsRepository(trx).record(GEOGRAPHY_DATASET, checksum, options.clock.now().toISOString(), JSON.stringify(summary));
    return summary;
  });
  return { status: 'loaded', checksum, ...report, warnings: plan.warnings, durationMs: Math.round(performance.now() - started) };
}
