import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, apiTokenCreateSchema, fixedClock, type DirectiveDocumentDetail, type DirectiveDocumentInput, type DirectiveTaskDetail, type GrantInput } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, type TestServer } from '../../testing';
import { IdentityService } from '../identity/service';
import { multipart } from '../sources/test-support';

/**
 * A directive document's PDF and the evidence of the lead agency's
 * reports. Sở Tài chính (VL-STC) leads task 1, Sở Y tế (VL-SYT) task 2;
 * the office of the whole province attaches the document's file and
 * replaces it; a reader of the document downloads it, the public only once
 * it is published; Sở Tài chính attaches evidence to its own latest
 * report, which Sở Y tế and the public do not read.
 */
const NUMBER = '88/KL-UBND';
const STC = 'VL-STC';
const SYT = 'VL-SYT';
const DOCUMENT: DirectiveDocumentInput = {
  number: NUMBER,
  date: '2026-11-02',
  issuer: 'UBND tỉnh Vĩnh Long',
  signer: 'Chủ tịch (thử)',
  kind: 'conclusion',
  summary: 'Kết luận về giải ngân vốn đầu tư công (thử nghiệm)',
  confirmDone: true,
  synthetic: true,
  tasks: [
    { key: '1', text: 'Báo cáo giải ngân', lead: STC, deadline: { kind: 'date', date: '2026-12-31' } },
    { key: '2', text: 'Kiểm tra cơ sở y tế', lead: SYT, deadline: { kind: 'date', date: '2026-12-31' } },
  ],
};
const PDF_1 = '%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n';
const PDF_2 = '%PDF-1.4\n% ban chinh thuc co dau\n%%EOF\n';
/** The eight bytes every PNG starts with, and a little more. */
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR anh hien truong')]);
const sha256 = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

