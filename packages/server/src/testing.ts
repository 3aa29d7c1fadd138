import type { FastifyInstance } from 'fastify';
import { fixedClock } from '@watchfloor/core';
import type { Store } from '@watchfloor/db';
import type { TestEngine } from '@watchfloor/db/testing';
import { buildApp } from './app';
import { createLiveHub } from './live/hub';
import { loadGeography } from './features/geography/load';
import { loadDemoData, loadPci } from './features/indicators/seed';
import { seedOrganisations } from './features/organisations/seed';
import { REFERENCE_DATA_DIR } from './paths';
import { loadConfig } from './config';
import type { AppContext } from './context';

/** The fixed instant server tests run at: 28 November 2026, 10:00 in Vietnam. */
export const TEST_NOW = '2026-11-28T03:00:00Z';

export interface TestServer {
  app: FastifyInstance;
  store: Store;
  ctx: AppContext;
  close(): Promise<void>;
}

/**
 * A server on a fresh database of the given engine, with the shipped
 * geography and demo organisations loaded, and optionally the PCI or the
 * whole demo data set (slower: only the tests about them ask). `env` sets
 * configuration variables (limits, keys) for the test.
 */
export async function openTestServer(
  engine: TestEngine,
  options: {
    prepare?: boolean;
    data?: 'pci' | 'demo';
    extend?: (app: FastifyInstance) => void;
    env?: Record<string, string>;
    /** Open on the PostgreSQL schema of a running test server, as a second instance (implies `prepare: false`). */
    schema?: string;
    /** Join the live hub to other instances through the database (LISTEN/NOTIFY on PostgreSQL), as `watchfloor start` does. */
    fanOut?: boolean;
  } = {},
): Promise<TestServer> {
  if (options.schema) options = { ...options, prepare: false };
  const store = await engine.open({ migrate: options.prepare !== false, ...(options.schema ? { schema: options.schema } : {}) });
  const config = loadConfig({ WATCHFLOOR_LOG_LEVEL: 'silent', WATCHFLOOR_DEMO_DATA: options.data === 'demo' ? 'true' : 'false', ...options.env });
  const ctx: AppContext = { store, clock: fixedClock(TEST_NOW), config };
  if (options.fanOut) ctx.live = await createLiveHub(store);
  if (options.prepare !== false) {
    const loading = { dataDir: REFERENCE_DATA_DIR, clock: ctx.clock };
    await loadGeography(store, loading);
    await seedOrganisations(store, loading);
    if (options.data) await loadPci(store, loading);
    if (options.data === 'demo') await loadDemoData(store, loading);
  }
  const app = await buildApp(ctx, { logger: false });
  options.extend?.(app);
  await app.ready();
  return {
    app,
    store,
    ctx,
    close: async () => {
      await app.close();
      await ctx.live?.close();
      await store.close();
    },
  };
}
