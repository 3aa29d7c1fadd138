import { afterAll, describe, expect, it } from 'vitest';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, type TestServer } from '../testing';

/**
 * The client's address (sign-in throttling, the audit log) comes from
 * X-Forwarded-For only when the request came through a trusted proxy;
 * otherwise a client could choose its own.
 */
for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`forwarded addresses (${engine.engine})`, () => {
    const servers: TestServer[] = [];
    afterAll(async () => Promise.all(servers.map((s) => s.close())));

    async function auditedAddress(env: Record<string, string>, remoteAddress: string): Promise<string | null> {
      const s = await openTestServer(engine, { env });
      servers.push(s);
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/sources',
        remoteAddress,
        headers: { 'x-forwarded-for': '203.0.113.7' },
        payload: { code: 'PROXIED', name: 'Behind a proxy', kind: 'http_push', ownerOrganisationCode: 'VL-STC' },
      });
      expect(r.statusCode, r.body).toBe(201);
      const events = (await s.app.inject('/api/audit?entity=source:PROXIED')).json<{ events: { address: string | null }[] }>().events;
      return events[0]?.address ?? null;
    }

    it('ignores X-Forwarded-For by default', async () => {
      expect(await auditedAddress({}, '198.51.100.20')).toBe('198.51.100.20');
    });

    it('believes it from a trusted proxy only', async () => {
      expect(await auditedAddress({ WATCHFLOOR_TRUST_PROXY: '10.0.0.0/8' }, '10.1.2.3')).toBe('203.0.113.7');
      expect(await auditedAddress({ WATCHFLOOR_TRUST_PROXY: '10.0.0.0/8' }, '198.51.100.20')).toBe('198.51.100.20');
      expect(await auditedAddress({ WATCHFLOOR_TRUST_PROXY: '1' }, '198.51.100.20')).toBe('203.0.113.7');
    });
  });
}
