import { describe, expect, it } from 'vitest';
import { apiSignIn, browserMissing, browserSession, nextFrames, screenshot, signInAs } from './support';

const PHONE = { width: 390, height: 844 };

/** A report naming its units as people write them, in triệu đồng; "Phường 01" was the name of three communes of today's Vĩnh Long in 2024. */
const REPORT = 'Tên đơn vị;Kỳ;Giá trị\nPhường 01;10/2024;1.234,5\nTỉnh Trà Vinh;10/2024;2.000\n';

describe.skipIf(browserMissing)('a report naming its units on the data desk, at phone width', () => {
  const session = browserSession();

  it('refuses a name three communes bore, offers them, and once one is chosen checks the file again with the row resolved and its value converted', async () => {
    const { server, page } = session();
    const steward = await apiSignIn(server, 'demo.steward');
    const created = await steward.call('api/sources', {
      method: 'POST',
      body: { code: 'E2E-NAMES', name: 'Chi ngân sách theo đơn vị', kind: 'file', ownerOrganisationCode: 'VL-STC', mapping: { defaults: { indicator: 'BUD_EXPENDITURE', unit: 'triệu đồng' } } },
    });
    expect(created.status, await created.text()).toBe(201);

    await signInAs(session(), 'demo.steward');
    await page.setViewportSize(PHONE);
    await page.goto(`${server.url}desk/data?source=E2E-NAMES`);
    const upload = page.getByTestId('file-upload');
    await upload.waitFor();
    await upload.locator('input[name="file"]').setInputFiles({ name: 'chi-ngan-sach-thang-10-2024.csv', mimeType: 'text/csv', buffer: Buffer.from(REPORT) });
    await upload.getByRole('button', { name: 'Kiểm tra' }).click();

    const preview = page.getByTestId('upload-preview');
    await preview.waitFor();
    expect(await preview.getByTestId('ingest-summary').textContent()).toContain('Sẽ nhận 1/2 dòng');
    const offer = preview.getByTestId('alias-form');
    await offer.locator('summary').click();
    const options = await offer.locator('select option').allTextContents();
    expect(options.filter((o) => o.includes('Phường 1 ('))).toHaveLength(3);
    await offer.locator('select').selectOption('29239');
    await nextFrames(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'desk-upload-alias-phone');
    await offer.getByRole('button', { name: 'Lưu và kiểm tra lại tệp' }).click();

    await expect.poll(async () => preview.getByTestId('ingest-summary').textContent(), { timeout: 10_000 }).toContain('Sẽ nhận 2/2 dòng');
    // Both rows as the file wrote them and as they will be kept: by code, in the indicator's tỷ đồng.
    const stored = await preview.getByTestId('stored-as').textContent();
    expect(stored).toContain('Phường 01 — BUD_EXPENDITURE 2024-10: 1.234,5 triệu đồng');
    expect(stored).toContain('29239 Phường 1: 1,2345 tỷ đồng');
    expect(stored).toContain('84 Tỉnh Trà Vinh: 2 tỷ đồng');
    await preview.getByTestId('stored-as').scrollIntoViewIfNeeded();
    await nextFrames(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'desk-upload-stored-as-phone');
    const source = await steward.call('api/sources/E2E-NAMES');
    expect((await source.json()).mapping.aliases).toEqual({ places: { 'Phường 01': '29239' } });
  });
});
