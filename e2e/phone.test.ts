import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiSignIn, browserMissing, demoAccounts, launchBrowser, nextFrames, screenshot, SERVER_START_TIMEOUT, startServer, type RunningServer } from './support';

/**
 * Every screen on a phone: 390 px wide (an iPhone 12–15), as a phone lays
 * the page out (the meta viewport, touch). Nothing may scroll sideways —
 * the header's navigation, the live mark and the account fit, and a wide
 * table scrolls inside its own box — and each screen's heading is on view.
 */
const PHONE = { width: 390, height: 844 };

interface Screen {
  name: string;
  path: string;
  /** What shows the screen is drawn with its content (not its loading state), for whoever may see it. */
  ready: string;
}

describe.skipIf(browserMissing)('every screen at phone width (390 px)', () => {
  let server: RunningServer | null = null;
  let browser: Browser | null = null;
  let caseId = '';

  beforeAll(async () => {
    const [started, launched] = await Promise.all([startServer(), launchBrowser()]);
    server = started;
    browser = launched;
    // A case of the operator's, so that the board lists one and its screen can be opened.
    const operator = await apiSignIn(server, 'demo.operator');
    const answer = await operator.call('api/cases', {
      method: 'POST',
      body: { category: 'GIAO_THONG', title: 'Ổ gà trên đường Nguyễn Đáng, trước số 120, gây nguy hiểm cho xe máy vào giờ tan tầm', lat: 9.9063, lon: 106.3419 },
    });
    expect(answer.status).toBe(201);
    caseId = ((await answer.json()) as { id: string }).id;
    // Dossiers of the officer's ward, one late and one resolved early, so that the dossiers list has rows.
    const officer = await apiSignIn(started, 'demo.officer');
    const dossier = (code: string, resolvedAt: string | null) => ({ code, procedure: '1.001234', procedureName: 'Đăng ký khai sinh kết hợp đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi', organisation: 'UBND-29242', receivedAt: '2026-11-02T08:00:00+07:00', dueAt: '2026-11-05T17:00:00+07:00', resolvedAt, channel: 'online' });
    expect((await officer.call('api/dossiers', { method: 'PUT', body: { dossiers: [dossier('000.00.29242.H62-261102-0001', null), dossier('000.00.29242.H62-261102-0002', '2026-11-03T09:00:00+07:00')] } })).status).toBe(200);
  }, SERVER_START_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function phonePage(): Promise<{ page: Page; errors: string[] }> {
    if (!browser) throw new Error('the browser did not start');
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    return { page, errors };
  }

  /** Opens the screen, waits for it to be drawn, and says how wide the document is and whether its heading is on view. */
  async function measure(page: Page, screen: Screen): Promise<{ scrollWidth: number; heading: boolean; headingRight: number; past: string[] }> {
    if (!server) throw new Error('the server did not start');
    await page.goto(`${server.url}${screen.path}`);
    await page.locator(screen.ready).first().waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => document.querySelectorAll('main .loading').length === 0, undefined, { timeout: 20_000 });
    await nextFrames(page);
    const heading = page.locator('main h1').first();
    const box = await heading.boundingBox();
    return {
      scrollWidth: await page.evaluate(() => document.documentElement.scrollWidth),
      heading: await heading.isVisible(),
      headingRight: box ? box.x + box.width : Infinity,
      past: await reachingPast(page),
    };
  }

  /** What reaches past the right edge of the screen, outermost first (not what a box of its own scrolls), to say in a failure what is too wide. */
  async function reachingPast(page: Page): Promise<string[]> {
    return page.evaluate((width) => {
      const scrolls = (el: Element) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
      const found: string[] = [];
      const walk = (el: Element) => {
        if (found.length >= 5) return;
        const r = el.getBoundingClientRect();
        if (r.right > width + 0.5 && r.width > 0) {
          found.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} (${Math.round(r.right)} px)`);
          return;
        }
        if (!scrolls(el)) for (const child of el.children) walk(child);
      };
      for (const child of document.body.children) walk(child);
      return found;
    }, PHONE.width);
  }

  const screens = (): Screen[] => [
    { name: 'the province overview', path: '', ready: '[data-testid="place-screen"] [data-testid^="tile-"] .tile-value' },
    { name: 'a commune', path: 'p/29242', ready: '[data-testid="place-screen"][data-place="29242"] [data-testid^="tile-"] .tile-value' },
    { name: 'an indicator', path: 'p/29242/i/PS_DOSSIER_RECEIVED', ready: '[data-testid="series-chart"] svg' },
    { name: 'the sign-in screen', path: 'sign-in', ready: '[data-testid="sign-in"], [data-testid="signed-in"]' },
    { name: 'the dashboards', path: 'd', ready: '[data-testid="dashboards-list"], .error-panel' },
    { name: 'a dashboard', path: 'd/demo-dieu-hanh', ready: '[data-testid="dashboard-screen"] .tile-value, .error-panel' },
    { name: 'the case board', path: 'desk/cases', ready: '[data-testid="case-table"] tr[data-case], .error-panel' },
    { name: 'a case', path: `cases/${caseId}`, ready: '[data-testid="case-timeline"], .error-panel' },
    { name: 'the alert desk', path: 'desk/alerts', ready: '[data-testid="alert-desk"] .alert-group, [data-testid="alert-desk"] .note, .error-panel' },
    { name: 'the data desk', path: 'desk/data', ready: '[data-testid="source-table"] tbody tr, .error-panel' },
    { name: 'the administrative dossiers', path: 'desk/dossiers', ready: '[data-testid="dossier-table"] tr[data-dossier], [data-testid="dossier-list"] .note, [data-testid="sign-in-prompt"], .error-panel' },
    { name: 'the scorecards', path: 'scorecards', ready: '[data-testid="scorecards-table"], .error-panel' },
    // The demo's PAR Index cycles: 2025 published (cycle 1), 2026 in progress (cycle 2), its ranking with changes since 2025.
    { name: 'the PAR Index results', path: 'par', ready: '[data-testid="par-results-table"], [data-testid="par-empty"], .error-panel' },
    { name: 'a PAR Index cycle in progress', path: 'par/2', ready: '[data-testid="par-results-table"], .error-panel' },
    { name: 'the communes’ PAR Index map', path: 'par/1?kind=commune', ready: '[data-testid="par-map-legend"], .error-panel' },
    { name: 'a unit’s PAR Index assessment', path: 'par/2/units/UBND-29242', ready: '[data-testid="par-assessment"], .error-panel' },
    { name: 'a PAR Index cycle’s desk', path: 'par/2/desk', ready: '[data-testid="par-cycle-desk"], .error-panel' },
  ];

  for (const who of ['anonymous', 'demo.admin'] as const) {
    it(`lays every screen out within 390 px, heading on view, for ${who === 'anonymous' ? 'the public' : 'an administrator'}`, async () => {
      if (!server) throw new Error('the server did not start');
      const { page, errors } = await phonePage();
      if (who !== 'anonymous') {
        const account = (await demoAccounts(server))[who];
        if (!account) throw new Error(`no ${who} in demo-accounts.json`);
        // By the form, as on a wide screen; the account is then in the folded menu, there but out of view.
        await page.goto(`${server.url}sign-in`);
        const form = page.getByTestId('sign-in');
        await form.locator('input[name="login"]').fill(account.login);
        await form.locator('input[name="password"]').fill(account.password);
        await form.locator('button[type="submit"]').click();
        await page.getByTestId('account-name').waitFor({ state: 'attached' });
      }
      const measured: Record<string, { scrollWidth: number; heading: boolean; headingWithin: boolean; past: string[] }> = {};
      for (const screen of screens()) {
        const m = await measure(page, screen);
        measured[screen.name] = { scrollWidth: m.scrollWidth, heading: m.heading, headingWithin: m.headingRight <= PHONE.width, past: m.past };
        await screenshot(page, `phone-${who === 'anonymous' ? 'public' : 'admin'}-${screen.path.replace(/\W+/g, '-') || 'home'}`);
      }
      // One expectation over all the screens, so that a failure names every screen that scrolls sideways.
      const expected = Object.fromEntries(Object.entries(measured).map(([name, m]) => [name, { scrollWidth: Math.min(m.scrollWidth, PHONE.width), heading: true, headingWithin: true, past: [] }]));
      expect(measured).toEqual(expected);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it('opens the navigation from a named menu button on a phone, the live mark staying on screen', async () => {
    if (!server) throw new Error('the server did not start');
    const { page } = await phonePage();
    await page.goto(server.url);
    await page.locator('[data-testid="place-screen"]').waitFor();
    const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
    const menu = page.getByRole('button', { name: 'Menu điều hướng' });
    await menu.waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await nav.getByRole('link', { name: 'Phản ánh', exact: true }).isVisible()).toBe(false);
    // The live mark says whether figures update by themselves, inside the screen's width.
    const live = page.getByTestId('live-mark');
    await live.waitFor();
    const liveBox = await live.boundingBox();
    expect(liveBox && liveBox.x >= 0 && liveBox.x + liveBox.width <= PHONE.width).toBe(true);

    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    const cases = nav.getByRole('link', { name: 'Phản ánh', exact: true });
    await cases.waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'phone-menu-open');
    // Following a link closes the menu.
    await cases.click();
    await page.waitForURL(/\/desk\/cases$/);
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await page.context().close();
  });

  it('keeps the longer "not live" mark on screen, beside the menu button', async () => {
    if (!server) throw new Error('the server did not start');
    const { page } = await phonePage();
    // The live stream refused from the start: the mark says figures do not update by themselves.
    await page.route('**/api/live**', (route) => route.abort());
    await page.goto(server.url);
    await page.locator('[data-testid="place-screen"] [data-testid^="tile-"] .tile-value').first().waitFor();
    const live = page.locator('[data-testid="live-mark"][data-live="false"]');
    await live.getByText('Mất kết nối: số liệu không cập nhật trực tiếp').waitFor();
    const liveBox = await live.boundingBox();
    const menuBox = await page.getByRole('button', { name: 'Menu điều hướng' }).boundingBox();
    expect(liveBox && menuBox && liveBox.x >= 0 && liveBox.x + liveBox.width <= menuBox.x).toBe(true);
    expect(menuBox && menuBox.x + menuBox.width <= PHONE.width).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'phone-not-live');
    await page.context().close();
  });
});
