import { existsSync, mkdirSync } from 'node:fs';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Grant } from '@watchfloor/core';
import { ensureWebBuilt } from '../scripts/build-web';
import { ROOT, serveFrom, SERVER_START_TIMEOUT, type RunningServer } from './server';

export { SERVER_START_TIMEOUT, type RunningServer } from './server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A data directory holding a database the demo data was loaded into, for each test file's server to start on a copy of; '' when there is none. */
    demoTemplate: string;
  }
}

/**
 * What the end-to-end tests share: the real `watchfloor start` in a child
 * process (own port, own data directory, demo data), headless Debian
 * Chromium driven by playwright-core, and screenshots under test-results/.
 */
export const SCREENSHOTS = join(ROOT, 'test-results/e2e');

/**
 * A server on a fresh copy of the demo database that the browser project's
 * global setup seeded once for the run (`e2e/global-setup.ts`): each test
 * file gets its own data directory, as from a first start, without loading
 * the demo data again (each step of the start is idempotent, so the copy
 * starts as a restart does). Run outside that setup, it seeds its own.
 */
export async function startServer(): Promise<RunningServer> {
  await ensureWebBuilt({ log: () => undefined });
  const dataDir = await mkdtemp(join(tmpdir(), 'wf-e2e-'));
  const template = inject('demoTemplate');
  if (template) await cp(template, dataDir, { recursive: true });
  return serveFrom(dataDir);
}

const CHROMIUM = process.env.WATCHFLOOR_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Why the browser suite cannot run here, or null when it can. Like the
 * PostgreSQL suites without a server, it is skipped with the reason printed
 * (CI installs Chromium, so there it always runs).
 */
export const browserMissing: string | null = existsSync(CHROMIUM) ? null : `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set WATCHFLOOR_CHROMIUM)`;
if (browserMissing) console.warn(`Browser tests skipped: ${browserMissing}`);

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/** A page whose every request outside `origin` is recorded (the app must work offline), and whose script errors are kept. */
export async function openPage(browser: Browser, origin: string): Promise<{ page: Page; foreign: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const foreign: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(`${origin}/`) && !u.startsWith('blob:') && !u.startsWith('data:')) foreign.push(u);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, foreign, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** Waits for the map of the place on screen to have drawn its boundaries. */
export async function mapLoaded(page: Page): Promise<void> {
  await page.locator('[data-testid="choropleth-map"][data-loaded]').waitFor({ timeout: 20_000 });
  // The map says when it has drawn (MapLibre's first idle), and the frame after the data lands is painted on an
  // animation frame: wait for those events rather than for a guessed length of time.
  await page.locator('[data-testid="choropleth-map"][data-drawn]').waitFor({ timeout: 20_000 });
  await nextFrames(page);
}

/** Resolves once the page has painted two more frames: whatever was waiting for the next frame has been drawn. */
export async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

/** What a test file drives: the server, the browser's page, and what the page did that it must not. */
export interface BrowserSession {
  server: RunningServer;
  page: Page;
  /** Requests that left the server's origin. */
  foreign: string[];
  /** Script errors on the page. */
  errors: string[];
}

/**
 * One real server and one browser page for a test file, started before its
 * tests and stopped after them. Call it at the top of the describe block;
 * the returned function gives the session inside a test.
 */
export function browserSession(): () => BrowserSession {
  let session: BrowserSession | null = null;
  let browser: Browser | null = null;
  beforeAll(async () => {
    const [server, started] = await Promise.all([startServer(), launchBrowser()]);
    browser = started;
    session = { server, ...(await openPage(started, server.origin)) };
  }, SERVER_START_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await session?.server.stop();
  });
  return () => {
    if (!session) throw new Error('the browser session did not start');
    return session;
  };
}

/** One demonstration account, as `watchfloor start` writes them on first start with demo data. */
export interface DemoAccount {
  login: string;
  password: string;
  roles: Grant[];
}

/**
 * The demonstration accounts of a server started with demo data (demo.leader,
 * demo.operator, demo.officer, demo.steward, demo.appraiser, demo.office, demo.admin), read from
 * `<dataDir>/demo-accounts.json`, by login.
 */
export async function demoAccounts(server: RunningServer): Promise<Record<string, DemoAccount>> {
  const file = JSON.parse(await readFile(join(server.dataDir, 'demo-accounts.json'), 'utf8')) as { note: string; accounts: DemoAccount[] };
  return Object.fromEntries(file.accounts.map((a) => [a.login, a]));
}

/** Signs in through the form at /sign-in, as a person would (signing whoever is signed in out first), and waits until the header names the user. */
export async function signIn(page: Page, origin: string, login: string, password: string): Promise<void> {
  await page.goto(`${origin}/sign-in`);
  const form = page.getByTestId('sign-in');
  await form.or(page.getByTestId('signed-in')).waitFor();
  if (!(await form.isVisible())) {
    await page.locator('[data-testid="account"] button').click();
    await page.getByTestId('sign-in-link').waitFor();
    await page.goto(`${origin}/sign-in`);
    await form.waitFor();
  }
  await form.locator('input[name="login"]').fill(login);
  await form.locator('input[name="password"]').fill(password);
  await form.locator('button[type="submit"]').click();
  await page.getByTestId('account-name').waitFor();
}

/** A signed-in caller of the API from the test itself (not the page): its own session cookie, and the CSRF token its state changes carry. */
export interface ApiSession {
  login: string;
  /** fetch() on the server, path relative to its root (`api/cases`), signed in; a JSON body is sent as such. */
  call(path: string, init?: { method?: string; body?: unknown }): Promise<Response>;
}

/** Signs a demo account in through POST /api/auth/sign-in, as the web app does, for calls the test makes itself. */
export async function apiSignIn(server: RunningServer, login: string): Promise<ApiSession> {
  const account = (await demoAccounts(server))[login];
  if (!account) throw new Error(`no ${login} in demo-accounts.json`);
  return apiSignInWith(server, login, account.password);
}

/** Signs in any account by its login and password (one the test made, say), for calls the test makes itself. */
export async function apiSignInWith(server: RunningServer, login: string, password: string): Promise<ApiSession> {
  const res = await fetch(`${server.url}api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (res.status !== 200) throw new Error(`${login} could not sign in: ${res.status} ${await res.text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .filter((c) => c.startsWith('wf_session='))
    .join('; ');
  if (!cookie) throw new Error(`${login} signed in without a session cookie`);
  return {
    login,
    call: (path, init = {}) =>
      fetch(`${server.url}${path}`, {
        method: init.method ?? 'GET',
        headers: { cookie, 'x-csrf-token': csrfToken, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      }),
  };
}

/** Signs the page in as a demo account (by the form, as a person would). */
export async function signInAs(session: { server: RunningServer; page: Page }, login: string): Promise<void> {
  const account = (await demoAccounts(session.server))[login];
  if (!account) throw new Error(`no ${login} in demo-accounts.json`);
  await signIn(session.page, session.server.origin, account.login, account.password);
}
