import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, type AuditEvent, type CaseDetail } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import { REFERENCE_DATA_DIR } from '../../paths';
import { openTestServer, TEST_NOW, type TestServer } from '../../testing';
import { seedCaseCategories } from './seed';

// Phường Trà Vinh (29242) in the new Vĩnh Long (86); Hà Nội is outside it; the open sea is in no unit.
const TRA_VINH = { lat: 9.9063, lon: 106.3419 };
const HA_NOI = { lat: 21.0285, lon: 105.8542 };
const SEA = { lat: 5, lon: 110 };

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`cases API on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine);
      await seedCaseCategories(s.store, { dataDir: REFERENCE_DATA_DIR, clock: s.ctx.clock });
    });
    afterAll(async () => s?.close());

    const post = (url: string, payload: unknown) => s.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });
    const create = async (payload: Record<string, unknown>) => {
      const r = await post('/api/cases', { category: 'GIAO_THONG', title: 'Ổ gà trên đường', ...TRA_VINH, ...payload });
      expect(r.statusCode, r.body).toBe(201);
      return r.json<CaseDetail>();
    };

    it('lists the seeded categories with service level, routing and procedure', async () => {
      const r = await s.app.inject('/api/case-categories');
      expect(r.statusCode).toBe(200);
      const { categories } = r.json<{ categories: { code: string; serviceLevelHours: number; sop: unknown[] }[] }>();
      expect(categories.map((c) => c.code)).toEqual(['CAP_THOAT_NUOC', 'CHIEU_SANG', 'GIAO_THONG', 'MOI_TRUONG', 'TRAT_TU_DO_THI']);
      expect(categories.find((c) => c.code === 'GIAO_THONG')).toMatchObject({ serviceLevelHours: 48 });
    });

    it('opens a case located to the commune of today, routed, with its deadline and procedure', async () => {
      const c = await create({ reporter: { name: 'Nguyễn Văn A', phone: '0901234567' }, priority: 'high' });
      expect(c).toMatchObject({
        category: 'GIAO_THONG',
        placeCode: '29242',
        provinceCode: '86',
        channel: 'operator',
        priority: 'high',
        organisation: 'VL-SXD',
        organisationName: 'Sở Xây dựng tỉnh Vĩnh Long',
        status: 'new',
        receivedAt: '2026-11-28T03:00:00.000Z',
        deadlineAt: '2026-11-30T03:00:00.000Z',
        deadlineState: 'on_track',
      });
      expect(c.id).toMatch(/^PA\d{6}$/);
      expect(c.sopSteps).toHaveLength(4);
      expect(c.sopSteps[0]).toMatchObject({ step: 1, role: 'Cán bộ tiếp nhận IOC', doneAt: null });
      // Each step is due, as an alert's, at the procedure's start (the receipt) plus its minutes and those before it: 60, then 240.
      expect(c.sopSteps.slice(0, 2).map((x) => x.dueAt)).toEqual(['2026-11-28T04:00:00.000Z', '2026-11-28T08:00:00.000Z']);
      expect(c.timeline).toEqual([{ at: '2026-11-28T03:00:00.000Z', actor: 'operator', kind: 'created', before: null, after: 'new', note: 'Routed to VL-SXD' }]);
      // The reporter's contact is kept, never answered.
      const read = await s.app.inject(`/api/cases/${c.id}`);
      expect(read.body).not.toContain('0901234567');
      expect(read.body).not.toContain('reporter');
    });

    it('routes by the finest place rule, to the commune\'s People\'s Committee, or as the operator says', async () => {
      expect((await create({ category: 'MOI_TRUONG' })).organisation).toBe('UBND-29242');
      expect((await create({ category: 'TRAT_TU_DO_THI' })).organisationName).toBe('Ủy ban nhân dân Phường Trà Vinh');
      expect((await create({ organisation: 'VL-SNNMT' })).organisation).toBe('VL-SNNMT');
      const r = await post('/api/cases', { category: 'GIAO_THONG', title: 'x', ...TRA_VINH, organisation: 'TV-SGTVT' });
      expect(r.statusCode).toBe(404);
      expect(r.json()).toMatchObject({ error: 'unknown_organisation_code' });
    });

    it('keeps a script in a text field as text', async () => {
      const title = '<script>alert("x")</script> & <b>';
      const c = await create({ title, description: '<img src=x onerror=alert(1)>' });
      const r = await s.app.inject(`/api/cases/${c.id}`);
      expect(r.headers['content-type']).toContain('application/json');
      expect(r.json<CaseDetail>()).toMatchObject({ title, description: '<img src=x onerror=alert(1)>' });
    });

    it('refuses bad input with codes', async () => {
      const outside = await post('/api/cases', { category: 'GIAO_THONG', title: 'x', ...HA_NOI });
      expect(outside.statusCode).toBe(400);
      expect(outside.json()).toMatchObject({ error: 'outside_jurisdiction' });
      expect((await post('/api/cases', { category: 'GIAO_THONG', title: 'x', ...SEA })).json()).toMatchObject({ error: 'outside_jurisdiction' });
      const unknown = await post('/api/cases', { category: 'KHONG_CO', title: 'x', ...TRA_VINH });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ error: 'unknown_case_category' });
      const bad = await post('/api/cases', { category: 'GIAO_THONG', title: 'x', lat: 91, lon: 106 });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ error: 'invalid_body' });
      expect((await post('/api/cases', { category: 'GIAO_THONG', title: 'x'.repeat(201), ...TRA_VINH })).json()).toMatchObject({ error: 'invalid_body' });
      expect((await s.app.inject('/api/cases/PA999999')).json()).toMatchObject({ error: 'unknown_case' });
    });

    it('refuses media links other than http(s), as Open311 does, so none can be published', async () => {
      for (const media of [['javascript:alert(1)'], ['data:text/html,<script>alert(1)</script>'], ['https://'], [`https://ioc.example/${'a'.repeat(2001)}`], ['http://x.example/a b']]) {
        const r = await post('/api/cases', { category: 'GIAO_THONG', title: 'Ảnh', ...TRA_VINH, media });
        expect(r.statusCode, media[0]).toBe(400);
        expect(r.json()).toMatchObject({ error: 'invalid_body' });
      }
      expect((await create({ media: ['https://anh.example.vn/o-ga.jpg', 'http://192.0.2.1/a.png'] })).media).toEqual(['https://anh.example.vn/o-ga.jpg', 'http://192.0.2.1/a.png']);
    });

    it('records in the audit log who opened a case, who rated it and who ticked each procedure step', async () => {
      const audit = async (id: string) => (await s.app.inject(`/api/audit?entity=case:${id}`)).json<{ events: AuditEvent[] }>().events;
      const c = await create({ actor: 'Trực ban IOC', priority: 'high' });
      const [opened] = await audit(c.id);
      expect(opened).toMatchObject({ actor: 'Trực ban IOC', action: 'case.open', entityKind: 'case', entityKey: c.id, before: null, after: { id: c.id, category: 'GIAO_THONG', priority: 'high', status: 'new', timelineEvent: 1 } });
      expect(JSON.stringify(opened)).not.toContain('reporter');

      await post(`/api/cases/${c.id}/sop-steps/2/done`, { actor: 'Cán bộ xử lý' });
      for (const status of ['received', 'assigned', 'in_progress', 'resolved']) expect((await post(`/api/cases/${c.id}/status`, { status })).statusCode).toBe(200);
      expect((await post(`/api/cases/${c.id}/satisfaction`, { rating: 4, actor: 'Tổng đài 1022' })).statusCode).toBe(200);
      const events = await audit(c.id);
      const step = events.find((e) => e.action === 'case.sop_step');
      expect(step).toMatchObject({ actor: 'Cán bộ xử lý', before: { sopStep: { step: 2, doneAt: null } }, after: { sopStep: { step: 2, doneBy: 'Cán bộ xử lý', doneAt: '2026-11-28T03:00:00.000Z' } } });
      expect(events.find((e) => e.action === 'case.rate')).toMatchObject({ actor: 'Tổng đài 1022', before: { satisfaction: null }, after: { satisfaction: 4, status: 'resolved' } });
    });

    it('enforces the workflow: a forbidden move is a coded 409 and changes nothing', async () => {
      const c = await create({});
      const r = await post(`/api/cases/${c.id}/status`, { status: 'closed' });
      expect(r.statusCode).toBe(409);
      expect(r.json()).toMatchObject({ error: 'invalid_transition', details: { from: 'new', to: 'closed', allowed: ['received', 'rejected'] } });
      const after = (await s.app.inject(`/api/cases/${c.id}`)).json<CaseDetail>();
      expect(after.status).toBe('new');
      expect(after.timeline).toHaveLength(1);
      const early = await post(`/api/cases/${c.id}/satisfaction`, { rating: 4 });
      expect(early.statusCode).toBe(409);
      expect(early.json()).toMatchObject({ error: 'case_not_finished' });
      expect((await post(`/api/cases/${c.id}/satisfaction`, { rating: 6 })).json()).toMatchObject({ error: 'invalid_body' });
    });

    it('follows a case through its workflow with assignment, comments and SOP steps on the timeline', async () => {
      const c = await create({});
      expect((await post(`/api/cases/${c.id}/status`, { status: 'received', actor: 'Trực ban IOC' })).json<CaseDetail>().status).toBe('received');
      const assigned = (await post(`/api/cases/${c.id}/assign`, { organisation: 'UBND-29242', note: 'Đường xã quản lý' })).json<CaseDetail>();
      expect(assigned).toMatchObject({ status: 'assigned', organisation: 'UBND-29242' });
      const step = (await post(`/api/cases/${c.id}/sop-steps/1/done`, { actor: 'Trực ban IOC' })).json<CaseDetail>();
      expect(step.sopSteps[0]).toMatchObject({ doneBy: 'Trực ban IOC', doneAt: TEST_NOW.replace('Z', '.000Z') });
      const again = await post(`/api/cases/${c.id}/sop-steps/1/done`, {});
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ error: 'sop_step_done' });
      expect((await post(`/api/cases/${c.id}/sop-steps/9/done`, {})).json()).toMatchObject({ error: 'unknown_sop_step' });
      await post(`/api/cases/${c.id}/comments`, { text: 'Đã liên hệ người dân' });
      const done = (await post(`/api/cases/${c.id}/status`, { status: 'in_progress' })).json<CaseDetail>();
      expect(done.timeline.map((e) => [e.kind, e.before, e.after])).toEqual([
        ['created', null, 'new'],
        ['status', 'new', 'received'],
        ['assigned', 'VL-SXD', 'UBND-29242'],
        ['status', 'received', 'assigned'],
        ['sop_step', '1', 'Tiếp nhận, xác minh thông tin phản ánh'],
        ['comment', null, null],
        ['status', 'assigned', 'in_progress'],
      ]);
      expect(done.timeline[1]!.actor).toBe('Trực ban IOC');
      expect(done.timeline[5]!.note).toBe('Đã liên hệ người dân');
    });

    it('filters cases, and shows the overdue and the about to be overdue', async () => {
      const ids = async (q: string) => (await s.app.inject(`/api/cases${q}`)).json<{ cases: { id: string }[] }>().cases.map((c) => c.id);
      const env = await create({ category: 'MOI_TRUONG' }); // 72 h
      const road = await create({}); // 48 h
      expect(await ids('?category=MOI_TRUONG')).toContain(env.id);
      expect(await ids('?category=MOI_TRUONG')).not.toContain(road.id);
      expect(await ids('?organisation=UBND-29242')).toContain(env.id);
      expect(await ids('?place=29242')).toEqual(expect.arrayContaining([env.id, road.id]));
      expect(await ids('?place=86')).toEqual(expect.arrayContaining([env.id, road.id]));
      expect(await ids('?status=in_progress')).not.toContain(env.id);
      expect(await ids('?overdue=overdue')).toEqual([]);
      const now = s.ctx.clock;
      try {
        // 29 November, 10:00 UTC: road cases (due 30 Nov 03:00) are due within 24 h; the environment case is not.
        s.ctx.clock = fixedClock('2026-11-29T10:00:00Z');
        expect(await ids('?overdue=due_soon')).toContain(road.id);
        expect(await ids('?overdue=due_soon')).not.toContain(env.id);
        // 30 November, 10:00 UTC: road cases are overdue, the environment case (due 1 Dec 03:00) is due soon.
        s.ctx.clock = fixedClock('2026-11-30T10:00:00Z');
        expect(await ids('?overdue=overdue')).toContain(road.id);
        expect(await ids('?overdue=overdue')).not.toContain(env.id);
        expect(await ids('?overdue=due_soon')).toContain(env.id);
        expect((await s.app.inject(`/api/cases/${road.id}`)).json<CaseDetail>().deadlineState).toBe('overdue');
      } finally {
        s.ctx.clock = now;
      }
    });
  });
}
