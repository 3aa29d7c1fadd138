import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, type IndicatorDefinition, type IndicatorDefinitionInput } from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import { testEngines, type TestEngine } from '@watchfloor/db/testing';
import { buildApp } from '../../app';
import { loadConfig } from '../../config';
import { authenticateTests, TEST_NOW } from '../../testing';
import type { DefinitionIssue } from './schemas';

/** The catalogue needs no geography: a migrated, empty database and the app over it. */
async function openCatalogueServer(engine: TestEngine) {
  const store = await engine.open();
  const ctx = { store, clock: fixedClock(TEST_NOW), config: loadConfig({ WATCHFLOOR_LOG_LEVEL: 'silent' }) };
  const app = await buildApp(ctx, { logger: false });
  await app.ready();
  await authenticateTests(app, ctx);
  const close = async () => {
    await app.close();
    await store.close();
  };
  return { app, store, close };
}
type Server = Awaited<ReturnType<typeof openCatalogueServer>>;

const base = { kind: 'base', unit: 'hồ sơ', domain: 'public_services', frequency: 'month', direction: 'higher_is_better', aggregation: { places: 'sum', time: 'sum' } } as const;
const RECEIVED: IndicatorDefinitionInput = { ...base, code: 'DOSSIERS_RECEIVED', names: { vi: 'Hồ sơ tiếp nhận', en: 'Dossiers received' } };
const RESOLVED: IndicatorDefinitionInput = { ...base, code: 'DOSSIERS_RESOLVED', names: { vi: 'Hồ sơ đã giải quyết', en: 'Dossiers resolved' } };
const ON_TIME: IndicatorDefinitionInput = { ...base, code: 'DOSSIERS_ON_TIME', names: { vi: 'Hồ sơ đúng hạn', en: 'Dossiers on time' } };
const ON_TIME_RATE: IndicatorDefinitionInput = {
  ...base,
  code: 'DOSSIERS_ON_TIME_RATE',
  unit: '%',
  names: { vi: 'Tỷ lệ hồ sơ đúng hạn', en: 'On-time rate' },
  aggregation: { places: 'ratio', time: 'ratio' },
  ratio: { numerator: 'DOSSIERS_ON_TIME', denominator: 'DOSSIERS_RESOLVED', multiplier: 100 },
  thresholds: { green: 95, amber: 85 },
  delivery: { afterPeriodEndDays: 5 },
};
const PENDING: IndicatorDefinitionInput = { ...base, kind: 'derived', code: 'DOSSIERS_PENDING', names: { vi: 'Hồ sơ tồn', en: 'Dossiers pending' }, formula: 'DOSSIERS_RECEIVED - DOSSIERS_RESOLVED' };
const PM25: IndicatorDefinitionInput = {
  ...base,
  code: 'ENV_PM25',
  unit: 'µg/m³',
  domain: 'environment',
  frequency: 'day',
  direction: 'lower_is_better',
  aggregation: { places: 'mean', time: 'mean' },
  thresholds: { green: 25, amber: 50 },
  validRange: { min: 0, max: 1000 },
  names: { vi: 'Bụi PM2.5', en: 'PM2.5' },
};
const SERVICE_INDEX: IndicatorDefinitionInput = {
  ...base,
  kind: 'composite',
  code: 'SERVICE_INDEX',
  unit: 'điểm',
  aggregation: { places: 'mean', time: 'last' },
  names: { vi: 'Chỉ số phục vụ', en: 'Service index' },
  components: [
    { code: 'DOSSIERS_ON_TIME_RATE', weight: 70, normalise: { min: 0, max: 100 } },
    { code: 'ENV_PM25', weight: 30, normalise: { min: 0, max: 200, invert: true } },
  ],
};
/** In dependency order, as a steward would define them one by one. */
const CATALOGUE = [RECEIVED, RESOLVED, ON_TIME, ON_TIME_RATE, PENDING, PM25, SERVICE_INDEX];

