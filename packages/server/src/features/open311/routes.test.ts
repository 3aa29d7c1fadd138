import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, CaseDetail } from '@watchfloor/core';
import { CasesRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { REFERENCE_DATA_DIR } from '../../paths';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { seedCaseCategories } from '../cases/seed';

const API_KEY = 'test-open311-key-0123456789';
const TRA_VINH = { lat: '9.9063', long: '106.3419' };

/**
 * The GeoReport v2 spec's own examples, read leniently: some are not valid
 * JSON (an HTTP status line before the body, numbers with leading zeros).
 */
function specExample(name: string): unknown {
  const text = readFileSync(join(REFERENCE_DATA_DIR, 'open311', name), 'utf8');
  const body = text.slice(text.search(/[[{]/)).replace(/:\s*0+(\d+)\s*([,}\n])/g, ':"$1"$2');
  return JSON.parse(body);
}

const keysOf = (v: unknown): string[] => (Array.isArray(v) && v[0] && typeof v[0] === 'object' ? Object.keys(v[0]).sort() : []);

interface Open311Error {
  code: number;
  description: string;
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`Open311 GeoReport v2 on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine, { env: { WATCHFLOOR_OPEN311_API_KEYS: API_KEY, WATCHFLOOR_PUBLIC_URL: 'https://ioc.example.vn/' } });
      await seedCaseCategories(s.store, { dataDir: REFERENCE_DATA_DIR, clock: s.ctx.clock });
    });
    afterAll(async () => s?.close());

    const form = (fields: Record<string, string>, format: 'json' | 'xml' = 'json') =>
      s.app.inject({
        method: 'POST',
        url: `/open311/v2/requests.${format}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        payload: new URLSearchParams(fields).toString(),
      });
    const report = (fields: Record<string, string>) => form({ api_key: API_KEY, service_code: 'MOI_TRUONG', ...TRA_VINH, ...fields });
    const refusal = async (fields: Record<string, string>, status: number, code: string) => {
      const r = await form(fields);
      expect(r.statusCode, r.body).toBe(status);
      const body = r.json<Open311Error[]>();
      expect(body).toEqual([{ code: status, description: expect.stringMatching(new RegExp(`^${code}: `)) }]);
      return body[0]!.description;
    };

    it('publishes a discovery document whose endpoint is the configured public URL, whatever Host the request names', async () => {
      const r = await s.anonymous({ url: '/open311/v2/discovery.json', headers: { host: 'attacker.example', 'x-forwarded-host': 'attacker.example' } });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: 'https://ioc.example.vn/open311/v2', formats: ['text/xml', 'application/json'] }] });
      expect(r.body).not.toContain('attacker');
      const x = await s.anonymous({ url: '/open311/v2/discovery.xml', headers: { host: 'attacker.example' } });
      expect(x.body).toContain('<url>https://ioc.example.vn/open311/v2</url>');
      expect(x.headers['content-type']).toContain('text/xml');
      expect(x.body).toContain('<formats>\n        <format>text/xml</format>');
    });

    it('lists the case categories as services, shaped like the spec example', async () => {
      const r = await s.app.inject('/open311/v2/services.json');
      expect(r.statusCode).toBe(200);
      const services = r.json<{ service_code: string; service_name: string; group: string }[]>();
      expect(keysOf(services)).toEqual(keysOf(specExample('spec_example_services.json')));
      expect(services.find((x) => x.service_code === 'MOI_TRUONG')).toMatchObject({ service_name: 'Môi trường', metadata: false, type: 'realtime' });
      const x = await s.app.inject('/open311/v2/services.xml');
      expect(x.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<services>\n {2}<service>\n {4}<service_code>CAP_THOAT_NUOC<\/service_code>/);
      const def = await s.app.inject('/open311/v2/services/GIAO_THONG.json');
      expect(def.json()).toEqual({ service_code: 'GIAO_THONG', attributes: [] });
      const unknown = await s.app.inject('/open311/v2/services/NOPE.xml');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.body).toContain('<errors>\n  <error>\n    <code>404</code>\n    <description>unknown_case_category: No case category has code NOPE</description>');
    });

    it('takes a citizen report through routing, deadline, workflow and SOP, and shows it closed (end to end)', async () => {
      // 1. A citizen reports through Open311, form-encoded as the spec's example.
      const posted = await report({
        description: 'Rác thải đổ trộm bên đường <script>alert(1)</script>',
        address_string: '12 Nguyễn Thị Minh Khai',
        email: 'nguoidan@example.vn',
        first_name: 'Thị',
        last_name: 'Lan',
        phone: '0912345678',
        media_url: 'https://example.vn/anh/1.jpg',
        'attribute[WHISPAWN]': '123456',
      });
      expect(posted.statusCode, posted.body).toBe(201);
      const [created] = posted.json<{ service_request_id: string; token: string; service_notice: string; account_id: null }[]>();
      expect(created).toMatchObject({ service_request_id: expect.stringMatching(/^PA\d{6}$/), account_id: null });
      expect(created!.service_notice).toContain('2026-12-01T10:00:00+07:00');
      const id = created!.service_request_id;

      // 2. It is routed to the ward's People's Committee, with its deadline, and open.
      const open = await s.app.inject(`/open311/v2/requests/${id}.json`);
      expect(open.statusCode).toBe(200);
      const [req] = open.json<Record<string, unknown>[]>();
      expect(keysOf([req])).toEqual(keysOf(specExample('spec_example_request_638344.json')));
      expect(req).toMatchObject({
        service_request_id: id,
        status: 'open',
        status_notes: 'Mới gửi',
        service_code: 'MOI_TRUONG',
        service_name: 'Môi trường',
        agency_responsible: 'Ủy ban nhân dân Phường Trà Vinh',
        requested_datetime: '2026-11-28T10:00:00+07:00',
        expected_datetime: '2026-12-01T10:00:00+07:00',
        address: '12 Nguyễn Thị Minh Khai',
        lat: 9.9063,
        long: 106.3419,
        media_url: 'https://example.vn/anh/1.jpg',
        description: 'Rác thải đổ trộm bên đường <script>alert(1)</script>',
      });
      // The token finds it too.
      expect((await s.app.inject(`/open311/v2/tokens/${created!.token}.json`)).json()).toEqual([{ service_request_id: id, token: created!.token }]);

      // 3. Operators move it through its workflow and its procedure.
      const op = (url: string, payload: Record<string, unknown>) => s.app.inject({ method: 'POST', url: `/api/cases/${id}${url}`, payload });
      expect((await op('/status', { status: 'received' })).statusCode).toBe(200);
      expect((await op('/sop-steps/1/done', { actor: 'Trực ban IOC' })).statusCode).toBe(200);
      expect((await op('/assign', { organisation: 'UBND-29242' })).json<CaseDetail>().status).toBe('assigned');
      expect((await op('/status', { status: 'in_progress' })).statusCode).toBe(200);
      for (const step of [2, 3, 4]) expect((await op(`/sop-steps/${step}/done`, { actor: 'UBND Phường Trà Vinh' })).statusCode).toBe(200);
      expect((await op('/status', { status: 'resolved', note: 'Đã thu gom' })).statusCode).toBe(200);
      const closed = (await op('/status', { status: 'closed' })).json<CaseDetail>();
      expect(closed.sopSteps.every((x) => x.doneAt !== null)).toBe(true);
      expect(closed.timeline.map((e) => e.kind)).toEqual(['created', 'status', 'sop_step', 'assigned', 'status', 'status', 'sop_step', 'sop_step', 'sop_step', 'status', 'status']);

      // The reporter's satisfaction is recorded once the case is closed.
      expect((await op('/satisfaction', { rating: 5, actor: 'Thị Lan' })).json<CaseDetail>().satisfaction).toBe(5);

      // 4. The citizen sees it closed through Open311, in XML, and it is counted among the closed requests.
      const xml = await s.app.inject(`/open311/v2/requests/${id}.xml`);
      expect(xml.statusCode).toBe(200);
      expect(xml.headers['content-type']).toContain('text/xml');
      expect(xml.body).toContain(`<service_request_id>${id}</service_request_id>\n    <status>closed</status>\n    <status_notes>Đã đóng</status_notes>`);
      expect(xml.body).toContain('<expected_datetime>2026-12-01T10:00:00+07:00</expected_datetime>');
      expect(xml.body).toContain('<description>Rác thải đổ trộm bên đường &lt;script&gt;alert(1)&lt;/script&gt;</description>');
      expect(xml.body).toContain('<agency_responsible>Ủy ban nhân dân Phường Trà Vinh</agency_responsible>');
      const list = await s.app.inject('/open311/v2/requests.json?status=closed&service_code=MOI_TRUONG');
      expect(list.json<{ service_request_id: string }[]>().map((r) => r.service_request_id)).toContain(id);
      expect((await s.app.inject('/open311/v2/requests.json?status=open')).json<{ service_request_id: string }[]>().map((r) => r.service_request_id)).not.toContain(id);

      // It shows in the counts of the ward and of its agency: received, processed on time, rated and satisfied.
      const counts = await s.app.inject('/api/cases/counts?from=2026-11-01&to=2026-11-30&place=29242&organisation=UBND-29242');
      expect(counts.json()).toEqual({ received: 1, processed: 1, processedOnTime: 1, rated: 1, satisfied: 1 });

      // The reporter's contact never appears in an answer.
      for (const url of [`/open311/v2/requests/${id}.json`, `/open311/v2/requests/${id}.xml`, '/open311/v2/requests.json', `/api/cases/${id}`, '/api/cases']) {
        const body = (await s.app.inject(url)).body;
        expect(body).not.toContain('nguoidan@example.vn');
        expect(body).not.toContain('0912345678');
      }
    });

    it('filters requests by id, service, dates and status', async () => {
      const a = (await report({ description: 'một' })).json<{ service_request_id: string }[]>()[0]!.service_request_id;
      const b = (await report({ service_code: 'CHIEU_SANG', description: 'hai' })).json<{ service_request_id: string }[]>()[0]!.service_request_id;
      const ids = async (q: string) => (await s.app.inject(`/open311/v2/requests.json${q}`)).json<{ service_request_id: string }[]>().map((r) => r.service_request_id);
      expect(await ids(`?service_request_id=${a},${b}`)).toEqual([b, a]);
      expect(await ids('?service_code=CHIEU_SANG')).toEqual([b]);
      expect(await ids('?service_code=CHIEU_SANG,MOI_TRUONG')).toEqual(expect.arrayContaining([a, b]));
      expect(await ids('?start_date=2026-11-28T00:00:00%2B07:00&end_date=2026-11-28T23:59:59%2B07:00')).toEqual(expect.arrayContaining([a, b]));
      expect(await ids('?end_date=2026-11-27T00:00:00Z')).toEqual([]);
      const bad = await s.app.inject('/open311/v2/requests.json?start_date=yesterday');
      expect(bad.statusCode).toBe(400);
      expect(bad.json<Open311Error[]>()[0]!.description).toMatch(/^invalid_parameter: start_date/);
      expect((await s.app.inject('/open311/v2/requests.xml?status=pending')).body).toContain('<code>400</code>');
      const missing = await s.app.inject('/open311/v2/requests/PA999999.json');
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual([{ code: 404, description: 'unknown_case: No case has id PA999999' }]);
      expect((await s.app.inject('/open311/v2/tokens/nope.json')).statusCode).toBe(404);
    });

    it('lists only citizens\' own reports in public categories: never a case an operator opened from a call, nor one of a category kept private', async () => {
      const ids = async () => (await s.anonymous({ url: '/open311/v2/requests.json?service_code=MOI_TRUONG,CAP_THOAT_NUOC' })).json<{ service_request_id: string }[]>().map((r) => r.service_request_id);
      const open = async (payload: Record<string, unknown>) => {
        const r = await s.app.inject({ method: 'POST', url: '/api/cases', payload: { category: 'MOI_TRUONG', title: 'Người dân gọi điện', description: 'Nhà bà Tư, số 5 hẻm 12', lat: 9.9063, lon: 106.3419, ...payload } });
        expect(r.statusCode, r.body).toBe(201);
        return r.json<CaseDetail>().id;
      };
      const byOperator = await open({});
      const byHotline = await open({ channel: 'hotline' });
      const citizen = (await report({ description: 'Rác ở chợ' })).json<{ service_request_id: string }[]>()[0]!.service_request_id;
      expect(await ids()).toContain(citizen);
      expect(await ids()).not.toContain(byOperator);
      expect(await ids()).not.toContain(byHotline);
      for (const id of [byOperator, byHotline]) {
        const one = await s.anonymous({ url: `/open311/v2/requests/${id}.json` });
        expect(one.statusCode).toBe(404);
        expect(one.body).not.toContain('hẻm 12');
        expect((await s.anonymous({ url: `/open311/v2/requests.json?service_request_id=${id}` })).json()).toEqual([]);
      }
      // A category switched off: even citizens' reports of it stay off Open311.
      const cases = new CasesRepository(s.store.db);
      const drainage = await cases.category('CAP_THOAT_NUOC');
      await cases.upsertCategories([{ ...drainage!, public: false }], TEST_NOW);
      const kept = (await report({ service_code: 'CAP_THOAT_NUOC', description: 'Cống nghẹt' })).json<{ service_request_id: string }[]>()[0]!.service_request_id;
      expect(await ids()).not.toContain(kept);
      expect((await s.anonymous({ url: `/open311/v2/requests/${kept}.xml` })).statusCode).toBe(404);
      await cases.upsertCategories([drainage!], TEST_NOW);
      expect(await ids()).toContain(kept);
    });

    it('rounds a sensitive category\'s coordinates to 3 decimals (about 110 m) and withholds its address', async () => {
      const [created] = (await report({ service_code: 'TRAT_TU_DO_THI', lat: '9.906349', long: '106.341872', address_string: '5 hẻm 12 Nguyễn Đáng', description: 'Lấn chiếm vỉa hè' })).json<{ service_request_id: string }[]>();
      const [shown] = (await s.anonymous({ url: `/open311/v2/requests/${created!.service_request_id}.json` })).json<Record<string, unknown>[]>();
      expect(shown).toMatchObject({ service_code: 'TRAT_TU_DO_THI', lat: 9.906, long: 106.342, address: null });
      const xml = (await s.anonymous({ url: `/open311/v2/requests.xml?service_request_id=${created!.service_request_id}` })).body;
      expect(xml).toContain('<lat>9.906</lat>');
      expect(xml).not.toContain('9.906349');
      expect(xml).not.toContain('hẻm 12');
      // Operators still see where it is exactly.
      expect((await s.app.inject(`/api/cases/${created!.service_request_id}`)).json<CaseDetail>()).toMatchObject({ lat: 9.906349, lon: 106.341872, address: '5 hẻm 12 Nguyễn Đáng' });
    });

    it('records a citizen\'s report in the audit log as the opening of a case, without the reporter\'s contact', async () => {
      const [created] = (await report({ description: 'Khói bụi', email: 'lan@example.vn', phone: '0901234567' })).json<{ service_request_id: string }[]>();
      const events = (await s.app.inject(`/api/audit?entity=case:${created!.service_request_id}`)).json<{ events: AuditEvent[] }>().events;
      expect(events).toEqual([expect.objectContaining({ action: 'case.open', actor: 'citizen (open311)', before: null, after: expect.objectContaining({ channel: 'app', category: 'MOI_TRUONG', status: 'new' }) })]);
      expect(JSON.stringify(events)).not.toMatch(/lan@example|0901234567|token/);
    });

    it('refuses bad reports, each with a clear code in Open311\'s format, and keeps nothing of them', async () => {
      const before = (await s.app.inject('/api/cases')).json<{ cases: unknown[] }>().cases.length;
      await refusal({ service_code: 'MOI_TRUONG', ...TRA_VINH }, 403, 'invalid_api_key');
      await refusal({ api_key: 'wrong-key-wrong-key-000', service_code: 'MOI_TRUONG', ...TRA_VINH }, 403, 'invalid_api_key');
      await refusal({ api_key: API_KEY, ...TRA_VINH }, 400, 'missing_field');
      expect(await refusal({ api_key: API_KEY, service_code: 'KHONG_CO', ...TRA_VINH }, 400, 'unknown_service_code')).toContain('KHONG_CO');
      expect(await refusal({ api_key: API_KEY, service_code: 'MOI_TRUONG', lat: '9.9' }, 400, 'missing_field')).toContain('lat and long');
      expect(await refusal({ api_key: API_KEY, service_code: 'MOI_TRUONG', lat: 'abc', long: '106.3' }, 400, 'invalid_coordinates')).toContain('lat');
      await refusal({ api_key: API_KEY, service_code: 'MOI_TRUONG', lat: '9.9', long: '181' }, 400, 'invalid_coordinates');
      await refusal({ api_key: API_KEY, service_code: 'MOI_TRUONG', lat: 'NaN', long: '106.3' }, 400, 'invalid_coordinates');
      // Hà Nội is in Vietnam but not in the province this IOC serves; the open sea is in no unit at all.
      expect(await refusal({ api_key: API_KEY, service_code: 'MOI_TRUONG', lat: '21.0285', long: '105.8542' }, 400, 'outside_jurisdiction')).toContain('province 86');
      await refusal({ api_key: API_KEY, service_code: 'MOI_TRUONG', lat: '5', long: '110' }, 400, 'outside_jurisdiction');
      await refusal({ api_key: API_KEY, service_code: 'MOI_TRUONG', ...TRA_VINH, description: 'ô'.repeat(4001) }, 400, 'text_too_long');
      await refusal({ api_key: API_KEY, service_code: 'MOI_TRUONG', ...TRA_VINH, address_string: 'a'.repeat(501) }, 400, 'text_too_long');
      await refusal({ api_key: API_KEY, service_code: 'MOI_TRUONG', ...TRA_VINH, media_url: 'javascript:alert(1)' }, 400, 'invalid_parameter');
      // The same in XML, the spec's error document.
      const x = await form({ api_key: 'wrong-key-wrong-key-000', service_code: 'MOI_TRUONG', ...TRA_VINH }, 'xml');
      expect(x.statusCode).toBe(403);
      expect(x.body).toBe(
        '<?xml version="1.0" encoding="utf-8"?>\n<errors>\n  <error>\n    <code>403</code>\n    <description>invalid_api_key: Invalid api_key received -- can&apos;t proceed with create_request.</description>\n  </error>\n</errors>\n',
      );
      // A JSON body that does not parse is refused in the same format.
      const broken = await s.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/json' }, payload: '{"api_key": ' });
      expect(broken.statusCode).toBe(400);
      expect(broken.json<Open311Error[]>()[0]!.code).toBe(400);
      expect((await s.app.inject('/api/cases')).json<{ cases: unknown[] }>().cases.length).toBe(before);
    });

    it('accepts a JSON body as well as a form, and refuses every report when no key is configured', async () => {
      const r = await s.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: { api_key: API_KEY, service_code: 'CAP_THOAT_NUOC', lat: 9.9063, long: 106.3419 } });
      expect(r.statusCode, r.body).toBe(201);
      const closed = await openTestServer(engine, { prepare: false });
      try {
        const refused = await closed.anonymous({ method: 'POST', url: '/open311/v2/requests.json', payload: { api_key: API_KEY } });
        expect(refused.statusCode).toBe(403);
        expect(refused.json<Open311Error[]>()[0]!.description).toMatch(/^open311_disabled: /);
      } finally {
        await closed.close();
      }
    });
  });
}
