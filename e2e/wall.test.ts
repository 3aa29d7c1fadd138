import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { apiSignIn, browserMissing, browserSession, demoAccounts, screenshot, type ApiSession } from './support';

/**
 * A plain HTTP proxy in front of the server, on a port of its own: closing
 * it cuts the browser off as a network loss would (every open connection,
 * the live stream too), and opening it again on the same port lets
 * EventSource reconnect by itself.
 */
async function startProxy(target: string, port = 0): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    const upstream = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function postFigure(steward: ApiSession, value: number): Promise<void> {
  const posted = await steward.call('api/observations', {
    method: 'POST',
    body: { source: 'e2e', observations: [{ indicator: 'BUD_REVENUE', place: '86', period: lastWholeMonth(), value }] },
  });
  expect(posted.status).toBe(200);
  expect((await posted.json()) as { accepted: number }).toMatchObject({ accepted: 1 });
}

/** The month a monthly tile shows today: the last whole month in Vietnam. */
function lastWholeMonth(now = new Date()): string {
  const vn = new Date(now.getTime() + 7 * 3_600_000);
  const first = new Date(Date.UTC(vn.getUTCFullYear(), vn.getUTCMonth() - 1, 1));
  return `${first.getUTCFullYear()}-${String(first.getUTCMonth() + 1).padStart(2, '0')}`;
}

