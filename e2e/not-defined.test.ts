import { describe, expect, it } from 'vitest';
import type { BreakdownResponse, OverviewResponse } from '@watchfloor/core';
import { browserMissing, browserSession, screenshot } from './support';

/**
 * A score that does not regroup, on screen. Today's Vĩnh Long (86) was
 * formed on 1 July 2025 from Bến Tre (83), Trà Vinh (84) and the old Vĩnh
 * Long (86): it has no PCI of 2016. Its PCI tile says the score is not
 * defined for the unit and gives the three former provinces' own scores,
 * with no colour, no percentage, and nothing saying a figure is missing or
 * late; the national breakdown shows it so too, after the provinces ranked.
 */
type Units = NonNullable<OverviewResponse['indicators'][number]['regrouping']>['units'];

/** "Tỉnh Bến Tre 60,9 điểm", the old unit of the viewed code with its last day: how the tile writes a former unit's own score (one decimal between 10 and 1000). */
function expectedUnits(units: Units, viewed: string): string[] {
  const one = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });
  return units.map((u) => {
    const span = u.code === viewed && u.validTo ? ` (đến ${u.validTo.split('-').reverse().join('/')})` : '';
    return `${u.name}${span} ${one.format(u.value!)} điểm`;
  });
}

describe.skipIf(browserMissing)('a score not defined for a unit that did not exist', () => {
  const session = browserSession();

  it("shows today's Vĩnh Long's PCI of 2016 as not defined, with the three former provinces' own scores, uncoloured", async () => {
    const { server, page, errors } = session();
    const answer = await fetch(`${server.url}api/overview?place=86&period=2016`);
    expect(answer.status).toBe(200);
    const overview = (await answer.json()) as OverviewResponse;
    const pci = overview.indicators.find((i) => i.code === 'PCI')!;
    expect(pci.value).toBeNull();
    expect(pci.status.reason).toBe('not_defined_for_unit');
    expect(pci.regrouping?.by).toBe('none');
    const units = pci.regrouping!.units;
    expect(units.map((u) => u.code).sort()).toEqual(['83', '84', '86']);
    expect(units.every((u) => u.value !== null)).toBe(true);

    await page.goto(`${server.url}p/86?period=2016`);
    const tile = page.getByTestId('tile-PCI');
    await tile.waitFor();
    expect(await tile.locator('[data-mark="not-defined"]').textContent()).toBe('Không xác định cho đơn vị này');
    expect(await tile.locator('.former-unit').allTextContents()).toEqual(expectedUnits(units, '86').map((text, i) => (i > 0 ? ` · ${text}` : text)));
    const text = (await tile.textContent()) ?? '';
    expect(text).not.toContain('%');
    expect(text).not.toContain('Không có số liệu');
    expect(text).not.toContain('Chưa nhận được số liệu');
    expect(text).not.toContain('Trễ hạn');
    expect(await tile.getAttribute('class')).toContain('status-unrated');
    expect(await tile.locator('.status-dot').getAttribute('class')).toContain('status-unrated');
    await screenshot(page, 'not-defined-tile');

    // On a phone, the tile's words wrap within the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await tile.scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const box = (await tile.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await screenshot(page, 'not-defined-tile-phone');
    await page.setViewportSize({ width: 1440, height: 1000 });
    expect(errors).toEqual([]);
  });

  it('lists it in the national breakdown as not defined, after every province that has a score', async () => {
    const { server, page } = session();
    const answer = await fetch(`${server.url}api/indicators/PCI/breakdown?place=VN&period=2016`);
    const breakdown = (await answer.json()) as BreakdownResponse;
    const own = breakdown.items.find((i) => i.key === '86')!;
    expect(own.regrouping?.by).toBe('none');
    const scored = breakdown.items.filter((i) => i.value !== null).length;

    await page.goto(`${server.url}p/VN/i/PCI?period=2016`);
    const table = page.getByTestId('breakdown-place');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    const texts = await rows.allTextContents();
    const index = texts.findIndex((r) => r.startsWith('Tỉnh Vĩnh Long'));
    expect(index).toBeGreaterThanOrEqual(scored);
    const row = rows.nth(index);
    expect(await row.locator('.not-defined-label').textContent()).toBe('Không xác định');
    expect(((await row.locator('.former-units').textContent()) ?? '').split(' · ')).toEqual(expectedUnits(own.regrouping!.units, '86'));
    await row.scrollIntoViewIfNeeded();
    await screenshot(page, 'not-defined-breakdown');
  });
});
