import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Grant } from '@watchfloor/core';
import { ensureWebBuilt } from '../scripts/build-web';

/**
 * What the end-to-end tests share: the real `watchfloor start` in a child
 * process (own port, fresh data directory, demo data), headless Debian
 * Chromium driven by playwright-core, and screenshots under test-results/.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'packages/cli/src/main.ts');
export const SCREENSHOTS = join(ROOT, 'test-results/e2e');

/** Loading the demo data into a fresh database takes ~15 s, more when several test files start servers at once. */
export const SERVER_START_TIMEOUT = 150_000;

export interface RunningServer {
  url: string;
  origin: string;
  /** The server's data directory (the embedded database, demo-accounts.json). */
  dataDir: string;
  stop(): Promise<void>;
}

export async function startServer(): Promise<RunningServer> {
  await ensureWebBuilt({ log: () => undefined });
  const dataDir = await mkdtemp(join(tmpdir(), 'wf-e2e-'));
  // The embedded database in a fresh folder, whatever the environment says.
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const child: ChildProcessWithoutNullStreams = spawn(TSX, [MAIN, 'start', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...env, WATCHFLOOR_LOG_LEVEL: 'info', WATCHFLOOR_DEMO_DATA: 'true' },
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log.slice(-4000)}`)), SERVER_START_TIMEOUT - 10_000);
    child.stdout.on('data', (b: Buffer) => {
      log += b.toString();
      const m = /"url":"http:\/\/localhost:(\d+)\/".*"msg":"Watchfloor is serving"/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}/`);
      }
    });
    child.stderr.on('data', (b: Buffer) => (log += b.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${log.slice(-4000)}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
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
