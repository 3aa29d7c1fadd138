import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Engine, type Store } from './dialect';
import { migrateToLatest } from './migrate';

/**
 * The engines every database test runs on. SQLite always; PostgreSQL when
 * WATCHFLOOR_TEST_PG_URL is set (CI sets it). Each opened store is isolated:
 * a fresh in-memory SQLite database, or a fresh PostgreSQL schema that is
 * dropped on close.
 */
export interface TestEngine {
  engine: Engine;
  /** Why the engine is skipped, or null when it runs. */
  skip: string | null;
  /**
   * `schema` (PostgreSQL only) opens a second store on the schema of one
   * already open, as a second server instance would: not migrated, not
   * dropped on close (the first store drops it).
   */
  open(options?: { migrate?: boolean; schema?: string }): Promise<Store>;
}

const pgUrl = process.env.WATCHFLOOR_TEST_PG_URL;
let warned = false;

export function testEngines(): TestEngine[] {
  if (!pgUrl && !warned) {
    warned = true;
    console.warn('PostgreSQL tests skipped: WATCHFLOOR_TEST_PG_URL is not set (CI sets it to the local server).');
  }
  return [
    {
      engine: 'sqlite',
      skip: null,
      async open(options = {}) {
        if (options.schema) throw new Error('An in-memory SQLite database cannot be shared by two stores');
        const store = openStore({ sqlitePath: ':memory:' });
        if (options.migrate !== false) await migrateToLatest(store);
        return store;
      },
    },
    {
      engine: 'postgres',
      skip: pgUrl ? null : 'WATCHFLOOR_TEST_PG_URL is not set',
      async open(options = {}) {
        if (!pgUrl) throw new Error('WATCHFLOOR_TEST_PG_URL is not set');
        if (options.schema) return openStore({ databaseUrl: pgUrl, pgSchema: options.schema, pgPoolSize: 4 });
        const schema = `wf_test_${randomBytes(6).toString('hex')}`;
        await withPgAdmin(pgUrl, (c) => c.query(`create schema ${schema}`));
        const store = openStore({ databaseUrl: pgUrl, pgSchema: schema, pgPoolSize: 4 });
        const drop = () => withPgAdmin(pgUrl, (c) => c.query(`drop schema if exists ${schema} cascade`));
        if (options.migrate !== false) {
          try {
            await migrateToLatest(store);
          } catch (e) {
            await store.close();
            await drop();
            throw e;
          }
        }
        return {
          ...store,
          close: async () => {
            await store.close();
            await drop();
          },
        };
      },
    },
  ];
}

async function withPgAdmin<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}
