import { describe, expect, it } from 'vitest';
import { apiSignIn, browserMissing, browserSession, signInAs } from './support';

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
 * they read: the overview, the data desk's late list, a dashboard's
 * figures for the place viewed and the administrative dossiers.
 */
describe.skipIf(browserMissing)('the export menus of the overview, the data desk, a dashboard and the dossiers', () => {
  const session = browserSession();

  it('link each screen’s own route and query, and the overview and the late dossiers download as they show', async () => {
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

    // The administrative dossiers: the filters of the list, without its limit, so the file holds every late dossier.
    const officer = await apiSignIn(server, 'demo.officer');
    const dossier = (code: string, dueAt: string, resolvedAt: string | null) => ({ code, procedure: '1.001234', organisation: 'UBND-29242', receivedAt: '2026-11-02T08:00:00+07:00', dueAt, resolvedAt, channel: 'online' });
    const saved = await officer.call('api/dossiers', { method: 'PUT', body: { dossiers: [dossier('E2E-LATE', '2026-11-05T17:00:00+07:00', null), dossier('E2E-EARLY', '2026-11-05T17:00:00+07:00', '2026-11-03T09:00:00+07:00')] } });
    expect(saved.status).toBe(200);
    await page.goto(`${server.origin}/desk/dossiers?late=true`);
    const dossiers = page.locator('[data-testid="dossier-list"] [data-testid="export-menu"]');
    await dossiers.locator('summary').click();
    const dossiersCsv = dossiers.getByRole('link', { name: 'CSV (UTF-8)' });
    expect(await dossiersCsv.getAttribute('href')).toBe('/api/dossiers?late=true&format=csv');
    const [file] = await Promise.all([page.waitForEvent('download'), dossiersCsv.click()]);
    expect(file.suggestedFilename()).toMatch(/^dossiers-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = Buffer.concat((await (await file.createReadStream()).toArray()) as Buffer[]);
    expect([...text.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = text.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toMatch(/^Mã hồ sơ,Mã thủ tục,Tên thủ tục,/);
    expect(lines.slice(1).filter(Boolean).map((l) => [l.split(',')[0], l.includes('Đang giải quyết, quá hạn')])).toEqual([['E2E-LATE', true]]);
  });
});
