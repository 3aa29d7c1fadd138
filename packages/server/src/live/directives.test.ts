import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, apiTokenCreateSchema, liveEventSchema, type DirectiveDocumentInput, type DirectiveImportAnswer, type GrantInput, type LiveEvent } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, type TestServer } from '../testing';
import { IdentityService } from '../features/identity/service';
import { openSse, type SseStream } from './sse-client';

/**
 * Open directive screens hear of every committed change to a document's
 * tasks (the document saved, a report of the lead agency, a decision of
 * the office) and re-read; the news keeps to who may read the document:
 * the officers of the lead agency, leaders of the whole province, and
 * everyone once the document is published. An event names the document
 * and the lead agencies, never what a task says.
 */
const STC = 'VL-STC';
const SYT = 'VL-SYT';
const SECRET = 'Rà soát dự toán (nội bộ)';

const internal: DirectiveDocumentInput = {
  number: '77/TB-UBND',
  date: '2026-11-02',
  issuer: 'UBND tỉnh Vĩnh Long',
  signer: 'Chủ tịch (thử)',
  kind: 'conclusion',
  summary: 'Kết luận giao ban (thử nghiệm)',
  confirmDone: true,
  synthetic: true,
  tasks: [{ key: '1', text: SECRET, lead: STC, deadline: { kind: 'date', date: '2026-12-31' } }],
};

const published: DirectiveDocumentInput = {
  ...internal,
  number: '78/TB-UBND',
  published: true,
  tasks: [{ key: '1', text: 'Kiểm tra cơ sở khám chữa bệnh', lead: SYT, deadline: { kind: 'date', date: '2026-12-31' } }],
};

const eventOf = (data: string | undefined): LiveEvent | null => {
  const p = liveEventSchema.safeParse(JSON.parse(data ?? 'null'));
  return p.success ? p.data : null;
};

/** What a stream was told of directives until the marker board (published last, to everyone): [document, agencies] per event, and the raw text. */
async function heardUntilMarker(sse: SseStream, marker: string): Promise<{ events: [string, string[]][]; raw: string }> {
  const events: [string, string[]][] = [];
  let raw = '';
  for (;;) {
    const m = await sse.next((x) => x.data !== undefined);
    const e = eventOf(m.data);
    if (!e) continue;
    if (e.type === 'dashboard.changed' && e.code === marker) return { events, raw };
    if (e.type === 'directive.changed') {
      events.push([e.document, e.agencies]);
      raw += m.data ?? '';
    }
  }
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`live news of leadership directives within the viewer's scope (${engine.engine})`, () => {
    let s: TestServer;
    let base: string;
    const tokens: Record<'office' | 'stc' | 'syt' | 'leader', string> = { office: '', stc: '', syt: '', leader: '' };
    const tokenOf = async (name: string, roles: GrantInput[]) => (await new IdentityService(s.ctx).createToken(apiTokenCreateSchema.parse({ name, roles }), ANONYMOUS)).token;
    const as = (who: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[who]}`, 'x-actor': who });

    beforeAll(async () => {
      s = await openTestServer(engine);
      tokens.office = await tokenOf('van.phong', [{ role: 'leaders_office' }]);
      tokens.stc = await tokenOf('can.bo.stc', [{ role: 'agency_officer', organisationCode: STC }]);
      tokens.syt = await tokenOf('can.bo.syt', [{ role: 'agency_officer', organisationCode: SYT }]);
      tokens.leader = await tokenOf('lanh.dao', [{ role: 'leader' }]);
      await s.app.listen({ port: 0, host: '127.0.0.1' });
      const a = s.app.server.address();
      if (!a || typeof a === 'string') throw new Error('not listening');
      base = `http://127.0.0.1:${a.port}`;
    }, 60_000);
    afterAll(async () => s?.close());

    it('tells the lead agency and the leaders of each change to an internal document, everyone of a published one, and no one what a task says', async () => {
      const streams = {
        stc: await openSse(`${base}/api/live`, { authorization: `Bearer ${tokens.stc}` }),
        syt: await openSse(`${base}/api/live`, { authorization: `Bearer ${tokens.syt}` }),
        leader: await openSse(`${base}/api/live`, { authorization: `Bearer ${tokens.leader}` }),
        public: await openSse(`${base}/api/live`),
      };
      try {
        const put = async (d: DirectiveDocumentInput) => {
          const r = await s.app.inject({ method: 'PUT', url: `/api/directives/documents/${encodeURIComponent(d.number)}`, headers: as('office'), payload: d });
          expect(r.statusCode, r.body).toBe(201);
          return r.json<DirectiveImportAnswer>();
        };
        // 1. The office saves the internal document (Sở Tài chính leads its task).
        const saved = await put(internal);
        const id = saved.tasks[0]!.id;
        // 2. Sở Tài chính reports it done; 3. the office confirms.
        const done = await s.app.inject({ method: 'POST', url: `/api/directives/tasks/${id}/reports`, headers: as('stc'), payload: { kind: 'done', text: 'Đã rà soát xong' } });
        expect(done.statusCode, done.body).toBe(201);
        const confirmed = await s.app.inject({ method: 'POST', url: `/api/directives/tasks/${id}/decisions`, headers: as('office'), payload: { kind: 'done_confirmed' } });
        expect(confirmed.statusCode, confirmed.body).toBe(201);
        // A refused write commits nothing and tells no one: the office cannot confirm it twice.
        const again = await s.app.inject({ method: 'POST', url: `/api/directives/tasks/${id}/decisions`, headers: as('office'), payload: { kind: 'done_confirmed' } });
        expect(again.statusCode).toBe(409);
        // 4. The office saves a published document (Sở Y tế leads its task).
        await put(published);
        // 5. A change naming too many agencies to list: the document's own stand for them.
        s.ctx.live?.publish({ type: 'directive.changed', document: internal.number, agencies: [], published: false, partial: true });

        const board = { version: 1, code: 'live-marker', title: { vi: 'Mốc', en: 'Marker' }, panels: [] };
        expect((await s.app.inject({ method: 'PUT', url: '/api/dashboards/live-marker', payload: board })).statusCode).toBeLessThan(300);

        const A = internal.number;
        const B = published.number;
        const stc = await heardUntilMarker(streams.stc, 'live-marker');
        expect(stc.events).toEqual([
          [A, [STC]],
          [A, [STC]],
          [A, [STC]],
          [B, [SYT]],
          [A, []],
        ]);
        // Sở Y tế's officer and the public hear of the published document only.
        expect((await heardUntilMarker(streams.syt, 'live-marker')).events).toEqual([[B, [SYT]]]);
        expect((await heardUntilMarker(streams.public, 'live-marker')).events).toEqual([[B, [SYT]]]);
        // A leader of the province hears of everything.
        expect((await heardUntilMarker(streams.leader, 'live-marker')).events).toEqual(stc.events);
        expect(stc.raw).not.toContain(SECRET);
        expect(stc.raw).not.toContain('Đã rà soát xong');
      } finally {
        for (const sse of Object.values(streams)) sse.close();
      }
    }, 60_000);
  });
}
