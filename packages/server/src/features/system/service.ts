import { DatasetsRepository, OrganisationsRepository, PlacesRepository, engineVersion, migrationStatus, ping, type Store } from '@watchfloor/db';
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
  database: { engine: string; location?: string; version?: string };
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
