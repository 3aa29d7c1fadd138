import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiSignIn, apiSignInWith, browserMissing, browserSession, mapLoaded, screenshot, signInAs, type ApiSession } from './support';

/**
 * The PAR Index results in a browser. The test makes its own cycle through
 * the API, so it does not depend on the demo's: the appraiser puts in a
 * small framework (two fields, three self-assessed criteria, three bands)
 * for the year 2030, the latest, and opens it for three departments and
 * one commune; an officer of the three departments (made by the
 * administrator) and the commune's officer (demo.officer) self-assess and
 * submit; the appraiser adjusts one criterion, sends every appraisal back
 * and the council decides all but Sở Y tế, which stays provisional.
 *
 * Worked out by hand (maxima 4 + 3 in field 1, 3 in field 2: 10 points):
 *   Sở Nội vụ    4 + 3 + 2       =  9 → 90 %, Xuất sắc, lost 1.3 (1)
 *   Sở Tài chính 3 + (3→2) + 3   =  8 → 80 %, Tốt, lost 1.1 (1), 1.2 (1)
 *   Sở Y tế      2 + 1 + 1       =  4 → 40 %, below every band, lost 1.1, 1.2, 2.1 (2 each, in the framework's order)
 * Ranks 1/3, 2/3, 3/3. A leader opening /par sees them in that order with
 * those lost points, and the demo board's panel ranks them the same; on a
 * phone the page does not scroll sideways.
 */

const YEAR = 2030;
const FRAMEWORK = {
  code: 'E2E-PAR-RESULTS-2030',
  year: YEAR,
  name: 'Bộ chỉ số thử nghiệm kết quả 2030',
  nameEn: 'The results test’s framework 2030',
  example: true,
  unitKinds: ['department', 'commune'],
  bands: [
    { code: 'XS', name: 'Xuất sắc', nameEn: 'Excellent', atLeast: 90 },
    { code: 'TOT', name: 'Tốt', nameEn: 'Good', atLeast: 80 },
    { code: 'KHA', name: 'Khá', nameEn: 'Fair', atLeast: 50 },
  ],
  fields: [
    {
      code: '1',
      name: 'Công tác chỉ đạo, điều hành',
      nameEn: 'Direction of the reform',
      criteria: [
        { code: '1.1', name: 'Ban hành kế hoạch cải cách hành chính', nameEn: 'The reform plan issued', maxPoints: 4, method: 'self' },
        { code: '1.2', name: 'Báo cáo cải cách hành chính đúng hạn', nameEn: 'Reform reports on time', maxPoints: 3, method: 'self' },
      ],
    },
    {
      code: '2',
      name: 'Cải cách thủ tục hành chính',
      nameEn: 'Administrative procedures',
      criteria: [{ code: '2.1', name: 'Công khai thủ tục hành chính', nameEn: 'Procedures made public', maxPoints: 3, method: 'self' }],
    },
  ],
};

const DEPARTMENTS = { 'VL-SNV': [4, 3, 2], 'VL-STC': [3, 3, 3], 'VL-SYT': [2, 1, 1] } as const;
const COMMUNE = 'UBND-29242';
const LEAVES = ['1.1', '1.2', '2.1'] as const;
const OFFICER = { login: 'e2e.so-nganh', password: 'e2e-par-results-officer-2030' };

async function ok(res: Response, status = 200): Promise<Response> {
  expect(res.status, `${res.url}: ${await res.clone().text()}`).toBe(status);
  return res;
}

async function selfAssess(officer: ApiSession, cycle: number, unit: string, points: readonly number[]): Promise<void> {
  for (const [i, leaf] of LEAVES.entries()) {
    await ok(await officer.call(`api/par/cycles/${cycle}/units/${unit}/criteria/${leaf}/self`, { method: 'PUT', body: { points: points[i], note: 'Tự chấm theo hướng dẫn' } }));
  }
  await ok(await officer.call(`api/par/cycles/${cycle}/units/${unit}/submit`, { method: 'POST', body: {} }));
}

async function noSidewaysScroll(page: Page): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll).toBeLessThanOrEqual(width);
}

