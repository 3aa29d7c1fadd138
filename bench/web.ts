import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { ensureWebBuilt } from '../scripts/build-web';
import { median, percentile, type BenchResult } from './util';

/**
 * The leaders' screens as a browser meets them, against goals rather than
 * a faster twin:
 *  - the first load's JavaScript (the entry chunk and what index.html
 *    preloads), gzipped, against 400 KiB; the lazy chunks (the map's
 *    maplibre, the charts' echarts, the desks) are listed apart;
 *  - the time until the overview's tiles show figures, in headless
 *    Chromium on localhost, cold (a fresh browser context, empty cache) and
 *    warm (the same context again), against 1.5 s; baseline: the same
 *    browser loading a static answer of the same server (/healthz);
 *  - the first draw of the largest maps the shipped boundaries allow: the
 *    34 provinces of the country and the 124 wards and communes of Vĩnh
 *    Long (commune boundaries ship for the served province only), from
 *    navigation to maplibre's first `idle` with the layers on, against 1 s.
 * Times are read inside the page (performance.now(), from navigation
 * start), not across the DevTools protocol.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'packages/web/dist');
const BUNDLE_GOAL_KIB = 400;
const OVERVIEW_GOAL_MS = 1500;
const MAP_GOAL_MS = 1000;
const CHROMIUM = process.env.WATCHFLOOR_CHROMIUM ?? '/usr/bin/chromium';
const TILE_VALUE = '[data-testid^="tile-"] .tile-value:not(.no-data)';
const MAP_DRAWN = '[data-testid="choropleth-map"][data-drawn]';
const MAP_LAYERED = '[data-testid="choropleth-map"][data-loaded]';

const gzKiB = (file: string) => gzipSync(readFileSync(join(DIST, file))).length / 1024;

/** The JavaScript index.html loads at once (its module entry and modulepreloads), and every other chunk of the build. */
function bundleFigures(): BenchResult[] {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const eager = new Set<string>();
  for (const m of html.matchAll(/<script[^>]*type="module"[^>]*src="\/([^"]+)"/g)) eager.add(m[1]!);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/([^"]+)"/g)) eager.add(m[1]!);
  if (eager.size === 0) throw new Error('index.html loads no module: is packages/web/dist a Vite build?');
  const firstLoad = [...eager].reduce((sum, f) => sum + gzKiB(f), 0);
  const lazy = readdirSync(join(DIST, 'assets'))
    .map((f) => `assets/${f}`)
    .filter((f) => /\.m?js$/.test(f) && !eager.has(f))
    .map((f) => {
      const text = readFileSync(join(DIST, f), 'utf8');
      const holds = /maplibre/i.test(text) ? ' (maplibre)' : /echarts/i.test(text) ? ' (echarts)' : '';
      return { name: `bundle: lazy chunk ${f.replace(/^assets\//, '')}${holds}, gzipped`, value: gzKiB(f), unit: 'KiB' };
    })
    .sort((a, b) => b.value - a.value);
  const css = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="\/([^"]+)"/g)].reduce((sum, m) => sum + gzKiB(m[1]!), 0);
  return [
    { name: 'bundle: goal for the first load (baseline)', value: BUNDLE_GOAL_KIB, unit: 'KiB' },
    { name: `bundle: first load, ${eager.size} eager JS files gzipped`, value: firstLoad, unit: 'KiB', ratio: firstLoad / BUNDLE_GOAL_KIB },
    { name: 'bundle: first load, its stylesheet gzipped', value: css, unit: 'KiB' },
    ...lazy,
  ];
}

interface Served {
  url: string;
  stop(): Promise<void>;
}

