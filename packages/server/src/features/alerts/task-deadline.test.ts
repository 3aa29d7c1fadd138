import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, apiTokenCreateSchema, fixedClock, type Alert, type AlertDetail, type DirectiveDocumentInput, type DirectiveDueAnswer, type GrantInput, type LiveEvent } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, type TestServer } from '../../testing';
import { IdentityService } from '../identity/service';
import { webhookPeer } from './test-support';

/** What the tests read of a webhook's body. */
type HookBody = { event: string; alert: { subject: string; agency: string | null; value: number | null } };

/**
 * Directive tasks against their deadlines, the clock moved by hand; every
 * Vietnam day (UTC+7) worked out by hand. Document 77/TB-UBND of 20 Nov:
 * - task 1, Sở Tài chính (VL-STC), due 10 Dec;
 * - task 2, Sở Y tế (VL-SYT), due 3 Dec;
 * - task 3, Sở Tài chính, monthly by the 5th: December's due 5 Dec.
 * The rule warns 3 days ahead, raises once overdue and again once more
 * than 7 days late.
 */
const NUMBER = '77/TB-UBND';
const STC = 'VL-STC';
const SYT = 'VL-SYT';
const DOCUMENT: DirectiveDocumentInput = {
  number: NUMBER,
  date: '2026-11-20',
  issuer: 'UBND tỉnh Vĩnh Long',
  signer: 'Chủ tịch (thử)',
  kind: 'conclusion',
  summary: 'Thông báo kết luận (thử nghiệm)',
  synthetic: true,
  tasks: [
    { key: '1', text: 'Rà soát dự toán', lead: STC, deadline: { kind: 'date', date: '2026-12-10' } },
    { key: '2', text: 'Kiểm tra cơ sở khám chữa bệnh', lead: SYT, deadline: { kind: 'date', date: '2026-12-03' } },
    { key: '3', text: 'Báo cáo thu ngân sách hằng tháng', lead: STC, deadline: { kind: 'monthly', day: 5, until: null } },
  ],
};

