import { describe, expect, it } from 'vitest';
import { encodeTcvn3 } from '@watchfloor/connectors';
import { apiSignIn, browserMissing, browserSession, nextFrames, screenshot, signInAs } from './support';

const PHONE = { width: 390, height: 844 };

/** A report typed with the .VnTime fonts (TCVN3), saved as CSV by an older tool. */
const TITLE = 'BÁO CÁO CHẤT LƯỢNG KHÔNG KHÍ THÁNG 10 NĂM 2026;;;;';
const REPORT = `${TITLE}\r\nMã chỉ tiêu;Mã đơn vị;Kỳ;Giá trị;Ghi chú\r\nENV_PM25;29242;14/10/2026;35,5;Trạm Phường Trà Vinh\r\nENV_PM25;29242;15/10/2026;41,2;Trạm Phường Trà Vinh\r\n`;

describe.skipIf(browserMissing)('a legacy-encoded file on the data desk, at phone width', () => {
  const session = browserSession();

  it('previews a TCVN3 file with the encoding detected and its title as read, and refuses it read as Windows-1258', async () => {
    const { server, page } = session();
    const steward = await apiSignIn(server, 'demo.steward');
    const created = await steward.call('api/sources', { method: 'POST', body: { code: 'E2E-TCVN3', name: 'Báo cáo không khí (tệp cũ)', kind: 'file', ownerOrganisationCode: 'UBND-29242' } });
    expect(created.status, await created.text()).toBe(201);

    await signInAs(session(), 'demo.steward');
    await page.setViewportSize(PHONE);
    await page.goto(`${server.url}desk/data?source=E2E-TCVN3`);
    const upload = page.getByTestId('file-upload');
    await upload.waitFor();
    await upload.locator('input[name="file"]').setInputFiles({ name: 'bao-cao-khong-khi.csv', mimeType: 'text/csv', buffer: encodeTcvn3(REPORT) });
    await upload.getByRole('button', { name: 'Kiểm tra' }).click();

    const preview = page.getByTestId('upload-preview');
    await preview.waitFor();
    const summary = await preview.getByTestId('ingest-summary').textContent();
    expect(summary).toContain('Sẽ nhận 2/2 dòng');
    expect(summary).toContain('Chữ được đọc theo bảng mã TCVN3 (ABC, .VnTime) (tự nhận biết).');
    expect(await preview.locator('[data-testid="encoding-sample"] q').textContent()).toBe(TITLE);
    await preview.getByTestId('encoding-sample').scrollIntoViewIfNeeded();
    await nextFrames(page);
    // The line as read wraps within the screen rather than widening it.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    const box = await preview.getByTestId('encoding-sample').boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'desk-upload-tcvn3-phone');

    // Declared as Windows-1258, the same bytes are refused, with the reason in Vietnamese.
    await upload.locator('select[name="encoding"]').selectOption('windows-1258');
    await upload.getByRole('button', { name: 'Kiểm tra' }).click();
    const refused = upload.locator('.desk-refused');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('Tệp không theo bảng mã đã chọn.');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  });
});
