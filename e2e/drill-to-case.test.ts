import { describe, expect, it } from 'vitest';
import { apiSignIn, browserMissing, browserSession, screenshot, signInAs } from './support';

interface CreatedCase {
  id: string;
  placeCode: string | null;
  title: string;
}

describe.skipIf(browserMissing)('drilling from the province to a former Trà Vinh ward, an indicator and a case', () => {
  const session = browserSession();
  let created: CreatedCase | null = null;

  it('finds a case reported in Phường Trà Vinh from the province overview, through the ward and one of its indicators', async () => {
    const { server, page } = session();
    // A citizen's report at the Trà Vinh market, taken by the operator and located by the server to its ward.
    const operator = await apiSignIn(server, 'demo.operator');
    const answer = await operator.call('api/cases', {
      method: 'POST',
      body: { category: 'GIAO_THONG', title: 'Đèn tín hiệu hỏng ở ngã tư chợ Trà Vinh', lat: 9.9063, lon: 106.3419, address: 'Chợ Trà Vinh' },
    });
    expect(answer.status).toBe(201);
    const c = (await answer.json()) as CreatedCase;
    created = c;
    expect(c.placeCode).toBe('29242');

    // Cases are for signed-in users: the province's leader follows them.
    await signInAs(session(), 'demo.leader');

    // Province → ward.
    await page.goto(server.url);
    await page.getByTestId('children-table').getByRole('link', { name: 'Phường Trà Vinh' }).click();
    await page.waitForURL(/\/p\/29242$/);
    await page.locator('[data-testid="place-screen"][data-place="29242"]').waitFor();

    // Ward → one of its indicators, and back to the ward by the breadcrumbs.
    await page.getByTestId('tile-PS_DOSSIER_RECEIVED').getByRole('link').click();
    await page.waitForURL(/\/p\/29242\/i\/PS_DOSSIER_RECEIVED/);
    await page.locator('[data-testid="indicator-screen"]').waitFor();
    await page.locator('.breadcrumbs').getByRole('link', { name: 'Phường Trà Vinh' }).click();
    await page.waitForURL(/\/p\/29242(\?.*)?$/);

    // The ward's live feed lists the case; its line opens the case screen.
    const feed = page.getByTestId('live-feed');
    const line = feed.locator('li[data-kind="case"]').filter({ hasText: c.title });
    await line.waitFor();
    await screenshot(page, 'ward-29242-feed');
    await line.getByRole('link', { name: c.title }).click();
    await page.waitForURL(new RegExp(`/cases/${c.id}$`));
    await page.locator(`[data-testid="case-screen"][data-case="${c.id}"]`).waitFor();
    expect(await page.locator('h1').textContent()).toBe(c.title);
    const timeline = page.getByTestId('case-timeline');
    await timeline.locator('li').first().waitFor();
    expect(await timeline.locator('li').count()).toBeGreaterThan(0);
    await timeline.scrollIntoViewIfNeeded();
    await screenshot(page, 'case-from-ward-29242');
  });

  it("lists the case on the case board filtered to the ward, from the feed's link", async () => {
    const { server, page } = session();
    if (!created) throw new Error('the case was not created');
    await page.goto(`${server.url}p/29242`);
    await page.getByTestId('live-feed').getByRole('link', { name: 'Tất cả phản ánh' }).click();
    await page.waitForURL(/\/desk\/cases\?place=29242$/);
    await page.locator(`[data-testid="case-table"] tr[data-case="${created.id}"]`).waitFor();
  });

  it('loads nothing from another origin, and raises no script error', () => {
    const { foreign, errors } = session();
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  });
});