interface Refusal {
  error: string;
  message: string;
  details: DefinitionIssue[];
}
interface CatalogueFileBody {
  format: string;
  version: number;
  exportedAt: string;
  indicators: IndicatorDefinition[];
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`indicator catalogue API on ${engine.engine}`, () => {
    let s: Server;
    beforeAll(async () => {
      s = await openCatalogueServer(engine);
    });
    afterAll(async () => s?.close());

    const put = (def: IndicatorDefinitionInput, code = def.code) => s.app.inject({ method: 'PUT', url: `/api/indicators/${code}`, payload: def });
    const storedCodes = async (server: Server) => (await new IndicatorsRepository(server.store.db).list()).map((d) => d.code);

    it('creates a definition (201), reads it back with defaults filled, and replaces it (200)', async () => {
      const created = await put(RECEIVED);
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ code: 'DOSSIERS_RECEIVED', thresholds: null, validRange: null, ratio: null });
      const read = await s.app.inject('/api/indicators/DOSSIERS_RECEIVED');
      expect(read.statusCode).toBe(200);
      expect(read.json()).toEqual(created.json());

      const replaced = await put({ ...RECEIVED, unit: 'bộ hồ sơ', delivery: { afterPeriodEndDays: 5 } });
      expect(replaced.statusCode).toBe(200);
      expect((await s.app.inject('/api/indicators/DOSSIERS_RECEIVED')).json()).toMatchObject({ unit: 'bộ hồ sơ', delivery: { afterPeriodEndDays: 5 } });
    });

    it('answers 404 unknown_indicator for a code not in the catalogue', async () => {
      const r = await s.app.inject('/api/indicators/NO_SUCH_INDICATOR');
      expect(r.statusCode).toBe(404);
      expect(r.json()).toMatchObject({ error: 'unknown_indicator' });
    });

    it('refuses a formula that refers to itself, naming the reason and the field', async () => {
      const r = await put({ ...PENDING, code: 'LOOP', formula: 'LOOP + 1' });
      expect(r.statusCode).toBe(400);
      const body = r.json<Refusal>();
      expect(body.error).toBe('invalid_indicator_definition');
      expect(body.details).toEqual([expect.objectContaining({ code: 'LOOP', path: 'formula', reason: 'self_reference' })]);
      expect((await s.app.inject('/api/indicators/LOOP')).statusCode).toBe(404);
    });

    it('refuses references to unknown indicators, each one listed', async () => {
      const r = await put({ ...ON_TIME_RATE, ratio: { numerator: 'NOT_DEFINED', denominator: 'DOSSIERS_RECEIVED', multiplier: 100 } });
      expect(r.statusCode).toBe(400);
      expect(r.json<Refusal>().details).toEqual([
        { code: 'DOSSIERS_ON_TIME_RATE', path: 'ratio.numerator', reason: 'unknown_indicator', message: expect.stringContaining('NOT_DEFINED') },
      ]);
      const composite = await put({ ...SERVICE_INDEX, components: [{ code: 'NOWHERE', weight: 1, normalise: 'none' }] });
      expect(composite.json<Refusal>().details).toEqual([expect.objectContaining({ path: 'components.0.code', reason: 'unknown_indicator' })]);
      expect(await storedCodes(s)).toEqual(['DOSSIERS_RECEIVED']);
    });

    it('refuses a change that would close a cycle through stored definitions', async () => {
      for (const def of [RESOLVED, { ...PENDING, code: 'CYCLE_A', formula: 'DOSSIERS_RESOLVED * 2' }, { ...PENDING, code: 'CYCLE_B', formula: 'CYCLE_A + 1' }]) {
        expect((await put(def)).statusCode).toBe(201);
      }
      const r = await put({ ...PENDING, code: 'CYCLE_A', formula: 'CYCLE_B - 1' });
      expect(r.statusCode).toBe(400);
      expect(r.json<Refusal>().details).toEqual([{ code: 'CYCLE_A', path: 'formula', reason: 'cycle', message: 'circular definition: CYCLE_A → CYCLE_B → CYCLE_A' }]);
      expect((await s.app.inject('/api/indicators/CYCLE_A')).json()).toMatchObject({ formula: 'DOSSIERS_RESOLVED * 2' });
    });

    it('refuses a definition that breaks its own rules, and one whose code is not the path’s', async () => {
      const r = await s.app.inject({ method: 'PUT', url: '/api/indicators/ENV_PM10', payload: { ...PM25, code: 'ENV_PM10', thresholds: { green: 80, amber: 50 }, unit: 42 } });
      expect(r.statusCode).toBe(400);
      const reasons = r.json<Refusal>().details.map((d) => `${d.reason}@${d.path}`);
      expect(reasons).toEqual(expect.arrayContaining(['invalid_type@unit']));
      const rules = await put({ ...PM25, code: 'ENV_PM10', thresholds: { green: 80, amber: 50 } });
      expect(rules.json<Refusal>().details).toEqual([expect.objectContaining({ code: 'ENV_PM10', path: 'thresholds', reason: 'thresholds_out_of_order' })]);
      const mismatch = await put(PM25, 'ENV_PM10');
      expect(mismatch.statusCode).toBe(400);
      expect(mismatch.json<Refusal>()).toMatchObject({ error: 'invalid_indicator_definition', details: [{ code: 'ENV_PM25', path: 'code', reason: 'code_does_not_match_path' }] });
      expect((await s.app.inject('/api/indicators/ENV_PM10')).statusCode).toBe(404);
    });

    it('lists the catalogue by code, and by domain', async () => {
      expect((await put(PM25)).statusCode).toBe(201);
      const all = await s.app.inject('/api/indicators');
      expect(all.json<{ indicators: IndicatorDefinition[] }>().indicators.map((d) => d.code)).toEqual(['CYCLE_A', 'CYCLE_B', 'DOSSIERS_RECEIVED', 'DOSSIERS_RESOLVED', 'ENV_PM25']);
      const env = await s.app.inject('/api/indicators?domain=environment');
      expect(env.json<{ indicators: IndicatorDefinition[] }>().indicators.map((d) => d.code)).toEqual(['ENV_PM25']);
      expect((await s.app.inject('/api/indicators?domain=finance')).statusCode).toBe(400);
    });
  });

  describe.skipIf(engine.skip)(`indicator catalogue files on ${engine.engine}`, () => {
    // One database open at a time: the PostgreSQL test harness cannot migrate a second schema while another exists.
    let s: Server;
    beforeAll(async () => {
      s = await openCatalogueServer(engine);
    });
    afterAll(async () => s?.close());

    const importInto = (payload: unknown) => s.app.inject({ method: 'POST', url: '/api/indicators/import', payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
    const exportFile = () => s.app.inject('/api/indicators/export');
    const listed = async () => (await s.app.inject('/api/indicators')).json<{ indicators: IndicatorDefinition[] }>().indicators;

    it('imports all or nothing: one bad definition and nothing is stored', async () => {
      const bad = { ...PENDING, formula: 'DOSSIERS_RECEIVED - DOSSIERS_CLOSED' };
      const r = await importInto({ format: 'watchfloor-indicator-catalogue', version: 1, indicators: [RECEIVED, RESOLVED, bad, PM25] });
      expect(r.statusCode).toBe(400);
      expect(r.json<Refusal>()).toMatchObject({
        error: 'invalid_indicator_definition',
        details: [{ code: 'DOSSIERS_PENDING', path: 'formula', reason: 'unknown_indicator', index: 2 }],
      });
      expect(await listed()).toEqual([]);

      const broken = await importInto([RECEIVED, { ...PM25, frequency: 'week' }, { code: 'NO_NAME' }]);
      expect(broken.statusCode).toBe(400);
      const details = broken.json<Refusal>().details;
      expect(details.filter((d) => d.index === 1)).toEqual([expect.objectContaining({ code: 'ENV_PM25', path: 'frequency', reason: 'invalid_value' })]);
      expect(details.some((d) => d.index === 2 && d.code === 'NO_NAME')).toBe(true);
      expect(await listed()).toEqual([]);

      const twice = await importInto([RECEIVED, { ...RECEIVED, unit: 'bộ' }]);
      expect(twice.json<Refusal>().details).toEqual([expect.objectContaining({ code: 'DOSSIERS_RECEIVED', reason: 'duplicate_code', index: 1 })]);
      expect(await listed()).toEqual([]);
    });

    it('imports a bare array of definitions, in any order, then reports a re-import as unchanged', async () => {
      const r = await importInto([...CATALOGUE].reverse());
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({ created: 7, updated: 0, unchanged: 0 });
      const again = await importInto(CATALOGUE);
      expect(again.json()).toEqual({ created: 0, updated: 0, unchanged: 7 });
    });

    it('exports the catalogue as a dated attachment in the catalogue format', async () => {
      const r = await exportFile();
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('application/json');
      // 03:00 UTC on 28 November is 10:00 in Vietnam: the same day.
      expect(r.headers['content-disposition']).toBe('attachment; filename="watchfloor-indicators-2026-11-28.json"');
      const file = r.json<CatalogueFileBody>();
      expect(file).toMatchObject({ format: 'watchfloor-indicator-catalogue', version: 1, exportedAt: '2026-11-28T03:00:00.000Z' });
      expect(file.indicators.map((d) => d.code)).toEqual([...CATALOGUE.map((d) => d.code)].sort());
      expect(file.indicators.find((d) => d.code === 'ENV_PM25')).toMatchObject({ thresholds: { green: 25, amber: 50 }, validRange: { min: 0, max: 1000 } });
    });

    it('round-trips: the export imported into an empty database exports identically', async () => {
      const first = await exportFile();
      await s.close();
      s = await openCatalogueServer(engine);
      expect(await listed()).toEqual([]);
      expect((await importInto(first.json())).json()).toEqual({ created: 7, updated: 0, unchanged: 0 });
      const second = await exportFile();
      expect(second.body).toBe(first.body);
      expect(second.headers['content-disposition']).toBe(first.headers['content-disposition']);
    });

    it('replaces same-code definitions on import and counts them as updated', async () => {
      const r = await importInto({ indicators: [{ ...PM25, thresholds: { green: 15, amber: 35 } }, RECEIVED] });
      expect(r.json()).toEqual({ created: 0, updated: 1, unchanged: 1 });
      expect((await s.app.inject('/api/indicators/ENV_PM25')).json()).toMatchObject({ thresholds: { green: 15, amber: 35 } });
    });

    it('refuses an import whose replacement would close a cycle with stored definitions', async () => {
      const r = await importInto([{ ...PENDING, code: 'DOSSIERS_RECEIVED', formula: 'DOSSIERS_PENDING + DOSSIERS_RESOLVED' }]);
      expect(r.statusCode).toBe(400);
      expect(r.json<Refusal>().details).toEqual([expect.objectContaining({ reason: 'cycle', index: 0 })]);
      expect((await s.app.inject('/api/indicators/DOSSIERS_RECEIVED')).json()).toMatchObject({ kind: 'base' });
    });

    it('refuses a file of another format with invalid_body', async () => {
      const r = await importInto({ format: 'something-else', version: 1, indicators: [] });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ error: 'invalid_body' });
    });
  });
}