interface Person {
  headers: Record<string, string>;
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`a directive document’s file and a report’s evidence on ${engine.engine}`, () => {
    let s: TestServer;
    const people: Record<'office' | 'officeStc' | 'stc' | 'syt' | 'sct' | 'leader', Person> = {
      office: { headers: {} },
      officeStc: { headers: {} },
      stc: { headers: {} },
      syt: { headers: {} },
      sct: { headers: {} },
      leader: { headers: {} },
    };
    const ids: Record<string, number> = {};
    const person = async (name: string, roles: GrantInput[]): Promise<Person> => {
      const { token } = await new IdentityService(s.ctx).createToken(apiTokenCreateSchema.parse({ name, roles }), ANONYMOUS);
      return { headers: { authorization: `Bearer ${token}`, 'x-actor': name } };
    };
    const docUrl = `/api/directives/documents/${encodeURIComponent(NUMBER)}`;
    const fileUrl = `${docUrl}/file`;
    const call = (who: Person | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
      who === null ? s.anonymous({ method, url }) : s.app.inject({ method, url, headers: who.headers, ...(payload === undefined ? {} : { payload }) });
    const send = async (who: Person, method: 'POST' | 'PUT', url: string, name: string, content: string | Buffer) => {
      const body = await multipart(name, content);
      return s.app.inject({ method, url, payload: body.payload, headers: { ...who.headers, ...body.headers } });
    };
    const refusal = (r: { statusCode: number; json: <T>() => T }) => [r.statusCode, r.json<{ error: string }>().error];
    const evidenceUrl = (key: string, event: number) => `/api/directives/tasks/${ids[key]}/events/${event}/evidence`;
    const timeline = async (who: Person | null, key: string) => {
      const r = await call(who, 'GET', `/api/directives/tasks/${ids[key]}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json<DirectiveTaskDetail>().events;
    };
    const documentFiles = async () => Number((await s.store.db.selectFrom('directive_file').select((eb) => eb.fn.countAll<number>().as('n')).where('event_id', 'is', null).executeTakeFirstOrThrow()).n);

    beforeAll(async () => {
      // A small limit, so that a file over it is cheap to send.
      s = await openTestServer(engine, { env: { WATCHFLOOR_EVIDENCE_LIMIT_BYTES: '4096' } });
      s.ctx.clock = fixedClock('2026-11-10T03:00:00Z');
      people.office = await person('van.phong', [{ role: 'leaders_office' }]);
      people.officeStc = await person('van.phong.stc', [{ role: 'leaders_office', organisationCode: STC }]);
      people.stc = await person('can.bo.stc', [{ role: 'agency_officer', organisationCode: STC }]);
      people.syt = await person('can.bo.syt', [{ role: 'agency_officer', organisationCode: SYT }]);
      people.sct = await person('can.bo.sct', [{ role: 'agency_officer', organisationCode: 'VL-SCT' }]);
      people.leader = await person('lanh.dao', [{ role: 'leader' }]);
      const saved = await call(people.office, 'PUT', docUrl, DOCUMENT);
      expect(saved.statusCode, saved.body).toBe(201);
      for (const t of saved.json<DirectiveDocumentDetail>().tasks) ids[t.key] = t.id;
    }, 120_000);
    afterAll(async () => s?.close());

    it('the office attaches the document’s PDF, then replaces it; each is in the audit log', async () => {
      expect((await call(people.leader, 'GET', docUrl)).json<DirectiveDocumentDetail>().file).toBeNull();
      expect(refusal(await call(people.leader, 'GET', fileUrl))).toEqual([404, 'unknown_directive_file']);

      const first = await send(people.office, 'PUT', fileUrl, 'ket-luan-88.pdf', PDF_1);
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json<DirectiveDocumentDetail>().file).toMatchObject({ fileName: 'ket-luan-88.pdf', mediaType: 'application/pdf', size: Buffer.byteLength(PDF_1), sha256: sha256(PDF_1), uploadedBy: 'van.phong' });

      const second = await send(people.office, 'PUT', fileUrl, 'Kết luận 88 (bản ký số).pdf', PDF_2);
      expect(second.statusCode, second.body).toBe(200);
      expect(second.json<DirectiveDocumentDetail>().file).toMatchObject({ fileName: 'Kết luận 88 (bản ký số).pdf', size: Buffer.byteLength(PDF_2), sha256: sha256(PDF_2) });
      expect(await documentFiles()).toBe(1);

      const got = await call(people.leader, 'GET', fileUrl);
      expect(got.statusCode).toBe(200);
      expect(got.headers['content-type']).toBe('application/pdf');
      expect(got.headers['content-disposition']).toBe(`attachment; filename="Ket luan 88 (ban ky so).pdf"; filename*=UTF-8''${encodeURIComponent('Kết luận 88 (bản ký số).pdf')}`);
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      expect(got.body).toBe(PDF_2);

      const audited = await s.store.db.selectFrom('audit_event').select(['action', 'actor', 'entity_key']).where('action', 'like', 'directives.document.file%').orderBy('id').execute();
      expect(audited.map((a) => [a.action, a.actor, a.entity_key])).toEqual([
        ['directives.document.file.add', 'van.phong', NUMBER],
        ['directives.document.file.replace', 'van.phong', NUMBER],
      ]);
    });

    it('refuses a file that is not a PDF by its content, whatever its name, and one over the limit, keeping the one held', async () => {
      expect(refusal(await send(people.office, 'PUT', fileUrl, 'van-ban.pdf', '<html><script>alert(1)</script></html>'))).toEqual([415, 'directive_file_not_pdf']);
      expect(refusal(await send(people.office, 'PUT', fileUrl, 'van-ban.pdf', PNG))).toEqual([415, 'directive_file_not_pdf']);
      expect(refusal(await send(people.office, 'PUT', fileUrl, 'van-ban.pdf', ''))).toEqual([400, 'empty_file']);
      expect(refusal(await send(people.office, 'PUT', fileUrl, 'van-ban.pdf', `%PDF-1.7\n${'x'.repeat(5000)}`))).toEqual([413, 'file_too_large']);
      expect((await call(people.leader, 'GET', fileUrl)).body).toBe(PDF_2);
    });

    it('only an office managing every task’s lead agency attaches it; who reads the document downloads it, the public once it is published', async () => {
      // The office of Sở Tài chính only does not manage Sở Y tế's task 2; agency officers keep no documents.
      expect(refusal(await send(people.officeStc, 'PUT', fileUrl, 'khac.pdf', PDF_1))).toEqual([403, 'forbidden']);
      expect(refusal(await send(people.stc, 'PUT', fileUrl, 'khac.pdf', PDF_1))).toEqual([403, 'forbidden']);
      expect((await call(people.leader, 'GET', fileUrl)).body).toBe(PDF_2);

      // Sở Y tế leads a task of it and reads the document; Sở Công Thương leads none; the public sees nothing unpublished.
      expect((await call(people.syt, 'GET', fileUrl)).statusCode).toBe(200);
      expect(refusal(await call(people.sct, 'GET', fileUrl))).toEqual([404, 'unknown_directive_document']);
      expect(refusal(await call(null, 'GET', fileUrl))).toEqual([404, 'unknown_directive_document']);

      const published = await call(people.office, 'PUT', docUrl, { ...DOCUMENT, published: true });
      expect(published.statusCode, published.body).toBe(200);
      // Saving the document again keeps its file.
      expect(published.json<DirectiveDocumentDetail>().file).toMatchObject({ sha256: sha256(PDF_2) });
      const pub = await call(null, 'GET', fileUrl);
      expect([pub.statusCode, pub.body]).toEqual([200, PDF_2]);
    });

    it('the lead agency attaches evidence to its latest report; the task’s readers in scope download it, not another agency nor the public', async () => {
      const progress = await call(people.stc, 'POST', `/api/directives/tasks/${ids['1']}/reports`, { kind: 'progress', percent: 50, text: 'Đã giải ngân một nửa' });
      expect(progress.statusCode, progress.body).toBe(201);
      const report = progress.json<DirectiveTaskDetail>().events.at(-1)!;

      expect(refusal(await send(people.stc, 'POST', evidenceUrl('1', report.id), 'bao-cao.pdf', 'chỉ là chữ'))).toEqual([415, 'evidence_type_not_allowed']);
      const added = await send(people.stc, 'POST', evidenceUrl('1', report.id), 'anh-hien-truong.png', PNG);
      expect(added.statusCode, added.body).toBe(201);
      const files = added.json<DirectiveTaskDetail>().events.find((e) => e.id === report.id)!.files;
      expect(files).toMatchObject([{ fileName: 'anh-hien-truong.png', mediaType: 'image/png', size: PNG.length, sha256: sha256(PNG), uploadedBy: 'can.bo.stc' }]);
      const fileId = files[0]!.id;

      // Sở Y tế reads the published task but attaches nothing to Sở Tài chính's report, nor reads its evidence; the office reports nothing.
      expect(refusal(await send(people.syt, 'POST', evidenceUrl('1', report.id), 'x.png', PNG))).toEqual([403, 'forbidden']);
      expect(refusal(await send(people.office, 'POST', evidenceUrl('1', report.id), 'x.png', PNG))).toEqual([403, 'forbidden']);
      expect(refusal(await call(people.syt, 'GET', `/api/directives/evidence/${fileId}`))).toEqual([404, 'unknown_directive_file']);

      for (const who of [people.stc, people.leader, people.office]) {
        const got = await call(who, 'GET', `/api/directives/evidence/${fileId}`);
        expect([got.statusCode, got.headers['content-type'], got.rawPayload.equals(PNG)]).toEqual([200, 'image/png', true]);
      }
      // The document is published: the public reads the timeline, without the evidence.
      expect(refusal(await call(null, 'GET', `/api/directives/evidence/${fileId}`))).toEqual([401, 'authentication_required']);
      expect((await timeline(null, '1')).map((e) => [e.kind, e.files.length])).toEqual([['progress', 0]]);
      expect((await timeline(people.leader, '1')).map((e) => [e.kind, e.files.length])).toEqual([['progress', 1]]);

      const audited = await s.store.db.selectFrom('audit_event').select(['actor', 'entity_key']).where('action', '=', 'directives.task.evidence.add').execute();
      expect(audited.map((a) => [a.actor, a.entity_key])).toEqual([['can.bo.stc', `${NUMBER}#1`]]);
    });

    it('once a later report or the office’s decision follows a report, evidence goes with the latest one only', async () => {
      s.ctx.clock = fixedClock('2026-11-12T03:00:00Z');
      const done = await call(people.stc, 'POST', `/api/directives/tasks/${ids['1']}/reports`, { kind: 'done', text: 'Đã hoàn thành' });
      expect(done.statusCode, done.body).toBe(201);
      const [progress, doneReport] = done.json<DirectiveTaskDetail>().events;
      expect(refusal(await send(people.stc, 'POST', evidenceUrl('1', progress!.id), 'muon.png', PNG))).toEqual([409, 'directive_report_settled']);
      expect((await send(people.stc, 'POST', evidenceUrl('1', doneReport!.id), 'bien-ban.pdf', PDF_1)).statusCode).toBe(201);

      s.ctx.clock = fixedClock('2026-11-13T03:00:00Z');
      const confirmed = await call(people.office, 'POST', `/api/directives/tasks/${ids['1']}/decisions`, { kind: 'done_confirmed' });
      expect(confirmed.statusCode, confirmed.body).toBe(201);
      const decision = confirmed.json<DirectiveTaskDetail>().events.at(-1)!;
      expect(refusal(await send(people.stc, 'POST', evidenceUrl('1', doneReport!.id), 'sau.pdf', PDF_1))).toEqual([409, 'directive_report_settled']);
      expect(refusal(await send(people.stc, 'POST', evidenceUrl('1', decision.id), 'sau.pdf', PDF_1))).toEqual([403, 'directive_actor_not_allowed']);
      expect(refusal(await send(people.stc, 'POST', evidenceUrl('1', 999_999), 'sau.pdf', PDF_1))).toEqual([404, 'not_found']);
      expect((await timeline(people.stc, '1')).map((e) => [e.kind, e.files.map((f) => f.fileName)])).toEqual([
        ['progress', ['anh-hien-truong.png']],
        ['done', ['bien-ban.pdf']],
        ['done_confirmed', []],
      ]);
    });
  });
}
