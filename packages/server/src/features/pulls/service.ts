import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ALL_DATA, AppError, pullConfigSchema, sourceMappingSchema, type Credentials, type PullConfig, type PullJob, type Run } from '@watchfloor/core';
import { ALL_ROWS, JobsRepository, LeasesRepository, RunsRepository, type SourceRecord } from '@watchfloor/db';
import { failureCause, type ReadRow } from '@watchfloor/connectors';
import type { AppContext } from '../../context';
import { IngestService, type BatchWriter } from '../ingest/service';
import { decryptCredentials } from '../sources/secrets';
import { SourcesService, toRun } from '../sources/service';
import { connectorFor, notPullable, pullChannel, pullOutbound } from './connectors';
import { nextRunAfter, retryDelayMs } from './schedule';

/** This process, as lease owner and on the runs it starts. */
export const PROCESS_INSTANCE = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;

/** How long a pull's lease lasts unless renewed: an instance that dies lets another take over after this. */
export const PULL_LEASE_MS = 120_000;

export interface PullLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface PullServiceOptions {
  /** The lease owner: one per server instance. */
  instance?: string;
  /** Rows per committed batch (each batch records the cursor to resume from). */
  batchSize?: number;
  leaseMs?: number;
  log?: PullLog;
  /** The write path (tests put a failing one in its place). */
  writer?: BatchWriter;
}

/** Pulls running in this process, per store: a second start of the same pull here is refused, whatever the lease says. */
const RUNNING = new WeakMap<object, Set<string>>();

export const pullLeaseName = (code: string): string => `pull:${code}`;

/**
 * Pulls a source: reads what is new since the job's cursor through its
 * connector and hands the rows to the one ingestion path as a run of its
 * own. Each committed batch stores its last row's cursor on the job, so a
 * pull that stops (the peer fails, the server stops) resumes just after the
 * last batch kept; rows read twice change nothing. A pull runs under the
 * lease `pull:<code>`, so of several server instances only one runs it.
 * Success plans the next run from the schedule; failure counts an attempt
 * and retries after a growing delay (30 s, 1 min, 2 min … at most 1 h).
 */
