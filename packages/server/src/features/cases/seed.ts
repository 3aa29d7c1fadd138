import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { caseCategorySchema, DataFileError, type Clock } from '@watchfloor/core';
import { CasesRepository, DatasetsRepository, type Store } from '@watchfloor/db';
import { parseJsonFile } from '../geography/parse';

export const CASE_CATEGORIES_DATASET = 'case-categories-demo';
export const CASE_CATEGORIES_FILE = 'cases/categories-demo.json';

export interface CaseCategorySeedReport {
  status: 'loaded' | 'unchanged';
  categories: number;
}

/**
 * Loads the demo case categories (service levels, routing to the demo
 * agencies, procedures). Idempotent: an unchanged file is not written again.
 */
export async function seedCaseCategories(store: Store, options: { dataDir: string; clock: Clock; force?: boolean }): Promise<CaseCategorySeedReport> {
  const text = await readFile(join(options.dataDir, CASE_CATEGORIES_FILE), 'utf8').catch((e: Error) => {
    throw new DataFileError(CASE_CATEGORIES_FILE, null, `cannot be read: ${e.message}`);
  });
  const parsed = z.object({ categories: z.array(caseCategorySchema) }).safeParse(parseJsonFile(CASE_CATEGORIES_FILE, text));
  if (!parsed.success) throw new DataFileError(CASE_CATEGORIES_FILE, null, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const checksum = createHash('sha256').update(text).digest('hex');
  const previous = await new DatasetsRepository(store.db).get(CASE_CATEGORIES_DATASET);
  if (previous?.checksum === checksum && !options.force) return { status: 'unchanged', categories: parsed.data.categories.length };
  await store.db.transaction().execute(async (trx) => {
    const now = options.clock.now().toISOString();
    await new CasesRepository(trx).upsertCategories(parsed.data.categories, now);
    await new DatasetsRepository(trx).record(CASE_CATEGORIES_DATASET, checksum, now, JSON.stringify({ categories: parsed.data.categories.length }));
  });
  return { status: 'loaded', categories: parsed.data.categories.length };
}