interface Person {
  headers: Record<string, string>;
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`directive task deadlines on ${engine.engine}`, () => {
    let s: TestServer;
    let hook: Awaited<ReturnType<typeof webhookPeer<HookBody>>>;
    const live: LiveEvent[] = [];
    const ids: Record<string, number> = {};
    const people: Record<'office' | 'stc' | 'syt' | 'leader', Person> = { office: { headers: {} }, stc: { headers: {} }, syt: { headers: {} }, leader: { headers: {} } };
    const person = async (name: string, roles: GrantInput[]): Promise<Person> => {
      const { token } = await new IdentityService(s.ctx).createToken(apiTokenCreateSchema.parse({ name, roles }), ANONYMOUS);
      return { headers: { authorization: `Bearer ${token}`, 'x-actor': name } };
    };
    const call = (who: Person | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
      s.app.inject({ method, url, ...(who ? { headers: who.headers } : {}), ...(payload === undefined ? {} : { payload }) });
    /** The server's clock and the alarm loop's tick at an instant. */
    const tick = async (iso: string) => {
      s.ctx.clock = fixedClock(iso);
      await s.app.alerts.tick(new Date(iso));
    };
    const alerts = async (who: Person | null = null) => (await call(who, 'GET', '/api/alerts?rule=TASK_DUE')).json<{ alerts: Alert[] }>().alerts;
    /** The rule's alerts, oldest first: subject, status, value. */
    const seen = async (who: Person | null = null) => (await alerts(who)).reverse().map((a) => [a.subjectKey, a.status, a.value]);
    const timeline = async (subject: string) => {
      const a = (await alerts()).find((x) => x.subjectKey === subject);
      return (await call(null, 'GET', `/api/alerts/${a?.id}`)).json<AlertDetail>();
    };
    const due = async (who: Person, days?: number) => {
      const r = await call(who, 'GET', `/api/directives/due${days === undefined ? '' : `?days=${days}`}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json<DirectiveDueAnswer>().tasks.map((t) => [t.key, t.occurrence, t.status, t.daysToDeadline]);
    };

    beforeAll(async () => {
      // The receiver listens on loopback: allowed, as an administrator would list it.
      s = await openTestServer(engine, { env: { WATCHFLOOR_OUTBOUND_ALLOW: '127.0.0.1' } });
      hook = await webhookPeer<HookBody>();
      s.ctx.live?.subscribe((e) => live.push(e.event));
      people.office = await person('van.phong', [{ role: 'leaders_office' }]);
      people.stc = await person('can.bo.stc', [{ role: 'agency_officer', organisationCode: STC }]);
      people.syt = await person('can.bo.syt', [{ role: 'agency_officer', organisationCode: SYT }]);
      people.leader = await person('lanh.dao', [{ role: 'leader' }]);
      s.ctx.clock = fixedClock('2026-11-20T03:00:00Z');
      const saved = await call(people.office, 'PUT', `/api/directives/documents/${encodeURIComponent(NUMBER)}`, DOCUMENT);
      expect(saved.statusCode, saved.body).toBe(201);
      for (const t of saved.json<{ tasks: { key: string; id: number }[] }>().tasks) ids[t.key] = t.id;
      const rule = await call(null, 'PUT', '/api/alert-rules/TASK_DUE', {
        names: { vi: 'Nhiệm vụ sắp đến hạn, quá hạn', en: 'Directive task due or overdue' },
        kind: 'task_deadline',
        subject: {},
        parameters: { dueWithinDays: 3, overdue: true, overdueMoreThanDays: 7 },
        severity: 'warning',
        webhook: hook.url,
      });
      expect(rule.statusCode, rule.body).toBe(201);
    });
    afterAll(async () => {
      await hook?.close();
      await s?.close();
    });

    it('warns 3 Vietnam days ahead from 00:00 there, once across ticks, told to the webhook and live', async () => {
      await tick('2026-11-29T03:00:00Z'); // 10:00 on 29 Nov: task 2 has 4 days left, task 3's December 6, task 1 11
      expect(await seen()).toEqual([]);
      await tick('2026-11-29T16:59:59Z'); // 23:59:59 on 29 Nov: still 4 days
      expect(await seen()).toEqual([]);
      await tick('2026-11-29T17:00:00Z'); // 00:00 on 30 Nov: 3 days left of 3 Dec
      await tick('2026-11-29T17:01:00Z');
      await tick('2026-11-30T03:00:00Z');
      expect(await seen()).toEqual([['task:77/TB-UBND#2|due_soon', 'open', 3]]);
      const [a] = await alerts();
      expect(a).toMatchObject({ kind: 'task_deadline', agency: SYT, placeCode: null, severity: 'warning' });
      expect(a?.message).toBe('Task 77/TB-UBND#2 of VL-SYT falls due on 2026-12-03, in 3 days: Kiểm tra cơ sở khám chữa bệnh');
      expect((await timeline('task:77/TB-UBND#2|due_soon')).timeline.map((e) => [e.kind, e.note])).toEqual([
        ['opened', 'due_soon'],
        ['notified', `webhook ${hook.url} delivered`],
      ]);
      expect(hook.received.map((m) => [m.event, m.alert.subject, m.alert.agency, m.alert.value])).toEqual([['opened', 'task:77/TB-UBND#2|due_soon', SYT, 3]]);
      expect(live).toContainEqual({ type: 'alert.changed', id: a?.id, rule: 'TASK_DUE', status: 'open', severity: 'warning' });
    });

    it('shows the lead agency’s officer its own tasks due soon and overdue on its desk, judged in Vietnam days', async () => {
      s.ctx.clock = fixedClock('2026-12-01T17:00:00Z'); // 00:00 on 2 Dec
      // Sở Tài chính: December's report due 5 Dec (3 days), task 1 due 10 Dec (8 days).
      expect(await due(people.stc)).toEqual([['3', '2026-12', 'received', 3]]);
      expect(await due(people.stc, 8)).toEqual([
        ['3', '2026-12', 'received', 3],
        ['1', null, 'received', 8],
      ]);
      expect(await due(people.syt, 0)).toEqual([]);
      expect(await due(people.syt)).toEqual([['2', null, 'received', 1]]);
      // Only those who report on tasks have the desk; the office and leaders read the overdue list instead.
      expect((await call(people.leader, 'GET', '/api/directives/due')).statusCode).toBe(403);
      expect((await call(people.office, 'GET', '/api/directives/due')).statusCode).toBe(403);
      expect((await call(people.stc, 'GET', '/api/directives/due?days=61')).statusCode).toBe(400);
    });

    it('warns of a recurring task’s occurrence on its own and resolves it once reported done', async () => {
      await tick('2026-12-01T17:00:00Z'); // 00:00 on 2 Dec: December's report due 5 Dec, 3 days left
      expect(await seen()).toEqual([
        ['task:77/TB-UBND#2|due_soon', 'open', 3],
        ['task:77/TB-UBND#3@2026-12|due_soon', 'open', 3],
      ]);
      // The lead agency sees its own task's alert, not the other agency's.
      expect((await seen(people.stc)).map(([k]) => k)).toEqual(['task:77/TB-UBND#3@2026-12|due_soon']);
      s.ctx.clock = fixedClock('2026-12-02T03:00:00Z');
      const done = await call(people.stc, 'POST', `/api/directives/tasks/${ids['3']}/reports`, { kind: 'done', occurrence: '2026-12', text: 'Đã gửi' });
      expect(done.statusCode, done.body).toBe(201);
      await tick('2026-12-02T04:00:00Z');
      expect(await seen()).toEqual([
        ['task:77/TB-UBND#2|due_soon', 'open', 3],
        ['task:77/TB-UBND#3@2026-12|due_soon', 'resolved', 3],
      ]);
      expect((await timeline('task:77/TB-UBND#3@2026-12|due_soon')).timeline.filter((e) => e.kind === 'resolved').map((e) => e.note)).toEqual(['task done_on_time']);
      expect(await due(people.stc)).toEqual([]);
    });

    it('raises overdue at 00:00 the day after the deadline in Vietnam, resolving the warning, and again once more than 7 days late', async () => {
      await tick('2026-12-03T16:59:59Z'); // 23:59:59 on 3 Dec: the deadline's last second
      expect((await seen()).filter(([, st]) => st === 'open')).toEqual([['task:77/TB-UBND#2|due_soon', 'open', 3]]);
      await tick('2026-12-03T17:00:00Z'); // 00:00 on 4 Dec: 1 day late
      await tick('2026-12-04T03:00:00Z');
      expect((await seen()).filter(([k]) => String(k).startsWith('task:77/TB-UBND#2'))).toEqual([
        ['task:77/TB-UBND#2|due_soon', 'resolved', 3],
        ['task:77/TB-UBND#2|overdue', 'open', -1],
      ]);
      expect((await timeline('task:77/TB-UBND#2|due_soon')).timeline.filter((e) => e.kind === 'resolved').map((e) => e.note)).toEqual(['now overdue']);
      expect((await timeline('task:77/TB-UBND#2|overdue')).message).toBe('Task 77/TB-UBND#2 of VL-SYT is overdue since 2026-12-03: 1 day late: Kiểm tra cơ sở khám chữa bệnh');
      expect(await due(people.syt)).toEqual([['2', null, 'overdue', -1]]);
      // 10 Dec: task 2 is 10 − 3 = 7 days late, not more; task 1 falls due today.
      await tick('2026-12-09T17:00:00Z');
      await tick('2026-12-10T16:59:59Z');
      expect((await seen()).filter(([, st]) => st === 'open')).toEqual([
        ['task:77/TB-UBND#2|overdue', 'open', -1],
        ['task:77/TB-UBND#1|due_soon', 'open', 0],
      ]);
      expect((await timeline('task:77/TB-UBND#1|due_soon')).message).toBe('Task 77/TB-UBND#1 of VL-STC falls due today (2026-12-10): Rà soát dự toán');
      await tick('2026-12-10T17:00:00Z'); // 00:00 on 11 Dec: task 2 is 8 days late, task 1 one
      expect((await seen()).filter(([, st]) => st === 'open')).toEqual([
        ['task:77/TB-UBND#1|overdue', 'open', -1],
        ['task:77/TB-UBND#2|long_overdue', 'open', -8],
      ]);
      expect((await timeline('task:77/TB-UBND#1|due_soon')).timeline.filter((e) => e.kind === 'resolved').map((e) => e.note)).toEqual(['now overdue']);
      expect((await timeline('task:77/TB-UBND#2|overdue')).timeline.filter((e) => e.kind === 'resolved').map((e) => e.note)).toEqual(['now long_overdue']);
      expect((await timeline('task:77/TB-UBND#2|long_overdue')).message).toBe('Task 77/TB-UBND#2 of VL-SYT is overdue by more than 7 days since 2026-12-03: 8 days late: Kiểm tra cơ sở khám chữa bệnh');
    });

    it('resolves a task extended past the window and one cancelled, each told to the webhook', async () => {
      s.ctx.clock = fixedClock('2026-12-12T03:00:00Z');
      expect((await call(people.stc, 'POST', `/api/directives/tasks/${ids['1']}/reports`, { kind: 'extension_requested', until: '2026-12-31', reason: 'Chờ số liệu quyết toán' })).statusCode).toBe(201);
      expect((await call(people.office, 'POST', `/api/directives/tasks/${ids['1']}/decisions`, { kind: 'extension_approved', until: '2026-12-31' })).statusCode).toBe(201);
      expect((await call(people.office, 'POST', `/api/directives/tasks/${ids['2']}/decisions`, { kind: 'cancelled', reason: 'Đã giao cho đơn vị khác' })).statusCode).toBe(201);
      await tick('2026-12-12T04:00:00Z');
      await tick('2026-12-12T05:00:00Z');
      expect((await seen()).filter(([, st]) => st !== 'resolved')).toEqual([]);
      expect((await timeline('task:77/TB-UBND#1|overdue')).timeline.filter((e) => e.kind === 'resolved').map((e) => e.note)).toEqual(['due 2026-12-31']);
      expect((await timeline('task:77/TB-UBND#2|long_overdue')).timeline.filter((e) => e.kind === 'resolved').map((e) => e.note)).toEqual(['task cancelled']);
      // Every opening and resolution reached the webhook, once each, in order.
      expect(hook.received.map((m) => [m.event, m.alert.subject])).toEqual([
        ['opened', 'task:77/TB-UBND#2|due_soon'],
        ['opened', 'task:77/TB-UBND#3@2026-12|due_soon'],
        ['resolved', 'task:77/TB-UBND#3@2026-12|due_soon'],
        ['resolved', 'task:77/TB-UBND#2|due_soon'],
        ['opened', 'task:77/TB-UBND#2|overdue'],
        ['opened', 'task:77/TB-UBND#1|due_soon'],
        ['resolved', 'task:77/TB-UBND#2|overdue'],
        ['resolved', 'task:77/TB-UBND#1|due_soon'],
        ['opened', 'task:77/TB-UBND#1|overdue'],
        ['opened', 'task:77/TB-UBND#2|long_overdue'],
        ['resolved', 'task:77/TB-UBND#1|overdue'],
        ['resolved', 'task:77/TB-UBND#2|long_overdue'],
      ]);
    });
  });
}
