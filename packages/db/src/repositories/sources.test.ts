import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../dialect';
import { migrationStatus } from '../migrate';
import { ALL_ROWS } from '../scope';
import { testEngines } from '../testing';
import { RunsRepository, SourcesRepository } from './sources';

const NOW = '2026-11-28T03:00:00.000Z';

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`sources and runs in the store on ${engine.engine}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await engine.open();
    });
    afterAll(async () => store?.close());

    const base = { kind: 'http_push', ownerOrgCode: 'VL-STC', schedule: 'PT15M', credentialsEnc: 'v1.a.b.c', tokenHash: 'f'.repeat(64), enabled: true, createdAt: NOW, updatedAt: NOW };

    it('is part of the migrations', async () => {
      expect((await migrationStatus(store)).applied).toContain('2026-11-28-0003-sources-runs');
    });

    it('stores a source with its JSON fields, refuses a second with the same code, and changes only what is given', async () => {
      const repo = new SourcesRepository(store.db);
      expect(await repo.insert({ ...base, code: 'A', name: 'Nguồn A', expected: { every: 'PT1H' }, mapping: { defaults: { organisation: 'VL-STC' } } })).toBe(true);
      expect(await repo.insert({ ...base, code: 'A', name: 'again', expected: null, mapping: null })).toBe(false);
      expect(await repo.get('A', ALL_ROWS)).toMatchObject({ name: 'Nguồn A', expected: { every: 'PT1H' }, mapping: { defaults: { organisation: 'VL-STC' } }, enabled: true, lastArrivalAt: null });
      expect(await repo.update('A', { enabled: false, credentialsEnc: null }, '2026-11-29T00:00:00.000Z')).toBe(true);
      expect(await repo.get('A', ALL_ROWS)).toMatchObject({ name: 'Nguồn A', enabled: false, credentialsEnc: null, tokenHash: 'f'.repeat(64), updatedAt: '2026-11-29T00:00:00.000Z' });
      expect(await repo.update('NONE', { enabled: false }, NOW)).toBe(false);
      expect((await repo.list(ALL_ROWS)).map((s) => s.code)).toEqual(['A']);
      // A scope that reaches nothing sees no source.
      expect(await repo.list({ kind: 'none' })).toEqual([]);
      expect(await repo.get('A', { kind: 'none' })).toBeUndefined();
    });

    it('moves the last period delivered forward only', async () => {
      const repo = new SourcesRepository(store.db);
      await repo.recordArrival('A', '2026-11-01T00:00:00.000Z', '2026-10-31');
      await repo.recordArrival('A', '2026-11-02T00:00:00.000Z', '2025-12-31');
      await repo.recordArrival('A', '2026-11-03T00:00:00.000Z', null);
      expect(await repo.get('A', ALL_ROWS)).toMatchObject({ lastArrivalAt: '2026-11-03T00:00:00.000Z', lastPeriodEnd: '2026-10-31' });
    });

    it('adds up a run batch by batch and pages its rejected rows in order', async () => {
      const runs = new RunsRepository(store.db);
      const id = await runs.start({ source: 'A', channel: 'http_push', startedAt: NOW, fileName: null });
      await runs.recordBatch(id, { read: 5000, accepted: 4998, rejected: 2, created: 4998, revised: 0, unchanged: 0 }, { rows: 5000, line: 5000 });
      await runs.recordBatch(id, { read: 10, accepted: 10, rejected: 0, created: 0, revised: 1, unchanged: 9 }, { rows: 5010, line: 5012 });
      await runs.addRejected(id, [
        { index: 7, line: 8, reason: 'invalid_json', message: 'Line 8 is not valid JSON', raw: '{x', rowJson: null },
        { index: 3, line: 4, reason: 'unknown_place', message: 'No unit 99999', raw: '{"place":"99999"}', rowJson: '{"place":"99999"}' },
      ]);
      await runs.finish(id, { status: 'partial', finishedAt: NOW, durationMs: 12, error: null });
      const run = await runs.get(id, ALL_ROWS);
      expect(await runs.get(id, { kind: 'none' })).toBeUndefined();
      expect(run).toMatchObject({ status: 'partial', rows_read: 5010, rows_accepted: 5008, rows_rejected: 2, rows_revised: 1, rows_unchanged: 9, duration_ms: 12 });
      expect(typeof run?.checkpoint === 'string' ? JSON.parse(run.checkpoint) : run?.checkpoint).toEqual({ rows: 5010, line: 5012 });
      expect((await runs.rejected(id, { limit: 10 }, ALL_ROWS)).map((r) => r.line)).toEqual([4, 8]);
      expect((await runs.rejected(id, { limit: 10, afterIndex: 3 }, ALL_ROWS)).map((r) => r.line)).toEqual([8]);
      expect(await runs.countRejected(id, ALL_ROWS)).toBe(2);
      expect(await runs.countRejected(id, { kind: 'none' })).toBe(0);
      expect(await runs.rejected(id, { limit: 10 }, { kind: 'none' })).toEqual([]);
      const second = await runs.start({ source: 'A', channel: 'file', startedAt: NOW, fileName: 'x.csv' });
      expect((await runs.listForSource('A', { limit: 10 }, ALL_ROWS)).map((r) => r.id)).toEqual([second, id]);
      expect((await runs.listForSource('A', { limit: 10, beforeId: second }, ALL_ROWS)).map((r) => r.id)).toEqual([id]);
    });
  });
}
