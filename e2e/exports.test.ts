import { describe, expect, it } from 'vitest';
import { browserMissing, browserSession, signInAs } from './support';

/**
 * "Xuất" on a table screen: opened from the keyboard, its links download
 * the rows the screen shows — here the cases board of an operator, as CSV
 * with its byte order mark and as an Excel workbook.
 */
describe.skipIf(browserMissing)('the export menu of the cases board', () => {
  const session = browserSession();

  it('opens with the keyboard and downloads the board as CSV and Excel', async () => {
    const { server, page } = session();
    await signInAs(session(), 'demo.operator');
    await page.goto(`${server.origin}/desk/cases`);
    const menu = page.locator('[data-testid="case-board"] [data-testid="export-menu"]');
    const summary = menu.locator('summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => menu.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    const csvLink = menu.getByRole('link', { name: 'CSV (UTF-8)' });
    expect(await csvLink.getAttribute('href')).toBe('/api/cases?limit=200&format=csv');
    const [csv] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
    expect(csv.suggestedFilename()).toMatch(/^cases-\d{4}-\d{2}-\d{2}\.csv$/);
    const body = await (await csv.createReadStream()).toArray();
    const bytes = Buffer.concat(body as Buffer[]);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').slice(1).split('\r\n')[0]).toMatch(/^Mã,Lĩnh vực,Tiêu đề,/);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), menu.getByRole('link', { name: 'Excel (.xlsx)' }).click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
  });
});

/**
 * The other table screens offer the same menu over the route and query
 * they read: the overview, the data desk's late list and a dashboard's
 * figures for the place viewed.
 */
describe.skipIf(browserMissing)('the export menus of the overview, the data desk and a dashboard', () => {
  const session = browserSession();

  it('link each screen’s own route and query, and the overview downloads as its tiles', async () => {
    const { server, page } = session();
    await signInAs(session(), 'demo.steward');
    await page.goto(`${server.origin}/`);
    const overview = page.locator('[data-testid="place-screen"] [data-testid="export-menu"]');
    await overview.locator('summary').click();
    const csvLink = overview.getByRole('link', { name: 'CSV (UTF-8)' });
    expect(await csvLink.getAttribute('href')).toMatch(/^\/api\/overview\?place=\d{2}(&period=[^&]+)?&format=csv$/);
    const [csv] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
    expect(csv.suggestedFilename()).toMatch(/^overview-\d{2}-\d{4}-\d{2}\.csv$/);
    const bytes = Buffer.concat((await (await csv.createReadStream()).toArray()) as Buffer[]);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').slice(1).split('\r\n')[0]).toMatch(/^Mã chỉ tiêu,Chỉ tiêu,Giá trị,Đơn vị tính,/);

    await page.goto(`${server.origin}/desk/data`);
    const late = page.locator('[data-testid="late-list"] [data-testid="export-menu"]');
    await late.locator('summary').click();
    expect(await late.getByRole('link', { name: 'Excel (.xlsx)' }).getAttribute('href')).toBe('/api/freshness/late?format=xlsx');

    await page.goto(`${server.origin}/d/demo-dieu-hanh?place=86`);
    const board = page.locator('[data-testid="dashboard-screen"] [data-testid="export-menu"]');
    await board.locator('summary').click();
    expect(await board.getByRole('link', { name: 'Excel (.xlsx)' }).getAttribute('href')).toBe('/api/dashboards/demo-dieu-hanh?place=86&format=xlsx');
  });
});
