import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@watchfloor/db/testing';
import type { Organisation, OrganisationDetail } from '@watchfloor/core';
import { openTestServer, type TestServer } from '../../testing';

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`organisation API on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine);
    });
    afterAll(async () => s?.close());

    const get = async <T>(url: string) => {
      const r = await s.app.inject(url);
      return { status: r.statusCode, body: r.json<T>() };
    };

    it("lists Trà Vinh's departments as they were before the March 2025 restructuring", async () => {
      const r = await get<OrganisationDetail>('/api/organisations/TV-UBND?at=2024-06-01');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ name: 'Ủy ban nhân dân tỉnh Trà Vinh', kind: 'peoples_committee', placeCode: '84', demo: true });
      const codes = r.body.children.map((c) => c.code);
      expect(codes).toEqual(expect.arrayContaining(['TV-SKHDT', 'TV-STC', 'UBND-842']));
      expect(codes).not.toContain('TV-SNNMT');
    });

    it('follows agencies through their mergers', async () => {
      const merged = await get<OrganisationDetail>('/api/organisations/TV-SNNMT?at=2025-04-01');
      expect(merged.body.predecessors.map((p) => p.code)).toEqual(['TV-SNNPTNT', 'TV-STNMT']);
      expect(merged.body.successors.map((p) => p.code)).toEqual(['VL-SNNMT']);
      const gone = await get<{ error: string; message: string }>('/api/organisations/TV-SKHDT?at=2025-04-01');
      expect(gone.status).toBe(404);
      expect(gone.body.message).toContain('2025-02-28');
    });

    it("has a People's Committee for each of the new Vĩnh Long's 124 communes", async () => {
      const r = await get<{ organisations: Organisation[] }>('/api/organisations?parent=VL-UBND&kind=peoples_committee&at=2026-01-01');
      expect(r.body.organisations).toHaveLength(124);
      const traVinh = await get<{ organisations: Organisation[] }>('/api/organisations?place=29242');
      expect(traVinh.body.organisations.map((o) => o.name)).toEqual(['Ủy ban nhân dân Phường Trà Vinh']);
    });

    it('refuses unknown codes and bad filters', async () => {
      expect((await get<{ error: string }>('/api/organisations/NOPE')).body.error).toBe('unknown_organisation_code');
      expect((await get<{ error: string }>('/api/organisations?kind=ministry')).status).toBe(400);
    });
  });
}
