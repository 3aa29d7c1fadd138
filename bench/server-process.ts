import { fixedClock } from '@watchfloor/core';
import { openStore, type StoreOptions } from '@watchfloor/db';
import { buildApp, createLiveHub, loadConfig } from '@watchfloor/server';

/**
 * The server of a bench, run as a child process (bench/child-server.ts forks
 * it) so that its RSS (/proc/<pid>/status) is the server's alone, not the
 * bench client's, which builds the inputs and reads the answers. Opens
 * the store named by WATCHFLOOR_BENCH_STORE (JSON: openStore's options),
 * serves it on 127.0.0.1 at a free port, tells the parent the port, and
 * closes when the parent says 'close'. WATCHFLOOR_BENCH_SERVER_LOG (a log
 * level, e.g. error) turns its log on, to stderr; it is silent otherwise.
 */
const options = JSON.parse(process.env.WATCHFLOOR_BENCH_STORE ?? '{}') as StoreOptions;
const clock = fixedClock(process.env.WATCHFLOOR_BENCH_NOW ?? '2026-11-28T03:00:00Z');
const store = openStore(options);
const live = await createLiveHub(store);
const config = loadConfig({ WATCHFLOOR_LOG_LEVEL: process.env.WATCHFLOOR_BENCH_SERVER_LOG ?? 'silent', WATCHFLOOR_PUSH_LIMIT_BYTES: String(64 * 1024 * 1024), WATCHFLOOR_UPLOAD_LIMIT_BYTES: String(512 * 1024 * 1024) });
const app = await buildApp({ store, clock, config, live }, { logger: process.env.WATCHFLOOR_BENCH_SERVER_LOG !== undefined });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('the bench server has no port');
process.on('message', (m) => {
  if (m !== 'close') return;
  void (async () => {
    await app.close();
    await live.close();
    await store.close();
    process.disconnect();
  })();
});
process.send?.({ port: address.port });
