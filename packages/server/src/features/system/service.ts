import { AppError, previousDay, vietnamDate, type systemApi } from '@watchfloor/core';
import { DatasetsRepository, OrganisationsRepository, PlacesRepository, engineVersion, migrationStatus, ping, toPlaceSummary, type Store } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { VERSION } from '../../version';

export interface Readiness {
  ready: boolean;
  checks: { database: boolean; migrations: boolean };
  problems: string[];
}

/** Ready when the database answers and every migration is applied. */
export async function readiness(store: Store): Promise<Readiness> {
  const problems: string[] = [];
  const database = await ping(store);
  let migrations = false;
  if (!database) problems.push('database unreachable');
  else {
    try {
      const m = await migrationStatus(store);
      migrations = m.pending.length === 0;
      if (!migrations) problems.push(`pending migrations: ${m.pending.join(', ')}`);
    } catch (e) {
      problems.push(`cannot read migrations: ${(e as Error).message}`);
    }
  }
  return { ready: database && migrations, checks: { database, migrations }, problems };
}

export interface StatusReport {
  version: string;
  /** Location and version are left out of what non-administrators are answered. */
  database: { engine: 'sqlite' | 'postgres'; location?: string; version?: string };
  migrations: { applied: number; pending: string[] };
  datasets: { name: string; loadedAt: string; summary: unknown }[];
  places: Record<string, number>;
  geometries: number;
  lineageEdges: number;
  organisations: number;
}

/** What is loaded, on which database: for `watchfloor status` and GET /api/status. */
export async function statusReport(store: Store): Promise<StatusReport> {
  const m = await migrationStatus(store);
  const ready = m.pending.length === 0;
  const counts = ready ? await new PlacesRepository(store.db).counts() : { places: {}, geometries: 0, lineageEdges: 0 };
  return {
    version: VERSION,
    database: { engine: store.engine, location: store.location, version: await engineVersion(store) },
    migrations: { applied: m.applied.length, pending: m.pending },
    datasets: ready
      ? (await new DatasetsRepository(store.db).list()).map((d) => ({ name: d.name, loadedAt: d.loaded_at, summary: JSON.parse(d.summary) as unknown }))
      : [],
    places: counts.places,
    geometries: counts.geometries,
    lineageEdges: counts.lineageEdges,
    organisations: ready ? await new OrganisationsRepository(store.db).count() : 0,
  };
}

/**
 * What the server serves, for the web app: the province (WATCHFLOOR_PROVINCE)
 * and its home spans, oldest first. Before the served province took its
 * present form, home is the unit WATCHFLOOR_PROVINCE_BEFORE names as it was
 * then (the founding case: Trà Vinh until 30 June 2025, then the new Vĩnh
 * Long), else the served province's own earlier version.
 */
export async function serverConfig(ctx: AppContext): Promise<systemApi.ServerConfig> {
  const places = new PlacesRepository(ctx.store.db);
  const code = ctx.config.province;
  const served = await places.findAt(code, vietnamDate(ctx.clock.now()));
  if (!served) throw new AppError('internal_error', `The served province ${code} (WATCHFLOOR_PROVINCE) is not among today's units`);
  const now = toPlaceSummary(served);
  const home: systemApi.HomeSpan[] = [];
  if (now.validFrom !== null) {
    const before = await places.findAt(ctx.config.provinceBefore ?? code, previousDay(now.validFrom));
    if (before) {
      const then = toPlaceSummary(before);
      home.push({ code: then.code, name: then.name, from: then.validFrom, to: then.validTo });
    }
  }
  home.push({ code: now.code, name: now.name, from: now.validFrom, to: null });
  return { version: VERSION, province: { code: now.code, name: now.name }, home, demoData: ctx.config.demoData };
}
