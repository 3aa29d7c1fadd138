import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { apiSignIn, browserMissing, browserSession, nextFrames, screenshot, signInAs } from './support';

const PHONE = { width: 390, height: 844 };

/**
 * A monthly enterprise report as a department makes it: the period only in
 * its title, a header on two rows with merged cells, and a total row whose
 * "Giải thể" figure is 7 more than the rows add up to.
 */
async function report(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Báo cáo');
  ws.getCell('A1').value = 'BÁO CÁO TÌNH HÌNH ĐĂNG KÝ DOANH NGHIỆP THÁNG 10 NĂM 2026';
  ws.mergeCells('A1:E1');
  ws.getCell('A2').value = 'Mã đơn vị';
  ws.mergeCells('A2:A3');
  ws.getCell('B2').value = 'Tên đơn vị';
  ws.mergeCells('B2:B3');
  ws.getCell('C2').value = 'Doanh nghiệp';
  ws.mergeCells('C2:E2');
  ws.getCell('C3').value = 'Thành lập mới';
  ws.getCell('D3').value = 'Hoạt động trở lại';
  ws.getCell('E3').value = 'Giải thể';
  ws.getRow(4).values = ['29242', 'Phường Trà Vinh', 12, 3, 2];
  ws.getRow(5).values = ['', 'Tổng cộng', { formula: 'SUM(C4:C4)', result: 12 }, { formula: 'SUM(D4:D4)', result: 3 }, { formula: 'SUM(E4:E4)', result: 9 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe.skipIf(browserMissing)('a wide monthly report on the data desk, at phone width', () => {
  const session = browserSession();

  it('previews it with the period read from its title, its value columns, and a warning for the total that does not add up', async () => {
    const { server, page } = session();
    const steward = await apiSignIn(server, 'demo.steward');
    const created = await steward.call('api/sources', {
      method: 'POST',
      body: {
        code: 'E2E-DN',
        name: 'Báo cáo đăng ký doanh nghiệp',
        kind: 'file',
        ownerOrganisationCode: 'UBND-29242',
        mapping: {
          values: [
            { column: 'Thành lập mới', indicator: 'ENT_NEW' },
            { column: 'Hoạt động trở lại', indicator: 'ENT_RESUMED' },
            { column: 'Doanh nghiệp / Giải thể', indicator: 'ENT_DISSOLVED' },
          ],
        },
      },
    });
    expect(created.status, await created.text()).toBe(201);

    await signInAs(session(), 'demo.steward');
    await page.setViewportSize(PHONE);
    await page.goto(`${server.url}desk/data?source=E2E-DN`);
    const upload = page.getByTestId('file-upload');
    await upload.waitFor();
    await upload.locator('input[name="file"]').setInputFiles({ name: 'bao-cao-dn.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await report() });
    await upload.getByRole('button', { name: 'Kiểm tra' }).click();

    const preview = page.getByTestId('upload-preview');
    await preview.waitFor();
    expect(await preview.getByTestId('ingest-summary').textContent()).toContain('Sẽ nhận 3/3 dòng');
    expect(await preview.getByTestId('file-key-period').textContent()).toBe('Kỳ báo cáo Tháng 10/2026: lấy từ dòng tiêu đề (ô A1)');
    expect(await preview.getByTestId('file-values').textContent()).toBe('Cột số liệu: Doanh nghiệp / Thành lập mới → ENT_NEW; Doanh nghiệp / Hoạt động trở lại → ENT_RESUMED; Doanh nghiệp / Giải thể → ENT_DISSOLVED');
    const warning = preview.getByTestId('file-warning');
    expect(await warning.textContent()).toBe('Cảnh báo: dòng 5, cột "Doanh nghiệp / Giải thể": dòng tổng ghi 9 nhưng cộng các dòng được 2.');
    await warning.scrollIntoViewIfNeeded();
    await nextFrames(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    const box = await preview.getByTestId('file-layout').boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'desk-upload-wide-phone');

    // Written, the run keeps the warning.
    await preview.getByRole('button', { name: 'Ghi 3 dòng hợp lệ' }).click();
    const done = page.getByTestId('upload-committed');
    await done.waitFor();
    expect(await done.getByTestId('file-warning').textContent()).toContain('dòng tổng ghi 9');
    const runs = await (await steward.call('api/sources/E2E-DN/runs')).json();
    expect(runs.runs[0]).toMatchObject({ rowsAccepted: 3, warnings: [{ code: 'total_mismatch', line: 5, column: 'Doanh nghiệp / Giải thể' }] });
  });
});
