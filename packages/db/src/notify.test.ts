import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Store } from './dialect';
import { MAX_NOTIFY_BYTES, notifyChannel } from './notify';
import { testEngines } from './testing';

/** Resolves with the first value `take` accepts, or rejects after `ms` (the real clock bounds the wait only, generously: it ends when the value comes). */
function waitFor<T>(subscribe: (push: (v: T) => void) => void, take: (v: T) => boolean, ms = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing within ${ms} ms`)), ms);
    subscribe((v) => {
      if (take(v)) {
        clearTimeout(timer);
        resolve(v);
      }
    });
  });
}

describe('notification channels', () => {
  it('are scoped to a schema and refuse names that are not plain identifiers', () => {
    expect(notifyChannel('watchfloor_live')).toBe('watchfloor_live');
    expect(notifyChannel('watchfloor_live', 'wf_test_ab12')).toBe('watchfloor_live_wf_test_ab12');
    expect(() => notifyChannel('live"; drop table x; --')).toThrow();
  });
});

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`notifications on ${engine.engine}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await engine.open({ migrate: false });
    });
    afterAll(async () => store?.close());

    it(engine.engine === 'postgres' ? 'travel by NOTIFY to a listener that reconnects after losing its connection' : 'are not needed: one process', async () => {
      const notifier = store.notifier;
      if (engine.engine === 'sqlite') {
        expect(notifier).toBeUndefined();
        return;
      }
      if (!notifier) throw new Error('PostgreSQL store without a notifier');
      const channel = notifyChannel('wf_notify_test', store.pgSchema);
      const payloads: ((p: string) => void)[] = [];
      const states: ((s: { listening: boolean; reconnected: boolean }) => void)[] = [];
      const listener = notifier.listen(channel, { onPayload: (p) => payloads.forEach((f) => f(p)), onState: (s) => states.forEach((f) => f(s)) });
      try {
        await listener.ready(15_000);
        const first = waitFor<string>((f) => payloads.push(f), (p) => p === 'one');
        await notifier.notify(channel, 'one');
        await first;

        // Kill the listening backend: the listener must come back by itself and hear the next notification.
        const back = waitFor<{ listening: boolean; reconnected: boolean }>((f) => states.push(f), (s) => s.listening && s.reconnected);
        await sql`select pg_terminate_backend(pid) from pg_stat_activity where query = ${`listen "${channel}"`}`.execute(store.db);
        await back;
        const second = waitFor<string>((f) => payloads.push(f), (p) => p === 'two');
        await notifier.notify(channel, 'two');
        await second;

        await expect(notifier.notify(channel, 'x'.repeat(MAX_NOTIFY_BYTES + 1))).rejects.toThrow(/over/);
      } finally {
        await listener.close();
      }
    });
  });
}
