import { describe, expect, it } from 'vitest';
import { browserMissing, browserSession, mapLoaded, screenshot } from './support';

/** The last month whose figures are overdue today in Vietnam: the demo's monthly figures are owed at most 15 days after the month ends. */
function lastOverdueMonth(now = new Date()): string {
  const vn = new Date(now.getTime() + 7 * 3_600_000 - 16 * 86_400_000);
  const month = new Date(Date.UTC(vn.getUTCFullYear(), vn.getUTCMonth() - 1, 1));
  return `${month.getUTCFullYear()}-${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

describe.skipIf(browserMissing)('the province overview in a browser', () => {
  const session = browserSession();

  it('opens on the new Vĩnh Long, in Vietnamese, with tiles by domain, the synthetic-data banner and the commune map', async () => {
    const { server, page } = session();
    // Nobody is signed in: the page must not ask for what only signed-in users read (cases, alerts, stations).
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.status() === 401) refused.push(r.url());
    });
    const started = Date.now();
    await page.goto(server.url);
    await page.locator('[data-testid="place-screen"][data-place="86"]').waitFor();
    const firstOverviewMs = Date.now() - started;
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    expect(await page.locator('h1').textContent()).toBe('Tỉnh Vĩnh Long');
    expect(await page.getByTestId('synthetic-banner').textContent()).toContain('Số liệu minh họa');
    expect(await page.locator('.domain-title').allTextContents()).toEqual(expect.arrayContaining(['Ngân sách', 'Thủ tục hành chính', 'Môi trường']));
    expect(await page.locator('.tile').count()).toBeGreaterThan(30);
    // A rate with its unit, formatted the Vietnamese way, and its freshness.
    const tile = page.getByTestId('tile-PS_ON_TIME_RATE');
    expect(await tile.locator('.tile-value').textContent()).toMatch(/^\d{2},\d%$/);
    expect(await tile.locator('.freshness').textContent()).toMatch(/Cập nhật .* bởi Trung tâm Phục vụ hành chính công/);
    // No data is grey, never a zero.
    const grey = page.locator('.tile.status-grey').first();
    expect(await grey.locator('.tile-value').textContent()).toBe('Không có số liệu');

    await mapLoaded(page);
    expect(await page.locator('[data-testid="children-table"] tbody tr').count()).toBe(124);
    expect(await page.locator('.legend li').count()).toBeGreaterThanOrEqual(3);
    // In the live feed's place, the way to sign in.
    const prompt = page.getByTestId('live-feed').getByTestId('sign-in-prompt');
    expect(await prompt.textContent()).toContain('Đăng nhập để xem phản ánh và cảnh báo');
    expect(await prompt.getByRole('link').getAttribute('href')).toBe('/sign-in');
    expect(refused).toEqual([]);
    await screenshot(page, 'overview-vi');
    console.log(`first overview in ${firstOverviewMs} ms`);

    // The demo's late series never sent the last month already overdue: there, their tiles are grey and marked late, whatever today's date.
    await page.goto(`${server.url}p/86?period=${lastOverdueMonth()}`);
    const late = page.locator('.tile.status-grey', { has: page.locator('.badge-late') }).first();
    expect(await late.locator('.tile-value').textContent()).toBe('Không có số liệu');
    expect(await late.locator('.badge-late').textContent()).toBe('Trễ hạn');
    await page.goto(server.url);
    await page.locator('[data-testid="place-screen"][data-place="86"]').waitFor();
  });

  it('switches to English and keeps the choice after a reload', async () => {
    const { page } = session();
    await page.getByRole('button', { name: 'Chuyển giao diện sang tiếng Anh' }).click();
    await page.locator('.domain-title', { hasText: 'Budget' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.reload();
    await page.locator('.domain-title', { hasText: 'Public services' }).waitFor();
    expect(await page.getByTestId('tile-PS_ON_TIME_RATE').locator('.tile-value').textContent()).toMatch(/^\d{2}\.\d%$/);
    await mapLoaded(page);
    await screenshot(page, 'overview-en');
    await page.getByRole('button', { name: 'Switch the interface to Vietnamese' }).click();
    await page.locator('.domain-title', { hasText: 'Ngân sách' }).waitFor();
  });

  it('changes the period with the picker, and the URL says so', async () => {
    const { page } = session();
    await page.getByRole('radio', { name: 'Quý' }).click();
    await page.waitForURL(/period=\d{4}-Q[1-4]/);
    const picker = page.locator('.period-picker select');
    await expect.poll(() => picker.inputValue()).toMatch(/^\d{4}-Q[1-4]$/);
    const selected = await picker.inputValue();
    expect(await page.locator('.period-picker option:checked').textContent()).toMatch(/^Quý (I|II|III|IV)\/\d{4}$/);
    // Quarterly indicators (GRDP) apply now.
    await page.getByTestId('tile-ECO_GRDP').waitFor();
    await picker.selectOption({ index: 1 });
    await page.waitForURL((u) => u.searchParams.get('period') !== selected);
  });

  it('answers a deep link to an unknown place with a clear message and a way back', async () => {
    const { server, page } = session();
    await page.goto(`${server.url}p/99999`);
    const panel = page.getByRole('alert');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('Không có đơn vị hành chính nào mang mã này');
    await screenshot(page, 'unknown-place');
    await page.getByRole('link', { name: 'Về trang tổng quan' }).click();
    await page.locator('[data-testid="place-screen"][data-place="86"]').waitFor();
    await page.goto(`${server.url}nowhere/at/all`);
    expect(await page.getByRole('alert').textContent()).toContain('Không có trang nào ở địa chỉ này');
    // A place that did not exist on the date asked for.
    await page.goto(`${server.url}p/84?at=2026-01-01`);
    expect(await page.getByRole('alert').textContent()).toContain('không tồn tại vào ngày đang xem');
  });

  it('loads nothing from another origin, and raises no script error', () => {
    const { foreign, errors } = session();
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  });
});
