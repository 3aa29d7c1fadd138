import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, apiTokenCreateSchema, fixedClock, type BreakdownResponse, type DirectiveDocumentInput, type DirectiveImportAnswer, type GrantInput } from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { REFERENCE_DATA_DIR } from '../../paths';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { IdentityService } from '../identity/service';
import { CATALOGUE_FILES, readCatalogues } from '../indicators/seed';

/**
 * The DIR_* figures written from directive tasks, the clock moved by hand.
 * Sở Tài chính (VL-STC) leads G, A, B, E and F; Sở Y tế (VL-SYT) C and D;
 * the People's Committee of phường Trà Vinh (UBND-29242, at commune 29242) H.
 * Vietnam time is UTC+7; every event is at 10:00 there.
 *
 * - G due 5 Oct, done 3 Oct: on time.        - A due 20 Oct, done 15 Oct: on time.
 * - B due 10 Oct, done 14 Oct: late.         - E due 28 Oct, cancelled 20 Oct: in no figure.
 * - H due 30 Oct, done 29 Oct: on time.      - C due 31 Oct, never done: overdue from 00:00 on 1 Nov.
 * - D due 25 Oct, extended on 20 Oct to 10 Nov, done 5 Nov: on time, and November's.
 * - F due 15 Dec: in progress, December's (a month of the year under way).
 */
const NUMBER = '88/TB-UBND';
const STC = 'VL-STC';
const SYT = 'VL-SYT';
const WARD = 'UBND-29242';

const DOCUMENT: DirectiveDocumentInput = {
  number: NUMBER,
  date: '2026-10-01',
  issuer: 'UBND tỉnh Vĩnh Long',
  signer: 'Chủ tịch (thử)',
  kind: 'conclusion',
  summary: 'Kết luận giao ban tháng 10 (thử nghiệm)',
  confirmDone: false,
  synthetic: true,
  tasks: [
    { key: 'G', text: 'Nhiệm vụ G', lead: STC, deadline: { kind: 'date', date: '2026-10-05' } },
    { key: 'A', text: 'Nhiệm vụ A', lead: STC, deadline: { kind: 'date', date: '2026-10-20' } },
    { key: 'B', text: 'Nhiệm vụ B', lead: STC, deadline: { kind: 'date', date: '2026-10-10' } },
    { key: 'E', text: 'Nhiệm vụ E', lead: STC, deadline: { kind: 'date', date: '2026-10-28' } },
    { key: 'F', text: 'Nhiệm vụ F', lead: STC, deadline: { kind: 'date', date: '2026-12-15' } },
    { key: 'C', text: 'Nhiệm vụ C', lead: SYT, deadline: { kind: 'date', date: '2026-10-31' } },
    { key: 'D', text: 'Nhiệm vụ D', lead: SYT, deadline: { kind: 'date', date: '2026-10-25' } },
    { key: 'H', text: 'Nhiệm vụ H', lead: WARD, deadline: { kind: 'date', date: '2026-10-30' } },
  ],
};

const tenAm = (day: string) => `${day}T03:00:00Z`;

