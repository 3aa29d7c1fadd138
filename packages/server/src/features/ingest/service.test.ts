import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, type Provenance } from '@watchfloor/core';
import { ALL_ROWS, RunsRepository, SourcesRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import type { ReadRow } from '@watchfloor/connectors';
import type { TestServer } from '../../testing';
import { ObservationWriter } from './observations';
import { IngestService, type BatchWriter } from './service';
import { openSourcesServer, pm25Rows } from '../sources/test-support';

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`ingestion runs on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openSourcesServer(engine);
      const now = '2026-11-28T03:00:00Z';
      await new SourcesRepository(s.store.db).insert({ code: 'SRC', name: 'x', kind: 'http_push', ownerOrgCode: 'VL-STC', schedule: null, expected: null, mapping: null, credentialsEnc: null, tokenHash: null, enabled: true, createdAt: now, updatedAt: now });
    });
    afterAll(async () => s?.close());

    const count = async () => Number((await s.store.db.selectFrom('observation').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const asRows = (values: unknown[]): ReadRow[] => values.map((value, i) => ({ line: i + 1, raw: JSON.stringify(value), value }));

    it('keeps the batches committed before a failure, nothing of the failing one, and resumes without duplicates', async () => {
      const rows = asRows(await pm25Rows(s, 250));
      const real = new ObservationWriter(s.store, s.ctx.clock);
      let calls = 0;
      // The write path fails on the second batch, as a crash or a lost database would.
      const failing: BatchWriter = {
        write: async (batch: readonly unknown[], prov: Provenance, options?: Parameters<BatchWriter['write']>[2]) => {
          if (++calls === 2) throw new Error('connection to the database was lost');
          return real.write(batch, prov, options);
        },
      };
      const errors: object[] = [];
      const e = await new IngestService(s.ctx, failing)
        .ingest({ source: { code: 'SRC', mapping: null }, channel: 'http_push', sender: null, rows, batchSize: 100, log: { error: (o) => errors.push(o) } })
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AppError);
      expect(e).toMatchObject({ code: 'ingestion_failed', status: 500, details: { rowsRead: 100, rowsAccepted: 100, checkpoint: { rows: 100, line: 100 } } });
      expect(e instanceof AppError ? e.message : '').not.toContain('connection');
      expect(errors).toHaveLength(1);
      expect(await count()).toBe(100);
      const runId = e instanceof AppError && typeof e.details === 'object' && e.details !== null && 'runId' in e.details ? Number(e.details.runId) : NaN;
      const run = await new RunsRepository(s.store.db).get(runId, ALL_ROWS);
      expect(run).toMatchObject({ status: 'failed', rows_read: 100, rows_accepted: 100 });
      expect(run?.error).toMatch(/rows after 100 \(line 100\) could not be written/);

      // The sender sends everything again: the first batch changes nothing, the rest is written once.
      const again = await new IngestService(s.ctx).ingest({ source: { code: 'SRC', mapping: null }, channel: 'http_push', sender: null, rows, batchSize: 100 });
      expect(again).toMatchObject({ status: 'succeeded', accepted: 250, created: 150, unchanged: 100 });
      expect(await count()).toBe(250);
    });

    it('keeps at most 1 KB of what a refused row received, in the answer and with the run', async () => {
      const secret = `{"rows":[${'{"user":"admin","hash":"$argon2id$v=19$m=65536"},'.repeat(400)}]}`;
      const r = await new IngestService(s.ctx).ingest({ source: { code: 'SRC', mapping: null }, channel: 'http_push', sender: null, rows: [{ line: 1, raw: secret, value: { indicator: 'NOPE', place: '86', period: '2026-09', value: 1, note: secret } }] });
      expect(r).toMatchObject({ status: 'partial', rejected: 1 });
      const bytes = (t: string) => Buffer.byteLength(t, 'utf8');
      expect(bytes(r.rejectedRows[0]!.raw)).toBeLessThanOrEqual(1024);
      expect(r.rejectedRows[0]!.row).toBeNull();
      const [kept] = await new RunsRepository(s.store.db).rejected(r.runId!, { limit: 10 }, ALL_ROWS);
      expect(bytes(kept!.raw)).toBeLessThanOrEqual(1024);
      expect(kept!.row_json).toBeNull();
      expect(secret.startsWith(kept!.raw.slice(0, -1))).toBe(true);
    });

    it('applies the source mapping defaults to pushed rows', async () => {
      const r = await new IngestService(s.ctx).ingest({
        source: { code: 'SRC', mapping: { defaults: { organisation: 'VL-STC', indicator: 'DOSSIERS_RECEIVED' } } },
        channel: 'http_push',
        sender: null,
        rows: asRows([{ place: '86', period: '2026-09', value: 12 }]),
      });
      expect(r).toMatchObject({ accepted: 1, created: 1 });
      const stored = await s.store.db.selectFrom('observation').selectAll().where('indicator_code', '=', 'DOSSIERS_RECEIVED').where('period_key', '=', '2026-09').executeTakeFirst();
      expect(stored).toMatchObject({ org_code: 'VL-STC', source: 'SRC', value: 12 });
    });
  });
}