describe.skipIf(browserMissing)('the video wall in a browser', () => {
  const session = browserSession();
  let steward: ApiSession | null = null;

  it('asks the anonymous to sign in, big and plain, and comes back to the wall once signed in', async () => {
    const { server, page } = session();
    // The data steward keeps the playlists and supplies the figures; the test asks the API as the steward too.
    steward = await apiSignIn(server, 'demo.steward');
    // A playlist with the shortest interval allowed, so the rotation shows in seconds.
    const put = await steward.call('api/playlists/e2e', {
      method: 'PUT',
      body: { code: 'e2e', title: { vi: 'Thử nghiệm', en: 'Test' }, items: [{ dashboard: 'demo-dieu-hanh', seconds: 5 }, { dashboard: 'demo-dich-vu-cong', seconds: 5 }] },
    });
    expect(put.status).toBe(201);
    // The finance department's push channel, through which the test sends its budget figures.
    const source = await steward.call('api/sources', { method: 'POST', body: { code: 'e2e', name: 'Sở Tài chính (thử nghiệm)', kind: 'http_push', ownerOrganisationCode: 'VL-STC' } });
    expect(source.status).toBe(201);

    await page.goto(`${server.url}wall/e2e`);
    const box = page.getByTestId('wall-sign-in');
    await box.waitFor();
    expect(await box.locator('h1').textContent()).toBe('Đăng nhập để trình chiếu màn hình tường');
    expect(await box.locator('h1').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(40);
    expect(await page.locator('.app-header').count()).toBe(0);
    await screenshot(page, 'wall-sign-in');
    await page.getByTestId('wall-sign-in-link').click();
    await page.waitForURL(/\/sign-in\?next=%2Fwall%2Fe2e$/);
    const accounts = await demoAccounts(server);
    const form = page.getByTestId('sign-in');
    await form.locator('input[name="login"]').fill('demo.steward');
    await form.locator('input[name="password"]').fill(accounts['demo.steward']?.password ?? '');
    await form.locator('button[type="submit"]').click();
    await page.waitForURL(/\/wall\/e2e$/);
    await page.getByTestId('wall').waitFor();
  });

  it('rotates the playlist, pauses on space, and shows a new figure without a reload', async () => {
    const { server, page } = session();
    if (!steward) throw new Error('the steward did not sign in');
    // Signed in by the step before: the session outlasts a new page load.
    await page.goto(`${server.url}wall/e2e`);
    const wall = page.getByTestId('wall');
    await page.locator('[data-testid="wall"][data-board="demo-dieu-hanh"]').waitFor();
    await page.locator('[data-testid="wall-live"][data-live="true"]').waitFor();
    expect(await page.getByTestId('wall-title').textContent()).toBe('Điều hành kinh tế – xã hội');
    expect(await page.getByTestId('wall-next').textContent()).toContain('Tiếp theo: Dịch vụ công và phản ánh');
    // No header on the wall, and values in large type.
    expect(await page.locator('.app-header').count()).toBe(0);
    const tile = page.getByTestId('tile-BUD_REVENUE');
    await tile.waitFor();
    const size = await tile.locator('.tile-value').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(28);
    // The province's directive tasks done on time this year, above the tasks overdue now, both within the screen.
    const directives = page.getByTestId('tile-DIR_ON_TIME_RATE');
    await directives.waitFor();
    await page.getByTestId('panel-chi-dao-qua-han').waitFor();
    expect(await directives.locator('.tile-name').textContent()).toMatch(/đúng hạn/);
    const screen = page.viewportSize();
    for (const box of [await directives.boundingBox(), await page.getByTestId('panel-chi-dao-qua-han').boundingBox()]) {
      expect(box && screen && box.y + box.height <= screen.height + 1).toBe(true);
    }
    await screenshot(page, 'wall-1');

    await page.locator('[data-testid="wall"][data-board="demo-dich-vu-cong"]').waitFor({ timeout: 10_000 });
    await page.getByTestId('tile-PS_ON_TIME_RATE').waitFor();
    await screenshot(page, 'wall-2');

    // Space pauses; the left arrow goes back to the first board.
    await page.keyboard.press('Space');
    await page.getByTestId('wall-paused').waitFor();
    await page.keyboard.press('ArrowLeft');
    await page.locator('[data-testid="wall"][data-board="demo-dieu-hanh"][data-paused]').waitFor();
    await tile.waitFor();
    const before = await tile.locator('.tile-value').textContent();

    const marker = await page.evaluate(() => ((window as unknown as { wallMarker: number }).wallMarker = 42));
    await postFigure(steward, 98765.4);
    await expect.poll(() => tile.locator('.tile-value').textContent(), { timeout: 10_000 }).toContain('98.765');
    expect(before).not.toContain('98.765');
    // The same page: nothing was reloaded.
    expect(await page.evaluate(() => (window as unknown as { wallMarker?: number }).wallMarker)).toBe(marker);
    expect(await wall.getAttribute('data-paused')).toBe('true');
    await screenshot(page, 'wall-live-update');
  });

  it('marks the wall not live when the network drops, reconnects by itself and reads the figures again', async () => {
    const { server, page } = session();
    let proxy = await startProxy(server.url);
    await page.goto(`${proxy.url}wall/e2e`);
    await page.locator('[data-testid="wall"][data-board="demo-dieu-hanh"]').waitFor();
    await page.keyboard.press('Space');
    await page.locator('[data-testid="wall-live"][data-live="true"]').waitFor();
    const tile = page.getByTestId('tile-BUD_REVENUE');
    await expect.poll(() => tile.locator('.tile-value').textContent()).toContain('98.765');
    await page.getByTestId('series-chart').waitFor();
    await page.locator('[data-testid="choropleth-map"][data-loaded]').waitFor({ timeout: 20_000 });

    await proxy.close();
    const mark = page.locator('[data-testid="wall-live"][data-live="false"]');
    await mark.waitFor({ timeout: 10_000 });
    expect(await mark.textContent()).toMatch(/^MẤT KẾT NỐI từ \d{2}:\d{2}:\d{2}: số liệu không cập nhật trực tiếp$/);
    // The figures stay on screen, marked as not live: never a blank wall.
    expect(await tile.locator('.tile-value').textContent()).toContain('98.765');
    await screenshot(page, 'wall-not-live');

    // A figure changes while the wall is cut off; when the network is back, the wall shows it by itself.
    if (!steward) throw new Error('the steward did not sign in');
    await postFigure(steward, 12345);
    proxy = await startProxy(server.url, proxy.port);
    try {
      await page.locator('[data-testid="wall-live"][data-live="true"]').waitFor({ timeout: 15_000 });
      await expect.poll(() => tile.locator('.tile-value').textContent(), { timeout: 10_000 }).toContain('12.345');
    } finally {
      await proxy.close();
    }
  });

  it('designs a dashboard without code: add a panel from the catalogue, resize it by keyboard, save and view it', async () => {
    const { server, page } = session();
    await page.goto(`${server.url}d`);
    await page.getByTestId('dashboards-list').waitFor();
    await page.getByLabel('Mã bảng (chữ thường không dấu, số, gạch nối)').fill('giao-ban-e2e');
    await page.getByRole('button', { name: 'Tạo', exact: true }).click();
    await page.waitForURL(/\/d\/giao-ban-e2e\/edit$/);
    await page.getByLabel('Tên bảng (tiếng Việt)').fill('Giao ban thử');
    await page.getByLabel('Tên bảng (tiếng Anh)').fill('Test briefing');
    const add = page.locator('.add-panel');
    await add.getByRole('searchbox', { name: 'Chỉ tiêu' }).fill('thu ngan sach');
    await add.getByRole('listbox', { name: 'Chỉ tiêu' }).selectOption('BUD_REVENUE');
    await page.getByTestId('add-panel').click();
    const pad = page.getByTestId('layout-tiles-1');
    await pad.focus();
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.getByTestId('edit-tiles-1').textContent()).toContain('Cột 1, hàng 2, rộng 12, cao 3');
    await page.getByTestId('tile-BUD_REVENUE').waitFor();
    await screenshot(page, 'dashboard-editor');
    await page.getByTestId('save-board').click();
    await page.getByText('Đã lưu. Các màn hình đang mở sẽ tự cập nhật.').waitFor();
    await page.getByRole('link', { name: 'Xem bảng' }).click();
    await page.locator('[data-testid="dashboard-screen"][data-board="giao-ban-e2e"]').waitFor();
    await page.getByTestId('tile-BUD_REVENUE').waitFor();
    const saved = (await (await (steward ?? (await apiSignIn(server, 'demo.steward'))).call('api/dashboards/giao-ban-e2e')).json()) as { panels: { layout: unknown; indicators: string[] }[] };
    expect(saved.panels).toEqual([expect.objectContaining({ indicators: ['BUD_REVENUE'], layout: { x: 0, y: 1, w: 12, h: 3 } })]);
    await screenshot(page, 'dashboard-view');
  });

  it('answers an unknown playlist with a clear message and a way back', async () => {
    const { server, page } = session();
    await page.goto(`${server.url}wall/khong-co`);
    const panel = page.getByRole('alert');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('Không có danh sách phát nào mang mã này');
    expect(await page.getByRole('link', { name: 'Về trang tổng quan' }).count()).toBe(1);
    await page.getByRole('link', { name: 'Về danh sách màn hình tường' }).click();
    await page.getByTestId('walls-list').waitFor();
    // The wall's own link (beside it, the steward's link to edit the playlist).
    expect(await page.getByRole('link', { name: 'Mở màn hình tường: Màn hình tường (minh họa)', exact: true }).count()).toBe(1);
    await page.goto(`${server.url}d/khong-co`);
    expect(await page.getByRole('alert').textContent()).toContain('Không có bảng điều khiển nào mang mã này');
  });

  it('raises no script error', () => {
    const { errors } = session();
    expect(errors).toEqual([]);
  });
});
