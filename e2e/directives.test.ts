import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiSignIn, browserMissing, browserSession, demoAccounts, nextFrames, screenshot, signIn, signInAs } from './support';

/**
 * Leadership directives in a browser: a document of the test's own (put
 * through the API by the leader's office, demo.office) with two tasks led
 * by Phường Trà Vinh's People's Committee (UBND-29242, demo.officer's
 * agency): one due in February 2020, overdue whatever day the test runs,
 * and one due at the end of 2099. A leader on a phone (390 px) reads the
 * agency's figures for 2020 and the overdue list, drills to the agency and
 * to the document, and is given no form; the agency's officer reports the
 * second task done; the office confirms it and the task reads done on time
 * with its timeline.
 */

const NUMBER = 'E2E-7/TB-UBND';
const AGENCY = 'UBND-29242';
const DOCUMENT = {
  number: NUMBER,
  date: '2020-01-10',
  issuer: 'UBND tỉnh Vĩnh Long',
  signer: 'Chủ tịch (kiểm thử trình duyệt)',
  kind: 'conclusion',
  summary: 'Kết luận của Chủ tịch tại cuộc họp giao ban (văn bản của kiểm thử trình duyệt)',
  confirmDone: true,
  synthetic: true,
  tasks: [
    { key: '1', text: 'Rà soát, sửa chữa hệ thống chiếu sáng công cộng trên địa bàn phường', lead: AGENCY, deadline: { kind: 'date', date: '2020-02-28' } },
    { key: '2', text: 'Báo cáo kết quả giải phóng mặt bằng dự án đường vành đai, kèm danh sách hộ dân chưa nhận tiền bồi thường và hướng xử lý', lead: AGENCY, deadline: { kind: 'date', date: '2099-12-31' } },
  ],
};
const PHONE = { width: 390, height: 844 };

/**
 * A document of the office's whose two tasks for the same agency fall due
 * in 2098, without asking the office to confirm what is reported done: in
 * 2098 the agency has 2 tasks in progress and no on-time rate yet; once
 * its officer reports the first done, 1 is done on time, 1 in progress,
 * and the rate is 1 of 1, 100 %.
 */
const LIVE_NUMBER = 'E2E-8/KH-UBND';
const LIVE_DOCUMENT = {
  number: LIVE_NUMBER,
  date: '2026-01-05',
  issuer: 'UBND tỉnh Vĩnh Long',
  signer: 'Phó Chủ tịch (kiểm thử trình duyệt)',
  kind: 'plan',
  summary: 'Kế hoạch chỉnh trang đô thị (văn bản của kiểm thử trình duyệt)',
  confirmDone: false,
  synthetic: true,
  tasks: [
    { key: '1', text: 'Lắp đặt biển báo khu vực cấm đỗ xe quanh chợ phường', lead: AGENCY, deadline: { kind: 'date', date: '2098-03-31' } },
    { key: '2', text: 'Trồng cây xanh trên các tuyến đường mới mở', lead: AGENCY, deadline: { kind: 'date', date: '2098-06-30' } },
  ],
};
const LAPTOP = { width: 1280, height: 900 };

