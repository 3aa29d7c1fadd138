import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiSignIn, browserMissing, browserSession, screenshot, signInAs } from './support';

/**
 * The PAR Index self-assessment and its appraisal, in a browser: the unit's
 * officer of Phường Trà Vinh (demo.officer, UBND-29242) scores a
 * self-assessed criterion with its explanation, is refused submitting
 * without the evidence it requires and attaching a text file, attaches a
 * PDF and submits; the appraiser (demo.appraiser) adjusts the points with a
 * reason and sends the appraisal back; the officer finds the adjusted points
 * and the reason. The framework and the cycle are the test's own, made
 * through the API, so the demo's own cycle is left as it is.
 */

const FRAMEWORK = {
  code: 'E2E-PAR-2026',
  year: 2026,
  name: 'Bộ chỉ số thử nghiệm của kiểm thử trình duyệt',
  nameEn: 'The browser test’s framework',
  example: true,
  unitKinds: ['commune'],
  bands: [
    { code: 'TOT', name: 'Tốt', nameEn: 'Good', atLeast: 80 },
    { code: 'KHA', name: 'Khá', nameEn: 'Fair', atLeast: 50 },
  ],
  fields: [
    {
      code: '1',
      name: 'Công tác chỉ đạo, điều hành cải cách hành chính',
      nameEn: 'Direction of the reform',
      criteria: [
        {
          code: '1.1',
          name: 'Ban hành kế hoạch cải cách hành chính năm',
          nameEn: 'The year’s reform plan issued',
          maxPoints: 2,
          method: 'self',
          evidenceRequired: true,
          guidance: 'Kế hoạch ban hành trước ngày 15/12 năm trước: 2 điểm; ban hành muộn: 1 điểm. Đính kèm văn bản.',
        },
        {
          code: '1.2',
          name: 'Tỷ lệ hồ sơ giải quyết đúng hạn',
          nameEn: 'Dossiers settled on time',
          maxPoints: 1,
          method: 'computed',
          indicator: 'PS_ON_TIME_RATE',
          rule: { kind: 'ladder', steps: [{ atLeast: 100, points: 1 }, { atLeast: 95, points: 0.5 }], otherwise: 0 },
        },
      ],
    },
    {
      code: '2',
      name: 'Cải cách thủ tục hành chính',
      nameEn: 'Administrative procedures',
      criteria: [
        {
          code: '2.1',
          name: 'Tiếp nhận, xử lý phản ánh, kiến nghị',
          nameEn: 'Citizen reports',
          subCriteria: [{ code: '2.1.1', name: 'Phản ánh được giải quyết đúng hạn', nameEn: 'Reports resolved on time', maxPoints: 2, method: 'computed', indicator: 'CR_ON_TIME_RATE', rule: { kind: 'linear', from: 50, to: 100 } }],
        },
      ],
    },
  ],
};

const UNIT = 'UBND-29242';
const EXPLANATION = 'Kế hoạch số 125/KH-UBND ngày 20/12/2025 của UBND phường';
const REASON = 'Kế hoạch ban hành ngày 20/12/2025, sau hạn 15/12: chấm 1 điểm theo hướng dẫn.';

