import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapImportResult, CapMessage } from '@watchfloor/core';
import { readCapAlert, xmlWellFormedProblems } from '@watchfloor/connectors';
import { testEngines } from '@watchfloor/db/testing';
import { REFERENCE_DATA_DIR } from '../../paths';
import { openTestServer, type TestServer } from '../../testing';
import { capValidator } from './service';

const CAP_DIR = join(REFERENCE_DATA_DIR, 'cap');
const EXAMPLES = [
  'cap12_oasis_example_A1_homeland_security.xml',
  'cap12_oasis_example_A2_severe_thunderstorm.xml',
  'cap12_oasis_example_A3_earthquake_update.xml',
  'cap12_oasis_example_A4_amber_alert_multilingual.xml',
].map((f) => readFileSync(join(CAP_DIR, f), 'utf8'));

/** A warning of the kind the hydro-meteorological service sends, around the centre of the former Trà Vinh city. */
const AROUND_TRA_VINH = '9.925,106.335 9.925,106.355 9.945,106.355 9.945,106.335 9.925,106.335';
/** A small square inside Phường Trà Vinh (29242), clear of its neighbours. */
const INSIDE_PHUONG_TRA_VINH = '9.9,106.335 9.9,106.345 9.91,106.345 9.91,106.335 9.9,106.335';