describe.skipIf(browserMissing)('leadership directives in a browser', () => {
  const session = browserSession();

  async function phonePage(): Promise<Page> {
    const browser = session().page.context().browser();
    if (!browser) throw new Error('no browser');
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    return context.newPage();
  }

  /** Signs in by the form; the account is then in the folded menu, there but out of view. */
  async function phoneSignIn(page: Page, login: string): Promise<void> {
    const { server } = session();
    const account = (await demoAccounts(server))[login]!;
    await page.goto(`${server.url}sign-in`);
    const form = page.getByTestId('sign-in');
    await form.locator('input[name="login"]').fill(account.login);
    await form.locator('input[name="password"]').fill(account.password);
    await form.locator('button[type="submit"]').click();
    await page.getByTestId('account-name').waitFor({ state: 'attached' });
  }

  async function fitsThePhone(page: Page): Promise<void> {
    await page.waitForFunction(() => document.querySelectorAll('main .loading').length === 0, undefined, { timeout: 20_000 });
    await nextFrames(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  }

  it('takes the office’s document', async () => {
    const office = await apiSignIn(session().server, 'demo.office');
    const answer = await office.call(`api/directives/documents/${encodeURIComponent(NUMBER)}`, { method: 'PUT', body: DOCUMENT });
    expect(answer.status).toBe(201);
  });

  it('shows the agency’s officer on a phone, on the case desk, its overdue task linking to the task, within 390 px', async () => {
    const { server } = session();
    const page = await phonePage();
    await phoneSignIn(page, 'demo.officer');
    await page.goto(`${server.url}desk/cases`);
    const item = page.locator('[data-testid="dir-due"] li[data-task]').filter({ hasText: DOCUMENT.tasks[0]!.text });
    await item.waitFor();
    expect(await item.innerText()).toMatch(/Trễ \d+ ngày/);
    expect(await item.getByRole('link').getAttribute('href')).toBe(`/directives/${encodeURIComponent(NUMBER)}?task=1`);
    // The task due in 2099 is not due within the week.
    expect(await page.locator('[data-testid="dir-due"]').innerText()).not.toContain(DOCUMENT.tasks[1]!.text);
    await fitsThePhone(page);
    await screenshot(page, 'desk-due-phone');
    await page.context().close();
  });

  it('shows a leader on a phone the agency’s figures and the overdue task, and drills to the agency and the document without any form', async () => {
    const { server } = session();
    const page = await phonePage();
    await phoneSignIn(page, 'demo.leader');
    await page.goto(`${server.url}directives?period=2020`);
    const row = page.locator(`[data-testid="dir-completion"] tr[data-agency="${AGENCY}"]`);
    await row.waitFor();
    // In 2020 the agency was assigned the task due in February, overdue now: nothing done, no task not yet due.
    expect(await row.locator('[data-figure="assigned"]').innerText()).toBe('1');
    expect(await row.locator('[data-figure="overdue"]').innerText()).toBe('1');
    expect(await row.locator('[data-figure="doneOnTime"]').innerText()).toBe('0');
    expect(await row.locator('[data-figure="onTimeRate"]').innerText()).toBe('0 %');
    const overdue = page.locator(`[data-testid="dir-overdue"] tr[data-task="${NUMBER}#1"]`);
    await overdue.waitFor();
    expect(await overdue.innerText()).toContain('ngày');
    await fitsThePhone(page);
    await screenshot(page, 'directives-phone');

    await row.getByRole('link').click();
    await page.locator(`[data-testid="directives-agency"][data-agency="${AGENCY}"] [data-testid="dir-agency-figures"]`).waitFor();
    const doc = page.locator(`[data-testid="dir-documents"] tr[data-document="${NUMBER}"]`);
    await doc.waitFor();
    await fitsThePhone(page);
    await doc.getByRole('link').click();

    await page.locator(`[data-testid="directive-screen"][data-document="${NUMBER}"]`).waitFor();
    const first = page.getByTestId('dir-task-1');
    await first.waitFor();
    expect(await first.locator('[data-status]').first().getAttribute('data-status')).toBe('overdue');
    expect(await first.innerText()).toContain('Quá hạn');
    expect(await page.locator('[data-testid^="dir-forms-"]').count()).toBe(0);
    await fitsThePhone(page);
    await screenshot(page, 'directive-phone');
    await page.context().close();
  });

  it('lets the agency’s officer report a task done and the office confirm it, the task then done on time with its timeline', async () => {
    const { page, server } = session();
    const url = `${server.url}directives/${encodeURIComponent(NUMBER)}`;
    await signInAs(session(), 'demo.officer');
    await page.goto(url);
    const second = page.getByTestId('dir-task-2');
    const forms = page.getByTestId('dir-forms-2');
    await forms.waitFor();
    expect(await forms.locator('details').evaluateAll((ds) => ds.map((d) => d.getAttribute('data-form')))).toEqual(['progress', 'done', 'extension']);
    await forms.locator('details[data-form="done"] summary').click();
    await page.getByTestId('dir-form-done-2').locator('textarea').fill('Đã gửi báo cáo số 15/BC-UBND');
    // The report carries its evidence: a PDF, judged by its content.
    await page.getByTestId('dir-form-done-2').locator('input[type="file"]').setInputFiles({ name: 'bao-cao-15.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n%%EOF\n') });
    await page.getByTestId('dir-form-done-2').locator('button[type="submit"]').click();
    // The document asks for the office's confirmation: the task waits for it, and the officer has nothing more to do on it.
    await second.getByText('Chờ xác nhận hoàn thành').first().waitFor();
    await expect.poll(() => page.getByTestId('dir-forms-2').count()).toBe(0);

    await signInAs(session(), 'demo.office');
    await page.goto(url);
    // The office attaches the document's PDF, which the document then offers to download.
    const fileFacts = page.getByTestId('dir-document-file');
    expect(await fileFacts.innerText()).toContain('Chưa có tệp văn bản');
    await page.getByTestId('dir-file-form').locator('summary').click();
    await page.getByTestId('dir-file-form').locator('input[type="file"]').setInputFiles({ name: 'ket-luan-7.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n') });
    await page.getByTestId('dir-file-form').locator('button[type="submit"]').click();
    await fileFacts.getByRole('link', { name: 'ket-luan-7.pdf' }).waitFor();
    const officeForms = page.getByTestId('dir-forms-2');
    await officeForms.waitFor();
    expect(await officeForms.locator('details').evaluateAll((ds) => ds.map((d) => d.getAttribute('data-form')))).toEqual(['confirm', 'refuseDone', 'cancel']);
    await officeForms.locator('details[data-form="confirm"] summary').click();
    await page.getByTestId('dir-form-confirm-2').locator('button[type="submit"]').click();
    await second.locator('[data-status="done_on_time"]').first().waitFor();
    await second.getByRole('button', { name: 'Xem diễn biến' }).click();
    const timeline = second.locator('.dir-timeline');
    await timeline.getByText('Văn phòng xác nhận hoàn thành').waitFor();
    expect(await timeline.innerText()).toContain('Báo cáo hoàn thành');
    expect(await timeline.innerText()).toContain('Đã gửi báo cáo số 15/BC-UBND');
    expect(await timeline.getByRole('link', { name: 'bao-cao-15.pdf' }).getAttribute('href')).toMatch(/\/api\/directives\/evidence\/\d+$/);
    await screenshot(page, 'directive-confirmed');
    expect(session().errors).toEqual([]);
  });

  it('shows a leader, without reloading, the agency’s figures change when its officer reports a task done in another browser', async () => {
    const { server } = session();
    const browser = session().page.context().browser();
    if (!browser) throw new Error('no browser');
    const office = await apiSignIn(server, 'demo.office');
    expect((await office.call(`api/directives/documents/${encodeURIComponent(LIVE_NUMBER)}`, { method: 'PUT', body: LIVE_DOCUMENT })).status).toBe(201);
    const accounts = await demoAccounts(server);
    const open = async (login: string) => {
      const context = await browser.newContext({ viewport: LAPTOP, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const account = accounts[login];
      if (!account) throw new Error(`no ${login}`);
      await signIn(page, server.origin, account.login, account.password);
      return { page, errors };
    };

    const leader = await open('demo.leader');
    await leader.page.goto(`${server.url}directives?period=2098`);
    const row = leader.page.locator(`[data-testid="dir-completion"] tr[data-agency="${AGENCY}"]`);
    const figure = (name: string) => row.locator(`[data-figure="${name}"]`).innerText();
    await row.waitFor();
    expect([await figure('assigned'), await figure('doneOnTime'), await figure('inProgress')]).toEqual(['2', '0', '2']);
    expect(await figure('onTimeRate')).not.toContain('%');
    await leader.page.locator('[data-testid="live-mark"][data-live="true"]').waitFor();
    // A mark on the page: it is still there after the figures change, so nothing was reloaded.
    await leader.page.evaluate(() => ((window as unknown as { leaderMarker: number }).leaderMarker = 17));

    const officer = await open('demo.officer');
    await officer.page.goto(`${server.url}directives/${encodeURIComponent(LIVE_NUMBER)}`);
    const forms = officer.page.getByTestId('dir-forms-1');
    await forms.locator('details[data-form="done"] summary').click();
    await officer.page.getByTestId('dir-form-done-1').locator('textarea').fill('Đã lắp 12 biển báo');
    await officer.page.getByTestId('dir-form-done-1').locator('button[type="submit"]').click();
    await officer.page.getByTestId('dir-task-1').locator('[data-status="done_on_time"]').first().waitFor();

    await expect.poll(() => figure('doneOnTime'), { timeout: 10_000 }).toBe('1');
    expect([await figure('assigned'), await figure('inProgress'), await figure('onTimeRate')]).toEqual(['2', '1', '100 %']);
    expect(await leader.page.evaluate(() => (window as unknown as { leaderMarker?: number }).leaderMarker)).toBe(17);
    await screenshot(leader.page, 'directives-live');
    expect([...leader.errors, ...officer.errors]).toEqual([]);
    await leader.page.context().close();
    await officer.page.context().close();
  });
});
