import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { indicatorDefinitionSchema } from '@watchfloor/core';
import { DossiersRepository, IndicatorsRepository, migrateToLatest, openStore } from '@watchfloor/db';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const MAIN = join(ROOT, 'packages/cli/src/main.ts');

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, env: { ...process.env, WATCHFLOOR_DEMO_DATA: 'false' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('watchfloor figures rebuild', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wf-figures-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('recomputes a range of months as runs of WF-DOSSIERS, and refuses a bad range', async () => {
    const db = ['--data-dir', dir];
    // Only the schema, one indicator and one dossier: the geography would take long to load, so the
    // figures are refused (unknown_place) — what matters is that the months are counted and the run kept.
    const store = openStore({ sqlitePath: join(dir, 'watchfloor.sqlite') });
    try {
      await migrateToLatest(store);
      const now = new Date().toISOString();
      await new IndicatorsRepository(store.db).upsert(
        [
          indicatorDefinitionSchema.parse({
            code: 'PS_DOSSIER_RECEIVED',
            kind: 'base',
            names: { vi: 'Số hồ sơ tiếp nhận', en: 'Dossiers received' },
            unit: 'hồ sơ',
            domain: 'public_services',
            frequency: 'month',
            aggregation: { places: 'sum', time: 'sum' },
            direction: 'band',
            thresholds: null,
            validRange: { min: 0, max: null },
            ownerOrganisationCode: null,
            delivery: null,
          }),
        ],
        now,
      );
      await new DossiersRepository(store.db).upsert(
        [
          {
            code: 'HS-1',
            procedureCode: '1.001234',
            procedureName: null,
            orgCode: 'VL-TTHCC',
            placeId: null,
            placeCode: '86',
            provinceCode: '86',
            receivedAt: '2026-01-05T01:00:00.000Z',
            dueAt: '2026-01-10T10:00:00.000Z',
            resolvedAt: '2026-01-08T03:00:00.000Z',
            channel: 'online',
            paidOnline: false,
          },
        ],
        now,
      );
    } finally {
      await store.close();
    }
    const r = await run(['figures', 'rebuild', ...db, '--from', '2026-01', '--to', '2026-02', '--kind', 'dossiers', '--json']);
    expect(r.code, r.err).toBe(0);
    // January: the province total and the agency's figure, both refused (no geography here); February: nothing to count.
    expect(JSON.parse(r.out)).toMatchObject({ months: 2, written: 0, rejected: 2, runs: [expect.any(Number)] });
    const bad = await run(['figures', 'rebuild', ...db, '--from', '2026-03', '--to', '2026-01']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('to is before from');
  });
});
