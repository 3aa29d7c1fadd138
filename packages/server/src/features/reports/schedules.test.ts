import { createHash } from 'node:crypto';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduledPeriodKey, type ReportTemplateInput } from '@watchfloor/core';
import { AuditRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, signInAs, type TestServer } from '../../testing';
import { nextScheduledRun, ReportScheduler } from './schedules';
import { smtpPeer, type Mail } from '../messages/test-support';
import { seedCaseCategories } from '../cases/seed';
import { REFERENCE_DATA_DIR } from '../../paths';

describe('when a scheduled report runs, in Vietnam time', () => {
  it('reads "0 7 5 * *" as the 5th at 07:00 in Vietnam, which is 00:00Z', () => {
    expect(nextScheduledRun('0 7 5 * *', new Date('2026-11-28T03:00:00Z'))?.toISOString()).toBe('2026-12-05T00:00:00.000Z');
    expect(nextScheduledRun('0 7 5 * *', new Date('2026-12-04T23:59:00Z'))?.toISOString()).toBe('2026-12-05T00:00:00.000Z');
    // Run at that instant, the next is a month on.
    expect(nextScheduledRun('0 7 5 * *', new Date('2026-12-05T00:00:00Z'))?.toISOString()).toBe('2027-01-05T00:00:00.000Z');
    // 00:30 on the 1st in Vietnam is 17:30Z the day before.
    expect(nextScheduledRun('30 0 1 * *', new Date('2026-11-28T03:00:00Z'))?.toISOString()).toBe('2026-11-30T17:30:00.000Z');
  });

  it('reports on the month or quarter before the run, as the date reads in Vietnam', () => {
    expect(scheduledPeriodKey('last_month', new Date('2026-12-05T00:00:00Z'))).toBe('2026-11');
    // 17:30Z on 30 November is already 1 December in Vietnam: November is the month just ended.
    expect(scheduledPeriodKey('last_month', new Date('2026-11-30T17:30:00Z'))).toBe('2026-11');
    expect(scheduledPeriodKey('last_month', new Date('2027-01-05T00:00:00Z'))).toBe('2026-12');
    expect(scheduledPeriodKey('last_quarter', new Date('2027-01-05T00:00:00Z'))).toBe('2026-Q4');
    expect(scheduledPeriodKey('last_quarter', new Date('2026-12-05T00:00:00Z'))).toBe('2026-Q3');
  });
});

/** The attached file of a mail: its name and bytes (base64 in the MIME part that says attachment). */
function attachmentOf(mail: Mail): { filename: string; content: Buffer } {
  const part = mail.data.split(/\r?\n--/).find((p) => /Content-Disposition: attachment/i.test(p));
  if (!part) throw new Error('no attachment');
  const filename = /filename="?([^"\r\n;]+)"?/.exec(part)?.[1] ?? '';
  const body = part.split(/\r?\n\r?\n/).slice(1).join('').replace(/\s+/g, '');
  return { filename, content: Buffer.from(body, 'base64') };
}

