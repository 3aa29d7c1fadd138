import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { mapPlaceCollection, simplifyPlaceCollection, type PlaceDetail, type PlaceFeatureCollection } from '@watchfloor/core';
import { ensureWebBuilt } from '../scripts/build-web';
import { syntheticNationalPartition, vertexCount } from './synthetic-partition';
import { benchScale, median, percentile, repetitions, type BenchResult } from './util';

/**
 * The leaders' screens as a browser meets them, against goals (printed as
 * `× goal`: targets, not measurements) rather than a faster twin, which
 * none of these figures has:
 *  - the first load's JavaScript (the entry chunk and what index.html
 *    preloads), gzipped, against 400 KiB; the lazy chunks (the map's
 *    maplibre, the charts' echarts, the desks) are listed apart;
 *  - the time until the overview's tiles show figures, in headless
 *    Chromium on localhost, cold (a fresh browser context, empty cache) and
 *    warm (the same context again), against 1.5 s, and against a floor
 *    measured in the same run: the same browser loading a static answer of
 *    the same server (/healthz), which any page of it costs;
 *  - the first draw of the largest maps the shipped boundaries allow: the
 *    34 provinces of the country and the 124 wards and communes of Vĩnh
 *    Long (commune boundaries ship for the served province only), from
 *    navigation to maplibre's first `idle` with the layers on, against 1 s;
 *  - the same first draw at the scale of the national map of communes
 *    (3,321 units), which cannot be drawn for real (their boundaries are not
 *    openly licensed): a SYNTHETIC partition of as many generated cells
 *    (bench/synthetic-partition.ts), answered to the country's screen by
 *    page.route in place of its provinces; a control line serves the real
 *    provinces through the same route, and the page's own timing of the
 *    routed answer is given, so the route's share can be told apart.
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
    { name: `bundle: first load, ${eager.size} eager JS files gzipped (goal ≤ ${BUNDLE_GOAL_KIB} KiB)`, value: firstLoad, unit: 'KiB', goal: firstLoad / BUNDLE_GOAL_KIB },
    { name: 'bundle: first load, its stylesheet gzipped', value: css, unit: 'KiB' },
    ...lazy,
  ];
}

interface Served {
  url: string;
  /** The demo leader's sign-in, from the demo-accounts.json the server writes in its data directory. */
  leader: Account;
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
  const accounts = JSON.parse(await readFile(join(dataDir, 'demo-accounts.json'), 'utf8')) as { accounts: { login: string; password: string }[] };
  const leader = accounts.accounts.find((a) => a.login === 'demo.leader');
  if (!leader) throw new Error('the demo data set holds no demo.leader account');
  return {
    url,
    leader: { origin: url, login: leader.login, password: leader.password },
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

/** Who signs in: a demo account of the server. */
interface Account {
  origin: string;
  login: string;
  password: string;
}

/** Records, inside every page of the context, when each selector first matches: performance.now() from the navigation's start. */
async function newTimedContext(browser: Browser, who: Account, ...selectors: string[]): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  // Signed in as the province's leader, whose screens these are: the session cookie is the context's, set before anything is timed.
  const signedIn = await context.request.post(`${who.origin}api/auth/sign-in`, { data: { login: who.login, password: who.password } });
  if (signedIn.status() !== 200) throw new Error(`${who.login} could not sign in: ${signedIn.status()} ${await signedIn.text()}`);
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

/** The floor: the same browser loading a static answer of the same server, to its load event. */
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

async function served(url: string): Promise<{ body: Buffer; collection: PlaceFeatureCollection }> {
  const body = Buffer.from(await (await fetch(url)).arrayBuffer());
  return { body, collection: JSON.parse(body.toString('utf8')) as PlaceFeatureCollection };
}

const GEOMETRY_PATH = /^\/api\/places\/([^/]+)\/children\/geometry$/;
const DETAIL_PATH = /^\/api\/places\/([^/]+)$/;

/** What a routed children-geometry request asked for and was sent. */
interface Sent {
  tolerance: number | undefined;
  /** The `properties` asked for: 'map' for the map's shape (each unit only its code), else undefined (every property). */
  properties: string | undefined;
  bytes: number;
  vertices: number;
}

/**
 * A routed answer: the same bytes whatever the request, or, like the server,
 * the collection simplified with core's simplifyPlaceCollection when the
 * request carries `tolerance` (each level simplified once and kept, as a
 * server would cache it; the first simplification's time is recorded), in
 * the map's shape (core's mapPlaceCollection) when it carries `properties=map`.
 */
type Routed = Buffer | ((tolerance: number | undefined, properties: string | undefined) => { body: Buffer; vertices: number });

/**
 * The first draw of `place`'s screen with its children-geometry answer
 * replaced by `body` (page.route, set on a fresh context: cold), and the
 * page's own timing of that answer (request start to its last byte).
 */
async function timeRoutedMap(
  browser: Browser,
  who: Account,
  url: string,
  place: string,
  body: Routed,
  children?: PlaceDetail['children'],
): Promise<{ drawn: number; layered: number; answer: number; sent: Sent[] }> {
  const context = await newTimedContext(browser, who, MAP_DRAWN, MAP_LAYERED);
  let answered = 0;
  const sent: Sent[] = [];
  await context.route(
    (u) => GEOMETRY_PATH.exec(u.pathname)?.[1] === place,
    async (route) => {
      answered++;
      const search = new URL(route.request().url()).searchParams;
      const raw = search.get('tolerance');
      const tolerance = raw === null ? undefined : Number(raw);
      const properties = search.get('properties') ?? undefined;
      const answer = Buffer.isBuffer(body) ? { body, vertices: NaN } : body(tolerance, properties);
      sent.push({ tolerance, properties, bytes: answer.body.length, vertices: answer.vertices });
      await route.fulfill({ status: 200, contentType: 'application/geo+json', body: answer.body });
    },
  );
  // The place's own answer, told the units of the routed map are its children: the screen decides its map's level of detail by them.
  if (children)
    await context.route(
      (u) => DETAIL_PATH.exec(u.pathname)?.[1] === place,
      async (route) => {
        const response = await route.fetch();
        const detail = (await response.json()) as PlaceDetail;
        await route.fulfill({ response, json: { ...detail, children } });
      },
    );
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'commit' });
    await page.locator(MAP_DRAWN).first().waitFor({ state: 'attached', timeout: 60_000 });
    if (answered !== 1) throw new Error(`the children geometry of ${place} was answered ${answered} times by the route, not once`);
    const { seen, answer } = await page.evaluate(() => {
      const entry = performance.getEntriesByType('resource').find((e) => /\/children\/geometry/.test(e.name)) as PerformanceResourceTiming | undefined;
      return {
        seen: (window as unknown as { __seenAt?: Record<string, number> }).__seenAt ?? {},
        answer: entry ? entry.responseEnd - entry.startTime : null,
      };
    });
    const drawn = seen[MAP_DRAWN];
    const layered = seen[MAP_LAYERED];
    if (drawn === undefined || layered === undefined || answer === null) throw new Error(`the routed map of ${place} was not seen drawn (or its answer not timed) on ${url}`);
    return { drawn, layered, answer, sent };
  } finally {
    await page.close();
    await context.close();
  }
}

