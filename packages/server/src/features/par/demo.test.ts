import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, leavesFor, type ParAssessment, type ParCycle, type ParLeafAssessment, type ParResults, type ParUnitStatus } from '@watchfloor/core';
import { ALL_ROWS, DatasetsRepository, IndicatorsRepository, ParRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { REFERENCE_DATA_DIR } from '../../paths';
import { openTestServer, signInAs, TEST_NOW, type TestServer } from '../../testing';
import { CATALOGUE_FILES, readCatalogues } from '../indicators/seed';
import { ObservationWriter } from '../ingest/observations';
import { scoreFromFigures } from './computed';
import { PAR_DEMO_NEXT, PAR_DEMO_OFFICER_UNIT, PAR_DEMO_SUBMITTED, seedParDemo } from './demo';

/**
 * The PAR Index demo seeded on the shipped geography and organisations,
 * the indicator catalogue, and a few figures of Phường Trà Vinh written
 * here (the demo's own synthetic figures are added by the seed). The clock
 * reads 28 November 2026, 10:00 in Vietnam.
 */
const WARD = PAR_DEMO_OFFICER_UNIT; // UBND-29242, Phường Trà Vinh
const STC = 'VL-STC';

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`the PAR Index demo on ${engine.engine}`, () => {
    let s: TestServer;
    let leader: Record<string, string>;
    let first: Awaited<ReturnType<typeof seedParDemo>>;
    let cycles: ParCycle[];
    const cycleOf = (year: number) => cycles.find((c) => c.year === year)!;

    beforeAll(async () => {
      s = await openTestServer(engine);
      const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.pci, CATALOGUE_FILES.national, CATALOGUE_FILES.demo]);
      await new IndicatorsRepository(s.store.db).upsert(definitions, TEST_NOW);
      // The ward's dossiers of 2025: 97 of 100 on time in September, 99 of 100 in October, so 196 of 200: 98 %.
      const written = await new ObservationWriter(s.store, s.ctx.clock).write(
        [
          { indicator: 'PS_DOSSIER_RESOLVED', place: '29242', period: '2025-09', value: 100 },
          { indicator: 'PS_DOSSIER_ON_TIME', place: '29242', period: '2025-09', value: 97 },
          { indicator: 'PS_DOSSIER_RESOLVED', place: '29242', period: '2025-10', value: 100 },
          { indicator: 'PS_DOSSIER_ON_TIME', place: '29242', period: '2025-10', value: 99 },
        ],
        { source: 'test' },
      );
      expect(written.rejected).toEqual([]);
      first = await seedParDemo(s.ctx, { dataDir: REFERENCE_DATA_DIR });
      leader = (await signInAs(s, 'leader', [{ role: 'leader' }])).read;
      const r = await s.app.inject({ url: '/api/par/cycles', headers: leader });
      expect(r.statusCode, r.body).toBe(200);
      cycles = r.json<{ cycles: ParCycle[] }>().cycles;
    }, 120_000);
    afterAll(async () => s?.close());

    it('publishes 2025 on the example framework, every department and commune decided, ranked within its kind with where it lost points', async () => {
      expect(first).toEqual({ figures: 'loaded', cycles: 'loaded', units: 137 });
      const c = cycleOf(2025);
      expect(c.frameworkCode).toBe('VL-PAR-EXAMPLE-2025');
      expect(c.example).toBe(true);
      expect(c.publishedAt).not.toBeNull();
      const units = await new ParRepository(s.store.db).provinceUnits('86', '2025-12-31');
      const departments = units.filter((u) => u.kind === 'department');
      const communes = units.filter((u) => u.kind === 'commune');
      // The new Vĩnh Long's thirteen departments (sở, ban, ngành under its People's Committee) and 124 communes.
      expect(departments).toHaveLength(13);
      expect(communes).toHaveLength(124);
      for (const u of departments) expect(u.code).toMatch(/^VL-/);
      for (const u of communes) expect(u.code).toBe(`UBND-${u.placeCode}`);

      for (const [kind, list] of [['department', departments], ['commune', communes]] as const) {
        const r = await s.app.inject({ url: `/api/par/cycles/${c.id}/results?kind=${kind}`, headers: leader });
        expect(r.statusCode, r.body).toBe(200);
        const results = r.json<ParResults>().results;
        expect(results.map((x) => x.code).sort()).toEqual(list.map((u) => u.code).sort());
        for (const x of results) {
          expect(x.final).toBe(true);
          expect(x.of).toBe(list.length);
          // Its rank: one more than the units of its kind with a higher index.
          expect(x.rank).toBe(1 + results.filter((y) => y.index > x.index).length);
        }
        expect(Math.min(...results.map((x) => x.rank))).toBe(1);
        expect(Math.max(...results.map((x) => x.rank))).toBeLessThanOrEqual(list.length);
        // Units differ: not everyone shares one rank, and no one has every point.
        expect(new Set(results.map((x) => x.index)).size).toBeGreaterThan(list.length / 2);
        for (const x of results) {
          expect(x.lost.length).toBeGreaterThan(0);
          for (let i = 1; i < x.lost.length; i++) expect(x.lost[i - 1]!.lost).toBeGreaterThanOrEqual(x.lost[i]!.lost);
        }
      }
    });

    it('adds a department’s total from the council’s final points on every criterion', async () => {
      const c = cycleOf(2025);
      const repo = new ParRepository(s.store.db);
      const f = (await repo.framework(c.frameworkCode))!.framework;
      const scores = new Map((await repo.scores(c.id, STC)).map((x) => [x.node_code, x]));
      let total = 0;
      for (const { leaf } of leavesFor(f, 'department')) {
        const final = scores.get(leaf.code)?.final_points;
        expect(final, leaf.code).not.toBeNull();
        expect(final!).toBeGreaterThanOrEqual(0);
        expect(final!).toBeLessThanOrEqual(leaf.maxPoints);
        total += leaf.method === 'deduction' ? -final! : final!;
      }
      total = Math.round(total * 100) / 100;
      const r = await s.app.inject({ url: `/api/par/cycles/${c.id}/results?kind=department`, headers: leader });
      const stc = r.json<ParResults>().results.find((x) => x.code === STC)!;
      // The departments' maximum is 100 points, so the index is the total.
      expect(stc.max).toBe(100);
      expect(stc.total).toBe(total);
      expect(stc.index).toBe(total);
      expect(stc.fields.reduce((a, x) => a + x.points, 0)).toBeCloseTo(total, 6);
    });

    it('shows adjustments with their reasons, some answers and the council’s reasons where it departed from them', async () => {
      const c = cycleOf(2025);
      const repo = new ParRepository(s.store.db);
      const f = (await repo.framework(c.frameworkCode))!.framework;
      const method = new Map(leavesFor(f, 'department').concat(leavesFor(f, 'commune')).map((e) => [e.leaf.code, e.leaf.method]));
      const all = await repo.scores(c.id);
      const own = (x: (typeof all)[number]) => (method.get(x.node_code) === 'computed' || method.get(x.node_code) === 'survey' ? x.computed_points : x.self_points);
      const adjusted = all.filter((x) => x.appraised_points !== null && x.appraised_points !== own(x));
      expect(adjusted.length).toBeGreaterThan(100);
      for (const x of adjusted) expect(x.appraisal_reason).toBeTruthy();
      const answered = all.filter((x) => x.response !== null);
      expect(answered.length).toBeGreaterThan(10);
      for (const x of answered) expect(x.appraised_points).not.toBeNull();
      const departed = all.filter((x) => x.final_points !== (x.appraised_points ?? own(x)));
      expect(departed.length).toBeGreaterThan(0);
      for (const x of departed) expect(x.final_reason).toBeTruthy();
      // Evidence is attached where the framework requires it.
      const evidence = await repo.evidence(c.id, STC);
      expect(new Set(evidence.map((e) => e.nodeCode))).toEqual(new Set(leavesFor(f, 'department').filter((e) => e.leaf.evidenceRequired).map((e) => e.leaf.code)));
      const file = (await repo.evidenceFile(evidence[0]!.id))!;
      expect(file.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(file.size).toBe(file.content.length);
    });

    it('scores computed and survey criteria as the IOC scores them from its figures', async () => {
      const c = cycleOf(2025);
      const repo = new ParRepository(s.store.db);
      const f = (await repo.framework(c.frameworkCode))!.framework;
      for (const unit of (await repo.assessments(c.id, ALL_ROWS)).filter((a) => a.organisation_code === STC || a.organisation_code === WARD)) {
        const kind = unit.unit_kind as 'department' | 'commune';
        const leaves = leavesFor(f, kind).map((e) => e.leaf);
        const expected = await scoreFromFigures(s.ctx, { unit: { code: unit.organisation_code, name: unit.unit_name, nameEn: unit.unit_name_en, kind, placeCode: unit.place_code }, year: 2025, leaves });
        const stored = new Map((await repo.scores(c.id, unit.organisation_code)).map((x) => [x.node_code, x]));
        expect(expected.size).toBe(12 - (kind === 'commune' ? 1 : 0));
        for (const [code, e] of expected) {
          expect(stored.get(code)?.computed_points, `${unit.organisation_code} ${code}`).toBe(e.points);
          const basis = stored.get(code)?.computed_basis as { value: number | null; note: string | null; sources: string[] };
          expect(basis.value, `${unit.organisation_code} ${code}`).toBe(e.basis.value);
          expect(basis.note).toBe(e.basis.note);
          expect(basis.sources).toEqual(e.basis.sources);
        }
      }
      const ward = new Map((await repo.scores(c.id, WARD)).map((x) => [x.node_code, x]));
      // 98 % on time: the ladder's "≥ 98 % → 3 points".
      expect(ward.get('3.2.1')?.computed_points).toBe(3);
      // The SIPAS survey of the ward scores its aspect on a straight line, 100 % giving all 8 points.
      const access = ward.get('8.1.1')!;
      const value = (access.computed_basis as { value: number }).value;
      expect(value).toBeGreaterThan(50);
      expect(access.computed_points).toBe(Math.round(value * 8) / 100);
      // Nothing is expected of the ward on a schedule: no punctuality figure, and the council gives the point.
      expect(ward.get('1.2')?.computed_points).toBeNull();
      expect(ward.get('1.2')?.final_points).toBe(1);
      expect(ward.get('1.2')?.final_reason).toBeTruthy();
    });

    it('opens 2026 on a copy of the framework, every unit in draft but two submitted, due in 14 and 30 days', async () => {
      const c = cycleOf(2026);
      expect(c.frameworkCode).toBe(PAR_DEMO_NEXT.code);
      expect(c.example).toBe(true);
      expect(c.publishedAt).toBeNull();
      // 28 November 2026 + 14 and + 30 days.
      expect(c.deadlines).toEqual({ selfAssessmentDue: '2026-12-12', appraisalDue: '2026-12-28', responseDays: 7 });
      const r = await s.app.inject({ url: `/api/par/cycles/${c.id}`, headers: leader });
      const units = r.json<ParCycle & { units: ParUnitStatus[] }>().units;
      expect(units).toHaveLength(137);
      for (const u of units) expect(u.status, u.code).toBe((PAR_DEMO_SUBMITTED as readonly string[]).includes(u.code) ? 'submitted' : 'draft');
      const repo = new ParRepository(s.store.db);
      const f = (await repo.framework(c.frameworkCode))!.framework;
      expect(f.year).toBe(2026);
      expect(f.name).toContain('2026');
      // The officer's ward has started: its first field's own criteria have points, the rest none yet.
      const ward = new Map((await repo.scores(c.id, WARD)).map((x) => [x.node_code, x]));
      for (const e of leavesFor(f, 'commune').filter((x) => x.leaf.method === 'self' || x.leaf.method === 'deduction')) {
        expect(ward.get(e.leaf.code)?.self_points ?? null, e.leaf.code).toEqual(e.fieldCode === f.fields[0]!.code ? expect.any(Number) : null);
      }
    });

    it('changes nothing when seeded again, on a later day', async () => {
      const snapshot = async () => {
        const repo = new ParRepository(s.store.db);
        const out: unknown[] = [await repo.frameworks(), await repo.cycles(), await new DatasetsRepository(s.store.db).list()];
        for (const c of await repo.cycles()) out.push(await repo.assessments(c.id, ALL_ROWS), await repo.scores(c.id), await repo.evidence(c.id));
        return out;
      };
      const before = await snapshot();
      const later = await seedParDemo({ ...s.ctx, clock: fixedClock('2026-11-30T03:00:00Z') }, { dataDir: REFERENCE_DATA_DIR });
      expect(later).toEqual({ figures: 'unchanged', cycles: 'unchanged', units: 137 });
      expect(await snapshot()).toEqual(before);
      // In a new month, the month just ended is added to the departments' own figures; the cycles and the work done in them stay.
      const cycles = async () => (await snapshot()).filter((_, i) => i !== 2);
      const work = await cycles();
      const nextMonth = await seedParDemo({ ...s.ctx, clock: fixedClock('2026-12-03T03:00:00Z') }, { dataDir: REFERENCE_DATA_DIR });
      expect(nextMonth).toEqual({ figures: 'loaded', cycles: 'unchanged', units: 137 });
      expect(await cycles()).toEqual(work);
      const november = await s.store.db.selectFrom('observation').select((eb) => eb.fn.countAll<number>().as('n')).where('period_key', '=', '2026-11').where('org_code', '=', 'VL-STC').executeTakeFirstOrThrow();
      expect(Number(november.n)).toBeGreaterThan(0);
    });

    it('lets the demo officer self-assess its ward, and the appraiser adjust a submitted unit', async () => {
      const c = cycleOf(2026);
      const officer = await signInAs(s, 'officer', [{ role: 'agency_officer', organisationCode: WARD, placeCode: '29242' }]);
      const own = (await s.app.inject({ url: `/api/par/cycles/${c.id}/units/${WARD}`, headers: officer.read })).json<ParAssessment>();
      expect(own.can.assess).toBe(true);
      const put = await s.app.inject({ method: 'PUT', url: `/api/par/cycles/${c.id}/units/${WARD}/criteria/2.2/self`, headers: officer.write, payload: { points: 1.5, note: 'Đã ban hành đủ văn bản.' } });
      expect(put.statusCode, put.body).toBe(200);
      expect(put.json<ParLeafAssessment>().self).toBe(1.5);

      const appraiser = await signInAs(s, 'appraiser', [{ role: 'appraiser' }]);
      const [unit] = PAR_DEMO_SUBMITTED;
      const submitted = (await s.app.inject({ url: `/api/par/cycles/${c.id}/units/${unit}`, headers: appraiser.read })).json<ParAssessment>();
      expect(submitted.can.adjust).toBe(true);
      const leaf = submitted.leaves.find((l) => l.method === 'self' && l.self !== null && l.self > 0)!;
      const adjust = await s.app.inject({ method: 'PUT', url: `/api/par/cycles/${c.id}/units/${unit}/criteria/${leaf.code}/appraisal`, headers: appraiser.write, payload: { points: leaf.self! - 0.25, reason: 'Thiếu tài liệu kiểm chứng.' } });
      expect(adjust.statusCode, adjust.body).toBe(200);
      expect(adjust.json<ParLeafAssessment>().appraised).toBe(leaf.self! - 0.25);
      // The officer may not touch a unit that is not its own.
      const other = await s.app.inject({ method: 'PUT', url: `/api/par/cycles/${c.id}/units/${unit}/criteria/${leaf.code}/self`, headers: officer.write, payload: { points: 0 } });
      expect([403, 404]).toContain(other.statusCode);
    });
  });
}
