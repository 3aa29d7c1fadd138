import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, apiTokenCreateSchema, type DirectiveDocumentDetail, type DirectiveDocumentInput, type DirectiveTaskDetail, type GrantInput, type IngestResult } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import type { TestServer } from '../../testing';
import { IdentityService } from '../identity/service';
import { multipart, openSourcesServer } from '../sources/test-support';

/**
 * Directive documents in from the e-office system: a batch pushed with a
 * directive source's token, a spreadsheet the leader's office uploads (one
 * row per task) and a list pulled from a URL. Sở Tài chính (VL-STC) and Sở
 * Y tế (VL-SYT) lead the tasks; every count below is worked out from the
 * documents sent.
 */
const STC = 'VL-STC';
const SYT = 'VL-SYT';
const COVERAGE = { organisations: [STC, SYT] };

const doc = (number: string, tasks: DirectiveDocumentInput['tasks']): DirectiveDocumentInput => ({
  number,
  date: '2026-11-02',
  issuer: 'UBND tỉnh Vĩnh Long',
  signer: 'Chủ tịch (thử)',
  kind: 'conclusion',
  summary: `Kết luận ${number} (thử nghiệm)`,
  synthetic: true,
  tasks,
});

const HEADINGS = ['Số/ký hiệu', 'Ngày ban hành', 'Cơ quan ban hành', 'Người ký', 'Loại văn bản', 'Trích yếu', 'Nội dung nhiệm vụ', 'Mã nhiệm vụ', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Hạn xử lý'];

/** A workbook as an e-office export: a title row, the headings, one row per task; dates as date cells. */
async function xlsx(rows: (string | Date)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Danh sách');
  sheet.addRow(['DANH SÁCH NHIỆM VỤ ĐƯỢC GIAO']);
  sheet.addRow(HEADINGS);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`directives in from the e-office system on ${engine.engine}`, () => {
    let s: TestServer;
    let token = '';
    let office: Record<string, string> = {};
    let officer: Record<string, string> = {};
    let peer: Server | null = null;
    let peerBase = '';
    let peerAnswer: unknown = { documents: [] };

    const bearer = async (name: string, roles: GrantInput[]) => {
      const made = await new IdentityService(s.ctx).createToken(apiTokenCreateSchema.parse({ name, roles }), ANONYMOUS);
      return { authorization: `Bearer ${made.token}`, 'x-actor': name };
    };
    const push = (documents: unknown[], code = 'EOFFICE') =>
      s.app.inject({ method: 'POST', url: `/api/directives/sources/${code}/push`, headers: { authorization: `Bearer ${token}` }, payload: { documents } });
    const upload = async (name: string, content: Buffer | string, extra: Record<string, string> = {}, query = '') => {
      const form = new FormData();
      for (const [k, v] of Object.entries(extra)) form.append(k, v);
      form.append('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
      const req = new Request('http://localhost/', { method: 'POST', body: form });
      return s.app.inject({ method: 'POST', url: `/api/directives/sources/EOFFICE-FILE/upload${query}`, payload: Buffer.from(await req.arrayBuffer()), headers: { 'content-type': req.headers.get('content-type') ?? '', ...office } });
    };
    const document = async (number: string) => {
      const r = await s.app.inject({ method: 'GET', url: `/api/directives/documents/${encodeURIComponent(number)}` });
      expect(r.statusCode, r.body).toBe(200);
      return r.json<DirectiveDocumentDetail>();
    };
    const count = async (table: 'directive_document' | 'directive_task' | 'directive_task_event') => Number((await s.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    beforeAll(async () => {
      peer = createServer((req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(peerAnswer));
      });
      await new Promise<void>((r) => peer!.listen(0, '127.0.0.1', r));
      peerBase = `http://127.0.0.1:${(peer.address() as AddressInfo).port}`;
      // The e-office system listens on loopback here: allowed, as an administrator would list it.
      s = await openSourcesServer(engine, { WATCHFLOOR_OUTBOUND_ALLOW: '127.0.0.1' });
      const sources = [
        { code: 'EOFFICE', name: 'Hệ thống quản lý văn bản (đẩy)', kind: 'http_push', ownerOrganisationCode: STC, mapping: { target: 'directives' }, coverage: COVERAGE },
        { code: 'EOFFICE-FILE', name: 'Hệ thống quản lý văn bản (tệp)', kind: 'file', ownerOrganisationCode: STC, mapping: { target: 'directives' }, coverage: COVERAGE },
        {
          code: 'EOFFICE-PULL',
          name: 'Hệ thống quản lý văn bản (lấy về)',
          kind: 'http_pull',
          ownerOrganisationCode: STC,
          mapping: { target: 'directives' },
          coverage: COVERAGE,
          schedule: 'PT1H',
          pull: { kind: 'http', url: `${peerBase}/documents`, records: 'documents', timeoutMs: 2000 },
        },
      ];
      for (const source of sources) {
        const r = await s.app.inject({ method: 'POST', url: '/api/sources', payload: source });
        expect(r.statusCode, r.body).toBe(201);
        if (source.code === 'EOFFICE') token = r.json<{ token: string }>().token;
      }
      office = await bearer('van.phong', [{ role: 'leaders_office' }]);
      officer = await bearer('can.bo.stc', [{ role: 'agency_officer', organisationCode: STC }]);
    }, 120_000);
    afterAll(async () => {
      await s?.close();
      peer?.closeAllConnections();
      await new Promise((r) => peer?.close(r));
    });

    it('saves a pushed batch from a JSON file as a run of the source, refusing a document that does not fit with its coded reason', async () => {
      const batch = [
        doc('201/TB-UBND', [
          { key: '1', text: 'Rà soát dự toán', lead: STC, deadline: { kind: 'date', date: '2026-11-30' } },
          { key: '2', text: 'Kiểm tra cơ sở khám chữa bệnh', lead: SYT, cooperating: [STC], deadline: { kind: 'monthly', day: 25, until: null } },
        ]),
        doc('202/TB-UBND', [{ key: '1', text: 'Báo cáo giải ngân', lead: STC, deadline: { kind: 'date', date: '2026-12-15' } }]),
        // Due before the document's date: refused whole.
        doc('203/TB-UBND', [{ key: '1', text: 'Nhiệm vụ sai hạn', lead: STC, deadline: { kind: 'date', date: '2026-10-01' } }]),
      ];
      const file = Buffer.from(JSON.stringify({ documents: batch }), 'utf8');
      const r = await s.app.inject({ method: 'POST', url: '/api/directives/sources/EOFFICE/push', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: file });
      expect(r.statusCode, r.body).toBe(200);
      const result = r.json<IngestResult>();
      // Three documents read, two saved with three tasks, one refused.
      expect(result).toMatchObject({ status: 'partial', rowsRead: 3, accepted: 2, rejected: 1, created: 3, revised: 0, unchanged: 0 });
      expect(result.rejectedRows.map((x) => [x.line, x.reason])).toEqual([[3, 'invalid_row']]);
      expect(result.rejectedRows[0]?.message).toMatch(/before the document’s date 2026-11-02/);
      const detail = await document('201/TB-UBND');
      expect(detail.tasks.map((t) => [t.key, t.lead.code, t.deadline.kind])).toEqual([
        ['1', STC, 'date'],
        ['2', SYT, 'monthly'],
      ]);
      expect(detail.document.createdBy).toBe('source:EOFFICE');
      // The run is among the source's runs, its refused document kept with its reason.
      const runs = await s.app.inject({ method: 'GET', url: '/api/sources/EOFFICE/runs' });
      expect(runs.json<{ runs: { id: number; channel: string; rowsAccepted: number; rowsRejected: number }[] }>().runs[0]).toMatchObject({ id: result.runId, channel: 'http_push', rowsAccepted: 2, rowsRejected: 1 });
      const kept = await s.app.inject({ method: 'GET', url: `/api/runs/${result.runId}/rejected` });
      expect(kept.json<{ total: number; rows: { line: number; reason: string }[] }>()).toMatchObject({ total: 1, rows: [{ line: 3, reason: 'invalid_row' }] });
      // Each saved document is in the audit log, by the source.
      const audit = await s.app.inject({ method: 'GET', url: '/api/audit?entity=directive_document:201/TB-UBND' });
      expect(audit.json<{ events: { action: string; actor: string }[] }>().events.map((e) => [e.action, e.actor])).toEqual([['directives.document.create', 'source:EOFFICE']]);
    });

    it('takes the same batch again without a duplicate, and a re-sent document with a changed deadline and a new task keeps the reports of the one held', async () => {
      const first = doc('204/TB-UBND', [{ key: '1', text: 'Đề án chuyển đổi số', lead: STC, deadline: { kind: 'date', date: '2026-11-30' } }]);
      expect((await push([first])).json()).toMatchObject({ accepted: 1, created: 1 });
      const before = { documents: await count('directive_document'), tasks: await count('directive_task') };
      // Retried as the e-office system would after a timeout: nothing new, nothing written.
      expect((await push([first])).json()).toMatchObject({ status: 'succeeded', accepted: 1, created: 0, revised: 0, unchanged: 1 });
      expect({ documents: await count('directive_document'), tasks: await count('directive_task') }).toEqual(before);

      // The lead agency reports progress on task 1.
      const held = (await document('204/TB-UBND')).tasks[0]!;
      const report = await s.app.inject({ method: 'POST', url: `/api/directives/tasks/${held.id}/reports`, headers: officer, payload: { kind: 'progress', percent: 40, text: 'Đã lập dự thảo' } });
      expect(report.statusCode, report.body).toBe(201);

      // The document is corrected: task 1 due a fortnight later, task 2 added.
      const corrected = doc('204/TB-UBND', [
        { key: '1', text: 'Đề án chuyển đổi số', lead: STC, deadline: { kind: 'date', date: '2026-12-14' } },
        { key: '2', text: 'Báo cáo kết quả', lead: SYT, deadline: { kind: 'date', date: '2026-12-31' } },
      ]);
      expect((await push([corrected])).json()).toMatchObject({ accepted: 1, created: 1, revised: 1, unchanged: 0 });
      const after = await document('204/TB-UBND');
      expect(after.tasks.map((t) => [t.key, t.id === held.id, t.state?.deadline])).toEqual([
        ['1', true, '2026-12-14'],
        ['2', false, '2026-12-31'],
      ]);
      const task = (await s.app.inject({ method: 'GET', url: `/api/directives/tasks/${held.id}` })).json<DirectiveTaskDetail>();
      expect(task.events.map((e) => [e.kind, e.percent])).toEqual([['progress', 40]]);
      expect(task.task.state?.percent).toBe(40);
      const audit = await s.app.inject({ method: 'GET', url: '/api/audit?entity=directive_document:204/TB-UBND' });
      expect(audit.json<{ events: { action: string }[] }>().events.map((e) => e.action).sort()).toEqual(['directives.document.create', 'directives.document.update']);
    });

    it('refuses a push without the source’s token, and a source that does not send directives', async () => {
      const wrong = await s.app.inject({ method: 'POST', url: '/api/directives/sources/EOFFICE/push', headers: { authorization: 'Bearer nope' }, payload: { documents: [] } });
      expect([wrong.statusCode, wrong.json<{ error: string }>().error]).toEqual([401, 'invalid_token']);
      const other = await s.app.inject({ method: 'POST', url: '/api/sources', payload: { code: 'FIGURES', name: 'Số liệu', kind: 'http_push', ownerOrganisationCode: STC } });
      const r = await s.app.inject({ method: 'POST', url: '/api/directives/sources/FIGURES/push', headers: { authorization: `Bearer ${other.json<{ token: string }>().token}` }, payload: { documents: [{}] } });
      expect([r.statusCode, r.json<{ error: string }>().error]).toEqual([400, 'invalid_parameter']);
    });

    it('reads an XLSX file of one row per task into documents by number, refusing bad rows with their line, column and code and saving the rest', async () => {
      const kl = ['301/TB-UBND', day('2026-11-05'), 'UBND tỉnh Vĩnh Long', 'Chủ tịch (thử)', 'Thông báo kết luận', 'Kết luận giao ban (thử nghiệm)'];
      const ct = ['15/CT-UBND', day('2026-11-06'), 'UBND tỉnh Vĩnh Long', 'Chủ tịch (thử)', 'Chỉ thị', 'Chỉ thị về phòng chống thiên tai (thử nghiệm)'];
      const file = await xlsx([
        [...kl, 'Rà soát dự toán', '1', STC, SYT, day('2026-11-30')], // line 3
        [...kl, 'Báo cáo thu ngân sách', '2', STC, '', 'Hằng tháng, ngày 25'], // line 4
        [...kl, 'Hạn không đọc được', '3', STC, '', 'sớm nhất có thể'], // line 5: refused, Hạn xử lý
        [...ct, 'Kiểm tra đê bao', '1', SYT, '', 'Thường xuyên'], // line 6
        [...ct.slice(0, 3), 'Phó Chủ tịch', ...ct.slice(4), 'Trực ban', '2', SYT, '', day('2026-12-01')], // line 7: refused, another signer
        [...kl, 'Nhiệm vụ của đơn vị lạ', '4', 'VL-KHONG-CO', '', day('2026-12-01')], // line 8: refused, unknown agency
      ]);
      const r = await upload('nhiem-vu.xlsx', file);
      expect(r.statusCode, r.body).toBe(200);
      const result = r.json<IngestResult>();
      expect(result).toMatchObject({ status: 'partial', rowsRead: 6, accepted: 3, rejected: 3, created: 3 });
      expect(result.rejectedRows.map((x) => [x.line, x.reason])).toEqual([
        [5, 'invalid_row'],
        [7, 'conflicting_document'],
        [8, 'unknown_organisation'],
      ]);
      expect(result.rejectedRows[0]?.message).toMatch(/Hạn xử lý/);
      expect(result.rejectedRows[1]?.message).toMatch(/Người ký/);
      expect(result.rejectedRows[2]?.message).toMatch(/Đơn vị chủ trì.*VL-KHONG-CO/);
      const kl301 = await document('301/TB-UBND');
      expect(kl301.document).toMatchObject({ date: '2026-11-05', kind: 'conclusion', createdBy: 'token:van.phong' });
      expect(kl301.tasks.map((t) => [t.key, t.lead.code, t.cooperating.map((c) => c.code), t.deadline])).toEqual([
        ['1', STC, [SYT], { kind: 'date', date: '2026-11-30' }],
        ['2', STC, [], { kind: 'monthly', day: 25, until: null }],
      ]);
      expect((await document('15/CT-UBND')).tasks.map((t) => [t.key, t.deadline.kind])).toEqual([['1', 'regular']]);
      const kept = await s.app.inject({ method: 'GET', url: `/api/runs/${result.runId}/rejected` });
      expect(kept.json<{ total: number }>().total).toBe(3);

      // The corrected file again: the rows already saved are unchanged, the fixed one is new, and task 1 keeps its place.
      const again = await upload(
        'nhiem-vu.xlsx',
        await xlsx([
          [...kl, 'Rà soát dự toán', '1', STC, SYT, day('2026-11-30')],
          [...kl, 'Báo cáo thu ngân sách', '2', STC, '', 'Hằng tháng, ngày 25'],
          [...kl, 'Hạn đã sửa', '3', STC, '', '15/12/2026'],
        ]),
      );
      expect(again.json()).toMatchObject({ status: 'succeeded', accepted: 3, created: 1, unchanged: 2 });
      expect((await document('301/TB-UBND')).tasks.map((t) => [t.key, t.missing])).toEqual([
        ['1', false],
        ['2', false],
        ['3', false],
      ]);
    });

    it('keeps a held task as it is when its row comes back refused, rather than taking it as dropped', async () => {
      const kl = ['301/TB-UBND', '05/11/2026', 'UBND tỉnh Vĩnh Long', 'Chủ tịch (thử)', 'Thông báo kết luận', 'Kết luận giao ban (thử nghiệm)'];
      const csv = [HEADINGS, [...kl, 'Rà soát dự toán', '1', STC, SYT, '30/11/2026'], [...kl, 'Báo cáo thu ngân sách', '2', STC, '', 'Hằng tháng, ngày 25'], [...kl, 'Hạn đã sửa', '3', STC, '', 'không rõ']]
        .map((r) => r.map((c) => `"${c}"`).join(','))
        .join('\r\n');
      const r = await upload('nhiem-vu.csv', csv);
      expect(r.json()).toMatchObject({ accepted: 2, rejected: 1, unchanged: 2 });
      const tasks = (await document('301/TB-UBND')).tasks;
      expect(tasks.map((t) => [t.key, t.missing, t.deadline])).toEqual([
        ['1', false, { kind: 'date', date: '2026-11-30' }],
        ['2', false, { kind: 'monthly', day: 25, until: null }],
        ['3', false, { kind: 'date', date: '2026-12-15' }],
      ]);
    });

    it('reads a CSV file by the file’s own headings through a mapping, and a file without the columns is refused whole as a failed run', async () => {
      const csv = 'So VB;Ngay;Noi ban hanh;Nguoi ky;Loai;Noi dung VB;Viec;Ma;Chu tri;Phoi hop;Han\r\n88/KH-UBND;07/11/2026;UBND tỉnh;Phó Chủ tịch;Kế hoạch;Kế hoạch thử;Tổng kết năm;1;VL-SYT;;20/12/2026\r\n';
      const columns = { 'So VB': 'number', Ngay: 'date', 'Noi ban hanh': 'issuer', 'Nguoi ky': 'signer', Loai: 'kind', 'Noi dung VB': 'summary', Viec: 'text', Ma: 'key', 'Chu tri': 'lead', 'Phoi hop': 'cooperating', Han: 'deadline' };
      const dry = await upload('ke-hoach.csv', csv, { columns: JSON.stringify(columns) }, '?dryRun=true');
      expect(dry.json()).toMatchObject({ dryRun: true, runId: null, accepted: 1, created: 1 });
      expect(await s.app.inject({ method: 'GET', url: `/api/directives/documents/${encodeURIComponent('88/KH-UBND')}` }).then((x) => x.statusCode)).toBe(404);
      const saved = await upload('ke-hoach.csv', csv, { columns: JSON.stringify(columns) });
      expect(saved.json()).toMatchObject({ accepted: 1, created: 1 });
      expect((await document('88/KH-UBND')).document).toMatchObject({ kind: 'plan', signer: 'Phó Chủ tịch' });

      const bare = await upload('ke-hoach.csv', csv);
      expect([bare.statusCode, bare.json<{ error: string }>().error]).toEqual([400, 'missing_columns']);
      const runs = await s.app.inject({ method: 'GET', url: '/api/sources/EOFFICE-FILE/runs' });
      expect(runs.json<{ runs: { status: string; errorCode: string | null }[] }>().runs[0]).toMatchObject({ status: 'failed', errorCode: 'missing_columns' });
    });

    it('offers a template whose example uploads as it is, and lets only the leader’s office upload', async () => {
      const t = await s.app.inject({ method: 'GET', url: '/api/directives/template.xlsx', headers: office });
      expect(t.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(t.rawPayload as unknown as ArrayBuffer);
      expect((wb.getWorksheet('Nhiệm vụ')!.getRow(1).values as unknown[]).slice(1)).toEqual(HEADINGS);
      const r = await upload('mau.xlsx', t.rawPayload);
      expect(r.json()).toMatchObject({ accepted: 2, rejected: 0 });
      expect((await document('125/TB-UBND')).tasks.map((x) => x.deadline.kind)).toEqual(['date', 'monthly']);

      const body = await multipart('mau.xlsx', t.rawPayload);
      const refused = await s.app.inject({ method: 'POST', url: '/api/directives/sources/EOFFICE-FILE/upload', payload: body.payload, headers: { ...body.headers, ...officer } });
      expect([refused.statusCode, refused.json<{ error: string }>().error]).toEqual([403, 'forbidden']);
    });

    it('pulls the document list from the e-office system’s URL through the outbound guard, as a run of the source', async () => {
      peerAnswer = {
        documents: [doc('401/TB-UBND', [{ key: '1', text: 'Nhiệm vụ lấy về', lead: SYT, deadline: { kind: 'date', date: '2026-12-20' } }]), { number: '402/TB-UBND' }],
      };
      const r = await s.app.inject({ method: 'POST', url: '/api/sources/EOFFICE-PULL/pull' });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ status: 'partial', channel: 'http_pull', rowsRead: 2, rowsAccepted: 1, rowsRejected: 1 });
      expect((await document('401/TB-UBND')).tasks.map((t) => t.lead.code)).toEqual([SYT]);
      // Pulled again unchanged: nothing new.
      const again = await s.app.inject({ method: 'POST', url: '/api/sources/EOFFICE-PULL/pull' });
      expect(again.json()).toMatchObject({ rowsAccepted: 1 });
      expect(await count('directive_document')).toBe(new Set(['201', '202', '204', '301', '15', '88', '125', '401']).size);
    });

    it('takes agencies by name as e-office exports write them, as of the document’s date, refusing a name no agency or several bear with its code and the name', async () => {
      // Two project boards bear one name in the province.
      const board = (code: string) => ({ code, name: 'Ban Quản lý dự án đầu tư (thử)', name_en: null, kind: 'public_service_unit', parent_code: 'VL-UBND', place_code: '86', valid_from: '2025-07-01', valid_to: '9999-12-31', demo: 1 });
      await s.store.db.insertInto('organisation').values([board('VL-BQL-A'), board('VL-BQL-B')]).execute();
      const kl = ['501/TB-UBND', '10/11/2026', 'UBND tỉnh Vĩnh Long', 'Chủ tịch (thử)', 'Thông báo kết luận', 'Kết luận về y tế cơ sở (thử nghiệm)'];
      const csv = [
        HEADINGS,
        [...kl, 'Rà soát dự toán y tế', '1', 'Sở Tài chính', 'sở y tế; UBND phường Trà Vinh', '30/11/2026'], // line 2
        [...kl, 'Kiểm tra trạm y tế', '2', 'SỞ Y TẾ TỈNH VĨNH LONG', STC, '15/12/2026'], // line 3
        [...kl, 'Đề án tự chủ tài chính', '3', 'Sở Tài chánh', '', '15/12/2026'], // line 4: no agency of that name
        [...kl, 'Giải phóng mặt bằng trạm y tế', '4', 'Ban quản lý dự án đầu tư (thử)', '', '20/12/2026'], // line 5: two of that name
        [...kl, 'Sửa chữa trạm y tế phường', '5', 'UBND phường Trà Vinh', '', '20/12/2026'], // line 6: the ward, outside the source's coverage
      ]
        .map((r) => r.map((c) => `"${c}"`).join(','))
        .join('\r\n');
      const r = await upload('ten-co-quan.csv', csv);
      expect(r.statusCode, r.body).toBe(200);
      const result = r.json<IngestResult>();
      expect(result).toMatchObject({ status: 'partial', rowsRead: 5, accepted: 2, rejected: 3, created: 2 });
      expect(result.rejectedRows.map((x) => [x.line, x.reason])).toEqual([
        [4, 'unknown_organisation_name'],
        [5, 'ambiguous_organisation_name'],
        [6, 'out_of_scope'],
      ]);
      expect(result.rejectedRows[0]?.message).toMatch(/Đơn vị chủ trì.*"Sở Tài chánh"/);
      expect(result.rejectedRows[1]?.message).toMatch(/"Ban quản lý dự án đầu tư \(thử\)".*VL-BQL-A.*VL-BQL-B/);
      expect(result.rejectedRows[2]?.message).toMatch(/UBND-29242/);
      expect((await document('501/TB-UBND')).tasks.map((t) => [t.key, t.lead.code, t.cooperating.map((c) => c.code)])).toEqual([
        ['1', STC, [SYT, 'UBND-29242']],
        ['2', SYT, [STC]],
      ]);

      // A pushed document names its agencies too.
      const pushed = await push([doc('502/TB-UBND', [{ key: '1', text: 'Báo cáo chi thường xuyên y tế', lead: 'Sở Y tế', cooperating: ['Sở Tài chính'], deadline: { kind: 'date', date: '2026-12-10' } }])]);
      expect(pushed.json()).toMatchObject({ accepted: 1, created: 1 });
      expect((await document('502/TB-UBND')).tasks.map((t) => [t.lead.code, t.cooperating.map((c) => c.code)])).toEqual([[SYT, [STC]]]);
    });
  });
}
