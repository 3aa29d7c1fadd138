import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, indicatorDefinitionSchema, type Alert, type AlertDetail, type AuditEvent, type Clock, type LiveEvent } from '@watchfloor/core';
import { ALL_ROWS, AlertsRepository, IndicatorsRepository, SourcesRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { seedCaseCategories } from '../cases/seed';
import { TEST_CATALOGUE } from '../observations/test-catalogue';
import { REFERENCE_DATA_DIR } from '../../paths';
import { seedDemoAlertRules } from './seed';
import { AlertStream } from './stream';

const T0 = Date.parse(TEST_NOW);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const TRA_VINH = { lat: 9.9063, lon: 106.3419 };

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`alerts on ${engine.engine}`, () => {
    let s: TestServer;
    let baseClock: Clock;
    const live: LiveEvent[] = [];
    beforeAll(async () => {
      s = await openTestServer(engine);
      baseClock = s.ctx.clock;
      await new IndicatorsRepository(s.store.db).upsert(TEST_CATALOGUE.map((d) => indicatorDefinitionSchema.parse(d)), TEST_NOW);
      await seedCaseCategories(s.store, { dataDir: REFERENCE_DATA_DIR, clock: s.ctx.clock });
      // The environment department's monitoring source, through which the figures below are sent.
      const source = await s.app.inject({ method: 'POST', url: '/api/sources', payload: { code: 'quan-trac', name: 'Quan trắc môi trường', kind: 'http_push', ownerOrganisationCode: 'VL-SNNMT' } });
      expect(source.statusCode, source.body).toBe(201);
      s.ctx.live?.subscribe((e) => live.push(e.event));
    });
    afterAll(async () => s?.close());

    /** Moves the server's clock (every service reads it per call). */
    const clockAt = (d: Date) => {
      s.ctx.clock = fixedClock(d.toISOString());
    };
    const put = (code: string, body: unknown) => s.app.inject({ method: 'PUT', url: `/api/alert-rules/${code}`, payload: body as Record<string, unknown> });
    const post = (url: string, body: unknown = {}) => s.app.inject({ method: 'POST', url, payload: body as Record<string, unknown> });
    const alertsOf = async (rule: string) => (await s.app.inject(`/api/alerts?rule=${rule}`)).json<{ alerts: Alert[] }>().alerts;
    const detail = async (id: number) => (await s.app.inject(`/api/alerts/${id}`)).json<AlertDetail>();
    const names = { vi: 'Quy tắc thử', en: 'Test rule' };
    /** One committed batch of one reading of station ST, judged by the app's alert stream as the readings ingest hands it over. */
    const read = (datastream: string, placeCode: string | null, when: Date, value: number) => s.app.alertStream.evaluate([{ station: 'ST', datastream, placeCode, at: when.toISOString(), value }]);

    it('saves rules, refuses one whose parameters do not fit its kind, answers unknown codes', async () => {
      const created = await put('PM25_HIGH', { names, kind: 'threshold', subject: { indicator: 'PM25', place: '86' }, parameters: { high: 50, band: 5 }, severity: 'warning' });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json()).toMatchObject({ code: 'PM25_HIGH', parameters: { high: 50, band: 5 }, escalation: [], enabled: true, demo: false });
      expect((await put('PM25_HIGH', { names, kind: 'threshold', subject: { indicator: 'PM25', place: '86' }, parameters: { high: 50, band: 5 }, severity: 'critical' })).statusCode).toBe(200);
      const bad = await put('BAD', { names, kind: 'threshold', subject: { source: 'x' }, parameters: { band: -1 }, severity: 'warning' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ error: 'invalid_alert_rule' });
      expect(bad.json<{ details: { problems: string[] } }>().details.problems).toContain('subject.source: not used by a threshold rule');
      expect((await s.app.inject('/api/alert-rules/NOPE')).json()).toMatchObject({ error: 'unknown_alert_rule' });
      expect((await s.app.inject('/api/alerts/999999')).json()).toMatchObject({ error: 'unknown_alert' });
      expect((await s.app.inject('/api/alert-rules')).json<{ rules: { code: string }[] }>().rules.map((r) => r.code)).toEqual(['PM25_HIGH']);
    });

    it('raises an alert from figures written through the one write path, once, and resolves it when the figure clears', async () => {
      const send = (period: string, value: number) =>
        post('/api/observations', { source: 'quan-trac', observations: [{ indicator: 'PM25', place: '86', period, value }] });
      expect((await send('2026-11-25', 30)).statusCode).toBe(200);
      await s.app.alerts.idle();
      expect(await alertsOf('PM25_HIGH')).toEqual([]);
      await send('2026-11-26', 62);
      await s.app.alerts.idle();
      // The same figure evaluated again changes nothing: one alert per rule × subject.
      await s.app.alerts.evaluateObservations({ indicators: ['PM25'], places: ['86'] });
      const [a] = await alertsOf('PM25_HIGH');
      expect(a).toMatchObject({ status: 'open', severity: 'critical', subjectKey: 'PM25@86', placeCode: '86', value: 62 });
      expect(live).toContainEqual({ type: 'alert.changed', id: a?.id, rule: 'PM25_HIGH', status: 'open', severity: 'critical' });
      // 47 is below the threshold but within the band: still open.
      await send('2026-11-27', 47);
      await s.app.alerts.idle();
      expect((await alertsOf('PM25_HIGH'))[0]?.status).toBe('open');
      await send('2026-11-28', 44);
      await s.app.alerts.idle();
      const [resolved] = await alertsOf('PM25_HIGH');
      expect(resolved).toMatchObject({ id: a?.id, status: 'resolved', autoResolved: true, resolvedBy: 'system' });
      expect((await detail(a?.id ?? 0)).timeline.map((e) => e.kind)).toEqual(['opened', 'resolved']);
    });

    it('does not flap around a sensor threshold (hysteresis) and watches the low side', async () => {
      await put('DO_LEVELS', { names, kind: 'threshold', subject: { datastream: 'HT-DO' }, parameters: { high: 8, low: 4, band: 0.5 }, severity: 'warning' });
      const values = [6, 8.1, 7.9, 7.6, 8.2, 7.4, 7.9, 4, 4.4, 4.6];
      for (const [i, v] of values.entries()) await read('HT-DO', '29242', at(i), v);
      const list = await alertsOf('DO_LEVELS');
      expect(list.map((a) => [a.value, a.status, a.autoResolved])).toEqual([
        [4, 'resolved', true],
        [8.1, 'resolved', true],
      ]);
      // A reading older than the last one seen changes nothing.
      await read('HT-DO', '29242', at(1), 100);
      expect(await alertsOf('DO_LEVELS')).toHaveLength(2);
    });

    it('raises on a fast rise between consecutive readings', async () => {
      await put('WL_RISE', { names, kind: 'rate_of_change', subject: { datastream: 'WL-1' }, parameters: { maxPerHour: 20, direction: 'up' }, severity: 'critical' });
      await read('WL-1', null, at(0), 100);
      await read('WL-1', null, at(30), 105);
      expect(await alertsOf('WL_RISE')).toEqual([]);
      await read('WL-1', null, at(45), 112);
      expect((await alertsOf('WL_RISE'))[0]).toMatchObject({ status: 'open', value: 112 });
      expect((await alertsOf('WL_RISE'))[0]?.message).toContain('28 per hour');
    });

    it('keeps one open alert per rule × subject when evaluations race', async () => {
      await put('RACE', { names, kind: 'threshold', subject: { datastream: 'RACE-1' }, parameters: { high: 1 }, severity: 'info' });
      // Eight instances on one database, each judging a reading of the same station at once: each finds no alert open in its memory.
      const instances = Array.from({ length: 8 }, () => new AlertStream(s.ctx, s.app.alerts));
      try {
        await Promise.all(instances.map((stream, i) => stream.evaluate([{ station: 'ST', datastream: 'RACE-1', placeCode: null, at: at(100 + i).toISOString(), value: 5 + i }])));
      } finally {
        await Promise.all(instances.map((stream) => stream.stop()));
      }
      expect((await alertsOf('RACE')).map((a) => [a.subjectKey, a.status])).toEqual([['ds:ST/RACE-1', 'open']]);
      const repo = new AlertsRepository(s.store.db);
      const raced = await Promise.all(
        Array.from({ length: 8 }, () =>
          s.store.db.transaction().execute((trx) =>
            new AlertsRepository(trx).raise({ ruleCode: 'RACE', subjectKey: 'other', placeCode: null, orgCode: null, severity: 'info', value: 1, message: 'x', at: TEST_NOW }),
          ),
        ),
      );
      expect(raced.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(raced.map((r) => r.alert.id)).size).toBe(1);
      expect((await repo.list({ ruleCode: 'RACE' }, ALL_ROWS)).length).toBe(2);
    });

    it('escalates an unacknowledged alert after N minutes, and acknowledging stops it', async () => {
      await put('ESC', {
        names,
        kind: 'threshold',
        subject: { datastream: 'ESC-1' },
        parameters: { high: 10 },
        severity: 'critical',
        escalation: [
          { afterMinutes: 15, level: 1 },
          { afterMinutes: 60, level: 2 },
        ],
      });
      await put('ESC_B', { names, kind: 'threshold', subject: { datastream: 'ESC-2' }, parameters: { high: 10 }, severity: 'critical', escalation: [{ afterMinutes: 15, level: 1 }] });
      clockAt(at(0));
      await read('ESC-1', null, at(0), 11);
      await read('ESC-2', null, at(0), 11);
      const [a] = await alertsOf('ESC');
      const [b] = await alertsOf('ESC_B');
      await s.app.alerts.tick(at(14));
      expect((await detail(a?.id ?? 0)).escalationLevel).toBe(0);
      await s.app.alerts.tick(at(16));
      await s.app.alerts.tick(at(17));
      expect((await detail(a?.id ?? 0)).escalationLevel).toBe(1);
      expect((await detail(b?.id ?? 0)).escalationLevel).toBe(1);
      clockAt(at(20));
      const ack = await post(`/api/alerts/${a?.id}/acknowledge`, { actor: 'truc.ban', note: 'đang xử lý' });
      expect(ack.json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'truc.ban', acknowledgedAt: at(20).toISOString() });
      await s.app.alerts.tick(at(61));
      const d = await detail(a?.id ?? 0);
      expect(d.escalationLevel).toBe(1);
      expect(d.timeline.map((e) => [e.kind, e.actor, e.value])).toEqual([
        ['opened', 'system', 11],
        ['escalated', 'system', 1],
        ['acknowledged', 'truc.ban', null],
      ]);
      // Resolving twice, or acknowledging a resolved alert, is refused.
      expect((await post(`/api/alerts/${a?.id}/resolve`, { actor: 'truc.ban', note: 'đã xử lý' })).json()).toMatchObject({ status: 'resolved', resolvedBy: 'truc.ban', autoResolved: false });
      const again = await post(`/api/alerts/${a?.id}/resolve`);
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ error: 'invalid_transition' });
      expect((await post(`/api/alerts/${a?.id}/acknowledge`)).json()).toMatchObject({ error: 'invalid_transition' });
      clockAt(new Date(T0));
    });

    it('raises when a datastream falls silent for N periods and resolves on the next reading', async () => {
      clockAt(at(0));
      await put('SILENT', { names, kind: 'no_data', subject: { datastream: 'NODATA-1' }, parameters: { periodMinutes: 15, periods: 2 }, severity: 'warning' });
      await read('NODATA-1', '86', at(0), 1);
      // What the stream last saw reaches the database within its checkpoint; the tick below reads it.
      await s.app.alertStream.flush();
      await s.app.alerts.tick(at(29));
      expect(await alertsOf('SILENT')).toEqual([]);
      await s.app.alerts.tick(at(31));
      expect((await alertsOf('SILENT'))[0]).toMatchObject({ status: 'open', placeCode: '86', value: null });
      await s.app.alerts.tick(at(40));
      expect(await alertsOf('SILENT')).toHaveLength(1);
      await read('NODATA-1', '86', at(41), 2);
      expect((await alertsOf('SILENT'))[0]).toMatchObject({ status: 'resolved', autoResolved: true });
    });

    it('warns of a case due within 24 hours, marks it overdue, resolves when the case is finished', async () => {
      await put('CASE_DUE', { names, kind: 'case_deadline', subject: { category: 'GIAO_THONG' }, parameters: {}, severity: 'warning' });
      const c = (await post('/api/cases', { category: 'GIAO_THONG', title: 'Ổ gà', ...TRA_VINH })).json<{ id: string; deadlineAt: string }>();
      // GIAO_THONG has 48 hours.
      await s.app.alerts.tick(at(23 * 60));
      expect(await alertsOf('CASE_DUE')).toEqual([]);
      await s.app.alerts.tick(at(25 * 60));
      const [a] = await alertsOf('CASE_DUE');
      expect(a).toMatchObject({ subjectKey: `case:${c.id}`, status: 'open', value: 23 });
      await s.app.alerts.tick(at(49 * 60));
      const d = await detail(a?.id ?? 0);
      expect(d.message).toContain('overdue');
      expect(d.timeline.map((e) => [e.kind, e.note])).toEqual([
        ['opened', 'due_soon'],
        ['value', 'overdue'],
      ]);
      expect((await post(`/api/cases/${c.id}/status`, { status: 'rejected' })).statusCode).toBe(200);
      await s.app.alerts.tick(at(50 * 60));
      expect((await alertsOf('CASE_DUE'))[0]).toMatchObject({ status: 'resolved', autoResolved: true });
    });

    it("warns the responsible agency of a dossier about to fall due, and resolves when it is resolved", async () => {
      await put('DOSSIER_DUE', { names, kind: 'dossier_deadline', subject: {}, parameters: { windowHours: 24 }, severity: 'warning' });
      const dossier = (due: string, resolvedAt: string | null) => ({ code: 'HS-1', procedure: '1.001234', organisation: 'VL-TTHCC', receivedAt: '2026-11-20T08:00:00+07:00', dueAt: due, resolvedAt, channel: 'online' });
      expect((await s.app.inject({ method: 'PUT', url: '/api/dossiers', payload: { dossiers: [dossier('2026-11-28T17:00:00+07:00', null), { ...dossier('2026-12-10T17:00:00+07:00', null), code: 'HS-2' }] } })).statusCode).toBe(200);
      await s.app.alerts.tick(at(0));
      const list = (await s.app.inject('/api/alerts?agency=VL-TTHCC&status=open')).json<{ alerts: Alert[] }>().alerts;
      expect(list.map((a) => [a.subjectKey, a.agency, a.value])).toEqual([['dossier:HS-1', 'VL-TTHCC', 7]]);
      await s.app.inject({ method: 'PUT', url: '/api/dossiers', payload: { dossiers: [dossier('2026-11-28T17:00:00+07:00', '2026-11-28T11:00:00+07:00')] } });
      await s.app.alerts.tick(at(5));
      expect((await alertsOf('DOSSIER_DUE'))[0]).toMatchObject({ status: 'resolved', autoResolved: true });
    });

    it('starts a procedure on an alert, ticks steps by whom and when, lists overdue steps of alerts and cases', async () => {
      clockAt(at(0));
      const sop = [
        { title: 'Xác minh', role: 'Trực ban', expectedMinutes: 15 },
        { title: 'Báo cơ quan', role: 'Trực ban', expectedMinutes: 30 },
      ];
      await put('SOP_RULE', { names, kind: 'threshold', subject: { datastream: 'SOP-1' }, parameters: { high: 1 }, severity: 'warning', sop });
      await put('NO_SOP', { names, kind: 'threshold', subject: { datastream: 'SOP-2' }, parameters: { high: 1 }, severity: 'warning' });
      await read('SOP-1', null, at(0), 2);
      const c = (await post('/api/cases', { category: 'GIAO_THONG', title: 'Cây đổ', ...TRA_VINH })).json<{ id: string }>();
      await read('SOP-2', null, at(0), 2);
      const [a] = await alertsOf('SOP_RULE');
      const [b] = await alertsOf('NO_SOP');
      expect((await post(`/api/alerts/${b?.id}/sop`)).json()).toMatchObject({ error: 'no_sop' });
      const started = (await post(`/api/alerts/${a?.id}/sop`, { actor: 'truc.ban' })).json<AlertDetail>();
      expect(started.sopSteps.map((x) => [x.step, x.dueAt, x.doneAt])).toEqual([
        [1, at(15).toISOString(), null],
        [2, at(45).toISOString(), null],
      ]);
      expect((await post(`/api/alerts/${a?.id}/sop`)).json()).toMatchObject({ error: 'sop_started' });
      clockAt(at(10));
      const done = (await post(`/api/alerts/${a?.id}/sop-steps/1/done`, { actor: 'nguyen.van.a' })).json<AlertDetail>();
      expect(done.sopSteps[0]).toMatchObject({ doneBy: 'nguyen.van.a', doneAt: at(10).toISOString() });
      expect((await post(`/api/alerts/${a?.id}/sop-steps/1/done`)).json()).toMatchObject({ error: 'sop_step_done' });
      expect((await post(`/api/alerts/${a?.id}/sop-steps/9/done`)).json()).toMatchObject({ error: 'unknown_sop_step' });
      // Who started the procedure and who ticked each step stay in the audit log, refusals leave nothing.
      const audit = (await s.app.inject(`/api/audit?entity=alert:${a?.id}`)).json<{ events: AuditEvent[] }>().events;
      expect(audit.map((e) => [e.action, e.actor])).toEqual([
        ['alert.sop_step', 'nguyen.van.a'],
        ['alert.sop_start', 'truc.ban'],
      ]);
      expect(audit[0]).toMatchObject({ before: { sopStep: { step: 1, doneAt: null } }, after: { sopStep: { step: 1, doneBy: 'nguyen.van.a', doneAt: at(10).toISOString() } } });
      expect(audit[1]).toMatchObject({ before: { sopSteps: 0 }, after: { sopSteps: 2, timelineEvent: expect.any(Number) } });
      clockAt(at(70));
      const overdue = (await s.app.inject('/api/sop-steps/overdue')).json<{ steps: { on: string; id: string; step: number; overdueMinutes: number }[] }>().steps;
      expect(overdue.filter((x) => x.on === 'alert')).toEqual([expect.objectContaining({ on: 'alert', id: String(a?.id), step: 2, overdueMinutes: 25 })]);
      // A case's procedure counts from its receipt: its first step (60 minutes) is 10 minutes late.
      expect(overdue.filter((x) => x.on === 'case')).toEqual([expect.objectContaining({ id: c.id, step: 1, overdueMinutes: 10 })]);
      clockAt(new Date(T0));
    });

    it('raises on a late source and resolves once it delivers', async () => {
      clockAt(at(0));
      const created = await post('/api/sources', { code: 'QT-STREAM', name: 'Quan trắc', kind: 'http_push', ownerOrganisationCode: 'VL-STC', expected: { every: 'PT1H' } });
      expect(created.statusCode, created.body).toBe(201);
      await put('LATE_SOURCE', { names, kind: 'source_freshness', subject: { source: 'QT-STREAM' }, parameters: {}, severity: 'info' });
      await s.app.alerts.tick(at(59));
      expect(await alertsOf('LATE_SOURCE')).toEqual([]);
      await s.app.alerts.tick(at(90));
      expect((await alertsOf('LATE_SOURCE'))[0]).toMatchObject({ subjectKey: 'source:QT-STREAM', agency: 'VL-STC', status: 'open', value: 0.5 });
      await new SourcesRepository(s.store.db).recordArrival('QT-STREAM', at(95).toISOString(), null);
      await s.app.alerts.tick(at(96));
      expect((await alertsOf('LATE_SOURCE'))[0]).toMatchObject({ status: 'resolved', autoResolved: true });
      clockAt(new Date(T0));
    });

    it('seeds the demo rules once, flagged demo, leaving an edited rule alone', async () => {
      expect(await seedDemoAlertRules(s.store, { clock: baseClock })).toEqual({ added: 5 });
      expect(await seedDemoAlertRules(s.store, { clock: baseClock })).toEqual({ added: 0 });
      const r = (await s.app.inject('/api/alert-rules/DEMO_PM25_HIGH')).json<{ demo: boolean; subject: unknown }>();
      expect(r).toMatchObject({ demo: true, subject: { indicator: 'ENV_PM25', place: '86', subtree: true } });
    });
  });
}
