import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { FreshnessResponse, IngestResult, RejectedIngestRow, Run, Source } from '@watchfloor/core';
import { ALL_ROWS, SourcesRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import type { TestServer } from '../../testing';
import { multipart, openSourcesServer, pm25Rows } from './test-support';

const PUSH_LIMIT = 1_500_000;

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`sources and HTTP push on ${engine.engine}`, () => {
    let s: TestServer;
    let token = '';
    beforeAll(async () => {
      s = await openSourcesServer(engine, { WATCHFLOOR_PUSH_LIMIT_BYTES: String(PUSH_LIMIT) });
    });
    afterAll(async () => s?.close());

    const push = (body: string, options: { type?: string; auth?: string | null; code?: string; query?: string } = {}) =>
      s.app.inject({
        method: 'POST',
        url: `/api/sources/${options.code ?? 'STC-PUSH'}/push${options.query ?? ''}`,
        headers: { 'content-type': options.type ?? 'application/x-ndjson', ...(options.auth === null ? {} : { authorization: options.auth ?? `Bearer ${token}` }) },
        payload: body,
      });
    const ndjson = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n');
    const count = async () => Number((await s.store.db.selectFrom('observation').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    it('registers a push source and shows its token once, its credentials never', async () => {
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/sources',
        payload: {
          code: 'STC-PUSH',
          name: 'Sở Tài chính — hệ thống quản lý ngân sách',
          kind: 'http_push',
          ownerOrganisationCode: 'VL-STC',
          schedule: 'P1D',
          expected: { every: 'P1D' },
          credentials: { username: 'ioc', password: 'mật-khẩu-bí-mật' },
        },
      });
      expect(r.statusCode, r.body).toBe(201);
      const created = r.json<{ source: Source; token: string }>();
      expect(created.token).toMatch(/^wfp_[A-Za-z0-9_-]{43}$/);
      token = created.token;
      expect(created.source).toMatchObject({ code: 'STC-PUSH', kind: 'http_push', hasToken: true, hasCredentials: true, enabled: true, lastArrivalAt: null });
      for (const url of ['/api/sources', '/api/sources/STC-PUSH']) {
        const body = (await s.app.inject(url)).body;
        expect(body).not.toContain('mật-khẩu');
        expect(body).not.toContain(token);
        expect(body).not.toContain('credentials_enc');
      }
      // At rest: ciphertext, and only a hash of the token.
      const stored = await new SourcesRepository(s.store.db).get('STC-PUSH', ALL_ROWS);
      expect(stored?.credentialsEnc).toMatch(/^v1\./);
      expect(stored?.credentialsEnc).not.toContain('ioc');
      expect(stored?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('refuses a duplicate code, an unknown owner and a malformed schedule with codes', async () => {
      const base = { code: 'STC-PUSH', name: 'x', kind: 'file', ownerOrganisationCode: 'VL-STC' };
      expect((await s.app.inject({ method: 'POST', url: '/api/sources', payload: base })).json()).toMatchObject({ error: 'source_exists' });
      const owner = await s.app.inject({ method: 'POST', url: '/api/sources', payload: { ...base, code: 'X1', ownerOrganisationCode: 'NO-SUCH' } });
      expect([owner.statusCode, owner.json().error]).toEqual([404, 'unknown_organisation_code']);
      const schedule = await s.app.inject({ method: 'POST', url: '/api/sources', payload: { ...base, code: 'X2', schedule: 'every day' } });
      expect([schedule.statusCode, schedule.json().error]).toEqual([400, 'invalid_body']);
      expect((await s.app.inject('/api/sources/NO-SUCH')).json()).toMatchObject({ error: 'unknown_source' });
    });

    it('takes a pushed NDJSON stream in batches, keeps malformed lines as rejected rows, and records the run', async () => {
      const rows = await pm25Rows(s, 12_000);
      const lines = rows.map((r) => JSON.stringify(r));
      lines.splice(5, 0, '{"indicator": "PM25", oops');
      lines.splice(7000, 0, JSON.stringify({ indicator: 'PM25', place: '99999', period: '2026-07-01', value: 1 }));
      lines.push(JSON.stringify({ indicator: 'PM25', place: '86', period: '2026-07-01', value: 5000 }));
      const r = await push(`${lines.join('\r\n')}\r\n`);
      expect(r.statusCode, r.body).toBe(200);
      const result = r.json<IngestResult>();
      expect(result).toMatchObject({ status: 'partial', rowsRead: 12_003, accepted: 12_000, created: 12_000, rejected: 3 });
      expect(result.rejectedRows.map((x) => [x.line, x.reason])).toEqual([
        [6, 'invalid_json'],
        [7001, 'unknown_place'],
        [12_003, 'above_valid_range'],
      ]);
      expect(await count()).toBe(12_000);
      const run = (await s.app.inject(`/api/runs/${result.runId}`)).json<Run>();
      expect(run).toMatchObject({ source: 'STC-PUSH', channel: 'http_push', status: 'partial', rowsRead: 12_003, rowsAccepted: 12_000, rowsRejected: 3, checkpoint: { rows: 12_003, line: 12_003 } });
      // Every stored figure names the run that brought it.
      const byRun = await s.store.db.selectFrom('observation').select((eb) => eb.fn.countAll<number>().as('n')).where('run_id', '=', result.runId).executeTakeFirstOrThrow();
      expect(Number(byRun.n)).toBe(12_000);
      const source = (await s.app.inject('/api/sources/STC-PUSH')).json<Source>();
      expect(source).toMatchObject({ lastArrivalAt: '2026-11-28T03:00:00.000Z', lastPeriodEnd: rows.map((x) => x.period).sort().at(-1) });
    });

    it('creates no duplicates when the same push is sent again', async () => {
      const rows = await pm25Rows(s, 12_000);
      const r = await push(ndjson(rows));
      expect(r.json<IngestResult>()).toMatchObject({ status: 'succeeded', accepted: 12_000, created: 0, unchanged: 12_000, rejected: 0 });
      expect(await count()).toBe(12_000);
    });

    it('reads a JSON array or an object with observations, and previews without writing', async () => {
      const rows = [
        { indicator: 'DOSSIERS_RECEIVED', place: '86', period: '2026-10', organisation: 'VL-STC', value: 130 },
        { indicator: 'DOSSIERS_RECEIVED', place: '86', period: '2026-10', value: 40 },
      ];
      const runsBefore = (await s.app.inject('/api/sources/STC-PUSH/runs')).json<{ runs: Run[] }>().runs.length;
      const preview = await push(JSON.stringify(rows), { type: 'application/json', query: '?dryRun=true' });
      expect(preview.json<IngestResult>()).toMatchObject({ dryRun: true, runId: null, accepted: 2, created: 0, preview: rows });
      expect(await count()).toBe(12_000);
      expect((await s.app.inject('/api/sources/STC-PUSH/runs')).json<{ runs: Run[] }>().runs.length).toBe(runsBefore);
      const array = await push(JSON.stringify(rows), { type: 'application/json; charset=utf-8' });
      expect(array.json<IngestResult>()).toMatchObject({ status: 'succeeded', accepted: 2, created: 2 });
      const wrapped = await push(JSON.stringify({ source: 'ignored', observations: rows }), { type: 'application/json' });
      expect(wrapped.json<IngestResult>()).toMatchObject({ accepted: 2, unchanged: 2 });
      const broken = await push('[{"indicator": "DOSSIERS_RECEIVED", "place": "86", "period": "2026-09", "value": 1},\n{"indicator": ', { type: 'application/json' });
      expect(broken.statusCode).toBe(200);
      expect(broken.json<IngestResult>()).toMatchObject({ status: 'partial', accepted: 1, rejectedRows: [{ line: 2, reason: 'invalid_json' }] });
    });

    it('refuses a push without the right token, to an unknown or a disabled source, or of another type', async () => {
      const one = ndjson([{ indicator: 'DOSSIERS_RECEIVED', place: '86', period: '2026-10', value: 1 }]);
      const none = await push(one, { auth: null });
      expect([none.statusCode, none.json().error]).toEqual([401, 'invalid_token']);
      expect(none.headers.connection).toBe('close');
      expect((await push(one, { auth: 'Bearer wfp_wrong' })).json()).toMatchObject({ error: 'invalid_token' });
      expect((await push(one, { code: 'NO-SUCH' })).json()).toMatchObject({ error: 'unknown_source' });
      expect((await push(one, { type: 'text/csv' })).json()).toMatchObject({ error: 'unsupported_media_type' });
      await s.app.inject({ method: 'POST', url: '/api/sources/STC-PUSH/disable' });
      const disabled = await push(one);
      expect([disabled.statusCode, disabled.json().error]).toEqual([409, 'source_disabled']);
      expect((await s.app.inject({ method: 'POST', url: '/api/sources/STC-PUSH/enable' })).json<Source>().enabled).toBe(true);
      const rotated = (await s.app.inject({ method: 'POST', url: '/api/sources/STC-PUSH/token' })).json<{ token: string }>().token;
      expect((await push(one)).statusCode).toBe(401);
      token = rotated;
      expect((await push(one)).statusCode).toBe(200);
      const empty = await push('\n\n');
      expect([empty.statusCode, empty.json().error]).toEqual([400, 'invalid_body']);
    });

    it('refuses a declared body over the push limit before writing anything', async () => {
      const before = await count();
      const rows = await pm25Rows(s, 20_000);
      const body = ndjson(rows.map((r) => ({ ...r, note: 'x'.repeat(20) })));
      expect(body.length).toBeGreaterThan(PUSH_LIMIT);
      const r = await push(body);
      expect([r.statusCode, r.json().error]).toEqual([413, 'body_too_large']);
      expect(await count()).toBe(before);
    });

    it('serves a run’s rejected rows as JSON and as CSV that uploads again once fixed', async () => {
      const runs = (await s.app.inject('/api/sources/STC-PUSH/runs?limit=100')).json<{ runs: Run[] }>().runs;
      const first = runs.at(-1);
      expect(first?.rowsRejected).toBe(3);
      const json = (await s.app.inject(`/api/runs/${first?.id}/rejected?limit=2`)).json<{ total: number; rows: RejectedIngestRow[] }>();
      expect(json.total).toBe(3);
      expect(json.rows).toEqual([
        expect.objectContaining({ line: 6, reason: 'invalid_json', raw: '{"indicator": "PM25", oops', row: null }),
        expect.objectContaining({ line: 7001, reason: 'unknown_place', row: { indicator: 'PM25', place: '99999', period: '2026-07-01', value: 1 } }),
      ]);
      const csv = await s.app.inject(`/api/runs/${first?.id}/rejected.csv`);
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toContain(`run-${first?.id}-rejected.csv`);
      const lines = csv.body.split('\r\n');
      expect(lines[0]).toBe('\uFEFFline,reason,message,indicator,place,period,organisation,value,status,note,raw');
      expect(lines[2]).toMatch(/^7001,unknown_place,.*,PM25,99999,2026-07-01,,1,,,/);
      // The steward fixes the place and sends the file back through the upload.
      const fixed = csv.body.replace(',PM25,99999,', ',PM25,29242,');
      const upload = await s.app.inject({ method: 'POST', url: '/api/sources/STC-PUSH/upload', ...(await multipart('fixed.csv', fixed)) });
      expect(upload.statusCode, upload.body).toBe(200);
      expect(upload.json<IngestResult>()).toMatchObject({ accepted: 1, rejected: 2 });
      expect((await s.app.inject('/api/runs/999999')).json()).toMatchObject({ error: 'not_found' });
      expect((await s.app.inject('/api/runs/999999/rejected.csv')).statusCode).toBe(404);
    });

    it('writes a source’s runs as the data desk lists them, to a workbook cell by cell and to CSV', async () => {
      const url = '/api/sources/STC-PUSH/runs?limit=10';
      const runs = (await s.app.inject(url)).json<{ runs: Run[] }>().runs;
      expect(runs.length).toBeGreaterThan(1);
      const r = await s.app.inject(`${url}&format=xlsx`);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-disposition']).toBe('attachment; filename="runs-STC-PUSH.xlsx"');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const [sheet, notes] = book.worksheets;
      expect((sheet!.getRow(1).values as unknown[]).slice(1)).toEqual([
        'Lượt',
        'Bắt đầu',
        'Kết thúc',
        'Thời gian (s)',
        'Kênh',
        'Trạng thái',
        'Dòng đã đọc',
        'Dòng nhận',
        'Dòng từ chối',
        'Mới',
        'Sửa',
        'Không đổi',
        'Tệp',
        'Người nhập',
        'Lỗi',
      ]);
      expect(sheet!.rowCount).toBe(1 + runs.length);
      const vietnam = (iso: string | null) => (iso ? new Date(Date.parse(iso) + 7 * 3600_000) : null);
      runs.forEach((run, i) => {
        const row = sheet!.getRow(i + 2);
        expect(Array.from({ length: 15 }, (_, c) => row.getCell(c + 1).value ?? null)).toEqual([
          run.id,
          vietnam(run.startedAt),
          vietnam(run.finishedAt),
          run.durationMs === null ? null : run.durationMs / 1000,
          run.channel === 'file' ? 'Tệp' : 'Đẩy qua API',
          { running: 'Đang chạy', succeeded: 'Thành công', partial: 'Một phần', failed: 'Thất bại' }[run.status],
          run.rowsRead,
          run.rowsAccepted,
          run.rowsRejected,
          run.created,
          run.revised,
          run.unchanged,
          run.fileName,
          run.enteredBy,
          run.errorCode ? `${run.errorCode}: ${run.error ?? ''}` : run.error,
        ]);
      });
      // The first push: 3 of its rows refused, the run partial.
      const first = sheet!.getRow(1 + runs.length);
      expect([first.getCell(6).value, first.getCell(9).value]).toEqual(['Một phần', 3]);
      const noteRows = Object.fromEntries(notes!.getSheetValues().slice(1).map((v) => [(v as unknown[])[1], (v as unknown[])[2]]));
      expect(noteRows).toMatchObject({ 'Nguồn': 'STC-PUSH — Sở Tài chính — hệ thống quản lý ngân sách', 'Cơ quan sở hữu': 'VL-STC' });

      const csv = await s.app.inject(`${url}&format=csv&lang=en`);
      expect([...csv.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = csv.rawPayload.toString('utf8').slice(1).split('\r\n');
      expect(lines[0]).toBe('Run,Started,Finished,Duration (s),Channel,Status,Rows read,Rows accepted,Rows rejected,New,Revised,Unchanged,File,Entered by,Error');
      expect(lines.slice(1, -1).map((l) => Number(l.split(',')[0]))).toEqual(runs.map((run) => run.id));
      expect((await s.app.inject('/api/sources/NO-SUCH/runs?format=csv')).statusCode).toBe(404);
    });

    it('ranks late sources by lateness with the agency responsible', async () => {
      const repo = new SourcesRepository(s.store.db);
      const base = { kind: 'file', schedule: null, mapping: null, credentialsEnc: null, tokenHash: null, enabled: true, updatedAt: '2026-08-01T00:00:00Z' };
      // Owes its August report by 5 September and never sent it.
      await repo.insert({ ...base, code: 'SYT-MONTHLY', name: 'Báo cáo y tế tháng', ownerOrgCode: 'VL-SYT', expected: { frequency: 'month', afterPeriodEndDays: 5 }, createdAt: '2026-08-01T00:00:00Z' });
      // Sent October: owes November by 5 December.
      await repo.insert({ ...base, code: 'VP-MONTHLY', name: 'Phản ánh tháng', ownerOrgCode: 'VL-VP', expected: { frequency: 'month', afterPeriodEndDays: 5 }, createdAt: '2026-08-01T00:00:00Z' });
      await repo.recordArrival('VP-MONTHLY', '2026-11-03T02:00:00Z', '2026-10-31');
      // A stream silent for two hours, due every hour.
      await repo.insert({ ...base, code: 'SYT-STREAM', name: 'Trạm quan trắc', ownerOrgCode: 'VL-SYT', expected: { every: 'PT1H' }, createdAt: '2026-08-01T00:00:00Z' });
      await repo.recordArrival('SYT-STREAM', '2026-11-28T00:00:00Z', '2026-11-28');
      await repo.insert({ ...base, code: 'OFF', name: 'Tắt', ownerOrgCode: 'VL-VP', expected: { every: 'PT1H' }, enabled: false, createdAt: '2026-08-01T00:00:00Z' });

      const r = await s.app.inject('/api/freshness/sources');
      expect(r.statusCode, r.body).toBe(200);
      const f = r.json<FreshnessResponse>();
      const state = Object.fromEntries(f.sources.map((x) => [x.source, x.state]));
      expect(state).toMatchObject({ 'SYT-MONTHLY': 'late', 'VP-MONTHLY': 'fresh', 'SYT-STREAM': 'late', OFF: 'disabled', 'STC-PUSH': 'fresh' });
      expect(f.late.map((x) => [x.source, x.missingPeriod, x.lateSince, x.lateSeconds])).toEqual([
        ['SYT-MONTHLY', '2026-08', '2026-09-05T17:00:00.000Z', 7_207_200],
        ['SYT-STREAM', null, '2026-11-28T01:00:00.000Z', 7200],
      ]);
      expect(f.sources.find((x) => x.source === 'VP-MONTHLY')).toMatchObject({ dueAt: '2026-12-05T17:00:00.000Z', lateSince: null });
      expect(f.agencies).toEqual([{ organisationCode: 'VL-SYT', organisationName: 'Sở Y tế tỉnh Vĩnh Long', lateSources: 2, worstLateSeconds: 7_207_200, sources: ['SYT-MONTHLY', 'SYT-STREAM'] }]);
    });

    it('updates a source and its credentials without ever returning them', async () => {
      const r = await s.app.inject({ method: 'PATCH', url: '/api/sources/STC-PUSH', payload: { name: 'Sở Tài chính', credentials: { token: 'new-secret' }, mapping: { defaults: { organisation: 'VL-STC' } } } });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json<Source>()).toMatchObject({ name: 'Sở Tài chính', hasCredentials: true, mapping: { defaults: { organisation: 'VL-STC' } } });
      expect(r.body).not.toContain('new-secret');
      const cleared = await s.app.inject({ method: 'PATCH', url: '/api/sources/STC-PUSH', payload: { credentials: null } });
      expect(cleared.json<Source>().hasCredentials).toBe(false);
      expect((await s.app.inject({ method: 'PATCH', url: '/api/sources/STC-PUSH', payload: { kind: 'file' } })).statusCode).toBe(400);
      expect((await s.app.inject({ method: 'PATCH', url: '/api/sources/STC-PUSH', payload: {} })).statusCode).toBe(400);
    });

    it('offers an XLSX template listing the indicators of a domain', async () => {
      const r = await s.app.inject('/api/sources/templates/observations.xlsx?domain=public_services');
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(new Uint8Array(r.rawPayload).buffer);
      expect(wb.getWorksheet('Số liệu')?.getRow(1).values).toEqual([undefined, 'Mã chỉ tiêu', 'Mã đơn vị', 'Kỳ', 'Giá trị', 'Trạng thái', 'Mã cơ quan', 'Ghi chú']);
      // Rates and derived indicators are computed, never sent: they are not offered.
      expect(wb.getWorksheet('Chỉ tiêu')?.getColumn(1).values.slice(2)).toEqual(['DOSSIERS_ON_TIME', 'DOSSIERS_RECEIVED', 'DOSSIERS_RESOLVED']);
      expect((await s.app.inject('/api/sources/templates/observations.xlsx?domain=tourism')).statusCode).toBe(404);
    });
  });
}
