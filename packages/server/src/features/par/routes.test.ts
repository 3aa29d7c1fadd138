import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { ANONYMOUS, apiTokenCreateSchema, fixedClock, type GrantInput, type ParAssessment, type ParCycle, type ParFrameworkInput, type ParLate, type ParLeafAssessment, type ParResults, type ParUnitStatus } from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { REFERENCE_DATA_DIR } from '../../paths';
import { openTestServer, registerSource, TEST_NOW, type TestServer } from '../../testing';
import { IdentityService } from '../identity/service';
import { CATALOGUE_FILES, readCatalogues } from '../indicators/seed';

/**
 * A PAR Index cycle from start to end on a small framework: two fields,
 * five leaves, one of each method (and a second self-assessed one that
 * only departments have), for two departments (Sở Tài chính, Sở Y tế) and
 * one commune (Phường Trà Vinh). Every figure, point and date is written
 * here and each total, index, rank and band worked out by hand below.
 *
 * The clock starts on 28 November 2026 (Vietnam); the self-assessment is
 * due on 30 November, the appraisal on 5 December, and a unit has 3 days
 * to answer from the day the appraisal came back.
 */
const FRAMEWORK: ParFrameworkInput = {
  code: 'TEST-PAR-2026',
  year: 2026,
  name: 'Bộ chỉ số thử nghiệm 2026',
  nameEn: 'Test framework 2026',
  unitKinds: ['department', 'commune'],
  bands: [
    { code: 'A', name: 'Xuất sắc', atLeast: 85 },
    { code: 'B', name: 'Tốt', atLeast: 70 },
    { code: 'C', name: 'Trung bình', atLeast: 0 },
  ],
  fields: [
    {
      code: 'F1',
      name: 'Chỉ đạo, điều hành',
      criteria: [
        {
          code: 'C1',
          name: 'Kế hoạch cải cách hành chính',
          subCriteria: [
            { code: 'L1', name: 'Ban hành kế hoạch đúng hạn', maxPoints: 4, method: 'self', evidenceRequired: true },
            { code: 'L2', name: 'Báo cáo trễ hạn (trừ điểm)', maxPoints: 2, method: 'deduction' },
          ],
        },
        // Scored itself, departments only.
        { code: 'C2', name: 'Tuyên truyền cải cách hành chính', maxPoints: 2, method: 'self', appliesTo: ['department'] },
      ],
    },
    {
      code: 'F2',
      name: 'Kết quả',
      criteria: [
        {
          code: 'C3',
          name: 'Giải quyết thủ tục hành chính',
          subCriteria: [
            // "100 % → 2; ≥ 95 % → 1; below → 0"
            { code: 'L3', name: 'Tỷ lệ hồ sơ đúng hạn', maxPoints: 2, method: 'computed', indicator: 'PS_ON_TIME_RATE', rule: { kind: 'ladder', steps: [{ atLeast: 100, points: 2 }, { atLeast: 95, points: 1 }], otherwise: 0 } },
          ],
        },
        // 50 % scores 0, 100 % the maximum of 2.
        { code: 'C4', name: 'Chỉ số hài lòng (SIPAS)', maxPoints: 2, method: 'survey', indicator: 'SIPAS', rule: { kind: 'linear', from: 50, to: 100 } },
      ],
    },
  ],
};

const STC = 'VL-STC';
const SYT = 'VL-SYT';
const WARD = 'UBND-29242';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-not-really-an-image')]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF-not-really')]);
/** A Windows program (MZ header), sent as a PDF. */
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62, 0), Buffer.from('This program cannot be run in DOS mode')]);
const HTML = Buffer.from('<!doctype html><script>alert(document.cookie)</script>');

/** A multipart body of one file, declared as `type` under `name`. */
async function fileBody(name: string, content: Buffer, type: string): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)], { type }), name);
  const req = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await req.arrayBuffer()), headers: { 'content-type': req.headers.get('content-type') ?? '' } };
}

const row = (indicator: string, place: string, period: string, value: number, organisation: string | null = null) => ({ indicator, place, period, value, organisation });

/** The clock at 10:00 in Vietnam on a day. */
const at = (day: string) => fixedClock(`${day}T03:00:00Z`);

