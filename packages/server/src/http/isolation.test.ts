import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Case, CaseCounts, CaseDetail, DossierMeasures, GrantInput, ScorecardsResponse } from '@watchfloor/core';
import { grantSchema } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import { IdentityService } from '../features/identity/service';
import { seedCaseCategories } from '../features/cases/seed';
import { REFERENCE_DATA_DIR } from '../paths';
import { openTestServer, type TestServer } from '../testing';

/**
 * Isolation between communes: an officer of Phường Trà Vinh (UBND-29242,
 * place 29242) and the cases and dossiers of Phường Nguyệt Hoá (UBND-29254,
 * place 29254). Through every route that answers cases or dossiers the
 * officer sees only their own, cannot act on the others', and counts only
 * their own; a provincial leader sees both; a user without a role sees
 * nothing. A reporter's contact is answered to no one.
 */

// Points in Phường Trà Vinh (29242) and Phường Nguyệt Hoá (29254) of the new Vĩnh Long (86).
const TRA_VINH = { lat: 9.9063, lon: 106.3419 };
const NGUYET_HOA = { lat: 9.9366, lon: 106.3116 };

const PASSWORD = 'isolation password 2026';
const OPEN311_KEY = 'isolation-open311-key-0001';
const REPORTER = { first_name: 'Mai', last_name: 'Phạm-Báo-Tin', email: 'mai.baotin@example.vn', phone: '0987650123' };
const NOVEMBER = 'from=2026-11-01&to=2026-11-30';
const OCTOBER = 'from=2026-10-01&to=2026-10-31';

