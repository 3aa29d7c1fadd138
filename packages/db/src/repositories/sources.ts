import type { Kysely, Selectable, Transaction, Updateable } from 'kysely';
import { excerpt, rejectedRowJson, uploadedFileName } from '@watchfloor/core';
import type { Database, RejectedRowTable, RunTable, SourceTable } from '../schema';
import { inScope, type ResolvedScope } from '../scope';

type Db = Kysely<Database> | Transaction<Database>;
export type SourceRow = Selectable<SourceTable>;
export type RunRow = Selectable<RunTable>;
export type RejectedRowRow = Selectable<RejectedRowTable>;

/** JSON columns come back as text from SQLite and as values from PostgreSQL. */
export function readJsonColumn(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}

const writeJson = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

/** A source as stored. `credentialsEnc` and `tokenHash` never leave the server. */
export interface SourceRecord {
  code: string;
  name: string;
  kind: string;
  ownerOrgCode: string;
  schedule: string | null;
  expected: unknown;
  mapping: unknown;
  credentialsEnc: string | null;
  tokenHash: string | null;
  enabled: boolean;
  lastArrivalAt: string | null;
  lastPeriodEnd: string | null;
  createdAt: string;
  updatedAt: string;
  /** Pull sources: the pull configuration (JSON), null otherwise. */
  pull?: unknown;
  /** What the source may report for (JSON); null: its owner's place and organisation subtrees. */
  coverage?: unknown;
}

function toRecord(r: SourceRow): SourceRecord {
  return {
    code: r.code,
    name: r.name,
    kind: r.kind,
    ownerOrgCode: r.owner_org_code,
    schedule: r.schedule,
    expected: readJsonColumn(r.expected),
    mapping: readJsonColumn(r.mapping),
    credentialsEnc: r.credentials_enc,
    tokenHash: r.token_hash,
    enabled: r.enabled === 1,
    lastArrivalAt: r.last_arrival_at,
    lastPeriodEnd: r.last_period_end,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    pull: readJsonColumn(r.pull) ?? null,
    coverage: readJsonColumn(r.coverage) ?? null,
  };
}

/** Where a source is judged for access: its owner organisation, whose place stands for the source's (`s` the alias, or the table). */
export function sourceInScope(scope: ResolvedScope, alias = 'source') {
  return inScope(scope, { orgCode: `${alias}.owner_org_code`, orgPlace: true });
}

export type SourcePatch = Partial<Pick<SourceRecord, 'name' | 'ownerOrgCode' | 'schedule' | 'expected' | 'mapping' | 'credentialsEnc' | 'tokenHash' | 'enabled' | 'pull' | 'coverage'>>;

/** All SQL about sources: registration, changes, and when data last arrived. */
export class SourcesRepository {
  constructor(private readonly db: Db) {}

  /** A source, if the scope reaches it (outside it, as unknown). */
  async get(code: string, scope: ResolvedScope): Promise<SourceRecord | undefined> {
    const r = await this.db.selectFrom('source').selectAll().where('code', '=', code).where(sourceInScope(scope)).executeTakeFirst();
    return r ? toRecord(r) : undefined;
  }

  /** The sources in the scope, by code. */
  async list(scope: ResolvedScope): Promise<SourceRecord[]> {
    return (await this.db.selectFrom('source').selectAll().where(sourceInScope(scope)).orderBy('code').execute()).map(toRecord);
  }