export class PullService {
  readonly instance: string;
  private readonly leaseMs: number;
  private readonly ingest: IngestService;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: PullServiceOptions = {},
  ) {
    this.instance = options.instance ?? PROCESS_INSTANCE;
    this.leaseMs = options.leaseMs ?? PULL_LEASE_MS;
    this.ingest = new IngestService(ctx, options.writer);
  }

  private get running(): Set<string> {
    let s = RUNNING.get(this.ctx.store);
    if (!s) RUNNING.set(this.ctx.store, (s = new Set()));
    return s;
  }

  /** The source and its pull configuration; `source_not_pullable` for any other kind. */
  async pullable(code: string): Promise<{ source: SourceRecord; config: PullConfig }> {
    // The routes judge the caller's scope before; the scheduler pulls every source.
    const source = await new SourcesService(this.ctx).record(code, ALL_DATA);
    if (source.pull === null || source.pull === undefined || (source.kind !== 'http_pull' && source.kind !== 'sql_pull')) throw notPullable(code, source.kind);
    return { source, config: pullConfigSchema.parse(source.pull) };
  }

  /** Pulls now (the API's "run now" and `watchfloor sources pull`): the run, failed or not; `pull_in_progress` when it is running already. */
  async runOnce(code: string, signal?: AbortSignal): Promise<Run> {
    const { source, config } = await this.pullable(code);
    if (!source.enabled) throw new AppError('source_disabled', `Source ${code} is disabled`);
    const run = await this.underLease(code, false, (s) => this.pull(source, config, s), signal);
    if (run === null) throw new AppError('pull_in_progress', `A pull of ${code} is running already; its run will be in /api/sources/${code}/runs`);
    return run;
  }

  /** Pulls a source the scheduler found due; null when another instance has it, or it ran meanwhile. */
  async runIfDue(code: string, signal?: AbortSignal): Promise<Run | null> {
    const { source, config } = await this.pullable(code);
    if (!source.enabled) return null;
    return this.underLease(code, true, (s) => this.pull(source, config, s), signal);
  }

  /** When the source is pulled next, its failures in a row, its cursor. */
  async job(code: string): Promise<PullJob> {
    const { source } = await this.pullable(code);
    const now = this.ctx.clock.now();
    const job = await new JobsRepository(this.ctx.store.db).get(code);
    const holder = await new LeasesRepository(this.ctx.store.db).holder(pullLeaseName(code), now);
    return {
      source: code,
      schedule: source.schedule,
      nextRunAt: job?.nextRunAt ?? null,
      attempts: job?.attempts ?? 0,
      lastError: job?.lastError ?? null,
      lastRunId: job?.lastRunId ?? null,
      cursor: job?.cursor ?? null,
      running: this.running.has(code) || holder !== undefined,
      updatedAt: job?.updatedAt ?? null,
    };
  }

  /**
   * Runs `f` holding the lease of the source's pull, renewed while it runs;
   * null when it is held elsewhere (or, with `onlyIfDue`, when the job is no
   * longer due once the lease is held: another instance just ran it).
   */
  private async underLease<T>(code: string, onlyIfDue: boolean, f: (signal: AbortSignal) => Promise<T>, outer?: AbortSignal): Promise<T | null> {
    if (this.running.has(code)) return null;
    this.running.add(code);
    const db = this.ctx.store.db;
    const leases = new LeasesRepository(db);
    const name = pullLeaseName(code);
    try {
      if (!(await leases.acquire(name, this.instance, this.ctx.clock.now(), this.leaseMs))) return null;
      const lost = new AbortController();
      const renew = setInterval(() => {
        leases.acquire(name, this.instance, this.ctx.clock.now(), this.leaseMs).then(
          (held) => {
            if (!held) lost.abort(new AppError('pull_in_progress', `The pull of ${code} was stopped: another server instance took it over`));
          },
          (err: unknown) => this.options.log?.warn({ err, source: code }, 'could not renew the pull lease'),
        );
      }, Math.max(1000, Math.floor(this.leaseMs / 3)));
      renew.unref();
      try {
        if (onlyIfDue && !(await new JobsRepository(db).isDue(code, this.ctx.clock.now().toISOString()))) return null;
        return await f(outer ? AbortSignal.any([outer, lost.signal]) : lost.signal);
      } finally {
        clearInterval(renew);
        await leases.release(name, this.instance);
      }
    } finally {
      this.running.delete(code);
    }
  }

  private async pull(source: SourceRecord, config: PullConfig, signal: AbortSignal): Promise<Run> {
    const code = source.code;
    const jobs = new JobsRepository(this.ctx.store.db);
    const started = this.ctx.clock.now();
    const now = () => this.ctx.clock.now().toISOString();
    const cursor = (await jobs.get(code))?.cursor ?? config.initialCursor ?? null;
    const credentialsEnc = source.credentialsEnc;
    const secretKey = this.ctx.config.secretKey;
    const { config: serverConfig, store } = this.ctx;

    // Built inside the run, so a configuration or key that fails is a failed run with its coded error, like a peer that fails.
    async function* rows(): AsyncGenerator<ReadRow> {
      let credentials: Credentials | null = null;
      if (credentialsEnc !== null) {
        try {
          credentials = decryptCredentials(secretKey, credentialsEnc);
        } catch (e) {
          if (e instanceof AppError) throw e;
          throw new AppError('credentials_unreadable', `The credentials of ${code} cannot be read with the configured WATCHFLOOR_SECRET_KEY: store them again`);
        }
      }
      const connector = connectorFor(config, credentials, await pullOutbound(serverConfig, store));
      try {
        yield* connector.read(cursor, signal);
      } finally {
        await connector.close?.();
      }
    }

    // Set by the ingestion once it records the run (an object: it is written inside a callback).
    const recorded: { runId: number | null } = { runId: null };
    try {
      await this.ingest.ingest({
        source: { code, mapping: source.mapping === null ? null : sourceMappingSchema.parse(source.mapping) },
        channel: pullChannel(config),
        // The source's configured system sends the rows: its coverage alone bounds them.
        sender: null,
        rows: rows(),
        allowEmpty: true,
        instance: this.instance,
        ...(this.options.batchSize ? { batchSize: this.options.batchSize } : {}),
        ...(this.options.log ? { log: this.options.log } : {}),
        onStart: (id) => {
          recorded.runId = id;
        },
        onBatch: async (checkpoint, id) => {
          if (checkpoint.cursor !== undefined && checkpoint.cursor !== null) await jobs.saveCursor(code, checkpoint.cursor, id, now());
        },
      });
      await jobs.succeeded(code, { runId: recorded.runId, nextRunAt: nextRunAfter(source.schedule, started)?.toISOString() ?? null, now: now() });
    } catch (e) {
      const runId = recorded.runId;
      if (runId === null) throw e;
      const message = e instanceof AppError ? e.message : 'The pull failed; see the server log';
      const at = this.ctx.clock.now();
      const attempts = await jobs.failed(code, { runId, error: message, nextRunAt: (n) => (source.schedule === null ? null : new Date(at.getTime() + retryDelayMs(n)).toISOString()), now: at.toISOString() });
      // The run tells the user one wording per failure; what the driver or the network said goes to this log only.
      const cause = failureCause(e);
      this.options.log?.warn({ source: code, runId, error: e instanceof AppError ? e.code : 'ingestion_failed', attempts, ...(cause ? { cause } : {}) }, 'pull failed; retrying later');
    }
    const run = recorded.runId === null ? undefined : await new RunsRepository(this.ctx.store.db).get(recorded.runId, ALL_ROWS);
    if (!run) throw new AppError('internal_error', `The run of the pull of ${code} was not recorded`);
    return toRun(run);
  }
}
