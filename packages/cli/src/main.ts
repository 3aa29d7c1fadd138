import { Command, Option } from 'commander';
import { AppError, DataFileError, sourceCreateSchema, systemClock } from '@watchfloor/core';
import { migrateToLatest } from '@watchfloor/db';
import {
  CONFIG_DOC,
  ConfigError,
  LiveHub,
  REFERENCE_DATA_DIR,
  SourcesService,
  VERSION,
  WEB_DIST_DIR,
  buildApp,
  loadConfig,
  loadGeography,
  openConfiguredStore,
  prepareDatabase,
  seedOrganisations,
  statusReport,
  type Config,
  type ConfigOverrides,
} from '@watchfloor/server';

/**
 * The `watchfloor` command: one binary, several roles. Every subcommand
 * parses configuration once (environment, then flags) and fails fast with a
 * readable message and exit code 2 on a bad value.
 */
interface CommonFlags {
  databaseUrl?: string;
  dataDir?: string;
}

function config(flags: CommonFlags & { port?: string; host?: string; demo?: boolean }): Config {
  const overrides: ConfigOverrides = {
    DATABASE_URL: flags.databaseUrl,
    WATCHFLOOR_DATA_DIR: flags.dataDir,
    WATCHFLOOR_PORT: flags.port,
    WATCHFLOOR_HOST: flags.host,
    WATCHFLOOR_DEMO_DATA: flags.demo === false ? 'false' : undefined,
  };
  return loadConfig(process.env, overrides);
}

const dbOptions = (c: Command) =>
  c
    .addOption(new Option('--database-url <url>', 'PostgreSQL URL (default: the embedded SQLite database)'))
    .addOption(new Option('--data-dir <dir>', 'folder of the embedded database'));

const program = new Command('watchfloor')
  .description('Watchfloor: an Intelligent Operations Center for provinces and cities')
  .version(VERSION)
  .addHelpText('after', `\nConfiguration (environment variables; flags win):\n${CONFIG_DOC.map((c) => `  ${c.name.padEnd(30)} ${c.meaning} [${c.default}]`).join('\n')}\n`);

dbOptions(
  program
    .command('start')
    .description('migrate, load the geography and demo data when missing, and serve the API and web app')
    .option('--port <port>', 'HTTP port')
    .option('--host <host>', 'address to listen on')
    .option('--no-demo', 'do not load the demo data set'),
).action(async (flags: CommonFlags & { port?: string; host?: string; demo?: boolean }) => {
  const started = performance.now();
  const cfg = config(flags);
  const store = openConfiguredStore(cfg);
  const live = new LiveHub({ onError: (message, err) => app.log.warn({ err }, message) });
  const app = await buildApp({ store, clock: systemClock, config: cfg, live }, { webDir: WEB_DIST_DIR });
  const prep = await prepareDatabase(store, cfg);
  // On PostgreSQL, live updates reach viewers of every instance; the listener keeps reconnecting if this first try fails.
  await live.joinThrough(store).catch((err: unknown) => app.log.warn({ err }, 'live fan-out not listening yet; retrying in the background'));
  app.log.info(
    {
      database: store.location,
      migrationsApplied: prep.migrations,
      geography: { status: prep.geography.status, places: prep.geography.places, ms: prep.geography.durationMs },
      organisations: prep.organisations?.status ?? 'skipped',
    },
    'database ready',
  );
  const close = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await live.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void close('SIGINT'));
  process.once('SIGTERM', () => void close('SIGTERM'));
  await app.listen({ port: cfg.port, host: cfg.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : cfg.port;
  app.log.info(
    { url: `http://localhost:${port}/`, startupMs: Math.round(performance.now() - started), rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) },
    'Watchfloor is serving',
  );
});

dbOptions(program.command('migrate').description('apply pending database migrations')).action(async (flags: CommonFlags) => {
  const store = openConfiguredStore(config(flags));
  try {
    const { applied } = await migrateToLatest(store);
    console.log(applied.length ? `Applied ${applied.length} migration(s):\n${applied.map((m) => `  ${m}`).join('\n')}` : 'The database is up to date.');
  } finally {
    await store.close();
  }
});

dbOptions(
  program
    .command('load-geography')
    .description('load the administrative geography shipped in data/ (idempotent), then the demo organisations')
    .option('--force', 'reload even when the same files were loaded before'),
).action(async (flags: CommonFlags & { force?: boolean }) => {
  const cfg = config(flags);
  const store = openConfiguredStore(cfg);
  try {
    await migrateToLatest(store);
    const r = await loadGeography(store, { dataDir: REFERENCE_DATA_DIR, clock: systemClock, force: flags.force ?? false });
    console.log(`Geography ${r.status} in ${r.durationMs} ms on ${store.location}`);
    console.log(`  places: ${Object.entries(r.places).map(([k, v]) => `${v} ${k}`).join(', ')} (${r.newPlaces} new)`);
    console.log(`  boundaries: ${r.geometries}; lineage edges: ${r.lineageEdges}`);
    if (r.warnings.length) console.log(`  ${r.warnings.length} source rows skipped:\n${r.warnings.map((w) => `    ${w}`).join('\n')}`);
    if (cfg.demoData) {
      const o = await seedOrganisations(store, { dataDir: REFERENCE_DATA_DIR, clock: systemClock, force: flags.force ?? false });
      console.log(`Organisations ${o.status}: ${o.organisations} (demo list), ${o.lineageEdges} lineage edges`);
    }
  } finally {
    await store.close();
  }
});

