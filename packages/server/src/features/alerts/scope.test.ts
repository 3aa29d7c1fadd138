import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, grantSchema, type Alert, type AlertDetail, type AlertRule, type CapMessage, type GrantInput, type Notification, type OverdueStep } from '@watchfloor/core';
import { AlertsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { IdentityService } from '../identity/service';

/**
 * Alerts kept within scope: two operators, of Phường Trà Vinh (29242) and
 * of 29254, each see only the alerts of their own ward (list, detail, the
 * overdue steps of their procedures, notifications), and cannot act on the
 * other's (404, as for an alert that does not exist). A leader of 29242
 * reads its alerts but may not handle them (403). Signed-in users are
 * recorded by their login, whatever the body names.
 */
const PASSWORD = 'alerts scope password 0123';
const T0 = Date.parse(TEST_NOW);
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** A CAP warning over a small square inside Phường Trà Vinh (29242), clear of its neighbours. */
const CAP_IN_29242 = `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>TV-SCOPE-1</identifier>
  <sender>canhbao@kttv-nambo.example.vn</sender>
  <sent>2026-11-28T08:00:00+07:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>vi-VN</language>
    <category>Met</category>
    <event>Triều cường</event>
    <urgency>Expected</urgency>
    <severity>Severe</severity>
    <certainty>Likely</certainty>
    <headline>Cảnh báo triều cường tại Phường Trà Vinh</headline>
    <area>
      <areaDesc>Phường Trà Vinh</areaDesc>
      <polygon>9.9,106.335 9.9,106.345 9.91,106.345 9.91,106.335 9.9,106.335</polygon>
    </area>
  </info>
</alert>`;

interface Caller {
  read: Record<string, string>;
  write: Record<string, string>;
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`alerts within scope (${engine.engine})`, () => {
    let s: TestServer;
    let address = 0;
    const callers: Record<string, Caller> = {};
    const ids = { A: 0, B: 0 };

    const signIn = async (login: string, roles: GrantInput[]): Promise<Caller> => {
      await new IdentityService(s.ctx).createUser({ login, displayName: login, password: PASSWORD, mustChangePassword: false, roles: roles.map((g) => grantSchema.parse(g)) });
      const r = await s.anonymous({ method: 'POST', url: '/api/auth/sign-in', payload: { login, password: PASSWORD }, remoteAddress: `10.8.0.${++address}` });
      expect(r.statusCode, r.body).toBe(200);
      const cookie = r.cookies.find((c) => c.name === 'wf_session');
      if (!cookie) throw new Error('no session cookie');
      const read = { cookie: `wf_session=${cookie.value}` };
      return { read, write: { ...read, 'x-csrf-token': r.json<{ csrfToken: string }>().csrfToken } };
    };
    const get = (who: Caller, url: string) => s.app.inject({ method: 'GET', url, headers: who.read });
    const post = (who: Caller, url: string, payload: object = {}) => s.app.inject({ method: 'POST', url, headers: who.write, payload });
    const alertIds = async (who: Caller, query = '') => (await get(who, `/api/alerts${query}`)).json<{ alerts: Alert[] }>().alerts.map((a) => a.id).sort((a, b) => a - b);

    beforeAll(async () => {
      s = await openTestServer(engine);
      // As the all-roles test token: a rule with a procedure on two sensors, one in each ward, raised the way sensor readings raise.
      const rule = (code: string, datastream: string) =>
        s.app.inject({
          method: 'PUT',
          url: `/api/alert-rules/${code}`,
          payload: {
            names: { vi: 'Oxy hòa tan thấp', en: 'Low dissolved oxygen' },
            kind: 'threshold',
            subject: { datastream },
            parameters: { low: 4, band: 0.5 },
            severity: 'warning',
            sop: [{ title: 'Kiểm tra trạm', role: 'operator', expectedMinutes: 30 }],
          },
        });
      for (const [code, datastream] of [
        ['DO_LOW', 'DO-A'],
        ['DO_LOW_B', 'DO-B'],
      ] as const) {
        const r = await rule(code, datastream);
        expect(r.statusCode, r.body).toBe(201);
      }
      await s.app.alertStream.evaluate([{ station: 'ST', datastream: 'DO-A', placeCode: '29242', at: at(0), value: 3.1 }]);
      await s.app.alertStream.evaluate([{ station: 'ST', datastream: 'DO-B', placeCode: '29254', at: at(0), value: 2.7 }]);
      const all = (await s.app.inject('/api/alerts')).json<{ alerts: Alert[] }>().alerts;
      ids.A = all.find((a) => a.placeCode === '29242')?.id ?? 0;
      ids.B = all.find((a) => a.placeCode === '29254')?.id ?? 0;
      expect(ids.A).toBeGreaterThan(0);
      expect(ids.B).toBeGreaterThan(0);
      for (const id of [ids.A, ids.B]) expect((await s.app.inject({ method: 'POST', url: `/api/alerts/${id}/sop`, payload: {} })).statusCode).toBe(200);
      // An hour later, both first steps (30 minutes) are overdue.
      s.ctx.clock = fixedClock(at(60));
      callers.A = await signIn('op-29242', [{ role: 'operator', organisationCode: null, placeCode: '29242' }]);
      callers.B = await signIn('op-29254', [{ role: 'operator', organisationCode: null, placeCode: '29254' }]);
      callers.leaderA = await signIn('leader-29242', [{ role: 'leader', organisationCode: null, placeCode: '29242' }]);
    });
    afterAll(async () => s?.close());

    it('lists to each operator only the alerts of their ward; unscoped callers see both', async () => {
      expect(await alertIds(callers.A!)).toEqual([ids.A]);
      expect(await alertIds(callers.B!)).toEqual([ids.B]);
      expect(await alertIds(callers.A!, '?place=29254')).toEqual([]);
      expect(await alertIds(callers.leaderA!)).toEqual([ids.A]);
      expect((await s.app.inject('/api/alerts')).json<{ alerts: Alert[] }>().alerts.map((a) => a.id).sort((a, b) => a - b)).toEqual([ids.A, ids.B].sort((a, b) => a - b));
      // The anonymous may not list alerts at all.
      expect((await s.anonymous({ method: 'GET', url: '/api/alerts' })).statusCode).toBe(401);
      // Exported, the list holds the same alerts: the header, then A's alert alone.
      const csv = await get(callers.A!, '/api/alerts?format=csv');
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines[0]).toMatch(/^Mã,Quy tắc,Mức độ,Trạng thái,Mã đơn vị hành chính,/);
      expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual([ids.A]);
      expect(lines[1]!.split(',')[4]).toBe('29242');
    });

    it("answers the other ward's alert as unknown (404), its own in full", async () => {
      const own = await get(callers.A!, `/api/alerts/${ids.A}`);
      expect(own.statusCode).toBe(200);
      expect(own.json<AlertDetail>()).toMatchObject({ id: ids.A, placeCode: '29242', sopSteps: [{ step: 1, doneAt: null }] });
      const other = await get(callers.A!, `/api/alerts/${ids.B}`);
      expect(other.statusCode).toBe(404);
      expect(other.json()).toMatchObject({ error: 'unknown_alert' });
      expect((await get(callers.A!, '/api/alerts/999999')).json()).toMatchObject({ error: 'unknown_alert' });
      expect((await get(callers.B!, `/api/alerts/${ids.A}`)).statusCode).toBe(404);
    });

    it('lists to each only the overdue steps of their own alerts', async () => {
      const steps = async (who: Caller) => (await get(who, '/api/sop-steps/overdue')).json<{ steps: OverdueStep[] }>().steps.filter((x) => x.on === 'alert').map((x) => x.id);
      expect(await steps(callers.A!)).toEqual([String(ids.A)]);
      expect(await steps(callers.B!)).toEqual([String(ids.B)]);
      expect((await s.app.inject('/api/sop-steps/overdue')).json<{ steps: OverdueStep[] }>().steps.filter((x) => x.on === 'alert')).toHaveLength(2);
    });

    it("cannot acknowledge, resolve, publish or work the other ward's alert (404); a leader who reads it may not handle it (403)", async () => {
      for (const action of ['acknowledge', 'resolve', 'publish', 'unpublish', 'sop', 'sop-steps/1/done']) {
        const r = await post(callers.A!, `/api/alerts/${ids.B}/${action}`);
        expect([action, r.statusCode, r.json<{ error: string }>().error]).toEqual([action, 404, 'unknown_alert']);
      }
      const leader = await post(callers.leaderA!, `/api/alerts/${ids.A}/acknowledge`);
      expect(leader.statusCode).toBe(403);
      expect(leader.json()).toMatchObject({ error: 'forbidden' });
      // Nothing moved.
      expect((await s.app.inject(`/api/alerts/${ids.B}`)).json<AlertDetail>()).toMatchObject({ status: 'open', public: false, acknowledgedBy: null });
      expect((await s.app.inject(`/api/alerts/${ids.A}`)).json<AlertDetail>().status).toBe('open');
    });

    it('acts on its own alert, recorded by its login whatever the body names', async () => {
      const ack = await post(callers.A!, `/api/alerts/${ids.A}/acknowledge`, { actor: 'someone else', note: 'đang xử lý' });
      expect(ack.statusCode, ack.body).toBe(200);
      expect(ack.json<AlertDetail>()).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'op-29242' });
      const step = await post(callers.A!, `/api/alerts/${ids.A}/sop-steps/1/done`, { actor: 'someone else' });
      expect(step.json<AlertDetail>().sopSteps[0]).toMatchObject({ doneBy: 'op-29242' });
      const done = (await post(callers.A!, `/api/alerts/${ids.A}/resolve`)).json<AlertDetail>();
      expect(done).toMatchObject({ status: 'resolved', resolvedBy: 'op-29242' });
      // The procedure was started by the test token, acting for no user: the default name.
      expect(done.timeline.filter((e) => e.actor !== 'system').map((e) => [e.kind, e.actor])).toEqual([
        ['sop_started', 'operator'],
        ['acknowledged', 'op-29242'],
        ['sop_step', 'op-29242'],
        ['resolved', 'op-29242'],
      ]);
      // Its step is done: no longer overdue; the other ward's stays.
      expect((await get(callers.A!, '/api/sop-steps/overdue')).json<{ steps: OverdueStep[] }>().steps.filter((x) => x.on === 'alert')).toEqual([]);
      expect((await get(callers.B!, '/api/sop-steps/overdue')).json<{ steps: OverdueStep[] }>().steps.filter((x) => x.on === 'alert')).toHaveLength(1);
    });

    it('imports and shows a CAP message to those whose scope holds one of its places, and its alert to them alone', async () => {
      const importAs = (who: Caller) => s.app.inject({ method: 'POST', url: '/api/cap/import', headers: { ...who.write, 'content-type': 'application/cap+xml' }, payload: CAP_IN_29242 });
      // The operator of 29254 may not import a warning about 29242 alone; the operator of 29242 may.
      const refused = await importAs(callers.B!);
      expect(refused.statusCode, refused.body).toBe(403);
      expect(refused.json()).toMatchObject({ error: 'forbidden' });
      const imported = await importAs(callers.A!);
      expect(imported.statusCode, imported.body).toBe(201);
      const message = imported.json<{ message: CapMessage }>().message;
      expect(message.areas[0]?.places.map((p) => p.code)).toEqual(['29242']);
      const messages = async (who: Caller) => (await get(who, '/api/cap/messages')).json<{ messages: CapMessage[] }>().messages.map((m) => m.id);
      expect(await messages(callers.A!)).toEqual([message.id]);
      expect(await messages(callers.B!)).toEqual([]);
      expect((await get(callers.A!, `/api/cap/messages/${message.id}`)).statusCode).toBe(200);
      expect((await get(callers.B!, `/api/cap/messages/${message.id}`)).json()).toMatchObject({ error: 'not_found' });
      expect((await s.app.inject('/api/cap/messages')).json<{ messages: CapMessage[] }>().messages.map((m) => m.id)).toEqual([message.id]);
      expect(await alertIds(callers.A!, '?origin=cap')).toEqual([message.alertId]);
      expect(await alertIds(callers.B!, '?origin=cap')).toEqual([]);
      // The public feed stays public: the anonymous read it, the public alert listed.
      const feed = await s.anonymous({ method: 'GET', url: '/api/cap/alerts.atom' });
      expect(feed.statusCode).toBe(200);
      expect(feed.body).toContain(`CAP-${message.id}`);
    });

    it('judges an alert without a place where its agency is (a late source of UBND-29242)', async () => {
      const { alert } = await new AlertsRepository(s.store.db).raise({
        ruleCode: 'DO_LOW',
        subjectKey: 'source:SRC-A',
        placeCode: null,
        orgCode: 'UBND-29242',
        severity: 'warning',
        value: null,
        message: 'Source SRC-A is late',
        at: at(60),
      });
      expect(await alertIds(callers.A!, '?agency=UBND-29242')).toEqual([alert.id]);
      expect(await alertIds(callers.B!, '?agency=UBND-29242')).toEqual([]);
      expect((await get(callers.B!, `/api/alerts/${alert.id}`)).statusCode).toBe(404);
      expect((await post(callers.A!, `/api/alerts/${alert.id}/acknowledge`)).json<AlertDetail>()).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'op-29242' });
    });

    it('narrows alert rules like their alerts: each reads the rules about their ward (others 404), and only who may manage a rule sees its webhooks', async () => {
      const webhook = 'https://hooks.example.vn/ioc?key=s3cret';
      const escalation = [{ afterMinutes: 10, level: 1, notify: ['https://hooks.example.vn/escalate?key=s3cret'] }];
      const ruleOn = (place: string) => ({ names: { vi: 'Bụi mịn', en: 'PM2.5' }, kind: 'threshold', subject: { indicator: 'PM25', place }, parameters: { high: 50 }, severity: 'warning', webhook, escalation });
      for (const [code, place] of [['PM_A', '29242'], ['PM_B', '29254']] as const) {
        const r = await s.app.inject({ method: 'PUT', url: `/api/alert-rules/${code}`, payload: ruleOn(place) });
        expect(r.statusCode, r.body).toBe(201);
      }
      callers.stewardA = await signIn('steward-29242', [{ role: 'data_steward', organisationCode: null, placeCode: '29242' }]);
      const put = (who: Caller, code: string, body: object) => s.app.inject({ method: 'PUT', url: `/api/alert-rules/${code}`, headers: who.write, payload: body });
      const rules = async (who: Caller) => (await get(who, '/api/alert-rules')).json<{ rules: AlertRule[] }>().rules;

      // An operator of 29242 reads the rule about their ward, without where it posts; the datastream rules (no station registered) stand nowhere.
      expect((await rules(callers.A!)).map((r) => [r.code, r.webhook, r.escalation[0]?.notify])).toEqual([['PM_A', null, []]]);
      expect((await rules(callers.B!)).map((r) => r.code)).toEqual(['PM_B']);
      const other = await get(callers.A!, '/api/alert-rules/PM_B');
      expect(other.statusCode).toBe(404);
      expect(other.json()).toMatchObject({ error: 'unknown_alert_rule' });
      expect((await get(callers.A!, '/api/alert-rules/PM_A')).json<AlertRule>()).toMatchObject({ code: 'PM_A', webhook: null });
      expect((await get(callers.A!, '/api/alert-rules/PM_A')).body).not.toContain('s3cret');

      // A data steward of 29242 manages that rule: they see its webhooks, and may change it, not the other ward's.
      expect((await get(callers.stewardA!, '/api/alert-rules/PM_A')).json<AlertRule>()).toMatchObject({ webhook, escalation });
      expect((await rules(callers.stewardA!)).map((r) => [r.code, r.webhook])).toEqual([['PM_A', webhook]]);
      expect((await put(callers.stewardA!, 'PM_A', { ...ruleOn('29242'), severity: 'critical' })).statusCode).toBe(200);
      const hidden = await put(callers.stewardA!, 'PM_B', ruleOn('29242'));
      expect([hidden.statusCode, hidden.json<{ error: string }>().error]).toEqual([404, 'unknown_alert_rule']);
      const outside = await put(callers.stewardA!, 'PM_NEW', ruleOn('29254'));
      expect([outside.statusCode, outside.json<{ error: string }>().error]).toEqual([403, 'forbidden']);
      const everywhere = await put(callers.stewardA!, 'PM_ALL', { ...ruleOn('29242'), subject: { indicator: 'PM25' } });
      expect(everywhere.statusCode).toBe(403);
      expect((await s.app.inject('/api/alert-rules/PM_B')).json<AlertRule>()).toMatchObject({ severity: 'warning', subject: { place: '29254' } });
      expect((await s.app.inject('/api/alert-rules/PM_NEW')).statusCode).toBe(404);

      // Nor does where an alert of the rule was posted show, but to its managers: the operator sees the receiver's origin only.
      const repo = new AlertsRepository(s.store.db);
      const { alert } = await repo.raise({ ruleCode: 'PM_A', subjectKey: 'PM25@29242', placeCode: '29242', orgCode: null, severity: 'warning', value: 60, message: 'PM25 60', at: at(60) });
      await repo.addNotification({ alertId: alert.id, channel: 'webhook', target: webhook, payload: {}, status: 'failed', at: at(60) });
      const targets = async (who: Caller) => [
        ...(await get(who, `/api/alerts/${alert.id}`)).json<AlertDetail>().notifications.map((n) => n.target),
        ...(await get(who, '/api/notifications')).json<{ notifications: Notification[] }>().notifications.map((n) => n.target),
      ];
      expect(await targets(callers.A!)).toEqual(['https://hooks.example.vn/…', 'https://hooks.example.vn/…']);
      expect((await post(callers.A!, `/api/alerts/${alert.id}/acknowledge`)).json<AlertDetail>().notifications.map((n) => n.target)).toEqual(['https://hooks.example.vn/…']);
      expect(await targets(callers.stewardA!)).toEqual([webhook, webhook]);

      // Unscoped, everything, webhooks included.
      const all = (await s.app.inject('/api/alert-rules')).json<{ rules: AlertRule[] }>().rules;
      expect(all.map((r) => r.code)).toEqual(['DO_LOW', 'DO_LOW_B', 'PM_A', 'PM_B']);
      expect(all.find((r) => r.code === 'PM_B')?.webhook).toBe(webhook);
    });
  });
}
