import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, apiTokenCreateSchema, fixedClock, type DirectiveCompletionAnswer, type DirectiveDocumentInput, type DirectiveImportAnswer, type DirectiveTaskDetail, type GrantInput } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, type TestServer } from '../../testing';
import { IdentityService } from '../identity/service';

/**
 * A directive document from its import to its completion figures, the
 * clock moved by hand. Sở Tài chính (VL-STC) leads tasks 1, 2 and the
 * monthly task 5; Sở Y tế (VL-SYT) leads 3 and 4. Every status, day late
 * and figure is worked out by hand in each test.
 *
 * Timeline (Vietnam time is UTC+7):
 * - 20 Nov 10:00: task 5's November report (due 25 Nov) is done → on time;
 * - 28 Nov 10:00: task 1 (due 30 Nov) done → on time; task 2 (due 25 Nov)
 *   done → late by 3 days; Sở Y tế asks to move task 4 (due 30 Nov) to 10 Dec;
 * - 29 Nov 10:00: the office approves the extension;
 * - 30 Nov 23:59:59 Vietnam: task 3 (due 30 Nov) is still on time;
 *   at 00:00 on 1 Dec it is overdue, by 1 day;
 * - 5 Dec 10:00: task 4 done → on time against its extended deadline,
 *   extended, its original deadline kept.
 */
const NUMBER = '125/TB-UBND';
const STC = 'VL-STC';
const SYT = 'VL-SYT';

const DOCUMENT: DirectiveDocumentInput = {
  number: NUMBER,
  date: '2026-11-02',
  issuer: 'UBND tỉnh Vĩnh Long',
  signer: 'Chủ tịch (thử)',
  kind: 'conclusion',
  summary: 'Kết luận của Chủ tịch tại cuộc họp giao ban tháng 11 (thử nghiệm)',
  synthetic: true,
  tasks: [
    { key: '1', text: 'Rà soát dự toán', lead: STC, deadline: { kind: 'date', date: '2026-11-30' } },
    { key: '2', text: 'Báo cáo giải ngân', lead: STC, cooperating: [SYT], deadline: { kind: 'date', date: '2026-11-25' } },
    { key: '3', text: 'Kiểm tra cơ sở khám chữa bệnh', lead: SYT, deadline: { kind: 'date', date: '2026-11-30' } },
    { key: '4', text: 'Đề án y tế cơ sở', lead: SYT, deadline: { kind: 'date', date: '2026-11-30' } },
    { key: '5', text: 'Báo cáo thu ngân sách hằng tháng', lead: STC, deadline: { kind: 'monthly', day: 25, until: null } },
  ],
};

/** The clock at an instant. */
const clockAt = (iso: string) => fixedClock(iso);
/** 10:00 in Vietnam on a day. */
const tenAm = (day: string) => `${day}T03:00:00Z`;

