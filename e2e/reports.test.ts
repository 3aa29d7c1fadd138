import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { browserMissing, browserSession, screenshot, signInAs } from './support';

/**
 * The monthly report as a leader takes it: from "More" to the reports
 * screen, October chosen, the socio-economic report downloaded as Word,
 * and the document it is names the month and holds its figures.
 */
describe.skipIf(browserMissing)('the reports screen', () => {
  const session = browserSession();

  it('lets a leader download October’s socio-economic report as a Word document', async () => {
    const { server, page } = session();
    await signInAs(session(), 'demo.leader');
    await page.goto(`${server.origin}/`);
    const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
    await nav.getByRole('button', { name: 'Thêm' }).click();
    await nav.getByRole('link', { name: 'Báo cáo', exact: true }).click();
    await page.waitForURL(/\/reports$/);
    const screen = page.getByTestId('reports');
    await screen.getByRole('heading', { name: 'Báo cáo định kỳ' }).waitFor();
    // A leader reads reports; editing a template is the data steward's.
    expect(await screen.getByRole('button', { name: 'Sửa mẫu' }).count()).toBe(0);

    await screen.getByLabel('Tháng báo cáo').fill('2026-10');
    const report = page.getByTestId('report-bao-cao-kt-xh-thang');
    const link = report.getByRole('link', { name: 'Tải Word (.docx)' });
    expect(await link.getAttribute('href')).toBe('/api/reports/templates/bao-cao-kt-xh-thang/render?period=2026-10&format=docx');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('bao-cao-bao-cao-kt-xh-thang-2026-10.docx');
    const bytes = Buffer.concat((await (await download.createReadStream()).toArray()) as Buffer[]);
    const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    expect(text).toContain('Tháng 10/2026');
    expect(text).toContain('I. TÌNH HÌNH KINH TẾ');
    expect(text).toContain('Bảng 1. Hồ sơ thủ tục hành chính và phản ánh theo xã, phường');

    // On a phone the screen keeps to its width.
    await page.setViewportSize({ width: 390, height: 844 });
    await link.waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'reports-390');
    expect(session().errors).toEqual([]);
    expect(session().foreign).toEqual([]);
  });
});
