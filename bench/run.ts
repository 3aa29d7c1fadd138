import { benchAlerts } from './alerts';
import { benchExports } from './exports';
import { benchFiles } from './files';
import { benchGeography } from './geography';
import { benchIndicators } from './indicators';
import { benchIngest } from './ingest';
import { benchMqtt } from './mqtt';
import { benchStartup } from './startup';
import { benchUpload } from './upload';
import { benchWeb } from './web';
import { pgAvailable, type BenchResult } from './util';

/**
 * `npm run bench [-- name ...]`: runs the named benchmarks (all by default)
 * and prints each figure with its ratio to the baseline measured in the same
 * run (`× baseline`), to a floor (`× floor`: a part of the work no faster
 * way could skip) or to a goal (`× goal`, a target, never a measurement).
 * Every bench checks that its answer is not empty and equals its baseline's
 * before its figures are printed, and fails otherwise. PostgreSQL figures use WATCHFLOOR_BENCH_PG_URL (default: the local
 * server) and are skipped, with a note, when it does not answer (a failure
 * when WATCHFLOOR_BENCH_REQUIRE_PG=true, as in CI).
 */
const BENCHES: Record<string, (pgUrl: string | null) => Promise<BenchResult[]>> = {
  geography: (pgUrl) => benchGeography(pgUrl),
  startup: (pgUrl) => benchStartup(pgUrl),
  indicators: (pgUrl) => benchIndicators(pgUrl),
  ingest: (pgUrl) => benchIngest(pgUrl),
  mqtt: (pgUrl) => benchMqtt(pgUrl),
  alerts: (pgUrl) => benchAlerts(pgUrl),
  upload: (pgUrl) => benchUpload(pgUrl),
  files: (pgUrl) => benchFiles(pgUrl),
  exports: (pgUrl) => benchExports(pgUrl),
  web: () => benchWeb(),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in BENCHES));
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
const url = process.env.WATCHFLOOR_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const pgUrl = (await pgAvailable(url)) ? url : null;
if (!pgUrl) {
  // CI provides the server: there a bench without PostgreSQL is a failure, not a skip.
  if (process.env.WATCHFLOOR_BENCH_REQUIRE_PG === 'true') {
    console.error(`PostgreSQL not reachable at ${url}, and WATCHFLOOR_BENCH_REQUIRE_PG is set.`);
    process.exit(1);
  }
  console.log(`PostgreSQL not reachable at ${url}: its figures are skipped.`);
}

for (const name of wanted.length ? wanted : Object.keys(BENCHES)) {
  console.log(`\n## ${name}`);
  const started = performance.now();
  const results = await BENCHES[name]!(pgUrl);
  // How long the bench itself took, so that its share of a CI run is visible.
  console.log(`(${name}: ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  for (const r of results) {
    const value = r.unit === 'MiB' || r.value >= 100 ? r.value.toFixed(0) : r.value.toFixed(1);
    const times = (x: number) => `×${x < 0.1 ? x.toPrecision(2) : x.toFixed(2)}`;
    const ratio = r.ratio === undefined ? '' : ` ${times(r.ratio)} ${r.against ?? 'baseline'}`;
    const goal = r.goal === undefined ? '' : ` ${times(r.goal)} goal`;
    console.log(`${r.name.padEnd(64)} ${value.padStart(8)} ${r.unit.padEnd(6)}${ratio}${goal}`);
  }
}
