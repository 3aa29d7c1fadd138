import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DataFileError, PRE_2025_LAST_DAY, REFORM_2025_DATE, organisationSchema, type Clock, type Organisation } from '@watchfloor/core';
import { DatasetsRepository, OrganisationsRepository, PlacesRepository, type Store } from '@watchfloor/db';
import { parseJsonFile } from '../geography/parse';

export const ORGANISATIONS_DATASET = 'organisations-demo';
export const ORGANISATIONS_FILE = 'organisations/vinh-long-demo.json';

const fileSchema = z.object({
  organisations: z.array(organisationSchema.omit({ demo: true })),
  lineage: z.array(
    z.object({
      fromCode: z.string(),
      fromValidFrom: z.string().nullable(),
      toCode: z.string(),
      toValidFrom: z.string().nullable(),
      effectiveDate: z.string(),
      legalRef: z.string().nullable(),
    }),
  ),
});

export interface OrganisationSeedReport {
  status: 'loaded' | 'unchanged';
  organisations: number;
  lineageEdges: number;
}

/** People's Committees of the districts and communes of a province at a date, generated from the geography. */
async function peoplesCommittees(store: Store, provinceCode: string, at: string, provinceOrg: string): Promise<Organisation[]> {
  const places = new PlacesRepository(store.db);
  const province = await places.findAt(provinceCode, at);
  if (!province) return [];
  const era = at < REFORM_2025_DATE ? { validFrom: null, validTo: PRE_2025_LAST_DAY } : { validFrom: REFORM_2025_DATE, validTo: null };
  const out: Organisation[] = [];
  const visit = async (parentCode: string, parentOrg: string) => {
    for (const child of await places.listAt(at, { parentCode })) {
      const code = `UBND-${child.code}`;
      out.push({
        code,
        name: `Ủy ban nhân dân ${child.name}`,
        nameEn: `People's Committee of ${child.name_en ?? child.name}`,
        kind: 'peoples_committee',
        parentCode: parentOrg,
        placeCode: child.code,
        ...era,
        demo: true,
      });
      if (child.level === 'district') await visit(child.code, code);
    }
  };
  await visit(provinceCode, provinceOrg);
  return out;
}

/**
 * Loads the demo organisations: the provincial agencies of Trà Vinh and of
 * the new Vĩnh Long from the shipped list, and the People's Committees of
 * their districts and communes from the geography (which must be loaded
 * first). Idempotent like the geography loader.
 */
export async function seedOrganisations(store: Store, options: { dataDir: string; clock: Clock; force?: boolean }): Promise<OrganisationSeedReport> {
  const text = await readFile(join(options.dataDir, ORGANISATIONS_FILE), 'utf8').catch((e: Error) => {
    throw new DataFileError(ORGANISATIONS_FILE, null, `cannot be read: ${e.message}`);
  });
  const parsed = fileSchema.safeParse(parseJsonFile(ORGANISATIONS_FILE, text));
  if (!parsed.success) throw new DataFileError(ORGANISATIONS_FILE, null, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const geography = await new DatasetsRepository(store.db).get('geography');
  const checksum = createHash('sha256').update(text).update(geography?.checksum ?? '').digest('hex');
  const repo = new OrganisationsRepository(store.db);
  const previous = await new DatasetsRepository(store.db).get(ORGANISATIONS_DATASET);
  if (previous?.checksum === checksum && !options.force) {
    return { status: 'unchanged', organisations: await repo.count(), lineageEdges: parsed.data.lineage.length };
  }
  const orgs: Organisation[] = [
    ...parsed.data.organisations.map((o) => ({ ...o, demo: true })),
    ...(await peoplesCommittees(store, '84', '2020-01-01', 'TV-UBND')),
    ...(await peoplesCommittees(store, '86', REFORM_2025_DATE, 'VL-UBND')),
  ];
  return store.db.transaction().execute(async (trx) => {
    const r = new OrganisationsRepository(trx);
    await r.upsert(orgs);
    const edges = await r.upsertLineage(parsed.data.lineage);
    await new DatasetsRepository(trx).record(ORGANISATIONS_DATASET, checksum, options.clock.now().toISOString(), JSON.stringify({ organisations: orgs.length, lineageEdges: edges }));
    return { status: 'loaded' as const, organisations: await r.count(), lineageEdges: edges };
  });
}
