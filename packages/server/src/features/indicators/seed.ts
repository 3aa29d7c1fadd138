import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  DataFileError,
  PRE_2025_LAST_DAY,
  addDays,
  REFORM_2025_DATE,
  checkCatalogue,
  indicatorDefinitionSchema,
  periodContaining,
  periodKey,
  previousPeriod,
  todayIn,
  type Clock,
  type IndicatorDefinition,
  type ObservationInput,
} from '@watchfloor/core';
import { DatasetsRepository, IndicatorsRepository, ObservationsRepository, PlacesRepository, TargetsRepository, readValidFrom, readValidTo, versionsByCode, type Store } from '@watchfloor/db';
import { parseJsonFile } from '../geography/parse';
import { ObservationWriter } from '../ingest/observations';
import { DEMO_SEED, DEMO_SOURCE, generateDemoData, type DemoPlace } from './demo-data';
import { PAPI_INDEX, PCI_INDEX, parseIndexCsv, type IndexFile } from './pci-import';
import type { SyntheticDeclaration } from './synthetic';

export const CATALOGUE_FILES = {
  pci: 'indicators/pci.json',
  national: 'indicators/national-indices.json',
  directives: 'indicators/directives.json',
  demo: 'indicators/catalogue-demo.json',
} as const;
/** What every screen says while the demo data set is loaded. */
export const SYNTHETIC_NOTICE = {
  vi: 'Số liệu minh họa: được sinh tự động để trình diễn, không phải số liệu thật của tỉnh.',
  en: 'Demonstration figures: generated for the demo, not the province’s real data.',
};

/** What the demo data set declares of its figures, recorded with it: the screens read this, not whether the demo is loaded. */
const DEMO_DECLARATION: { synthetic: SyntheticDeclaration } = { synthetic: { source: DEMO_SOURCE, text: SYNTHETIC_NOTICE } };

/** The first month of the demo data set. */
export const DEMO_FROM = '2021-07';
const BATCH = 5000;

const catalogueFile = z.object({ indicators: z.array(z.unknown()) });

async function readText(dataDir: string, file: string): Promise<string> {
  return readFile(join(dataDir, file), 'utf8').catch((e: Error) => {
    throw new DataFileError(file, null, `cannot be read: ${e.message}`);
  });
}

const sha = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex');

export interface SeedReport {
  name: string;
  status: 'loaded' | 'unchanged';
  detail: string;
}

