import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from './dialect';
import { migrateDownOne, migrateToLatest, migrationStatus } from './migrate';
import { ALL_ROWS } from './scope';
import { AlertsRepository } from './repositories/alerts';
import { CasesRepository } from './repositories/cases';
import { testEngines } from './testing';

const AT = '2026-11-28T03:00:00.000Z';
const SOP = [
  { title: 'Xác minh', role: 'Trực ban', expectedMinutes: 15 },
  { title: 'Báo cơ quan', role: 'Trực ban', expectedMinutes: 30 },
];

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`the steps of procedures on ${engine.engine}`, () => {
    let store: Store;
    let caseId = 0;
    let alertId = 0;

    beforeAll(async () => {
      store = await engine.open();
      const db = store.db;
      await db
        .insertInto('case_category')
        .values({ code: 'GIAO_THONG', name_vi: 'Giao thông', name_en: 'Traffic', description: null, group_name: 'Hạ tầng', keywords: '[]', service_level_hours: 72, default_org_code: 'VL-SXD', routes: '[]', sop: JSON.stringify(SOP), updated_at: AT })
        .execute();
      const c = await db
        .insertInto('case')
        .values({ public_id: 'PA-1', token: 't', category_code: 'GIAO_THONG', title: 'Cây đổ', description: null, lat: 9.9, lon: 106.3, place_id: null, place_code: null, province_code: null, address: null, media: '[]', reporter: '{}', channel: 'web', priority: 'normal', org_code: null, status: 'received', received_at: AT, deadline_at: AT, satisfaction: null, created_at: AT, updated_at: AT })
        .returning('id')
        .executeTakeFirstOrThrow();
      caseId = c.id;
      const a = await db
        .insertInto('alert')
        .values({ rule_code: null, subject_key: 'cap:x', place_code: null, org_code: null, severity: 'warning', status: 'open', opened_at: AT, value: null, message: 'm', acknowledged_by: null, acknowledged_at: null, resolved_by: null, resolved_at: null, sop_started_at: null, published_at: null, expires_at: null, updated_at: AT })
        .returning('id')
        .executeTakeFirstOrThrow();
      alertId = a.id;
      // Steps of a case and of an alert, one of each done.
      await db.insertInto('sop_step').values(SOP.map((s, i) => ({ case_id: caseId, alert_id: null, step: i + 1, title: s.title, role: s.role, expected_minutes: s.expectedMinutes }))).execute();
      expect(await new AlertsRepository(db).startSop(alertId, SOP, AT)).toBe(true);
      expect(await new CasesRepository(db).markStepDone(caseId, 1, 'truc.ban', AT)).toBe(true);
      expect(await new AlertsRepository(db).markStepDone(alertId, 2, 'lanh.dao', AT)).toBe(true);
    });
    afterAll(async () => store?.close());

    const steps = async () => ({
      case: (await new CasesRepository(store.db).sopSteps(caseId, ALL_ROWS)).map((s) => [s.step, s.title, s.expected_minutes, s.done_by]),
      alert: (await new AlertsRepository(store.db).sopSteps(alertId)).map((s) => [s.step, s.title, s.expected_minutes, s.done_by]),
    });
    const expected = {
      case: [
        [1, 'Xác minh', 15, 'truc.ban'],
        [2, 'Báo cơ quan', 30, null],
      ],
      alert: [
        [1, 'Xác minh', 15, null],
        [2, 'Báo cơ quan', 30, 'lanh.dao'],
      ],
    };

    it('keeps the steps of cases and alerts in one table, each step of exactly one of them', async () => {
      expect(await steps()).toEqual(expected);
      // A step of both, or of neither, is refused.
      await expect(store.db.insertInto('sop_step').values({ case_id: caseId, alert_id: alertId, step: 9, title: 'x', role: 'x', expected_minutes: 1 }).execute()).rejects.toThrow();
      await expect(store.db.insertInto('sop_step').values({ case_id: null, alert_id: null, step: 9, title: 'x', role: 'x', expected_minutes: 1 }).execute()).rejects.toThrow();
      // A step number once per case.
      await expect(store.db.insertInto('sop_step').values({ case_id: caseId, alert_id: null, step: 1, title: 'x', role: 'x', expected_minutes: 1 }).execute()).rejects.toThrow();
    });

    it('moves the steps back to a table per owner and forward again, done marks included', async () => {
      expect((await migrationStatus(store)).applied).toContain('2026-12-06-0018-sop-steps');
      // Down to before it (any later migration first).
      for (let name = await migrateDownOne(store); name !== '2026-12-06-0018-sop-steps'; name = await migrateDownOne(store)) if (name === null) throw new Error('0018 was never reverted');
      const back = async (table: 'case_sop_step' | 'alert_sop_step') =>
        (await sql<{ step: number; done_by: string | null }>`select step, done_by from ${sql.table(table)} order by step`.execute(store.db)).rows.map((r) => [Number(r.step), r.done_by]);
      expect(await back('case_sop_step')).toEqual([
        [1, 'truc.ban'],
        [2, null],
      ]);
      expect(await back('alert_sop_step')).toEqual([
        [1, null],
        [2, 'lanh.dao'],
      ]);
      await migrateToLatest(store);
      expect(await steps()).toEqual(expected);
    });
  });
}