function tidal(identifier: string, opts: { sent?: string; msgType?: string; references?: string; scope?: string; polygon?: string; geocodes?: string; expires?: string } = {}): string {
  const msgType = opts.msgType ?? 'Alert';
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${identifier}</identifier>
  <sender>canhbao@kttv-nambo.example.vn</sender>
  <sent>${opts.sent ?? '2026-11-28T08:00:00+07:00'}</sent>
  <status>Actual</status>
  <msgType>${msgType}</msgType>
  <scope>${opts.scope ?? 'Public'}</scope>${opts.scope === 'Restricted' ? '\n  <restriction>Ban chỉ huy PCTT</restriction>' : ''}${opts.references ? `\n  <references>${opts.references}</references>` : ''}
  <info>
    <language>vi-VN</language>
    <category>Met</category>
    <event>Triều cường</event>
    <responseType>Prepare</responseType>
    <urgency>Expected</urgency>
    <severity>Severe</severity>
    <certainty>Likely</certainty>
    <expires>${opts.expires ?? '2026-11-30T18:00:00+07:00'}</expires>
    <senderName>Đài Khí tượng Thủy văn khu vực Nam Bộ</senderName>
    <headline>Cảnh báo triều cường &amp; ngập úng tại Trà Vinh</headline>
    <description>Đỉnh triều 1,9 m vào chiều 28/11.</description>
    <area>
      <areaDesc>Trung tâm Trà Vinh</areaDesc>
      <polygon>${opts.polygon ?? AROUND_TRA_VINH}</polygon>${opts.geocodes ?? ''}
    </area>
  </info>
</alert>`;
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`CAP on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine, { env: { WATCHFLOOR_PUBLIC_URL: 'http://ioc.example' } });
    }, 60_000);
    afterAll(async () => s?.close());

    const post = (xml: string, type = 'application/cap+xml') => s.app.inject({ method: 'POST', url: '/api/cap/import', headers: { 'content-type': type }, payload: xml });
    const imported = async (xml: string): Promise<CapImportResult> => {
      const res = await post(xml);
      expect(res.statusCode, res.body).toBe(201);
      return res.json<CapImportResult>();
    };

    it('imports the four OASIS examples, keeping areas outside our geography with no places', async () => {
      const [a1, a2, a3, a4] = [await imported(EXAMPLES[0]!), await imported(EXAMPLES[1]!), await imported(EXAMPLES[2]!), await imported(EXAMPLES[3]!)];
      expect(a1!.message).toMatchObject({ identifier: '43b080713727', sender: 'hsas@dhs.gov', sent: '2003-04-02T14:39:01-05:00', status: 'Actual', msgType: 'Alert', scope: 'Public', severity: 'critical', state: 'active', languages: ['en-US'] });
      expect(a1!.message.areas).toEqual([{ info: 0, area: 0, areaDesc: 'U.S. nationwide and interests worldwide', places: [], note: 'Mapped to no place: the area is described in words only' }]);

      expect(a2!.message).toMatchObject({ identifier: 'KSTO1055887203', event: 'SEVERE THUNDERSTORM', headline: 'SEVERE THUNDERSTORM WARNING', expiresAt: expect.stringMatching(/^2003-06-17T23:00:00(\.000)?Z$/) });
      expect(a2!.message.areas[0]!.places).toEqual([]);
      expect(a2!.message.areas[0]!.note).toMatch(/^Mapped to no place: geocodes of SAME are not a scheme we know \(ours: VN-ADMIN\); no unit of ours with a known boundary lies in this area on 2003-06-18$/);

      // An Update of a message never received here: stored, its reference reported.
      expect(a3).toMatchObject({ duplicate: false, updated: [], unknownReferences: ['trinet@caltech.edu,TRI13970876.1,2003-06-11T20:30:00-07:00'] });
      expect(a3!.message).toMatchObject({ identifier: 'TRI13970876.2', msgType: 'Update', severity: 'info', languages: ['en-US'] });
      expect(a3!.message.areas[0]!.note).toMatch(/no unit of ours/);

      expect(a4!.message.languages).toEqual(['en-US', 'es-US']);
      expect(a4!.message.areas.map((a) => [a.info, a.areaDesc, a.places.length])).toEqual([
        [0, 'Los Angeles County', 0],
        [1, 'condado de Los Ángeles', 0],
      ]);
      const list = (await s.app.inject('/api/cap/messages')).json<{ messages: CapMessage[] }>().messages;
      expect(list.map((m) => m.identifier)).toEqual(['KAR0-0306112239-SW', 'TRI13970876.2', 'KSTO1055887203', '43b080713727']);
      // Each import is in the audit log.
      const audit = (await s.app.inject('/api/audit?entity=cap_message')).json<{ events: { action: string; after: { identifier: string } }[] }>().events;
      expect(audit.map((e) => [e.action, e.after.identifier]).reverse()).toEqual(list.map((m) => ['cap.import', m.identifier]).reverse());
    });

    it('imports a document again as a duplicate, changing nothing', async () => {
      const before = (await s.app.inject('/api/cap/messages?limit=1000')).json<{ messages: CapMessage[] }>().messages.length;
      const again = await post(EXAMPLES[3]!, 'application/xml; charset=UTF-8');
      expect(again.statusCode).toBe(200);
      const body = again.json<CapImportResult>();
      expect(body.duplicate).toBe(true);
      const first = (await s.app.inject('/api/cap/messages')).json<{ messages: CapMessage[] }>().messages.find((m) => m.identifier === 'KAR0-0306112239-SW')!;
      expect(body.message.id).toBe(first.id);
      // The same instant written in another offset is the same message.
      const shifted = EXAMPLES[3]!.replace('<sent>2003-06-11T22:39:00-07:00</sent>', '<sent>2003-06-12T05:39:00+00:00</sent>');
      expect((await post(shifted, 'text/xml')).json<CapImportResult>()).toMatchObject({ duplicate: true, message: { id: first.id } });
      expect((await s.app.inject('/api/cap/messages?limit=1000')).json<{ messages: CapMessage[] }>().messages).toHaveLength(before);
    });

    it('refuses what is not valid CAP 1.2 with invalid_cap and the validator lines', async () => {
      const bad = await post(EXAMPLES[0]!.replace('<urgency>Immediate</urgency>', '<urgency>Now</urgency>'));
      expect(bad.statusCode).toBe(400);
      const body = bad.json<{ error: string; message: string; details: { problems: { line: number; message: string }[] } }>();
      expect(body.error).toBe('invalid_cap');
      expect(body.details.problems[0]).toMatchObject({ line: 12, message: expect.stringMatching(/cap:urgency.*'Now'/) });

      const notXml = await post('{"identifier": "x"}');
      expect(notXml.json()).toMatchObject({ error: 'invalid_cap', message: expect.stringMatching(/line 1: parser error/) });

      const otherNs = await post(EXAMPLES[0]!.replace('urn:oasis:names:tc:emergency:cap:1.2', 'urn:oasis:names:tc:emergency:cap:1.1'));
      expect(otherNs.statusCode).toBe(400);
      expect(otherNs.json()).toMatchObject({ error: 'invalid_cap', message: expect.stringMatching(/line 2: .*No matching global declaration/) });

      expect((await post('   ')).json()).toMatchObject({ error: 'invalid_cap' });
      expect((await post(EXAMPLES[0]!, 'application/octet-stream')).json()).toMatchObject({ error: 'unsupported_media_type' });
      expect((await post(`${EXAMPLES[0]!}<!--${'x'.repeat(1024 * 1024)}-->`)).statusCode).toBe(413);
      expect((await s.app.inject('/api/cap/messages?limit=1000')).json<{ messages: CapMessage[] }>().messages).toHaveLength(4);
    });

    it('maps a polygon around Trà Vinh to the wards of Vĩnh Long of its day, and a VN-ADMIN geocode directly', async () => {
      const around = await imported(tidal('TV-001'));
      expect(around.message.severity).toBe('critical');
      expect(around.message.areas[0]!.places.map((p) => [p.code, p.name, p.matchedBy])).toEqual([
        ['29242', 'Phường Trà Vinh', 'polygon'],
        ['29254', 'Phường Nguyệt Hoá', 'polygon'],
        ['29263', 'Phường Long Đức', 'polygon'],
        ['29398', 'Phường Hoà Thuận', 'polygon'],
        ['29407', 'Xã Hưng Mỹ', 'polygon'],
      ]);
      expect(around.message.areas[0]!.places.every((p) => p.level === 'commune' && p.parentCode === '86')).toBe(true);

      const inside = await imported(tidal('TV-002', { polygon: INSIDE_PHUONG_TRA_VINH, geocodes: '\n      <geocode><valueName>VN-ADMIN</valueName><value>29263</value></geocode>' }));
      expect(inside.message.areas[0]!.places.map((p) => [p.code, p.matchedBy])).toEqual([
        ['29242', 'polygon'],
        ['29263', 'geocode'],
      ]);
      expect(inside.message.areas[0]!.note).toBeNull();

      // Sent before the 2025 reform: the communes of then have no licensed boundaries, so the district.
      const old = await imported(tidal('TV-2024', { sent: '2024-11-15T08:00:00+07:00', expires: '2024-11-16T08:00:00+07:00', polygon: INSIDE_PHUONG_TRA_VINH }));
      expect(old.message.areas[0]!.places.map((p) => [p.code, p.name, p.level])).toEqual([['842', 'Thành phố Trà Vinh', 'district']]);
    });

    it('replaces a message by its Update and withdraws it by a Cancel', async () => {
      const first = await imported(tidal('TV-010', { sent: '2026-11-28T09:00:00+07:00' }));
      const update = await imported(
        tidal('TV-011', { sent: '2026-11-28T09:30:00+07:00', msgType: 'Update', references: 'canhbao@kttv-nambo.example.vn,TV-010,2026-11-28T09:00:00+07:00' }),
      );
      expect(update).toMatchObject({ updated: [first.message.id], unknownReferences: [] });
      expect((await s.app.inject(`/api/cap/messages/${first.message.id}`)).json()).toMatchObject({ state: 'updated', replacedBy: update.message.id });

      const cancel = await imported(
        tidal('TV-012', { sent: '2026-11-28T10:00:00+07:00', msgType: 'Cancel', references: 'canhbao@kttv-nambo.example.vn,TV-011,2026-11-28T09:30:00+07:00' }),
      );
      expect(cancel.updated).toEqual([update.message.id]);
      expect((await s.app.inject(`/api/cap/messages/${update.message.id}`)).json()).toMatchObject({ state: 'cancelled', replacedBy: cancel.message.id });
      expect((await s.app.inject('/api/cap/messages/999999')).json()).toMatchObject({ error: 'not_found' });
    });

    it('publishes every public alert as valid CAP 1.2 with vi-VN and en-US blocks and our commune geocodes', async () => {
      await imported(tidal('TV-R1', { scope: 'Restricted' }));
      const messages = (await s.app.inject('/api/cap/messages?limit=1000')).json<{ messages: CapMessage[] }>().messages;
      const docs: string[] = [];
      for (const m of messages) {
        const res = await s.app.inject(`/api/cap/alerts/CAP-${m.id}.xml`);
        if (m.scope !== 'Public') {
          expect(res.statusCode).toBe(404);
          continue;
        }
        expect(res.statusCode, res.body).toBe(200);
        expect(res.headers['content-type']).toBe('application/cap+xml; charset=utf-8');
        docs.push(res.body);
        const cap = readCapAlert(res.body);
        expect(cap.info.map((i) => i.language)).toEqual(['vi-VN', 'en-US']);
        expect(cap.sent).toMatch(/^2026-11-28T10:00:00\+07:00$/);
        expect(cap.note).toContain(m.identifier);
      }
      expect(docs).toHaveLength(messages.length - 1);
      expect(await (await capValidator()).problemsOfMany(docs)).toEqual([]);

      const around = messages.find((m) => m.identifier === 'TV-001')!;
      const cap = readCapAlert((await s.app.inject(`/api/cap/alerts/CAP-${around.id}.xml`)).body);
      const [vi, en] = cap.info;
      expect(vi!.headline).toBe('Cảnh báo triều cường & ngập úng tại Trà Vinh');
      expect(en!.headline).toBe('Severe Triều cường');
      expect(vi!.area.map((a) => [a.areaDesc, a.geocode])).toContainEqual(['Phường Trà Vinh', [{ valueName: 'VN-ADMIN', value: '29242' }]]);
      expect(en!.area.map((a) => a.areaDesc)).toContain('Tra Vinh (Phường Trà Vinh)');
      for (const a of vi!.area) {
        expect(a.polygon.length).toBeGreaterThan(0);
        for (const ring of a.polygon) {
          const points = ring.split(' ');
          expect(points.length).toBeLessThanOrEqual(200);
          expect(points[0]).toBe(points.at(-1));
          expect(points[0]).toMatch(/^(9|10)\.\d+,106\.\d+$/); // lat,lon: latitude first
        }
      }

      // A relayed update refers to our own publication of what it replaced.
      const update = messages.find((m) => m.identifier === 'TV-011')!;
      const first = messages.find((m) => m.identifier === 'TV-010')!;
      const updated = readCapAlert((await s.app.inject(`/api/cap/alerts/CAP-${update.id}.xml`)).body);
      expect(updated.msgType).toBe('Update');
      expect(updated.references).toBe(`ioc-86@watchfloor,WF86-CAP-${first.id},2026-11-28T10:00:00+07:00`);

      // The OASIS examples come out in our name, their areas as received.
      const amber = messages.find((m) => m.identifier === 'KAR0-0306112239-SW')!;
      const relayed = readCapAlert((await s.app.inject(`/api/cap/alerts/CAP-${amber.id}.xml`)).body);
      expect(relayed.info[1]!.area).toEqual([{ areaDesc: 'Los Angeles County', polygon: [], circle: [], geocode: [{ valueName: 'SAME', value: '006037' }] }]);
      expect(relayed.info[0]!.headline).toBe('Cảnh báo nghiêm trọng: Child Abduction');

      expect((await s.app.inject('/api/cap/alerts/CAP-999999.xml')).json()).toMatchObject({ error: 'not_found' });
      expect((await s.app.inject('/api/cap/alerts/12.xml')).json()).toMatchObject({ error: 'invalid_parameter' });
    });

    it('indexes the public alerts in force in a well-formed Atom feed, one entry each, linked on the configured public URL whatever Host the request names', async () => {
      const res = await s.app.inject({ url: '/api/cap/alerts.atom', headers: { host: 'attacker.example' } });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('attacker.example');
      expect(res.body).toContain('rel="self" type="application/atom+xml" href="http://ioc.example/api/cap/alerts.atom"');
      expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
      expect(await xmlWellFormedProblems(res.body)).toEqual([]);
      expect(res.body).toMatch(/<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/);
      const entries = res.body.split('<entry>').slice(1);
      const links = entries.map((e) => /<link rel="alternate" type="application\/cap\+xml" href="([^"]+)"/.exec(e)?.[1]);
      const messages = (await s.app.inject('/api/cap/messages?limit=1000')).json<{ messages: CapMessage[] }>().messages;
      const inForce = messages.filter(
        (m) => m.scope === 'Public' && m.state === 'active' && (m.expiresAt === null || Date.parse(m.expiresAt) > Date.parse('2026-11-28T03:00:00Z')),
      );
      // Not listed: the thunderstorm and the 2024 warning (expired), TV-010 and TV-011 (replaced), the restricted one.
      expect(inForce.map((m) => m.identifier).sort()).toEqual(['43b080713727', 'KAR0-0306112239-SW', 'TRI13970876.2', 'TV-001', 'TV-002', 'TV-012']);
      expect(links.sort()).toEqual(inForce.map((m) => `http://ioc.example/api/cap/alerts/CAP-${m.id}.xml`).sort());
    });
  });
}