/** A small PDF document: what the server recognises by its content. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

async function noSidewaysScroll(page: Page): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll).toBeLessThanOrEqual(width);
}

describe.skipIf(browserMissing)('the PAR Index self-assessment and appraisal in a browser', () => {
  const session = browserSession();

  it('takes a unit officer’s self-assessment with its evidence to the appraiser, whose adjusted points and reason the officer then reads', async () => {
    const { server, page, errors, foreign } = session();
    // The appraiser (the Department of Home Affairs) puts the framework in and opens the cycle for the one unit.
    const appraiser = await apiSignIn(server, 'demo.appraiser');
    const saved = await appraiser.call(`api/par/frameworks/${FRAMEWORK.code}`, { method: 'PUT', body: FRAMEWORK });
    expect(saved.status, await saved.clone().text()).toBe(201);
    const opened = await appraiser.call('api/par/cycles', {
      method: 'POST',
      body: { frameworkCode: FRAMEWORK.code, deadlines: { selfAssessmentDue: '2030-01-31', appraisalDue: '2030-02-28', responseDays: 7 }, units: [UNIT] },
    });
    expect(opened.status, await opened.clone().text()).toBe(201);
    const cycle = (await opened.json()) as { id: number; units: { code: string; status: string }[] };
    expect(cycle.units).toEqual([expect.objectContaining({ code: UNIT, status: 'draft' })]);

    // The officer, on a phone, goes from the cycle's desk to the unit's assessment (signed in first: the phone's header folds the account away).
    await signInAs(session(), 'demo.officer');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}par/${cycle.id}/desk`);
    await page.getByTestId('par-cycle-desk').waitFor();
    expect(await page.getByTestId('par-deadlines').textContent()).toContain('31/01/2030');
    // Scoring again and publishing are the appraisers'.
    expect(await page.getByTestId('par-manage').count()).toBe(0);
    await noSidewaysScroll(page);
    await page.locator(`[data-testid="par-units"] tr[data-unit="${UNIT}"] a`).click();
    await page.waitForURL(new RegExp(`/par/${cycle.id}/units/${UNIT}$`));
    const screen = page.getByTestId('par-assessment');
    await screen.waitFor();
    expect(await page.getByTestId('par-status').textContent()).toBe('Đang tự đánh giá');
    // The framework's tree: fields by name, the criterion scored through its sub-criterion.
    // (the names come with the framework, read after the assessment).
    await screen.locator('#field-1', { hasText: 'Công tác chỉ đạo, điều hành cải cách hành chính' }).waitFor();
    await screen.locator('#criterion-2\\.1', { hasText: 'Tiếp nhận, xử lý phản ánh, kiến nghị' }).waitFor();
    // Computed points cannot be typed over, only disputed; the self-assessed criterion takes points.
    const computed = page.getByTestId('leaf-1.2');
    expect(await computed.locator('input[name="points"]').count()).toBe(0);
    expect(await computed.getByTestId('dispute-1.2').count()).toBe(1);
    expect(await page.getByTestId('leaf-1.1').textContent()).toContain('Bắt buộc có tài liệu kiểm chứng');

    const self = page.getByTestId('self-1.1');
    await self.getByLabel('Điểm tự chấm (0–2)').fill('1,5');
    await self.getByLabel('Giải trình, căn cứ chấm điểm').fill(EXPLANATION);
    await self.getByRole('button', { name: 'Lưu' }).click();
    await self.getByText('Đã lưu.').waitFor();
    await page.locator('[data-testid="points-1.1"]', { hasText: '1,5' }).waitFor();
    await page.locator('[data-testid="leaf-1.1"] [data-stage="self"]', { hasText: EXPLANATION }).waitFor();

    // Submitting without the evidence the criterion requires is refused, naming it, in Vietnamese.
    const steps = page.getByTestId('par-steps');
    await steps.getByRole('button', { name: 'Nộp bản tự đánh giá' }).click();
    const refusal = steps.locator('[data-code="par_evidence_required"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Còn tiêu chí bắt buộc có tài liệu kiểm chứng nhưng chưa có tài liệu nào.');
    expect(await refusal.getByRole('link').textContent()).toContain('1.1 · Ban hành kế hoạch cải cách hành chính năm');

    // A text file is no evidence: refused in the reader's language; the PDF is taken.
    const evidence = page.getByTestId('evidence-1.1');
    await evidence.locator('input[type="file"]').setInputFiles({ name: 'ghi-chu.txt', mimeType: 'text/plain', buffer: Buffer.from('Kế hoạch đã ban hành\n') });
    await evidence.getByRole('button', { name: 'Tải lên' }).click();
    await evidence.locator('[data-code="evidence_type_not_allowed"]', { hasText: 'Tài liệu kiểm chứng chỉ nhận tệp PDF, PNG hoặc JPEG.' }).waitFor();
    await evidence.locator('input[type="file"]').setInputFiles({ name: 'ke-hoach-cchc-2026.pdf', mimeType: 'application/pdf', buffer: PDF });
    await evidence.getByRole('button', { name: 'Tải lên' }).click();
    const file = evidence.getByRole('link', { name: 'ke-hoach-cchc-2026.pdf' });
    await file.waitFor();
    // The link downloads the file as it was uploaded.
    const download = await page.request.get(new URL((await file.getAttribute('href')) ?? '', server.url).href);
    expect(download.status()).toBe(200);
    expect(Buffer.from(await download.body()).equals(PDF)).toBe(true);
    await noSidewaysScroll(page);
    await screenshot(page, 'par-self-assessment-phone');

    await steps.getByRole('button', { name: 'Nộp bản tự đánh giá' }).click();
    await page.locator('[data-testid="par-assessment"][data-status="submitted"]').waitFor();
    expect(await page.getByTestId('par-status').textContent()).toBe('Đã nộp, chờ thẩm định');
    // Once submitted the unit edits nothing more.
    expect(await page.getByTestId('self-1.1').count()).toBe(0);
    expect(await evidence.locator('input[type="file"]').count()).toBe(0);

    // The appraiser adjusts the criterion with a reason and sends the appraisal back.
    await page.setViewportSize({ width: 1440, height: 1000 });
    await signInAs(session(), 'demo.appraiser');
    await page.goto(`${server.url}par/${cycle.id}/units/${UNIT}`);
    await page.locator('[data-testid="par-assessment"][data-status="submitted"]').waitFor();
    expect(await page.locator('[data-testid="leaf-1.1"] [data-stage="self"]').textContent()).toContain(EXPLANATION);
    // The appraiser adjusts; the unit's own points and evidence are not theirs to touch.
    expect(await page.getByTestId('self-1.1').count()).toBe(0);
    expect(await page.getByTestId('evidence-1.1').locator('input[type="file"]').count()).toBe(0);
    const adjust = page.getByTestId('adjust-1.1');
    await adjust.getByLabel('Điểm thẩm định (0–2; để trống để bỏ điều chỉnh)').fill('1');
    await adjust.getByLabel('Lý do điều chỉnh').fill(REASON);
    await adjust.getByRole('button', { name: 'Lưu' }).click();
    await adjust.getByText('Đã lưu.').waitFor();
    await page.locator('[data-testid="leaf-1.1"] [data-stage="appraised"]', { hasText: REASON }).waitFor();
    await screenshot(page, 'par-appraisal');
    await page.getByTestId('par-steps').getByRole('button', { name: 'Gửi kết quả thẩm định cho đơn vị' }).click();
    await page.locator('[data-testid="par-assessment"][data-status="appraised"]').waitFor();

    // The officer reads the adjusted points and the reason, and may now answer.
    await signInAs(session(), 'demo.officer');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}par/${cycle.id}/units/${UNIT}`);
    await page.locator('[data-testid="par-assessment"][data-status="appraised"]').waitFor();
    const appraised = page.locator('[data-testid="leaf-1.1"] [data-stage="appraised"]');
    expect(await appraised.textContent()).toContain('Điểm thẩm định');
    expect(await appraised.textContent()).toContain(REASON);
    expect(await page.getByTestId('points-1.1').textContent()).toBe('1 / 2');
    expect(await page.getByTestId('answer-1.1').count()).toBe(1);
    await page.getByTestId('leaf-1.1').scrollIntoViewIfNeeded();
    await noSidewaysScroll(page);
    await screenshot(page, 'par-appraised-phone');

    // The server holds what the screens show.
    const held = (await (await appraiser.call(`api/par/cycles/${cycle.id}/units/${UNIT}`)).json()) as { unit: { status: string }; leaves: { code: string; self: number | null; note: string | null; appraised: number | null; appraisalReason: string | null; evidence: unknown[] }[] };
    expect(held.unit.status).toBe('appraised');
    expect(held.leaves.find((l) => l.code === '1.1')).toMatchObject({ self: 1.5, note: EXPLANATION, appraised: 1, appraisalReason: REASON, evidence: [expect.objectContaining({ fileName: 'ke-hoach-cchc-2026.pdf', mediaType: 'application/pdf', size: PDF.length })] });
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
  });

  it('lets the appraiser open a cycle with its deadlines from the cycles desk, and lists the units past their deadline as late', async () => {
    const { server, page, errors } = session();
    const appraiser = await apiSignIn(server, 'demo.appraiser');
    const framework = { ...FRAMEWORK, code: 'E2E-PAR-LATE', name: 'Bộ chỉ số thử nghiệm: kỳ đã quá hạn', nameEn: null };
    expect((await appraiser.call(`api/par/frameworks/${framework.code}`, { method: 'PUT', body: framework })).status).toBe(201);

    // A unit's officer is not offered opening a cycle.
    await page.setViewportSize({ width: 1440, height: 1000 });
    await signInAs(session(), 'demo.officer');
    await page.goto(`${server.url}par/desk`);
    await page.getByTestId('par-cycles').waitFor();
    expect(await page.getByTestId('par-open-cycle').count()).toBe(0);

    await signInAs(session(), 'demo.appraiser');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}par/desk`);
    const form = page.getByTestId('par-open-cycle');
    await form.locator('select[name="framework"]').waitFor();
    // The first test's framework has its cycle: it is not offered again.
    const offered = await form.locator('select[name="framework"] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toContain('E2E-PAR-LATE');
    expect(offered).not.toContain(FRAMEWORK.code);
    await form.getByLabel('Bộ chỉ số').selectOption('E2E-PAR-LATE');
    // Deadlines long past: every unit's self-assessment is late whatever day the test runs.
    await form.getByLabel('Hạn nộp bản tự đánh giá').fill('2020-01-31');
    await form.getByLabel('Hạn gửi kết quả thẩm định').fill('2020-01-15');
    await form.getByRole('button', { name: 'Mở kỳ đánh giá' }).click();
    await form.getByText('Hạn thẩm định phải sau hạn nộp bản tự đánh giá.').waitFor();
    await form.getByLabel('Hạn gửi kết quả thẩm định').fill('2020-02-28');
    await noSidewaysScroll(page);
    await screenshot(page, 'par-open-cycle-phone');
    await form.getByRole('button', { name: 'Mở kỳ đánh giá' }).click();

    await page.waitForURL(/\/par\/\d+\/desk$/);
    await page.getByTestId('par-cycle-desk').waitFor();
    expect(await page.getByTestId('par-deadlines').textContent()).toContain('31/01/2020');
    await page.getByTestId('par-manage').waitFor();
    // The officer's commune is among the units, and late, as is every commune the framework scores.
    const unit = page.locator(`[data-testid="par-units"] tr[data-unit="${UNIT}"]`);
    await unit.waitFor();
    expect(await unit.textContent()).toContain('Đang tự đánh giá');
    const late = page.locator(`[data-testid="par-late-table"] tr[data-unit="${UNIT}"]`);
    await late.waitFor();
    expect(await late.textContent()).toContain('Nộp bản tự đánh giá');
    expect(await late.textContent()).toContain('Chưa làm');
    const units = await page.locator('[data-testid="par-units"] tbody tr').count();
    expect(await page.locator('[data-testid="par-late-table"] tbody tr').count()).toBe(units);
    await noSidewaysScroll(page);
    await screenshot(page, 'par-cycle-desk-phone');
    expect(errors).toEqual([]);
  });
});