interface Caller {
  /** Headers that sign a request in (the session cookie), with the CSRF header state changes need. */
  headers: Record<string, string>;
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`isolation of cases and dossiers between communes (${engine.engine})`, () => {
    let s: TestServer;
    const callers: Record<'officerA' | 'officerB' | 'leader' | 'mixed' | 'nobody', Caller> = {
      officerA: { headers: {} },
      officerB: { headers: {} },
      leader: { headers: {} },
      mixed: { headers: {} },
      nobody: { headers: {} },
    };
    /** Cases by name: A's are UBND-29242's in 29242; B's are UBND-29254's in 29254; the others belong to neither officer. */
    const ids: Record<string, string> = {};

    /** As the default all-roles test token. */
    const admin = (opts: InjectOptions) => s.app.inject(opts);
    /** As a signed-in caller (their session cookie and CSRF token). */
    const as = (who: keyof typeof callers, opts: InjectOptions | string): Promise<LightMyRequestResponse> => {
      const o: InjectOptions = typeof opts === 'string' ? { url: opts } : opts;
      return s.app.inject({ ...o, headers: { ...callers[who].headers } });
    };

    const newCase = async (payload: Record<string, unknown>): Promise<CaseDetail> => {
      const r = await admin({ method: 'POST', url: '/api/cases', payload: { title: 'Phản ánh', ...payload } });
      expect(r.statusCode, r.body).toBe(201);
      return r.json<CaseDetail>();
    };
    const move = async (id: string, ...statuses: string[]) => {
      for (const status of statuses) {
        const r = await admin({ method: 'POST', url: `/api/cases/${id}/status`, payload: { status } });
        expect(r.statusCode, r.body).toBe(200);
      }
    };
    const dossier = (code: string, organisation: string, receivedAt: string, dueAt: string, resolvedAt: string | null, channel: 'online' | 'offline') => ({
      code,
      procedure: '1.001234',
      organisation,
      receivedAt,
      dueAt,
      resolvedAt,
      channel,
    });

    beforeAll(async () => {
      s = await openTestServer(engine, { env: { WATCHFLOOR_OPEN311_API_KEYS: OPEN311_KEY } });
      await seedCaseCategories(s.store, { dataDir: REFERENCE_DATA_DIR, clock: s.ctx.clock });

      const identity = new IdentityService(s.ctx);
      const people: [keyof typeof callers, GrantInput[]][] = [
        ['officerA', [{ role: 'agency_officer', organisationCode: 'UBND-29242', placeCode: '29242' }]],
        ['officerB', [{ role: 'agency_officer', organisationCode: 'UBND-29254', placeCode: '29254' }]],
        ['leader', [{ role: 'leader', placeCode: '86' }]],
        // Reads the whole province, handles only Phường Trà Vinh's People's Committee's cases.
        [
          'mixed',
          [
            { role: 'leader', placeCode: '86' },
            { role: 'agency_officer', organisationCode: 'UBND-29242', placeCode: '29242' },
          ],
        ],
        ['nobody', []],
      ];
      for (const [i, [login, roles]] of people.entries()) {
        await identity.createUser({ login: login.toLowerCase(), displayName: login, password: PASSWORD, mustChangePassword: false, roles: roles.map((g) => grantSchema.parse(g)) });
        const signed = await s.anonymous({ method: 'POST', url: '/api/auth/sign-in', payload: { login, password: PASSWORD }, remoteAddress: `10.8.0.${i + 1}` });
        expect(signed.statusCode, signed.body).toBe(200);
        const cookie = signed.cookies.find((c) => c.name === 'wf_session');
        if (!cookie) throw new Error('no session cookie');
        callers[login].headers = { cookie: `wf_session=${cookie.value}`, 'x-csrf-token': signed.json<{ csrfToken: string }>().csrfToken };
      }

      // A's: routed to UBND-29242 by the place rule (environment, urban order); one resolved on time and rated 5.
      ids.a1 = (await newCase({ category: 'MOI_TRUONG', ...TRA_VINH })).id;
      ids.a2 = (await newCase({ category: 'TRAT_TU_DO_THI', ...TRA_VINH })).id;
      await move(ids.a2, 'received', 'assigned', 'in_progress', 'resolved');
      expect((await admin({ method: 'POST', url: `/api/cases/${ids.a2}/satisfaction`, payload: { rating: 5 } })).statusCode).toBe(200);
      // A's too, opened by a citizen through Open311, with the reporter's contact.
      const reported = await s.anonymous({
        method: 'POST',
        url: '/open311/v2/requests.json',
        payload: { api_key: OPEN311_KEY, service_code: 'MOI_TRUONG', lat: String(TRA_VINH.lat), long: String(TRA_VINH.lon), description: 'Rác đổ trộm bên đường', ...REPORTER },
      });
      expect(reported.statusCode, reported.body).toBe(201);
      ids.reported = reported.json<{ service_request_id: string }[]>()[0]!.service_request_id;
      // In 29242 but handled by a provincial department: not A's.
      ids.department = (await newCase({ category: 'GIAO_THONG', ...TRA_VINH })).id;
      expect((await admin({ url: `/api/cases/${ids.department}` })).json<CaseDetail>().organisation).toBe('VL-SXD');
      // B's: UBND-29254's in 29254; one resolved on time and rated 2.
      ids.b1 = (await newCase({ category: 'MOI_TRUONG', ...NGUYET_HOA, organisation: 'UBND-29254' })).id;
      ids.b2 = (await newCase({ category: 'TRAT_TU_DO_THI', ...NGUYET_HOA, organisation: 'UBND-29254' })).id;
      await move(ids.b2, 'received', 'assigned', 'in_progress', 'resolved');
      expect((await admin({ method: 'POST', url: `/api/cases/${ids.b2}/satisfaction`, payload: { rating: 2 } })).statusCode).toBe(200);
      // In 29254 but assigned to A's committee: still outside A's place.
      ids.crossed = (await newCase({ category: 'MOI_TRUONG', ...NGUYET_HOA, organisation: 'UBND-29242' })).id;

      // Dossiers of October 2026 (instants in Vietnam time).
      const saved = await admin({
        method: 'PUT',
        url: '/api/dossiers',
        payload: {
          dossiers: [
            // A's: one processed early, one in process and not yet due.
            dossier('A-001', 'UBND-29242', '2026-10-03T09:00:00+07:00', '2026-10-10T17:00:00+07:00', '2026-10-05T10:00:00+07:00', 'online'),
            dossier('A-002', 'UBND-29242', '2026-10-20T09:00:00+07:00', '2026-11-20T17:00:00+07:00', null, 'offline'),
            // B's: one processed late, one in process late, one carried over from September, late.
            dossier('B-001', 'UBND-29254', '2026-10-04T09:00:00+07:00', '2026-10-06T17:00:00+07:00', '2026-10-10T10:00:00+07:00', 'online'),
            dossier('B-002', 'UBND-29254', '2026-10-21T09:00:00+07:00', '2026-10-25T17:00:00+07:00', null, 'offline'),
            dossier('B-003', 'UBND-29254', '2026-09-15T09:00:00+07:00', '2026-09-30T17:00:00+07:00', null, 'offline'),
          ],
        },
      });
      expect(saved.json()).toEqual({ saved: 5 });
    }, 120_000);
    afterAll(async () => s?.close());

    const A_CASES = () => [ids.a1, ids.a2, ids.reported].sort();
    const NOT_A = () => [ids.department, ids.b1, ids.b2, ids.crossed];
    const listed = async (who: keyof typeof callers, query = ''): Promise<string[]> => {
      const r = await as(who, `/api/cases${query}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json<{ cases: Case[] }>().cases.map((c) => c.id).sort();
    };

    it('lists to an officer only the cases of their committee in their commune, whatever the filter', async () => {
      expect(await listed('officerA')).toEqual(A_CASES());
      expect(await listed('officerA', '?place=29242')).toEqual(A_CASES());
      expect(await listed('officerA', '?place=86')).toEqual(A_CASES());
      expect(await listed('officerA', '?organisation=UBND-29242')).toEqual(A_CASES());
      expect(await listed('officerA', '?status=resolved')).toEqual([ids.a2]);
      expect(await listed('officerA', '?category=GIAO_THONG')).toEqual([]);
      expect(await listed('officerA', '?place=29254')).toEqual([]);
      expect(await listed('officerA', '?organisation=UBND-29254')).toEqual([]);
      expect(await listed('officerA', '?organisation=VL-SXD')).toEqual([]);
      expect(await listed('officerA', '?overdue=due_soon')).toEqual([]);
      // And the other way round.
      expect(await listed('officerB')).toEqual([ids.b1, ids.b2].sort());
      expect(await listed('officerB', '?place=29242')).toEqual([]);
    });

    it('answers 404 for a case out of scope, exactly as for an unknown one, timeline included', async () => {
      const unknown = await as('officerA', '/api/cases/PA999999');
      expect(unknown.statusCode).toBe(404);
      for (const id of NOT_A()) {
        const r = await as('officerA', `/api/cases/${id}`);
        expect(r.statusCode, id).toBe(404);
        expect(r.json()).toEqual({ ...unknown.json(), message: `No case has id ${id}` });
        expect(r.body).not.toContain('timeline');
      }
      const own = await as('officerA', `/api/cases/${ids.a2}`);
      expect(own.statusCode).toBe(200);
      expect(own.json<CaseDetail>().timeline.map((e) => e.kind)).toEqual(['created', 'status', 'status', 'status', 'status', 'rating']);
    });

    it('counts only the cases in scope', async () => {
      const counts = async (who: keyof typeof callers, extra = '') => {
        const r = await as(who, `/api/cases/counts?${NOVEMBER}${extra}`);
        expect(r.statusCode, r.body).toBe(200);
        return r.json<CaseCounts>();
      };
      // A: a1, a2 (resolved on time, rated 5) and the reported one.
      expect(await counts('officerA')).toEqual({ received: 3, processed: 1, processedOnTime: 1, rated: 1, satisfied: 1 });
      expect(await counts('officerA', '&place=29242')).toEqual({ received: 3, processed: 1, processedOnTime: 1, rated: 1, satisfied: 1 });
      expect(await counts('officerA', '&place=29254')).toEqual({ received: 0, processed: 0, processedOnTime: 0, rated: 0, satisfied: 0 });
      expect(await counts('officerA', '&organisation=UBND-29254')).toEqual({ received: 0, processed: 0, processedOnTime: 0, rated: 0, satisfied: 0 });
      // B: b1, b2 (resolved on time, rated 2).
      expect(await counts('officerB')).toEqual({ received: 2, processed: 1, processedOnTime: 1, rated: 1, satisfied: 0 });
      // The provincial leader: all seven.
      expect(await counts('leader')).toEqual({ received: 7, processed: 2, processedOnTime: 2, rated: 2, satisfied: 1 });
    });

    it('measures only the dossiers in scope', async () => {
      const measures = async (who: keyof typeof callers, extra = '') => {
        const r = await as(who, `/api/dossiers/measures?${OCTOBER}${extra}`);
        expect(r.statusCode, r.body).toBe(200);
        return r.json<DossierMeasures>();
      };
      const none = { received: 0, carriedOver: 0, toProcess: 0, processed: { total: 0, early: 0, onTime: 0, late: 0 }, inProcess: { total: 0, late: 0, dueSoon: 0, notYetDue: 0 } };
      // A: A-001 processed early; A-002 in process, due in November.
      const a = { received: 2, carriedOver: 0, toProcess: 2, processed: { total: 1, early: 1, onTime: 0, late: 0 }, inProcess: { total: 1, late: 0, dueSoon: 0, notYetDue: 1 } };
      expect(await measures('officerA')).toMatchObject(a);
      expect(await measures('officerA', '&place=29242')).toMatchObject(a);
      expect(await measures('officerA', '&place=29254')).toMatchObject(none);
      expect(await measures('officerA', '&organisation=UBND-29254')).toMatchObject(none);
      // B: B-001 processed late, B-002 in process late, B-003 carried over and late.
      expect(await measures('officerB')).toMatchObject({ received: 2, carriedOver: 1, toProcess: 3, processed: { total: 1, early: 0, onTime: 0, late: 1 }, inProcess: { total: 2, late: 2, dueSoon: 0, notYetDue: 0 } });
      // The leader: both.
      expect(await measures('leader')).toMatchObject({ received: 4, carriedOver: 1, toProcess: 5, processed: { total: 2, early: 1, onTime: 0, late: 1 }, inProcess: { total: 3, late: 2, dueSoon: 0, notYetDue: 1 } });
    });

    it('ranks on a scorecard only the agencies in scope, with only the counts in scope', async () => {
      const cards = async (who: keyof typeof callers, query: string) => {
        const r = await as(who, `/api/scorecards?${query}`);
        expect(r.statusCode, r.body).toBe(200);
        return r.json<ScorecardsResponse>().agencies;
      };
      const november = await cards('officerA', 'period=2026-11');
      expect(november.map((a) => a.organisation.code)).toEqual(['UBND-29242']);
      expect(november[0]).toMatchObject({ casesReceived: 3, casesHandled: 1 });
      const october = await cards('officerA', 'period=2026-10');
      expect(october.map((a) => a.organisation.code)).toEqual(['UBND-29242']);
      expect(october[0]!.components.find((c) => c.key === 'dossierOnTime')).toMatchObject({ numerator: 1, denominator: 1 });
      expect(await cards('officerA', 'period=2026-11&place=29254')).toEqual([]);
      // The leader sees both committees, each with its own counts.
      const all = await cards('leader', 'period=2026-11');
      expect(all.find((a) => a.organisation.code === 'UBND-29242')).toMatchObject({ casesReceived: 4, casesHandled: 1 });
      expect(all.find((a) => a.organisation.code === 'UBND-29254')).toMatchObject({ casesReceived: 2, casesHandled: 1 });
      expect(all.find((a) => a.organisation.code === 'VL-SXD')).toMatchObject({ casesReceived: 1 });
    });

    it('lets an officer act on no case of another commune or agency: 404 as unknown, nothing changed', async () => {
      const before = (await admin({ url: `/api/cases/${ids.b1}` })).json<CaseDetail>();
      const attempts: [string, unknown][] = [
        ['status', { status: 'received' }],
        ['assign', { organisation: 'UBND-29242' }],
        ['comments', { text: 'Không phải việc của tôi' }],
        ['satisfaction', { rating: 1 }],
        ['sop-steps/1/done', {}],
      ];
      for (const id of NOT_A()) {
        for (const [action, payload] of attempts) {
          const r = await as('officerA', { method: 'POST', url: `/api/cases/${id}/${action}`, payload: payload as Record<string, unknown> });
          expect(r.statusCode, `${action} ${id}: ${r.body}`).toBe(404);
          expect(r.json()).toMatchObject({ error: 'unknown_case' });
        }
      }
      expect((await admin({ url: `/api/cases/${ids.b1}` })).json<CaseDetail>()).toEqual(before);
    });

    it('refuses with 403 a case one may read but not handle, and an assignment out of one\'s scope', async () => {
      // The mixed user reads the province but handles only A's cases.
      expect((await as('mixed', `/api/cases/${ids.b1}`)).statusCode).toBe(200);
      const refused = await as('mixed', { method: 'POST', url: `/api/cases/${ids.b1}/comments`, payload: { text: 'x' } });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ error: 'forbidden' });
      expect(refused.json<{ message: string }>().message).toContain('outside');
      // An officer may not pass their own case to another commune's committee or a department.
      for (const organisation of ['UBND-29254', 'VL-SXD']) {
        const r = await as('officerA', { method: 'POST', url: `/api/cases/${ids.a1}/assign`, payload: { organisation } });
        expect(r.statusCode, r.body).toBe(403);
        expect(r.json()).toMatchObject({ error: 'forbidden' });
      }
      expect((await admin({ url: `/api/cases/${ids.a1}` })).json<CaseDetail>()).toMatchObject({ organisation: 'UBND-29242', status: 'new' });
    });

    it('opens a case only within the opener\'s scope, and records a signed-in user by their login', async () => {
      const open = (payload: Record<string, unknown>) => as('officerA', { method: 'POST', url: '/api/cases', payload: { title: 'Cây đổ', ...payload } });
      // In the other commune, or routed to a department: outside A's scope.
      expect((await open({ category: 'MOI_TRUONG', ...NGUYET_HOA, organisation: 'UBND-29254' })).statusCode).toBe(403);
      expect((await open({ category: 'GIAO_THONG', ...TRA_VINH })).json()).toMatchObject({ error: 'forbidden' });
      expect(await listed('leader', '?category=GIAO_THONG')).toEqual([ids.department]);
      // Within it: opened, and its timeline names the officer whatever the body says.
      const opened = await open({ category: 'GIAO_THONG', ...TRA_VINH, organisation: 'UBND-29242', actor: 'Giả danh' });
      expect(opened.statusCode, opened.body).toBe(201);
      const c = opened.json<CaseDetail>();
      ids.opened = c.id;
      expect(c.timeline[0]).toMatchObject({ kind: 'created', actor: 'officera' });
      const commented = await as('officerA', { method: 'POST', url: `/api/cases/${c.id}/comments`, payload: { text: 'Đã kiểm tra', actor: 'Giả danh' } });
      expect(commented.statusCode, commented.body).toBe(200);
      expect(commented.json<CaseDetail>().timeline.at(-1)).toMatchObject({ kind: 'comment', actor: 'officera' });
      // B never sees it.
      expect((await as('officerB', `/api/cases/${c.id}`)).statusCode).toBe(404);
    });

    it('saves a batch of dossiers only when every one is within the writer\'s scope', async () => {
      const put = (dossiers: unknown[]) => as('officerA', { method: 'PUT', url: '/api/dossiers', payload: { dossiers } });
      const augustA = async () => (await as('leader', '/api/dossiers/measures?from=2026-08-01&to=2026-08-31')).json<DossierMeasures>().received;
      const own = dossier('A-101', 'UBND-29242', '2026-08-03T09:00:00+07:00', '2026-08-10T17:00:00+07:00', null, 'online');
      // One of B's in the batch: nothing saved, B's codes named.
      const mixed = await put([own, dossier('B-101', 'UBND-29254', '2026-08-04T09:00:00+07:00', '2026-08-10T17:00:00+07:00', null, 'online')]);
      expect(mixed.statusCode, mixed.body).toBe(403);
      expect(mixed.json()).toMatchObject({ error: 'forbidden' });
      expect(mixed.json<{ message: string }>().message).toContain('B-101');
      expect(mixed.json<{ message: string }>().message).not.toContain('A-101');
      expect(await augustA()).toBe(0);
      // A dossier of A's committee placed in B's commune: outside too.
      expect((await put([{ ...own, place: '29254' }])).statusCode).toBe(403);
      // B's stored dossier sent again as A's: refused, B's dossier left as it was.
      const takeover = await put([dossier('B-001', 'UBND-29242', '2026-10-04T09:00:00+07:00', '2026-10-06T17:00:00+07:00', null, 'online')]);
      expect(takeover.statusCode).toBe(403);
      expect(takeover.json<{ message: string }>().message).toContain('B-001');
      expect((await as('officerB', `/api/dossiers/measures?${OCTOBER}`)).json<DossierMeasures>().processed).toMatchObject({ total: 1, late: 1 });
      // Its own: saved.
      expect((await put([own])).json()).toEqual({ saved: 1 });
      expect(await augustA()).toBe(1);
    });

    it('shows a provincial leader both communes', async () => {
      expect(await listed('leader')).toEqual([...A_CASES(), ids.opened, ...NOT_A()].sort());
      expect(await listed('leader', '?place=29254')).toEqual([ids.b1, ids.b2, ids.crossed].sort());
      for (const id of NOT_A()) expect((await as('leader', `/api/cases/${id}`)).statusCode).toBe(200);
    });

    it('shows a user without a role nothing: 403 on every read route', async () => {
      for (const url of ['/api/cases', `/api/cases/counts?${NOVEMBER}`, `/api/cases/${ids.a1}`, `/api/dossiers/measures?${OCTOBER}`, '/api/scorecards']) {
        const r = await as('nobody', url);
        expect(r.statusCode, url).toBe(403);
        expect(r.json(), url).toMatchObject({ error: 'forbidden' });
      }
    });

    it('answers no reporter contact on any case route, to anyone', async () => {
      const needles = [REPORTER.email, REPORTER.phone, REPORTER.last_name, 'reporter', 'deviceId', 'accountId'];
      const bodies: [string, string][] = [];
      for (const who of ['officerA', 'leader', 'mixed'] as const) {
        for (const url of ['/api/cases', '/api/cases?place=29242', `/api/cases?organisation=UBND-29242`, `/api/cases/${ids.reported}`]) {
          const r = await as(who, url);
          expect(r.statusCode, `${who} ${url}`).toBe(200);
          bodies.push([`${who} ${url}`, r.body]);
        }
        const commented = await as(who === 'leader' ? 'officerA' : who, { method: 'POST', url: `/api/cases/${ids.reported}/comments`, payload: { text: 'Đã ghi nhận' } });
        expect(commented.statusCode).toBe(200);
        bodies.push([`${who} comment`, commented.body]);
      }
      for (const url of ['/api/cases', `/api/cases/${ids.reported}`]) bodies.push([`token ${url}`, (await admin({ url })).body]);
      for (const url of [`/open311/v2/requests.json?service_request_id=${ids.reported}`, `/open311/v2/requests/${ids.reported}.json`, `/open311/v2/requests/${ids.reported}.xml`, '/open311/v2/requests.xml']) {
        const r = await s.anonymous({ url });
        expect(r.statusCode, url).toBe(200);
        expect(r.body, url).toContain(ids.reported);
        bodies.push([`public ${url}`, r.body]);
      }
      // The case is there; its reporter is not.
      expect(bodies.some(([, body]) => body.includes('Rác đổ trộm'))).toBe(true);
      for (const [where, body] of bodies) for (const needle of needles) expect(body.includes(needle), `${needle} in ${where}`).toBe(false);
    });
  });
}
