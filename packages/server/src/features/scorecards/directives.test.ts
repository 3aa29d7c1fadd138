import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANONYMOUS,
  apiTokenCreateSchema,
  fixedClock,
  type BreakdownResponse,
  type DirectiveDocumentInput,
  type DirectiveImportAnswer,
  type GrantInput,
  type Scorecard,
  type ScorecardsResponse,
} from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { REFERENCE_DATA_DIR } from '../../paths';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { IdentityService } from '../identity/service';
import { CATALOGUE_FILES, readCatalogues } from '../indicators/seed';

/**
 * Directive tasks on the agency scorecards. Now is 28 November 2026, 10:00
 * in Vietnam; every event is at 10:00 there on its day.
 *
 * Sở Tài chính (VL-STC): A due 10 Nov done 9 Nov (on time), B due 12 Nov
 * done 14 Nov (late), C due 20 Nov never done (overdue), D due 30 Nov open
 * (not yet due), E due 15 Nov cancelled (in no count). Sở Y tế (VL-SYT): F
 * due 5 Nov done 4 Nov (on time), G due 10 Dec open. Phường Nguyệt Hóa's
 * People's Committee (UBND-29254, commune 29254): H due 18 Nov done that day.
 */
const NUMBER = '140/TB-UBND';
const STC = 'VL-STC';
const SYT = 'VL-SYT';
const WARD = 'UBND-29254';

const DOCUMENT: DirectiveDocumentInput = {
  number: NUMBER,
  date: '2026-11-02',
  issuer: 'UBND tỉnh Vĩnh Long',
  signer: 'Chủ tịch (thử)',
  kind: 'conclusion',
  summary: 'Kết luận giao ban tháng 11 (thử nghiệm)',
  confirmDone: false,
  synthetic: true,
  tasks: [
    { key: 'A', text: 'Nhiệm vụ A', lead: STC, deadline: { kind: 'date', date: '2026-11-10' } },
    { key: 'B', text: 'Nhiệm vụ B', lead: STC, deadline: { kind: 'date', date: '2026-11-12' } },
    { key: 'C', text: 'Nhiệm vụ C', lead: STC, deadline: { kind: 'date', date: '2026-11-20' } },
    { key: 'D', text: 'Nhiệm vụ D', lead: STC, deadline: { kind: 'date', date: '2026-11-30' } },
    { key: 'E', text: 'Nhiệm vụ E', lead: STC, deadline: { kind: 'date', date: '2026-11-15' } },
    { key: 'F', text: 'Nhiệm vụ F', lead: SYT, deadline: { kind: 'date', date: '2026-11-05' } },
    { key: 'G', text: 'Nhiệm vụ G', lead: SYT, deadline: { kind: 'date', date: '2026-12-10' } },
    { key: 'H', text: 'Nhiệm vụ H', lead: WARD, deadline: { kind: 'date', date: '2026-11-18' } },
  ],
};

