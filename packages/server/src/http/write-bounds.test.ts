import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GrantInput } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import { ROUTE_POLICY } from './policy';
import { addStation, signInAs, type TestServer } from '../testing';
import { multipart, openSourcesServer } from '../features/sources/test-support';
import { TestPeer } from '../features/pulls/test-peer';

/**
 * The second dimension of the route × role matrix: for every route that
 * writes rows (figures, readings, dossiers), a row outside the source's
 * coverage and a row outside the sender's scope are refused — a rejected
 * row `out_of_scope` (or, for the all-or-nothing dossier save, 403) — and
 * nothing of them is stored. The routes are read off the access table, so
 * a new channel that writes rows is covered here or this test fails.
 *
 * Phường Trà Vinh (29242) and Phường Long Đức (29254) are two wards of
 * Vĩnh Long (86). "-A" sources belong to 29242's People's Committee and
 * cover 29242 (the default: their owner's place); "-WIDE" sources belong
 * to the same committee but were given the whole province by a steward.
 * The officer of 29242 may supply 29242 only; the provincial steward,
 * all of 86.
 */
/** A PAR Index framework of one self-assessed criterion, for communes. */
const PAR_FRAMEWORK = {
  code: 'WB-PAR',
  year: 2026,
  name: 'Bộ chỉ số thử',
  unitKinds: ['commune'],
  fields: [{ code: 'F1', name: 'Lĩnh vực', criteria: [{ code: 'C1', name: 'Tiêu chí', maxPoints: 2, method: 'self', evidenceRequired: true }] }],
};
/** A directive document with one task led by the other ward's People's Committee (29254). */
const DIRECTIVE = {
  number: '9/TB-WB',
  date: '2026-11-02',
  issuer: 'UBND tỉnh',
  signer: 'Chủ tịch',
  kind: 'conclusion',
  summary: 'Kết luận thử',
  tasks: [{ key: '1', text: 'Nhiệm vụ của phường Long Đức', lead: 'UBND-29254', deadline: { kind: 'date', date: '2026-12-31' } }],
};
const OFFICE_A: GrantInput[] = [{ role: 'leaders_office', organisationCode: 'UBND-29242', placeCode: null }];
const OFFICER_A: GrantInput[] = [{ role: 'agency_officer', organisationCode: 'UBND-29242', placeCode: '29242' }];
const STEWARD_86: GrantInput[] = [{ role: 'data_steward', placeCode: '86' }];

interface Caller {
  headers: Record<string, string>;
}

/** A CSV of one PM2.5 figure for a ward. */
const figureCsv = (place: string, day: string) => `indicator,place,period,value\r\nPM25,${place},${day},35\r\n`;
/** A dossier export of one dossier of a ward's People's Committee. */
const dossierCsv = (code: string, org: string, place: string) =>
  `Mã hồ sơ,Thủ tục,Cơ quan,Mã đơn vị,Ngày tiếp nhận,Hạn xử lý,Hình thức tiếp nhận\r\n${code},1.001,${org},${place},2026-11-02T08:00:00+07:00,2026-11-09T17:00:00+07:00,online\r\n`;
/** A directive file of one task led by an agency. */
const directiveCsv = (number: string, lead: string) =>
  `Số/ký hiệu,Ngày ban hành,Cơ quan ban hành,Người ký,Loại văn bản,Trích yếu,Nội dung nhiệm vụ,Mã nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,Hạn xử lý\r\n${number},02/11/2026,UBND tỉnh,Chủ tịch,Thông báo kết luận,Kết luận thử,Nhiệm vụ,1,${lead},,31/12/2026\r\n`;
