import { describe, expect, it } from 'vitest';
import { browserMissing, browserSession, screenshot } from './support';

/**
 * Where an indicator applies and since when, on screen. The demo's budget
 * revenue (BUD_REVENUE) is collected per province only and, like every demo
 * series, from July 2021; dossiers are collected per commune. Phường Trà
 * Vinh (29242) is a ward of today's Vĩnh Long.
 */
describe.skipIf(browserMissing)('where and since when figures apply, in a browser', () => {
  const session = browserSession();

  it('shows a ward only what is collected per commune, and counts what it leaves out', async () => {
    const { server, page } = session();
    await page.goto(`${server.url}p/29242`);
    await page.locator('[data-testid="place-screen"][data-place="29242"]').waitFor();
    await page.getByTestId('tile-PS_ON_TIME_RATE').waitFor();
    expect(await page.getByTestId('tile-BUD_REVENUE').count()).toBe(0);
    expect(await page.getByTestId('tile-TRD_EXPORT').count()).toBe(0);
    expect(await page.locator('.not-applicable', { hasText: 'chỉ thu thập ở cấp trên' }).textContent()).toMatch(/^\d+ chỉ tiêu chỉ thu thập ở cấp trên/);
    // What is left is never "not received" from a province agency.
    expect(await page.locator('.tile .freshness', { hasText: 'Sở Tài chính' }).count()).toBe(0);
    await screenshot(page, 'overview-ward');
  });

  it('says "not collected yet" before the series start, with nothing late', async () => {
    const { server, page } = session();
    await page.goto(`${server.url}p/86?period=2020-05`);
    const tile = page.getByTestId('tile-BUD_REVENUE');
    await tile.waitFor();
    expect(await tile.locator('.tile-value').textContent()).toBe('Chưa thu thập');
    expect(await tile.locator('.freshness').textContent()).toBe('Chưa thu thập: chuỗi số liệu bắt đầu từ tháng 7/2021');
    expect(await page.locator('.badge-late').count()).toBe(0);
    expect(await page.locator('.tile .freshness', { hasText: 'Chưa nhận được số liệu' }).count()).toBe(0);
    await screenshot(page, 'overview-before-series');
  });

  it('says what a month with only a year plan was compared with', async () => {
    const { server, page } = session();
    await page.goto(`${server.url}p/86`);
    const tile = page.getByTestId('tile-BUD_REVENUE');
    await tile.waitFor();
    expect(await tile.locator('.tile-facts').textContent()).toMatch(/KH năm; kỳ vọng \d+(,\d)? % sau \d+ tháng/);
  });
});