const tenAm = (day: string) => `${day}T03:00:00Z`;

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`directive tasks on the agency scorecards on ${engine.engine}`, () => {
    let s: TestServer;
    const ids: Record<string, number> = {};
    const headers: Record<string, Record<string, string>> = {};
    const person = async (name: string, roles: GrantInput[]) => {
      const { token } = await new IdentityService(s.ctx).createToken(apiTokenCreateSchema.parse({ name, roles }), ANONYMOUS);
      headers[name] = { authorization: `Bearer ${token}`, 'x-actor': name };
    };
    const post = async (instant: string, who: string, key: string, kind: 'reports' | 'decisions', payload: object) => {
      s.ctx.clock = fixedClock(instant);
      const r = await s.app.inject({ method: 'POST', url: `/api/directives/tasks/${ids[key]}/${kind}`, headers: headers[who], payload });
      expect(r.statusCode, r.body).toBe(201);
    };
    const cards = async (who: string, query: string): Promise<ScorecardsResponse> => {
      const r = await s.app.inject({ method: 'GET', url: `/api/scorecards?${query}`, headers: headers[who] });
      expect(r.statusCode, r.body).toBe(200);
      return r.json<ScorecardsResponse>();
    };
    const directives = (card: Scorecard | undefined) => card?.components.find((c) => c.key === 'directivesOnTime');

    beforeAll(async () => {
      s = await openTestServer(engine);
      const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.directives]);
      await new IndicatorsRepository(s.store.db).upsert(definitions, TEST_NOW);
      await person('van.phong', [{ role: 'leaders_office' }]);
      await person('stc', [{ role: 'agency_officer', organisationCode: STC }]);
      await person('syt', [{ role: 'agency_officer', organisationCode: SYT }]);
      await person('ward', [{ role: 'agency_officer', organisationCode: WARD, placeCode: '29254' }]);
      await person('leader', [{ role: 'leader' }]);
      s.ctx.clock = fixedClock(tenAm('2026-11-02'));
      const saved = await s.app.inject({ method: 'PUT', url: `/api/directives/documents/${encodeURIComponent(NUMBER)}`, headers: headers['van.phong'], payload: DOCUMENT });
      expect(saved.statusCode, saved.body).toBe(201);
      for (const t of saved.json<DirectiveImportAnswer>().tasks) ids[t.key] = t.id;
      await post(tenAm('2026-11-04'), 'syt', 'F', 'reports', { kind: 'done', text: 'Xong' });
      await post(tenAm('2026-11-09'), 'stc', 'A', 'reports', { kind: 'done', text: 'Xong' });
      await post(tenAm('2026-11-10'), 'van.phong', 'E', 'decisions', { kind: 'cancelled', reason: 'Không còn cần thiết' });
      await post(tenAm('2026-11-14'), 'stc', 'B', 'reports', { kind: 'done', text: 'Xong, trễ' });
      await post(tenAm('2026-11-18'), 'ward', 'H', 'reports', { kind: 'done', text: 'Xong' });
      s.ctx.clock = fixedClock(TEST_NOW);
      await s.ctx.directiveFigures!.recompute();
    }, 120_000);
    afterAll(async () => s?.close());

    it('scores each lead agency on its tasks done on time over those done or overdue, a task not yet due or cancelled left out', async () => {
      const body = await cards('leader', 'period=2026-11&place=86');
      expect(body.weights).toEqual({ dossierOnTime: 0.32, caseOnTime: 0.24, directivesOnTime: 0.2, dataPunctuality: 0.24 });
      const by = new Map(body.agencies.map((a) => [a.organisation.code, a]));
      // Sở Tài chính: A on time, B late, C overdue; D not yet due and E cancelled count nowhere: 1 of 3.
      expect(directives(by.get(STC))).toMatchObject({ numerator: 1, denominator: 3, weight: 0.2, effectiveWeight: 1 });
      // Its only component: the composite is 100 × 1/3.
      expect(by.get(STC)?.composite).toBe(33.33);
      // Sở Y tế: F on time; G falls due in December. The ward: H on time.
      expect(directives(by.get(SYT))).toMatchObject({ numerator: 1, denominator: 1, value: 1 });
      expect(directives(by.get(WARD))).toMatchObject({ numerator: 1, denominator: 1, value: 1 });
      expect(body.agencies.filter((a) => a.composite !== null).map((a) => [a.rank, a.organisation.code, a.composite])).toEqual([
        [1, SYT, 100],
        [1, WARD, 100],
        [3, STC, 33.33],
      ]);
    });

    it('reads the same as the DIR_ON_TIME_RATE figure of the agency for the period', async () => {
      const r = await s.app.inject({ method: 'GET', url: '/api/indicators/DIR_ON_TIME_RATE/breakdown?place=86&period=2026-11&by=organisation', headers: headers['leader'] });
      expect(r.statusCode, r.body).toBe(200);
      const rate = Object.fromEntries(r.json<BreakdownResponse>().items.map((i) => [i.key, i.value]));
      expect(rate[STC]).toBeCloseTo(100 / 3, 6);
      expect(directives((await cards('leader', 'period=2026-11')).agencies.find((a) => a.organisation.code === STC))?.value).toBeCloseTo(1 / 3, 10);
    });

    it('leaves the component out of a period whose tasks are not yet due', async () => {
      // December: only G, in progress.
      const december = await cards('leader', 'period=2026-12&place=86');
      const syt = december.agencies.find((a) => a.organisation.code === SYT);
      expect(directives(syt)).toMatchObject({ numerator: 0, denominator: 0, value: null, effectiveWeight: 0, contribution: null });
      expect(syt?.composite).toBeNull();
      // The year: November's tasks, G still not due.
      const year = await cards('leader', 'period=2026&place=86');
      expect(directives(year.agencies.find((a) => a.organisation.code === STC))).toMatchObject({ numerator: 1, denominator: 3 });
      expect(directives(year.agencies.find((a) => a.organisation.code === SYT))).toMatchObject({ numerator: 1, denominator: 1 });
    });

    it('counts for an agency officer only the tasks their agency leads, and a commune only its own agencies', async () => {
      const own = await cards('stc', 'period=2026-11&place=86');
      expect(own.agencies.map((a) => a.organisation.code)).toEqual([STC]);
      expect(directives(own.agencies[0])).toMatchObject({ numerator: 1, denominator: 3 });
      const ward = await cards('leader', 'period=2026-11&place=29254');
      expect(ward.agencies.filter((a) => a.composite !== null).map((a) => [a.organisation.code, a.composite])).toEqual([[WARD, 100]]);
    });
  });
}
