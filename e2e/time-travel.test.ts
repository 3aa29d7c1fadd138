import { describe, expect, it } from 'vitest';
import { browserMissing, browserSession, mapLoaded, screenshot } from './support';

describe.skipIf(browserMissing)('time travel across the 1 July 2025 reform', () => {
  const session = browserSession();

  it('shows Trà Vinh with its 9 districts on the map in 2020', async () => {
    const { server, page } = session();
    await page.goto(server.url);
    await page.locator('[data-testid="place-screen"][data-place="86"]').waitFor();
    await page.locator('.date-control input[type="date"]').fill('2020-06-30');
    await page.waitForURL(/at=2020-06-30/);
    await page.locator('[data-testid="place-screen"][data-place="84"]').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Tỉnh Trà Vinh');
    expect(new URL(page.url()).searchParams.get('period')).toBe('2020-05');
    expect(await page.locator('.banner-past').textContent()).toContain('30/06/2020');
    await mapLoaded(page);
    const rows = page.locator('[data-testid="children-table"] tbody tr');
    expect(await rows.count()).toBe(9);
    expect(await rows.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Thành phố Trà Vinh')]));
    expect(await page.locator('#children-title').textContent()).toContain('Các huyện');
    await screenshot(page, 'tra-vinh-2020');
  });

  it('shows figures of Trà Vinh just before the merger, and the same months regrouped onto the new Vĩnh Long after it', async () => {
    const { page } = session();
    await page.getByRole('button', { name: 'Trước sáp nhập' }).click();
    await page.waitForURL(/at=2025-06-30/);
    await page.getByTestId('tile-PS_ON_TIME_RATE').locator('.tile-value', { hasNotText: 'Không có số liệu' }).waitFor();
    await page.getByRole('button', { name: 'Hôm nay' }).click();
    await page.locator('[data-testid="place-screen"][data-place="86"]').waitFor();
    // Keep May 2025 while viewing today's map: figures of the former provinces, regrouped.
    await page.locator('.period-picker select').selectOption('2025-05');
    await page.locator('.banner-regrouped').waitFor();
    expect(await page.getByTestId('tile-PS_ON_TIME_RATE').locator('.badge-regrouped').count()).toBe(1);
  });

  it('follows a ward back to the district of its former wards, whose communes are listed but not drawn', async () => {
    const { server, page } = session();
    await page.goto(`${server.url}p/29242`);
    await page.locator('[data-testid="place-screen"][data-place="29242"]').waitFor();
    await page.locator('.date-control input[type="date"]').fill('2020-06-30');
    await page.waitForURL(/\/p\/842\?.*at=2020-06-30/);
    await page.locator('[data-testid="place-screen"][data-place="842"]').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Thành phố Trà Vinh');
    await page.locator('.note', { hasText: 'không được cấp phép mở' }).waitFor();
    expect(await page.getByTestId('choropleth-map').count()).toBe(0);
    expect(await page.locator('[data-testid="children-table"]').textContent()).toContain('Phường 3');
    await screenshot(page, 'tra-vinh-city-2020');
  });

  it("says on the district's page that the district level ended on 1 July 2025, and names the wards its communes went into", async () => {
    const { page } = session();
    const lineage = page.getByTestId('lineage-abolished');
    await lineage.waitFor();
    expect(await lineage.locator('h3').textContent()).toBe('Cấp huyện kết thúc hoạt động từ ngày 01/07/2025');
    // From the merger resolution of Vĩnh Long (1687/NQ-UBTVQH15): the eight communes of Thành phố Trà Vinh went into four wards.
    expect(await lineage.getByTestId('successors').getByRole('link').allTextContents()).toEqual(['Phường Trà Vinh', 'Phường Nguyệt Hoá', 'Phường Long Đức', 'Phường Hoà Thuận']);
    expect(await lineage.textContent()).toContain('từ Phường 1, Phường 3, Phường 9');
  });

  it('offers, for today, the wards the district went into rather than the province, and opens the one chosen', async () => {
    const { page } = session();
    await page.getByRole('button', { name: 'Hôm nay' }).click();
    const choice = page.getByTestId('travel-choice');
    await choice.waitFor();
    expect(await choice.locator('h2').textContent()).toMatch(/^Thành phố Trà Vinh không còn tồn tại vào ngày/);
    expect(await choice.getByRole('link').allTextContents()).toEqual(['Phường Trà Vinh', 'Phường Nguyệt Hoá', 'Phường Long Đức', 'Phường Hoà Thuận']);
    // Nothing moved while the reader chooses.
    expect(page.url()).toMatch(/\/p\/842\?.*at=2020-06-30/);
    await screenshot(page, 'tra-vinh-city-successors');
    await choice.getByRole('link', { name: 'Phường Long Đức' }).click();
    await page.locator('[data-testid="place-screen"][data-place="29263"]').waitFor();
    expect(new URL(page.url()).searchParams.get('at')).toBeNull();
    expect(await page.locator('h1').textContent()).toBe('Phường Long Đức');
    expect(await page.getByTestId('travel-choice').count()).toBe(0);
  });

  it('marks 1 July 2025 on a series chart that crosses it, on the first month of the new map, and names it and the regrouped points in the legend', async () => {
    const { server, page } = session();
    // The new Vĩnh Long, December 2025: 24 months from January 2024, regrouped from the three former provinces until June 2025.
    await page.goto(`${server.url}p/86/i/PS_ON_TIME_RATE?period=2025-12`);
    const chart = page.locator('[data-testid="series-chart"][data-merger="2025-07"]');
    await chart.locator('svg').waitFor();
    const texts = chart.locator('svg text');
    await texts.filter({ hasText: 'Sáp nhập 1/7/2025' }).first().waitFor();
    const all = await texts.allTextContents();
    // The legend names the marker and the regrouped points; the line carries the same label.
    expect(all).toEqual(expect.arrayContaining(['Thực hiện', 'Tổng hợp lại']));
    expect(all.filter((x) => x === 'Sáp nhập 1/7/2025')).toHaveLength(2);
    // The line stands on July 2025: where the axis puts that month, from two month labels it shows (it labels every few months, as the width allows).
    const centre = (box: { x: number; width: number } | null) => (box ? box.x + box.width / 2 : NaN);
    const monthOf = (label: string) => {
      const m = /^Tháng (\d{1,2})\/(\d{4})$/.exec(label);
      return m ? Number(m[2]) * 12 + Number(m[1]) - 1 : null;
    };
    const labels = all.filter((t) => monthOf(t) !== null);
    expect(labels.length).toBeGreaterThanOrEqual(2);
    const [first, last] = [labels[0]!, labels.at(-1)!];
    const x0 = centre(await texts.filter({ hasText: new RegExp(`^${first}$`) }).boundingBox());
    const x1 = centre(await texts.filter({ hasText: new RegExp(`^${last}$`) }).boundingBox());
    const monthWidth = (x1 - x0) / (monthOf(last)! - monthOf(first)!);
    const july = x0 + (monthOf('Tháng 7/2025')! - monthOf(first)!) * monthWidth;
    const marker = centre(await texts.filter({ hasText: 'Sáp nhập 1/7/2025' }).last().boundingBox());
    expect(Math.abs(marker - july)).toBeLessThan(monthWidth / 2);
    expect(await page.getByTestId('chart-merger').textContent()).toContain('không còn cấp huyện');
    expect(await page.getByTestId('chart-regrouped').textContent()).toContain('Tổng hợp lại');
    await screenshot(page, 'series-merger-marker');
    // A series wholly before the merger (2022–2023) carries none.
    await page.goto(`${server.url}p/86/i/PS_ON_TIME_RATE?period=2023-12`);
    await page.locator('[data-testid="series-chart"] svg text').filter({ hasText: 'Thực hiện' }).waitFor();
    expect(await page.locator('[data-testid="series-chart"]').getAttribute('data-merger')).toBeNull();
    expect(await page.getByTestId('chart-merger').count()).toBe(0);
  });

  it('loads nothing from another origin, and raises no script error', () => {
    const { foreign, errors } = session();
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  });
});
