import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, apiTokenCreateSchema, type IngestResult, type Source } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, type TestServer } from '../../testing';
import { IdentityService } from '../identity/service';
import { DEMO_DIRECTIVE_SOURCE, seedDemoSources } from './demo';
import { multipart } from './test-support';

/**
 * The demo's directive source: the office of the People's Committee of
 * Vĩnh Long (VL-VP) uploads the e-office system's task files to it, for
 * tasks its departments and communes lead.
 */
for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`the demo's directive source on ${engine.engine}`, () => {
    let s: TestServer;
    let office: Record<string, string> = {};
    const seed = () => seedDemoSources(s.store, { clock: s.ctx.clock, province: s.ctx.config.province });

    beforeAll(async () => {
      s = await openTestServer(engine);
      const made = await new IdentityService(s.ctx).createToken(apiTokenCreateSchema.parse({ name: 'van.phong', roles: [{ role: 'leaders_office' }] }), ANONYMOUS);
      office = { authorization: `Bearer ${made.token}` };
    }, 120_000);
    afterAll(async () => {
      await s?.close();
    });

    it('is added once, owned by the province’s office, and the office sees it among its sources', async () => {
      expect(await seed()).toEqual({ added: 1 });
      expect(await seed()).toEqual({ added: 0 });
      const r = await s.app.inject({ method: 'GET', url: '/api/sources', headers: office });
      expect(r.statusCode, r.body).toBe(200);
      const mine = r.json<{ sources: Source[] }>().sources.filter((x) => x.mapping?.target === 'directives');
      expect(mine.map((x) => [x.code, x.kind, x.ownerOrganisationCode, x.enabled])).toEqual([[DEMO_DIRECTIVE_SOURCE, 'file', 'VL-VP', true]]);
    });

    it('takes the office’s file of tasks led by a department and a ward', async () => {
      const csv =
        'Số/ký hiệu,Ngày ban hành,Cơ quan ban hành,Người ký,Loại văn bản,Trích yếu,Nội dung nhiệm vụ,Mã nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,Hạn xử lý\r\n' +
        '90/TB-UBND,20/11/2026,UBND tỉnh Vĩnh Long,Chủ tịch (thử),Thông báo kết luận,Kết luận thử,Rà soát dự toán,1,Sở Tài chính,,15/12/2026\r\n' +
        '90/TB-UBND,20/11/2026,UBND tỉnh Vĩnh Long,Chủ tịch (thử),Thông báo kết luận,Kết luận thử,Chỉnh trang đô thị,2,UBND phường Trà Vinh,Sở Xây dựng,31/12/2026\r\n';
      const body = await multipart('nhiem-vu.csv', csv);
      const r = await s.app.inject({ method: 'POST', url: `/api/directives/sources/${DEMO_DIRECTIVE_SOURCE}/upload?dryRun=true`, payload: body.payload, headers: { ...body.headers, ...office } });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json<IngestResult>()).toMatchObject({ rowsRead: 2, accepted: 2, rejected: 0, created: 2 });
    });
  });
}
