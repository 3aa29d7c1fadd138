import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_OUTBOUND_ALLOW, type AlertDetail, type Notification } from '@watchfloor/core';
import { connectFailureMessage } from '@watchfloor/connectors';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { AlertService } from './service';
import { webhookPeer } from './test-support';

const T0 = Date.parse(TEST_NOW);
const at = (seconds: number) => new Date(T0 + seconds * 1000);

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`alert webhooks on ${engine.engine}`, () => {
    let s: TestServer;
    let alerts: AlertService;
    beforeAll(async () => {
      // The peers listen on loopback: allowed, as an administrator would list them.
      s = await openTestServer(engine, { env: { WATCHFLOOR_OUTBOUND_ALLOW: '127.0.0.1' } });
      // A short timeout keeps the peer that never answers quick to give up on.
      alerts = new AlertService(s.ctx, { webhookTimeoutMs: 150 });
    });
    afterAll(async () => s?.close());

    const rule = (code: string, webhook: string, datastream: string) =>
      s.app.inject({
        method: 'PUT',
        url: `/api/alert-rules/${code}`,
        payload: { names: { vi: 'Webhook', en: 'Webhook' }, kind: 'threshold', subject: { datastream }, parameters: { high: 10 }, severity: 'critical', webhook },
      });
    const notificationsOf = async (alertId: number) => (await s.app.inject(`/api/alerts/${alertId}`)).json<AlertDetail>();

    it('retries a failing webhook with backoff until it is delivered, every attempt recorded', async () => {
      const hook = await webhookPeer([500, 503, 200]);
      try {
        expect((await rule('HOOK_OK', hook.url, 'WH-1')).statusCode).toBe(201);
        await s.app.alertStream.evaluate([{ station: 'ST', datastream: 'WH-1', placeCode: '86', at: at(0).toISOString(), value: 12 }]);
        await alerts.deliverDue(at(0));
        const [id] = (await s.app.inject('/api/alerts?rule=HOOK_OK')).json<{ alerts: { id: number }[] }>().alerts.map((a) => a.id);
        let d = await notificationsOf(id ?? 0);
        expect(d.notifications).toEqual([expect.objectContaining({ channel: 'webhook', target: hook.url, status: 'pending', attempts: 1, lastError: 'HTTP 500', nextAttemptAt: at(30).toISOString() })]);
        // Not due yet: nothing is sent.
        await alerts.deliverDue(at(20));
        expect(hook.received).toHaveLength(1);
        await alerts.deliverDue(at(30));
        await alerts.deliverDue(at(90));
        d = await notificationsOf(id ?? 0);
        expect(d.notifications).toEqual([expect.objectContaining({ status: 'delivered', attempts: 3, nextAttemptAt: null })]);
        expect(hook.received).toHaveLength(3);
        expect(hook.received[0]).toMatchObject({ event: 'opened', alert: { id, rule: 'HOOK_OK', subject: 'ds:ST/WH-1', place: '86', severity: 'critical', status: 'open', value: 12 } });
        expect(d.timeline.at(-1)).toMatchObject({ kind: 'notified', value: 3, note: `webhook ${hook.url} delivered` });
        // Resolving tells the webhook too.
        await s.app.alertStream.evaluate([{ station: 'ST', datastream: 'WH-1', placeCode: '86', at: at(100).toISOString(), value: 3 }]);
        await alerts.deliverDue(at(100));
        expect(hook.received.at(-1)).toMatchObject({ event: 'resolved', alert: { id, status: 'resolved' } });
      } finally {
        await hook.close();
      }
    });

    it('gives up after the last attempt on a peer that never answers and keeps the failure visible', async () => {
      const hook = await webhookPeer([], true);
      try {
        await rule('HOOK_SILENT', hook.url, 'WH-2');
        await s.app.alertStream.evaluate([{ station: 'ST', datastream: 'WH-2', placeCode: null, at: at(0).toISOString(), value: 50 }]);
        // 30 s, 1, 2, 4 minutes apart: the fifth attempt is the last.
        for (const t of [0, 30, 90, 210, 450, 10_000]) await alerts.deliverDue(at(t));
        expect(hook.received).toHaveLength(5);
        const failed = (await s.app.inject('/api/notifications?status=failed')).json<{ notifications: Notification[] }>().notifications;
        const silence = connectFailureMessage(new URL(hook.url).origin);
        expect(failed).toEqual([expect.objectContaining({ target: hook.url, status: 'failed', attempts: 5, nextAttemptAt: null, lastError: silence })]);
        const [id] = (await s.app.inject('/api/alerts?rule=HOOK_SILENT')).json<{ alerts: { id: number }[] }>().alerts.map((a) => a.id);
        expect((await notificationsOf(id ?? 0)).timeline.at(-1)).toMatchObject({ kind: 'notified', note: `webhook ${hook.url} failed after 5 attempts: ${silence}` });
      } finally {
        await hook.close();
      }
    });

    it('records a refused connection as a failed attempt, in the same words as a peer that never answers', async () => {
      const hook = await webhookPeer([200]);
      const url = hook.url;
      await hook.close();
      await rule('HOOK_CLOSED', url, 'WH-3');
      await s.app.alertStream.evaluate([{ station: 'ST', datastream: 'WH-3', placeCode: null, at: at(0).toISOString(), value: 50 }]);
      await alerts.deliverDue(at(0));
      const pending = (await s.app.inject('/api/notifications?status=pending')).json<{ notifications: Notification[] }>().notifications;
      // Refused and silent read alike: the recorded errors cannot tell which ports are open.
      expect(pending).toEqual([expect.objectContaining({ target: url, attempts: 1, lastError: connectFailureMessage(new URL(url).origin) })]);
    });

    it('refuses a webhook to an inside address unless an administrator allows it, posting nothing', async () => {
      const hook = await webhookPeer([200]);
      try {
        const guarded = new AlertService({ ...s.ctx, config: { ...s.ctx.config, outboundAllow: NO_OUTBOUND_ALLOW } }, { webhookTimeoutMs: 150 });
        await rule('HOOK_INSIDE', hook.url, 'WH-4');
        await s.app.alertStream.evaluate([{ station: 'ST', datastream: 'WH-4', placeCode: null, at: at(0).toISOString(), value: 50 }]);
        await guarded.deliverDue(at(0));
        expect(hook.received).toHaveLength(0);
        const [id] = (await s.app.inject('/api/alerts?rule=HOOK_INSIDE')).json<{ alerts: { id: number }[] }>().alerts.map((a) => a.id);
        expect((await notificationsOf(id ?? 0)).notifications).toEqual([
          expect.objectContaining({ target: hook.url, attempts: 1, lastError: expect.stringMatching(/^Requests to 127\.0\.0\.1:\d+ are not allowed: 127\.0\.0\.1 is a loopback/) as unknown as string }),
        ]);
        // Allowed (the server's own list), the same notification goes out.
        await alerts.deliverDue(at(30));
        expect(hook.received).toHaveLength(1);
      } finally {
        await hook.close();
      }
    });

    it('ticks once across instances sharing the lease', async () => {
      const [a, b] = await Promise.all([alerts.tickUnderLease('instance-a', at(0)), alerts.tickUnderLease('instance-b', at(0))]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      // The holder renews; the other gets it only once the lease has run out.
      expect(await alerts.tickUnderLease(a ? 'instance-a' : 'instance-b', at(15))).toBe(true);
      expect(await alerts.tickUnderLease(a ? 'instance-b' : 'instance-a', at(30))).toBe(false);
      expect(await alerts.tickUnderLease(a ? 'instance-b' : 'instance-a', at(200))).toBe(true);
    });
  });
}
