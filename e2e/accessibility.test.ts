import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiSignIn, browserMissing, browserSession, signInAs } from './support';

/**
 * axe-core's browser build, read from node_modules: nothing is fetched from
 * elsewhere. It is evaluated through the browser's DevTools protocol, which
 * the app's Content-Security-Policy (script-src 'self') rightly does not let
 * a page's own inline script do.
 */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeNode {
  target: string[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: AxeNode[];
}

/** The WCAG 2 A/AA violations of impact serious or critical on the page as it stands, one readable line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] });
    return result.violations;
  });
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${(n.failureSummary ?? v.help).replace(/\s+/g, ' ')}`));
}

describe.skipIf(browserMissing)('accessibility of the screens (axe-core, WCAG 2 A and AA)', () => {
  const session = browserSession();

  // Before signing in: what the public sees, and the wall asking to be signed in.
  const anonymous: [name: string, path: string, ready: string[]][] = [
    ['the province overview, nobody signed in', '', ['[data-testid="place-screen"] [data-testid^="tile-"] .tile-value', '[data-testid="live-feed"] [data-testid="sign-in-prompt"]']],
    ['the wall, nobody signed in', 'wall/demo', ['[data-testid="wall-sign-in"]']],
    ['the sign-in screen', 'sign-in', ['[data-testid="sign-in"]']],
  ];
  for (const [name, path, ready] of anonymous) {
    it(`finds no serious or critical violation on ${name}`, async () => {
      const { server, page } = session();
      await page.goto(`${server.url}${path}`);
      for (const selector of ready) await page.locator(selector).first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  // Then as the operator, first on a case, so that the case board lists a case and the data desk the source counting them.
  it('finds no serious or critical violation on a case screen', async () => {
    const { server, page } = session();
    const operator = await apiSignIn(server, 'demo.operator');
    const answer = await operator.call('api/cases', { method: 'POST', body: { category: 'GIAO_THONG', title: 'Ổ gà trên đường Nguyễn Đáng', lat: 9.9063, lon: 106.3419 } });
    expect(answer.status).toBe(201);
    const { id } = (await answer.json()) as { id: string };
    await signInAs(session(), 'demo.operator');
    await page.goto(`${server.url}cases/${id}`);
    await page.getByTestId('case-timeline').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  /** Each screen with what shows it is drawn (its figures, not its loading state). */
  const screens: [name: string, path: string, ready: string[]][] = [
    ['the province overview', '', ['[data-testid="place-screen"] [data-testid^="tile-"] .tile-value', '[data-testid="choropleth-map"][data-drawn]']],
    ['a ward', 'p/29242', ['[data-testid="place-screen"][data-place="29242"] [data-testid^="tile-"] .tile-value', '[data-testid="live-feed"] li[data-kind="case"]']],
    ['an indicator', 'p/29242/i/PS_DOSSIER_RECEIVED', ['[data-testid="revisions-table"]', '[data-testid="series-chart"] svg']],
    ['the case board', 'desk/cases', ['[data-testid="case-table"] tr[data-case]']],
    ['the data desk', 'desk/data', ['[data-testid="source-table"] tbody tr']],
    ['the wall (its own dark theme)', 'wall/demo', ['[data-testid="wall"] .tile-value']],
  ];

  for (const [name, path, ready] of screens) {
    it(`finds no serious or critical violation on ${name}`, async () => {
      const { server, page } = session();
      await page.goto(`${server.url}${path}`);
      for (const selector of ready) await page.locator(selector).first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  it('reaches the period picker and a tile from the top of the overview with Tab, and opens the indicator with Enter', async () => {
    const { server, page } = session();
    await page.goto(server.url);
    await page.locator('[data-testid^="tile-"] a').first().waitFor();
    await page.locator('body').focus();
    let reachedPicker = false;
    let tile: string | null = null;
    for (let i = 0; i < 80 && !tile; i++) {
      await page.keyboard.press('Tab');
      const at = await page.evaluate(() => {
        const el = document.activeElement;
        return {
          inPicker: !!el?.closest('.period-picker'),
          tile: el instanceof HTMLAnchorElement && el.closest('[data-testid^="tile-"]') ? el.getAttribute('href') : null,
        };
      });
      reachedPicker ||= at.inPicker;
      tile = at.tile;
    }
    expect(reachedPicker).toBe(true);
    expect(tile).toMatch(/^\/p\/\d+\/i\/[A-Z_]+/);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === new URL(tile ?? '', server.url).pathname);
    await page.locator('[data-testid="indicator-screen"]').waitFor();
  });

  it('loads nothing from another origin, and raises no script error', () => {
    const { foreign, errors } = session();
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  });
});
