import { describe, expect, it } from 'vitest';
import { apiSignIn, browserMissing, browserSession, screenshot, signInAs } from './support';

interface Answer {
  id: string;
  organisation: string | null;
}

describe.skipIf(browserMissing)('the operator desks in a browser', () => {
  const session = browserSession();

  it('takes a case from the board through assignment, work and a comment, each step on its timeline', async () => {
    const { server, page, errors } = session();
    // The desks are the operator's: the page signs in as demo.operator, and so does the test for what it asks the API itself.
    const operator = await apiSignIn(server, 'demo.operator');
    const created = await operator.call('api/cases', {
      method: 'POST',
      body: { category: 'GIAO_THONG', title: 'Ổ gà trước chợ Trà Vinh', lat: 9.9063, lon: 106.3419, address: 'Chợ Trà Vinh' },
    });
    expect(created.status).toBe(201);
    const c = (await created.json()) as Answer;
    const orgs = (await (await fetch(`${server.url}api/organisations`)).json()) as { organisations: { code: string; name: string }[] };
    const agency = orgs.organisations.find((o) => o.code !== c.organisation && o.code.startsWith('SO-'))?.code ?? orgs.organisations.find((o) => o.code !== c.organisation)?.code;
    expect(agency).toBeTruthy();

    // The board, from the header, lists the new case; a filter goes into the URL.
    await signInAs(session(), 'demo.operator');
    await page.goto(server.url);
    await page.getByRole('link', { name: 'Phản ánh', exact: true }).click();
    await page.getByTestId('case-board').waitFor();
    const row = page.locator(`[data-testid="case-table"] tr[data-case="${c.id}"]`);
    await row.waitFor();
    await page.getByLabel('Trạng thái').selectOption('new');
    await page.waitForURL(/\/desk\/cases\?status=new$/);
    await row.waitFor();
    await screenshot(page, 'desk-case-board');

    await row.getByRole('link', { name: c.id }).click();
    await page.waitForURL(new RegExp(`/cases/${c.id}$`));
    const screen = page.locator(`[data-testid="case-screen"][data-case="${c.id}"]`);
    await screen.waitFor();
    expect(await page.locator('h1').textContent()).toBe('Ổ gà trước chợ Trà Vinh');

    // From "new" only what the workflow allows is offered.
    const move = page.locator('form[aria-labelledby="move-title"]');
    expect(await move.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['received', 'rejected']);
    await move.getByLabel('Trạng thái mới').selectOption('received');
    await move.getByRole('button', { name: 'Chuyển' }).click();
    await page.locator('[data-testid="case-screen"][data-status="received"]').waitFor();

    // Assigning a received case moves it to assigned.
    const assign = page.locator('form[aria-labelledby="assign-title"]');
    await assign.getByLabel('Cơ quan').selectOption(agency ?? '');
    await assign.getByRole('button', { name: 'Giao' }).click();
    await page.locator('[data-testid="case-screen"][data-status="assigned"]').waitFor();
    expect(await page.getByTestId('case-organisation').textContent()).not.toBe('Chưa giao');

    await move.getByLabel('Trạng thái mới').selectOption('in_progress');
    await move.getByRole('button', { name: 'Chuyển' }).click();
    await page.locator('[data-testid="case-screen"][data-status="in_progress"]').waitFor();

    await page.getByLabel('Nội dung ý kiến').fill('Đã cử đội bảo trì đến hiện trường.');
    await page.getByRole('button', { name: 'Gửi ý kiến' }).click();
    const timeline = page.getByTestId('case-timeline');
    await timeline.getByText('Đã cử đội bảo trì đến hiện trường.').waitFor();
    const text = await timeline.textContent();
    // Each step is the signed-in operator's, by login.
    expect(text).toContain('demo.operator');
    // The agency by its name, not its code.
    expect(text).toContain(`giao cho ${orgs.organisations.find((o) => o.code === agency)?.name}`);
    expect(text).toContain('Đã giao → Đang xử lý');
    await screenshot(page, 'desk-case');

    // The server holds what the screen shows.
    const detail = (await (await operator.call(`api/cases/${c.id}`)).json()) as { status: string; organisation: string; timeline: { kind: string; note: string | null }[] };
    expect(detail).toMatchObject({ status: 'in_progress', organisation: agency });
    expect(detail.timeline.some((e) => e.kind === 'comment' && e.note === 'Đã cử đội bảo trì đến hiện trường.')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('answers an unknown case with a clear message and a way back to the board', async () => {
    const { server, page } = session();
    await page.goto(`${server.url}cases/PA999999`);
    const panel = page.getByRole('alert');
    await panel.waitFor();
    expect(await panel.textContent()).toContain('Không tìm thấy phản ánh mang mã này');
    await page.getByRole('link', { name: 'Về trang tổng quan' }).waitFor();
    await page.getByRole('link', { name: 'Về bảng phản ánh' }).click();
    await page.getByTestId('case-board').waitFor();
  });

  it('opens the data desk with the sources and their freshness', async () => {
    const { server, page } = session();
    await page.goto(`${server.url}desk/data`);
    await page.locator('[data-testid="source-table"] tbody tr').first().waitFor();
    expect(await page.locator('[data-testid="source-table"] tbody tr').count()).toBeGreaterThan(0);
    await screenshot(page, 'desk-data');
  });
});
