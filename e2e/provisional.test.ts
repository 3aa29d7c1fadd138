import { describe, expect, it } from 'vitest';
import type { SeriesResponse } from '@watchfloor/core';
import { browserMissing, browserSession, screenshot } from './support';

/**
 * Provisional (sơ bộ) figures on screen. The demo's budget revenue
 * (BUD_REVENUE, published) sends its last month as an estimate and the month
 * before as provisional: on that month the province's figure rests on
 * provisional values, the month after does not.
 */
describe.skipIf(browserMissing)('provisional figures in a browser', () => {
  const session = browserSession();

  it('marks the provisional month of budget revenue on its tile, in the series table and under the chart, and not the month after', async () => {
    const { server, page } = session();
    const year = new Date().getUTCFullYear();
    const answer = await fetch(`${server.url}api/indicators/BUD_REVENUE/series?place=86&from=${year - 1}-01&to=${year}-12`);
    expect(answer.status).toBe(200);
    const points = (await answer.json()) as SeriesResponse;
    const withData = points.points.filter((p) => p.value !== null);
    // The demo's rule: the last month sent is an estimate, the one before it provisional, the rest final.
    const provisional = withData.filter((p) => p.provisional).map((p) => p.period);
    expect(provisional).toEqual([withData[withData.length - 2]!.period]);
    const month = provisional[0]!;
    const after = withData[withData.length - 1]!.period;

    await page.goto(`${server.url}p/86?period=${month}`);
    const tile = page.getByTestId('tile-BUD_REVENUE');
    await tile.waitFor();
    expect(await tile.locator('[data-mark="provisional"]').textContent()).toBe('Sơ bộ');
    expect(await tile.locator('[data-mark="provisional"]').getAttribute('title')).toContain('chưa chính thức');

    await page.goto(`${server.url}p/86?period=${after}`);
    await page.getByTestId('tile-BUD_REVENUE').waitFor();
    await page.locator(`[data-testid="place-screen"]`).waitFor();
    expect(await page.getByTestId('tile-BUD_REVENUE').locator('[data-mark="provisional"]').count()).toBe(0);

    await page.goto(`${server.url}p/86/i/BUD_REVENUE?period=${month}`);
    await page.getByTestId('series-chart').waitFor();
    expect(await page.getByTestId('chart-provisional').textContent()).toContain('Điểm rỗng: số liệu sơ bộ');
    // One row of the series table is marked: the provisional month.
    expect(await page.locator('.series-table tbody [data-mark="provisional"]').count()).toBe(1);
    await screenshot(page, 'indicator-provisional');
  });
});
