import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, apiTokenCreateSchema, type DirectiveDocumentDetail, type DirectiveDocumentSummary, type GrantInput } from '@watchfloor/core';
import { DatasetsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { IdentityService } from '../identity/service';
import { DIRECTIVES_DEMO_OFFICER_AGENCY, seedDirectivesDemo } from './demo';

/**
 * The leadership directives demo seeded on the shipped geography and demo
 * organisations, the clock at 28 November 2026, 10:00 in Vietnam. Its
 * dates count from that day (T), so by hand:
 * - MAU-12/TB-UBND (T-60 = 29 Sep, confirmed by the office): task 1 due
 *   T-30 = 29 Oct, done T-35 and confirmed → on time; task 2 due T-40 =
 *   19 Oct, done T-37 = 22 Oct → 3 days late; task 3 due T-10 = 18 Nov, at
 *   40 % → overdue by 10 days; task 4 (Phường Trà Vinh) due T+20 = 18 Dec,
 *   at 30 % → in progress, 20 days to go;
 * - MAU-45/CT-UBND (T-45 = 14 Oct): task 1 due T+25 → received; task 2 due
 *   T-5 = 23 Nov, extended on T-10 to T+15 = 13 Dec → extended; task 3
 *   cancelled; task 4 monthly by the 25th: October's and November's sent
 *   on the 23rd → on time, December's open → received; task 5 regular, at
 *   50 % → in progress;
 * - MAU-7/KH-UBND (T-20): task 1 due T+40 → received; task 2 due T-2 =
 *   26 Nov, done T-3 → on time.
 */
const EXPECTED: [string, string, string][] = [
  ['MAU-12/TB-UBND', '1', 'done_on_time'],
  ['MAU-12/TB-UBND', '2', 'done_late'],
  ['MAU-12/TB-UBND', '3', 'overdue'],
  ['MAU-12/TB-UBND', '4', 'in_progress'],
  ['MAU-45/CT-UBND', '1', 'received'],
  ['MAU-45/CT-UBND', '2', 'extended'],
  ['MAU-45/CT-UBND', '3', 'cancelled'],
  ['MAU-45/CT-UBND', '4', 'received'],
  ['MAU-45/CT-UBND', '5', 'in_progress'],
  ['MAU-7/KH-UBND', '1', 'received'],
  ['MAU-7/KH-UBND', '2', 'done_on_time'],
];

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`the leadership directives demo on ${engine.engine}`, () => {
    let s: TestServer;
    let officer: Record<string, string>;
    const count = async (table: 'directive_document' | 'directive_task' | 'directive_task_event') => Number((await s.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const get = async <T>(url: string, headers: Record<string, string> = {}) => {
      const r = await s.app.inject({ url, headers });
      expect(r.statusCode, r.body).toBe(200);
      return r.json<T>();
    };
    const doc = (number: string, headers?: Record<string, string>) => get<DirectiveDocumentDetail>(`/api/directives/documents/${encodeURIComponent(number)}`, headers);

    beforeAll(async () => {
      s = await openTestServer(engine);
      expect(s.ctx.clock.now().toISOString()).toBe(new Date(TEST_NOW).toISOString());
      const roles: GrantInput[] = [{ role: 'agency_officer', organisationCode: DIRECTIVES_DEMO_OFFICER_AGENCY, placeCode: '29242' }];
      const { token } = await new IdentityService(s.ctx).createToken(apiTokenCreateSchema.parse({ name: 'demo-officer', roles }), ANONYMOUS);
      officer = { authorization: `Bearer ${token}` };
    }, 120_000);
    afterAll(async () => s?.close());

    it('seeds three synthetic documents with a task in every status, judged today', async () => {
      const report = await seedDirectivesDemo(s.ctx);
      expect(report).toEqual({ documents: 3, added: ['MAU-12/TB-UBND', 'MAU-45/CT-UBND', 'MAU-7/KH-UBND'] });
      const documents = (await get<{ documents: DirectiveDocumentSummary[] }>('/api/directives/documents')).documents;
      expect(documents.map((d) => [d.number, d.date, d.synthetic, d.summary.includes('không phải văn bản thật')])).toEqual([
        ['MAU-7/KH-UBND', '2026-11-08', true, true],
        ['MAU-45/CT-UBND', '2026-10-14', true, true],
        ['MAU-12/TB-UBND', '2026-09-29', true, true],
      ]);
      const statuses: [string, string, string][] = [];
      for (const number of ['MAU-12/TB-UBND', 'MAU-45/CT-UBND', 'MAU-7/KH-UBND']) for (const t of (await doc(number)).tasks) statuses.push([number, t.key, t.state!.status]);
      expect(statuses).toEqual(EXPECTED);
      // 7 steps on the conclusion, 6 on the directive (an extension asked and given, a cancellation, two months sent, a regular report), 1 on the plan.
      expect([await count('directive_document'), await count('directive_task'), await count('directive_task_event')]).toEqual([3, 11, 14]);
    });

    it('tells each task’s particulars as they were worked out by hand', async () => {
      const conclusion = await doc('MAU-12/TB-UBND');
      const task = (key: string) => conclusion.tasks.find((t) => t.key === key)!.state!;
      expect(task('2')).toMatchObject({ deadline: '2026-10-19', daysLate: 3, doneAt: '2026-10-22T07:00:00.000Z' });
      expect(task('3')).toMatchObject({ deadline: '2026-11-18', daysLate: 10, percent: 40 });
      expect(task('4')).toMatchObject({ deadline: '2026-12-18', daysToDeadline: 20, percent: 30 });
      const directive = await doc('MAU-45/CT-UBND');
      expect(directive.tasks.find((t) => t.key === '2')!.state).toMatchObject({ deadline: '2026-12-13', originalDeadline: '2026-11-23', extended: true });
      const monthly = directive.tasks.find((t) => t.key === '4')!;
      expect(monthly.occurrences.map((o) => [o.key, o.state.deadline, o.state.status])).toEqual([
        ['2026-10', '2026-10-25', 'done_on_time'],
        ['2026-11', '2026-11-25', 'done_on_time'],
        ['2026-12', '2026-12-25', 'received'],
      ]);
      expect(directive.tasks.find((t) => t.key === '5')!.deadline).toEqual({ kind: 'regular' });
      // The published conclusion only is the public's.
      expect((await s.anonymous({ url: '/api/directives/documents' })).json<{ documents: DirectiveDocumentSummary[] }>().documents.map((d) => d.number)).toEqual(['MAU-12/TB-UBND']);
    });

    it('gives the demo officer’s ward a task in progress to report done, and the overdue list its late task', async () => {
      const own = (await doc('MAU-12/TB-UBND', officer)).tasks.find((t) => t.lead.code === DIRECTIVES_DEMO_OFFICER_AGENCY)!;
      expect([own.key, own.state!.status, own.can.report]).toEqual(['4', 'in_progress', true]);
      const overdue = await get<{ tasks: { documentNumber: string; key: string; daysLate: number }[] }>('/api/directives/overdue');
      expect(overdue.tasks.map((t) => [t.documentNumber, t.key, t.daysLate])).toEqual([['MAU-12/TB-UBND', '3', 10]]);
    });

    it('is seeded once: a second start adds nothing, and the data set says it is synthetic', async () => {
      const before = [await count('directive_document'), await count('directive_task'), await count('directive_task_event')];
      expect(await seedDirectivesDemo(s.ctx)).toEqual({ documents: 3, added: [] });
      expect([await count('directive_document'), await count('directive_task'), await count('directive_task_event')]).toEqual(before);
      const dataset = await new DatasetsRepository(s.store.db).get('demo-directives');
      expect(JSON.parse(dataset!.summary)).toMatchObject({ synthetic: { source: 'demo-generator (synthetic)' } });
    });
  });
}
