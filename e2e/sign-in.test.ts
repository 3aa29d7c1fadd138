import { describe, expect, it } from 'vitest';
import { browserMissing, browserSession, demoAccounts, screenshot, signIn } from './support';

describe.skipIf(browserMissing)('signing in and out in a browser', () => {
  const session = browserSession();

  it('signs the operator in through the form, opens the case board, signs out, and the board then asks to sign in', async () => {
    const { server, page, errors } = session();
    const accounts = await demoAccounts(server);
    expect(Object.keys(accounts).sort()).toEqual(['demo.admin', 'demo.appraiser', 'demo.leader', 'demo.office', 'demo.officer', 'demo.operator', 'demo.steward']);
    const operator = accounts['demo.operator'];
    if (!operator) throw new Error('no demo.operator in demo-accounts.json');

    // Anonymous: the header offers to sign in.
    await page.goto(`${server.origin}/scorecards`);
    await page.getByTestId('sign-in-link').waitFor();

    // A wrong password is told in words, and nobody is signed in.
    await page.goto(`${server.origin}/sign-in`);
    const form = page.getByTestId('sign-in');
    await form.locator('input[name="login"]').fill(operator.login);
    await form.locator('input[name="password"]').fill('not the password at all');
    await form.locator('button[type="submit"]').click();
    expect(await form.getByRole('alert').textContent()).toContain('Tên đăng nhập hoặc mật khẩu không đúng.');

    await signIn(page, server.origin, operator.login, operator.password);
    const name = (await page.getByTestId('account-name').textContent()) ?? '';
    expect(name.trim().length).toBeGreaterThan(0);
    expect(await page.getByTestId('account').textContent()).toContain('Điều hành viên');
    await screenshot(page, 'sign-in-header');

    // Signed in, the case board opens from the header; after a reload the session (and its CSRF token) is still there.
    await page.getByRole('link', { name: 'Phản ánh', exact: true }).click();
    await page.waitForURL(/\/desk\/cases$/);
    await page.getByTestId('case-board').waitFor();
    await page.reload();
    await page.getByTestId('case-board').waitFor();
    expect(await page.getByTestId('account-name').textContent()).toBe(name);

    // The session's CSRF token is in /api/auth/me: a state change signed in by the cookie needs it.
    const me = (await (await page.request.get(`${server.origin}/api/auth/me`)).json()) as { kind: string; csrfToken: string | null };
    expect(me.kind).toBe('user');
    expect(me.csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const body = { category: 'GIAO_THONG', title: 'Đèn tín hiệu hỏng ở ngã tư', lat: 9.9347, lon: 106.3452, address: 'Ngã tư Phường Trà Vinh' };
    expect((await page.request.post(`${server.origin}/api/cases`, { data: body })).status()).toBe(403);
    const created = await page.request.post(`${server.origin}/api/cases`, { data: body, headers: { 'x-csrf-token': me.csrfToken ?? '' } });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };

    // A change made in the page after the reload carries the token the page read from /api/auth/me.
    await page.goto(`${server.origin}/cases/${id}`);
    await page.locator(`[data-testid="case-screen"][data-case="${id}"]`).waitFor();
    await page.getByLabel('Nội dung ý kiến').fill('Đã liên hệ người phản ánh.');
    await page.getByRole('button', { name: 'Gửi ý kiến' }).click();
    await page.getByTestId('case-timeline').getByText('Đã liên hệ người phản ánh.').waitFor();

    // Signing out: the header offers to sign in again, and the board asks for it.
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByTestId('sign-in-link').waitFor();
    await page.goto(`${server.origin}/desk/cases`);
    const signInAgain = page.getByTestId('error-sign-in');
    await signInAgain.waitFor();
    expect(await page.getByRole('alert').first().textContent()).toContain('Cần đăng nhập để xem nội dung này.');
    expect(await signInAgain.getAttribute('href')).toBe('/sign-in?next=%2Fdesk%2Fcases');
    await screenshot(page, 'sign-in-required');

    // The link comes back to the board once signed in.
    await signInAgain.click();
    await page.getByTestId('sign-in').waitFor();
    await page.locator('input[name="login"]').fill(operator.login);
    await page.locator('input[name="password"]').fill(operator.password);
    await page.locator('[data-testid="sign-in"] button[type="submit"]').click();
    await page.waitForURL(/\/desk\/cases$/);
    await page.getByTestId('case-board').waitFor();
    expect(errors).toEqual([]);
  });

  it('never sends the reader to another site after signing in', async () => {
    const { server, page } = session();
    const accounts = await demoAccounts(server);
    const leader = accounts['demo.leader'];
    if (!leader) throw new Error('no demo.leader in demo-accounts.json');
    await page.goto(`${server.origin}/scorecards`);
    // Whoever the first test left signed in signs out first.
    await page.getByTestId('account').or(page.getByTestId('sign-in-link')).waitFor();
    if (await page.getByTestId('account').isVisible()) {
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.getByTestId('sign-in-link').waitFor();
    }
    await page.goto(`${server.origin}/sign-in?next=${encodeURIComponent('//evil.example/steal')}`);
    await page.locator('input[name="login"]').fill(leader.login);
    await page.locator('input[name="password"]').fill(leader.password);
    await page.locator('[data-testid="sign-in"] button[type="submit"]').click();
    await page.getByTestId('account-name').waitFor();
    await page.waitForURL(`${server.origin}/`);
  });

  it('lets a data steward reorder a playlist from the keyboard and save it', async () => {
    const { server, page, errors } = session();
    const accounts = await demoAccounts(server);
    const steward = accounts['demo.steward'];
    if (!steward) throw new Error('no demo.steward in demo-accounts.json');
    await signIn(page, server.origin, steward.login, steward.password);
    await page.goto(`${server.origin}/playlists`);
    await page.getByTestId('playlists-list').waitFor();
    const edit = page.locator('[data-testid="playlists-list"] a[href$="/edit"]').first();
    const href = (await edit.getAttribute('href')) ?? '';
    const code = decodeURIComponent(/\/playlists\/([^/]+)\/edit$/.exec(href)?.[1] ?? '');
    await edit.click();
    await page.getByTestId('playlist-editor').waitFor();
    const items = page.locator('[data-testid="playlist-items"] > li');
    const before = await items.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-dashboard')));
    if (before.length < 2) {
      // A playlist of one: add a second dashboard first.
      await page.getByLabel('Thêm bảng điều khiển').selectOption({ index: 1 });
      await page.getByRole('button', { name: 'Thêm', exact: true }).click();
    }
    const order = await items.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-dashboard')));
    // The second dashboard goes first with the keyboard; the focus stays on it.
    const up = items.nth(1).locator('[data-move="up"]');
    await up.focus();
    await page.keyboard.press('Enter');
    const moved = await items.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-dashboard')));
    expect(moved).toEqual([order[1], order[0], ...order.slice(2)]);
    expect(await page.evaluate(() => document.activeElement?.closest('li')?.getAttribute('data-dashboard'))).toBe(order[1]);
    await page.getByLabel('Thời gian mỗi bảng (giây, từ 5 đến 3600)').fill('20');
    await page.getByRole('button', { name: 'Áp dụng cho mọi bảng' }).click();
    await page.getByTestId('save-playlist').click();
    await page.getByText('Đã lưu.').waitFor();
    const saved = (await (await page.request.get(`${server.origin}/api/playlists/${encodeURIComponent(code)}`)).json()) as { items: { dashboard: string; seconds: number }[] };
    expect(saved.items.map((i) => i.dashboard)).toEqual(moved);
    expect(saved.items.every((i) => i.seconds === 20)).toBe(true);
    expect(await page.getByTestId('start-playlist').getAttribute('href')).toBe(`/wall/${encodeURIComponent(code)}`);
    await screenshot(page, 'playlist-editor');
    expect(errors).toEqual([]);
  });
});
