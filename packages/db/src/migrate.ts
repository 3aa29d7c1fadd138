import { Migrator, sql, type DatabaseIntrospector, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet, type SchemaMetadata, type TableMetadata } from 'kysely';
import type { Store } from './dialect';
import type { MigrationContext } from './migrations/helpers';
import * as m0001 from './migrations/2026-11-28-0001-geography-organisations';
import * as m0002 from './migrations/2026-11-28-0002-indicators-observations';
import * as m0003 from './migrations/2026-11-28-0003-sources-runs';
import * as m0004 from './migrations/2026-11-28-0004-cases';
import * as m0005 from './migrations/2026-11-28-0005-dossiers';
import * as m0006 from './migrations/2026-11-28-0006-leases';
import * as m0007 from './migrations/2026-11-28-0007-pulls';
import * as m0008 from './migrations/2026-11-28-0008-stations';
import * as m0009 from './migrations/2026-11-28-0009-manual-entry';
import * as m0010 from './migrations/2026-11-28-0010-alerts';
import * as m0011 from './migrations/2026-11-28-0011-cap';
import * as m0012 from './migrations/2026-11-28-0012-dashboards';
import * as m0013 from './migrations/2026-11-28-0013-identity';
import * as m0014 from './migrations/2026-11-28-0014-audit';
import * as m20261206_0001 from './migrations/2026-12-06-0001-source-coverage';
import * as m20261206_0002 from './migrations/2026-12-06-0002-token-makers';
import * as m20261206_0003 from './migrations/2026-12-06-0003-publication-and-rule-scope';
import * as m20261206_0018 from './migrations/2026-12-06-0018-sop-steps';
import * as m20261206_0019 from './migrations/2026-12-06-0019-rollup-provisional';
import * as m20261206_0027 from './migrations/2026-12-06-0027-datastream-quality';
import * as m20261206_0031 from './migrations/2026-12-06-0031-run-warnings';
import * as m20261206_0042 from './migrations/2026-12-06-0042-rollup-reporting-units';
import * as m20261206_0043 from './migrations/2026-12-06-0043-dossier-totals';
import * as m20261206_0044 from './migrations/2026-12-06-0044-par-index';
import * as m20261206_0045 from './migrations/2026-12-06-0045-directives';
import * as m20261207_0046 from './migrations/2026-12-07-0046-directive-files';
import * as m20261207_0047 from './migrations/2026-12-07-0047-user-messages';
import * as m20261207_0048 from './migrations/2026-12-07-0048-report-templates';
import * as m20261207_0049 from './migrations/2026-12-07-0049-report-schedules';
import * as m20261207_0050 from './migrations/2026-12-07-0050-case-received-index';
import * as m20261208_0051 from './migrations/2026-12-08-0051-message-topics';
import * as m20261208_0052 from './migrations/2026-12-08-0052-schedule-owners-exports';
import * as m20261208_0053 from './migrations/2026-12-08-0053-dossier-received-index';

/**
 * The migrations, in order. Each file is frozen once it has shipped: a
 * change to the schema is a new file with a later date prefix. They are
 * listed here rather than read from disk so the list is the same under
 * tsx, vitest and any bundler. Kysely's migrator applies them in the order
 * of their names whatever the order of this list, so the list is kept in
 * name order (migrate.test.ts checks it) to read as what actually runs.
 */