const documentText = async (file: Buffer) => (await (await JSZip.loadAsync(file)).file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');

const TEMPLATE: ReportTemplateInput = {
  version: 1,
  code: 'mau-thang',
  title: { vi: 'Báo cáo tháng', en: 'Monthly report' },
  sections: [{ kind: 'text', heading: 'I. Tình hình chung', paragraphs: ['Tình hình ổn định.'] }],
};

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`scheduled reports on ${engine.engine}`, () => {
    let s: TestServer;
    let smtp: Awaited<ReturnType<typeof smtpPeer>>;
    let steward: Awaited<ReturnType<typeof signInAs>>;
    const retry = { attempts: 2, delaysMs: [60_000] };

    beforeAll(async () => {
      smtp = await smtpPeer();
      s = await openTestServer(engine, {
        env: smtp.env,
      });
      steward = await signInAs(s, 'steward.schedules', [{ role: 'data_steward', placeCode: '86' }]);
      const t = await s.app.inject({ method: 'PUT', url: '/api/reports/templates/mau-thang', headers: steward.write, payload: TEMPLATE });
      expect(t.statusCode, t.body).toBe(201);
    });
    afterAll(async () => {
      await s?.close();
      await smtp?.close();
    });

    const save = (who: typeof steward, code: string, body: object) => s.app.inject({ method: 'PUT', url: `/api/reports/schedules/${code}`, headers: who.write, payload: { code, template: 'mau-thang', ...body } });
    const renderings = async (code: string) => {
      const r = await s.app.inject({ url: `/api/reports/schedules/${code}/renderings`, headers: steward.read });
      expect(r.statusCode, r.body).toBe(200);
      return r.json<{ renderings: Array<{ id: number; periodKey: string; sha256: string; size: number; deliveries: Array<{ address: string; status: string; attempts: number; lastError: string | null }> }> }>().renderings;
    };

    it('is kept only by a steward of the whole province, with a cron croner reads; the save is audited', async () => {
      const ward = await signInAs(s, 'steward.ward', [{ role: 'data_steward', placeCode: '29242' }]);
      const refused = await save(ward, 'thang', { cron: '0 7 5 * *', period: 'last_month', recipients: ['a@vinhlong.test'] });
      expect([refused.statusCode, refused.json<{ error: string }>().error]).toEqual([403, 'forbidden']);
      const bad = await save(steward, 'thang', { cron: '0 7 35 * *', period: 'last_month', recipients: ['a@vinhlong.test'] });
      expect([bad.statusCode, bad.json<{ error: string }>().error]).toEqual([400, 'invalid_body']);

      const r = await save(steward, 'thang', { cron: '0 7 5 * *', period: 'last_month', recipients: ['a@vinhlong.test', 'b@vinhlong.test'] });
      expect(r.statusCode, r.body).toBe(201);
      // Saved at 10:00 on 28 November in Vietnam: the next run is 07:00 on 5 December there.
      expect(r.json()).toMatchObject({ nextRunAt: '2026-12-05T00:00:00.000Z', format: 'docx', enabled: true });
      const audit = await new AuditRepository(s.ctx.store.db).list({ entityKind: 'report_schedule', limit: 10 });
      expect(audit.map((a) => [a.action, a.entityKey])).toEqual([['report_schedule.create', 'thang']]);
    });

    it('renders a due schedule once, for last month, and e-mails the DOCX to each recipient', async () => {
      const scheduler = new ReportScheduler(s.ctx, { retry });
      await scheduler.tick(new Date('2026-12-04T23:59:59Z'));
      expect(smtp.mails).toHaveLength(0);
      await scheduler.tick(new Date('2026-12-05T00:00:00Z'));
      await scheduler.tick(new Date('2026-12-05T00:05:00Z'));
      expect(smtp.mails.map((m) => m.to)).toEqual([['a@vinhlong.test'], ['b@vinhlong.test']]);
      const file = attachmentOf(smtp.mails[0]!);
      expect(file.filename).toBe('bao-cao-mau-thang-2026-11.docx');
      expect(await documentText(file.content)).toContain('Tháng 11/2026');

      const [kept, ...more] = await renderings('thang');
      expect(more).toHaveLength(0);
      expect(kept).toMatchObject({ periodKey: '2026-11', sha256: createHash('sha256').update(file.content).digest('hex'), size: file.content.length });
      expect(kept!.deliveries.map((d) => [d.address, d.status, d.attempts])).toEqual([
        ['a@vinhlong.test', 'sent', 1],
        ['b@vinhlong.test', 'sent', 1],
      ]);
      const list = (await s.app.inject({ url: '/api/reports/schedules', headers: steward.read })).json<{ schedules: Array<{ code: string; nextRunAt: string }> }>();
      expect(list.schedules.map((x) => [x.code, x.nextRunAt])).toEqual([['thang', '2027-01-05T00:00:00.000Z']]);
    });

    it('is delivered once when two instances run on one database', async () => {
      const before = smtp.mails.length;
      const one = new ReportScheduler(s.ctx, { retry });
      const two = new ReportScheduler(s.ctx, { retry });
      const at = new Date('2027-01-05T00:00:00Z');
      const took = await Promise.all([one.tickUnderLease('one', at), two.tickUnderLease('two', at)]);
      expect(took.filter(Boolean)).toHaveLength(1);
      const later = new Date('2027-01-05T00:01:00Z');
      await Promise.all([one.tickUnderLease('one', later), two.tickUnderLease('two', later)]);
      expect(smtp.mails.slice(before).map((m) => [m.to, attachmentOf(m).filename])).toEqual([
        [['a@vinhlong.test'], 'bao-cao-mau-thang-2026-12.docx'],
        [['b@vinhlong.test'], 'bao-cao-mau-thang-2026-12.docx'],
      ]);
      expect((await renderings('thang')).map((r) => r.periodKey)).toEqual(['2026-12', '2026-11']);
    });

    it('retries a delivery the mail server refuses, then lists it failed with the refusal', async () => {
      // The 10th at 09:00 in Vietnam, 02:00Z; saved at 28 November, its first run is 10 December, for November.
      const r = await save(steward, 'hong', { cron: '0 9 10 * *', period: 'last_month', recipients: ['refuse@vinhlong.test'] });
      expect(r.json()).toMatchObject({ nextRunAt: '2026-12-10T02:00:00.000Z' });
      const scheduler = new ReportScheduler(s.ctx, { retry });
      const before = smtp.mails.length;
      await scheduler.tick(new Date('2027-01-06T00:00:00Z'));
      expect((await renderings('hong'))[0]?.deliveries).toEqual([expect.objectContaining({ status: 'queued', attempts: 1, lastError: 'SMTP 550' })]);
      // The retry comes a minute later, and is the last.
      await scheduler.tick(new Date('2027-01-06T00:00:59Z'));
      expect((await renderings('hong'))[0]?.deliveries[0]?.attempts).toBe(1);
      await scheduler.tick(new Date('2027-01-06T00:01:00Z'));
      const [kept] = await renderings('hong');
      expect(kept?.periodKey).toBe('2026-11');
      expect(kept?.deliveries).toEqual([expect.objectContaining({ address: 'refuse@vinhlong.test', status: 'failed', attempts: 2, lastError: 'SMTP 550' })]);
      expect(smtp.mails.length).toBe(before);
    });

    it('sends an export of a table with the scope of who saved it, kept with its hash and downloaded as it was sent', async () => {
      const ward = await signInAs(s, 'steward.ward.export', [{ role: 'data_steward', placeCode: '29242' }]);
      const other = await signInAs(s, 'steward.ward.other', [{ role: 'data_steward', placeCode: '29254' }]);
      await seedCaseCategories(s.store, { dataDir: REFERENCE_DATA_DIR, clock: s.ctx.clock });
      for (const [title, at] of [['Đèn hỏng ở phường Trà Vinh', { lat: 9.9063, lon: 106.3419 }], ['Rác ở Nguyệt Hóa', { lat: 9.9366, lon: 106.3116 }]] as const) {
        const c = await s.app.inject({ method: 'POST', url: '/api/cases', payload: { category: 'GIAO_THONG', title, ...at } });
        expect(c.statusCode, c.body).toBe(201);
      }
      const body = { code: 'pa-phuong', kind: 'export', export: { table: 'cases', query: { status: 'new' } }, format: 'csv', cron: '0 7 1 * *', period: 'last_month', recipients: ['ward@vinhlong.test'] };
      // The route's own filters check the query; the schedule sets the format and period itself.
      const bad = await s.app.inject({ method: 'PUT', url: '/api/reports/schedules/pa-phuong', headers: ward.write, payload: { ...body, export: { table: 'cases', query: { status: 'lost', format: 'xlsx' } } } });
      expect([bad.statusCode, bad.json<{ error: string; message: string }>().message]).toEqual([400, expect.stringContaining('export.query: format is set by the schedule')]);
      const saved = await s.app.inject({ method: 'PUT', url: '/api/reports/schedules/pa-phuong', headers: ward.write, payload: body });
      expect(saved.statusCode, saved.body).toBe(201);
      expect(saved.json()).toMatchObject({ kind: 'export', owner: 'steward.ward.export', format: 'csv', lang: 'vi' });

      // Another ward's steward neither sees it nor runs it; a steward of the whole province does.
      const hidden = await s.app.inject({ method: 'POST', url: '/api/reports/schedules/pa-phuong/run', headers: other.write });
      expect([hidden.statusCode, hidden.json<{ error: string }>().error]).toEqual([404, 'unknown_report_schedule']);
      expect((await s.app.inject({ url: '/api/reports/schedules', headers: other.read })).json<{ schedules: unknown[] }>().schedules).toEqual([]);
      const listed = (await s.app.inject({ url: '/api/reports/schedules', headers: steward.read })).json<{ schedules: Array<{ code: string }> }>();
      expect(listed.schedules.map((x) => x.code)).toContain('pa-phuong');

      const run = await s.app.inject({ method: 'POST', url: '/api/reports/schedules/pa-phuong/run', headers: ward.write });
      expect(run.statusCode, run.body).toBe(201);
      const rendering = run.json<{ id: number; status: string; periodKey: string; sha256: string; deliveries: Array<{ status: string }> }>();
      expect(rendering).toMatchObject({ status: 'rendered', periodKey: '2026-10', deliveries: [{ status: 'queued' }] });
      // Run again for the same period, the kept file is answered.
      const again = await s.app.inject({ method: 'POST', url: '/api/reports/schedules/pa-phuong/run', headers: ward.write });
      expect([again.statusCode, again.json<{ id: number }>().id]).toEqual([200, rendering.id]);

      const file = await s.app.inject({ url: `/api/reports/schedules/pa-phuong/renderings/${rendering.id}/file`, headers: ward.read });
      expect(file.statusCode, file.body).toBe(200);
      expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(file.headers['content-disposition']).toContain('cases-2026-10.csv');
      expect(file.headers['x-content-sha256']).toBe(rendering.sha256);
      expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(rendering.sha256);
      // Only the cases the owner reads: their ward's, not the other's.
      expect(file.body).toContain('Đèn hỏng ở phường Trà Vinh');
      expect(file.body).not.toContain('Rác ở Nguyệt Hóa');
      const cached = await s.app.inject({ url: `/api/reports/schedules/pa-phuong/renderings/${rendering.id}/file`, headers: { ...ward.read, 'if-none-match': `"${rendering.sha256}"` } });
      expect(cached.statusCode).toBe(304);
      const elsewhere = await s.app.inject({ url: `/api/reports/schedules/thang/renderings/${rendering.id}/file`, headers: steward.read });
      expect([elsewhere.statusCode, elsewhere.json<{ error: string }>().error]).toEqual([404, 'unknown_report_rendering']);

      // What is late leaves on a schedule too, in English when asked, read with the owner's scope.
      const late = await s.app.inject({ method: 'PUT', url: '/api/reports/schedules/cham-phuong', headers: ward.write, payload: { ...body, code: 'cham-phuong', export: { table: 'late', query: {} }, lang: 'en' } });
      expect(late.statusCode, late.body).toBe(201);
      const lateRun = await s.app.inject({ method: 'POST', url: '/api/reports/schedules/cham-phuong/run', headers: ward.write });
      expect(lateRun.json<{ status: string }>().status).toBe('rendered');
      const lateFile = await s.app.inject({ url: `/api/reports/schedules/cham-phuong/renderings/${lateRun.json<{ id: number }>().id}/file`, headers: ward.read });
      expect(lateFile.body.split('\r\n')[0]).toMatch(/^\uFEFFKind,Code,Name,Accountable agency,/);

      // A report of the whole province is not the ward steward's to keep.
      const report = await save(ward, 'bao-cao-phuong', { cron: '0 7 5 * *', period: 'last_month', recipients: ['a@vinhlong.test'] });
      expect([report.statusCode, report.json<{ error: string }>().error]).toEqual([403, 'forbidden']);
    });

    it('keeps a run that could print no PDF as failed with why, sending nothing and offering no file', async () => {
      const r = await save(steward, 'pdf-thang', { format: 'pdf', cron: '0 7 5 * *', period: 'last_month', recipients: ['a@vinhlong.test'] });
      expect(r.statusCode, r.body).toBe(201);
      const noChromium = { ...s.ctx, config: { ...s.ctx.config, chromium: '/nowhere/chromium' } };
      await new ReportScheduler(noChromium, { retry }).tick(new Date('2027-02-05T00:00:00Z'));
      const [failed] = await renderings('pdf-thang');
      expect(failed).toMatchObject({ periodKey: '2026-11', status: 'failed', sha256: null, size: 0, error: expect.stringContaining('Chromium'), deliveries: [] });
      const file = await s.app.inject({ url: `/api/reports/schedules/pdf-thang/renderings/${failed!.id}/file`, headers: steward.read });
      expect([file.statusCode, file.json<{ error: string }>().error]).toEqual([404, 'unknown_report_rendering']);
    });
  });
}
