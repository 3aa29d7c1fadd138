import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { ALL_DATA, AppError, DataFileError, figuresRebuildSchema, sourceCreateSchema, sourceUpdateSchema, systemClock, userCreateSchema, type SourceUpdate } from '@watchfloor/core';
import { migrateToLatest } from '@watchfloor/db';
import {
  CONFIG_DOC,
  ConfigError,
  LiveHub,
  MqttChannel,
  REFERENCE_DATA_DIR,
  FreshnessService,
  IdentityService,
  seedDemoAccounts,
  OperationalFigures,
  SourcesService,
  AuditLog,
  cliWho,
  PullService,
  Scheduler,
  MessageSender,
  ReportScheduler,
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

/** A JSON option value, given inline or as @file; exits with code 2 when it is not JSON. */
function jsonOption(name: string, value: string): unknown {
  try {
    return JSON.parse(value.startsWith('@') ? readFileSync(value.slice(1), 'utf8') : value);
  } catch (e) {
    console.error(`${name}: not JSON (${e instanceof Error ? e.message : String(e)})`);
    process.exit(2);
  }
}

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
  // With the demo data, a database without users gets one demo account per role; the password goes to a file, not the log.
  const demoAccounts = cfg.demoData ? await seedDemoAccounts({ store, clock: systemClock, config: cfg }, cfg.dataDir) : null;
  if (demoAccounts?.created) app.log.info({ file: demoAccounts.file }, 'demo accounts created (demo.leader, demo.operator, demo.officer, demo.steward, demo.appraiser, demo.office, demo.admin); their password is in this file');
  // On PostgreSQL, live updates reach viewers of every instance; the listener keeps reconnecting if this first try fails.
  await live.joinThrough(store).catch((err: unknown) => app.log.warn({ err }, 'live fan-out not listening yet; retrying in the background'));
  // Time-driven alert rules, escalations and webhook retries: one instance at a time holds the lease.
  const alertTicker = app.alerts.startTicker({ owner: live.instance, onError: (message, err) => app.log.error({ err }, message) });
  // Messages to people (e-mail, SMS/Zalo): queued from the alerts' timelines and sent in the background, one instance at a time by lease.
  const messageSender = new MessageSender({ store, clock: systemClock, config: cfg, live }, { log: app.log }).startTicker({ owner: live.instance, onError: (message, err) => app.log.error({ err }, message) });
  // Scheduled reports: rendered when their cron (Vietnam time) comes, kept, and e-mailed, one instance at a time by lease.
  const reportScheduler = new ReportScheduler({ store, clock: systemClock, config: cfg, live }, { log: app.log, printer: app.pdf }).startTicker({ owner: live.instance, onError: (message, err) => app.log.error({ err }, message) });
  // Scheduled pulls (one instance at a time per source, by lease); runs left running by a stopped server are closed first.
  const scheduler = new Scheduler({ store, clock: systemClock, config: cfg, live }, { log: app.log });
  scheduler.start();
  // MQTT sources: each subscription is held by one instance at a time (lease mqtt:<source>), taken over when it lapses.
  // Its readings are judged by the stream's alert rules on this instance (the one holding the subscription).
  const mqttChannel = new MqttChannel({ store, clock: systemClock, config: cfg, live, alertStream: app.alertStream }, { instance: live.instance, log: app.log });
  await mqttChannel.start().catch((err: unknown) => app.log.error({ err }, 'MQTT subscriptions not started; retrying every tick'));
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
    await alertTicker.stop();
    await messageSender.stop();
    await reportScheduler.stop();
    await scheduler.stop();
    await mqttChannel.stop();
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

const sources = program.command('sources').description('data sources (nguồn dữ liệu): list, register, change, tokens, runs, what is late');

dbOptions(sources.command('list').description('every source with its owner, kind, state and last arrival').option('--json', 'print JSON')).action(
  async (flags: CommonFlags & { json?: boolean }) => {
    const cfg = config(flags);
    const store = openConfiguredStore(cfg);
    try {
      await migrateToLatest(store);
      const f = await new SourcesService({ store, clock: systemClock, config: cfg }).freshness(ALL_DATA);
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
    .option('--disabled', 'register it disabled')
    .option('--pull <json>', 'http_pull and sql_pull: the pull configuration as JSON, or @file to read it from a file')
    .option('--credentials <@file>', 'pulls: a JSON file of credentials ({ "token": … }), stored encrypted (never on the command line)'),
).action(
  async (flags: CommonFlags & { code: string; name: string; kind: string; owner: string; schedule?: string; every?: string; monthly?: string; disabled?: boolean; pull?: string; credentials?: string }) => {
    const input = sourceCreateSchema.safeParse({
      code: flags.code,
      name: flags.name,
      kind: flags.kind,
      ownerOrganisationCode: flags.owner,
      schedule: flags.schedule ?? null,
      expected: flags.every ? { every: flags.every } : flags.monthly !== undefined ? { frequency: 'month', afterPeriodEndDays: Number(flags.monthly) } : null,
      enabled: !flags.disabled,
      pull: flags.pull === undefined ? null : jsonOption('--pull', flags.pull),
      credentials: flags.credentials === undefined ? null : jsonOption('--credentials', flags.credentials.startsWith('@') ? flags.credentials : `@${flags.credentials}`),
    });
    if (!input.success) {
      console.error(`Invalid source:\n${input.error.issues.map((i) => `  - ${i.path.join('.') || 'source'}: ${i.message}`).join('\n')}`);
      process.exit(2);
    }
    const cfg = config(flags);
    const store = openConfiguredStore(cfg);
    try {
      await migrateToLatest(store);
      const ctx = { store, clock: systemClock, config: cfg };
      const { source, token } = await new SourcesService(ctx).create(input.data, ALL_DATA);
      await new AuditLog(ctx).record(cliWho(), { action: 'source.create', entityKind: 'source', entityKey: source.code, after: source });
      console.log(`Source ${source.code} registered (${source.kind}, owner ${source.ownerOrganisationCode}${source.enabled ? '' : ', disabled'})`);
      if (token) console.log(`Push token (shown once, keep it): ${token}\n  curl -H 'Authorization: Bearer ${token}' -H 'Content-Type: application/x-ndjson' --data-binary @rows.ndjson http://localhost:8080/api/sources/${source.code}/push`);
    } finally {
      await store.close();
    }
  },
);

/** Opens the configured database (migrated), runs `fn` with the services' context, and closes it. */
async function withContext<T>(flags: CommonFlags, fn: (ctx: { store: ReturnType<typeof openConfiguredStore>; clock: typeof systemClock; config: Config }) => Promise<T>): Promise<T> {
  const cfg = config(flags);
  const store = openConfiguredStore(cfg);
  try {
    await migrateToLatest(store);
    return await fn({ store, clock: systemClock, config: cfg });
  } finally {
    await store.close();
  }
}

/** `month:5` (October due 5 days after it ends), an ISO-8601 duration (`PT1H`: at most this long apart), or `none`. */
function expectedFrom(spec: string): unknown {
  if (spec === 'none') return null;
  const m = /^(day|month|quarter|half|year):(\d+)$/.exec(spec);
  return m ? { frequency: m[1], afterPeriodEndDays: Number(m[2]) } : { every: spec };
}

dbOptions(
  sources
    .command('update <code>')
    .description('change a source: enable or disable it, its schedule, when its data is due, its name or owner')
    .option('--enable', 'enable the source')
    .option('--disable', 'disable it: its pushes are refused and it is never counted late')
    .option('--schedule <schedule>', 'ISO-8601 duration (PT15M) or cron expression; "none" removes it')
    .option('--expected <when>', 'when data is due: <frequency>:<days> (month:5), an ISO-8601 duration (PT1H), or "none"')
    .option('--name <name>', 'name shown to people')
    .option('--owner <organisation>', 'code of the agency accountable for the data'),
).action(async (code: string, flags: CommonFlags & { enable?: boolean; disable?: boolean; schedule?: string; expected?: string; name?: string; owner?: string }) => {
  if (flags.enable && flags.disable) {
    console.error('Give --enable or --disable, not both');
    process.exit(2);
  }
  const input = sourceUpdateSchema.safeParse({
    ...(flags.enable || flags.disable ? { enabled: Boolean(flags.enable) } : {}),
    ...(flags.schedule !== undefined ? { schedule: flags.schedule === 'none' ? null : flags.schedule } : {}),
    ...(flags.expected !== undefined ? { expected: expectedFrom(flags.expected) } : {}),
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    ...(flags.owner !== undefined ? { ownerOrganisationCode: flags.owner } : {}),
  });
  if (!input.success) {
    console.error(`Invalid change:\n${input.error.issues.map((i) => `  - ${i.path.join('.') || 'change'}: ${i.message}`).join('\n')}`);
    process.exit(2);
  }
  const update: SourceUpdate = input.data;
  const s = await withContext(flags, async (ctx) => {
    const service = new SourcesService(ctx);
    const before = await service.get(code, ALL_DATA);
    const after = await service.update(code, update, { read: ALL_DATA, write: ALL_DATA });
    await new AuditLog(ctx).record(cliWho(), { action: 'source.update', entityKind: 'source', entityKey: code, before, after });
    return after;
  });
  const expected = s.expected === null ? 'none' : 'every' in s.expected ? `every ${s.expected.every}` : `${s.expected.frequency} + ${s.expected.afterPeriodEndDays} days`;
  console.log(`Source ${s.code} updated: ${s.enabled ? 'enabled' : 'disabled'}, schedule ${s.schedule ?? 'none'}, expected ${expected}, owner ${s.ownerOrganisationCode}`);
});

dbOptions(sources.command('pull <code>').description('pull an http_pull or sql_pull source now, from the cursor of its last committed batch').option('--json', 'print the run as JSON')).action(
  async (code: string, flags: CommonFlags & { json?: boolean }) => {
    const cfg = config(flags);
    const store = openConfiguredStore(cfg);
    try {
      await migrateToLatest(store);
      const run = await new PullService({ store, clock: systemClock, config: cfg }).runOnce(code);
      if (flags.json) {
        console.log(JSON.stringify(run, null, 2));
      } else {
        console.log(`Run ${run.id} of ${run.source}: ${run.status}; ${run.rowsRead} rows read, ${run.rowsAccepted} accepted (${run.created} new, ${run.revised} revised), ${run.rowsRejected} rejected`);
        if (run.error) console.log(`  ${run.errorCode ?? 'error'}: ${run.error}`);
        if (run.checkpoint?.cursor) console.log(`  next pull starts from cursor ${run.checkpoint.cursor}`);
      }
      if (run.status === 'failed') process.exitCode = 1;
    } finally {
      await store.close();
    }
  },
);

dbOptions(sources.command('token <code>').description('issue a new push token (printed once); the previous one stops working')).action(async (code: string, flags: CommonFlags) => {
  const { source, token } = await withContext(flags, async (ctx) => {
    const issued = await new SourcesService(ctx).rotateToken(code, { read: ALL_DATA, write: ALL_DATA });
    // The token itself is never recorded: only that a new one was issued.
    await new AuditLog(ctx).record(cliWho(), { action: 'source.token', entityKind: 'source', entityKey: code, after: issued.source });
    return issued;
  });
  console.log(`New push token for ${source.code} (shown once, keep it; the previous one no longer works): ${token}`);
});

dbOptions(
  sources
    .command('runs <code>')
    .description('the last runs of a source, newest first')
    .option('--limit <n>', 'how many runs', '10')
    .option('--json', 'print JSON'),
).action(async (code: string, flags: CommonFlags & { limit: string; json?: boolean }) => {
  const limit = Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    console.error('--limit must be a whole number from 1 to 500');
    process.exit(2);
  }
  const runs = await withContext(flags, (ctx) => new SourcesService(ctx).listRuns(code, { limit }, ALL_DATA));
  if (flags.json) {
    console.log(JSON.stringify(runs, null, 2));
    return;
  }
  if (runs.length === 0) console.log(`Source ${code} has no run yet`);
  for (const r of runs) {
    const who = r.enteredBy ? ` by ${r.enteredBy}` : r.fileName ? ` file ${r.fileName}` : '';
    console.log(
      `#${String(r.id).padEnd(6)} ${r.startedAt} ${r.channel.padEnd(9)} ${r.status.padEnd(9)} read ${r.rowsRead}, accepted ${r.rowsAccepted} (new ${r.created}, revised ${r.revised}, unchanged ${r.unchanged}), rejected ${r.rowsRejected}${who}${r.error ? `\n         ${r.error}` : ''}`,
    );
  }
});

dbOptions(sources.command('late').description('late sources and indicators, and the agencies accountable ranked by lateness').option('--json', 'print JSON')).action(
  async (flags: CommonFlags & { json?: boolean }) => {
    const late = await withContext(flags, (ctx) => new FreshnessService(ctx).late(ALL_DATA));
    if (flags.json) {
      console.log(JSON.stringify(late, null, 2));
      return;
    }
    if (late.agencies.length === 0) {
      console.log('Nothing is late.');
      return;
    }
    const days = (seconds: number) => `${Math.floor(seconds / 86400)} d ${Math.floor((seconds % 86400) / 3600)} h`;
    console.log('Agencies, most overdue first:');
    for (const a of late.agencies) {
      console.log(`  ${a.organisationCode.padEnd(12)} ${a.lateSources} source(s), ${a.lateIndicators} indicator(s) late since ${a.lateSince} (worst ${days(a.worstLateSeconds)})  ${a.organisationName ?? ''}`);
    }
    if (late.sources.length) console.log('Late sources:');
    for (const s of late.sources) console.log(`  ${s.source.padEnd(24)} ${s.ownerOrganisationCode.padEnd(12)} late since ${s.lateSince}${s.missingPeriod ? `, missing ${s.missingPeriod}` : ''}`);
    if (late.indicators.length) console.log('Late indicators:');
    for (const i of late.indicators) console.log(`  ${i.indicator.padEnd(28)} ${(i.organisation?.code ?? '').padEnd(12)} late since ${i.lateSince}${i.missingPeriod ? `, missing ${i.missingPeriod}` : ''}`);
  },
);

const figures = program.command('figures').description('figures counted from the cases and dossiers held here (CR_*, Decision 766 PS_DOSSIER_*)');

dbOptions(
  figures
    .command('rebuild')
    .description('recompute the months of a range and write what changed, as runs of WF-CASES and WF-DOSSIERS')
    .requiredOption('--from <month>', 'first month, YYYY-MM')
    .requiredOption('--to <month>', 'last month, YYYY-MM (the current month at the latest)')
    .addOption(new Option('--kind <kind>', 'only cases or only dossiers').choices(['cases', 'dossiers']))
    .option('--json', 'print JSON'),
).action(async (flags: CommonFlags & { from: string; to: string; kind?: string; json?: boolean }) => {
  const input = figuresRebuildSchema.safeParse({ from: flags.from, to: flags.to, ...(flags.kind ? { kind: flags.kind } : {}) });
  if (!input.success) {
    console.error(`Invalid range:\n${input.error.issues.map((i) => `  - ${i.path.join('.') || 'range'}: ${i.message}`).join('\n')}`);
    process.exit(2);
  }
  const r = await withContext(flags, async (ctx) => {
    const result = await new OperationalFigures(ctx).rebuild(input.data);
    await new AuditLog(ctx).record(cliWho(), { action: 'figures.rebuild', entityKind: 'run', entityKey: `${input.data.from}..${input.data.to}`, after: { ...input.data, ...result } });
    return result;
  });
  if (flags.json) console.log(JSON.stringify(r, null, 2));
  else console.log(`${r.months} month(s) recomputed: ${r.written} figure(s) written, ${r.rejected} refused${r.runs.length ? ` (runs ${r.runs.join(', ')})` : ''}`);
});

const users = program.command('users').description('people who sign in: create the first administrator, list users');

/** A password from a file (its first line) or from standard input (prompted without echo on a terminal); never from the command line. */
async function readPassword(file: string | undefined): Promise<string> {
  if (file !== undefined) return (readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? '').trimEnd();
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trimEnd();
  }
  const { createInterface } = await import('node:readline');
  const { Writable } = await import('node:stream');
  process.stdout.write('Password (not shown): ');
  // The terminal echo goes to a sink so the password never appears on screen.
  const rl = createInterface({ input: process.stdin, output: new Writable({ write: (_c, _e, done) => done() }), terminal: true });
  const answer = await new Promise<string>((res) => rl.question('', res));
  rl.close();
  process.stdout.write('\n');
  return answer;
}

dbOptions(
  users
    .command('create-admin')
    .description('create an administrator (the first one signs in and creates the others); the password comes from --password-file or standard input')
    .requiredOption('--login <login>', 'login, compared without case')
    .option('--display-name <name>', 'name shown to people (default: the login)')
    .option('--password-file <file>', 'read the password from the first line of this file (default: prompt, or standard input)'),
).action(async (flags: CommonFlags & { login: string; displayName?: string; passwordFile?: string }) => {
  const password = await readPassword(flags.passwordFile);
  const input = userCreateSchema.safeParse({ login: flags.login, displayName: flags.displayName ?? flags.login, password, roles: [{ role: 'administrator' }], mustChangePassword: false });
  if (!input.success) {
    console.error(`Invalid administrator:\n${input.error.issues.map((i) => `  - ${i.path.join('.') || 'user'}: ${i.message}`).join('\n')}`);
    process.exit(2);
  }
  const u = await withContext(flags, async (ctx) => {
    const created = await new IdentityService(ctx).createUser(input.data);
    await new AuditLog(ctx).record(cliWho(), { action: 'user.create', entityKind: 'user', entityKey: created.login, after: created });
    return created;
  });
  console.log(`Administrator ${u.login} created; sign in at /api/auth/sign-in`);
});

dbOptions(users.command('list').description('every user with their roles and scopes').option('--json', 'print JSON')).action(async (flags: CommonFlags & { json?: boolean }) => {
  const list = await withContext(flags, (ctx) => new IdentityService(ctx).listUsers());
  if (flags.json) {
    console.log(JSON.stringify(list, null, 2));
    return;
  }
  if (list.length === 0) console.log('No user yet; create the first administrator with: watchfloor users create-admin --login <login>');
  for (const u of list) {
    const roles = u.roles.map((g) => `${g.role}${g.organisationCode ? ` org ${g.organisationCode}` : ''}${g.placeCode ? ` place ${g.placeCode}` : ''}`).join(', ') || 'no role';
    console.log(`${u.login.padEnd(24)} ${(u.disabled ? 'disabled' : u.mustChangePassword ? 'must change password' : 'active').padEnd(22)} ${roles}  ${u.displayName}`);
  }
});

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
