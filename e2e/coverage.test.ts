import { describe, expect, it } from 'vitest';
import type { OverviewResponse } from '@watchfloor/core';
import { browserMissing, browserSession, screenshot } from './support';

/**
 * An incomplete total on screen. The demo's citizen reports are late from
 * some of Vĩnh Long's 124 wards for the last month: the province's sum of
 * the others is incomplete, so its tile says how many reported, has no
 * status colour and no comparison with the same month last year.
 */
describe.skipIf(browserMissing)('an incomplete total in a browser', () => {
  const session = browserSession();

  it('shows the sum of the wards that reported as incomplete, uncoloured and without a year-on-year comparison', async () => {
    const { server, page } = session();
    const answer = await fetch(`${server.url}api/overview?place=86`);
    expect(answer.status).toBe(200);
    const overview = (await answer.json()) as OverviewResponse;
    const received = overview.indicators.find((i) => i.code === 'CR_RECEIVED')!;
    // Some wards are late, all 124 should have sent: the sum is incomplete, and last year's figure is there but not compared.
    expect(received.complete).toBe(false);
    expect(received.coverage).toMatchObject({ level: 'commune', expected: 124, direct: false });
    expect(received.coverage!.reported).toBeLessThan(124);
    expect(received.samePeriodLastYear?.value).not.toBeNull();
    expect(received.samePeriodLastYear?.growth).toBeNull();

    await page.goto(`${server.url}p/86?period=${overview.period.key}`);
    const tile = page.getByTestId('tile-CR_RECEIVED');
    await tile.waitFor();
    expect(await tile.locator('[data-mark="incomplete"]').textContent()).toBe(`Chưa đủ: ${received.coverage!.reported}/124 xã`);
    expect(await tile.getAttribute('class')).toContain('status-unrated');
    expect(await tile.locator('.growth').count()).toBe(0);
    await screenshot(page, 'overview-incomplete');
  });
});
