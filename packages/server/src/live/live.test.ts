import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { figureHistoryResponseSchema, indicatorDefinitionSchema, liveEventSchema, type LiveEvent } from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, registerSource, TEST_NOW, type TestServer } from '../testing';
import { TEST_CATALOGUE } from '../features/observations/test-catalogue';
import { seedCaseCategories } from '../features/cases/seed';
import { REFERENCE_DATA_DIR } from '../paths';
import { LiveHub } from './hub';
import { openSse, type SseMessage } from './sse-client';

const engines = testEngines();
const batch = (value: number) => ({ source: 'test', observations: [{ indicator: 'DOSSIERS_RESOLVED', place: '86', period: '2026-10', value }] });
const eventOf = (m: SseMessage): LiveEvent | null => {
  const p = liveEventSchema.safeParse(JSON.parse(m.data ?? 'null'));
  return p.success ? p.data : null;
};
const isFigureEvent = (m: SseMessage) => eventOf(m)?.type === 'observations.changed';

/** Waits for a condition to hold, checking on each turn of the event loop, up to a generous deadline (it returns as soon as it holds). */
async function until(holds: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!holds()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function listen(s: TestServer): Promise<string> {
  await s.app.listen({ port: 0, host: '127.0.0.1' });
  const a = s.app.server.address();
  if (!a || typeof a === 'string') throw new Error('not listening');
  return `http://127.0.0.1:${a.port}`;
}

for (const engine of engines) {
  describe.skipIf(engine.skip)(`live updates over /api/live on ${engine.engine}`, () => {
    let s: TestServer;
    let base: string;
    beforeAll(async () => {
      s = await openTestServer(engine);
      await new IndicatorsRepository(s.store.db).upsert(TEST_CATALOGUE.map((d) => indicatorDefinitionSchema.parse(d)), TEST_NOW);
      await registerSource(s, { code: 'test', ownerOrganisationCode: 'VL-UBND' });
      base = await listen(s);
    });
    afterAll(async () => s?.close());

    it('streams an observations.changed event after a committed write, with retry and ids', async () => {
      const sse = await openSse(`${base}/api/live`);
      try {
        expect(sse.response.headers.get('content-type')).toContain('text/event-stream');
        expect((await sse.next((m) => m.retry !== undefined)).retry).toBeGreaterThan(0);
        const posted = await fetch(`${base}/api/observations`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` }, body: JSON.stringify(batch(7)) });
        expect(posted.status).toBe(200);
        const m = await sse.next(isFigureEvent);
        expect(m.id).toMatch(/^[0-9a-f]+\.\d+$/);
        expect(eventOf(m)).toEqual({ type: 'observations.changed', indicators: ['DOSSIERS_RESOLVED'], places: ['86'], periods: ['2026-10'] });
      } finally {
        sse.close();
      }
      // A viewer that goes away leaves no subscription behind.
      await until(() => s.ctx.live?.subscribers === 0);
    });

    it('publishes after the commit: a subscriber reading at once sees the new figure', async () => {
      const hub = s.ctx.live;
      if (!hub) throw new Error('no hub');
      let read: Promise<unknown> | undefined;
      // The read goes through the pool, on another connection than the writer's transaction (on PostgreSQL).
      const sub = hub.subscribe(() => {
        read ??= s.app.inject('/api/observations/history?indicator=DOSSIERS_RESOLVED&place=86&period=2026-10').then((r) => figureHistoryResponseSchema.parse(r.json()));
      });
      try {
        expect((await s.app.inject({ method: 'POST', url: '/api/observations', payload: batch(11) })).statusCode).toBe(200);
      } finally {
        sub.unsubscribe();
      }
      const history = figureHistoryResponseSchema.parse(await read);
      expect(history.revisions.at(-1)?.value).toBe(11);
    });

    it('streams case.changed when a case is opened and when it moves', async () => {
      await seedCaseCategories(s.store, { dataDir: REFERENCE_DATA_DIR, clock: s.ctx.clock });
      const sse = await openSse(`${base}/api/live`, { authorization: `Bearer ${s.token}` });
      try {
        const opened = await s.app.inject({ method: 'POST', url: '/api/cases', payload: { category: 'GIAO_THONG', title: 'Ổ gà', lat: 9.9063, lon: 106.3419 } });
        expect(opened.statusCode).toBe(201);
        const id = z.object({ id: z.string() }).parse(opened.json()).id;
        expect(eventOf(await sse.next((m) => eventOf(m)?.type === 'case.changed'))).toEqual({ type: 'case.changed', id, status: 'new' });
        await s.app.inject({ method: 'POST', url: `/api/cases/${id}/status`, payload: { status: 'received' } });
        expect(eventOf(await sse.next((m) => eventOf(m)?.type === 'case.changed'))).toEqual({ type: 'case.changed', id, status: 'received' });
      } finally {
        sse.close();
      }
    });

    it('sends nothing for a batch that changes nothing, and nothing for a dry run', async () => {
      const sse = await openSse(`${base}/api/live`);
      try {
        await sse.next((m) => m.retry !== undefined);
        const hub = s.ctx.live;
        if (!hub) throw new Error('no hub');
        const seen: LiveEvent[] = [];
        const sub = hub.subscribe((e) => seen.push(e.event));
        await s.app.inject({ method: 'POST', url: '/api/observations', payload: batch(11) });
        await s.app.inject({ method: 'POST', url: '/api/observations?dryRun=true', payload: batch(8) });
        sub.unsubscribe();
        // Publishing is synchronous after the commit: by the time the answers are in, nothing was published.
        expect(seen).toEqual([]);
      } finally {
        sse.close();
      }
    });

    it('replays what a reconnecting client missed after its Last-Event-ID, and asks an unknown one to resync', async () => {
      const first = await openSse(`${base}/api/live`);
      let lastId: string;
      try {
        await s.app.inject({ method: 'POST', url: '/api/observations', payload: batch(9) });
        const m = await first.next(isFigureEvent);
        lastId = m.id ?? '';
      } finally {
        first.close();
      }
      await s.app.inject({ method: 'POST', url: '/api/observations', payload: batch(10) });
      const again = await openSse(`${base}/api/live`, { 'last-event-id': lastId });
      try {
        const missed = await again.next(isFigureEvent);
        expect(missed.id).not.toBe(lastId);
      } finally {
        again.close();
      }
      const stranger = await openSse(`${base}/api/live?lastEventId=ffffffff.3`);
      try {
        expect(eventOf(await stranger.next((m) => m.data !== undefined))).toEqual({ type: 'resync' });
      } finally {
        stranger.close();
      }
    });
  });
}

describe('the live hub', () => {
  it('keeps a bounded ring and replays only what follows the given id', () => {
    const hub = new LiveHub({ bufferSize: 3 });
    const ids: string[] = [];
    const sub = hub.subscribe((e) => ids.push(e.id));
    for (let i = 0; i < 5; i++) hub.publish({ type: 'case.changed', id: `C${i}`, status: 'new' });
    sub.unsubscribe();
    expect(ids).toHaveLength(5);
    expect(hub.subscribe(() => undefined, ids[2]).missed.map((e) => e.id)).toEqual(ids.slice(3));
    expect(hub.subscribe(() => undefined, ids[4]).missed).toEqual([]);
    // ids[0] has left the ring: the client must refresh everything.
    expect(hub.subscribe(() => undefined, ids[0]).missed.map((e) => e.event.type)).toEqual(['resync']);
  });

  it('refuses an event outside the schema without throwing (the write it reports has committed)', () => {
    const problems: string[] = [];
    const hub = new LiveHub({ onError: (message) => problems.push(message) });
    const seen: unknown[] = [];
    hub.subscribe((e) => seen.push(e));
    expect(() => hub.publish(JSON.parse('{"type":"observations.changed","indicators":"X"}'))).not.toThrow();
    expect(seen).toEqual([]);
    expect(problems).toEqual(['live event refused']);
  });
});

const pg = engines.find((e) => e.engine === 'postgres');
describe.skipIf(!pg || pg.skip)('live updates across two instances on one PostgreSQL schema', () => {
  let a: TestServer;
  let b: TestServer;
  let baseA: string;
  let baseB: string;
  beforeAll(async () => {
    if (!pg) return;
    a = await openTestServer(pg, { fanOut: true });
    await new IndicatorsRepository(a.store.db).upsert(TEST_CATALOGUE.map((d) => indicatorDefinitionSchema.parse(d)), TEST_NOW);
    await registerSource(a, { code: 'test', ownerOrganisationCode: 'VL-UBND' });
    b = await openTestServer(pg, { schema: a.store.pgSchema, fanOut: true });
    baseA = await listen(a);
    baseB = await listen(b);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('delivers a write made through instance A to a viewer connected to instance B', async () => {
    const onB = await openSse(`${baseB}/api/live`);
    const onA = await openSse(`${baseA}/api/live`);
    try {
      await onB.next((m) => m.retry !== undefined);
      const posted = await fetch(`${baseA}/api/observations`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` }, body: JSON.stringify(batch(42)) });
      expect(posted.status).toBe(200);
      const m = await onB.next(isFigureEvent);
      expect(eventOf(m)).toMatchObject({ type: 'observations.changed', places: ['86'] });
      // A's own viewers get it once, from A's hub, not again through NOTIFY: the next one they see is B's later write.
      expect(eventOf(await onA.next(isFigureEvent))).toMatchObject({ periods: ['2026-10'] });
      const later = { source: 'test', observations: [{ indicator: 'DOSSIERS_RESOLVED', place: '86', period: '2026-09', value: 1 }] };
      expect((await b.app.inject({ method: 'POST', url: '/api/observations', payload: later })).statusCode).toBe(200);
      expect(eventOf(await onA.next(isFigureEvent))).toMatchObject({ periods: ['2026-09'] });
    } finally {
      onA.close();
      onB.close();
    }
  });
});
