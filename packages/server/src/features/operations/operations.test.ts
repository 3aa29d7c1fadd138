import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CaseDetail } from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { REFERENCE_DATA_DIR } from '../../paths';
import { TEST_NOW, type TestServer } from '../../testing';
import { seedCaseCategories } from '../cases/seed';
import { DEMO_SOURCE } from '../indicators/demo-data';
import { CATALOGUE_FILES, readCatalogues } from '../indicators/seed';
import { ObservationWriter } from '../ingest/observations';
import { multipart, openSourcesServer } from '../sources/test-support';

// Phường Trà Vinh (29242) in the new Vĩnh Long (86).
const TRA_VINH = { lat: 9.9063, lon: 106.3419 };

interface Point {
  period: string;
  value: number | null;
}

// Instants in Vietnam's time. The clock reads 28 November 2026, 10:00 in Vietnam.
const dossier = (code: string, receivedAt: string, dueAt: string, resolvedAt: string | null, channel: 'online' | 'offline', place?: string) => ({
  code,
  procedure: '1.001234',
  ...(place ? { place } : {}),
  receivedAt: `${receivedAt}+07:00`,
  dueAt: `${dueAt}+07:00`,
  resolvedAt: resolvedAt === null ? null : `${resolvedAt}+07:00`,
  channel,
});
const DOSSIERS = [
  // Received and resolved in October: no part of November.
  dossier('K0', '2026-10-05T08:00:00', '2026-10-10T17:00:00', '2026-10-09T10:00:00', 'offline'),
  // Carried over from October, resolved a day before its due day: early.
  dossier('K1', '2026-10-20T08:00:00', '2026-11-05T17:00:00', '2026-11-04T09:00:00', 'online'),
  // Carried over, resolved after its due time: late.
  dossier('K2', '2026-10-25T08:00:00', '2026-11-02T17:00:00', '2026-11-03T08:00:00', 'offline'),
  // Carried over, still open, past due: in process, late (in the commune).
  dossier('K3', '2026-10-28T08:00:00', '2026-11-10T17:00:00', null, 'offline', '29242'),
  // Received in November online, resolved on its due day before the hour: on time (in the commune).
  dossier('K4', '2026-11-10T08:00:00', '2026-11-15T17:00:00', '2026-11-15T16:00:00', 'online', '29242'),
  // Received online, due tonight at 20:00, ten hours from now: about to be late.
  dossier('K5', '2026-11-25T08:00:00', '2026-11-28T20:00:00', null, 'online'),
  // Received, due in December: not yet due.
  dossier('K6', '2026-11-27T08:00:00', '2026-12-10T17:00:00', null, 'offline'),
];

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`operational figures on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      // The dossier API pulled below listens on loopback: allowed, as an administrator would list it.
      s = await openSourcesServer(engine, { WATCHFLOOR_OUTBOUND_ALLOW: '127.0.0.1' });
      await seedCaseCategories(s.store, { dataDir: REFERENCE_DATA_DIR, clock: s.ctx.clock });
      const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.pci, CATALOGUE_FILES.demo]);
      await new IndicatorsRepository(s.store.db).upsert(definitions, TEST_NOW);
    });
    afterAll(async () => s?.close());

    const post = async (url: string, payload: Record<string, unknown>) => {
      const r = await s.app.inject({ method: 'POST', url, payload });
      expect(r.statusCode, r.body).toBeLessThan(300);
      return r;
    };
    /** The November figure of an indicator for a place, through the analytics API, once the recomputes have run. */
    const figure = async (code: string, place: string): Promise<number | null> => {
      await s.app.figures.idle();
      const r = await s.app.inject(`/api/indicators/${code}/series?place=${place}&from=2026-11&to=2026-11`);
      expect(r.statusCode, r.body).toBe(200);
      const points = r.json<{ points: Point[] }>().points;
      return points.find((p) => p.period === '2026-11')?.value ?? null;
    };
    const cr = async (place: string) => ({
      received: await figure('CR_RECEIVED', place),
      processed: await figure('CR_PROCESSED', place),
      onTime: await figure('CR_PROCESSED_ON_TIME', place),
      rated: await figure('CR_RATED', place),
      satisfied: await figure('CR_SATISFIED', place),
    });

    it('counts a case opened, resolved on time and rated 5 into its commune and province', async () => {
      const before = { commune: await figure('CR_RECEIVED', '29242'), province: await figure('CR_RECEIVED', '86') };
      expect(before).toEqual({ commune: null, province: null });
      const c = (await post('/api/cases', { category: 'GIAO_THONG', title: 'Ổ gà trên đường', ...TRA_VINH })).json<CaseDetail>();
      expect(await cr('29242')).toEqual({ received: 1, processed: 0, onTime: 0, rated: 0, satisfied: 0 });
      for (const status of ['received', 'assigned', 'in_progress', 'resolved']) await post(`/api/cases/${c.id}/status`, { status });
      await post(`/api/cases/${c.id}/satisfaction`, { rating: 5 });
      const counted = { received: 1, processed: 1, onTime: 1, rated: 1, satisfied: 1 };
      expect(await cr('29242')).toEqual(counted);
      expect(await cr('86')).toEqual(counted);
      expect(await figure('CR_SATISFACTION_RATE', '86')).toBe(100);
      // Filed by the system's source, under the agency too.
      const byOrg = (await s.app.inject('/api/indicators/CR_RECEIVED/breakdown?place=86&period=2026-11&by=organisation')).json<{ items: { key: string; value: number | null }[] }>();
      expect(byOrg.items.find((i) => i.key === c.organisation)?.value).toBe(1);
      const runs = (await s.app.inject('/api/sources/WF-CASES/runs')).json<{ runs: { channel: string; status: string }[] }>().runs;
      expect(runs.length).toBeGreaterThan(0);
      expect(runs.every((r) => r.channel === 'derived' && r.status === 'succeeded')).toBe(true);
    });

    it('writes nothing when an unchanged month is rebuilt, and a revision when a count changes', async () => {
      const rebuild = async () => (await post('/api/figures/rebuild', { from: '2026-10', to: '2026-12', kind: 'cases' })).json<{ months: number; written: number; runs: number[] }>();
      expect(await rebuild()).toEqual({ months: 2, written: 0, rejected: 0, runs: [] });
      // Two more cases in the same commune in a burst (the debounce held back: no timer fires) make one recompute.
      const runs = async () => (await s.app.inject('/api/sources/WF-CASES/runs')).json<{ runs: unknown[] }>().runs.length;
      const runsBefore = await runs();
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      try {
        for (const title of ['Đèn tín hiệu hỏng', 'Nắp cống mất']) await post('/api/cases', { category: 'GIAO_THONG', title, ...TRA_VINH });
      } finally {
        vi.useRealTimers();
      }
      expect(await figure('CR_RECEIVED', '29242')).toBe(3);
      expect((await runs()) - runsBefore).toBe(1);
      // The changed count is a revision of the same figure, its earlier value kept.
      const history = (await s.app.inject('/api/observations/history?indicator=CR_RECEIVED&place=29242&period=2026-11')).json<{ revisions: { value: number; source: string }[] }>();
      expect(history.revisions.map((r) => [r.value, r.source])).toEqual([
        [1, 'WF-CASES'],
        [3, 'WF-CASES'],
      ]);
    });

    it('takes dossiers pushed to a dossier source, refusing a bad row with its reason, into the Decision 766 figures', async () => {
      const created = await post('/api/sources', {
        code: 'TTHCC-DVC',
        name: 'Hệ thống thông tin giải quyết TTHC',
        kind: 'http_push',
        ownerOrganisationCode: 'VL-TTHCC',
        mapping: { target: 'dossiers', defaults: { organisation: 'VL-TTHCC' } },
        // The one-stop-shop system carries the dossiers of every agency of the People's Committee.
        coverage: { organisations: ['VL-UBND'] },
      });
      const { token } = created.json<{ token: string }>();
      const bad = { ...dossier('KX', '2026-11-20T08:00:00', '2026-11-25T17:00:00', null, 'offline'), organisation: 'NO-SUCH' };
      const body = [...DOSSIERS, bad].map((d) => JSON.stringify(d)).join('\n');
      const push = () => s.app.inject({ method: 'POST', url: '/api/sources/TTHCC-DVC/push', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, payload: body });
      const first = await push();
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toMatchObject({ status: 'partial', rowsRead: 8, accepted: 7, created: 7, rejected: 1, rejectedRows: [{ line: 8, reason: 'unknown_organisation' }] });
      expect(first.json<{ rejectedRows: { message: string }[] }>().rejectedRows[0]?.message).toContain('NO-SUCH');

      // November, as of now, province-wide: hand-counted.
      const m = async (place: string) => ({
        received: await figure('PS_DOSSIER_RECEIVED', place),
        carriedOver: await figure('PS_DOSSIER_CARRIED_OVER', place),
        toProcess: await figure('PS_DOSSIER_TO_PROCESS', place),
        resolved: await figure('PS_DOSSIER_RESOLVED', place),
        early: await figure('PS_DOSSIER_EARLY', place),
        onTime: await figure('PS_DOSSIER_ON_TIME', place),
        late: await figure('PS_DOSSIER_LATE', place),
        pending: await figure('PS_DOSSIER_PENDING', place),
        pendingLate: await figure('PS_DOSSIER_PENDING_LATE', place),
        dueSoon: await figure('PS_DOSSIER_PENDING_DUE_SOON', place),
        notDue: await figure('PS_DOSSIER_PENDING_NOT_DUE', place),
        online: await figure('PS_DOSSIER_ONLINE', place),
      });
      expect(await m('86')).toEqual({ received: 3, carriedOver: 3, toProcess: 6, resolved: 3, early: 1, onTime: 2, late: 1, pending: 3, pendingLate: 1, dueSoon: 1, notDue: 1, online: 2 });
      expect(await figure('PS_ON_TIME_RATE', '86')).toBeCloseTo(200 / 3, 6);
      expect(await figure('PS_LATE_RATE', '86')).toBeCloseTo(100 / 3, 6);
      expect(await figure('PS_ONLINE_RATE', '86')).toBeCloseTo(200 / 3, 6);
      // The commune holds K3 (carried over, late) and K4 (received online, on time).
      expect(await m('29242')).toEqual({ received: 1, carriedOver: 1, toProcess: 2, resolved: 1, early: 0, onTime: 1, late: 0, pending: 1, pendingLate: 1, dueSoon: 0, notDue: 0, online: 1 });
      // The agency's breakdown matches the province's total.
      const byOrg = (await s.app.inject('/api/indicators/PS_DOSSIER_RECEIVED/breakdown?place=86&period=2026-11&by=organisation')).json<{ items: { key: string; value: number | null }[] }>();
      expect(byOrg.items.find((i) => i.key === 'VL-TTHCC')?.value).toBe(3);
      // The same as the measures the dossiers API counts.
      const measures = (await s.app.inject('/api/dossiers/measures?from=2026-11-01&to=2026-11-30&place=86&asOf=2026-11-28T03:00:00Z')).json<Record<string, unknown>>();
      expect(measures).toMatchObject({ received: 3, carriedOver: 3, processed: { total: 3, early: 1, onTime: 1, late: 1 }, inProcess: { total: 3, late: 1, dueSoon: 1, notYetDue: 1 } });

      // Sent again: nothing new, no duplicate, no recompute.
      const again = await push();
      expect(again.json()).toMatchObject({ accepted: 7, created: 0, revised: 0, unchanged: 7, rejected: 1 });
      const runs = (await s.app.inject('/api/sources/WF-DOSSIERS/runs')).json<{ runs: unknown[] }>().runs.length;
      expect(await figure('PS_DOSSIER_RECEIVED', '86')).toBe(3);
      expect((await s.app.inject('/api/sources/WF-DOSSIERS/runs')).json<{ runs: unknown[] }>().runs.length).toBe(runs);
    });

    it('reads a dossier file with Vietnamese headers and dates, keeping a row it cannot read with its reason', async () => {
      await post('/api/sources', { code: 'TTHCC-FILE', name: 'Tệp hồ sơ TTHC', kind: 'file', ownerOrganisationCode: 'VL-TTHCC', mapping: { target: 'dossiers' }, coverage: { organisations: ['VL-UBND'] } });
      const csv = [
        'Báo cáo hồ sơ tháng 11/2026',
        'Mã hồ sơ,Thủ tục,Cơ quan,Ngày tiếp nhận,Hạn xử lý,Ngày trả kết quả,Trực tuyến',
        'F1,1.001234,VL-TTHCC,12/11/2026 08:30,20/11/2026 17:00,19/11/2026 10:00,Có',
        'F2,1.001234,VL-TTHCC,13/11/2026,22/11/2026,,Không',
        'F3,1.001234,VL-TTHCC,31/11/2026 08:00,20/11/2026 17:00,,Không',
      ].join('\n');
      const r = await s.app.inject({ method: 'POST', url: '/api/sources/TTHCC-FILE/upload', ...(await multipart('ho-so.csv', csv)) });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ status: 'partial', rowsRead: 3, accepted: 2, rejected: 1, rejectedRows: [{ line: 5, reason: 'invalid_row' }] });
      // F1 early and online, F2 past due (22 November, end of day) and still open.
      expect(await figure('PS_DOSSIER_RECEIVED', '86')).toBe(5);
      expect(await figure('PS_DOSSIER_EARLY', '86')).toBe(2);
      expect(await figure('PS_DOSSIER_ONLINE', '86')).toBe(3);
      expect(await figure('PS_DOSSIER_PENDING_LATE', '86')).toBe(2);
      const runs = (await s.app.inject('/api/sources/TTHCC-FILE/runs')).json<{ runs: { id: number }[] }>().runs;
      const rejected = (await s.app.inject(`/api/runs/${runs[0]!.id}/rejected`)).json<{ rows: { line: number; reason: string; message: string; raw: string }[] }>();
      expect(rejected.rows).toHaveLength(1);
      expect(rejected.rows[0]).toMatchObject({ line: 5, reason: 'invalid_row' });
      expect(rejected.rows[0]!.raw).toContain('F3');
      expect(rejected.rows[0]!.message).toContain('receivedAt');
    });

    it('pulls dossiers from another agency\'s API as a run, resuming after the last dossier kept', async () => {
      const asked: string[] = [];
      const peer = createServer((req, res) => {
        asked.push(req.url ?? '');
        const since = new URL(req.url ?? '/', 'http://x').searchParams.get('since');
        const rows = [
          { maHoSo: 'P1', maTTHC: '1.005', coQuan: 'VL-TTHCC', nhan: '2026-11-20T08:00:00+07:00', han: '2026-11-24T17:00:00+07:00', tra: '2026-11-23T09:00:00+07:00', kenh: 'online' },
          { maHoSo: 'P2', maTTHC: '1.005', coQuan: 'VL-TTHCC', nhan: '2026-11-21T08:00:00+07:00', han: '2026-11-20T17:00:00+07:00', tra: null, kenh: 'offline' },
        ].filter((r) => since === null || r.maHoSo > since);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: rows }));
      });
      await new Promise<void>((r) => peer.listen(0, '127.0.0.1', r));
      try {
        const url = `http://127.0.0.1:${(peer.address() as AddressInfo).port}/dossiers`;
        const records = 'data.{ "code": maHoSo, "procedure": maTTHC, "organisation": coQuan, "receivedAt": nhan, "dueAt": han, "resolvedAt": tra, "channel": kenh }';
        await post('/api/sources', {
          code: 'TTHCC-PULL',
          name: 'Cổng dịch vụ công (kéo)',
          kind: 'http_pull',
          ownerOrganisationCode: 'VL-TTHCC',
          mapping: { target: 'dossiers' },
          coverage: { organisations: ['VL-UBND'] },
          pull: { kind: 'http', url, cursorParam: 'since', records, recordCursor: 'code' },
        });
        const run = (await post('/api/sources/TTHCC-PULL/pull', {})).json<{ status: string; rowsRead: number; rowsAccepted: number; rowsRejected: number }>();
        // P2 is due before it was received: refused with its reason, P1 kept.
        expect(run).toMatchObject({ status: 'partial', rowsRead: 2, rowsAccepted: 1, rowsRejected: 1 });
        expect(await figure('PS_DOSSIER_RECEIVED', '86')).toBe(6);
        const again = (await post('/api/sources/TTHCC-PULL/pull', {})).json<{ rowsRead: number }>();
        expect(again.rowsRead).toBe(0);
        expect(asked[1]).toContain('since=P2');
      } finally {
        peer.closeAllConnections();
        await new Promise((r) => peer.close(r));
      }
    });

    it('never overwrites a figure another source filed (a demo data set’s synthetic total), counting every other figure', async () => {
      const counted = await figure('CR_RECEIVED', '86');
      // The demo data set files its synthetic series for Phường Trà Vinh's November.
      const demo = await new ObservationWriter(s.store, s.ctx.clock).write([{ indicator: 'CR_RECEIVED', place: '29242', period: '2026-11', value: 17 }], { source: DEMO_SOURCE });
      expect(demo.rejected).toEqual([]);
      const c = (await post('/api/cases', { category: 'GIAO_THONG', title: 'Cây đổ', ...TRA_VINH })).json<CaseDetail>();
      expect(await figure('CR_RECEIVED', '29242')).toBe(17);
      // The province's total and the agency's figure are still counted.
      expect(await figure('CR_RECEIVED', '86')).toBe((counted ?? 0) + 1);
      const byOrg = (await s.app.inject('/api/indicators/CR_RECEIVED/breakdown?place=29242&period=2026-11&by=organisation')).json<{ items: { key: string; value: number | null }[] }>();
      expect(byOrg.items.find((i) => i.key === c.organisation)?.value).toBe(4);
      // A rebuild leaves it too.
      await post('/api/figures/rebuild', { from: '2026-11', to: '2026-11', kind: 'cases' });
      expect(await figure('CR_RECEIVED', '29242')).toBe(17);
    });
  });
}