/** `watchfloor start` on a fresh data directory with the demo data, as the end-to-end tests run it. */
async function startServer(): Promise<Served> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wf-bench-web-'));
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'packages/cli/src/main.ts'), 'start', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...env, WATCHFLOOR_LOG_LEVEL: 'info', WATCHFLOOR_DEMO_DATA: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      log += b.toString();
      const m = /"url":"http:\/\/localhost:(\d+)\/".*"msg":"Watchfloor is serving"/.exec(log);
      if (m) resolve(`http://127.0.0.1:${m[1]}/`);
    });
    child.stderr.on('data', (b: Buffer) => (log += b.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${log.slice(-4000)}`)));
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Records, inside every page of the context, when each selector first matches: performance.now() from the navigation's start. */
async function newTimedContext(browser: Browser, ...selectors: string[]): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  // A string, not a function: tsx would wrap a function's inner names in a helper the page does not have.
  await context.addInitScript(`(() => {
    const wanted = ${JSON.stringify(selectors)};
    const seen = (window.__seenAt = {});
    const observer = new MutationObserver(() => {
      for (const sel of wanted) if (seen[sel] === undefined && document.querySelector(sel)) seen[sel] = performance.now();
      if (wanted.every((sel) => seen[sel] !== undefined)) observer.disconnect();
    });
    observer.observe(document, { childList: true, subtree: true, attributes: true });
  })();`);
  return context;
}

/** Opens `url` in a page of the context and gives the time until `selector` showed (and until each of `also`). */
async function timeTo(context: BrowserContext, url: string, selector: string, ...also: string[]): Promise<number[]> {
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'commit' });
    await page.locator(selector).first().waitFor({ state: 'attached', timeout: 30_000 });
    const seen = await page.evaluate(() => (window as unknown as { __seenAt?: Record<string, number> }).__seenAt ?? {});
    return [selector, ...also].map((sel) => {
      const at = seen[sel];
      if (at === undefined) throw new Error(`${sel} was never seen on ${url}`);
      return at;
    });
  } finally {
    await page.close();
  }
}

/** The baseline: the same browser loading a static answer of the same server, to its load event. */
async function staticLoad(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    return await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd);
  } finally {
    await context.close();
  }
}

async function featureCount(url: string): Promise<number> {
  const answer = (await (await fetch(url)).json()) as { features: unknown[] };
  return answer.features.length;
}

export async function benchWeb(runs = 10): Promise<BenchResult[]> {
  await ensureWebBuilt({ log: (line) => console.log(line) });
  const results = bundleFigures();
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  try {
    const base: number[] = [];
    for (let i = 0; i < runs; i++) base.push(await staticLoad(browser, `${server.url}healthz`));
    const baseline = median(base);

    const cold: number[] = [];
    for (let i = 0; i < runs; i++) {
      const context = await newTimedContext(browser, TILE_VALUE);
      cold.push(...(await timeTo(context, server.url, TILE_VALUE)));
      await context.close();
    }
    const warmContext = await newTimedContext(browser, TILE_VALUE);
    await timeTo(warmContext, server.url, TILE_VALUE);
    const warm: number[] = [];
    for (let i = 0; i < runs; i++) warm.push(...(await timeTo(warmContext, server.url, TILE_VALUE)));
    await warmContext.close();

    const maps: [label: string, place: string][] = [
      ['the country, its provinces', 'VN'],
      ['Vĩnh Long, its wards and communes', '86'],
    ];
    const mapFigures: BenchResult[] = [];
    for (const [label, place] of maps) {
      const units = await featureCount(`${server.url}api/places/${place}/children/geometry`);
      const times: number[] = [];
      const layered: number[] = [];
      for (let i = 0; i < runs; i++) {
        const context = await newTimedContext(browser, MAP_DRAWN, MAP_LAYERED);
        const [drawn, added] = await timeTo(context, `${server.url}p/${place}`, MAP_DRAWN, MAP_LAYERED);
        times.push(drawn!);
        layered.push(added!);
        await context.close();
      }
      mapFigures.push(
        { name: `map: ${label}, style loaded and layers added (before the draw), cold, p50`, value: median(layered), unit: 'ms', ratio: median(layered) / MAP_GOAL_MS },
        { name: `map: first draw of ${label} (${units} units), cold, p50`, value: median(times), unit: 'ms', ratio: median(times) / MAP_GOAL_MS },
        { name: `map: first draw of ${label} (${units} units), cold, p95`, value: percentile(times, 95), unit: 'ms', ratio: percentile(times, 95) / MAP_GOAL_MS },
      );
    }
    console.log(
      'Note: the national map of all communes (3,321 since 1 July 2025) is not drawable with the shipped data: commune boundaries ship for Vĩnh Long only, as no open licence covers the others. The largest maps drawn are measured.',
    );

    results.push(
      { name: 'overview: static answer of the same server, /healthz (baseline)', value: baseline, unit: 'ms' },
      { name: 'overview: goal, first tile with a figure', value: OVERVIEW_GOAL_MS, unit: 'ms' },
      { name: 'overview: first tile with a figure, cold cache, p50', value: median(cold), unit: 'ms', ratio: median(cold) / baseline },
      { name: 'overview: first tile with a figure, cold cache, p95', value: percentile(cold, 95), unit: 'ms', ratio: percentile(cold, 95) / baseline },
      { name: 'overview: first tile with a figure, warm cache, p50', value: median(warm), unit: 'ms', ratio: median(warm) / baseline },
      { name: 'overview: first tile with a figure, warm cache, p95', value: percentile(warm, 95), unit: 'ms', ratio: percentile(warm, 95) / baseline },
      { name: 'overview: cold p95 ÷ goal', value: percentile(cold, 95) / OVERVIEW_GOAL_MS, unit: '×' },
      { name: 'map: goal, first draw (baseline of the map lines)', value: MAP_GOAL_MS, unit: 'ms' },
      ...mapFigures,
    );
  } finally {
    await browser.close();
    await server.stop();
  }
  return results;
}
