import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestResult, ManualForm, Run } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import type { TestServer } from '../../testing';
import { openSourcesServer } from '../sources/test-support';

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`manual entry on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openSourcesServer(engine);
      const register = (payload: object) => s.app.inject({ method: 'POST', url: '/api/sources', payload });
      for (const r of await Promise.all([
        // The office's monthly report form: every indicator the office owes.
        register({ code: 'VP-NHAPTAY', name: 'Văn phòng UBND — nhập tay', kind: 'manual', ownerOrganisationCode: 'VL-VP', expected: { frequency: 'month', afterPeriodEndDays: 5 } }),
        // A form fixed to one indicator and place by its mapping.
        register({ code: 'MT-PM25', name: 'Quan trắc thủ công', kind: 'manual', ownerOrganisationCode: 'VL-SNNMT', mapping: { defaults: { indicator: 'PM25', place: '86' } } }),
        register({ code: 'STC-FILE', name: 'Tệp Sở Tài chính', kind: 'file', ownerOrganisationCode: 'VL-STC' }),
      ])) {
        expect(r.statusCode, r.body).toBe(201);
      }
    });
    afterAll(async () => s?.close());

    const form = (code: string, query: string) => s.app.inject(`/api/sources/${code}/form?${query}`);
    const enter = (code: string, payload: object) => s.app.inject({ method: 'POST', url: `/api/sources/${code}/entries`, payload });

    it('lists what the source supplies, with unit, frequency and valid range, nothing stored yet', async () => {
      const r = await form('VP-NHAPTAY', 'period=2026-10&place=86');
      expect(r.statusCode, r.body).toBe(200);
      const f = r.json<ManualForm>();
      expect(f).toMatchObject({ source: { code: 'VP-NHAPTAY', ownerOrganisationCode: 'VL-VP' }, period: '2026-10', place: { code: '86', name: 'Tỉnh Vĩnh Long' }, organisation: null });
      expect(f.fields).toEqual([{ indicator: 'REPORTS_RECEIVED', names: { vi: 'Phản ánh tiếp nhận', en: 'Reports received' }, unit: 'phản ánh', frequency: 'month', validRange: null, applicable: true, stored: null }]);

      const pm = (await form('MT-PM25', 'period=2026-11-27')).json<ManualForm>();
      expect(pm.place.code).toBe('86');
      expect(pm.fields).toEqual([expect.objectContaining({ indicator: 'PM25', unit: 'µg/m³', frequency: 'day', validRange: { min: 0, max: 1000 }, applicable: true })]);
      // A monthly form does not apply to a daily indicator.
      expect((await form('MT-PM25', 'period=2026-11')).json<ManualForm>().fields[0]?.applicable).toBe(false);
    });

    it('writes the figures through the one write path, keeps who typed them, and answers each refused one with its reason', async () => {
      const r = await enter('VP-NHAPTAY', {
        period: '2026-10',
        place: '86',
        enteredBy: 'nguyen.van.a@vinhlong.gov.vn',
        figures: [
          { indicator: 'REPORTS_RECEIVED', value: 120, note: 'Số liệu từ sổ tiếp nhận' },
          { indicator: 'DOSSIERS_ON_TIME_RATE', value: 95 },
          { indicator: 'NOPE', value: 1 },
        ],
      });
      expect(r.statusCode, r.body).toBe(200);
      const result = r.json<IngestResult>();
      expect(result).toMatchObject({ status: 'partial', rowsRead: 3, accepted: 1, created: 1, rejected: 2 });
      expect(result.rejectedRows.map((x) => [x.line, x.reason])).toEqual([
        [2, 'not_a_base_indicator'],
        [3, 'unknown_indicator'],
      ]);
      const runs = (await s.app.inject('/api/sources/VP-NHAPTAY/runs')).json<{ runs: Run[] }>().runs;
      expect(runs[0]).toMatchObject({ id: result.runId, channel: 'manual', enteredBy: 'nguyen.van.a@vinhlong.gov.vn', rowsAccepted: 1, rowsRejected: 2 });
      const stored = await s.store.db.selectFrom('observation').select(['value', 'source', 'run_id', 'entered_by', 'note']).where('indicator_code', '=', 'REPORTS_RECEIVED').execute();
      expect(stored).toEqual([{ value: 120, source: 'VP-NHAPTAY', run_id: result.runId, entered_by: 'nguyen.van.a@vinhlong.gov.vn', note: 'Số liệu từ sổ tiếp nhận' }]);

      // The form now shows the stored value, to prefill.
      const f = (await form('VP-NHAPTAY', 'period=2026-10&place=86')).json<ManualForm>();
      expect(f.fields[0]?.stored).toMatchObject({ value: 120, status: 'final', revision: 1, source: 'VP-NHAPTAY', enteredBy: 'nguyen.van.a@vinhlong.gov.vn' });
    });

    it('changes nothing when the same form is sent again, and keeps a changed value as a revision', async () => {
      const again = await enter('VP-NHAPTAY', { period: '2026-10', place: '86', enteredBy: 'nguyen.van.a@vinhlong.gov.vn', figures: [{ indicator: 'REPORTS_RECEIVED', value: 120 }] });
      expect(again.json<IngestResult>()).toMatchObject({ status: 'succeeded', created: 0, revised: 0, unchanged: 1 });
      const changed = await enter('VP-NHAPTAY', { period: '2026-10', place: '86', enteredBy: 'tran.thi.b@vinhlong.gov.vn', figures: [{ indicator: 'REPORTS_RECEIVED', value: 125, status: 'provisional' }] });
      expect(changed.json<IngestResult>()).toMatchObject({ status: 'succeeded', created: 0, revised: 1, unchanged: 0 });
      const f = (await form('VP-NHAPTAY', 'period=2026-10&place=86')).json<ManualForm>();
      expect(f.fields[0]?.stored).toMatchObject({ value: 125, status: 'provisional', revision: 2, enteredBy: 'tran.thi.b@vinhlong.gov.vn' });
      const history = (await s.app.inject('/api/observations/history?indicator=REPORTS_RECEIVED&place=86&period=2026-10')).json<{ revisions: { value: number; enteredBy: string | null }[] }>();
      expect(history.revisions.map((x) => [x.value, x.enteredBy])).toEqual([
        [120, 'nguyen.van.a@vinhlong.gov.vn'],
        [125, 'tran.thi.b@vinhlong.gov.vn'],
      ]);
    });

    it('refuses a value outside the valid range, with its reason, using the form defaults of the source', async () => {
      const r = await enter('MT-PM25', { period: '2026-11-27', enteredBy: 'le.van.c', figures: [{ indicator: 'PM25', value: 5000 }] });
      expect(r.json<IngestResult>()).toMatchObject({ status: 'partial', accepted: 0, rejectedRows: [expect.objectContaining({ line: 1, reason: 'above_valid_range' })] });
    });

    it('answers coded errors for the wrong source, a missing place, a disabled source and a bad body', async () => {
      expect((await form('STC-FILE', 'period=2026-10&place=86')).json()).toMatchObject({ error: 'source_not_manual' });
      expect((await form('NO-SUCH', 'period=2026-10&place=86')).statusCode).toBe(404);
      expect((await form('VP-NHAPTAY', 'period=2026-10')).json()).toMatchObject({ error: 'invalid_parameter' });
      expect((await form('VP-NHAPTAY', 'period=2026-10&place=99999')).json()).toMatchObject({ error: 'unknown_place_code' });
      expect((await form('VP-NHAPTAY', 'period=October&place=86')).statusCode).toBe(400);
      const empty = await enter('VP-NHAPTAY', { period: '2026-10', place: '86', enteredBy: 'x', figures: [] });
      expect([empty.statusCode, empty.json<{ error: string }>().error]).toEqual([400, 'invalid_body']);
      expect((await enter('VP-NHAPTAY', { period: '2026-10', place: '86', figures: [{ indicator: 'REPORTS_RECEIVED', value: 1 }] })).statusCode).toBe(400);
      await s.app.inject({ method: 'POST', url: '/api/sources/VP-NHAPTAY/disable' });
      const off = await enter('VP-NHAPTAY', { period: '2026-10', place: '86', enteredBy: 'x', figures: [{ indicator: 'REPORTS_RECEIVED', value: 1 }] });
      expect([off.statusCode, off.json<{ error: string }>().error]).toEqual([409, 'source_disabled']);
      await s.app.inject({ method: 'POST', url: '/api/sources/VP-NHAPTAY/enable' });
    });
  });
}