/** Runs the web benchmark: 10 runs of each figure, 1 on a tiny run (WATCHFLOOR_BENCH_SCALE < 0.01, as CI runs it). */
export async function benchWeb(runs = repetitions(10, 1)): Promise<BenchResult[]> {
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
    const floor = median(base);

    const cold: number[] = [];
    for (let i = 0; i < runs; i++) {
      const context = await newTimedContext(browser, server.leader, TILE_VALUE);
      cold.push(...(await timeTo(context, server.url, TILE_VALUE)));
      await context.close();
    }
    const warmContext = await newTimedContext(browser, server.leader, TILE_VALUE);
    await timeTo(warmContext, server.url, TILE_VALUE);
    const warm: number[] = [];
    for (let i = 0; i < runs; i++) warm.push(...(await timeTo(warmContext, server.url, TILE_VALUE)));
    await warmContext.close();

    const maps: [label: string, place: string][] = [
      ['the country, its provinces', 'VN'],
      ['Vĩnh Long, its wards and communes', '86'],
    ];
    const mapFigures: BenchResult[] = [];
    const answers = new Map<string, Awaited<ReturnType<typeof served>>>();
    for (const [label, place] of maps) {
      const answer = await served(`${server.url}api/places/${place}/children/geometry`);
      answers.set(place, answer);
      const units = answer.collection.features.length;
      if (units === 0) throw new Error(`the map of ${place} has no units to draw`);
      const times: number[] = [];
      const layered: number[] = [];
      for (let i = 0; i < runs; i++) {
        const context = await newTimedContext(browser, server.leader, MAP_DRAWN, MAP_LAYERED);
        const [drawn, added] = await timeTo(context, `${server.url}p/${place}`, MAP_DRAWN, MAP_LAYERED);
        times.push(drawn!);
        layered.push(added!);
        await context.close();
      }
      mapFigures.push(
        { name: `map: ${label}, style loaded and layers added (before the draw), cold, p50`, value: median(layered), unit: 'ms', goal: median(layered) / MAP_GOAL_MS },
        { name: `map: first draw of ${label} (${units} units), cold, p50`, value: median(times), unit: 'ms', goal: median(times) / MAP_GOAL_MS },
        { name: `map: first draw of ${label} (${units} units), cold, p95`, value: percentile(times, 95), unit: 'ms', goal: percentile(times, 95) / MAP_GOAL_MS },
      );
    }

    // The stand-in for the national map of communes (synthetic cells, not real units), and its control.
    const synthetic = syntheticNationalPartition(join(ROOT, 'data'));
    const syntheticBody = Buffer.from(JSON.stringify(synthetic.collection));
    const syntheticUnits = synthetic.collection.features.length;
    const wards = answers.get('86')!.collection.features;
    // Level of detail: the server's answer to a request with `tolerance` (and `properties=map`: the map's shape), made by the same core functions, each once.
    const levels = new Map<string, { body: Buffer; vertices: number; ms: number }>();
    const syntheticAtLevel = (tolerance: number | undefined, properties: string | undefined) => {
      const key = `${tolerance}|${properties}`;
      let level = levels.get(key);
      if (!level) {
        const started = performance.now();
        const detailed = tolerance === undefined ? synthetic.collection : simplifyPlaceCollection(synthetic.collection, tolerance);
        const collection = properties === 'map' ? mapPlaceCollection(detailed) : detailed;
        const body = Buffer.from(JSON.stringify(collection));
        level = { body, vertices: vertexCount(collection.features), ms: performance.now() - started };
        levels.set(key, level);
      }
      return level;
    };
    const syntheticChildren = synthetic.collection.features.map(({ properties: { areaKm2: _, ...summary } }) => summary);
    const routed: [label: string, short: string, body: Routed, children?: PlaceDetail['children']][] = [
      [`the country's ${answers.get('VN')!.collection.features.length} provinces through the same route (control)`, 'the control', answers.get('VN')!.body],
      [`a synthetic national partition (${syntheticUnits.toLocaleString('en')} units, stand-in for the communes: their boundaries are not openly licensed)`, 'the synthetic partition', syntheticBody],
      [
        `the synthetic national partition at the map's level of detail (the country told it has these ${syntheticUnits.toLocaleString('en')} units, so it asks for a tolerance)`,
        'the synthetic partition at its level of detail',
        syntheticAtLevel,
        syntheticChildren,
      ],
    ];
    // A tiny run (as CI runs it) leaves out the full-detail synthetic map, the longest draw, which no screen asks for.
    for (const [label, short, body, children] of routed.filter(([, short]) => benchScale() >= 0.01 || short !== 'the synthetic partition')) {
      const drawn: number[] = [];
      const layered: number[] = [];
      const answer: number[] = [];
      const sent: Sent[] = [];
      // A level-of-detail answer is simplified on its first request: one unrecorded run first, so the runs time a kept answer.
      if (!Buffer.isBuffer(body)) await timeRoutedMap(browser, server.leader, `${server.url}p/VN`, 'VN', body, children);
      for (let i = 0; i < runs; i++) {
        const t = await timeRoutedMap(browser, server.leader, `${server.url}p/VN`, 'VN', body, children);
        drawn.push(t.drawn);
        layered.push(t.layered);
        answer.push(t.answer);
        sent.push(...t.sent);
      }
      const asked = [...new Set(sent.map((x) => `${x.tolerance === undefined ? 'none (the stored shapes)' : `${x.tolerance}°`}${x.properties ? ` properties=${x.properties}` : ''}`))];
      console.log(`${short}: the page asked for tolerance ${asked.join(', ')}; sent ${[...new Set(sent.map((x) => `${x.bytes.toLocaleString('en')} B${Number.isNaN(x.vertices) ? '' : `, ${x.vertices.toLocaleString('en')} vertices`}`))].join('; ')}`);
      if (!Buffer.isBuffer(body))
        for (const key of new Set(sent.map((y) => `${y.tolerance}|${y.properties}`))) {
          const y = sent.find((z) => `${z.tolerance}|${z.properties}` === key)!;
          const x = y.tolerance;
          const level = syntheticAtLevel(x, y.properties);
          mapFigures.push(
            { name: `map: ${short}, tolerance asked by the page (${x ?? 0}°), in thousandths of a degree`, value: (x ?? 0) * 1000, unit: 'm°' },
            { name: `map: ${short}, payload sent`, value: y.bytes, unit: 'B' },
            { name: `map: ${short}, payload sent gzipped`, value: gzipSync(level.body).length, unit: 'B' },
            { name: `map: ${short}, vertices sent`, value: level.vertices, unit: '' },
            { name: `map: ${short}, vertices per unit sent`, value: level.vertices / syntheticUnits, unit: '' },
            { name: `map: ${short}, simplifying and serialising once (core simplifyPlaceCollection, outside the draw once kept)`, value: level.ms, unit: 'ms' },
          );
        }
      mapFigures.push(
        { name: `map: ${short}, style loaded and layers added (before the draw), cold, p50`, value: median(layered), unit: 'ms', goal: median(layered) / MAP_GOAL_MS },
        { name: `map: first draw of ${label}, cold, p50`, value: median(drawn), unit: 'ms', goal: median(drawn) / MAP_GOAL_MS },
        { name: `map: first draw of ${label}, cold, p95`, value: percentile(drawn, 95), unit: 'ms', goal: percentile(drawn, 95) / MAP_GOAL_MS },
        { name: `map: routed boundaries answer of ${short}, request start to last byte in the page, p50`, value: median(answer), unit: 'ms' },
      );
    }
    mapFigures.push(
      { name: 'map: synthetic national partition, payload', value: syntheticBody.length, unit: 'B' },
      { name: 'map: synthetic national partition, payload gzipped', value: gzipSync(syntheticBody).length, unit: 'B' },
      { name: 'map: synthetic national partition, vertices', value: synthetic.vertices, unit: '' },
      { name: 'map: synthetic national partition, vertices per unit', value: synthetic.vertices / syntheticUnits, unit: '' },
      { name: `map: Vĩnh Long's real wards as served (${wards.length}), vertices per unit`, value: vertexCount(wards) / wards.length, unit: '' },
    );
    console.log(
      `Note: the national map of communes (3,321 since 1 July 2025) cannot be drawn for real: commune boundaries ship for Vĩnh Long only, as no open licence covers the others. The "synthetic national partition" lines stand for it: ${syntheticUnits.toLocaleString('en')} generated cells, NOT real communes (seeded points inside the 34 provinces, as many per province as its real communes, their Voronoi cells clipped to the country's box, edges densified to the vertices per unit of Vĩnh Long's shipped wards, 5 decimals), shaped as the children-geometry answer and given to the country's screen (/p/VN) by page.route in place of its provinces; the app is unchanged, the cells have no figures (grey "no data").`,
    );

    results.push(
      { name: 'overview: static answer of the same server, /healthz (floor)', value: floor, unit: 'ms' },
      { name: `overview: first tile with a figure, cold cache, p50 (goal ≤ ${OVERVIEW_GOAL_MS} ms)`, value: median(cold), unit: 'ms', ratio: median(cold) / floor, against: 'floor', goal: median(cold) / OVERVIEW_GOAL_MS },
      { name: 'overview: first tile with a figure, cold cache, p95', value: percentile(cold, 95), unit: 'ms', ratio: percentile(cold, 95) / floor, against: 'floor', goal: percentile(cold, 95) / OVERVIEW_GOAL_MS },
      { name: 'overview: first tile with a figure, warm cache, p50', value: median(warm), unit: 'ms', ratio: median(warm) / floor, against: 'floor', goal: median(warm) / OVERVIEW_GOAL_MS },
      { name: 'overview: first tile with a figure, warm cache, p95', value: percentile(warm, 95), unit: 'ms', ratio: percentile(warm, 95) / floor, against: 'floor', goal: percentile(warm, 95) / OVERVIEW_GOAL_MS },
      ...mapFigures,
    );
  } finally {
    await browser.close();
    await server.stop();
  }
  return results;
}
