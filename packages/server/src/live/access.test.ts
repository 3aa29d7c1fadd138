import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, type TestServer } from '../testing';
import { IdentityService } from '../features/identity/service';
import { openSse, type SseStream } from './sse-client';

/**
 * A live stream lasts only as long as the credential it opened with: a
 * disabled user's stream ends and receives nothing more. Anonymous streams
 * are capped per address.
 */
const PASSWORD = 'live access password 2026';

/** Reads a stream until it ends; the events it received on the way, as their data. */
async function untilEnded(sse: SseStream): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    try {
      const m = await sse.next((x) => x.data !== undefined);
      seen.push(m.data ?? '');
    } catch (e) {
      if (e instanceof Error && e.message === 'The stream ended') return seen;
      throw e;
    }
  }
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`live streams and access (${engine.engine})`, () => {
    let s: TestServer;
    let base: string;
    const streams: SseStream[] = [];

    beforeAll(async () => {
      s = await openTestServer(engine, { env: { WATCHFLOOR_LIVE_ANONYMOUS_PER_ADDRESS: '2' } });
      await s.app.listen({ port: 0, host: '127.0.0.1' });
      const a = s.app.server.address();
      if (!a || typeof a === 'string') throw new Error('not listening');
      base = `http://127.0.0.1:${a.port}`;
    }, 60_000);
    afterAll(async () => {
      for (const x of streams) x.close();
      await s?.close();
    });

    async function cookieOf(login: string): Promise<string> {
      await new IdentityService(s.ctx).createUser({ login, displayName: login, password: PASSWORD, mustChangePassword: false, roles: [{ role: 'leader', organisationCode: null, placeCode: null }] });
      const r = await s.anonymous({ method: 'POST', url: '/api/auth/sign-in', payload: { login, password: PASSWORD } });
      const c = r.cookies.find((x) => x.name === 'wf_session');
      if (!c) throw new Error(`${login} did not sign in: ${r.body}`);
      return `wf_session=${c.value}`;
    }
    const open = async (headers: Record<string, string> = {}) => {
      const sse = await openSse(`${base}/api/live`, headers);
      streams.push(sse);
      return sse;
    };
    const marker = (code: string) => s.ctx.live!.publish({ type: 'dashboard.changed', kind: 'dashboard', code });

    it('ends a user’s stream when they are disabled: nothing published after reaches it', async () => {
      const sse = await open({ cookie: await cookieOf('watcher') });
      expect(sse.response.status).toBe(200);
      marker('before');
      expect((await sse.next((m) => m.data !== undefined)).data).toContain('"before"');
      const disabled = await s.app.inject({ method: 'PATCH', url: '/api/users/watcher', payload: { disabled: true } });
      expect(disabled.statusCode).toBe(200);
      marker('after');
      expect(await untilEnded(sse)).toEqual([]);
    });

    it('ends a stream whose session was signed out, and keeps the others', async () => {
      const cookie = await cookieOf('leaver');
      const gone = await open({ cookie });
      const stays = await open({ cookie: await cookieOf('stayer') });
      const me = await s.anonymous({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
      const out = await s.anonymous({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie, 'x-csrf-token': me.json<{ csrfToken: string }>().csrfToken } });
      expect(out.statusCode).toBe(204);
      marker('after-sign-out');
      expect(await untilEnded(gone)).toEqual([]);
      expect((await stays.next((m) => m.data !== undefined)).data).toContain('"after-sign-out"');
    });

    it('answers 429 rate_limited beyond the configured number of anonymous streams from one address, signed-in ones apart', async () => {
      const first = await open();
      const second = await open();
      expect([first.response.status, second.response.status]).toEqual([200, 200]);
      const third = await fetch(`${base}/api/live`, { headers: { accept: 'text/event-stream' } });
      expect(third.status).toBe(429);
      expect(await third.json()).toMatchObject({ error: 'rate_limited', details: { max: 2 } });
      // A signed-in viewer on the same address is not counted with the anonymous.
      expect((await open({ cookie: await cookieOf('counted.apart') })).response.status).toBe(200);
      // A closed stream frees its place.
      const before = s.ctx.live!.subscribers;
      first.close();
      await vi.waitFor(() => expect(s.ctx.live!.subscribers).toBe(before - 1));
      expect((await open()).response.status).toBe(200);
    });
  });
}