/** An hourly sensor export (AirNow DOS) of one reading of a site. */
const readingsCsv = (site: string, day: number) =>
  `Site,Parameter,Date (LT),Year,Month,Day,Hour,NowCast Conc.,AQI,AQI Category,Raw Conc.,Conc. Unit,Duration,QC Name\r\n` +
  `${site},PM2.5 - Principal,2026-11-${String(day).padStart(2, '0')} 08:00 AM,2026,11,${String(day).padStart(2, '0')},08,30.0,89,Moderate,30.0,UG/M3,1 Hr,Valid\r\n`;

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`no write outside the source’s coverage or the sender’s scope (${engine.engine})`, () => {
    let s: TestServer;
    const peer = new TestPeer('peer-secret');
    let pushToken = '';
    let directivePushToken = '';
    let parCycle = 0;
    /** What is stored of the other ward's PAR Index assessment: its points, its files and its step. */
    const parOfOtherWard = async () => ({
      scores: Number((await s.store.db.selectFrom('par_score').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_code', '=', 'UBND-29254').executeTakeFirstOrThrow()).n),
      evidence: Number((await s.store.db.selectFrom('par_evidence').select((eb) => eb.fn.countAll<number>().as('n')).where('organisation_code', '=', 'UBND-29254').executeTakeFirstOrThrow()).n),
      status: (await s.store.db.selectFrom('par_assessment').select('status').where('organisation_code', '=', 'UBND-29254').executeTakeFirstOrThrow()).status,
    });
    /** A PAR Index write of the officer of 29242 to the other ward's assessment: refused as a unit they do not have, nothing stored. */
    const parRefused = async (method: 'POST' | 'PUT', path: string, payload: object | null) => {
      const url = `/api/par/cycles/${parCycle}/units/UBND-29254${path}`;
      const r = payload === null ? await upload(callers.officer, url, 'bien-ban.pdf', '%PDF-1.7\n%%EOF\n') : await send(callers.officer, method, url, payload);
      expect([r.statusCode, r.json<{ error: string }>().error]).toEqual([404, 'unknown_par_unit']);
      expect(await parOfOtherWard()).toEqual({ scores: 0, evidence: 0, status: 'draft' });
    };
    let directiveTask = 0;
    /** What is stored of directives: documents and events of the other ward's task. */
    const directivesStored = async () => ({
      documents: Number((await s.store.db.selectFrom('directive_document').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
      events: Number((await s.store.db.selectFrom('directive_task_event').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    });
    const directiveFiles = async () => Number((await s.store.db.selectFrom('directive_file').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const callers: Record<'officer' | 'steward', Caller> = { officer: { headers: {} }, steward: { headers: {} } };

    const signIn = async (login: string, roles: GrantInput[]): Promise<Caller> => ({ headers: (await signInAs(s, login, roles)).write });
    const send = (who: Caller, method: 'POST' | 'PUT' | 'PATCH', url: string, payload: object) => s.app.inject({ method, url, headers: who.headers, payload });
    const upload = async (who: Caller, url: string, name: string, content: string) => {
      const body = await multipart(name, content);
      return s.app.inject({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, ...who.headers } });
    };
    /** The reasons of a run's refused rows, from an ingestion answer or a write answer. */
    const reasons = (body: { rejectedRows?: { reason: string }[]; rejected?: unknown }): string[] =>
      (body.rejectedRows ?? (Array.isArray(body.rejected) ? (body.rejected as { reason: string }[]) : [])).map((r) => r.reason);
    const storedFor = async (place: string) =>
      Number((await s.store.db.selectFrom('observation').select((eb) => eb.fn.countAll<number>().as('n')).where('place_code', '=', place).executeTakeFirstOrThrow()).n);
    const dossiersOf = async (org: string) =>
      Number((await s.store.db.selectFrom('dossier').select((eb) => eb.fn.countAll<number>().as('n')).where('org_code', '=', org).executeTakeFirstOrThrow()).n);

    beforeAll(async () => {
      await peer.start();
      s = await openSourcesServer(engine, { WATCHFLOOR_OUTBOUND_ALLOW: '127.0.0.1' });
      const own = 'UBND-29242';
      const wide = { places: ['86'], organisations: ['UBND-29242', 'UBND-29254'] };
      const sensors = { sensors: { stations: { 'Site A': 'ST-A', 'Site B': 'ST-B' }, datastreams: { 'PM2.5 - Principal': 'pm25' } } };
      // Rows for 29254 from another agency's API.
      peer.add('pm25', [{ id: 1, code: 'PM25', commune: '29254', day: '2026-11-03', reading: 20 }]);
      for (const payload of [
        { code: 'FILE-A', kind: 'file' },
        { code: 'FILE-WIDE', kind: 'file', coverage: wide },
        { code: 'PUSH-A', kind: 'http_push' },
        { code: 'MAN-A', kind: 'manual', mapping: { defaults: { indicator: 'PM25' } } },
        { code: 'MAN-WIDE', kind: 'manual', mapping: { defaults: { indicator: 'PM25' } }, coverage: wide },
        { code: 'DOS-A', kind: 'file', mapping: { target: 'dossiers' } },
        { code: 'DOS-WIDE', kind: 'file', mapping: { target: 'dossiers' }, coverage: wide },
        { code: 'DIR-PUSH-A', kind: 'http_push', mapping: { target: 'directives' } },
        { code: 'DIR-FILE-A', kind: 'file', mapping: { target: 'directives' } },
        { code: 'DIR-FILE-WIDE', kind: 'file', mapping: { target: 'directives' }, coverage: wide },
        { code: 'SENS-A', kind: 'file', mapping: sensors },
        { code: 'SENS-WIDE', kind: 'file', mapping: sensors, coverage: wide },
        {
          code: 'PULL-A',
          kind: 'http_pull',
          credentials: { token: 'peer-secret' },
          pull: { kind: 'http', url: `${peer.base}/pm25`, headers: { Authorization: 'Bearer {{credentials.token}}' }, records: 'items.{ "indicator": code, "place": commune, "period": day, "value": reading }', timeoutMs: 2000 },
        },
      ]) {
        const r = await s.app.inject({ method: 'POST', url: '/api/sources', payload: { name: payload.code, ownerOrganisationCode: own, ...payload } });
        expect(r.statusCode, r.body).toBe(201);
        if (payload.code === 'PUSH-A') pushToken = r.json<{ token: string }>().token;
        if (payload.code === 'DIR-PUSH-A') directivePushToken = r.json<{ token: string }>().token;
      }
      // A station in each ward, reporting PM2.5 through whichever source; a day of one hour still gets its (estimated) mean, so a reading that got in would show as a figure.
      await addStation(s, 'ST-A', '29242', '86', [{ code: 'pm25', indicator: 'PM25', incompleteDays: 'estimated' }]);
      await addStation(s, 'ST-B', '29254', '86', [{ code: 'pm25', indicator: 'PM25', incompleteDays: 'estimated' }]);
      callers.officer = await signIn('officer.a', OFFICER_A);
      callers.steward = await signIn('steward.86', STEWARD_86);
      // A PAR Index cycle scoring both wards' People's Committees (opened with the tests' token, which holds every role).
      const framework = await s.app.inject({ method: 'PUT', url: '/api/par/frameworks/WB-PAR', payload: PAR_FRAMEWORK });
      expect(framework.statusCode, framework.body).toBe(201);
      const cycle = await s.app.inject({
        method: 'POST',
        url: '/api/par/cycles',
        payload: { frameworkCode: 'WB-PAR', deadlines: { selfAssessmentDue: '2026-12-31', appraisalDue: '2027-01-31' }, units: ['UBND-29242', 'UBND-29254'] },
      });
      expect(cycle.statusCode, cycle.body).toBe(201);
      parCycle = cycle.json<{ id: number }>().id;
      // A directive document whose one task the other ward leads (saved with the tests' token).
      const directive = await s.app.inject({ method: 'PUT', url: `/api/directives/documents/${encodeURIComponent(DIRECTIVE.number)}`, payload: DIRECTIVE });
      expect(directive.statusCode, directive.body).toBe(201);
      directiveTask = directive.json<{ tasks: { id: number }[] }>().tasks[0]!.id;
    }, 120_000);
    afterAll(async () => {
      await s?.close();
      await peer.close();
    });

    /**
     * Per route: a row outside the source's coverage (sent by one whose
     * scope would allow it) and, where a person sends, a row outside the
     * sender's scope (through a source whose coverage would allow it).
     */
    const CASES: Record<string, { coverage?: () => Promise<void>; sender?: () => Promise<void> }> = {
      'POST /api/observations': {
        coverage: async () => {
          const r = await send(callers.steward, 'POST', '/api/observations', { source: 'FILE-A', observations: [{ indicator: 'PM25', place: '29254', period: '2026-11-01', value: 40 }] });
          expect(r.statusCode, r.body).toBe(200);
          expect(reasons(r.json())).toEqual(['out_of_scope']);
          expect(r.json<{ rejected: { message: string }[] }>().rejected[0]?.message).toMatch(/source FILE-A/);
        },
        sender: async () => {
          const r = await send(callers.officer, 'POST', '/api/observations', { source: 'FILE-WIDE', observations: [{ indicator: 'PM25', place: '29254', period: '2026-11-01', value: 40 }] });
          expect(r.statusCode, r.body).toBe(200);
          expect(reasons(r.json())).toEqual(['out_of_scope']);
          // A source that does not exist, or one outside the caller's scope, is no way in either.
          const none = await send(callers.officer, 'POST', '/api/observations', { source: 'NO-SUCH', observations: [{ indicator: 'PM25', place: '29242', period: '2026-11-01', value: 40 }] });
          expect([none.statusCode, none.json<{ error: string }>().error]).toEqual([404, 'unknown_source']);
          const missing = await send(callers.officer, 'POST', '/api/observations', { observations: [{ indicator: 'PM25', place: '29242', period: '2026-11-01', value: 40 }] });
          expect(missing.statusCode).toBe(400);
        },
      },
      'POST /api/sources/:code/push': {
        coverage: async () => {
          const r = await s.app.inject({
            method: 'POST',
            url: '/api/sources/PUSH-A/push',
            headers: { authorization: `Bearer ${pushToken}`, 'content-type': 'application/x-ndjson' },
            payload: `${JSON.stringify({ indicator: 'PM25', place: '29254', period: '2026-11-02', value: 41 })}\n${JSON.stringify({ indicator: 'PM25', place: '86', period: '2026-11-02', value: 41 })}\n`,
          });
          expect(r.statusCode, r.body).toBe(200);
          expect(reasons(r.json())).toEqual(['out_of_scope', 'out_of_scope']);
        },
      },
      'POST /api/sources/:code/upload': {
        coverage: async () => {
          const r = await upload(callers.steward, '/api/sources/FILE-A/upload', 'bao-cao.csv', figureCsv('29254', '2026-11-03'));
          expect(r.statusCode, r.body).toBe(200);
          expect(reasons(r.json())).toEqual(['out_of_scope']);
          // Dossier files too: a dossier of the other ward's committee.
          const d = await upload(callers.steward, '/api/sources/DOS-A/upload', 'ho-so.csv', dossierCsv('HS-B-1', 'UBND-29254', '29254'));
          expect(d.statusCode, d.body).toBe(200);
          expect(reasons(d.json())).toEqual(['out_of_scope']);
        },
        sender: async () => {
          const r = await upload(callers.officer, '/api/sources/FILE-WIDE/upload', 'bao-cao.csv', figureCsv('29254', '2026-11-03'));
          expect(r.statusCode, r.body).toBe(200);
          expect(reasons(r.json())).toEqual(['out_of_scope']);
          const d = await upload(callers.officer, '/api/sources/DOS-WIDE/upload', 'ho-so.csv', dossierCsv('HS-B-2', 'UBND-29254', '29254'));
          expect(d.statusCode, d.body).toBe(200);
          expect(reasons(d.json())).toEqual(['out_of_scope']);
          // Who uploaded is kept with the run and in the audit log.
          const runId = r.json<{ runId: number }>().runId;
          expect((await s.app.inject(`/api/runs/${runId}`)).json<{ enteredBy: string | null }>().enteredBy).toBe('officer.a');
          const audit = (await s.app.inject('/api/audit?entity=run')).json<{ events: { action: string; actor: string; entityKey: string }[] }>().events;
          expect(audit).toContainEqual(expect.objectContaining({ action: 'source.upload', actor: 'officer.a', entityKey: String(runId) }));
        },
      },
      'POST /api/sources/:code/entries': {
        coverage: async () => {
          const r = await send(callers.steward, 'POST', '/api/sources/MAN-A/entries', { period: '2026-11-04', place: '29254', figures: [{ indicator: 'PM25', value: 20 }] });
          expect(r.statusCode, r.body).toBe(200);
          expect(reasons(r.json())).toEqual(['out_of_scope']);
        },
        sender: async () => {
          const r = await send(callers.officer, 'POST', '/api/sources/MAN-WIDE/entries', { period: '2026-11-04', place: '29254', figures: [{ indicator: 'PM25', value: 20 }] });
          expect(r.statusCode, r.body).toBe(200);
          expect(reasons(r.json())).toEqual(['out_of_scope']);
        },
      },
      'POST /api/sources/:code/readings/upload': {
        coverage: async () => {
          const r = await upload(callers.steward, '/api/sources/SENS-A/readings/upload', 'pm25.csv', readingsCsv('Site B', 5));
          expect(r.statusCode, r.body).toBe(200);
          expect(reasons(r.json())).toEqual(['out_of_scope']);
        },
        sender: async () => {
          const r = await upload(callers.officer, '/api/sources/SENS-WIDE/readings/upload', 'pm25.csv', readingsCsv('Site B', 5));
          expect(r.statusCode, r.body).toBe(200);
          expect(reasons(r.json())).toEqual(['out_of_scope']);
        },
      },
      'POST /api/sources/:code/pull': {
        coverage: async () => {
          const r = await send(callers.steward, 'POST', '/api/sources/PULL-A/pull', {});
          expect(r.statusCode, r.body).toBe(200);
          const rejected = (await s.app.inject(`/api/runs/${r.json<{ id: number }>().id}/rejected`)).json<{ rows: { reason: string }[] }>().rows;
          expect(rejected.map((x) => x.reason)).toEqual(['out_of_scope']);
        },
      },
      'POST /api/sources/:code/aliases': {
        // An alias names a unit; it widens nothing: rows written by it stay within the source's coverage.
        coverage: async () => {
          const a = await send(callers.steward, 'POST', '/api/sources/FILE-A/aliases', { kind: 'place', name: 'Long Đức cũ', code: '29254' });
          expect(a.statusCode, a.body).toBe(200);
          const r = await upload(callers.steward, '/api/sources/FILE-A/upload', 'bao-cao.csv', figureCsv('Long Đức cũ', '2026-11-06'));
          expect(r.statusCode, r.body).toBe(200);
          expect(reasons(r.json())).toEqual(['out_of_scope']);
        },
        // And no one points a source's names at a unit or agency outside their own scope.
        sender: async () => {
          const place = await send(callers.officer, 'POST', '/api/sources/FILE-WIDE/aliases', { kind: 'place', name: 'Long Đức', code: '29254' });
          expect([place.statusCode, place.json<{ error: string }>().error]).toEqual([403, 'forbidden']);
          const org = await send(callers.officer, 'POST', '/api/sources/FILE-WIDE/aliases', { kind: 'organisation', name: 'UBND Long Đức', code: 'UBND-29254' });
          expect([org.statusCode, org.json<{ error: string }>().error]).toEqual([403, 'forbidden']);
        },
      },
      'PUT /api/sources/:code/layout': {
        // A layout says how sheets are read; what it gives a row is bounded like any cell.
        coverage: async () => {
          const saved = await send(callers.steward, 'PUT', '/api/sources/FILE-A/layout', { defaults: { place: '29254' } });
          expect(saved.statusCode, saved.body).toBe(200);
          const r = await upload(callers.steward, '/api/sources/FILE-A/upload', 'bao-cao.csv', 'indicator,period,value\r\nPM25,2026-11-07,35\r\n');
          expect(r.statusCode, r.body).toBe(200);
          expect(reasons(r.json())).toEqual(['out_of_scope']);
          expect((await send(callers.steward, 'PUT', '/api/sources/FILE-A/layout', {})).statusCode).toBe(200);
        },
        sender: async () => {
          const saved = await send(callers.officer, 'PUT', '/api/sources/FILE-WIDE/layout', { defaults: { place: '29254' } });
          expect(saved.statusCode, saved.body).toBe(200);
          const r = await upload(callers.officer, '/api/sources/FILE-WIDE/upload', 'bao-cao.csv', 'indicator,period,value\r\nPM25,2026-11-07,35\r\n');
          expect(r.statusCode, r.body).toBe(200);
          expect(reasons(r.json())).toEqual(['out_of_scope']);
          expect((await send(callers.officer, 'PUT', '/api/sources/FILE-WIDE/layout', {})).statusCode).toBe(200);
        },
      },
      'POST /api/sources/:code/sheet': {
        // Reading a sample's head writes nothing, whatever units it names.
        coverage: async () => {
          const r = await upload(callers.steward, '/api/sources/FILE-A/sheet', 'bao-cao.csv', figureCsv('29254', '2026-11-08'));
          expect(r.statusCode, r.body).toBe(200);
        },
      },
      // A unit's PAR Index self-assessment: the officer's own unit only, whatever they send.
      'PUT /api/par/cycles/:id/units/:unit/criteria/:criterion/self': { sender: () => parRefused('PUT', '/criteria/C1/self', { points: 2, note: 'x' }) },
      'PUT /api/par/cycles/:id/units/:unit/criteria/:criterion/answer': { sender: () => parRefused('PUT', '/criteria/C1/answer', { response: 'x' }) },
      'POST /api/par/cycles/:id/units/:unit/criteria/:criterion/evidence': { sender: () => parRefused('POST', '/criteria/C1/evidence', null) },
      'POST /api/par/cycles/:id/units/:unit/submit': { sender: () => parRefused('POST', '/submit', {}) },
      'POST /api/par/cycles/:id/units/:unit/answer': { sender: () => parRefused('POST', '/answer', {}) },
      // Directives: the lead agency's officer reports on its own tasks only; an office decides and saves within its agencies only.
      'POST /api/directives/tasks/:id/reports': {
        sender: async () => {
          const r = await send(callers.officer, 'POST', `/api/directives/tasks/${directiveTask}/reports`, { kind: 'done', text: 'x' });
          expect([r.statusCode, r.json<{ error: string }>().error]).toEqual([404, 'unknown_directive_task']);
          expect(await directivesStored()).toEqual({ documents: 1, events: 0 });
        },
      },
      'POST /api/directives/tasks/:id/decisions': {
        sender: async () => {
          const office = await signIn('office.a.decide', OFFICE_A);
          const r = await send(office, 'POST', `/api/directives/tasks/${directiveTask}/decisions`, { kind: 'cancelled', reason: 'x' });
          expect([r.statusCode, r.json<{ error: string }>().error]).toEqual([404, 'unknown_directive_task']);
          expect(await directivesStored()).toEqual({ documents: 1, events: 0 });
        },
      },
      // A document's file and a report's evidence: within the same reach as the document and the report.
      'PUT /api/directives/documents/:number/file': {
        sender: async () => {
          const office = await signIn('office.a.file', OFFICE_A);
          const body = await multipart('ket-luan.pdf', '%PDF-1.7\n%%EOF\n');
          const r = await s.app.inject({ method: 'PUT', url: `/api/directives/documents/${encodeURIComponent(DIRECTIVE.number)}/file`, payload: body.payload, headers: { ...body.headers, ...office.headers } });
          expect([r.statusCode, r.json<{ error: string }>().error]).toEqual([404, 'unknown_directive_document']);
          expect(await directiveFiles()).toBe(0);
        },
      },
      'POST /api/directives/tasks/:id/events/:event/evidence': {
        sender: async () => {
          const r = await upload(callers.officer, `/api/directives/tasks/${directiveTask}/events/1/evidence`, 'bien-ban.pdf', '%PDF-1.7\n%%EOF\n');
          expect([r.statusCode, r.json<{ error: string }>().error]).toEqual([404, 'unknown_directive_task']);
          expect(await directiveFiles()).toBe(0);
        },
      },
      'PUT /api/directives/documents/:number': {
        sender: async () => {
          const office = await signIn('office.a.save', OFFICE_A);
          const other = { ...DIRECTIVE, number: '10/TB-WB' };
          const r = await send(office, 'PUT', `/api/directives/documents/${encodeURIComponent(other.number)}`, other);
          expect([r.statusCode, r.json<{ error: string }>().error]).toEqual([403, 'forbidden']);
          expect(await directivesStored()).toEqual({ documents: 1, events: 0 });
        },
      },
      // Directives from the e-office system: a task led by the other ward's committee, through a source that does not cover it or by an office whose scope does not reach it.
      'POST /api/directives/sources/:code/push': {
        coverage: async () => {
          const r = await s.app.inject({ method: 'POST', url: '/api/directives/sources/DIR-PUSH-A/push', headers: { authorization: `Bearer ${directivePushToken}` }, payload: { documents: [{ ...DIRECTIVE, number: '11/TB-WB' }] } });
          expect(r.statusCode, r.body).toBe(200);
          expect(reasons(r.json())).toEqual(['out_of_scope']);
          expect(await directivesStored()).toEqual({ documents: 1, events: 0 });
        },
      },
      'POST /api/directives/sources/:code/upload': {
        coverage: async () => {
          const office = await signIn('office.86.upload', [{ role: 'leaders_office', placeCode: '86' }]);
          const r = await upload(office, '/api/directives/sources/DIR-FILE-A/upload', 'chi-dao.csv', directiveCsv('12/TB-WB', 'UBND-29254'));
          expect(r.statusCode, r.body).toBe(200);
          expect(reasons(r.json())).toEqual(['out_of_scope']);
          expect(await directivesStored()).toEqual({ documents: 1, events: 0 });
        },
        sender: async () => {
          const office = await signIn('office.a.upload', OFFICE_A);
          const r = await upload(office, '/api/directives/sources/DIR-FILE-WIDE/upload', 'chi-dao.csv', directiveCsv('13/TB-WB', 'UBND-29254'));
          expect(r.statusCode, r.body).toBe(200);
          expect(reasons(r.json())).toEqual(['out_of_scope']);
          expect(await directivesStored()).toEqual({ documents: 1, events: 0 });
        },
      },
      'PUT /api/dossiers': {
        // No source: the sender's scope alone, all or nothing.
        sender: async () => {
          const officer = await signIn('officer.a.dossiers', OFFICER_A);
          const dossier = (org: string, place: string) => ({ code: `HS-${org}`, procedure: '1.001', organisation: org, place, receivedAt: '2026-11-02T08:00:00+07:00', dueAt: '2026-11-09T17:00:00+07:00', channel: 'online' });
          const r = await send(officer, 'PUT', '/api/dossiers', { dossiers: [dossier('UBND-29242', '29242'), dossier('UBND-29254', '29254')] });
          expect([r.statusCode, r.json<{ error: string }>().error]).toEqual([403, 'forbidden']);
        },
      },
    };

    it('covers every route that writes rows, read off the access table', () => {
      const rowWriters = Object.entries(ROUTE_POLICY)
        .filter(([route, access]) => ['data.supply', 'dossiers.write', 'source-token', 'par.assess', 'directives.report', 'directives.manage'].includes(access) && /^(POST|PUT) /.test(route))
        .map(([route]) => route)
        .sort();
      expect(Object.keys(CASES).sort()).toEqual(rowWriters);
    });

    for (const route of Object.keys(CASES)) {
      it(`${route}: a row outside the source’s coverage, and one outside the sender’s scope, are refused and not stored`, async () => {
        const before = { figures: await storedFor('29254'), dossiers: await dossiersOf('UBND-29254') };
        await CASES[route]!.coverage?.();
        await CASES[route]!.sender?.();
        expect(await storedFor('29254')).toBe(before.figures);
        expect(await storedFor('86')).toBe(0);
        expect(await dossiersOf('UBND-29254')).toBe(before.dossiers);
      });
    }

    it('the same channels accept what lies within both', async () => {
      const r = await upload(callers.officer, '/api/sources/FILE-WIDE/upload', 'bao-cao.csv', figureCsv('29242', '2026-11-06'));
      expect(r.json()).toMatchObject({ accepted: 1, rejected: 0 });
      const m = await send(callers.officer, 'POST', '/api/sources/MAN-A/entries', { period: '2026-11-07', place: '29242', figures: [{ indicator: 'PM25', value: 22 }] });
      expect(m.json()).toMatchObject({ accepted: 1, rejected: 0 });
      const d = await upload(callers.officer, '/api/sources/DOS-A/upload', 'ho-so.csv', dossierCsv('HS-A-1', 'UBND-29242', '29242'));
      expect(d.json()).toMatchObject({ accepted: 1, rejected: 0 });
      const readings = await upload(callers.officer, '/api/sources/SENS-A/readings/upload', 'pm25.csv', readingsCsv('Site A', 8));
      expect(readings.json()).toMatchObject({ accepted: 1, rejected: 0 });
      expect(await storedFor('29242')).toBeGreaterThanOrEqual(3);
      const own = await send(callers.officer, 'PUT', `/api/par/cycles/${parCycle}/units/UBND-29242/criteria/C1/self`, { points: 1.5 });
      expect(own.json()).toMatchObject({ code: 'C1', self: 1.5 });
      const file = await upload(callers.officer, `/api/par/cycles/${parCycle}/units/UBND-29242/criteria/C1/evidence`, 'bien-ban.pdf', '%PDF-1.7\n%%EOF\n');
      expect(file.statusCode, file.body).toBe(201);
      expect((await send(callers.officer, 'POST', `/api/par/cycles/${parCycle}/units/UBND-29242/submit`, {})).statusCode).toBe(200);
    });

    it('a coverage is granted only within the granter’s scope', async () => {
      const officerSteward = await signIn('steward.29242', [{ role: 'data_steward', organisationCode: 'UBND-29242', placeCode: null }]);
      const create = (coverage: object) => send(officerSteward, 'POST', '/api/sources', { code: `C-${Object.keys(coverage).join('-')}`, name: 'x', kind: 'file', ownerOrganisationCode: 'UBND-29242', coverage });
      const wider = await create({ places: ['86'] });
      expect([wider.statusCode, wider.json<{ error: string }>().error]).toEqual([403, 'forbidden']);
      const unknown = await send(callers.steward, 'PATCH', '/api/sources/FILE-A', { coverage: { places: ['99999'] } });
      expect(unknown.json<{ error: string }>().error).toBe('unknown_place_code');
    });
  });
}
