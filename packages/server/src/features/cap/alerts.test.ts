import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, AlertDetail, CapImportResult, LiveEvent } from '@watchfloor/core';
import { readCapAlert, xmlWellFormedProblems } from '@watchfloor/connectors';
import { CapRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { REFERENCE_DATA_DIR } from '../../paths';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { alertPlaceOf } from './alerts';
import { capValidator } from './service';

const OASIS_A1 = readFileSync(join(REFERENCE_DATA_DIR, 'cap', 'cap12_oasis_example_A1_homeland_security.xml'), 'utf8');
const SENDER = 'canhbao@kttv-nambo.example.vn';
const AROUND_TRA_VINH = '9.925,106.335 9.925,106.355 9.945,106.355 9.945,106.335 9.925,106.335';

function warning(identifier: string, o: { sent: string; msgType?: string; references?: string; scope?: string; severity?: string; headline?: string; expires?: string }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${identifier}</identifier>
  <sender>${SENDER}</sender>
  <sent>${o.sent}</sent>
  <status>Actual</status>
  <msgType>${o.msgType ?? 'Alert'}</msgType>
  <scope>${o.scope ?? 'Public'}</scope>${o.scope === 'Restricted' ? '\n  <restriction>Ban chỉ huy PCTT</restriction>' : ''}${o.references ? `\n  <references>${o.references}</references>` : ''}
  <info>
    <language>vi-VN</language>
    <category>Met</category>
    <event>Triều cường</event>
    <urgency>Expected</urgency>
    <severity>${o.severity ?? 'Moderate'}</severity>
    <certainty>Likely</certainty>
    <expires>${o.expires ?? '2026-11-30T18:00:00+07:00'}</expires>
    <headline>${o.headline ?? 'Triều cường tại Trà Vinh'}</headline>
    <area>
      <areaDesc>Trung tâm Trà Vinh</areaDesc>
      <polygon>${AROUND_TRA_VINH}</polygon>
    </area>
  </info>
</alert>`;
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`CAP and alerts on ${engine.engine}`, () => {
    let s: TestServer;
    const live: LiveEvent[] = [];
    beforeAll(async () => {
      s = await openTestServer(engine, { env: { WATCHFLOOR_PUBLIC_URL: 'http://ioc.example' } });
      s.ctx.live?.subscribe((e) => live.push(e.event));
    }, 60_000);
    afterAll(async () => s?.close());

    const imported = async (xml: string): Promise<CapImportResult> => {
      const res = await s.app.inject({ method: 'POST', url: '/api/cap/import', headers: { 'content-type': 'application/cap+xml' }, payload: xml });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<CapImportResult>();
    };
    const detail = async (id: number) => (await s.app.inject(`/api/alerts/${id}`)).json<AlertDetail>();
    const post = (url: string, body: Record<string, unknown> = {}) => s.app.inject({ method: 'POST', url, payload: body });
    const feedLinks = async () => {
      const atom = (await s.app.inject({ url: '/api/cap/alerts.atom', headers: { host: 'attacker.example' } })).body;
      expect(await xmlWellFormedProblems(atom)).toEqual([]);
      return [...atom.matchAll(/<link rel="alternate" type="application\/cap\+xml" href="http:\/\/ioc\.example\/api\/cap\/alerts\/([^"]+)\.xml"/g)].map((m) => m[1]);
    };

    it('raises an alert of origin cap from the OASIS example, listed with its origin and published live', async () => {
      const { message } = await imported(OASIS_A1);
      expect(message.alertId).not.toBeNull();
      const [a] = (await s.app.inject('/api/alerts?origin=cap')).json<{ alerts: Alert[] }>().alerts;
      expect(a).toMatchObject({
        id: message.alertId,
        origin: 'cap',
        rule: 'cap',
        kind: null,
        subjectKey: 'hsas@dhs.gov,43b080713727',
        placeCode: null,
        severity: 'critical',
        status: 'open',
        message: 'Homeland Security Sets Code ORANGE',
        public: true,
      });
      expect(live).toContainEqual({ type: 'alert.changed', id: a!.id, rule: 'cap', status: 'open', severity: 'critical' });
      expect((await detail(a!.id)).timeline).toMatchObject([{ actor: 'cap', kind: 'opened', note: 'Alert 43b080713727 (2003-04-02T14:39:01-05:00)' }]);
      expect((await s.app.inject('/api/alerts?origin=rule')).json<{ alerts: Alert[] }>().alerts).toEqual([]);
      // Imported alerts have no rule, so no procedure.
      expect((await post(`/api/alerts/${a!.id}/sop`)).json()).toMatchObject({ error: 'no_sop' });
    });

    it('updates the same alert on an Update and resolves it on a Cancel, following the references', async () => {
      const first = await imported(warning('TV-100', { sent: '2026-11-28T08:00:00+07:00' }));
      const id = first.message.alertId!;
      let a = await detail(id);
      // The wards around Trà Vinh are all of Vĩnh Long: the alert names the province; the message keeps the wards.
      expect(a).toMatchObject({ origin: 'cap', placeCode: '86', severity: 'warning', status: 'open', message: 'Triều cường tại Trà Vinh', subjectKey: `${SENDER},TV-100` });
      expect((await new CapRepository(s.store.db).places(first.message.id)).map((p) => p.place_code)).toContain('29242');
      expect((await s.app.inject('/api/alerts?place=86&origin=cap')).json<{ alerts: Alert[] }>().alerts.map((x) => x.id)).toEqual([id]);

      const update = await imported(
        warning('TV-101', { sent: '2026-11-28T09:00:00+07:00', msgType: 'Update', references: `${SENDER},TV-100,2026-11-28T08:00:00+07:00`, severity: 'Extreme', headline: 'Triều cường dâng cao tại Trà Vinh' }),
      );
      expect(update.message.alertId).toBe(id);
      a = await detail(id);
      expect(a).toMatchObject({ severity: 'critical', status: 'open', message: 'Triều cường dâng cao tại Trà Vinh', subjectKey: `${SENDER},TV-100` });
      expect(a.timeline.map((e) => [e.actor, e.kind])).toEqual([
        ['cap', 'opened'],
        ['cap', 'updated'],
      ]);
      expect((await s.app.inject('/api/alerts?origin=cap&status=open')).json<{ alerts: Alert[] }>().alerts.filter((x) => x.subjectKey.startsWith(SENDER))).toHaveLength(1);

      const cancel = await imported(warning('TV-102', { sent: '2026-11-28T10:00:00+07:00', msgType: 'Cancel', references: `${SENDER},TV-101,2026-11-28T09:00:00+07:00` }));
      expect(cancel.message.alertId).toBe(id);
      a = await detail(id);
      expect(a).toMatchObject({ status: 'resolved', resolvedBy: 'cap', autoResolved: false });
      expect(a.timeline.at(-1)).toMatchObject({ actor: 'cap', kind: 'resolved', note: 'Cancel TV-102 (2026-11-28T10:00:00+07:00)' });
      expect(live).toContainEqual({ type: 'alert.changed', id, rule: 'cap', status: 'resolved', severity: 'critical' });
    });

    it('resolves a CAP alert on the alerts tick once it expires', async () => {
      const { message } = await imported(warning('TV-200', { sent: '2026-11-28T09:30:00+07:00', expires: '2026-11-28T12:00:00+07:00' }));
      const id = message.alertId!;
      expect((await detail(id)).expiresAt).toMatch(/^2026-11-28T05:00:00(\.000)?Z$/);
      await s.app.alerts.tick(new Date('2026-11-28T04:59:00Z'));
      expect((await detail(id)).status).toBe('open');
      await s.app.alerts.tick(new Date('2026-11-28T05:00:00Z'));
      const a = await detail(id);
      expect(a).toMatchObject({ status: 'resolved', resolvedBy: 'system', autoResolved: true });
      expect(a.timeline.at(-1)?.note).toMatch(/^expired at 2026-11-28T05:00:00/);
    });

    it('keeps a restricted CAP alert out of the feed until an operator publishes it', async () => {
      const { message } = await imported(warning('TV-300', { sent: '2026-11-28T09:45:00+07:00', scope: 'Restricted' }));
      expect((await detail(message.alertId!)).public).toBe(false);
      expect(await feedLinks()).not.toContain(`CAP-${message.id}`);
      expect((await s.app.inject(`/api/cap/alerts/CAP-${message.id}.xml`)).statusCode).toBe(404);
      const published = (await post(`/api/alerts/${message.alertId}/publish`, { actor: 'trực ban' })).json<AlertDetail>();
      expect(published).toMatchObject({ public: true });
      expect(published.timeline.at(-1)).toMatchObject({ actor: 'trực ban', kind: 'published' });
      expect(await feedLinks()).toContain(`CAP-${message.id}`);
      expect((await s.app.inject(`/api/cap/alerts/CAP-${message.id}.xml`)).statusCode).toBe(200);
    });

    it('publishes a rule alert marked public as valid CAP with vi and en blocks and its commune, and unpublishing removes it', async () => {
      const put = await s.app.inject({
        method: 'PUT',
        url: '/api/alert-rules/SALT_HIGH',
        payload: { names: { vi: 'Độ mặn vượt ngưỡng', en: 'Salinity above limit' }, kind: 'threshold', subject: { datastream: 'TV-SAL' }, parameters: { high: 4 }, severity: 'warning' },
      });
      expect(put.statusCode, put.body).toBe(201);
      expect(put.json()).toMatchObject({ public: false });
      await s.app.alertStream.evaluate([{ station: 'ST', datastream: 'TV-SAL', placeCode: '29242', at: TEST_NOW, value: 5.2 }]);
      const [a] = (await s.app.inject('/api/alerts?rule=SALT_HIGH')).json<{ alerts: Alert[] }>().alerts;
      expect(a).toMatchObject({ origin: 'rule', kind: 'threshold', public: false, placeCode: '29242' });
      expect(await feedLinks()).not.toContain(`A-${a!.id}`);
      expect((await s.app.inject(`/api/cap/alerts/A-${a!.id}.xml`)).json()).toMatchObject({ error: 'not_found' });

      const marked = (await post(`/api/alerts/${a!.id}/publish`)).json<AlertDetail>();
      expect(marked).toMatchObject({ public: true });
      expect(marked.timeline.map((e) => e.kind)).toEqual(['opened', 'published']);
      // Publishing a public alert again changes nothing.
      expect((await post(`/api/alerts/${a!.id}/publish`)).json<AlertDetail>().timeline).toHaveLength(2);
      expect(live).toContainEqual({ type: 'alert.changed', id: a!.id, rule: 'SALT_HIGH', status: 'open', severity: 'warning' });

      const links = await feedLinks();
      expect(links).toContain(`A-${a!.id}`);
      const xml = (await s.app.inject(`/api/cap/alerts/A-${a!.id}.xml`)).body;
      expect(await (await capValidator()).problemsOfMany([xml])).toEqual([]);
      const cap = readCapAlert(xml);
      expect(cap).toMatchObject({ identifier: `WF86-A-${a!.id}`, sender: 'ioc-86@watchfloor', status: 'Actual', msgType: 'Alert', scope: 'Public', sent: '2026-11-28T10:00:00+07:00' });
      const [vi, en] = cap.info;
      expect(vi).toMatchObject({ language: 'vi-VN', event: 'Độ mặn vượt ngưỡng', headline: 'Độ mặn vượt ngưỡng — Phường Trà Vinh', severity: 'Moderate', description: a!.message });
      expect(en).toMatchObject({ language: 'en-US', event: 'Salinity above limit', headline: 'Salinity above limit — Tra Vinh', description: a!.message });
      expect(vi!.area).toHaveLength(1);
      expect(vi!.area[0]).toMatchObject({ areaDesc: 'Phường Trà Vinh', geocode: [{ valueName: 'VN-ADMIN', value: '29242' }] });
      expect(vi!.area[0]!.polygon.length).toBeGreaterThan(0);

      const off = (await post(`/api/alerts/${a!.id}/unpublish`, { note: 'không công bố' })).json<AlertDetail>();
      expect(off).toMatchObject({ public: false });
      expect(off.timeline.at(-1)).toMatchObject({ kind: 'unpublished', note: 'không công bố' });
      expect(await feedLinks()).not.toContain(`A-${a!.id}`);
      expect((await s.app.inject(`/api/cap/alerts/A-${a!.id}.xml`)).statusCode).toBe(404);
      expect((await s.app.inject('/api/alerts?public=true')).json<{ alerts: Alert[] }>().alerts.map((x) => x.id)).not.toContain(a!.id);
      expect((await post('/api/alerts/999999/publish')).json()).toMatchObject({ error: 'unknown_alert' });
    });

    it("makes a public rule's alerts public from the start; they leave the feed once resolved", async () => {
      await s.app.inject({
        method: 'PUT',
        url: '/api/alert-rules/SALT_PUBLIC',
        payload: { names: { vi: 'Độ mặn rất cao', en: 'Very high salinity' }, kind: 'threshold', subject: { datastream: 'TV-SAL2' }, parameters: { high: 8 }, severity: 'critical', public: true },
      });
      await s.app.alertStream.evaluate([{ station: 'ST', datastream: 'TV-SAL2', placeCode: '29242', at: TEST_NOW, value: 9 }]);
      const [a] = (await s.app.inject('/api/alerts?rule=SALT_PUBLIC')).json<{ alerts: Alert[] }>().alerts;
      expect(a).toMatchObject({ public: true, status: 'open' });
      expect(await feedLinks()).toContain(`A-${a!.id}`);
      await s.app.alertStream.evaluate([{ station: 'ST', datastream: 'TV-SAL2', placeCode: '29242', at: new Date(Date.parse(TEST_NOW) + 60_000).toISOString(), value: 3 }]);
      expect((await detail(a!.id)).status).toBe('resolved');
      expect(await feedLinks()).not.toContain(`A-${a!.id}`);
    });
  });
}

describe('the place of a CAP alert', () => {
  const p = (code: string, parentCode: string | null) => ({ code, parentCode });
  it('is the one place, else the parent all share, else the first by code', () => {
    expect(alertPlaceOf([])).toBeNull();
    expect(alertPlaceOf([p('29242', '86'), p('29242', '86')])).toBe('29242');
    expect(alertPlaceOf([p('29263', '86'), p('29242', '86')])).toBe('86');
    expect(alertPlaceOf([p('29263', '86'), p('842', '84')])).toBe('29263');
  });
});