  /** Inserts a new source; false when the code is taken (nothing is changed then). */
  async insert(s: Omit<SourceRecord, 'lastArrivalAt' | 'lastPeriodEnd'>): Promise<boolean> {
    const r = await this.db
      .insertInto('source')
      .values({
        code: s.code,
        name: s.name,
        kind: s.kind,
        owner_org_code: s.ownerOrgCode,
        schedule: s.schedule,
        expected: writeJson(s.expected),
        mapping: writeJson(s.mapping),
        credentials_enc: s.credentialsEnc,
        token_hash: s.tokenHash,
        enabled: s.enabled ? 1 : 0,
        last_arrival_at: null,
        last_period_end: null,
        created_at: s.createdAt,
        updated_at: s.updatedAt,
        pull: writeJson(s.pull),
        coverage: writeJson(s.coverage),
      })
      .onConflict((oc) => oc.column('code').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Changes the given fields; false when no source has the code. */
  async update(code: string, patch: SourcePatch, now: string): Promise<boolean> {
    const set: Updateable<SourceTable> = { updated_at: now };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.ownerOrgCode !== undefined) set.owner_org_code = patch.ownerOrgCode;
    if (patch.schedule !== undefined) set.schedule = patch.schedule;
    if (patch.expected !== undefined) set.expected = writeJson(patch.expected);
    if (patch.mapping !== undefined) set.mapping = writeJson(patch.mapping);
    if (patch.credentialsEnc !== undefined) set.credentials_enc = patch.credentialsEnc;
    if (patch.tokenHash !== undefined) set.token_hash = patch.tokenHash;
    if (patch.enabled !== undefined) set.enabled = patch.enabled ? 1 : 0;
    if (patch.pull !== undefined) set.pull = writeJson(patch.pull);
    if (patch.coverage !== undefined) set.coverage = writeJson(patch.coverage);
    const r = await this.db.updateTable('source').set(set).where('code', '=', code).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Records that the source delivered accepted rows at `at`, whose latest
   * period ends on `periodEnd`. The period end only moves forward: a late
   * revision of old figures does not make a source look behind.
   */
  async recordArrival(code: string, at: string, periodEnd: string | null): Promise<void> {
    await this.db.updateTable('source').set({ last_arrival_at: at }).where('code', '=', code).execute();
    if (periodEnd === null) return;
    await this.db
      .updateTable('source')
      .set({ last_period_end: periodEnd })
      .where('code', '=', code)
      .where((eb) => eb.or([eb('last_period_end', 'is', null), eb('last_period_end', '<', periodEnd)]))
      .execute();
  }
}

export interface RunCounts {
  read: number;
  accepted: number;
  rejected: number;
  created: number;
  revised: number;
  unchanged: number;
}

export interface RejectedRowInput {
  index: number;
  line: number | null;
  reason: string;
  message: string;
  raw: string;
  rowJson: string | null;
}

/** All SQL about runs and the rows they refused. */
export class RunsRepository {
  constructor(private readonly db: Db) {}

  async start(input: { source: string; channel: string; startedAt: string; fileName: string | null; enteredBy?: string | null; instance?: string | null }): Promise<number> {
    const r = await this.db
      .insertInto('run')
      .values({ source_code: input.source, channel: input.channel, status: 'running', started_at: input.startedAt, file_name: uploadedFileName(input.fileName), finished_at: null, duration_ms: null, error: null, checkpoint: null, entered_by: input.enteredBy ?? null, heartbeat_at: input.startedAt, instance: input.instance ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  /** Adds a committed batch's counts and moves the checkpoint past it. */
  async recordBatch(id: number, counts: RunCounts, checkpoint: unknown): Promise<void> {
    await this.db
      .updateTable('run')
      .set((eb) => ({
        rows_read: eb('rows_read', '+', counts.read),
        rows_accepted: eb('rows_accepted', '+', counts.accepted),
        rows_rejected: eb('rows_rejected', '+', counts.rejected),
        rows_created: eb('rows_created', '+', counts.created),
        rows_revised: eb('rows_revised', '+', counts.revised),
        rows_unchanged: eb('rows_unchanged', '+', counts.unchanged),
        checkpoint: writeJson(checkpoint),
      }))
      .where('id', '=', id)
      .execute();
  }

  async finish(id: number, input: { status: string; finishedAt: string; durationMs: number; error: string | null; errorCode?: string | null; warnings?: readonly unknown[] }): Promise<void> {
    await this.db
      .updateTable('run')
      .set({
        status: input.status,
        finished_at: input.finishedAt,
        duration_ms: input.durationMs,
        error: input.error,
        ...(input.errorCode !== undefined ? { error_code: input.errorCode } : {}),
        ...(input.warnings && input.warnings.length > 0 ? { warnings: JSON.stringify(input.warnings) } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  /** The process running `runId` is alive at `at` (a run with a stale heartbeat is taken as abandoned). */
  async heartbeat(runId: number, at: string): Promise<void> {
    await this.db.updateTable('run').set({ heartbeat_at: at }).where('id', '=', runId).where('status', '=', 'running').execute();
  }

  /**
   * Closes as `failed` the runs left `running` whose heartbeat is older than
   * `olderThan` (or, without one, that started before it): their server
   * stopped during the run. `message` says, per channel, how the run resumes.
   * The condition is repeated in the update, so a run that beat meanwhile stays.
   */
  async closeAbandoned(olderThan: string, now: string, message: (channel: string) => string): Promise<{ id: number; source: string; channel: string }[]> {
    const stale = this.db
      .selectFrom('run')
      .select(['id', 'source_code', 'channel'])
      .where('status', '=', 'running')
      .where((eb) => eb.or([eb('heartbeat_at', '<', olderThan), eb.and([eb('heartbeat_at', 'is', null), eb('started_at', '<', olderThan)])]));
    const found = await stale.execute();
    const closed: { id: number; source: string; channel: string }[] = [];
    for (const r of found) {
      const u = await this.db
        .updateTable('run')
        .set({ status: 'failed', finished_at: now, error: message(r.channel), error_code: 'server_stopped' })
        .where('id', '=', r.id)
        .where('status', '=', 'running')
        .where((eb) => eb.or([eb('heartbeat_at', '<', olderThan), eb.and([eb('heartbeat_at', 'is', null), eb('started_at', '<', olderThan)])]))
        .executeTakeFirst();
      if (Number(u.numUpdatedRows) > 0) closed.push({ id: r.id, source: r.source_code, channel: r.channel });
    }
    return closed;
  }

  /** The codes of the sources in a scope: a run and its rejected rows belong to their source. */
  private sourcesIn(scope: ResolvedScope) {
    return this.db.selectFrom('source').select('source.code').where(sourceInScope(scope));
  }

  /** A run, if the scope reaches its source (outside it, as unknown). */
  async get(id: number, scope: ResolvedScope): Promise<RunRow | undefined> {
    let q = this.db.selectFrom('run').selectAll().where('id', '=', id);
    if (scope.kind !== 'all') q = q.where('source_code', 'in', this.sourcesIn(scope));
    return q.executeTakeFirst();
  }

  /** Runs of a source, newest first; `beforeId` pages back. None when the scope does not reach the source. */
  async listForSource(source: string, options: { limit: number; beforeId?: number | undefined }, scope: ResolvedScope): Promise<RunRow[]> {
    let q = this.db.selectFrom('run').selectAll().where('source_code', '=', source);
    if (scope.kind !== 'all') q = q.where('source_code', 'in', this.sourcesIn(scope));
    if (options.beforeId !== undefined) q = q.where('id', '<', options.beforeId);
    return q.orderBy('id', 'desc').limit(options.limit).execute();
  }

  /** Keeps a run's rejected rows, each cut to an excerpt of what was received (never a whole answer or file). */
  async addRejected(runId: number, rows: readonly RejectedRowInput[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      await this.db
        .insertInto('rejected_row')
        .values(rows.slice(i, i + 500).map((r) => ({ run_id: runId, row_index: r.index, line: r.line, reason: r.reason, message: excerpt(r.message), raw: excerpt(r.raw), row_json: rejectedRowJson(r.rowJson) })))
        .execute();
    }
  }

  /** The ids of the runs of the sources in a scope. */
  private runsIn(scope: ResolvedScope) {
    return this.db.selectFrom('run').select('run.id').where('run.source_code', 'in', this.sourcesIn(scope));
  }

  /** A page of a run's rejected rows in the order they were read, after `afterIndex`. None when the scope does not reach the run's source. */
  async rejected(runId: number, options: { limit: number; afterIndex?: number | undefined; offset?: number | undefined }, scope: ResolvedScope): Promise<RejectedRowRow[]> {
    let q = this.db.selectFrom('rejected_row').selectAll().where('run_id', '=', runId);
    if (scope.kind !== 'all') q = q.where('run_id', 'in', this.runsIn(scope));
    if (options.afterIndex !== undefined) q = q.where('row_index', '>', options.afterIndex);
    q = q.orderBy('row_index').limit(options.limit);
    if (options.offset) q = q.offset(options.offset);
    return q.execute();
  }

  async countRejected(runId: number, scope: ResolvedScope): Promise<number> {
    let q = this.db.selectFrom('rejected_row').select((eb) => eb.fn.countAll<number>().as('n')).where('run_id', '=', runId);
    if (scope.kind !== 'all') q = q.where('run_id', 'in', this.runsIn(scope));
    const r = await q.executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
