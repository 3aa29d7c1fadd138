import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { apiSignIn, browserMissing, browserSession, nextFrames, screenshot, signInAs } from './support';

const PHONE = { width: 390, height: 844 };

/**
 * A ward's monthly enterprise report as it comes: the period only in its
 * title, the unit by its name, three value columns, "Giải thể" left empty.
 */
async function report(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Báo cáo');
  ws.getCell('A1').value = 'BÁO CÁO TÌNH HÌNH DOANH NGHIỆP THÁNG 10 NĂM 2026';
  ws.mergeCells('A1:D1');
  ws.getRow(3).values = ['Đơn vị', 'Thành lập mới', 'Hoạt động trở lại', 'Giải thể'];
  ws.getRow(4).values = ['Phường Trà Vinh', 12, 3, ''];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe.skipIf(browserMissing)('the mapping editor on the data desk, at phone width', () => {
  const session = browserSession();

  it('an officer builds the layout of a wide sheet dated in its title, saves it, uploads the month’s file and the figures are stored', async () => {
    const { server, page } = session();
    const steward = await apiSignIn(server, 'demo.steward');
    const created = await steward.call('api/sources', { method: 'POST', body: { code: 'E2E-MAU', name: 'Báo cáo doanh nghiệp của phường', kind: 'file', ownerOrganisationCode: 'UBND-29242' } });
    expect(created.status, await created.text()).toBe(201);
    const unit = ((await (await steward.call('api/indicators/ENT_NEW')).json()) as { unit: string }).unit;
    // What the demo data holds already for the ward's October: the preview compares the file with it.
    const stored = async (indicator: string) => {
      const r = await steward.call(`api/observations/history?indicator=${indicator}&place=29242&period=2026-10`);
      if (r.status === 404) return null;
      const body = (await r.json()) as { revisions: { value: number; source: string }[] };
      return body.revisions.at(-1) ?? null;
    };
    const before = await stored('ENT_NEW');

    await signInAs(session(), 'demo.officer');
    await page.setViewportSize(PHONE);
    await page.goto(`${server.url}desk/data?source=E2E-MAU`);
    await page.getByTestId('layout-open').getByRole('link', { name: 'Dựng mẫu báo cáo' }).click();
    const editor = page.getByTestId('layout-editor');
    await editor.waitFor();
    await editor.locator('input[name="sample"]').setInputFiles({ name: 'bao-cao-dn.xlsx', mimeType: XLSX, buffer: await report() });

    // Column by column: the unit by its name, three value columns with their indicators.
    await editor.getByTestId('layout-columns').waitFor();
    const column = (letter: string) => editor.getByTestId(`layout-column-${letter}`);
    await column('A').getByLabel('Cột Đơn vị là').selectOption('place');
    await column('A').getByLabel('Đơn vị được ghi bằng').selectOption('name');
    for (const [letter, header, indicator] of [
      ['B', 'Thành lập mới', 'ENT_NEW'],
      ['C', 'Hoạt động trở lại', 'ENT_RESUMED'],
      ['D', 'Giải thể', 'ENT_DISSOLVED'],
    ] as const) {
      await column(letter).getByLabel(`Cột ${header} là`).selectOption('value');
      await column(letter).getByLabel(`Chỉ tiêu của cột ${header}`).selectOption(indicator);
    }
    expect(await column('B').getByTestId('indicator-unit').textContent()).toBe(`Đơn vị tính của chỉ tiêu: ${unit}`);
    // The period: from the title, as the sample says it.
    expect(await editor.getByLabel('Kỳ báo cáo lấy từ').inputValue()).toBe('title');
    expect(await editor.getByTestId('layout-found').textContent()).toBe('Tệp mẫu ghi: Tháng 10/2026 (ô A1)');

    await editor.getByRole('button', { name: 'Xem trước các dòng sẽ ghi' }).click();
    const preview = editor.getByTestId('layout-preview');
    await preview.waitFor();
    expect(await preview.getByTestId('ingest-summary').textContent()).toContain('Sẽ nhận 2/3 dòng');
    const first = preview.getByTestId('layout-stored').locator('tbody tr').first();
    const change = before === null ? 'Mới' : before.value === 12 ? 'Không đổi' : `${before.value} → 12`;
    expect((await first.locator('td').allTextContents()).map((s) => s.trim())).toEqual(['29242 Phường Trà Vinh', 'ENT_NEW', 'Tháng 10/2026', `12 ${unit}`, change]);
    expect((await preview.getByTestId('layout-rejected').locator('tbody tr').first().locator('td').allTextContents()).map((s) => s.trim())).toEqual(['4', 'Giải thể', expect.stringContaining('Thiếu giá trị')]);
    await nextFrames(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'desk-layout-editor-phone');

    await editor.getByRole('button', { name: 'Lưu mẫu báo cáo' }).click();
    await editor.getByTestId('layout-saved').waitFor();
    const source = (await (await steward.call('api/sources/E2E-MAU')).json()) as { mapping: unknown };
    expect(source.mapping).toEqual({
      columns: { 'Đơn vị': 'place' },
      values: [
        { column: 'Thành lập mới', indicator: 'ENT_NEW' },
        { column: 'Hoạt động trở lại', indicator: 'ENT_RESUMED' },
        { column: 'Giải thể', indicator: 'ENT_DISSOLVED' },
      ],
      names: ['place'],
    });

    // The month's file, as it comes, through the upload: preview, then write.
    await editor.getByRole('link', { name: 'Tải tệp của kỳ này lên' }).click();
    const upload = page.getByTestId('file-upload');
    await upload.waitFor();
    await upload.locator('input[name="file"]').setInputFiles({ name: 'bao-cao-dn-thang-10.xlsx', mimeType: XLSX, buffer: await report() });
    await upload.getByRole('button', { name: 'Kiểm tra' }).click();
    await page.getByTestId('upload-preview').waitFor();
    await page.getByTestId('upload-preview').getByRole('button', { name: 'Ghi 2 dòng hợp lệ' }).click();
    await page.getByTestId('upload-committed').waitFor();

    expect(await stored('ENT_NEW')).toMatchObject({ value: 12, source: 'E2E-MAU' });
    expect(await stored('ENT_RESUMED')).toMatchObject({ value: 3, source: 'E2E-MAU' });
    const runs = (await (await steward.call('api/sources/E2E-MAU/runs')).json()) as { runs: { rowsAccepted: number; rowsRejected: number; fileName: string }[] };
    expect(runs.runs[0]).toMatchObject({ rowsAccepted: 2, rowsRejected: 1, fileName: 'bao-cao-dn-thang-10.xlsx' });
  });
});