interface Person {
  headers: Record<string, string>;
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`leadership directives on ${engine.engine}`, () => {
    let s: TestServer;
    const ids: Record<string, number> = {};
    const people: Record<'office' | 'stc' | 'syt' | 'leader', Person> = { office: { headers: {} }, stc: { headers: {} }, syt: { headers: {} }, leader: { headers: {} } };
    const person = async (name: string, roles: GrantInput[]): Promise<Person> => {
      const { token } = await new IdentityService(s.ctx).createToken(apiTokenCreateSchema.parse({ name, roles }), ANONYMOUS);
      return { headers: { authorization: `Bearer ${token}`, 'x-actor': name } };
    };
    const call = (who: Person | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
      s.app.inject({ method, url, headers: who?.headers ?? {}, ...(payload === undefined ? {} : { payload }) });
    const docUrl = `/api/directives/documents/${encodeURIComponent(NUMBER)}`;
    const report = (who: Person, key: string, body: object) => call(who, 'POST', `/api/directives/tasks/${ids[key]}/reports`, body);
    const decide = (key: string, body: object) => call(people.office, 'POST', `/api/directives/tasks/${ids[key]}/decisions`, body);
    const task = async (key: string, who: Person = people.leader) => {
      const r = await call(who, 'GET', `/api/directives/tasks/${ids[key]}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json<DirectiveTaskDetail>();
    };
    const refusal = (r: { statusCode: number; json: <T>() => T }) => [r.statusCode, r.json<{ error: string }>().error];
    const ok = (r: { statusCode: number; body: string }, status = 201) => expect(r.statusCode, r.body).toBe(status);

    beforeAll(async () => {
      s = await openTestServer(engine);
      people.office = await person('van.phong', [{ role: 'leaders_office' }]);
      people.stc = await person('can.bo.stc', [{ role: 'agency_officer', organisationCode: STC }]);
      people.syt = await person('can.bo.syt', [{ role: 'agency_officer', organisationCode: SYT }]);
      people.leader = await person('lanh.dao', [{ role: 'leader' }]);
    }, 120_000);
    afterAll(async () => s?.close());

    it('imports a JSON document by its number, twice without duplicates, and a re-sent changed task keeps its events', async () => {
      s.ctx.clock = clockAt(tenAm('2026-11-03'));
      const first = await call(people.office, 'PUT', docUrl, DOCUMENT);
      ok(first);
      const answer = first.json<DirectiveImportAnswer>();
      expect(answer.created).toBe(true);
      expect(answer.plan).toEqual({ added: ['1', '2', '3', '4', '5'], changed: [], unchanged: [], missing: [] });
      for (const t of answer.tasks) ids[t.key] = t.id;
      expect(answer.tasks.find((t) => t.key === '2')).toMatchObject({ taskId: '125/TB-UBND#2', lead: { code: STC }, cooperating: [{ code: SYT }], state: { status: 'received', deadline: '2026-11-25', daysToDeadline: 22 } });

      // Sent again, the number written otherwise: the same document, nothing added.
      const again = await call(people.office, 'PUT', `/api/directives/documents/${encodeURIComponent('125 / tb-ubnd')}`, { ...DOCUMENT, number: '125 / tb-ubnd' });
      ok(again, 200);
      expect(again.json<DirectiveImportAnswer>().plan).toEqual({ added: [], changed: [], unchanged: ['1', '2', '3', '4', '5'], missing: [] });
      const count = async (table: 'directive_document' | 'directive_task') => Number((await s.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      expect([await count('directive_document'), await count('directive_task')]).toEqual([1, 5]);

      // A path naming another document is refused; the public sees nothing of an unpublished one.
      expect(refusal(await call(people.office, 'PUT', `/api/directives/documents/${encodeURIComponent('126/TB-UBND')}`, DOCUMENT))).toEqual([400, 'invalid_directive_document']);
      expect((await s.anonymous({ url: '/api/directives/documents' })).json()).toEqual({ documents: [] });
      expect(refusal(await s.anonymous({ url: docUrl }))).toEqual([404, 'unknown_directive_document']);
      expect(refusal(await s.anonymous({ url: `/api/directives/tasks/${ids['1']}` }))).toEqual([404, 'unknown_directive_task']);
    });

    it('a recurring task has one occurrence per month, each judged on its own', async () => {
      s.ctx.clock = clockAt(tenAm('2026-11-20'));
      expect(refusal(await report(people.stc, '5', { kind: 'done' }))).toEqual([404, 'unknown_directive_occurrence']);
      ok(await report(people.stc, '5', { kind: 'done', occurrence: '2026-11', text: 'Đã gửi báo cáo tháng 11' }));
      const t = (await task('5')).task;
      // From the document's date (2 Nov) through today (20 Nov): November's (due 25 Nov, already done); December's is the next.
      expect(t.occurrences.map((o) => [o.key, o.state.deadline, o.state.status])).toEqual([
        ['2026-11', '2026-11-25', 'done_on_time'],
        ['2026-12', '2026-12-25', 'received'],
      ]);
      expect([t.current, t.state?.status]).toEqual(['2026-12', 'received']);
    });

    it('done before the deadline is on time, after it late; another agency’s officer is refused', async () => {
      s.ctx.clock = clockAt(tenAm('2026-11-28'));
      // Sở Y tế's officer cannot even see Sở Tài chính's task; the leader's office does not report for an agency.
      expect(refusal(await report(people.syt, '1', { kind: 'done' }))).toEqual([404, 'unknown_directive_task']);
      expect(refusal(await call(people.office, 'POST', `/api/directives/tasks/${ids['1']}/reports`, { kind: 'done' }))).toEqual([403, 'forbidden']);
      ok(await report(people.stc, '1', { kind: 'progress', percent: 60, text: 'Đang rà soát' }));
      ok(await report(people.stc, '1', { kind: 'done', text: 'Đã rà soát xong' }));
      ok(await report(people.stc, '2', { kind: 'done', text: 'Đã báo cáo' }));
      const one = await task('1');
      expect(one.task.state).toMatchObject({ status: 'done_on_time', percent: 100, daysLate: 0, doneAt: '2026-11-28T03:00:00.000Z' });
      expect(one.events.map((e) => [e.kind, e.by, e.actor])).toEqual([
        ['progress', 'can.bo.stc', 'lead_agency'],
        ['done', 'can.bo.stc', 'lead_agency'],
      ]);
      // Due 25 Nov, done 28 Nov: 3 days late.
      expect((await task('2')).task.state).toMatchObject({ status: 'done_late', daysLate: 3 });
      // Nothing more on a task done.
      expect(refusal(await report(people.stc, '1', { kind: 'progress', percent: 100 }))).toEqual([409, 'directive_task_closed']);
      const audited = await s.store.db.selectFrom('audit_event').select(['action', 'actor', 'entity_key']).where('action', '=', 'directives.task.done').orderBy('id').execute();
      expect(audited.map((a) => [a.actor, a.entity_key])).toEqual([
        ['can.bo.stc', '125/TB-UBND#5@2026-11'],
        ['can.bo.stc', '125/TB-UBND#1'],
        ['can.bo.stc', '125/TB-UBND#2'],
      ]);
    });

    it('re-sent with a changed task, the task is updated in place and keeps its events', async () => {
      const changed = { ...DOCUMENT, tasks: DOCUMENT.tasks.map((t) => (t.key === '2' ? { ...t, text: 'Báo cáo giải ngân vốn đầu tư công' } : t)) };
      const r = await call(people.office, 'PUT', docUrl, changed);
      ok(r, 200);
      expect(r.json<DirectiveImportAnswer>().plan).toEqual({ added: [], changed: ['2'], unchanged: ['1', '3', '4', '5'], missing: [] });
      const two = await task('2');
      expect([two.task.id, two.task.text, two.task.state?.status, two.events.map((e) => e.kind)]).toEqual([ids['2'], 'Báo cáo giải ngân vốn đầu tư công', 'done_late', ['done']]);
    });

    it('an extension approved, then done before the new deadline, is done on time and extended', async () => {
      s.ctx.clock = clockAt(tenAm('2026-11-28'));
      expect(refusal(await report(people.syt, '4', { kind: 'extension_requested', until: '2026-11-30', reason: 'x' }))).toEqual([400, 'directive_deadline_not_later']);
      ok(await report(people.syt, '4', { kind: 'extension_requested', until: '2026-12-10', reason: 'Chờ ý kiến các sở' }));
      expect(refusal(await report(people.syt, '4', { kind: 'extension_requested', until: '2026-12-15', reason: 'x' }))).toEqual([409, 'directive_extension_pending']);
      s.ctx.clock = clockAt(tenAm('2026-11-29'));
      ok(await decide('4', { kind: 'extension_approved', until: '2026-12-10' }));
      s.ctx.clock = clockAt('2026-11-30T17:00:00Z');
      // Past the original deadline, not the one in force: extended, not overdue.
      expect((await task('4')).task.state).toMatchObject({ status: 'extended', deadline: '2026-12-10', originalDeadline: '2026-11-30', daysToDeadline: 9 });
      s.ctx.clock = clockAt(tenAm('2026-12-05'));
      ok(await report(people.syt, '4', { kind: 'done', text: 'Đã trình đề án' }));
      expect((await task('4')).task.state).toMatchObject({ status: 'done_on_time', extended: true, deadline: '2026-12-10', originalDeadline: '2026-11-30', daysLate: 0 });
    });

    it('a task due on 30 November is on time through 23:59:59 Vietnam time and overdue from 00:00 on 1 December', async () => {
      s.ctx.clock = clockAt('2026-11-30T16:59:59Z');
      expect((await task('3')).task.state).toMatchObject({ status: 'received', daysLate: 0, daysToDeadline: 0 });
      s.ctx.clock = clockAt('2026-11-30T17:00:00Z');
      expect((await task('3')).task.state).toMatchObject({ status: 'overdue', daysLate: 1, daysToDeadline: -1 });
    });

    it('lists the overdue tasks with their agency and days late, and documents with an overdue task', async () => {
      s.ctx.clock = clockAt(tenAm('2026-12-05'));
      const r = await call(people.leader, 'GET', '/api/directives/overdue');
      ok(r, 200);
      // Only task 3: due 30 Nov, 5 Dec − 30 Nov = 5 days late.
      expect(r.json<{ tasks: unknown[] }>().tasks).toEqual([
        expect.objectContaining({ taskId: ids['3'], documentNumber: NUMBER, key: '3', occurrence: null, lead: expect.objectContaining({ code: SYT }), deadline: '2026-11-30', daysLate: 5, extended: false }),
      ]);
      const listed = await call(people.leader, 'GET', '/api/directives/documents?overdue=true');
      expect(listed.json<{ documents: { number: string; tasks: number; counts: Record<string, number> }[] }>().documents).toEqual([
        // Tasks 1, 2 and 4 done (two on time, 4 extended then on time: three on time), 2 late, 3 overdue, 5 by its December occurrence: received.
        expect.objectContaining({ number: NUMBER, tasks: 5, counts: { received: 1, in_progress: 0, done_on_time: 2, done_late: 1, overdue: 1, extended: 0, cancelled: 0 } }),
      ]);
      // Sở Tài chính's officer sees its three tasks only.
      const own = (await call(people.stc, 'GET', docUrl)).json<{ tasks: { key: string; can: { report: boolean; manage: boolean } }[] }>();
      expect(own.tasks.map((t) => [t.key, t.can.report, t.can.manage])).toEqual([
        ['1', true, false],
        ['2', true, false],
        ['5', true, false],
      ]);
      expect((await call(people.stc, 'GET', '/api/directives/overdue')).json<{ tasks: unknown[] }>().tasks).toEqual([]);
      // The same list as CSV: the leader's holds task 3, the officer's only its header.
      const csv = await call(people.leader, 'GET', '/api/directives/overdue?format=csv');
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines[0]).toBe('Số văn bản,Ngày văn bản,Nhiệm vụ,Kỳ,Mã cơ quan chủ trì,Cơ quan chủ trì,Hạn,Hạn ban đầu,Số ngày quá hạn,Tiến độ (%)');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(`${NUMBER},`);
      expect(lines[1]).toContain(`,${SYT},`);
      expect(lines[1]).toMatch(/,2026-11-30,2026-11-30,5,\d+$/);
      const ownCsv = await call(people.stc, 'GET', '/api/directives/overdue?format=csv');
      expect(ownCsv.body.replace(/^\uFEFF/, '').trim().split('\r\n')).toHaveLength(1);
    });

    it('counts completion by lead agency for a period, each figure worked by hand', async () => {
      s.ctx.clock = clockAt(tenAm('2026-12-05'));
      const november = (await call(people.leader, 'GET', '/api/directives/completion?from=2026-11-01&to=2026-11-30')).json<DirectiveCompletionAnswer>();
      // Sở Tài chính: task 1 (due 30 Nov, on time), task 2 (due 25 Nov, late), task 5's November (due 25 Nov, on time): 2 of 3 on time.
      // Sở Y tế: task 3 (due 30 Nov, overdue); task 4's deadline in force is 10 Dec, so it counts in December.
      expect(november.agencies.map((a) => [a.organisation, a.assigned, a.doneOnTime, a.doneLate, a.overdue, a.inProgress, a.extended, a.onTimeRate.numerator, a.onTimeRate.denominator])).toEqual([
        [STC, 3, 2, 1, 0, 0, 0, 2, 3],
        [SYT, 1, 0, 0, 1, 0, 0, 0, 1],
      ]);
      expect(november.total).toMatchObject({ assigned: 4, doneOnTime: 2, doneLate: 1, overdue: 1, inProgress: 0, onTimeRate: { numerator: 2, denominator: 4, value: 0.5 } });
      const december = (await call(people.leader, 'GET', '/api/directives/completion?from=2026-12-01&to=2026-12-31')).json<DirectiveCompletionAnswer>();
      // Sở Tài chính: task 5's December (due 25 Dec, not yet due): in progress, no rate. Sở Y tế: task 4, on time and extended.
      expect(december.agencies.map((a) => [a.organisation, a.assigned, a.doneOnTime, a.inProgress, a.extended, a.onTimeRate.value])).toEqual([
        [STC, 1, 0, 1, 0, null],
        [SYT, 1, 1, 0, 1, 1],
      ]);
      expect(refusal(await call(people.leader, 'GET', '/api/directives/completion?from=2026-12-31&to=2026-12-01'))).toEqual([400, 'invalid_parameter']);
    });
  });
}
