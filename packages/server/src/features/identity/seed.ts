import { randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IdentityRepository } from '@watchfloor/db';
import type { GrantInput } from '@watchfloor/core';
import type { AppContext } from '../../context';
import { IdentityService } from './service';

/** The file the demo accounts' password is written to, in the data folder (readable by its owner only). */
export const DEMO_ACCOUNTS_FILE = 'demo-accounts.json';

/** One account per role, so a newcomer can see the IOC as each of its users does. The officer is Phường Trà Vinh's People's Committee. */
export const DEMO_ACCOUNTS: { login: string; displayName: string; roles: GrantInput[] }[] = [
  { login: 'demo.leader', displayName: 'Lãnh đạo (demo)', roles: [{ role: 'leader' }] },
  { login: 'demo.operator', displayName: 'Điều hành viên (demo)', roles: [{ role: 'operator' }] },
  { login: 'demo.officer', displayName: 'Cán bộ UBND Phường Trà Vinh (demo)', roles: [{ role: 'agency_officer', organisationCode: 'UBND-29242', placeCode: '29242' }] },
  { login: 'demo.steward', displayName: 'Quản trị dữ liệu (demo)', roles: [{ role: 'data_steward' }] },
  { login: 'demo.appraiser', displayName: 'Thẩm định CCHC, Sở Nội vụ (demo)', roles: [{ role: 'appraiser' }] },
  { login: 'demo.office', displayName: 'Văn phòng UBND tỉnh (demo)', roles: [{ role: 'leaders_office' }] },
  { login: 'demo.admin', displayName: 'Quản trị hệ thống (demo)', roles: [{ role: 'administrator' }] },
];

/**
 * With the demo data set, a database without any user gets the demo
 * accounts, sharing one random password written to `demo-accounts.json` in
 * the data folder (never to the log). Nothing happens once any user exists,
 * so a real deployment (created with `watchfloor users create-admin`, demo
 * off) never has them.
 */
export async function seedDemoAccounts(ctx: AppContext, dataDir: string): Promise<{ created: boolean; file: string }> {
  const file = join(dataDir, DEMO_ACCOUNTS_FILE);
  if ((await new IdentityRepository(ctx.store.db).countUsers()) > 0) return { created: false, file };
  const password = randomBytes(15).toString('base64url');
  const service = new IdentityService(ctx);
  const accounts = [];
  for (const a of DEMO_ACCOUNTS) {
    const user = await service.createUser({ login: a.login, displayName: a.displayName, password, mustChangePassword: false, roles: a.roles.map((g) => ({ organisationCode: null, placeCode: null, ...g })) });
    accounts.push({ login: user.login, password, roles: user.roles });
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const note = 'Demo accounts of the Watchfloor demo data set (synthetic). Anyone who can read this file can sign in: disable them (PATCH /api/users/{login} {"disabled": true}) before real use.';
  await writeFile(file, `${JSON.stringify({ note, accounts }, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return { created: true, file };
}

/** The demo accounts still enabled, and where their password is, for the sign-in screen; null without the demo data or once all are disabled. */
export async function demoAccountsStatus(ctx: AppContext): Promise<{ file: string; logins: string[] } | null> {
  if (!ctx.config.demoData) return null;
  const demo = new Set(DEMO_ACCOUNTS.map((a) => a.login));
  const logins = (await new IdentityService(ctx).listUsers()).filter((u) => demo.has(u.login) && !u.disabled).map((u) => u.login);
  return logins.length === 0 ? null : { file: join(ctx.config.dataDir, DEMO_ACCOUNTS_FILE), logins };
}
