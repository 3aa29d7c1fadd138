import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { browserMissing, browserSession, screenshot, signInAs } from './support';

/**
 * The monthly report as a leader takes it: from "More" to the reports
 * screen, October chosen, the socio-economic report downloaded as Word
 * and as PDF, each naming the month and holding its figures and charts.
 */
describe.skipIf(browserMissing)('the reports screen', () => {
  const session = browserSession();

  it('lets a leader download October’s socio-economic report as a Word document and as a PDF', async () => {
    const { server, page } = session();
    await signInAs(session(), 'demo.leader');
    await page.goto(`${server.origin}/`);
    const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
    await nav.getByRole('button', { name: 'Thêm' }).click();
    await nav.getByRole('link', { name: 'Báo cáo', exact: true }).click();
    await page.waitForURL(/\/reports$/);
    const screen = page.getByTestId('reports');
    await screen.getByRole('heading', { name: 'Báo cáo định kỳ' }).waitFor();
    // A leader reads reports; editing a template, and the schedules that send them, are the data steward's.
    expect(await screen.getByRole('button', { name: 'Sửa mẫu' }).count()).toBe(0);
    expect(await page.getByTestId('report-schedules').count()).toBe(0);

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
    // Its charts are pictures in the document.
    expect(Object.keys((await JSZip.loadAsync(bytes)).files).filter((f) => f.startsWith('word/media/')).length).toBe(2);

    // The same report printed as PDF, its Vietnamese read back by pdftotext.
    const pdfLink = report.getByRole('link', { name: 'Tải PDF' });
    const [printed] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), pdfLink.click()]);
    expect(printed.suggestedFilename()).toBe('bao-cao-bao-cao-kt-xh-thang-2026-10.pdf');
    const pdf = Buffer.concat((await (await printed.createReadStream()).toArray()) as Buffer[]);
    const read = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, ' ');
    expect(read).toContain('I. TÌNH HÌNH KINH TẾ');
    expect(read).toContain('Biểu đồ 1. Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng theo tháng');
    expect(read).toContain('PHỤ LỤC: NGUỒN SỐ LIỆU');

    // On a phone the screen keeps to its width.
    await page.setViewportSize({ width: 390, height: 844 });
    await link.waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'reports-390');
    expect(session().errors).toEqual([]);
    expect(session().foreign).toEqual([]);
  });

  it('lets a data steward schedule the monthly report, see it listed, run it and download the archived file with its hash', async () => {
    const { server, page } = session();
    await page.setViewportSize({ width: 1280, height: 900 });
    await signInAs(session(), 'demo.steward');
    await page.goto(`${server.origin}/reports`);
    const section = page.getByTestId('report-schedules');
    await section.getByRole('heading', { name: 'Lịch gửi báo cáo' }).waitFor();
    await section.getByRole('button', { name: 'Thêm lịch gửi' }).click();
    const form = section.getByTestId('schedule-form');
    await form.getByLabel('Mã lịch').fill('kt-xh-hang-thang');
    await form.locator('select[name="template"]').selectOption('bao-cao-kt-xh-thang');
    await form.getByLabel('Địa chỉ thư nhận (cách nhau bằng dấu phẩy)').fill('lanh-dao@vinhlong.test, van-phong@vinhlong.test');
    // The server's refusal is shown as it says it: the 35th is no day of a month.
    await form.getByLabel(/Thời điểm chạy/).fill('0 7 35 * *');
    await form.getByRole('button', { name: 'Lưu lịch' }).click();
    await form.getByRole('alert').getByText(/cron: 0 7 35 \* \*/).waitFor();
    await form.getByLabel(/Thời điểm chạy/).fill('0 7 5 * *');
    await form.getByRole('button', { name: 'Lưu lịch' }).click();

    const item = section.getByTestId('schedule-kt-xh-hang-thang');
    await item.waitFor();
    await item.getByText('Ngày 5 hằng tháng, lúc 07:00').waitFor();
    await item.getByText('Người nhận: lanh-dao@vinhlong.test, van-phong@vinhlong.test').waitFor();
    await item.getByText(/Lần chạy tới: /).waitFor();

    // Run now: the month just ended is rendered and kept; its file downloads as it was kept, the hash shown its first 12 digits.
    await item.getByRole('button', { name: 'Chạy ngay' }).click();
    const link = item.getByRole('link', { name: 'Tải về (DOCX)' });
    await link.waitFor();
    const hash = await item.locator('code[title]').getAttribute('title');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    await item.getByText(`SHA-256 ${hash!.slice(0, 12)}`).waitFor();
    await item.getByText('lanh-dao@vinhlong.test: chờ gửi').or(item.getByText(/lanh-dao@vinhlong.test: gửi lỗi/)).first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^bao-cao-bao-cao-kt-xh-thang-\d{4}-\d{2}\.docx$/);
    const bytes = Buffer.concat((await (await download.createReadStream()).toArray()) as Buffer[]);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(hash);
    const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
    expect(xml).toContain('I. TÌNH HÌNH KINH TẾ');
    await screenshot(page, 'report-schedules');

    // On a phone the section keeps to its width.
    await page.setViewportSize({ width: 390, height: 844 });
    await link.waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'report-schedules-390');
    expect(session().errors).toEqual([]);
    expect(session().foreign).toEqual([]);
  });
});
