import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../dialect';
import { testEngines } from '../testing';
import { LeasesRepository } from './leases';

for (const engine of testEngines()) describe.skipIf(engine.skip)(`leases between instances on ${engine.engine}`, () => {
  let store: Store;
  beforeAll(async () => {
    store = await engine.open();
  });
  afterAll(async () => store?.close());

  const t0 = new Date('2026-11-28T03:00:00Z');
  const later = (ms: number) => new Date(t0.getTime() + ms);

  it('gives a free name to the first instance and refuses it to another until it expires', async () => {
    const leases = new LeasesRepository(store.db);
    expect(await leases.acquire('pull:A', 'one', t0, 60_000)).toBe(true);
    expect(await leases.acquire('pull:A', 'two', later(30_000), 60_000)).toBe(false);
    expect((await leases.holder('pull:A', later(30_000)))?.owner).toBe('one');
    // The holder renews; the other still waits.
    expect(await leases.acquire('pull:A', 'one', later(50_000), 60_000)).toBe(true);
    expect(await leases.acquire('pull:A', 'two', later(100_000), 60_000)).toBe(false);
    // Once it runs out, the other takes over.
    expect(await leases.acquire('pull:A', 'two', later(110_000), 60_000)).toBe(true);
    expect(await leases.acquire('pull:A', 'one', later(120_000), 60_000)).toBe(false);
  });

  it('lets exactly one of many racing instances take a name', async () => {
    const leases = new LeasesRepository(store.db);
    const owners = Array.from({ length: 8 }, (_, i) => `instance-${i}`);
    const got = await Promise.all(owners.map((o) => leases.acquire('pull:B', o, t0, 60_000)));
    expect(got.filter(Boolean)).toHaveLength(1);
  });

  it('frees a name when its holder releases it', async () => {
    const leases = new LeasesRepository(store.db);
    expect(await leases.acquire('pull:C', 'one', t0, 60_000)).toBe(true);
    await leases.release('pull:C', 'two');
    expect(await leases.acquire('pull:C', 'two', t0, 60_000)).toBe(false);
    await leases.release('pull:C', 'one');
    expect(await leases.acquire('pull:C', 'two', t0, 60_000)).toBe(true);
    expect(await leases.holder('pull:C', later(61_000))).toBeUndefined();
  });
});
