import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantSchema, indicatorDefinitionSchema, type GrantInput } from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { IdentityService } from '../identity/service';
import type { Target, TargetRowProblem } from './service';

const PASSWORD = 'targets scope password 0123';

const CATALOGUE = [
  { kind: 'base', code: 'ECO_GRDP', names: { vi: 'GRDP', en: 'GRDP' }, unit: 'tỷ đồng', domain: 'economy', frequency: 'year', aggregation: { places: 'sum', time: 'sum' }, direction: 'higher_is_better' },
  { kind: 'base', code: 'DOSSIERS_RECEIVED', names: { vi: 'Hồ sơ tiếp nhận', en: 'Dossiers received' }, unit: 'hồ sơ', domain: 'public_services', frequency: 'month', aggregation: { places: 'sum', time: 'sum' }, direction: 'higher_is_better' },
].map((d) => indicatorDefinitionSchema.parse(d));

interface Refusal {
  error: string;
  message: string;
  details: TargetRowProblem[];
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`targets API on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine);
      await new IndicatorsRepository(s.store.db).upsert(CATALOGUE, TEST_NOW);
    });
    afterAll(async () => s?.close());

    const save = (targets: unknown[]) => s.app.inject({ method: 'PUT', url: '/api/targets', payload: { targets } });
    const list = async (query = '') => {
      const r = await s.app.inject(`/api/targets${query}`);
      return { status: r.statusCode, body: r.json<{ targets: Target[] } & { error?: string }>() };
    };

    it('saves planned values, each against the unit of its code valid in the period', async () => {
      const r = await save([
        { indicator: 'ECO_GRDP', place: '86', period: '2026', value: 152000.5 },
        { indicator: 'ECO_GRDP', place: '86', period: '2024', value: 61000 },
        // Trà Vinh (84) ended on 30 June 2025: it was valid on the first day of 2025, so a 2025 plan is its own.
        { indicator: 'ECO_GRDP', place: '84', period: '2025', value: 48000 },
        { indicator: 'DOSSIERS_RECEIVED', place: '29242', period: '2026-Q1', value: 300 },
      ]);
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({ saved: 4 });
      const all = await list();
      expect(all.body.targets).toEqual([
        { indicator: 'DOSSIERS_RECEIVED', place: '29242', period: '2026-Q1', value: 300, updatedAt: '2026-11-28T03:00:00.000Z' },
        { indicator: 'ECO_GRDP', place: '84', period: '2025', value: 48000, updatedAt: '2026-11-28T03:00:00.000Z' },
        { indicator: 'ECO_GRDP', place: '86', period: '2024', value: 61000, updatedAt: '2026-11-28T03:00:00.000Z' },
        { indicator: 'ECO_GRDP', place: '86', period: '2026', value: 152000.5, updatedAt: '2026-11-28T03:00:00.000Z' },
      ]);
    });

    it('replaces a saved value rather than adding a second one', async () => {
      expect((await save([{ indicator: 'ECO_GRDP', place: '86', period: '2026', value: 155000 }])).json()).toEqual({ saved: 1 });
      const r = await list('?indicator=ECO_GRDP&place=86&period=2026');
      expect(r.body.targets.map((t) => t.value)).toEqual([155000]);
    });

    it('filters by place code: with a period, the unit valid then; without, every unit of that code', async () => {
      // Code 86 named the old Vĩnh Long until 30 June 2025 and the merged province since.
      expect((await list('?place=86')).body.targets.map((t) => t.period)).toEqual(['2024', '2026']);
      expect((await list('?place=86&period=2024')).body.targets.map((t) => t.value)).toEqual([61000]);
      expect((await list('?place=84&period=2026')).body.targets).toEqual([]);
      expect((await list('?indicator=DOSSIERS_RECEIVED')).body.targets.map((t) => t.place)).toEqual(['29242']);
    });

    it('refuses a target for a unit that did not exist in the period, and saves nothing of the batch', async () => {
      const r = await save([
        { indicator: 'ECO_GRDP', place: '86', period: '2027', value: 170000 },
        { indicator: 'ECO_GRDP', place: '84', period: '2026', value: 50000 },
      ]);
      expect(r.statusCode).toBe(400);
      expect(r.json<Refusal>()).toMatchObject({ error: 'invalid_body', details: [{ index: 1, reason: 'place_not_valid_in_period' }] });
      expect(r.json<Refusal>().details).toHaveLength(1);
      expect((await list('?period=2027')).body.targets).toEqual([]);
    });

    it('gives every bad row its coded reason', async () => {
      const r = await save([
        { indicator: 'NO_SUCH', place: '86', period: '2026', value: 1 },
        { indicator: 'ECO_GRDP', place: '86', period: '2026-13', value: 1 },
        { indicator: 'ECO_GRDP', place: '86', period: '2026', value: 'a lot' },
        { indicator: 'ECO_GRDP', place: '99999', period: '2026', value: 1 },
        { indicator: 'ECO_GRDP', place: '86' },
        { indicator: 'DOSSIERS_RECEIVED', place: '86', period: '2026-07', value: 10 },
        { indicator: 'DOSSIERS_RECEIVED', place: '86', period: '2026-07', value: 11 },
      ]);
      expect(r.statusCode).toBe(400);
      expect(r.json<Refusal>().details.map((d) => `${d.index}:${d.reason}`)).toEqual([
        '0:unknown_indicator',
        '1:invalid_period',
        '2:not_a_number',
        '3:unknown_place',
        '4:invalid_row',
        '6:duplicate_in_batch',
      ]);
      expect((await list('?indicator=DOSSIERS_RECEIVED&place=86')).body.targets).toEqual([]);
    });

    it('shows and saves plans only within the caller\'s scope: a ward\'s steward sees the plans of their ward, not the province\'s', async () => {
      const signIn = async (login: string, roles: GrantInput[], address: string) => {
        await new IdentityService(s.ctx).createUser({ login, displayName: login, password: PASSWORD, mustChangePassword: false, roles: roles.map((g) => grantSchema.parse(g)) });
        const r = await s.anonymous({ method: 'POST', url: '/api/auth/sign-in', payload: { login, password: PASSWORD }, remoteAddress: address });
        expect(r.statusCode, r.body).toBe(200);
        const cookie = `wf_session=${r.cookies.find((c) => c.name === 'wf_session')?.value ?? ''}`;
        return { cookie, 'x-csrf-token': r.json<{ csrfToken: string }>().csrfToken };
      };
      const ward = await signIn('steward-29242', [{ role: 'data_steward', placeCode: '29242' }], '10.9.0.1');
      const other = await signIn('leader-29254', [{ role: 'leader', placeCode: '29254' }], '10.9.0.2');
      const read = async (headers: Record<string, string>, query = '') => (await s.app.inject({ url: `/api/targets${query}`, headers })).json<{ targets: Target[] }>().targets.map((t) => `${t.indicator}@${t.place}`);
      expect(await read(ward)).toEqual(['DOSSIERS_RECEIVED@29242']);
      expect(await read(ward, '?place=86')).toEqual([]);
      expect(await read(other)).toEqual([]);
      // Saving: a plan for the province is out of the ward steward's scope, and nothing of the batch is saved.
      const put = (targets: unknown[]) => s.app.inject({ method: 'PUT', url: '/api/targets', headers: ward, payload: { targets } });
      const refused = await put([
        { indicator: 'DOSSIERS_RECEIVED', place: '29242', period: '2026-Q2', value: 320 },
        { indicator: 'ECO_GRDP', place: '86', period: '2026', value: 1 },
      ]);
      expect(refused.statusCode).toBe(400);
      expect(refused.json<Refusal>().details).toEqual([{ index: 1, reason: 'out_of_scope', message: expect.stringContaining('86') }]);
      expect((await list('?indicator=ECO_GRDP&place=86&period=2026')).body.targets.map((t) => t.value)).toEqual([155000]);
      expect((await put([{ indicator: 'DOSSIERS_RECEIVED', place: '29242', period: '2026-Q2', value: 320 }])).json()).toEqual({ saved: 1 });
    });

    it('answers 404 for an unknown indicator or place in the filters, 400 for a malformed period', async () => {
      expect(await list('?indicator=NO_SUCH')).toMatchObject({ status: 404, body: { error: 'unknown_indicator' } });
      expect(await list('?place=99999')).toMatchObject({ status: 404, body: { error: 'unknown_place_code' } });
      expect(await list('?period=2026-13')).toMatchObject({ status: 400, body: { error: 'invalid_parameter' } });
    });
  });
}
