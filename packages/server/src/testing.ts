import type { FastifyInstance } from 'fastify';
import { fixedClock } from '@watchfloor/core';
import type { Store } from '@watchfloor/db';
import type { TestEngine } from '@watchfloor/db/testing';
import { buildApp } from './app';
import { prepareDatabase } from './boot';
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

/** A server on a fresh database of the given engine, with the shipped geography and demo organisations loaded. */
export async function openTestServer(
  engine: TestEngine,
  options: { prepare?: boolean; extend?: (app: FastifyInstance) => void } = {},
): Promise<TestServer> {
  const store = await engine.open({ migrate: options.prepare !== false });
  const config = loadConfig({ WATCHFLOOR_LOG_LEVEL: 'silent' });
  const ctx: AppContext = { store, clock: fixedClock(TEST_NOW), config };
  if (options.prepare !== false) await prepareDatabase(store, config, ctx.clock);
  const app = await buildApp(ctx, { logger: false });
  options.extend?.(app);
  await app.ready();
  return {
    app,
    store,
    ctx,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