/** A month's counts: assigned, on time, late, overdue, in progress. */
type Counts = [number, number, number, number, number];
const CODES = ['DIR_ASSIGNED', 'DIR_DONE_ON_TIME', 'DIR_DONE_LATE', 'DIR_OVERDUE', 'DIR_IN_PROGRESS'];

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`directive figures (DIR_*) on ${engine.engine}`, () => {
    let s: TestServer;
    const ids: Record<string, number> = {};
    const headers: Record<string, Record<string, string>> = {};
    const person = async (name: string, roles: GrantInput[]) => {
      const { token } = await new IdentityService(s.ctx).createToken(apiTokenCreateSchema.parse({ name, roles }), ANONYMOUS);
      headers[name] = { authorization: `Bearer ${token}`, 'x-actor': name };
    };
    const at = async (instant: string) => {
      s.ctx.clock = fixedClock(instant);
    };
    const post = async (who: string, key: string, kind: 'reports' | 'decisions', payload: object) => {
      const r = await s.app.inject({ method: 'POST', url: `/api/directives/tasks/${ids[key]}/${kind}`, headers: headers[who], payload });
      expect(r.statusCode, r.body).toBe(201);
    };
    const figures = () => s.ctx.directiveFigures!;
    /** The counts stored for a month, per agency ('' for the province) with the place each is filed at. */
    const stored = async (month: string) => {
      const rows = await s.store.db
        .selectFrom('observation')
        .select(['indicator_code', 'place_code', 'org_code', 'value', 'source'])
        .where('period_key', '=', month)
        .where('indicator_code', 'in', CODES)
        .execute();
      const out: Record<string, { place: string; counts: Counts }> = {};
      for (const r of rows) {
        expect(r.source).toBe('WF-DIRECTIVES');
        const e = (out[r.org_code] ??= { place: r.place_code, counts: [0, 0, 0, 0, 0] });
        expect(e.place).toBe(r.place_code);
        e.counts[CODES.indexOf(r.indicator_code)] = Number(r.value);
      }
      return out;
    };
    const revisions = async () => Number((await s.store.db.selectFrom('observation_revision').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const observations = async () => Number((await s.store.db.selectFrom('observation').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    beforeAll(async () => {
      s = await openTestServer(engine);
      const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.directives]);
      await new IndicatorsRepository(s.store.db).upsert(definitions, TEST_NOW);
      await person('van.phong', [{ role: 'leaders_office' }]);
      await person('stc', [{ role: 'agency_officer', organisationCode: STC }]);
      await person('syt', [{ role: 'agency_officer', organisationCode: SYT }]);
      await person('ward', [{ role: 'agency_officer', organisationCode: WARD }]);
      await person('leader', [{ role: 'leader' }]);
    }, 120_000);
    afterAll(async () => s?.close());

    it('writes each agency’s month and the province’s total after the document is saved and after each report and decision', async () => {
      await at(tenAm('2026-10-02'));
      const saved = await s.app.inject({ method: 'PUT', url: `/api/directives/documents/${encodeURIComponent(NUMBER)}`, headers: headers['van.phong'], payload: DOCUMENT });
      expect(saved.statusCode, saved.body).toBe(201);
      for (const t of saved.json<DirectiveImportAnswer>().tasks) ids[t.key] = t.id;
      await figures().idle();
      // On 2 October nothing is due yet: every task of October is in progress, F is December's.
      expect(await stored('2026-10')).toEqual({
        [STC]: { place: '86', counts: [4, 0, 0, 0, 4] },
        [SYT]: { place: '86', counts: [2, 0, 0, 0, 2] },
        [WARD]: { place: '29242', counts: [1, 0, 0, 0, 1] },
        '': { place: '86', counts: [7, 0, 0, 0, 7] },
      });
      expect(await stored('2026-12')).toEqual({ [STC]: { place: '86', counts: [1, 0, 0, 0, 1] }, '': { place: '86', counts: [1, 0, 0, 0, 1] } });
      expect(await stored('2026-11')).toEqual({});

      await at(tenAm('2026-10-03'));
      await post('stc', 'G', 'reports', { kind: 'done', text: 'Xong' });
      await at(tenAm('2026-10-14'));
      await post('stc', 'B', 'reports', { kind: 'done', text: 'Xong, trễ' });
      await at(tenAm('2026-10-15'));
      await post('stc', 'A', 'reports', { kind: 'done', text: 'Xong' });
      await at(tenAm('2026-10-20'));
      await post('syt', 'D', 'reports', { kind: 'extension_requested', until: '2026-11-10', reason: 'Chờ số liệu' });
      await post('van.phong', 'D', 'decisions', { kind: 'extension_approved', until: '2026-11-10' });
      await post('van.phong', 'E', 'decisions', { kind: 'cancelled', reason: 'Không còn cần thiết' });
      await at(tenAm('2026-10-29'));
      await post('ward', 'H', 'reports', { kind: 'done', text: 'Xong' });
      await figures().idle();
      // October: Sở Tài chính G and A on time, B late, E cancelled (out); Sở Y tế C not yet due, D moved to November; the ward H on time.
      expect(await stored('2026-10')).toEqual({
        [STC]: { place: '86', counts: [3, 2, 1, 0, 0] },
        [SYT]: { place: '86', counts: [1, 0, 0, 0, 1] },
        [WARD]: { place: '29242', counts: [1, 1, 0, 0, 0] },
        '': { place: '86', counts: [5, 3, 1, 0, 1] },
      });
      expect(await stored('2026-11')).toEqual({ [SYT]: { place: '86', counts: [1, 0, 0, 0, 1] }, '': { place: '86', counts: [1, 0, 0, 0, 1] } });
    });

    it('a task falls overdue at 00:00 Vietnam time the day after its deadline, by the alarm loop’s daily tick alone', async () => {
      // 23:59:59 on 31 October in Vietnam: C is still on time.
      await s.app.alerts.tick(new Date('2026-10-31T16:59:59Z'));
      expect((await stored('2026-10'))[SYT]?.counts).toEqual([1, 0, 0, 0, 1]);
      // A second tick the same Vietnam day does not recompute (nothing written either way).
      const before = await revisions();
      await s.app.alerts.tick(new Date('2026-10-31T16:59:59.500Z'));
      expect(await revisions()).toBe(before);
      // 00:00 on 1 November: C is overdue, and the province's October with it.
      await s.app.alerts.tick(new Date('2026-10-31T17:00:00Z'));
      expect((await stored('2026-10'))[SYT]?.counts).toEqual([1, 0, 0, 1, 0]);
      expect((await stored('2026-10'))['']?.counts).toEqual([5, 3, 1, 1, 0]);
    });

    it('extended then done before the new deadline is on time in the month of that deadline', async () => {
      await at(tenAm('2026-11-05'));
      await post('syt', 'D', 'reports', { kind: 'done', text: 'Xong trong hạn gia hạn' });
      await figures().idle();
      expect(await stored('2026-11')).toEqual({ [SYT]: { place: '86', counts: [1, 1, 0, 0, 0] }, '': { place: '86', counts: [1, 1, 0, 0, 0] } });
    });

    it('the same answer computed again writes nothing: no run, no new figure, no revision', async () => {
      const counts = [await observations(), await revisions()];
      const again = await figures().recompute();
      expect(again).toEqual({ written: 0, rejected: 0, runId: null, months: [] });
      expect([await observations(), await revisions()]).toEqual(counts);
    });

    it('adds up to the year: the counts summed over its months and the on-time rate recomputed from them', async () => {
      const year = async (code: string, by: 'organisation' | 'place') => {
        const r = await s.app.inject({ method: 'GET', url: `/api/indicators/${code}/breakdown?place=86&period=2026&by=${by}&at=2026-11-05`, headers: headers['leader'] });
        expect(r.statusCode, r.body).toBe(200);
        return Object.fromEntries(r.json<BreakdownResponse>().items.map((i) => [i.key, i.value]));
      };
      // Sở Tài chính: G, A on time, B late, F in progress (E cancelled): 4 assigned, 2 of 3 with an outcome on time.
      // Sở Y tế: D on time, C overdue: 1 of 2. The ward: H, 1 of 1.
      expect(await year('DIR_ASSIGNED', 'organisation')).toEqual({ [STC]: 4, [SYT]: 2, [WARD]: 1 });
      const rate = await year('DIR_ON_TIME_RATE', 'organisation');
      expect(rate[STC]).toBeCloseTo((2 / 3) * 100, 6);
      expect(rate[SYT]).toBe(50);
      expect(rate[WARD]).toBe(100);
      // The province: 7 assigned (October 5, November 1, December 1), on time G, A, H, D of G, A, H, D, B, C: 4 of 6.
      const province = async (code: string) => {
        const r = await s.app.inject({ method: 'GET', url: `/api/indicators/${code}/series?place=86&from=2026&to=2026&at=2026-11-05`, headers: headers['leader'] });
        expect(r.statusCode, r.body).toBe(200);
        return r.json<{ points: { period: string; value: number | null }[] }>().points.find((p) => p.period === '2026')?.value;
      };
      expect(await province('DIR_ASSIGNED')).toBe(7);
      expect(await province('DIR_OVERDUE')).toBe(1);
      expect(await province('DIR_ON_TIME_RATE')).toBeCloseTo((4 / 6) * 100, 6);
    });
  });
}