const MIGRATIONS: Record<string, { up: (ctx: MigrationContext) => Migration['up']; down?: (ctx: MigrationContext) => NonNullable<Migration['down']> }> = {
  '2026-11-28-0001-geography-organisations': m0001,
  '2026-11-28-0002-indicators-observations': m0002,
  '2026-11-28-0003-sources-runs': m0003,
  '2026-11-28-0004-cases': m0004,
  '2026-11-28-0005-dossiers': m0005,
  '2026-11-28-0006-leases': m0006,
  '2026-11-28-0007-pulls': m0007,
  '2026-11-28-0008-stations': m0008,
  '2026-11-28-0009-manual-entry': m0009,
  '2026-11-28-0010-alerts': m0010,
  '2026-11-28-0011-cap': m0011,
  '2026-11-28-0012-dashboards': m0012,
  '2026-11-28-0013-identity': m0013,
  '2026-11-28-0014-audit': m0014,
  '2026-12-06-0001-source-coverage': m20261206_0001,
  '2026-12-06-0002-token-makers': m20261206_0002,
  '2026-12-06-0003-publication-and-rule-scope': m20261206_0003,
  '2026-12-06-0018-sop-steps': m20261206_0018,
  '2026-12-06-0019-rollup-provisional': m20261206_0019,
  '2026-12-06-0027-datastream-quality': m20261206_0027,
  '2026-12-06-0031-run-warnings': m20261206_0031,
  '2026-12-06-0042-rollup-reporting-units': m20261206_0042,
  '2026-12-06-0043-dossier-totals': m20261206_0043,
  '2026-12-06-0044-par-index': m20261206_0044,
  '2026-12-06-0045-directives': m20261206_0045,
  '2026-12-07-0046-directive-files': m20261207_0046,
  '2026-12-07-0047-user-messages': m20261207_0047,
  '2026-12-07-0048-report-templates': m20261207_0048,
  '2026-12-07-0049-report-schedules': m20261207_0049,
  '2026-12-07-0050-case-received-index': m20261207_0050,
  '2026-12-08-0051-message-topics': m20261208_0051,
  '2026-12-08-0052-schedule-owners-exports': m20261208_0052,
  '2026-12-08-0053-dossier-received-index': m20261208_0053,
};

/** The names of the migrations, in the order they are applied. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS);

class StaticProvider implements MigrationProvider {
  constructor(private readonly ctx: MigrationContext) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, m] of Object.entries(MIGRATIONS)) {
      out[name] = { up: m.up(this.ctx), ...(m.down ? { down: m.down(this.ctx) } : {}) };
    }
    return out;
  }
}

/**
 * What the migrator asks of PostgreSQL's catalogue (does the schema exist,
 * which tables does it hold), asked of the store's own schema only.
 * Kysely's own introspector reads every schema of the database and looks
 * each one up by name (its privileges, its serial columns), so a schema
 * another process drops meanwhile fails the migration with "schema … does
 * not exist": test files migrating side by side, or two applications
 * sharing one server.
 */
class OwnSchemaIntrospector implements DatabaseIntrospector {
  constructor(
    private readonly db: Kysely<unknown>,
    private readonly schema: string,
  ) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace where nspname = ${this.schema}`.execute(this.db);
    return rows.map((r) => ({ name: r.name }));
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; kind: string }>`
      select c.relname as name, c.relkind as kind from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${this.schema} and c.relkind in ('r', 'p', 'v')`.execute(this.db);
    return rows.map((r) => ({ name: r.name, schema: this.schema, isView: r.kind === 'v', columns: [] }));
  }

  async getMetadata(): Promise<{ tables: TableMetadata[] }> {
    return { tables: await this.getTables() };
  }
}

function migrator(store: Store): Migrator {
  const schema = store.pgSchema;
  if (!schema) return new Migrator({ db: store.db, provider: new StaticProvider({ engine: store.engine }) });
  // The migration tables live in the store's own schema: Kysely otherwise finds another schema's tables and skips creating them.
  const introspection = new OwnSchemaIntrospector(store.db as unknown as Kysely<unknown>, schema);
  const db = new Proxy(store.db, {
    get: (target, key) => {
      if (key === 'introspection') return introspection;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return new Migrator({ db, provider: new StaticProvider({ engine: store.engine }), migrationTableSchema: schema });
}

export interface MigrationOutcome {
  applied: string[];
}

/** Applies every pending migration; throws with the failing migration's name on error. */
export async function migrateToLatest(store: Store): Promise<MigrationOutcome> {
  const result: MigrationResultSet = await migrator(store).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed} failed: ${cause}`);
  }
  return { applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/**
 * Reverts the most recently applied migration with its down(); returns its
 * name, or null when nothing was applied. Throws with the migration's name
 * when its down() fails.
 */
export async function migrateDownOne(store: Store): Promise<string | null> {
  const result: MigrationResultSet = await migrator(store).migrateDown();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed} down failed: ${cause}`);
  }
  return result.results?.find((r) => r.status === 'Success')?.migrationName ?? null;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

export async function migrationStatus(store: Store): Promise<MigrationStatus> {
  const list = await migrator(store).getMigrations();
  return {
    applied: list.filter((m) => m.executedAt).map((m) => m.name),
    pending: list.filter((m) => !m.executedAt).map((m) => m.name),
  };
}
