import { describe, expect, it } from 'vitest';
import { browserMissing, browserSession, mapLoaded, screenshot, signInAs } from './support';

describe.skipIf(browserMissing)('drilling down from the province to a ward and an indicator', () => {
  const session = browserSession();

  it('drills into a commune by clicking it on the map', async () => {
    const { server, page } = session();
    await page.goto(server.url);
    await mapLoaded(page);
    const box = await page.getByTestId('choropleth-map').boundingBox();
    if (!box) throw new Error('the map has no box');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForURL(/\/p\/\d{5}/);
    await page.locator('[data-testid="place-screen"]').waitFor();
    expect(await page.locator('.breadcrumbs').textContent()).toContain('Tỉnh Vĩnh Long');
  });

  it('goes from the province to Phường Trà Vinh, formed from three wards of Trà Vinh city', async () => {
    const { server, page } = session();
    await page.goto(server.url);
    await page.getByTestId('children-table').getByRole('link', { name: 'Phường Trà Vinh' }).click();
    await page.waitForURL(/\/p\/29242/);
    await page.locator('[data-testid="place-screen"][data-place="29242"]').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Phường Trà Vinh');
    const crumbs = page.getByRole('navigation', { name: 'Vị trí đang xem' });
    expect(await crumbs.getByRole('link').allTextContents()).toEqual(['Tỉnh Vĩnh Long']);
    const lineage = page.locator('.lineage');
    await lineage.waitFor();
    expect(await lineage.getByRole('link').allTextContents()).toEqual(['Phường 1', 'Phường 3', 'Phường 9']);
    expect(await lineage.textContent()).toContain('1687/NQ-UBTVQH15');
    await screenshot(page, 'ward-29242');
  });

  it('opens an indicator of the ward: history chart with last year, and the revisions of the figure', async () => {
    const { page } = session();
    await page.getByTestId('tile-PS_DOSSIER_RECEIVED').getByRole('link').click();
    await page.waitForURL(/\/p\/29242\/i\/PS_DOSSIER_RECEIVED/);
    await page.locator('[data-testid="indicator-screen"]').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Số hồ sơ thủ tục hành chính tiếp nhận');
    expect(await page.locator('.breadcrumbs li').allTextContents()).toEqual(['Việt Nam', 'Tỉnh Vĩnh Long', 'Phường Trà Vinh', 'Số hồ sơ thủ tục hành chính tiếp nhận']);
    await page.locator('[data-testid="series-chart"] svg').waitFor();
    expect(await page.locator('[data-testid="series-chart"]').textContent()).toContain('Cùng kỳ năm trước');
    // Who sent which value is for signed-in users: the public is offered to sign in, and the leader sees the revisions.
    const indicatorPage = page.url();
    expect(await page.locator('.revisions [data-testid="sign-in-prompt"]').textContent()).toContain('Đăng nhập để xem các lần cập nhật của số liệu');
    await signInAs(session(), 'demo.leader');
    await page.goto(indicatorPage);
    const revisions = page.getByTestId('revisions-table');
    await revisions.waitFor();
    expect(await revisions.locator('tbody tr').first().textContent()).toContain('demo-generator');
    await screenshot(page, 'indicator-29242');

    // Another period picked in the table: the revisions follow, and the URL keeps it.
    await page.locator('.series-table summary').click();
    await page.locator('.series-table tbody tr').nth(3).getByRole('button').click();
    await page.waitForURL(/sel=\d{4}-\d{2}/);
    await revisions.waitFor();
    const shared = page.url();
    await page.goto(shared);
    await page.getByTestId('revisions-table').waitFor();
    const row = page.locator('.series-table tr.selected');
    await row.waitFor({ state: 'attached' });
    const picked = new URL(shared).searchParams.get('sel') ?? '';
    const [year, month] = picked.split('-').map(Number);
    expect(await row.locator('th').textContent()).toBe(`Tháng ${month}/${year}`);
    expect(await page.locator('#revisions-title').textContent()).toBe(`Các lần cập nhật số liệu kỳ Tháng ${month}/${year}`);
  });

  it('says where the revisions of a computed figure are', async () => {
    const { server, page } = session();
    await page.goto(`${server.url}p/86/i/PS_ON_TIME_RATE`);
    await page.locator('.revisions').getByRole('link', { name: 'PS_DOSSIER_ON_TIME' }).waitFor();
    await page.getByTestId('breakdown-place').waitFor();
    expect(await page.getByTestId('breakdown-place').locator('tbody tr').count()).toBe(124);
  });

  it('loads nothing from another origin, and raises no script error', () => {
    const { foreign, errors } = session();
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  });
});