interface Person {
  headers: Record<string, string>;
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`the PAR Index cycle on ${engine.engine}`, () => {
    let s: TestServer;
    let cycleId = 0;
    const people: Record<'appraiser' | 'officerStc' | 'officerSyt' | 'officerWard' | 'leader', Person> = {
      appraiser: { headers: {} },
      officerStc: { headers: {} },
      officerSyt: { headers: {} },
      officerWard: { headers: {} },
      leader: { headers: {} },
    };

    /** A person acting through an API token of their own roles (a session would expire as the clock moves on by days), named for the audit log. */
    const person = async (name: string, roles: GrantInput[]): Promise<Person> => {
      const { token } = await new IdentityService(s.ctx).createToken(apiTokenCreateSchema.parse({ name, roles }), ANONYMOUS);
      return { headers: { authorization: `Bearer ${token}`, 'x-actor': name } };
    };
    const call = (who: Person, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      s.app.inject({ method, url, headers: who.headers, ...(payload === undefined ? {} : { payload }) });
    const unitUrl = (unit: string) => `/api/par/cycles/${cycleId}/units/${unit}`;
    const self = (who: Person, unit: string, leaf: string, body: object) => call(who, 'PUT', `${unitUrl(unit)}/criteria/${leaf}/self`, body);
    const upload = async (who: Person, unit: string, leaf: string, name: string, content: Buffer, type: string) => {
      const body = await fileBody(name, content, type);
      return s.app.inject({ method: 'POST', url: `${unitUrl(unit)}/criteria/${leaf}/evidence`, payload: body.payload, headers: { ...who.headers, ...body.headers } });
    };
    const assessment = async (who: Person, unit: string) => {
      const r = await call(who, 'GET', unitUrl(unit));
      expect(r.statusCode, r.body).toBe(200);
      return r.json<ParAssessment>();
    };
    const leafOf = (a: ParAssessment, code: string) => a.leaves.find((l) => l.code === code)!;
    const refusal = (r: { statusCode: number; json: <T>() => T }) => [r.statusCode, r.json<{ error: string }>().error];

    beforeAll(async () => {
      s = await openTestServer(engine, { env: { WATCHFLOOR_EVIDENCE_LIMIT_BYTES: '4096' } });
      // The figures the computed and survey criteria read, through the one write path.
      const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.national, CATALOGUE_FILES.demo]);
      await new IndicatorsRepository(s.store.db).upsert(
        definitions.filter((d) => ['PS_DOSSIER_RESOLVED', 'PS_DOSSIER_ON_TIME', 'PS_ON_TIME_RATE', 'SIPAS'].includes(d.code)),
        TEST_NOW,
      );
      await registerSource(s, { code: 'so-noi-vu', ownerOrganisationCode: 'VL-SNV', coverage: { organisations: [STC, SYT, WARD] } });
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/observations',
        payload: {
          source: 'so-noi-vu',
          observations: [
            // Sở Tài chính: 100 of 100 dossiers on time; SIPAS 90 %.
            row('PS_DOSSIER_RESOLVED', '86', '2026-01', 100, STC),
            row('PS_DOSSIER_ON_TIME', '86', '2026-01', 100, STC),
            row('SIPAS', '86', '2026', 90, STC),
            // Sở Y tế: 96 of 100 on time; no SIPAS.
            row('PS_DOSSIER_RESOLVED', '86', '2026-01', 100, SYT),
            row('PS_DOSSIER_ON_TIME', '86', '2026-01', 96, SYT),
            // Phường Trà Vinh: 40 of 50 on time (the ward's own total); SIPAS 70 % for its People's Committee.
            row('PS_DOSSIER_RESOLVED', '29242', '2026-01', 50),
            row('PS_DOSSIER_ON_TIME', '29242', '2026-01', 40),
            row('SIPAS', '29242', '2026', 70, WARD),
          ],
        },
      });
      expect(r.json<{ accepted: number }>().accepted, r.body).toBe(8);
      await s.app.figures.idle();
      people.appraiser = await person('tham.dinh', [{ role: 'appraiser' }]);
      people.officerStc = await person('can.bo.stc', [{ role: 'agency_officer', organisationCode: STC }]);
      people.officerSyt = await person('can.bo.syt', [{ role: 'agency_officer', organisationCode: SYT }]);
      people.officerWard = await person('can.bo.phuong', [{ role: 'agency_officer', organisationCode: WARD, placeCode: '29242' }]);
      people.leader = await person('lanh.dao', [{ role: 'leader' }]);
    }, 120_000);
    afterAll(async () => s?.close());

    it('stores a framework (201, then 200 replacing it), refuses one that cannot be scored, copies it to the next year', async () => {
      const url = `/api/par/frameworks/${FRAMEWORK.code}`;
      const created = await call(people.appraiser, 'PUT', url, FRAMEWORK);
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json<{ summary: { leaves: number; maxPoints: Record<string, number> } }>().summary).toMatchObject({ leaves: 5, maxPoints: { department: 10, commune: 8 }, cycles: 0 });
      expect((await call(people.appraiser, 'PUT', url, FRAMEWORK)).statusCode).toBe(200);
      // A ladder step worth more than its criterion, and a code used twice.
      const broken = structuredClone(FRAMEWORK);
      broken.fields[1]!.criteria[0]!.subCriteria![0]!.rule = { kind: 'ladder', steps: [{ atLeast: 100, points: 5 }] };
      broken.fields[1]!.code = 'F1';
      const bad = await call(people.appraiser, 'PUT', url, broken);
      expect(refusal(bad)).toEqual([400, 'invalid_par_framework']);
      expect(JSON.stringify(bad.json<{ details: unknown }>().details)).toContain('the code F1 is used twice');
      expect(JSON.stringify(bad.json<{ details: unknown }>().details)).toContain('more than the maximum 2');
      // The path names the framework.
      expect(refusal(await call(people.appraiser, 'PUT', '/api/par/frameworks/OTHER', FRAMEWORK))).toEqual([400, 'invalid_par_framework']);
      // Only its managers write frameworks; officers read them.
      expect(refusal(await call(people.officerStc, 'PUT', url, FRAMEWORK))).toEqual([403, 'forbidden']);
      expect((await call(people.officerStc, 'GET', url)).statusCode).toBe(200);
      const copy = await call(people.appraiser, 'POST', `${url}/copy`, { code: 'TEST-PAR-2027', year: 2027 });
      expect(copy.statusCode, copy.body).toBe(201);
      expect(copy.json<{ framework: { year: number; decision: unknown; fields: unknown[] } }>().framework).toMatchObject({ year: 2027, decision: null, fields: [{ code: 'F1' }, { code: 'F2' }] });
      expect(refusal(await call(people.appraiser, 'POST', `${url}/copy`, { code: 'TEST-PAR-2027', year: 2027 }))).toEqual([409, 'par_framework_exists']);
      const exported = await call(people.leader, 'GET', `${url}/export.json`);
      expect(exported.headers['content-disposition']).toContain('TEST-PAR-2026.json');
      expect(exported.json<{ code: string }>().code).toBe('TEST-PAR-2026');
    });

    it('opens the cycle for the units named, each in draft, with computed and survey points from the figures at once', async () => {
      s.ctx.clock = at('2026-11-28');
      const opened = await call(people.appraiser, 'POST', '/api/par/cycles', {
        frameworkCode: FRAMEWORK.code,
        deadlines: { selfAssessmentDue: '2026-11-30', appraisalDue: '2026-12-05', responseDays: 3 },
        units: [STC, SYT, WARD],
      });
      expect(opened.statusCode, opened.body).toBe(201);
      const cycle = opened.json<ParCycle & { units: ParUnitStatus[] }>();
      cycleId = cycle.id;
      expect(cycle.counts).toEqual({ draft: 3, submitted: 0, appraised: 0, answered: 0, final: 0 });
      expect(cycle.units.map((u) => [u.code, u.kind, u.placeCode, u.status])).toEqual([
        ['UBND-29242', 'commune', '29242', 'draft'],
        ['VL-STC', 'department', '86', 'draft'],
        ['VL-SYT', 'department', '86', 'draft'],
      ]);
      // One cycle per framework; a unit that is neither a department nor a commune is refused.
      expect(refusal(await call(people.appraiser, 'POST', '/api/par/cycles', { frameworkCode: FRAMEWORK.code, deadlines: { selfAssessmentDue: '2026-11-30', appraisalDue: '2026-12-05' } }))).toEqual([409, 'par_cycle_exists']);
      expect(refusal(await call(people.appraiser, 'POST', '/api/par/cycles', { frameworkCode: 'TEST-PAR-2027', deadlines: { selfAssessmentDue: '2027-11-30', appraisalDue: '2027-12-05' }, units: ['VL-UBND'] }))).toEqual([404, 'unknown_par_unit']);
      // A framework a cycle uses is not replaced.
      expect(refusal(await call(people.appraiser, 'PUT', `/api/par/frameworks/${FRAMEWORK.code}`, FRAMEWORK))).toEqual([409, 'par_framework_in_use']);

      // Sở Tài chính: 100 % on time, at least 100: 2; SIPAS 90 %: (90 − 50) / (100 − 50) × 2 = 1.6.
      const stc = await assessment(people.officerStc, STC);
      expect([leafOf(stc, 'L3').computed, leafOf(stc, 'L3').basis?.value, leafOf(stc, 'L3').basis?.sources]).toEqual([2, 100, ['so-noi-vu']]);
      expect(leafOf(stc, 'C4').computed).toBe(1.6);
      // Sở Y tế: 96 %: at least 95: 1; no SIPAS: no points, and why.
      const syt = await assessment(people.officerSyt, SYT);
      expect(leafOf(syt, 'L3').computed).toBe(1);
      expect(leafOf(syt, 'C4')).toMatchObject({ computed: null, basis: { value: null } });
      expect(leafOf(syt, 'C4').basis?.note).toBeTruthy();
      // The ward: 40 / 50 = 80 %: below 95: 0; SIPAS 70 %: 0.8. C2 is not a commune's.
      const ward = await assessment(people.officerWard, WARD);
      expect([leafOf(ward, 'L3').computed, leafOf(ward, 'C4').computed]).toEqual([0, 0.8]);
      expect(ward.leaves.map((l) => l.code)).toEqual(['L1', 'L2', 'L3', 'C4']);
      expect(ward.max).toBe(8);
      // What each may do now.
      expect(stc.can).toEqual({ assess: true, submit: true, adjust: false, return: false, answer: false, decide: false });
      expect((await assessment(people.appraiser, STC)).can).toEqual({ assess: false, submit: false, adjust: false, return: false, answer: false, decide: false });
    });

    it('shows each officer their own unit only; the public sees nothing of a cycle not published', async () => {
      expect(refusal(await call(people.officerStc, 'GET', unitUrl(SYT)))).toEqual([404, 'unknown_par_unit']);
      const seen = (await call(people.officerStc, 'GET', `/api/par/cycles/${cycleId}`)).json<{ units: ParUnitStatus[] }>();
      expect(seen.units.map((u) => u.code)).toEqual([STC]);
      expect((await call(people.leader, 'GET', `/api/par/cycles/${cycleId}`)).json<{ units: ParUnitStatus[] }>().units).toHaveLength(3);
      expect((await s.anonymous({ url: '/api/par/cycles' })).json()).toEqual({ cycles: [] });
      expect(refusal(await s.anonymous({ url: `/api/par/cycles/${cycleId}` }))).toEqual([404, 'unknown_par_cycle']);
      expect(refusal(await s.anonymous({ url: `/api/par/cycles/${cycleId}/results` }))).toEqual([404, 'unknown_par_cycle']);
      expect((await s.anonymous({ url: unitUrl(STC) })).statusCode).toBe(401);
    });

    it('takes the self-assessments: points within the maximum, computed points disputed and never typed', async () => {
      const l1 = await self(people.officerStc, STC, 'L1', { points: 3.5, note: 'Kế hoạch số 12/KH-STC ban hành ngày 10/01' });
      expect(l1.statusCode, l1.body).toBe(200);
      expect(l1.json<ParLeafAssessment>()).toMatchObject({ code: 'L1', self: 3.5, points: 3.5, note: 'Kế hoạch số 12/KH-STC ban hành ngày 10/01' });
      expect(refusal(await self(people.officerStc, STC, 'L1', { points: 4.5 }))).toEqual([400, 'par_points_out_of_range']);
      expect(refusal(await self(people.officerStc, STC, 'L3', { points: 2 }))).toEqual([400, 'par_points_not_assessed']);
      const dispute = await self(people.officerStc, STC, 'C4', { dispute: 'Khảo sát chưa tính quý IV' });
      expect(dispute.json<ParLeafAssessment>()).toMatchObject({ dispute: 'Khảo sát chưa tính quý IV', computed: 1.6, points: 1.6 });
      for (const [leaf, points] of [['L2', 0], ['C2', 2]] as const) expect((await self(people.officerStc, STC, leaf, { points })).statusCode).toBe(200);
      for (const [leaf, points] of [['L1', 4], ['L2', 0.5]] as const) expect((await self(people.officerSyt, SYT, leaf, { points })).statusCode).toBe(200);
      for (const [leaf, points] of [['L1', 3], ['L2', 1]] as const) expect((await self(people.officerWard, WARD, leaf, { points })).statusCode).toBe(200);
      // A criterion a commune does not have.
      expect(refusal(await self(people.officerWard, WARD, 'C2', { points: 1 }))).toEqual([404, 'unknown_par_criterion']);
    });

    it('takes evidence by its content only: a PDF and images in, a program or a page called .pdf refused, an oversize file refused', async () => {
      const pdf = await upload(people.officerStc, STC, 'L1', 'Kế hoạch CCHC.pdf', PDF, 'application/pdf');
      expect(pdf.statusCode, pdf.body).toBe(201);
      const stored = pdf.json<ParLeafAssessment>().evidence;
      expect(stored).toEqual([expect.objectContaining({ fileName: 'Kế hoạch CCHC.pdf', mediaType: 'application/pdf', size: PDF.length, sha256: createHash('sha256').update(PDF).digest('hex'), uploadedBy: 'can.bo.stc' })]);
      // Refused whatever their name and declared type.
      expect(refusal(await upload(people.officerStc, STC, 'L1', 'bien-ban.pdf', EXE, 'application/pdf'))).toEqual([415, 'evidence_type_not_allowed']);
      expect(refusal(await upload(people.officerStc, STC, 'L1', 'bien-ban.pdf', HTML, 'application/pdf'))).toEqual([415, 'evidence_type_not_allowed']);
      expect(refusal(await upload(people.officerStc, STC, 'L1', 'setup.exe', EXE, 'application/octet-stream'))).toEqual([415, 'evidence_type_not_allowed']);
      // Over the 4,096 bytes this server is configured for.
      const big = Buffer.concat([PDF, Buffer.alloc(5000, 0x20)]);
      expect(refusal(await upload(people.officerStc, STC, 'L1', 'lon.pdf', big, 'application/pdf'))).toEqual([413, 'file_too_large']);
      // An image named as a PDF is kept as what it is.
      const png = await upload(people.officerSyt, SYT, 'L1', 'anh.pdf', PNG, 'application/pdf');
      expect(png.json<ParLeafAssessment>().evidence.map((e) => [e.fileName, e.mediaType])).toEqual([['anh.pdf.png', 'image/png']]);
      expect((await upload(people.officerWard, WARD, 'L1', 'bien-ban.jpg', JPEG, 'image/jpeg')).statusCode).toBe(201);
      // Nothing but the three files is stored.
      expect(Number((await s.store.db.selectFrom('par_evidence').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(3);

      // Downloaded as stored, as an attachment of its own type, never sniffed.
      const id = stored[0]!.id;
      const got = await call(people.officerStc, 'GET', `/api/par/evidence/${id}`);
      expect(got.statusCode).toBe(200);
      expect(got.headers['content-type']).toBe('application/pdf');
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      expect(String(got.headers['content-disposition'])).toMatch(/^attachment; filename="Ke hoach CCHC.pdf"; filename\*=UTF-8''K%E1%BA%BF/);
      expect(got.rawPayload.equals(PDF)).toBe(true);
      // Another unit's officer does not find it.
      expect(refusal(await call(people.officerSyt, 'GET', `/api/par/evidence/${id}`))).toEqual([404, 'unknown_evidence']);
      // A file attached and removed leaves nothing.
      const extra = (await upload(people.officerStc, STC, 'C2', 'x.pdf', PDF, 'application/pdf')).json<ParLeafAssessment>().evidence[0]!.id;
      expect(refusal(await call(people.officerSyt, 'DELETE', `/api/par/evidence/${extra}`))).toEqual([404, 'unknown_evidence']);
      expect((await call(people.officerStc, 'DELETE', `/api/par/evidence/${extra}`)).statusCode).toBe(204);
      expect(refusal(await call(people.officerStc, 'GET', `/api/par/evidence/${extra}`))).toEqual([404, 'unknown_evidence']);
    });

    it('refuses every write of an officer of another organisation, and stores nothing of it', async () => {
      const before = await s.store.db.selectFrom('par_score').selectAll().where('organisation_code', '=', STC).orderBy('node_code').execute();
      const other = people.officerSyt;
      const writes = [
        await self(other, STC, 'L1', { points: 0 }),
        await call(other, 'PUT', `${unitUrl(STC)}/criteria/L1/answer`, { response: 'x' }),
        await upload(other, STC, 'L1', 'x.pdf', PDF, 'application/pdf'),
        await call(other, 'POST', `${unitUrl(STC)}/submit`, {}),
        await call(other, 'POST', `${unitUrl(STC)}/answer`, {}),
        await call(other, 'PUT', `${unitUrl(STC)}/criteria/L1/appraisal`, { points: 0, reason: 'x' }),
        await call(other, 'PUT', `${unitUrl(STC)}/criteria/L1/decision`, { points: 0, reason: 'x' }),
        await call(other, 'POST', `${unitUrl(STC)}/return`, {}),
        await call(other, 'POST', `${unitUrl(STC)}/decide`, {}),
        await call(other, 'POST', `/api/par/cycles/${cycleId}/publish`, {}),
      ];
      for (const w of writes) expect([403, 404], w.body).toContain(w.statusCode);
      expect(await s.store.db.selectFrom('par_score').selectAll().where('organisation_code', '=', STC).orderBy('node_code').execute()).toEqual(before);
      expect((await assessment(people.officerStc, STC)).unit.status).toBe('draft');
    });

    it('submits only what is complete: every self-assessed criterion scored, evidence where required', async () => {
      // Sở Y tế has not scored C2.
      const missing = await call(people.officerSyt, 'POST', `${unitUrl(SYT)}/submit`, {});
      expect(refusal(missing)).toEqual([400, 'par_points_not_assessed']);
      expect(missing.json<{ details: unknown }>().details).toEqual({ criteria: ['C2'] });
      // Without its PDF, Sở Tài chính's L1 would lack evidence.
      const pdfId = (await assessment(people.officerStc, STC)).leaves.find((l) => l.code === 'L1')!.evidence[0]!.id;
      await s.store.db.updateTable('par_evidence').set({ node_code: 'L1-aside' }).where('id', '=', pdfId).execute();
      const bare = await call(people.officerStc, 'POST', `${unitUrl(STC)}/submit`, {});
      expect(refusal(bare)).toEqual([409, 'par_evidence_required']);
      expect(bare.json<{ details: unknown }>().details).toEqual({ criteria: ['L1'] });
      await s.store.db.updateTable('par_evidence').set({ node_code: 'L1' }).where('id', '=', pdfId).execute();

      const submitted = await call(people.officerStc, 'POST', `${unitUrl(STC)}/submit`, { note: 'Gửi Sở Nội vụ' });
      expect(submitted.statusCode, submitted.body).toBe(200);
      expect(submitted.json<ParAssessment>().unit).toMatchObject({ status: 'submitted', daysLate: 0 });
      expect(submitted.json<ParAssessment>().steps.map((x) => [x.status, x.by])).toEqual([
        ['draft', 'tham.dinh'],
        ['submitted', 'can.bo.stc'],
      ]);
      expect((await call(people.officerWard, 'POST', `${unitUrl(WARD)}/submit`, {})).statusCode).toBe(200);
      // Once submitted, the unit's own points are closed.
      expect(refusal(await self(people.officerStc, STC, 'L1', { points: 4 }))).toEqual([409, 'par_step_not_allowed']);
      expect(refusal(await upload(people.officerStc, STC, 'L1', 'x.pdf', PDF, 'application/pdf'))).toEqual([409, 'par_step_not_allowed']);
    });

    it('lists a unit late with its self-assessment, until and after it submits', async () => {
      s.ctx.clock = at('2026-12-02');
      const late = (await call(people.appraiser, 'GET', `/api/par/cycles/${cycleId}/late`)).json<{ late: ParLate[] }>().late;
      expect(late.map((l) => [l.code, l.step, l.due, l.daysLate, l.status, l.doneAt])).toEqual([[SYT, 'self_assessment', '2026-11-30', 2, 'draft', null]]);
      expect((await self(people.officerSyt, SYT, 'C2', { points: 1.5 })).statusCode).toBe(200);
      const submitted = await call(people.officerSyt, 'POST', `${unitUrl(SYT)}/submit`, {});
      expect(submitted.json<ParAssessment>().unit).toMatchObject({ status: 'submitted', daysLate: 2 });
      const after = (await call(people.appraiser, 'GET', `/api/par/cycles/${cycleId}/late`)).json<{ late: ParLate[] }>().late;
      expect(after.map((l) => [l.code, l.step, l.daysLate, l.doneAt])).toEqual([[SYT, 'self_assessment', 2, '2026-12-02T03:00:00.000Z']]);
    });

    it('appraises with a reason wherever the points change, and sends the appraisal back', async () => {
      const appraise = (unit: string, leaf: string, body: object) => call(people.appraiser, 'PUT', `${unitUrl(unit)}/criteria/${leaf}/appraisal`, body);
      const noReason = await appraise(STC, 'L1', { points: 3 });
      expect(refusal(noReason)).toEqual([400, 'par_reason_required']);
      const withReason = await appraise(STC, 'L1', { points: 3, reason: 'Kế hoạch ban hành muộn 10 ngày' });
      expect(withReason.json<ParLeafAssessment>()).toMatchObject({ self: 3.5, appraised: 3, appraisalReason: 'Kế hoạch ban hành muộn 10 ngày', points: 3 });
      // The points that stand need no reason.
      expect((await appraise(STC, 'C2', { points: 2 })).statusCode).toBe(200);
      expect((await appraise(WARD, 'L1', { points: 3 })).statusCode).toBe(200);
      expect((await appraise(WARD, 'C4', { points: 1, reason: 'Kết quả SIPAS điều chỉnh theo báo cáo cuối năm' })).statusCode).toBe(200);
      expect((await appraise(SYT, 'C4', { points: 1.2, reason: 'Theo khảo sát của Sở Nội vụ' })).statusCode).toBe(200);
      expect(refusal(await appraise(SYT, 'C4', { points: 2.5, reason: 'x' }))).toEqual([400, 'par_points_out_of_range']);
      // Officers do not appraise (access), nor answer before the appraisal is back (the step).
      expect(refusal(await call(people.officerStc, 'PUT', `${unitUrl(STC)}/criteria/L1/appraisal`, { points: 4, reason: 'x' }))).toEqual([403, 'forbidden']);
      expect(refusal(await call(people.officerStc, 'PUT', `${unitUrl(STC)}/criteria/L1/answer`, { response: 'x' }))).toEqual([409, 'par_step_not_allowed']);

      for (const unit of [STC, WARD]) {
        const back = await call(people.appraiser, 'POST', `${unitUrl(unit)}/return`, {});
        expect(back.json<ParAssessment>().unit, back.body).toMatchObject({ status: 'appraised', returnedOn: '2026-12-02', responseDue: '2026-12-05' });
      }
      expect((await assessment(people.officerStc, STC)).can).toMatchObject({ answer: true, assess: false });
    });

    it('takes a unit’s answer within its window, and refuses it after', async () => {
      const answered = await call(people.officerStc, 'PUT', `${unitUrl(STC)}/criteria/L1/answer`, { response: 'Kế hoạch ban hành đúng hạn, kèm công văn' });
      expect(answered.json<ParLeafAssessment>(), answered.body).toMatchObject({ response: 'Kế hoạch ban hành đúng hạn, kèm công văn' });
      const finished = await call(people.officerStc, 'POST', `${unitUrl(STC)}/answer`, {});
      expect(finished.json<ParAssessment>().unit.status).toBe('answered');
      // Answered once.
      expect(refusal(await call(people.officerStc, 'POST', `${unitUrl(STC)}/answer`, {}))).toEqual([409, 'par_step_not_allowed']);

      s.ctx.clock = at('2026-12-06');
      expect(refusal(await call(people.officerWard, 'PUT', `${unitUrl(WARD)}/criteria/L1/answer`, { response: 'muộn' }))).toEqual([409, 'par_window_closed']);
      expect(refusal(await call(people.officerWard, 'POST', `${unitUrl(WARD)}/answer`, {}))).toEqual([409, 'par_window_closed']);
      expect((await assessment(people.officerWard, WARD)).can.answer).toBe(false);
      // Sở Y tế's appraisal, due on 5 December, is a day late and still undone; then sent back.
      const late = (await call(people.appraiser, 'GET', `/api/par/cycles/${cycleId}/late`)).json<{ late: ParLate[] }>().late;
      expect(late.map((l) => [l.code, l.step, l.daysLate, l.doneAt === null])).toEqual([
        [SYT, 'self_assessment', 2, false],
        [SYT, 'appraisal', 1, true],
      ]);
      expect((await call(people.appraiser, 'POST', `${unitUrl(SYT)}/return`, {})).statusCode).toBe(200);
    });

    it('publishes only once the council has decided every unit', async () => {
      const early = await call(people.appraiser, 'POST', `/api/par/cycles/${cycleId}/publish`, {});
      expect(refusal(early)).toEqual([409, 'par_cycle_not_decided']);
      expect(early.json<{ details: { unit: string }[] }>().details.map((d) => d.unit)).toEqual([WARD, STC, SYT]);

      const decide = (unit: string, leaf: string, body: object) => call(people.appraiser, 'PUT', `${unitUrl(unit)}/criteria/${leaf}/decision`, body);
      // The council meets the unit halfway on L1: other than the appraisal's 3, so with its reason.
      expect(refusal(await decide(STC, 'L1', { points: 3.25 }))).toEqual([400, 'par_reason_required']);
      const decided = await decide(STC, 'L1', { points: 3.25, reason: 'Hội đồng chấp nhận một phần giải trình' });
      expect(decided.json<ParLeafAssessment>()).toMatchObject({ self: 3.5, appraised: 3, final: 3.25, points: 3.25 });
      for (const unit of [STC, SYT, WARD]) expect((await call(people.appraiser, 'POST', `${unitUrl(unit)}/decide`, {})).json<ParAssessment>().unit.status).toBe('final');

      // Before publication, a leader sees the results, the public does not.
      expect((await call(people.leader, 'GET', `/api/par/cycles/${cycleId}/results`)).statusCode).toBe(200);
      expect((await s.anonymous({ url: `/api/par/cycles/${cycleId}/results` })).statusCode).toBe(404);

      const published = await call(people.appraiser, 'POST', `/api/par/cycles/${cycleId}/publish`, {});
      expect(published.json<ParCycle>(), published.body).toMatchObject({ publishedAt: '2026-12-06T03:00:00.000Z', publishedBy: 'tham.dinh', counts: { final: 3 } });
      expect(refusal(await call(people.appraiser, 'POST', `/api/par/cycles/${cycleId}/publish`, {}))).toEqual([409, 'par_cycle_published']);
      expect(refusal(await call(people.appraiser, 'PUT', `${unitUrl(STC)}/criteria/L1/decision`, { points: 4, reason: 'x' }))).toEqual([409, 'par_cycle_published']);
      expect(refusal(await call(people.appraiser, 'POST', `/api/par/cycles/${cycleId}/refresh`, {}))).toEqual([409, 'par_cycle_published']);
    });

    it('gives the results: totals per field and in all, index, band, rank within each kind, where each lost most; the public sees them once published', async () => {
      // The year before: Sở Tài chính alone, scored 2 on L1 and 2 on C2 and nothing computed (no figures of 2025): 4 of 10, 40 %.
      expect((await call(people.appraiser, 'POST', `/api/par/frameworks/${FRAMEWORK.code}/copy`, { code: 'TEST-PAR-2025', year: 2025 })).statusCode).toBe(201);
      const before = await call(people.appraiser, 'POST', '/api/par/cycles', { frameworkCode: 'TEST-PAR-2025', deadlines: { selfAssessmentDue: '2025-11-30', appraisalDue: '2025-12-05' }, units: [STC] });
      expect(before.statusCode, before.body).toBe(201);
      const beforeId = before.json<{ id: number }>().id;
      for (const leaf of ['L1', 'C2']) expect((await call(people.officerStc, 'PUT', `/api/par/cycles/${beforeId}/units/${STC}/criteria/${leaf}/self`, { points: 2 })).statusCode).toBe(200);

      const r = await s.anonymous({ url: `/api/par/cycles/${cycleId}/results` });
      expect(r.statusCode, r.body).toBe(200);
      const results = r.json<ParResults>();
      const by = new Map(results.results.map((x) => [x.code, x]));
      // Sở Tài chính (maximum 4 + 2 + 2 + 2 = 10): L1 3.25 (the council), L2 takes 0 off, C2 2, L3 2 (computed), C4 1.6 (computed).
      // F1 = 3.25 + 2 − 0 = 5.25 of 6; F2 = 2 + 1.6 = 3.6 of 4; 8.85 of 10: 88.5 %, band A (≥ 85).
      // Since 2025: 88.5 − 40 = 48.5 points of percent. Sở Y tế was not scored then.
      expect(by.get(STC)).toMatchObject({ total: 8.85, max: 10, index: 88.5, band: { code: 'A' }, rank: 1, of: 2, final: true, previousIndex: 40, change: 48.5 });
      expect(by.get(STC)!.fields).toEqual([
        { code: 'F1', points: 5.25, max: 6 },
        { code: 'F2', points: 3.6, max: 4 },
      ]);
      expect(by.get(STC)!.lost.map((l) => [l.code, l.lost])).toEqual([
        ['L1', 0.75],
        ['C4', 0.4],
      ]);
      // Sở Y tế: L1 4, L2 takes 0.5 off, C2 1.5, L3 1 (96 %), C4 1.2 (appraised): F1 = 5 of 6, F2 = 2.2 of 4; 7.2 of 10: 72 %, band B.
      expect(by.get(SYT)).toMatchObject({ total: 7.2, max: 10, index: 72, band: { code: 'B' }, rank: 2, of: 2, previousIndex: null, change: null });
      expect(by.get(SYT)!.fields).toEqual([
        { code: 'F1', points: 5, max: 6 },
        { code: 'F2', points: 2.2, max: 4 },
      ]);
      // Lost most first; equal losses in the tree's order (L2 before C2).
      expect(by.get(SYT)!.lost.map((l) => [l.code, l.lost])).toEqual([
        ['L3', 1],
        ['C4', 0.8],
        ['L2', 0.5],
        ['C2', 0.5],
      ]);
      // The ward (maximum 4 + 2 + 2 = 8): L1 3, L2 takes 1 off, L3 0 (80 %), C4 1 (appraised): F1 = 2 of 4, F2 = 1 of 4; 3 of 8: 37.5 %, band C; first of one commune.
      expect(by.get(WARD)).toMatchObject({ kind: 'commune', total: 3, max: 8, index: 37.5, band: { code: 'C' }, rank: 1, of: 1 });
      expect(by.get(WARD)!.fields).toEqual([
        { code: 'F1', points: 2, max: 4 },
        { code: 'F2', points: 1, max: 4 },
      ]);
      expect(results.fields.map((f) => f.code)).toEqual(['F1', 'F2']);
      expect(results.bands.map((b) => b.code)).toEqual(['A', 'B', 'C']);
      const communes = (await s.anonymous({ url: `/api/par/cycles/${cycleId}/results?kind=commune` })).json<ParResults>();
      expect(communes.results.map((x) => x.code)).toEqual([WARD]);
      // The public sees the published cycle only, not the year before's still open.
      expect((await s.anonymous({ url: '/api/par/cycles' })).json<{ cycles: ParCycle[] }>().cycles.map((c) => c.id)).toEqual([cycleId]);
    });

    it('exports a framework as XLSX and imports it back; the official results go out as XLSX', async () => {
      const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      const exported = await call(people.leader, 'GET', '/api/par/frameworks/TEST-PAR-2027/export.xlsx');
      expect(exported.statusCode, exported.body).toBe(200);
      expect(exported.headers['content-type']).toBe(xlsx);
      const body = await fileBody('TEST-PAR-2027.xlsx', exported.rawPayload, xlsx);
      const imported = await s.app.inject({ method: 'POST', url: '/api/par/frameworks/import.xlsx', payload: body.payload, headers: { ...people.appraiser.headers, ...body.headers } });
      expect(imported.statusCode, imported.body).toBe(200);
      expect(imported.json<{ summary: { code: string; leaves: number } }>().summary).toMatchObject({ code: 'TEST-PAR-2027', leaves: 5 });
      // The framework of a cycle is not replaced by a file either.
      const inUse = await fileBody('TEST-PAR-2026.xlsx', (await call(people.leader, 'GET', `/api/par/frameworks/${FRAMEWORK.code}/export.xlsx`)).rawPayload, xlsx);
      expect(refusal(await s.app.inject({ method: 'POST', url: '/api/par/frameworks/import.xlsx', payload: inUse.payload, headers: { ...people.appraiser.headers, ...inUse.headers } }))).toEqual([409, 'par_framework_in_use']);
      const results = await call(people.leader, 'GET', `/api/par/cycles/${cycleId}/results.xlsx`);
      expect(results.statusCode, results.body).toBe(200);
      expect(results.headers['content-type']).toBe(xlsx);
      expect(results.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
    });

    it('opens a cycle for every department and commune of the province served when no unit is named', async () => {
      expect((await call(people.appraiser, 'POST', `/api/par/frameworks/${FRAMEWORK.code}/copy`, { code: 'TEST-PAR-ALL', year: 2026 })).statusCode).toBe(201);
      const opened = await call(people.appraiser, 'POST', '/api/par/cycles', { frameworkCode: 'TEST-PAR-ALL', deadlines: { selfAssessmentDue: '2026-12-31', appraisalDue: '2027-01-31' } });
      expect(opened.statusCode, opened.body).toBe(201);
      const units = opened.json<{ units: ParUnitStatus[] }>().units;
      // The departments, offices and inspectorate under Vĩnh Long's People's Committee (not the service centre under its office) …
      expect(units.filter((u) => u.kind === 'department').map((u) => u.code)).toEqual(
        ['VL-SCT', 'VL-SDTTG', 'VL-SGDDT', 'VL-SKHCN', 'VL-SNNMT', 'VL-SNV', 'VL-STC', 'VL-STP', 'VL-SVHTTDL', 'VL-SXD', 'VL-SYT', 'VL-TTR', 'VL-VP'],
      );
      // … and the People's Committee of every commune of the province today, placed on it.
      const communes = await s.store.db
        .selectFrom('place as p')
        .select('p.code')
        .where('p.level', '=', 'commune')
        .where('p.parent_code', '=', '86')
        .where('p.valid_from', '<=', '2026-12-06')
        .where('p.valid_to', '>=', '2026-12-06')
        .execute();
      const wards = units.filter((u) => u.kind === 'commune');
      expect(wards.length).toBeGreaterThan(50);
      expect(wards.map((u) => u.placeCode).sort()).toEqual(communes.map((c) => c.code).sort());
      expect(wards.every((u) => u.code === `UBND-${u.placeCode}`)).toBe(true);
    }, 60_000);

    it('keeps every step in the audit log, with who took it', async () => {
      const events = (await s.app.inject('/api/audit?entity=par_assessment')).json<{ events: { action: string; actor: string; entityKey: string }[] }>().events;
      const actions = new Set(events.map((e) => `${e.action} ${e.actor} ${e.entityKey}`));
      for (const expected of [
        `par.assess can.bo.stc ${cycleId}:${STC}`,
        `par.submit can.bo.stc ${cycleId}:${STC}`,
        `par.appraise tham.dinh ${cycleId}:${STC}`,
        `par.return tham.dinh ${cycleId}:${STC}`,
        `par.answer can.bo.stc ${cycleId}:${STC}`,
        `par.decide tham.dinh ${cycleId}:${STC}`,
      ]) {
        expect(actions.has(expected), expected).toBe(true);
      }
      const kinds = async (kind: string) => (await s.app.inject(`/api/audit?entity=${kind}`)).json<{ events: { action: string }[] }>().events.map((e) => e.action);
      expect(await kinds('par_framework')).toEqual(expect.arrayContaining(['par.framework.create', 'par.framework.replace', 'par.framework.copy']));
      expect(await kinds('par_cycle')).toEqual(expect.arrayContaining(['par.cycle.open', 'par.cycle.publish']));
      expect(await kinds('par_evidence')).toEqual(expect.arrayContaining(['par.evidence.add', 'par.evidence.remove']));
    });
  });
}
