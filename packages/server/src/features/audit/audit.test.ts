import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { AuditEvent } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import type { TestServer } from '../../testing';
import { openSourcesServer } from '../sources/test-support';
import { IdentityService } from '../identity/service';

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`audit log on ${engine.engine}`, () => {
    let s: TestServer;
    let token = '';
    /** The audit log is the administrators': an administrator's API token reads it. */
    let admin: Record<string, string> = {};
    beforeAll(async () => {
      s = await openSourcesServer(engine);
      const identity = new IdentityService(s.ctx);
      const created = await identity.createToken({ name: 'audit reader', sourceCode: null, roles: [{ role: 'administrator', organisationCode: null, placeCode: null }] }, { kind: 'anonymous' });
      admin = { authorization: `Bearer ${created.token}` };
    });
    afterAll(async () => s?.close());

    const events = async (query: string) => {
      const r = await s.app.inject({ url: `/api/audit${query}`, headers: admin });
      expect(r.statusCode, r.body).toBe(200);
      return r.json<{ events: AuditEvent[] }>().events;
    };

    it('is read by administrators only', async () => {
      expect((await s.anonymous({ url: '/api/audit' })).json()).toMatchObject({ error: 'authentication_required' });
      expect((await s.anonymous({ url: '/api/audit.csv' })).statusCode).toBe(401);
    });

    it('records a source created, changed and given a new token, with before and after and never its secrets', async () => {
      const created = await s.app.inject({
        method: 'POST',
        url: '/api/sources',
        headers: { 'x-actor': 'nguyen.van.a' },
        payload: { code: 'AUD-PUSH', name: 'Sở Tài chính', kind: 'http_push', ownerOrganisationCode: 'VL-STC', credentials: { username: 'ioc', password: 'mật-khẩu-bí-mật' } },
      });
      expect(created.statusCode, created.body).toBe(201);
      token = created.json<{ token: string }>().token;
      const patched = await s.app.inject({
        method: 'PATCH',
        url: '/api/sources/AUD-PUSH',
        headers: { 'x-actor': 'tran.thi.b' },
        payload: { name: 'Sở Tài chính tỉnh Vĩnh Long', credentials: { username: 'ioc2', password: 'mật-khẩu-mới' } },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      const rotated = await s.app.inject({ method: 'POST', url: '/api/sources/AUD-PUSH/token' });
      const newToken = rotated.json<{ token: string }>().token;

      const list = await events('?entity=source:AUD-PUSH');
      expect(list.map((e) => [e.action, e.actor])).toEqual([
        ['source.token', 'anonymous'],
        ['source.update', 'tran.thi.b'],
        ['source.create', 'nguyen.van.a'],
      ]);
      const update = list[1];
      expect(update).toMatchObject({ at: '2026-11-28T03:00:00.000Z', address: '127.0.0.1', entityKind: 'source', entityKey: 'AUD-PUSH' });
      expect(update?.before).toMatchObject({ name: 'Sở Tài chính', hasCredentials: true });
      expect(update?.after).toMatchObject({ name: 'Sở Tài chính tỉnh Vĩnh Long', hasCredentials: true });
      expect(list[2]?.before).toBeNull();

      // Neither the answers nor the rows at rest hold a secret.
      const rows = JSON.stringify(await s.store.db.selectFrom('audit_event').selectAll().execute());
      const csv = (await s.app.inject({ url: '/api/audit.csv', headers: admin })).body;
      for (const text of [JSON.stringify(list), rows, csv]) {
        for (const secret of ['mật-khẩu', 'ioc2', token, newToken, 'v1.']) expect(text).not.toContain(secret);
      }
    });

    it('records targets saved with the value they replaced', async () => {
      const save = (value: number) => s.app.inject({ method: 'PUT', url: '/api/targets', headers: { 'x-actor': 'planner' }, payload: { targets: [{ indicator: 'DOSSIERS_RECEIVED', place: '86', period: '2026', value }] } });
      expect((await save(1000)).statusCode).toBe(200);
      expect((await save(1200)).statusCode).toBe(200);
      const list = await events('?entity=target:DOSSIERS_RECEIVED:86:2026&actor=planner');
      expect(list.map((e) => [e.before, e.after])).toEqual([
        [{ value: 1000 }, { value: 1200 }],
        [null, { value: 1000 }],
      ]);
      expect(await events('?entity=target&from=2026-11-28T03:00:01Z')).toEqual([]);
      expect((await events('?entity=target&from=2026-11-28T10:00:00%2B07:00&to=2026-11-28T03:00:01Z')).length).toBe(2);
    });

    it('exports CSV with formula-like cells defused', async () => {
      await s.app.inject({ method: 'PATCH', url: '/api/sources/AUD-PUSH', headers: { 'x-actor': '=HYPERLINK("http://evil")' }, payload: { name: 'x' } });
      const r = await s.app.inject({ url: '/api/audit.csv?actor=%3DHYPERLINK(%22http%3A%2F%2Fevil%22)', headers: admin });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('text/csv');
      const lines = r.body.trim().split('\r\n');
      expect(lines[0]).toBe('id,at,actor,address,action,entity_kind,entity_key,before,after');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    });

    it('refuses UPDATE and DELETE on the table in the database itself', async () => {
      await expect(sql`UPDATE audit_event SET actor = 'someone else'`.execute(s.store.db)).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM audit_event`.execute(s.store.db)).rejects.toThrow(/append-only/);
      expect((await events('?entity=source:AUD-PUSH')).length).toBe(4);
    });
  });
}
