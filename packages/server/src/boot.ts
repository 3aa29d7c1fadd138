import { systemClock, type Clock } from '@watchfloor/core';
import { migrateToLatest, openStore, type Store } from '@watchfloor/db';
import type { Config } from './config';
import { loadGeography, type GeographyLoadReport } from './features/geography/load';
import { seedOrganisations, type OrganisationSeedReport } from './features/organisations/seed';
import { seedCaseCategories, type CaseCategorySeedReport } from './features/cases/seed';
import { loadDemoData, loadPci, type SeedReport } from './features/indicators/seed';
import { seedDemoDashboards } from './features/dashboards/seed';
import { seedDemoReportTemplates } from './features/reports/seed';
import { seedDemoAlertRules } from './features/alerts/seed';
import { seedParDemo, type ParDemoReport } from './features/par/demo';
import { seedDirectivesDemo, type DirectivesDemoReport } from './features/directives/demo';
import { seedDemoSources } from './features/sources/demo';
import { REFERENCE_DATA_DIR } from './paths';

export function openConfiguredStore(config: Config): Store {
  return openStore({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath });
}

export interface PrepareReport {
  migrations: string[];
  geography: GeographyLoadReport;
  organisations: OrganisationSeedReport | null;
  /** The demo case categories (routed to the demo agencies), with the demo data only. */
  caseCategories: CaseCategorySeedReport | null;
  /** The PCI (real) and, unless turned off, the demo catalogue and figures (synthetic). */
  indicators: SeedReport[];
  /** The PAR Index demo (synthetic): a published 2025 cycle and an open 2026 one, with the demo data only. */
  par: ParDemoReport | null;
  /** The leadership directives demo (synthetic): documents to the demo agencies with tasks in every status, with the demo data only. */
  directives: DirectivesDemoReport | null;
}

/**
 * Brings a database to a state the server can serve from: migrations
 * applied, the shipped geography loaded, and (unless turned off) the demo
 * data. Each step is idempotent, so it runs at every start.
 */
export async function prepareDatabase(store: Store, config: Config, clock: Clock = systemClock): Promise<PrepareReport> {
  const { applied } = await migrateToLatest(store);
  const geography = await loadGeography(store, { dataDir: REFERENCE_DATA_DIR, clock });
  const organisations = config.demoData ? await seedOrganisations(store, { dataDir: REFERENCE_DATA_DIR, clock }) : null;
  const caseCategories = config.demoData ? await seedCaseCategories(store, { dataDir: REFERENCE_DATA_DIR, clock }) : null;
  const indicators = await loadPci(store, { dataDir: REFERENCE_DATA_DIR, clock });
  if (config.demoData) indicators.push(...(await loadDemoData(store, { dataDir: REFERENCE_DATA_DIR, clock })));
  // The demo boards name demo indicators, so they come after the demo catalogue.
  if (config.demoData) await seedDemoDashboards(store, { clock });
  // The demo report templates name demo indicators too.
  if (config.demoData) await seedDemoReportTemplates(store, { dataDir: REFERENCE_DATA_DIR, clock });
  if (config.demoData) await seedDemoAlertRules(store, { clock });
  // The PAR Index demo scores the demo units from the demo figures, so it comes after both.
  const par = config.demoData ? await seedParDemo({ store, clock, config }, { dataDir: REFERENCE_DATA_DIR }) : null;
  // The directives demo names the demo agencies and communes, so it comes after the organisations.
  const directives = config.demoData ? await seedDirectivesDemo({ store, clock, config }) : null;
  // The office's directive source is owned by the province's office, so it too comes after the organisations.
  if (config.demoData) await seedDemoSources(store, { clock, province: config.province });
  return { migrations: applied, geography, organisations, caseCategories, indicators, par, directives };
}
