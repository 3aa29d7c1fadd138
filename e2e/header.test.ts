import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserMissing, browserSession, demoAccounts, screenshot } from './support';

/**
 * The header keeps to one line from a laptop to the wall: the entries used
 * most in the row, the others behind "More" (Thêm), which opens and closes
 * from the keyboard; on a phone they are all in the folded menu.
 */

const PRIMARY = ['Bảng điều khiển', 'Phản ánh', 'Cảnh báo', 'Nhiệm vụ chỉ đạo'];
const SECONDARY = ['Chỉ số CCHC', 'Xếp hạng cơ quan', 'Báo cáo', 'Dữ liệu', 'Màn hình tường'];

describe.skipIf(browserMissing)('the header’s navigation', () => {
  const session = browserSession();

  /** A page of its own at a width, signed in as the leader (a long name with roles beside it), on the home screen. */
  async function pageAt(width: number, height: number, mobile = false): Promise<Page> {
    const { server } = session();
    const browser = session().page.context().browser();
    if (!browser) throw new Error('no browser');
    const context = await browser.newContext({ viewport: { width, height }, isMobile: mobile, hasTouch: mobile, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    const page = await context.newPage();
    const leader = (await demoAccounts(server))['demo.leader']!;
    // By the form, as a person would; on a phone the account is then in the folded menu, there but out of view.
    await page.goto(`${server.url}sign-in`);
    const form = page.getByTestId('sign-in');
    await form.locator('input[name="login"]').fill(leader.login);
    await form.locator('input[name="password"]').fill(leader.password);
    await form.locator('button[type="submit"]').click();
    await page.getByTestId('account-name').waitFor({ state: 'attached' });
    await page.goto(server.url);
    await page.locator('[data-testid="place-screen"]').waitFor();
    await page.locator('[data-testid="live-mark"][data-live="true"]').waitFor();
    return page;
  }

  /** The header's height and the vertical extent of each shown entry of the row. */
  async function rowOf(page: Page) {
    return page.evaluate(() => {
      const header = document.querySelector('.app-header')!.getBoundingClientRect();
      const items = [...document.querySelectorAll<HTMLElement>('.app-nav > a, .nav-more-toggle, .live-mark, .account, .lang-switch, .brand')].filter((e) => e.offsetParent !== null).map((e) => e.getBoundingClientRect());
      return { height: header.height, tops: items.map((r) => Math.round(r.top)), bottoms: items.map((r) => Math.round(r.bottom)), lines: [...document.querySelectorAll<HTMLElement>('.app-nav > a, .nav-more-toggle')].map((e) => Math.round(e.getBoundingClientRect().height)) };
    });
  }

  for (const [name, width, height] of [
    ['a laptop (1280 px)', 1280, 800],
    ['the wall (1920 px)', 1920, 1080],
  ] as const) {
    it(`stays on one line on ${name}, the other entries behind “More”, opened and closed from the keyboard`, async () => {
      const page = await pageAt(width, height);
      const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
      for (const label of PRIMARY) expect(await nav.getByRole('link', { name: label, exact: true }).isVisible()).toBe(true);
      for (const label of SECONDARY) expect(await nav.getByRole('link', { name: label, exact: true }).isVisible()).toBe(false);
      const row = await rowOf(page);
      // Every entry sits within one band the height of the tallest (the account's name over its roles), each link on one line.
      const band = Math.max(...row.bottoms.map((b, i) => b - row.tops[i]!));
      expect(Math.max(...row.bottoms) - Math.min(...row.tops)).toBeLessThanOrEqual(band + 2);
      expect(Math.max(...row.lines)).toBeLessThan(30);
      expect(row.height).toBeLessThan(80);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

      const more = nav.getByRole('button', { name: 'Thêm' });
      await more.focus();
      await page.keyboard.press('Enter');
      expect(await more.getAttribute('aria-expanded')).toBe('true');
      for (const label of SECONDARY) await nav.getByRole('link', { name: label, exact: true }).waitFor();
      await screenshot(page, `header-${width}-more`);
      // Tab goes into the list; Escape closes it and gives the focus back to "More".
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(SECONDARY[0]);
      await page.keyboard.press('Escape');
      expect(await more.getAttribute('aria-expanded')).toBe('false');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('nav-more');
      expect(await nav.getByRole('link', { name: SECONDARY[0], exact: true }).isVisible()).toBe(false);
      // Opened again, an entry leads to its screen and the list closes.
      await more.click();
      await nav.getByRole('link', { name: 'Chỉ số CCHC', exact: true }).click();
      await page.waitForURL(/\/par/);
      expect(await more.getAttribute('aria-expanded')).toBe('false');
      await page.context().close();
    });
  }

  it('lists every entry in the folded menu of a phone (390 px), within its width', async () => {
    const page = await pageAt(390, 844, true);
    const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
    await page.getByRole('button', { name: 'Menu điều hướng' }).click();
    for (const label of [...PRIMARY, ...SECONDARY]) expect(await nav.getByRole('link', { name: label, exact: true }).isVisible()).toBe(true);
    expect(await nav.getByRole('button', { name: 'Thêm' }).isVisible()).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'header-390-menu');
    await page.context().close();
    expect(session().errors).toEqual([]);
  });
});
