import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { REFERENCE_DATA_DIR } from '../../paths';
import { openTestServer, type TestServer } from '../../testing';
import type { BreakdownResponse, OverviewResponse } from '../analytics/schemas';
import { loadDemoData } from './seed';

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`the demo data set on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine, { data: 'demo' });
    }, 180_000);
    afterAll(async () => s?.close());

    const overview = async (q: string) => {
      const r = await s.app.inject(`/api/overview?${q}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json<OverviewResponse>();
    };

    it('says its figures are synthetic, and gives the province a full picture of last month', async () => {
      const o = await overview('place=86');
      expect(o.period.key).toBe('2026-10');
      expect(o.synthetic?.source).toBe('demo-generator (synthetic)');
      expect(o.synthetic?.text.vi).toContain('minh họa');
      const applicable = o.indicators.filter((i) => i.applicable);
      expect(applicable.length).toBeGreaterThan(40);
      const colours = new Set(applicable.map((i) => i.status.colour));
      for (const c of ['green', 'grey']) expect(colours).toContain(c);
      expect(applicable.some((i) => i.status.colour === 'amber' || i.status.colour === 'red')).toBe(true);
      // Data the generator withholds for the last month shows as grey and late, never as zero.
      const late = applicable.filter((i) => i.status.colour === 'grey' && i.status.stale);
      expect(late.length).toBeGreaterThan(0);
      for (const i of late) expect(i.value).toBeNull();
      // Plans and the same period last year are there for the figures that have them.
      expect(applicable.some((i) => i.ytd?.percentOfYearPlan !== null && i.ytd?.percentOfYearPlan !== undefined)).toBe(true);
      expect(applicable.some((i) => i.samePeriodLastYear?.growth !== null && i.samePeriodLastYear?.growth !== undefined)).toBe(true);
    });

    it('shows 2024 both as Trà Vinh with its districts and regrouped into today’s Vĩnh Long', async () => {
      const code = 'PS_DOSSIER_RECEIVED';
      const tv = await overview('place=84&period=2024-10&at=2024-11-01');
      const own = tv.indicators.find((i) => i.code === code);
      expect(own?.value).toBeGreaterThan(0);
      const byDistrict = (await s.app.inject(`/api/indicators/${code}/breakdown?place=84&period=2024-10&at=2024-11-01`)).json<BreakdownResponse>();
      expect(byDistrict.items).toHaveLength(9);
      const districtSum = byDistrict.items.reduce((a, i) => a + (i.value ?? 0), 0);
      expect(districtSum).toBeCloseTo(own!.value!, 6);
      const vl = await overview('place=86&period=2024-10&at=2026-01-01');
      expect(vl.regrouped).toBe(true);
      // The new province holds Trà Vinh, Bến Tre and the old Vĩnh Long.
      expect(vl.indicators.find((i) => i.code === code)!.value!).toBeGreaterThan(own!.value!);
    });

    it('shows a commune only what applies to communes, says "not collected yet" before the series, and judges months by the year plan', async () => {
      const catalogue = JSON.parse(readFileSync(join(REFERENCE_DATA_DIR, 'indicators/catalogue-demo.json'), 'utf8')) as { indicators: { code: string; kind: string; collectedAt?: string[]; planProgress?: string }[] };
      const provinceOnly = catalogue.indicators.filter((d) => d.kind === 'base' && d.collectedAt?.join() === 'province').map((d) => d.code);
      const ward = await overview('place=29242');
      expect(ward.place.level).toBe('commune');
      const shown = ward.indicators.filter((i) => i.applicable).map((i) => i.code);
      const marked = ward.indicators.filter((i) => i.status.reason === 'not_collected_at_level').map((i) => i.code);
      // Every province-only series is marked (with what is derived from one: the dossiers to process include the province's carry-over) and none is shown.
      for (const code of [...provinceOnly, 'PS_DOSSIER_TO_PROCESS', 'INV_PUBLIC_DISBURSEMENT_RATE', 'TRD_BALANCE']) expect(marked).toContain(code);
      for (const code of marked) expect(shown).not.toContain(code);
      for (const code of ['PS_DOSSIER_RECEIVED', 'PS_ON_TIME_RATE', 'CR_RECEIVED', 'HLT_IMMUNISATION_RATE', 'PS_SERVICE_INDEX']) expect(shown).toContain(code);
      // The PCI is scored per province too.
      expect(marked).toContain('PCI');

      // In 2020 no demo series had started: every tile says so, none is "not received" or late.
      const demoCodes = new Set(catalogue.indicators.map((d) => d.code));
      const before = await overview('place=86&period=2020-05');
      const demo = before.indicators.filter((i) => demoCodes.has(i.code) && i.applicable);
      expect(demo.length).toBeGreaterThan(40);
      for (const i of demo) expect(i.status, i.code).toMatchObject({ reason: 'not_collected_yet', stale: false });
      expect(before.indicators.filter((i) => i.status.stale)).toEqual([]);

      // October 2026 with only year plans: each such figure is judged by its year to date against the progress expected after 10 months.
      const now = await overview('place=86');
      const paced = catalogue.indicators.filter((d) => d.planProgress).map((d) => d.code);
      expect(paced).toHaveLength(8);
      for (const code of paced) {
        const i = now.indicators.find((x) => x.code === code)!;
        expect(i.ytd?.expected, code).toMatchObject({ months: 10 });
        if (i.value !== null) expect(i.status.reason, code).toMatch(/^plan_pace_/);
      }
      const revenue = now.indicators.find((i) => i.code === 'BUD_REVENUE')!;
      expect(revenue.ytd?.expected?.basis).toBe('pro_rata');
      expect(revenue.ytd!.expected!.percent).toBeCloseTo((10 / 12) * 100, 9);
      expect(revenue.status.text.vi).toContain('KH năm; kỳ vọng 83,3 % sau 10 tháng');
      // Expenditure follows last year's profile: the share of 2025's spending done by the end of October.
      const spending = now.indicators.find((i) => i.code === 'BUD_EXPENDITURE')!;
      const lastYear = (await overview('place=86&period=2025-10')).indicators.find((i) => i.code === 'BUD_EXPENDITURE')!;
      const lastYearTotal = (await overview('place=86&period=2025')).indicators.find((i) => i.code === 'BUD_EXPENDITURE')!;
      expect(spending.ytd?.expected?.basis).toBe('seasonal');
      expect(spending.ytd!.expected!.percent).toBeCloseTo((lastYear.ytd!.value! / lastYearTotal.value!) * 100, 9);
      expect(spending.status.reason).toMatch(/^plan_pace_/);
    });

    it('declares its figures synthetic in a database that loaded it before it declared them, without loading it again', async () => {
      const datasets = new DatasetsRepository(s.store.db);
      const loaded = await datasets.get('demo-data');
      expect(loaded).toBeDefined();
      // As recorded before data sets declared what their figures are.
      await datasets.record('demo-data', loaded!.checksum, loaded!.loaded_at, JSON.stringify({ detail: 'loaded earlier' }));
      expect((await overview('place=86')).synthetic).toBeNull();
      const reports = await loadDemoData(s.store, { dataDir: REFERENCE_DATA_DIR, clock: s.ctx.clock });
      expect(reports.find((r) => r.name === 'demo-data')?.status).toBe('unchanged');
      expect((await overview('place=86')).synthetic?.source).toBe('demo-generator (synthetic)');
      expect(JSON.parse((await datasets.get('demo-data'))!.summary)).toMatchObject({ detail: 'loaded earlier' });
    });
  });
}
