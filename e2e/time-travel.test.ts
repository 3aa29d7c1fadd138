import { describe, expect, it } from 'vitest';
import { browserMissing, browserSession, mapLoaded, screenshot } from './support';

describe.skipIf(browserMissing)('time travel across the 1 July 2025 reform', () => {
  const session = browserSession();

  it('shows Trà Vinh with its 9 districts on the map in 2020', async () => {
    const { server, page } = session();
    await page.goto(server.url);
    await page.locator('[data-testid="place-screen"][data-place="86"]').waitFor();
    await page.locator('.date-control input[type="date"]').fill('2020-06-30');
    await page.waitForURL(/at=2020-06-30/);
    await page.locator('[data-testid="place-screen"][data-place="84"]').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Tỉnh Trà Vinh');
    expect(new URL(page.url()).searchParams.get('period')).toBe('2020-05');
    expect(await page.locator('.banner-past').textContent()).toContain('30/06/2020');
    await mapLoaded(page);
    const rows = page.locator('[data-testid="children-table"] tbody tr');
    expect(await rows.count()).toBe(9);
    expect(await rows.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Thành phố Trà Vinh')]));
    expect(await page.locator('#children-title').textContent()).toContain('Các huyện');
    await screenshot(page, 'tra-vinh-2020');
  });

  it('shows figures of Trà Vinh just before the merger, and the same months regrouped onto the new Vĩnh Long after it', async () => {
    const { page } = session();
    await page.getByRole('button', { name: 'Trước sáp nhập' }).click();
    await page.waitForURL(/at=2025-06-30/);
    await page.getByTestId('tile-PS_ON_TIME_RATE').locator('.tile-value', { hasNotText: 'Không có số liệu' }).waitFor();
    await page.getByRole('button', { name: 'Hôm nay' }).click();
    await page.locator('[data-testid="place-screen"][data-place="86"]').waitFor();
    // Keep May 2025 while viewing today's map: figures of the former provinces, regrouped.
    await page.locator('.period-picker select').selectOption('2025-05');
    await page.locator('.banner-regrouped').waitFor();
    expect(await page.getByTestId('tile-PS_ON_TIME_RATE').locator('.badge-regrouped').count()).toBe(1);
  });

  it('follows a ward back to the district of its former wards, whose communes are listed but not drawn', async () => {
    const { server, page } = session();
    await page.goto(`${server.url}p/29242`);
    await page.locator('[data-testid="place-screen"][data-place="29242"]').waitFor();
    await page.locator('.date-control input[type="date"]').fill('2020-06-30');
    await page.waitForURL(/\/p\/842\?.*at=2020-06-30/);
    await page.locator('[data-testid="place-screen"][data-place="842"]').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Thành phố Trà Vinh');
    await page.locator('.note', { hasText: 'không được cấp phép mở' }).waitFor();
    expect(await page.getByTestId('choropleth-map').count()).toBe(0);
    expect(await page.locator('[data-testid="children-table"]').textContent()).toContain('Phường 3');
    await screenshot(page, 'tra-vinh-city-2020');
    // And forward again: the district is gone, so today shows the province it became part of.
    await page.getByRole('button', { name: 'Hôm nay' }).click();
    await page.locator('[data-testid="place-screen"][data-place="86"]').waitFor();
  });

  it('loads nothing from another origin, and raises no script error', () => {
    const { foreign, errors } = session();
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  });
});