/** The ranking's rows as the reader sees them: unit, rank, index, band, lost points. */
async function rows(page: Page): Promise<{ unit: string; rank: string; index: string; band: string; lost: string[] }[]> {
  return page.locator('[data-testid="par-results-table"] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      unit: tr.getAttribute('data-unit') ?? '',
      rank: tr.querySelector('.par-rank')?.textContent ?? '',
      index: tr.querySelector('.par-index')?.textContent ?? '',
      band: tr.querySelector('.par-band')?.textContent ?? '',
      lost: [...tr.querySelectorAll('.par-lost-list li')].map((li) => li.textContent ?? ''),
    })),
  );
}

describe.skipIf(browserMissing)('the PAR Index results in a browser', () => {
  const session = browserSession();

  it('shows a leader the departments ranked with their lost points, the provisional one marked, the communes on the map; the public none of it before publication', async () => {
    const { server, page, errors, foreign } = session();
    const appraiser = await apiSignIn(server, 'demo.appraiser');
    await ok(await appraiser.call(`api/par/frameworks/${FRAMEWORK.code}`, { method: 'PUT', body: FRAMEWORK }), 201);
    const opened = await ok(
      await appraiser.call('api/par/cycles', {
        method: 'POST',
        body: { frameworkCode: FRAMEWORK.code, deadlines: { selfAssessmentDue: `${YEAR}-12-31`, appraisalDue: `${YEAR + 1}-01-31`, responseDays: 7 }, units: [...Object.keys(DEPARTMENTS), COMMUNE] },
      }),
      201,
    );
    const cycle = ((await opened.json()) as { id: number }).id;

    // The departments' officer, made by the administrator, and the commune's.
    const admin = await apiSignIn(server, 'demo.admin');
    await ok(
      await admin.call('api/users', {
        method: 'POST',
        body: { ...OFFICER, displayName: 'Cán bộ các sở (kiểm thử)', mustChangePassword: false, roles: Object.keys(DEPARTMENTS).map((organisationCode) => ({ role: 'agency_officer', organisationCode, placeCode: '86' })) },
      }),
      201,
    );
    const officer = await apiSignInWith(server, OFFICER.login, OFFICER.password);
    for (const [unit, points] of Object.entries(DEPARTMENTS)) await selfAssess(officer, cycle, unit, points);
    await selfAssess(await apiSignIn(server, 'demo.officer'), cycle, COMMUNE, [4, 2, 3]);

    // The appraiser takes a point off Sở Tài chính's reports, sends every appraisal back; the council decides all but Sở Y tế.
    await ok(await appraiser.call(`api/par/cycles/${cycle}/units/VL-STC/criteria/1.2/appraisal`, { method: 'PUT', body: { points: 2, reason: 'Một báo cáo quý nộp muộn.' } }));
    for (const unit of [...Object.keys(DEPARTMENTS), COMMUNE]) await ok(await appraiser.call(`api/par/cycles/${cycle}/units/${unit}/return`, { method: 'POST', body: {} }));
    for (const unit of ['VL-SNV', 'VL-STC', COMMUNE]) await ok(await appraiser.call(`api/par/cycles/${cycle}/units/${unit}/decide`, { method: 'POST', body: {} }));

    // Nobody signed in: the cycle is not published, so it is not offered and its address says so.
    await page.goto(`${server.url}par/${cycle}`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByTestId('par-results-table').count()).toBe(0);

    // A leader opens /par: the newest published cycle (the demo's 2025) comes first; this one, still in progress, is a pick away.
    await signInAs(session(), 'demo.leader');
    await page.goto(`${server.url}par`);
    await page.locator('[data-testid="par-results"][data-cycle]').waitFor();
    const shown = Number(await page.getByTestId('par-results').getAttribute('data-cycle'));
    expect(shown).not.toBe(cycle);
    await page.getByTestId('par-cycle').selectOption(String(cycle));
    await page.locator(`[data-testid="par-results"][data-cycle="${cycle}"]`).waitFor();
    await page.locator('[data-testid="par-results-table"][data-kind="department"] .par-lost-list li', { hasText: 'Công khai thủ tục hành chính' }).first().waitFor();
    expect(await rows(page)).toEqual([
      { unit: 'VL-SNV', rank: '1/3', index: '90 %', band: 'Xuất sắc', lost: ['Công khai thủ tục hành chính: −1'] },
      { unit: 'VL-STC', rank: '2/3', index: '80 %', band: 'Tốt', lost: ['Ban hành kế hoạch cải cách hành chính: −1', 'Báo cáo cải cách hành chính đúng hạn: −1'] },
      {
        unit: 'VL-SYT',
        rank: '3/3',
        index: '40 %',
        band: 'Dưới mức thấp nhất',
        lost: ['Ban hành kế hoạch cải cách hành chính: −2', 'Báo cáo cải cách hành chính đúng hạn: −2', 'Công khai thủ tục hành chính: −2'],
      },
    ]);
    const table = page.getByTestId('par-results-table');
    // Points per field and in all; the one the council has not decided is provisional, and the example framework is said to be one.
    expect(await table.locator('tr[data-unit="VL-STC"]').textContent()).toContain('5/7');
    expect(await table.locator('tr[data-unit="VL-STC"]').textContent()).toContain('8/10');
    expect(await table.locator('tr[data-unit="VL-SYT"] .badge-provisional').textContent()).toBe('Tạm tính');
    expect(await table.locator('tr[data-unit="VL-SNV"] .badge-provisional').count()).toBe(0);
    expect(await page.getByTestId('par-provisional').textContent()).toContain('1 đơn vị');
    await page.getByTestId('par-example').waitFor();
    expect(await page.getByTestId('par-xlsx').getAttribute('href')).toBe(`/api/par/cycles/${cycle}/results.xlsx`);
    // Each unit leads to its assessment: the drill from its total to the criteria and their evidence.
    expect(await table.locator('tr[data-unit="VL-STC"] a').getAttribute('href')).toBe(`/par/${cycle}/units/VL-STC`);
    await screenshot(page, 'par-results');

    // The communes: the ranking and the map coloured by band, with the framework's bands as its legend.
    await page.getByTestId('par-kind-commune').click();
    await page.waitForURL(new RegExp(`/par/${cycle}\\?kind=commune$`));
    await page.locator('[data-testid="par-results-table"][data-kind="commune"] tr[data-unit="UBND-29242"]').waitFor();
    await mapLoaded(page);
    const legend = (await page.getByTestId('par-map-legend').textContent()) ?? '';
    for (const band of ['Xuất sắc (từ 90 %)', 'Tốt (từ 80 %)', 'Khá (từ 50 %)', 'Không đánh giá']) expect(legend).toContain(band);
    await screenshot(page, 'par-results-map');

    // The dashboard panel "PAR Index by department" of the demo public-services board: the newest published cycle's departments, as its ranking orders them, with their bands.
    const leader = await apiSignIn(server, 'demo.leader');
    const published = (await (await leader.call(`api/par/cycles/${shown}/results?kind=department`)).json()) as { results: { code: string; rank: number; index: number; band: { name: string } | null }[] };
    const byUnit = new Map(published.results.map((r) => [r.code, r]));
    expect(byUnit.size).toBeGreaterThan(3);
    await page.goto(`${server.url}d/demo-dich-vu-cong`);
    const panel = page.getByTestId('panel-chi-so-cchc');
    await panel.locator('[data-testid="par-panel-list"]').waitFor();
    expect(await panel.locator('h2').textContent()).toBe('Chỉ số CCHC các sở, ngành');
    const panelRows = await panel.locator('.par-panel-row').evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-unit'), li.querySelector('.par-panel-band')?.textContent]));
    // The board's panel shows the first of them (its limit): none left out ranks above one shown.
    expect(panelRows.length).toBeGreaterThan(3);
    const left = [...byUnit.values()].filter((r) => !panelRows.some(([unit]) => unit === r.code));
    const lowestShown = Math.max(...panelRows.map(([unit]) => byUnit.get(unit ?? '')?.rank ?? Infinity));
    expect(left.filter((r) => r.rank < lowestShown)).toEqual([]);
    expect(panelRows.map(([unit, band]) => band === (byUnit.get(unit ?? '')?.band?.name ?? 'Dưới mức thấp nhất'))).not.toContain(false);
    const ranks = panelRows.map(([unit]) => byUnit.get(unit ?? '')?.rank ?? 0);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    await screenshot(page, 'par-results-panel');

    // On a phone: the table scrolls within itself, never the page.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}par`);
    await page.locator('[data-testid="par-results-table"] tr[data-unit="VL-SYT"]').waitFor();
    await noSidewaysScroll(page);
    const box = await page.locator('.par-table-scroll').evaluate((el) => ({ scroll: el.scrollWidth, width: el.clientWidth }));
    expect(box.scroll).toBeGreaterThan(box.width);
    await screenshot(page, 'par-results-phone');
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
