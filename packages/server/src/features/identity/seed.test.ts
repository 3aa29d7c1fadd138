import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, type TestServer } from '../../testing';
import { DEMO_ACCOUNTS_FILE, seedDemoAccounts } from './seed';

/**
 * The demo accounts: made once, on a database without users, with a
 * password written only to a file of the data folder; the sign-in screen is
 * told where that file is, never the password.
 */
for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`demo accounts (${engine.engine})`, () => {
    let s: TestServer;
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'wf-demo-accounts-'));
      s = await openTestServer(engine, { env: { WATCHFLOOR_DEMO_DATA: 'true', WATCHFLOOR_DATA_DIR: dir } });
    });
    afterAll(async () => {
      await s?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('creates one account per role once, their password in a file only its owner reads, and says where on the sign-in screen', async () => {
      expect((await s.anonymous({ url: '/api/auth/providers' })).json()).toMatchObject({ demo: false, demoAccounts: null });
      expect(await seedDemoAccounts(s.ctx, dir)).toEqual({ created: true, file: join(dir, DEMO_ACCOUNTS_FILE) });
      expect(await seedDemoAccounts(s.ctx, dir)).toMatchObject({ created: false });
      const file = join(dir, DEMO_ACCOUNTS_FILE);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const written = JSON.parse(await readFile(file, 'utf8')) as { accounts: { login: string; password: string; roles: { role: string; organisationCode: string | null; placeCode: string | null }[] }[] };
      expect(written.accounts.map((a) => a.login)).toEqual(['demo.leader', 'demo.operator', 'demo.officer', 'demo.steward', 'demo.appraiser', 'demo.office', 'demo.admin']);
      expect(written.accounts.find((a) => a.login === 'demo.officer')?.roles).toEqual([{ role: 'agency_officer', organisationCode: 'UBND-29242', placeCode: '29242' }]);
      const password = written.accounts[0]!.password;
      expect(password.length).toBeGreaterThanOrEqual(20);

      // The anonymous learn that this is a demo; an administrator (the tests' token) is told the logins and the file.
      expect((await s.anonymous({ url: '/api/auth/providers' })).json()).toEqual({ password: true, oidc: null, demo: true, demoAccounts: null });
      const providers = (await s.app.inject({ url: '/api/auth/providers' })).json<{ demoAccounts: { file: string; logins: string[] } }>();
      expect(providers.demoAccounts).toEqual({ file, logins: ['demo.admin', 'demo.appraiser', 'demo.leader', 'demo.office', 'demo.officer', 'demo.operator', 'demo.steward'].sort() });
      expect(JSON.stringify(providers)).not.toContain(password);

      const signed = await s.anonymous({ method: 'POST', url: '/api/auth/sign-in', payload: { login: 'demo.operator', password } });
      expect(signed.statusCode, signed.body).toBe(200);
    });
  });
}
