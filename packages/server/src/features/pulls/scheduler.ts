import { AppError, type Run } from '@watchfloor/core';
import { JobsRepository, RunsRepository } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { firstRun } from './schedule';
import { PullService, type PullLog, type PullServiceOptions } from './service';

/** A run whose heartbeat is older than this was left by a server that stopped (live runs beat every 30 s). */
export const ABANDONED_AFTER_MS = 5 * 60_000;
/** How often the scheduler looks for due pulls and abandoned runs. */
export const TICK_MS = 15_000;

const PULL_CHANNELS = new Set(['http_pull', 'sql_pull']);

/** What a run left by a stopped server says, per channel: how it resumes. */
export function abandonedRunMessage(channel: string): string {
  return PULL_CHANNELS.has(channel)
    ? 'The server stopped during this pull. The batches committed before it are kept; the next pull starts again from the cursor of the last committed batch, and rows read twice are not duplicated.'
    : 'The server stopped during this run. The batches committed before it are kept; send the data again: rows already stored are not duplicated.';
}

/** Closes as `failed` the runs left `running` by a server that stopped: heartbeat (or, without one, start) older than `afterMs`. */
export async function closeAbandonedRuns(ctx: AppContext, afterMs: number = ABANDONED_AFTER_MS): Promise<{ id: number; source: string; channel: string }[]> {
  const now = ctx.clock.now();
  return new RunsRepository(ctx.store.db).closeAbandoned(new Date(now.getTime() - afterMs).toISOString(), now.toISOString(), abandonedRunMessage);
}

export interface SchedulerOptions extends PullServiceOptions {
  tickMs?: number;
  abandonedAfterMs?: number;
}

export interface TickResult {
  /** Runs closed as abandoned. */
  closed: number[];
  /** The pulls this instance ran. */
  runs: Run[];
}

/**
 * Runs the pulls that are due. Every tick it closes the runs abandoned by
 * a stopped server, plans newly scheduled sources, and runs each due pull
 * under its lease, so with several instances on one PostgreSQL each pull
 * runs once. The clock is the context's (tests advance a fixed one); ticks
 * follow a timer only once `start()` is called.
 */
export class Scheduler {
  readonly pulls: PullService;
  private timer: NodeJS.Timeout | null = null;
  private readonly stopping = new AbortController();
  private readonly ticks = new Set<Promise<TickResult>>();
  private readonly log: PullLog | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: SchedulerOptions = {},
  ) {
    this.pulls = new PullService(ctx, options);
    this.log = options.log;
  }

  get instance(): string {
    return this.pulls.instance;
  }

  /** One pass: close abandoned runs, plan new schedules, run what is due. */
  async tick(): Promise<TickResult> {
    const closed = (await closeAbandonedRuns(this.ctx, this.options.abandonedAfterMs)).map((r) => r.id);
    if (closed.length) this.log?.warn({ runs: closed }, 'closed runs left running by a server that stopped');
    const jobs = new JobsRepository(this.ctx.store.db);
    const now = this.ctx.clock.now();
    const due: string[] = [];
    for (const s of await jobs.scheduled()) {
      if (s.nextRunAt === null && s.schedule !== null) {
        const first = firstRun(s.schedule, now);
        if (first) await jobs.planIfUnplanned(s.code, first.toISOString(), now.toISOString());
        if (first && first <= now) due.push(s.code);
      } else if (s.nextRunAt !== null && new Date(s.nextRunAt) <= now) {
        due.push(s.code);
      }
    }
    const runs: Run[] = [];
    await Promise.all(
      due.map(async (code) => {
        if (this.stopping.signal.aborted) return;
        try {
          const run = await this.pulls.runIfDue(code, this.stopping.signal);
          if (run) {
            runs.push(run);
            this.log?.info({ source: code, runId: run.id, status: run.status, rows: run.rowsRead }, 'pull finished');
          }
        } catch (err) {
          this.log?.error({ err, source: code }, 'pull could not run');
        }
      }),
    );
    return { closed, runs: runs.sort((a, b) => a.id - b.id) };
  }

  /** Ticks now, then every `tickMs`; a tick still running is not started twice for the same source. */
  start(): void {
    if (this.timer) return;
    const go = () => {
      const t = this.tick().catch((err: unknown) => {
        this.log?.error({ err }, 'scheduler tick failed');
        return { closed: [], runs: [] };
      });
      this.ticks.add(t);
      void t.finally(() => this.ticks.delete(t));
    };
    this.timer = setInterval(go, this.options.tickMs ?? TICK_MS);
    this.timer.unref();
    go();
  }

  /** Stops ticking and stops the pulls running: each ends as a failed run that the next pull resumes from its last committed batch. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopping.abort(new AppError('server_stopped', 'The pull was stopped: the server is shutting down. The next pull resumes from the cursor of the last committed batch.'));
    await Promise.allSettled([...this.ticks]);
  }
}
