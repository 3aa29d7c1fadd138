import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { browserMissing, browserSession, mapLoaded, nextFrames, signInAs } from './support';

/**
 * The text of an inline script the test inserts on purpose, which the policy
 * refuses: its report, arriving after those of everything the screen did
 * before, marks the point from which no earlier violation can still come
 * (Chrome names a refused inline script by its hash in the console).
 */
const MARKER_SOURCE = '/* csp marker */';
const MARKER_HASH = `sha256-${createHash('sha256').update(MARKER_SOURCE).digest('base64')}`;

/**
 * The app under its Content-Security-Policy: every screen that draws a map,
 * a chart or a list loads with no violation reported by the browser.
 */
describe.skipIf(browserMissing)('the web app under its Content-Security-Policy', () => {
  const session = browserSession();

  it('draws the overview map, an indicator chart, the sign-in screen, the desk and the API docs with no violation', async () => {
    const { server, page } = session();
    const violations: string[] = [];
    const markers: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text()) && !/unsafe-eval/.test(m.text()) && !m.text().includes(MARKER_HASH)) violations.push(`${page.url()}: ${m.text()}`);
    });
    await page.exposeFunction('reportCspViolation', (v: string) => violations.push(v));
    await page.exposeFunction('reportCspMarker', (v: string) => markers.push(v));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        const w = window as unknown as { reportCspViolation(v: string): void; reportCspMarker(v: string): void };
        const marker = e.target instanceof Element ? e.target.getAttribute('data-csp-marker') : null;
        if (marker) w.reportCspMarker(marker);
        else w.reportCspViolation(`${e.documentURI}: ${e.violatedDirective} blocked ${e.blockedURI}`);
      });
    });
    /** Waits until every violation the screen caused so far has been reported: the page paints, then refuses a marker script, whose report comes after theirs. */
    const settled = async (marker: string) => {
      await nextFrames(page);
      await page.evaluate(
        ([m, source]) => {
          const s = document.createElement('script');
          s.setAttribute('data-csp-marker', m);
          s.textContent = source;
          document.head.append(s);
        },
        [marker, MARKER_SOURCE] as const,
      );
      await expect.poll(() => markers.includes(marker), { timeout: 15_000 }).toBe(true);
    };

    const response = await page.goto(server.url);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('[data-testid="place-screen"][data-place="86"]').waitFor();
    await mapLoaded(page);
    await settled('overview');

    await page.goto(`${server.url}p/86/i/PS_ON_TIME_RATE`);
    await page.locator('[data-testid="series-chart"] svg').waitFor();
    await settled('chart');

    // The desks are for signed-in users: signing in (its form) and the desk, as the operator.
    await signInAs(session(), 'demo.operator');
    await page.goto(`${server.url}desk/data`);
    await page.locator('[data-testid="source-table"]').waitFor();
    await page.locator('main').waitFor();
    await settled('desk');

    await page.goto(`${server.url}api/docs`);
    await page.locator('.swagger-ui .info').waitFor({ timeout: 20_000 });

    // zod probes whether it may compile validators with Function('') and, refused, validates without: the one report allowed.
    expect(violations.filter((v) => !v.endsWith('script-src blocked eval'))).toEqual([]);
    // Five screens and a sign-in, each drawn in full: the browser project's timeout (vitest.config.ts) allows for a loaded machine.
  });
});
