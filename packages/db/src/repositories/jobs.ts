import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema';

type Db = Kysely<Database> | Transaction<Database>;

/** The schedule and progress of a pulled source. */
export interface JobRecord {
  sourceCode: string;
  /** When the next pull is due (UTC); null: to be planned from the schedule, or only on demand. */
  nextRunAt: string | null;
  attempts: number;
  lastError: string | null;
  lastRunId: number | null;
  /** The cursor of the last committed batch: where the next pull starts. */
  cursor: string | null;
  updatedAt: string;
}

/** A pull source the scheduler looks at: enabled, with a pull configuration. */
export interface PullSourceSchedule {
  code: string;
  schedule: string | null;
  nextRunAt: string | null;
  hasJob: boolean;
}

const PULL_KINDS = ['http_pull', 'sql_pull'];

/**
 * All SQL about pull jobs. Every write is an upsert by source code, so the
 * first write creates the job; instants are ISO strings in UTC (compared as
 * such in SQLite, as timestamps in PostgreSQL).
 */
export class JobsRepository {
  constructor(private readonly db: Db) {}

  async get(code: string): Promise<JobRecord | undefined> {
    const r = await this.db.selectFrom('job').selectAll().where('source_code', '=', code).executeTakeFirst();
    return r
      ? { sourceCode: r.source_code, nextRunAt: r.next_run_at, attempts: r.attempts, lastError: r.last_error, lastRunId: r.last_run_id, cursor: r.cursor, updatedAt: r.updated_at }
      : undefined;
  }

  /** Enabled pull sources with a schedule, and when each is due (null: not planned yet). */
  async scheduled(): Promise<PullSourceSchedule[]> {
    const rows = await this.db
      .selectFrom('source')
      .leftJoin('job', 'job.source_code', 'source.code')
      .select(['source.code', 'source.schedule', 'job.next_run_at', 'job.source_code as job_source'])
      .where('source.enabled', '=', 1)
      .where('source.kind', 'in', PULL_KINDS)
      .where('source.pull', 'is not', null)
      .where('source.schedule', 'is not', null)
      .orderBy('source.code')
      .execute();
    return rows.map((r) => ({ code: r.code, schedule: r.schedule, nextRunAt: r.next_run_at, hasJob: r.job_source !== null }));
  }

  /** Sets when the job runs next, creating the job if needed. */
  async plan(code: string, nextRunAt: string | null, now: string): Promise<void> {
    await this.db
      .insertInto('job')
      .values({ source_code: code, next_run_at: nextRunAt, attempts: 0, last_error: null, last_run_id: null, cursor: null, updated_at: now })
      .onConflict((oc) => oc.column('source_code').doUpdateSet({ next_run_at: nextRunAt, updated_at: now }))
      .execute();
  }

  /** Plans the job only when it has no next run yet (two instances planning at once agree). */
  async planIfUnplanned(code: string, nextRunAt: string, now: string): Promise<void> {
    await this.db
      .insertInto('job')
      .values({ source_code: code, next_run_at: nextRunAt, attempts: 0, last_error: null, last_run_id: null, cursor: null, updated_at: now })
      .onConflict((oc) => oc.column('source_code').doUpdateSet({ next_run_at: nextRunAt, updated_at: now }).where('job.next_run_at', 'is', null))
      .execute();
  }

  /** Whether the job of `code` is due at `now` (re-read under the lease, so a run another instance just finished is not repeated). */
  async isDue(code: string, now: string): Promise<boolean> {
    const r = await this.db.selectFrom('job').select('source_code').where('source_code', '=', code).where('next_run_at', '<=', now).executeTakeFirst();
    return r !== undefined;
  }

  /** Records the cursor of a committed batch: a pull that stops after it resumes there. */
  async saveCursor(code: string, cursor: string, runId: number | null, now: string): Promise<void> {
    await this.db
      .insertInto('job')
      .values({ source_code: code, next_run_at: null, attempts: 0, last_error: null, last_run_id: runId, cursor, updated_at: now })
      .onConflict((oc) => oc.column('source_code').doUpdateSet({ cursor, last_run_id: runId, updated_at: now }))
      .execute();
  }

  /** A pull succeeded: failures are forgotten and the next run is planned. */
  async succeeded(code: string, input: { runId: number | null; nextRunAt: string | null; now: string }): Promise<void> {
    await this.db
      .insertInto('job')
      .values({ source_code: code, next_run_at: input.nextRunAt, attempts: 0, last_error: null, last_run_id: input.runId, cursor: null, updated_at: input.now })
      .onConflict((oc) => oc.column('source_code').doUpdateSet({ next_run_at: input.nextRunAt, attempts: 0, last_error: null, last_run_id: input.runId, updated_at: input.now }))
      .execute();
  }

  /** A pull failed: one more attempt counted, the retry planned. Returns the attempts in a row. */
  async failed(code: string, input: { runId: number | null; error: string; nextRunAt: (attempts: number) => string | null; now: string }): Promise<number> {
    const current = await this.get(code);
    const attempts = (current?.attempts ?? 0) + 1;
    const next = input.nextRunAt(attempts);
    await this.db
      .insertInto('job')
      .values({ source_code: code, next_run_at: next, attempts, last_error: input.error, last_run_id: input.runId, cursor: null, updated_at: input.now })
      .onConflict((oc) => oc.column('source_code').doUpdateSet({ next_run_at: next, attempts, last_error: input.error, last_run_id: input.runId, updated_at: input.now }))
      .execute();
    return attempts;
  }
}
