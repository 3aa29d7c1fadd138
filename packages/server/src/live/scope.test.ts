import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveEventSchema, type LiveEvent } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, type TestServer } from '../testing';
import { seedCaseCategories } from '../features/cases/seed';
import { IdentityService } from '../features/identity/service';
import { REFERENCE_DATA_DIR } from '../paths';
import { openSse, type SseStream } from './sse-client';

/**
 * The live channel keeps to each viewer's scope: an officer of one commune
 * hears of that commune's cases only, the public of no case at all, while
 * events naming public reference data (figures, boards) reach everyone.
 */
const PASSWORD = 'live scope password 0123';
const eventOf = (data: string | undefined): LiveEvent | null => {
  const p = liveEventSchema.safeParse(JSON.parse(data ?? 'null'));
  return p.success ? p.data : null;
};

/** Every event a stream received until a marker event arrives (the marker is published last, to everyone). */
async function eventsUntilMarker(sse: SseStream, marker: string): Promise<LiveEvent[]> {
  const seen: LiveEvent[] = [];
  for (;;) {
    const m = await sse.next((x) => x.data !== undefined);
    const e = eventOf(m.data);
    if (!e) continue;
    if (e.type === 'dashboard.changed' && e.code === marker) return seen;
    seen.push(e);
  }
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`live updates within the viewer's scope (${engine.engine})`, () => {
    let s: TestServer;
    let base: string;
    const cookies: Record<string, string> = {};

    /** A point of a commune: the first of a grid over its bounding box that the locator puts in it. */
    async function pointIn(code: string): Promise<{ lat: number; lon: number }> {
      const geometry = (await s.app.inject(`/api/places/${code}/geometry`)).json<{ bbox?: number[]; geometry: { coordinates: unknown } }>();
      const flat = JSON.stringify(geometry.geometry.coordinates).match(/-?\d+(\.\d+)?/g)?.map(Number) ?? [];
      const lons = flat.filter((_, i) => i % 2 === 0);
      const lats = flat.filter((_, i) => i % 2 === 1);
      const [w, e, so, n] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
      for (let i = 1; i < 10; i++) {
        for (let j = 1; j < 10; j++) {
          const lat = so + ((n - so) * i) / 10;
          const lon = w + ((e - w) * j) / 10;
          const r = await s.app.inject(`/api/places/locate?lat=${lat}&lon=${lon}&date=2026-11-28`);
          if (r.statusCode === 200 && JSON.stringify(r.json()).includes(`"${code}"`)) return { lat, lon };
        }
      }
      throw new Error(`no point found in ${code}`);
    }

    beforeAll(async () => {
      s = await openTestServer(engine);
      await seedCaseCategories(s.store, { dataDir: REFERENCE_DATA_DIR, clock: s.ctx.clock });
      const identity = new IdentityService(s.ctx);
      for (const [login, commune] of [
        ['officer.a', '29242'],
        ['officer.b', '29254'],
      ] as const) {
        await identity.createUser({ login, displayName: login, password: PASSWORD, mustChangePassword: false, roles: [{ role: 'agency_officer', organisationCode: `UBND-${commune}`, placeCode: commune }] });
        const signed = await s.anonymous({ method: 'POST', url: '/api/auth/sign-in', payload: { login, password: PASSWORD } });
        const c = signed.cookies.find((x) => x.name === 'wf_session');
        if (!c) throw new Error(`${login} did not sign in: ${signed.body}`);
        cookies[login] = `wf_session=${c.value}`;
      }
      await s.app.listen({ port: 0, host: '127.0.0.1' });
      const a = s.app.server.address();
      if (!a || typeof a === 'string') throw new Error('not listening');
      base = `http://127.0.0.1:${a.port}`;
    }, 60_000);
    afterAll(async () => s?.close());

    it('tells each officer of their own commune’s cases only, and the public of none', async () => {
      const [inA, inB] = [await pointIn('29242'), await pointIn('29254')];
      const streams = {
        a: await openSse(`${base}/api/live`, { cookie: cookies['officer.a']! }),
        b: await openSse(`${base}/api/live`, { cookie: cookies['officer.b']! }),
        public: await openSse(`${base}/api/live`),
        all: await openSse(`${base}/api/live`, { authorization: `Bearer ${s.token}` }),
      };
      try {
        const open = async (at: { lat: number; lon: number }) => {
          const r = await s.app.inject({ method: 'POST', url: '/api/cases', payload: { category: 'TRAT_TU_DO_THI', title: 'Lấn chiếm vỉa hè', ...at } });
          expect(r.statusCode, r.body).toBe(201);
          return r.json<{ id: string; placeCode: string | null; organisationCode: string | null }>();
        };
        const caseA = await open(inA);
        const caseB = await open(inB);
        expect([caseA.placeCode, caseB.placeCode]).toEqual(['29242', '29254']);
        // A board saved by a steward is news for everyone: it marks the end of what each stream was sent.
        const board = { version: 1, code: 'live-marker', title: { vi: 'Mốc', en: 'Marker' }, panels: [] };
        expect((await s.app.inject({ method: 'PUT', url: '/api/dashboards/live-marker', payload: board })).statusCode).toBeLessThan(300);
        const heard = async (sse: SseStream) => (await eventsUntilMarker(sse, 'live-marker')).filter((e) => e.type === 'case.changed').map((e) => (e.type === 'case.changed' ? e.id : ''));
        expect(await heard(streams.a)).toEqual([caseA.id]);
        expect(await heard(streams.b)).toEqual([caseB.id]);
        expect(await heard(streams.public)).toEqual([]);
        expect(await heard(streams.all)).toEqual([caseA.id, caseB.id]);
      } finally {
        for (const sse of Object.values(streams)) sse.close();
      }
    }, 60_000);
  });
}