/** Reads and checks catalogue files: each definition validated, then the whole set for unknown references and cycles. */
export async function readCatalogues(dataDir: string, files: readonly string[]): Promise<{ definitions: IndicatorDefinition[]; checksum: string }> {
  const definitions: IndicatorDefinition[] = [];
  const texts: string[] = [];
  for (const file of files) {
    const text = await readText(dataDir, file);
    texts.push(text);
    const parsed = catalogueFile.safeParse(parseJsonFile(file, text));
    if (!parsed.success) throw new DataFileError(file, null, 'must be an object with an "indicators" array');
    parsed.data.indicators.forEach((raw, i) => {
      const d = indicatorDefinitionSchema.safeParse(raw);
      if (!d.success) throw new DataFileError(file, null, `indicator #${i + 1}: ${d.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
      definitions.push(d.data);
    });
  }
  const problems = checkCatalogue(definitions);
  if (problems.length) throw new DataFileError(files.join(', '), null, problems.map((p) => `${p.code}: ${p.message}`).join('; '));
  return { definitions, checksum: sha(...texts) };
}

/**
 * Loads a data set unless the same one (by checksum) is loaded; records it
 * with what it declares of its figures. A data set loaded before it made
 * its declaration gains it without being loaded again.
 */
async function once(store: Store, clock: Clock, name: string, checksum: string, load: () => Promise<string>, declaration: object = {}): Promise<SeedReport> {
  const datasets = new DatasetsRepository(store.db);
  const loaded = await datasets.get(name);
  if (loaded?.checksum === checksum) {
    const summary: unknown = JSON.parse(loaded.summary);
    const declared = JSON.stringify({ ...(typeof summary === 'object' && summary !== null ? summary : {}), ...declaration });
    if (declared !== loaded.summary) await datasets.record(name, checksum, loaded.loaded_at, declared);
    return { name, status: 'unchanged', detail: '' };
  }
  const detail = await load();
  await datasets.record(name, checksum, clock.now().toISOString(), JSON.stringify({ detail, ...declaration }));
  return { name, status: 'loaded', detail };
}

/**
 * Writes observations through the one write path, a batch per transaction,
 * leaving the rollup to one set-based rebuild at the end; returns a one-line summary.
 */
async function writeAll(store: Store, clock: Clock, rows: readonly ObservationInput[], source: string): Promise<string> {
  const writer = new ObservationWriter(store, clock);
  let accepted = 0;
  let created = 0;
  const rejected: string[] = [];
  for (let i = 0; i < rows.length; i += BATCH) {
    const r = await writer.write(rows.slice(i, i + BATCH), { source }, { deferRollup: true });
    accepted += r.accepted;
    created += r.created;
    for (const x of r.rejected) rejected.push(`${x.reason}: ${x.message}`);
  }
  await store.db.transaction().execute((trx) => new ObservationsRepository(trx, store).rebuildRollup());
  if (rejected.length) throw new Error(`${source}: ${rejected.length} rows refused, first: ${rejected[0]}`);
  return `${accepted} observations (${created} new)`;
}

/** The published national index files that ship, each a data set of its own: the PCI 2005–2016 and PAPI 2011–2016. */
const INDEX_FILES: readonly { name: string; index: IndexFile }[] = [
  { name: 'pci', index: PCI_INDEX },
  { name: 'papi', index: PAPI_INDEX },
];

/**
 * The real national indices: the catalogue of the PCI and of the other
 * national indices (PAR Index, SIPAS, PAPI), and every province's published
 * scores of the PCI 2005–2016 and PAPI 2011–2016; with them the figures the
 * product computes of its own records that are not demo data (the
 * completion of leadership directives, DIR_*).
 */
export async function loadPci(store: Store, options: { dataDir: string; clock: Clock }): Promise<SeedReport[]> {
  const { definitions, checksum } = await readCatalogues(options.dataDir, [CATALOGUE_FILES.pci, CATALOGUE_FILES.national, CATALOGUE_FILES.directives]);
  const reports = [
    await once(store, options.clock, 'indicators-pci', checksum, async () => {
      await new IndicatorsRepository(store.db).upsert(definitions, options.clock.now().toISOString());
      return `${definitions.length} indicators`;
    }),
  ];
  for (const { name, index } of INDEX_FILES) {
    const text = await readText(options.dataDir, index.file);
    reports.push(await once(store, options.clock, name, sha(checksum, text), async () => writeAll(store, options.clock, parseIndexCsv(index, text).observations, index.source)));
  }
  return reports;
}

/** The provinces and communes of the demo province, old (83, 84, 86 until 30 June 2025) and new (86). */
async function demoPlaces(store: Store): Promise<DemoPlace[]> {
  const repo = new PlacesRepository(store.db);
  const out: DemoPlace[] = [];
  const add = async (code: string, at: string) => {
    const p = await repo.findAt(code, at);
    if (!p) return;
    out.push({ code: p.code, level: p.level as DemoPlace['level'], validFrom: readValidFrom(p.valid_from), validTo: readValidTo(p.valid_to), parentCode: p.parent_code });
    if (p.level !== 'commune') for (const c of await repo.listAt(at, { parentCode: p.code })) await add(c.code, at);
  };
  for (const code of ['83', '84', '86']) await add(code, PRE_2025_LAST_DAY);
  await add('86', REFORM_2025_DATE);
  return out;
}

/**
 * The demo data set: the demo catalogue and five years of SYNTHETIC figures
 * and plans for the new Vĩnh Long and the three provinces it was formed
 * from, up to the last whole month by the clock. Deterministic: a fixed seed.
 */
export async function loadDemoData(store: Store, options: { dataDir: string; clock: Clock }): Promise<SeedReport[]> {
  const { definitions, checksum } = await readCatalogues(options.dataDir, [CATALOGUE_FILES.pci, CATALOGUE_FILES.national, CATALOGUE_FILES.demo]);
  const to = periodKey(previousPeriod(periodContaining('month', todayIn(options.clock))));
  // The late series stop at the last month already overdue (its due day, the longest delay of the catalogue, passed), so they show late on any day.
  const longestDelay = Math.max(0, ...definitions.map((d) => (d.delivery !== null && 'afterPeriodEndDays' in d.delivery ? d.delivery.afterPeriodEndDays : 0)));
  const lateFrom = periodKey(previousPeriod(periodContaining('month', addDays(todayIn(options.clock), -(longestDelay + 1)))));
  const reports = [
    await once(store, options.clock, 'indicators-demo', checksum, async () => {
      await new IndicatorsRepository(store.db).upsert(definitions, options.clock.now().toISOString());
      return `${definitions.length} indicators`;
    }),
  ];
  reports.push(
    await once(store, options.clock, 'demo-data', sha(checksum, String(DEMO_SEED), DEMO_FROM, to, lateFrom), async () => {
      const data = generateDemoData({ seed: DEMO_SEED, catalogue: definitions, places: await demoPlaces(store), from: DEMO_FROM, to, lateFrom });
      const written = await writeAll(store, options.clock, data.observations, DEMO_SOURCE);
      const versions = await versionsByCode(store.db, 'place', [...new Set(data.targets.map((t) => t.place))]);
      const targets = data.targets.flatMap((t) => {
        const end = `${t.year}-12-31`;
        const v = versions.get(t.place)?.find((x) => x.from <= end && end <= x.to) ?? versions.get(t.place)?.find((x) => x.from <= `${t.year}-01-01` && `${t.year}-01-01` <= x.to);
        return v ? [{ indicatorCode: t.indicator, placeId: v.id, placeCode: t.place, periodKey: String(t.year), value: t.value, source: DEMO_SOURCE }] : [];
      });
      await store.db.transaction().execute((trx) => new TargetsRepository(trx).upsert(targets, options.clock.now().toISOString()));
      return `${written}, ${targets.length} targets, ${DEMO_FROM} to ${to}`;
    }, DEMO_DECLARATION),
  );
  return reports;
}