dbOptions(program.command('status').description('what is loaded, on which database, at which version').option('--json', 'print JSON')).action(
  async (flags: CommonFlags & { json?: boolean }) => {
    const store = openConfiguredStore(config(flags));
    try {
      const s = await statusReport(store);
      if (flags.json) {
        console.log(JSON.stringify(s, null, 2));
        return;
      }
      console.log(`Watchfloor ${s.version}`);
      console.log(`Database: ${s.database.location}\n  ${s.database.version}`);
      console.log(`Migrations: ${s.migrations.applied} applied, ${s.migrations.pending.length} pending${s.migrations.pending.length ? ` (${s.migrations.pending.join(', ')}); run watchfloor migrate` : ''}`);
      console.log(`Places: ${Object.entries(s.places).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}; boundaries ${s.geometries}; lineage edges ${s.lineageEdges}`);
      console.log(`Organisations: ${s.organisations}`);
      for (const d of s.datasets) console.log(`Data set ${d.name}: loaded ${d.loadedAt}`);
    } finally {
      await store.close();
    }
  },
);

const sources = program.command('sources').description('data sources (nguồn dữ liệu): list and register');

dbOptions(sources.command('list').description('every source with its owner, kind, state and last arrival').option('--json', 'print JSON')).action(
  async (flags: CommonFlags & { json?: boolean }) => {
    const cfg = config(flags);
    const store = openConfiguredStore(cfg);
    try {
      await migrateToLatest(store);
      const f = await new SourcesService({ store, clock: systemClock, config: cfg }).freshness();
      if (flags.json) {
        console.log(JSON.stringify(f.sources, null, 2));
        return;
      }
      if (f.sources.length === 0) console.log('No source is registered; add one with: watchfloor sources add --help');
      for (const s of f.sources) {
        console.log(`${s.source.padEnd(24)} ${s.kind.padEnd(10)} ${s.ownerOrganisationCode.padEnd(12)} ${s.state.padEnd(14)} last ${s.lastArrivalAt ?? 'never'}${s.lateSince ? `, late since ${s.lateSince}` : ''}  ${s.name}`);
      }
    } finally {
      await store.close();
    }
  },
);

dbOptions(
  sources
    .command('add')
    .description('register a source; an http_push source gets its push token, printed once')
    .requiredOption('--code <code>', 'source code, e.g. STC-NGANSACH')
    .requiredOption('--name <name>', 'name shown to people')
    .requiredOption('--kind <kind>', 'http_push | file | http_pull | sql_pull | mqtt | manual')
    .requiredOption('--owner <organisation>', 'code of the agency accountable for the data')
    .option('--schedule <schedule>', 'ISO-8601 duration (PT15M) or cron expression, for pulls')
    .option('--every <duration>', 'late once nothing arrived for this long (ISO-8601 duration, e.g. PT1H)')
    .option('--monthly <days>', 'a monthly report, due this many days after the month ends')
    .option('--disabled', 'register it disabled'),
).action(
  async (flags: CommonFlags & { code: string; name: string; kind: string; owner: string; schedule?: string; every?: string; monthly?: string; disabled?: boolean }) => {
    const input = sourceCreateSchema.safeParse({
      code: flags.code,
      name: flags.name,
      kind: flags.kind,
      ownerOrganisationCode: flags.owner,
      schedule: flags.schedule ?? null,
      expected: flags.every ? { every: flags.every } : flags.monthly !== undefined ? { frequency: 'month', afterPeriodEndDays: Number(flags.monthly) } : null,
      enabled: !flags.disabled,
    });
    if (!input.success) {
      console.error(`Invalid source:\n${input.error.issues.map((i) => `  - ${i.path.join('.') || 'source'}: ${i.message}`).join('\n')}`);
      process.exit(2);
    }
    const cfg = config(flags);
    const store = openConfiguredStore(cfg);
    try {
      await migrateToLatest(store);
      const { source, token } = await new SourcesService({ store, clock: systemClock, config: cfg }).create(input.data);
      console.log(`Source ${source.code} registered (${source.kind}, owner ${source.ownerOrganisationCode}${source.enabled ? '' : ', disabled'})`);
      if (token) console.log(`Push token (shown once, keep it): ${token}\n  curl -H 'Authorization: Bearer ${token}' -H 'Content-Type: application/x-ndjson' --data-binary @rows.ndjson http://localhost:8080/api/sources/${source.code}/push`);
    } finally {
      await store.close();
    }
  },
);

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof DataFileError) {
    console.error(e.message);
    process.exit(2);
  }
  if (e instanceof AppError) {
    console.error(`${e.code}: ${e.message}`);
    process.exit(1);
  }
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
