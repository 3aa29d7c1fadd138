import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GrantInput } from '@watchfloor/core';
import { MessagesRepository, SourcesRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { REFERENCE_DATA_DIR } from '../../paths';
import { openTestServer, signInAs, TEST_NOW, type TestServer } from '../../testing';
import { AlertService } from '../alerts/service';
import { seedCaseCategories } from '../cases/seed';
import { MessageSender } from './sender';
import { smtpPeer } from './test-support';

const T0 = Date.parse(TEST_NOW); // 2026-11-28T03:00Z = 10:00 in Vietnam
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** A local server speaking as Zalo's OA message API: refuses user 999 with a 500, accepts the others. */
async function zaloPeer(): Promise<{ url: string; received: { headers: IncomingMessage['headers']; path: string; body: unknown }[]; close(): Promise<void> }> {
  const received: { headers: IncomingMessage['headers']; path: string; body: unknown }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { recipient?: { user_id?: string } };
      received.push({ headers: req.headers, path: req.url ?? '', body: parsed });
      res.setHeader('content-type', 'application/json');
      if (parsed.recipient?.user_id === '999') {
        res.statusCode = 500;
        res.end('{"error":-32,"message":"busy"}');
      } else res.end('{"error":0,"message":"Success","data":{"message_id":"m1","user_id":"1"}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v3.0/oa/message/cs`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A mail's text with its quoted-printable UTF-8 decoded. */
const decoded = (data: string) => data.replace(/=\r?\n/g, '').replace(/(=[0-9A-F]{2})+/g, (m) => Buffer.from(m.replace(/=/g, ''), 'hex').toString('utf8'));

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`messages to people on ${engine.engine}`, () => {
    let s: TestServer;
    let smtp: Awaited<ReturnType<typeof smtpPeer>>;
    let zalo: Awaited<ReturnType<typeof zaloPeer>>;
    let sender: MessageSender;
    let reading = 0;

    beforeAll(async () => {
      smtp = await smtpPeer();
      zalo = await zaloPeer();
      s = await openTestServer(engine, {
        env: {
          // The SMTP server and the gateway listen on loopback: allowed, as an administrator would list them.
          ...smtp.env,
          WATCHFLOOR_GATEWAY_PRESET: 'zalo_oa',
          WATCHFLOOR_GATEWAY_URL: zalo.url,
          WATCHFLOOR_GATEWAY_SECRET: 'oa-access-token',
        },
      });
      sender = new MessageSender(s.ctx, { retry: { attempts: 3, delaysMs: [60_000, 300_000] } });
      for (const [code, severity] of [
        ['MSG_WARN', 'warning'],
        ['MSG_CRIT', 'critical'],
      ] as const) {
        const r = await s.app.inject({
          method: 'PUT',
          url: `/api/alert-rules/${code}`,
          payload: { names: { vi: 'Ngưỡng', en: 'Threshold' }, kind: 'threshold', subject: { datastream: code }, parameters: { high: 10 }, severity },
        });
        expect(r.statusCode).toBe(201);
      }
    });
    afterAll(async () => {
      await s?.close();
      await smtp?.close();
      await zalo?.close();
    });

    /** Opens an alert of a rule at a ward (a reading above 10), as the stream would. */
    const open = async (rule: string, place: string, when: Date) => {
      reading += 1;
      await s.app.alertStream.evaluate([{ station: `ST${reading}`, datastream: rule, placeCode: place, at: when.toISOString(), value: 12 }]);
    };
    const person = async (login: string, place: string, preferences: object) => {
      const who = await signInAs(s, login, [{ role: 'operator', placeCode: place }]);
      const r = await s.app.inject({ method: 'PUT', url: '/api/me/message-preferences', headers: who.write, payload: preferences });
      expect(r.statusCode).toBe(200);
      return who;
    };

    it('e-mails an operator whose scope holds the alert that opened, not one whose scope does not; the Zalo preset posts its documented request', async () => {
      const a = await person('op.travinh', '29242', { channels: ['email', 'gateway'], email: 'op.travinh@vinhlong.test', zaloId: '1234567890', minSeverity: 'warning' });
      await person('op.longduc', '29254', { channels: ['email'], email: 'op.longduc@vinhlong.test', minSeverity: 'info' });
      const mine = (await s.app.inject({ url: '/api/me/message-preferences', headers: a.read })).json<{ preferences: { email: string }; defaults: boolean; receivesAlerts: boolean }>();
      expect(mine).toMatchObject({ defaults: false, receivesAlerts: true, preferences: { email: 'op.travinh@vinhlong.test' } });

      await open('MSG_WARN', '29242', at(0));
      // Nothing is sent by the request or the evaluation itself: only the sender's tick sends.
      expect(smtp.mails).toHaveLength(0);
      await sender.tick(at(0));
      expect(smtp.mails.map((m) => m.to)).toEqual([['op.travinh@vinhlong.test']]);
      expect(smtp.mails[0]?.data).toMatch(/^From: .*<ioc@vinhlong\.test>$/m);
      // Vietnamese text survives the trip (quoted-printable UTF-8): "Cảnh báo".
      expect(smtp.mails[0]?.data).toContain('C=E1=BA=A3nh b=C3=A1o');
      expect(zalo.received).toHaveLength(1);
      expect(zalo.received[0]?.path).toBe('/v3.0/oa/message/cs');
      expect(zalo.received[0]?.headers.access_token).toBe('oa-access-token');
      expect(zalo.received[0]?.headers['content-type']).toBe('application/json');
      expect(zalo.received[0]?.body).toEqual({ recipient: { user_id: '1234567890' }, message: { text: expect.stringContaining('[Cảnh báo] Cảnh báo #') as string } });
      // Each is recorded sent; a second tick sends nothing again.
      await sender.tick(at(1));
      expect(smtp.mails).toHaveLength(1);
      const rows = await new MessagesRepository(s.store.db).bySource((await new MessagesRepository(s.store.db).ofUser((await userId('op.travinh'))))[0]?.source_key ?? '');
      expect(rows.map((m) => [m.channel, m.status, m.attempts])).toEqual([
        ['email', 'sent', 1],
        ['gateway', 'sent', 1],
      ]);
    });

    const userId = async (login: string) => (await s.store.db.selectFrom('app_user').select('id').where('login', '=', login).executeTakeFirstOrThrow()).id;

    it('holds a warning back in quiet hours until they end, and lets a critical alert through', async () => {
      // 22:00 to 06:00 Vietnam time; 16:00Z is 23:00 in Vietnam, quiet hours end at 06:00 = 23:00Z.
      await person('op.night', '29242', { channels: ['email'], email: 'op.night@vinhlong.test', minSeverity: 'warning', quietHours: { from: '22:00', to: '06:00' } });
      const night = new Date(Date.UTC(2026, 10, 28, 16, 0));
      const before = smtp.mails.length;
      await open('MSG_WARN', '29242', night);
      await open('MSG_CRIT', '29242', night);
      await sender.tick(night);
      const toNight = () => smtp.mails.slice(before).filter((m) => m.to.includes('op.night@vinhlong.test'));
      expect(toNight()).toHaveLength(1);
      expect(toNight()[0]?.data).toContain('Subject:');
      const mine = await new MessagesRepository(s.store.db).ofUser(await userId('op.night'));
      expect(mine.map((m) => [m.severity, m.status])).toEqual([
        ['critical', 'sent'],
        ['warning', 'held'],
      ]);
      expect(mine[1]?.next_attempt_at).toBe('2026-11-28T23:00:00.000Z');
      // Still quiet at 05:59 in Vietnam; at 06:00 the warning goes.
      await sender.tick(new Date(Date.UTC(2026, 10, 28, 22, 59)));
      expect(toNight()).toHaveLength(1);
      await sender.tick(new Date(Date.UTC(2026, 10, 28, 23, 0)));
      expect(toNight()).toHaveLength(2);
    });

    it('retries a message the gateway refuses, with backoff, then records it failed with the error', async () => {
      await person('op.busy', '29242', { channels: ['gateway'], zaloId: '999', minSeverity: 'warning' });
      const t = at(600);
      await open('MSG_WARN', '29242', t);
      await sender.tick(t);
      const busy = async () => (await new MessagesRepository(s.store.db).ofUser(await userId('op.busy')))[0];
      expect(await busy()).toMatchObject({ status: 'queued', attempts: 1, last_error: 'HTTP 500', next_attempt_at: new Date(t.getTime() + 60_000).toISOString() });
      // Not due yet: not tried.
      const tries = () => zalo.received.filter((r) => (r.body as { recipient: { user_id: string } }).recipient.user_id === '999').length;
      await sender.tick(new Date(t.getTime() + 30_000));
      expect(tries()).toBe(1);
      await sender.tick(new Date(t.getTime() + 60_000));
      expect(await busy()).toMatchObject({ status: 'queued', attempts: 2, next_attempt_at: new Date(t.getTime() + 360_000).toISOString() });
      await sender.tick(new Date(t.getTime() + 360_000));
      expect(await busy()).toMatchObject({ status: 'failed', attempts: 3, last_error: 'HTTP 500', next_attempt_at: null });
      expect(tries()).toBe(3);
    });

    it('is sent by one instance at a time: the one holding the lease sends, the other waits', async () => {
      await person('op.lease', '29242', { channels: ['email'], email: 'op.lease@vinhlong.test', minSeverity: 'warning' });
      const t = at(2000);
      await open('MSG_WARN', '29242', t);
      const other = new MessageSender(s.ctx);
      expect(await sender.tickUnderLease('instance-a', t)).toBe(true);
      expect(await other.tickUnderLease('instance-b', t)).toBe(false);
      const toLease = smtp.mails.filter((m) => m.to.includes('op.lease@vinhlong.test'));
      expect(toLease).toHaveLength(1);
      // Once the lease has lapsed (60 s), the other instance takes over and finds nothing left to send.
      expect(await other.tickUnderLease('instance-b', new Date(t.getTime() + 61_000))).toBe(true);
      expect(smtp.mails.filter((m) => m.to.includes('op.lease@vinhlong.test'))).toHaveLength(1);
    });

    it('tells again when an alert nobody acknowledged escalates', async () => {
      const r = await s.app.inject({
        method: 'PUT',
        url: '/api/alert-rules/MSG_ESC',
        payload: { names: { vi: 'Ngưỡng', en: 'Threshold' }, kind: 'threshold', subject: { datastream: 'MSG_ESC' }, parameters: { high: 10 }, severity: 'critical', escalation: [{ afterMinutes: 15, level: 1 }] },
      });
      expect(r.statusCode).toBe(201);
      await person('op.esc', '29242', { channels: ['email'], email: 'op.esc@vinhlong.test', minSeverity: 'critical' });
      const t = at(3000);
      await open('MSG_ESC', '29242', t);
      await sender.tick(t);
      // 15 minutes later, unacknowledged: the alarm loop escalates it to level 1, and the sender tells of it.
      const later = new Date(t.getTime() + 15 * 60_000);
      await new AlertService(s.ctx).tick(later);
      await sender.tick(later);
      const mails = smtp.mails.filter((m) => m.to.includes('op.esc@vinhlong.test'));
      expect(mails).toHaveLength(2);
      // "chuyển cấp 1" (escalated to level 1), quoted-printable.
      expect(mails[1]?.data).toContain('chuy=E1=BB=83n c=E1=BA=A5p 1');
    });

    it('tells the lead agency’s officers of a directive task due by the end of the day in Vietnam, then once it is overdue, each once; not another agency’s', async () => {
      const office = await signInAs(s, 'vp.msg', [{ role: 'leaders_office' }]);
      const officer = async (login: string, organisationCode: string) => {
        const who = await signInAs(s, login, [{ role: 'agency_officer', organisationCode }]);
        const r = await s.app.inject({ method: 'PUT', url: '/api/me/message-preferences', headers: who.write, payload: { channels: ['email'], email: `${login}@vinhlong.test`, minSeverity: 'critical' } });
        expect(r.statusCode).toBe(200);
        return who;
      };
      const stc = await officer('cb.stc', 'VL-STC');
      await officer('cb.syt', 'VL-SYT');
      await officer('cb.sct', 'VL-SCT');
      // Sở Tài chính's task is due 28/11, Sở Y tế's 30/11 (each by the end of that day in Vietnam).
      const doc = await s.app.inject({
        method: 'PUT',
        url: `/api/directives/documents/${encodeURIComponent('71/TB-UBND')}`,
        headers: office.write,
        payload: {
          number: '71/TB-UBND',
          date: '2026-11-02',
          issuer: 'UBND tỉnh Vĩnh Long',
          signer: 'Chủ tịch (thử)',
          kind: 'conclusion',
          summary: 'Thông báo kết luận (thử nghiệm)',
          confirmDone: false,
          synthetic: true,
          tasks: [
            { key: '1', text: 'Báo cáo giải ngân', lead: 'VL-STC', deadline: { kind: 'date', date: '2026-11-28' } },
            { key: '2', text: 'Kiểm tra cơ sở y tế', lead: 'VL-SYT', deadline: { kind: 'date', date: '2026-11-30' } },
          ],
        },
      });
      expect(doc.statusCode, doc.body).toBe(201);
      const to = (login: string) => smtp.mails.filter((m) => m.to.includes(`${login}@vinhlong.test`)).map((m) => decoded(m.data));

      // 10:00 on 28/11 in Vietnam: task 1 is due within the day; task 2 is two days off.
      await sender.tick(at(0));
      expect(to('cb.stc')).toHaveLength(1);
      expect(to('cb.stc')[0]).toContain('[Sắp đến hạn] Nhiệm vụ 1 – 71/TB-UBND');
      expect(to('cb.stc')[0]).toContain('Hạn hết ngày 28/11/2026.');
      expect(to('cb.syt')).toHaveLength(0);
      // A repeated tick, an hour later, tells nothing again.
      await sender.tick(at(60));
      expect(to('cb.stc')).toHaveLength(1);

      // Midnight in Vietnam (17:00Z) turns 29/11: task 1 is overdue; task 2 still more than a day off.
      await sender.tick(new Date(Date.UTC(2026, 10, 28, 17, 0)));
      expect(to('cb.stc')).toHaveLength(2);
      expect(to('cb.stc')[1]).toContain('[Quá hạn] Nhiệm vụ 1 – 71/TB-UBND');
      expect(to('cb.syt')).toHaveLength(0);
      // At 23:59 on 29/11 task 2 is not yet within its last day; at 00:00 on 30/11 it is, and only Sở Y tế's officer is told.
      await sender.tick(new Date(Date.UTC(2026, 10, 29, 16, 59)));
      expect(to('cb.syt')).toHaveLength(0);
      await sender.tick(new Date(Date.UTC(2026, 10, 29, 17, 0)));
      expect(to('cb.syt')).toHaveLength(1);
      expect(to('cb.syt')[0]).toContain('[Sắp đến hạn] Nhiệm vụ 2 – 71/TB-UBND');
      expect(to('cb.stc')).toHaveLength(2);
      expect(to('cb.sct')).toHaveLength(0);

      // Each reads their own messages, the latest first, with their delivery state; a bare token has none to read.
      const mine = await s.app.inject({ url: '/api/me/messages', headers: stc.read });
      expect(mine.statusCode).toBe(200);
      expect(mine.json<{ messages: object[] }>().messages).toEqual([
        expect.objectContaining({ channel: 'email', address: 'cb.stc@vinhlong.test', topic: 'due_soon', subject: '[Quá hạn] Nhiệm vụ 1 – 71/TB-UBND', status: 'sent', attempts: 1, sentAt: '2026-11-28T17:00:00.000Z' }),
        expect.objectContaining({ subject: '[Sắp đến hạn] Nhiệm vụ 1 – 71/TB-UBND', status: 'sent', sentAt: '2026-11-28T03:00:00.000Z' }),
      ]);
      expect((await s.app.inject({ url: '/api/me/messages' })).statusCode).toBe(403);
    });

    /** Someone holding `grants` who sets their own preferences: by e-mail to <login>@vinhlong.test unless `prefs` says otherwise. */
    const someone = async (login: string, grants: GrantInput[], prefs: object = {}) => {
      const who = await signInAs(s, login, grants);
      const r = await s.app.inject({ method: 'PUT', url: '/api/me/message-preferences', headers: who.write, payload: { channels: ['email'], email: `${login}@vinhlong.test`, minSeverity: 'critical', ...prefs } });
      expect(r.statusCode, r.body).toBe(200);
      return who;
    };
    /** The mails one address received, decoded. */
    const mailsTo = (login: string) => smtp.mails.filter((m) => m.to.includes(`${login}@vinhlong.test`)).map((m) => decoded(m.data));

    it('tells an agency’s officers of a case routed to it when received, and of one assigned to it later, once each; not another agency’s', async () => {
      await seedCaseCategories(s.store, { dataDir: REFERENCE_DATA_DIR, clock: s.ctx.clock });
      await someone('cb.case.sxd', [{ role: 'agency_officer', organisationCode: 'VL-SXD' }]);
      await someone('cb.case.ubnd', [{ role: 'agency_officer', organisationCode: 'UBND-29242' }], { language: 'en' });
      await someone('cb.case.syt', [{ role: 'agency_officer', organisationCode: 'VL-SYT' }]);
      // Street lighting goes to Sở Xây dựng; 48 hours from 10:00 on 28/11 in Vietnam.
      const opened = await s.app.inject({ method: 'POST', url: '/api/cases', payload: { category: 'CHIEU_SANG', title: 'Đèn đường không sáng', lat: 9.9063, lon: 106.3419 } });
      expect(opened.statusCode, opened.body).toBe(201);
      const id = opened.json<{ id: string }>().id;
      expect(mailsTo('cb.case.sxd')).toHaveLength(0);
      await sender.tick(at(5));
      expect(mailsTo('cb.case.sxd')).toHaveLength(1);
      expect(mailsTo('cb.case.sxd')[0]).toContain(`[Phản ánh mới] ${id}: Đèn đường không sáng`);
      expect(mailsTo('cb.case.sxd')[0]).toContain('Hạn xử lý: 30/11/2026 10:00.');
      expect(mailsTo('cb.case.sxd')[0]).toContain(`/cases/${id}`);
      expect(mailsTo('cb.case.ubnd')).toHaveLength(0);
      // Passed to the ward's People's Committee: its officer is told, in the English they asked for; Sở Xây dựng's is not told again.
      expect((await s.app.inject({ method: 'POST', url: `/api/cases/${id}/assign`, payload: { organisation: 'UBND-29242' } })).statusCode).toBe(200);
      await sender.tick(at(6));
      await sender.tick(at(7));
      expect(mailsTo('cb.case.ubnd')).toHaveLength(1);
      expect(mailsTo('cb.case.ubnd')[0]).toContain(`[Case assigned] ${id}: Đèn đường không sáng`);
      expect(mailsTo('cb.case.sxd')).toHaveLength(1);
      expect(mailsTo('cb.case.syt')).toHaveLength(0);
      expect((await new MessagesRepository(s.store.db).ofUser(await userId('cb.case.ubnd'))).map((m) => [m.topic, m.status])).toEqual([['case_assigned', 'sent']]);
    });

    it('tells the handling agency’s officers of a dossier due within 24 hours, then once more when overdue; not of a resolved one, nor another agency’s', async () => {
      await someone('cb.dos.snnmt', [{ role: 'agency_officer', organisationCode: 'VL-SNNMT' }]);
      await someone('cb.dos.vp', [{ role: 'agency_officer', organisationCode: 'VL-VP' }]);
      const dossier = (code: string, organisation: string, dueAt: string, resolvedAt: string | null = null) => ({ code, procedure: '1.004227', procedureName: 'Cấp giấy phép khai thác nước', organisation, receivedAt: '2026-11-20T08:00:00+07:00', dueAt, resolvedAt, channel: 'online' });
      const saved = await s.app.inject({
        method: 'PUT',
        url: '/api/dossiers',
        payload: {
          dossiers: [
            // Due at 17:00 today in Vietnam; due in a week; resolved already.
            dossier('MSG-D1', 'VL-SNNMT', '2026-11-28T17:00:00+07:00'),
            dossier('MSG-D2', 'VL-SNNMT', '2026-12-05T17:00:00+07:00'),
            dossier('MSG-D3', 'VL-VP', '2026-11-28T16:00:00+07:00', '2026-11-27T09:00:00+07:00'),
          ],
        },
      });
      expect(saved.statusCode, saved.body).toBe(200);
      await sender.tick(at(10));
      await sender.tick(at(20));
      expect(mailsTo('cb.dos.snnmt')).toHaveLength(1);
      expect(mailsTo('cb.dos.snnmt')[0]).toContain('[Hồ sơ sắp đến hạn] MSG-D1');
      expect(mailsTo('cb.dos.snnmt')[0]).toContain('Hạn giải quyết: 28/11/2026 17:00.');
      // 17:01 in Vietnam: overdue, told once more, once.
      await sender.tick(new Date(Date.UTC(2026, 10, 28, 10, 1)));
      await sender.tick(new Date(Date.UTC(2026, 10, 28, 10, 2)));
      expect(mailsTo('cb.dos.snnmt')).toHaveLength(2);
      expect(mailsTo('cb.dos.snnmt')[1]).toContain('[Hồ sơ quá hạn] MSG-D1');
      expect(mailsTo('cb.dos.vp')).toHaveLength(0);
    });

    it('tells a late source’s owner’s stewards and officers once per lateness; again when it delivers and goes late anew; nobody else', async () => {
      await someone('ds.late.sxd', [{ role: 'data_steward', organisationCode: 'VL-SXD' }], { language: 'en' });
      await someone('ds.late.syt', [{ role: 'data_steward', organisationCode: 'VL-SYT' }]);
      await someone('op.late', [{ role: 'operator' }], { minSeverity: 'info' });
      // A push due every hour, registered at 08:00 in Vietnam and silent since: late from 09:00.
      await new SourcesRepository(s.store.db).insert({ code: 'SXD-PUSH', name: 'Sở Xây dựng — đẩy', kind: 'http_push', ownerOrgCode: 'VL-SXD', expected: { every: 'PT1H' }, schedule: null, mapping: null, credentialsEnc: null, tokenHash: null, enabled: true, createdAt: '2026-11-28T01:00:00Z', updatedAt: '2026-11-28T01:00:00Z' });
      await sender.tick(at(30));
      await sender.tick(at(40));
      expect(mailsTo('ds.late.sxd')).toHaveLength(1);
      expect(mailsTo('ds.late.sxd')[0]).toContain('[Data late] Sở Xây dựng — đẩy (SXD-PUSH)');
      expect(mailsTo('ds.late.sxd')[0]).toContain('Late since 28/11/2026 09:00 (Vietnam time).');
      expect(mailsTo('cb.case.sxd').filter((m) => m.includes('[Chậm dữ liệu] Sở Xây dựng — đẩy (SXD-PUSH)'))).toHaveLength(1);
      // It delivers at 10:45 and is due again at 11:45: quiet until then, told again after.
      await s.store.db.updateTable('source').set({ last_arrival_at: '2026-11-28T03:45:00.000Z' }).where('code', '=', 'SXD-PUSH').execute();
      await sender.tick(at(50));
      expect(mailsTo('ds.late.sxd')).toHaveLength(1);
      await sender.tick(at(120));
      expect(mailsTo('ds.late.sxd')).toHaveLength(2);
      expect(mailsTo('ds.late.sxd')[1]).toContain('Late since 28/11/2026 11:45');
      expect(mailsTo('ds.late.syt')).toHaveLength(0);
      expect(mailsTo('op.late').filter((m) => m.includes('SXD-PUSH'))).toHaveLength(0);
    });

    it('tells who asks for it of a report archived on schedule, with the link to download it: a leader of the province by their role’s defaults; not a ward’s leader, nor who turned the topic off', async () => {
      await someone('leader.report', [{ role: 'leader' }], { followRole: true });
      await someone('leader.ward', [{ role: 'leader', placeCode: '29242' }]);
      await someone('op.report', [{ role: 'operator' }], { topics: ['alert'] });
      const archive = async (size: number, period: string) =>
        (
          await s.store.db
            .insertInto('report_rendering')
            .values({ schedule_code: 'KTXH-THANG', template_code: 'KTXH', period_key: period, format: 'docx', rendered_at: at(60).toISOString(), sha256: size > 0 ? 'ab12' : '', size, content: Buffer.alloc(size) })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      const id = await archive(4, '2026-10');
      await sender.tick(at(61));
      await sender.tick(at(62));
      expect(mailsTo('leader.report')).toHaveLength(1);
      expect(mailsTo('leader.report')[0]).toContain('[Báo cáo] KTXH – kỳ 2026-10');
      expect(mailsTo('leader.report')[0]).toContain(`${s.ctx.config.publicUrl}/api/reports/schedules/KTXH-THANG/renderings/${id}/file`);
      expect(mailsTo('leader.ward')).toHaveLength(0);
      expect(mailsTo('op.report')).toHaveLength(0);
      // A run that made no file is not told of.
      await archive(0, '2026-09');
      await sender.tick(at(63));
      expect(mailsTo('leader.report')).toHaveLength(1);
    });

    it('lets an administrator set a role’s defaults, which hold for who follows their role; a person may turn a topic off themselves', async () => {
      const admin = await signInAs(s, 'admin.msg', [{ role: 'administrator' }]);
      const leader = await signInAs(s, 'leader.notadmin', [{ role: 'leader' }]);
      const url = '/api/messages/role-preferences/agency_officer';
      const built = await s.app.inject({ url, headers: admin.read });
      expect(built.json()).toEqual({ role: 'agency_officer', stored: false, updatedAt: null, preferences: { channels: ['email'], minSeverity: 'critical', topics: ['case_assigned', 'due_soon', 'late_source'], quietHours: null } });
      expect((await s.app.inject({ url, headers: leader.read })).statusCode).toBe(403);
      expect((await s.app.inject({ method: 'PUT', url, headers: leader.write, payload: { channels: [], minSeverity: 'info', topics: [] } })).statusCode).toBe(403);
      const set = await s.app.inject({ method: 'PUT', url, headers: admin.write, payload: { channels: ['email'], minSeverity: 'critical', topics: ['due_soon', 'late_source'], quietHours: { from: '22:00', to: '06:00' } } });
      expect(set.statusCode, set.body).toBe(200);
      expect(set.json()).toMatchObject({ stored: true, preferences: { topics: ['due_soon', 'late_source'], quietHours: { from: '22:00', to: '06:00' } } });
      const audit = (await s.app.inject('/api/audit?entity=message_role_preference')).json<{ events: { actor: string; action: string; entityKey: string }[] }>();
      expect(audit.events.find((e) => e.actor === 'admin.msg')).toMatchObject({ action: 'message_role_preference.set', entityKey: 'agency_officer' });

      // One officer follows the role (only their address is theirs); another keeps their own choices but turns cases off.
      const follower = await someone('cb.follow.sxd', [{ role: 'agency_officer', organisationCode: 'VL-SXD' }], { followRole: true });
      await someone('cb.nocase.sxd', [{ role: 'agency_officer', organisationCode: 'VL-SXD' }], { topics: ['due_soon'] });
      const mine = (await s.app.inject({ url: '/api/me/message-preferences', headers: follower.read })).json<{ defaults: boolean; preferences: { topics: string[]; email: string; quietHours: object } }>();
      expect(mine).toMatchObject({ defaults: true, preferences: { topics: ['due_soon', 'late_source'], email: 'cb.follow.sxd@vinhlong.test', quietHours: { from: '22:00', to: '06:00' } } });
      const before = mailsTo('cb.case.sxd').length;
      const opened = await s.app.inject({ method: 'POST', url: '/api/cases', payload: { category: 'CHIEU_SANG', title: 'Cột đèn nghiêng', lat: 9.9063, lon: 106.3419 } });
      expect(opened.statusCode, opened.body).toBe(201);
      await sender.tick(at(70));
      expect(mailsTo('cb.case.sxd')).toHaveLength(before + 1);
      expect(mailsTo('cb.follow.sxd')).toHaveLength(0);
      expect(mailsTo('cb.nocase.sxd')).toHaveLength(0);
    });

    it('keeps preferences to their owner: a bare token has none, a channel needs its address, and each change is audited', async () => {
      expect((await s.app.inject({ method: 'PUT', url: '/api/me/message-preferences', payload: { channels: [], minSeverity: 'info' } })).statusCode).toBe(403);
      const who = await signInAs(s, 'leader.pref', [{ role: 'leader' }]);
      const defaults = (await s.app.inject({ url: '/api/me/message-preferences', headers: who.read })).json<{ defaults: boolean; preferences: { minSeverity: string } }>();
      expect(defaults).toMatchObject({ defaults: true, preferences: { minSeverity: 'critical' } });
      const bad = await s.app.inject({ method: 'PUT', url: '/api/me/message-preferences', headers: who.write, payload: { channels: ['email'], minSeverity: 'info' } });
      expect([bad.statusCode, bad.json<{ error: string }>().error]).toEqual([400, 'invalid_body']);
      const ok = await s.app.inject({ method: 'PUT', url: '/api/me/message-preferences', headers: who.write, payload: { channels: ['email'], email: 'lanhdao@vinhlong.test', minSeverity: 'warning' } });
      expect(ok.statusCode).toBe(200);
      const audit = (await s.app.inject('/api/audit?entity=message_preference')).json<{ events: { actor: string; action: string; after: { email: string } }[] }>();
      expect(audit.events.find((e) => e.actor === 'leader.pref')).toMatchObject({ action: 'message_preference.set', after: { email: 'lanhdao@vinhlong.test' } });
    });
  });
}
