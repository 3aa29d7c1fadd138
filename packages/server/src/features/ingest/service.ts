import { AppError, excerpt, periodEndOf, rejectedRowJson, type DataScope, type Identity, type RejectionReason, type IngestResult, type Provenance, type RejectedIngestRow, type RunChannel, type RunCheckpoint, type RunStatus, type RunWarning, type SourceMapping } from '@watchfloor/core';
import { ALL_ROWS, RunsRepository, SourcesRepository, type RejectedRowInput } from '@watchfloor/db';
import type { ReadRow } from '@watchfloor/connectors';
import type { AppContext } from '../../context';
import { ObservationWriter, type WriteResult } from './observations';
import { DossierWriter } from './dossiers';
import { DossierTotalsWriter } from './dossier-totals';
import { DirectiveWriter } from './directives';
import { sourceBounds, UNBOUNDED, type WriteBounds } from './bounds';

/** The write path as ingestion uses it (tests put a failing one in its place). */
export interface BatchWriter {
  write(rows: readonly unknown[], provenance: Provenance, options?: { dryRun?: boolean; bounds?: WriteBounds; mapping?: SourceMapping | null }): Promise<WriteResult>;
}

/** Who sent rows, kept on their run: the user's login, or the API token's name when it acts for no user; null for the public. */
export function senderName(identity: Identity): string | null {
  if (identity.kind === 'user') return identity.login;
  if (identity.kind === 'token') return identity.login ?? `token:${identity.name}`;
  return null;
}

/** Rows per batch: each batch is one transaction of the write path, all or nothing. */
export const INGEST_BATCH = 5000;
/** Rejected rows returned with an answer; all of them are kept with the run. */
const SAMPLE = 100;
/** Accepted rows shown by a dry run. */
const PREVIEW = 20;

export interface IngestRequest {
  source: { code: string; mapping: SourceMapping | null };
  channel: RunChannel;
  /**
   * Who sends the rows besides the source: the scope a person or an API
   * token may supply data in, or `null` when the source's own credential
   * sends them (its push token, a pull, a subscription). Every row must lie
   * within the source's coverage and this scope.
   */
  sender: DataScope | null;
  rows: AsyncIterable<ReadRow> | Iterable<ReadRow>;
  dryRun?: boolean;
  fileName?: string | null;
  /** Who typed the figures (manual entry): kept on the run and on each figure. */
  enteredBy?: string | null;
  batchSize?: number;
  /** Where unexpected failures are logged (their details never reach the client). */
  log?: { error(obj: object, msg: string): void };
  /** Pulls: nothing new to read is a success, not an error. */
  allowEmpty?: boolean;
  /** The server instance running the ingestion, kept on the run. */
  instance?: string | null;
  /** Called once the run is recorded. */
  onStart?: (runId: number) => void;
  /** Called after each batch commits and its checkpoint is recorded (pulls store their cursor there). */
  onBatch?: (checkpoint: RunCheckpoint, runId: number) => Promise<void>;
  /** What the reader found doubtful once every row was read (a file's total rows): kept on the run and answered. */
  warnings?: () => readonly RunWarning[];
}

/** How often a live run says so: a run whose heartbeat is minutes old was left by a server that stopped. */
export const HEARTBEAT_MS = 30_000;

interface Indexed extends ReadRow {
  index: number;
}

const toJson = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One ingestion run: rows from any channel are cut into batches and handed
 * to the one write path; each batch commits whole or not at all. After each
 * batch the run's counts, its rejected rows (with line and reason) and its
 * checkpoint are recorded, and the source's last arrival moves on. A
 * failure stops the run as `failed`: the batches before it stay committed,
 * the failing one leaves nothing, and since writes are idempotent the
 * sender may simply send everything again.
 */
export class IngestService {
  constructor(
    private readonly ctx: AppContext,
    private readonly writer: BatchWriter = new ObservationWriter(ctx.store, ctx.clock, ctx.live),
  ) {}

  /** The limits of a run's rows: the source's coverage and the sender's scope; none for the system's own (derived) figures. */
  private async bounds(req: IngestRequest): Promise<WriteBounds> {
    const source = await new SourcesRepository(this.ctx.store.db).get(req.source.code, ALL_ROWS);
    if (!source) throw new AppError('unknown_source', `No source has code ${req.source.code}`);
    if (source.kind === 'derived') return UNBOUNDED;
    return sourceBounds(this.ctx.store.db, source, req.sender);
  }

  async ingest(req: IngestRequest): Promise<IngestResult> {
    const started = performance.now();
    const bounds = await this.bounds(req);
    const dryRun = req.dryRun ?? false;
    const batchSize = req.batchSize ?? INGEST_BATCH;
    const runs = new RunsRepository(this.ctx.store.db);
    const sources = new SourcesRepository(this.ctx.store.db);
    const now = () => this.ctx.clock.now().toISOString();
    const runId = dryRun ? null : await runs.start({ source: req.source.code, channel: req.channel, startedAt: now(), fileName: req.fileName ?? null, enteredBy: req.enteredBy ?? null, instance: req.instance ?? null });
    // Beats however slowly the rows arrive; stopped when the run finishes.
    const beat = runId === null ? null : setInterval(() => void runs.heartbeat(runId, now()).catch(() => undefined), HEARTBEAT_MS);
    beat?.unref();
    if (runId !== null) req.onStart?.(runId);
    const defaults = req.source.mapping?.defaults ?? {};
    const totals = { read: 0, accepted: 0, rejected: 0, created: 0, revised: 0, unchanged: 0 };
    const sample: RejectedIngestRow[] = [];
    const preview: unknown[] = [];
    // Where the last committed batch ended (an object: it is moved on inside flush).
    const progress: { checkpoint: RunCheckpoint | null } = { checkpoint: null };
    let batch: Indexed[] = [];
    // A dossier source's rows are dossiers, saved by code; a dossier-totals source's are monthly counts; a directive source's are documents or their task rows; every other source's are observations.
    const target = req.source.mapping?.target;
    const writer: BatchWriter =
      target === 'dossiers' ? new DossierWriter(this.ctx) : target === 'dossier_totals' ? new DossierTotalsWriter(this.ctx) : target === 'directives' ? new DirectiveWriter(this.ctx) : this.writer;

    const flush = async () => {
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      const readable = rows.filter((r) => !r.problem);
      const values = readable.map((r) => (isPlainObject(r.value) ? { ...defaults, ...r.value } : r.value));
      const result = await writer.write(values, { source: req.source.code, runId, enteredBy: req.enteredBy ?? null }, { dryRun, bounds, mapping: req.source.mapping });
      const refused = new Set(result.rejected.map((x) => x.index));
      // A row stored otherwise than sent (a name resolved, a unit converted) is previewed with both.
      const stored = new Map((result.stored ?? []).map(({ index, ...as }) => [index, as]));
      const previous = new Map((result.previous ?? []).map(({ index, ...was }) => [index, was]));
      const rejected: (RejectedRowInput & { reason: RejectionReason; value: unknown })[] = [];
      for (const r of rows) {
        if (r.problem) rejected.push({ index: r.index, line: r.line, reason: r.problem.reason, message: r.problem.message, raw: r.raw, rowJson: toJson(r.value), value: r.value });
      }
      for (const x of result.rejected) {
        const r = readable[x.index];
        if (r) rejected.push({ index: r.index, line: r.line, reason: x.reason, message: `Line ${r.line}: ${x.message}`, raw: r.raw, rowJson: toJson(values[x.index]), value: values[x.index] });
      }
      rejected.sort((a, b) => a.index - b.index);
      // The latest period delivered: what freshness judges a periodic source by.
      let latest: string | null = null;
      for (let i = 0; i < values.length; i++) {
        if (refused.has(i)) continue;
        const v = values[i];
        const end = isPlainObject(v) && typeof v.period === 'string' ? periodEndOf(v.period) : null;
        if (end !== null && (latest === null || end > latest)) latest = end;
        if (dryRun && preview.length < PREVIEW) {
          const as = stored.get(i);
          const was = previous.get(i);
          preview.push(isPlainObject(v) && (as || was) ? { ...v, ...(as ? { stored: as } : {}), ...(was ? { previous: was } : {}) } : v);
        }
      }
      const counts = { read: rows.length, accepted: result.accepted, rejected: rejected.length, created: result.created, revised: result.revised, unchanged: result.unchanged };
      totals.read += counts.read;
      totals.accepted += counts.accepted;
      totals.rejected += counts.rejected;
      totals.created += counts.created;
      totals.revised += counts.revised;
      totals.unchanged += counts.unchanged;
      for (const r of rejected) {
        if (sample.length >= SAMPLE) break;
        // Answered as kept: an excerpt of what was received, the row only when it is short.
        const row = rejectedRowJson(r.rowJson) === null ? null : (r.value ?? null);
        sample.push({ index: r.index, line: r.line, reason: r.reason, message: excerpt(r.message), raw: excerpt(r.raw), row });
      }
      const last = rows[rows.length - 1];
      const cursor = last?.cursor ?? progress.checkpoint?.cursor;
      const checkpoint: RunCheckpoint = { rows: totals.read, line: last?.line ?? null, ...(cursor !== undefined ? { cursor } : {}) };
      progress.checkpoint = checkpoint;
      if (runId === null) return;
      await runs.addRejected(runId, rejected);
      await runs.recordBatch(runId, counts, checkpoint);
      if (result.accepted > 0) await sources.recordArrival(req.source.code, now(), latest);
      await runs.heartbeat(runId, now());
      await req.onBatch?.(checkpoint, runId);
    };

    const finish = async (status: RunStatus, error: string | null, errorCode: string | null = null, warnings: readonly RunWarning[] = []) => {
      if (beat) clearInterval(beat);
      if (runId !== null) await runs.finish(runId, { status, finishedAt: now(), durationMs: Math.round(performance.now() - started), error, errorCode, warnings });
    };

    try {
      let index = 0;
      for await (const r of req.rows) {
        batch.push({ ...r, index: index++ });
        if (batch.length >= batchSize) await flush();
      }
      await flush();
    } catch (e) {
      const known = e instanceof AppError;
      if (!known) req.log?.error({ err: e, runId, source: req.source.code }, 'ingestion failed');
      const { checkpoint } = progress;
      const message = known ? e.message : `The rows after ${checkpoint?.rows ?? 0} (line ${checkpoint?.line ?? 0}) could not be written; none of that batch was kept. Send them again: rows already stored are not duplicated.`;
      try {
        await finish('failed', message, known ? e.code : 'ingestion_failed');
      } catch (again) {
        req.log?.error({ err: again, runId }, 'could not record the failed run');
      }
      const details = { runId, rowsRead: totals.read, rowsAccepted: totals.accepted, checkpoint };
      throw known ? new AppError(e.code, e.message, details) : new AppError('ingestion_failed', message, details);
    }

    if (totals.read === 0 && !req.allowEmpty) {
      await finish('failed', 'Nothing to read: the body holds no rows', 'invalid_body');
      throw new AppError('invalid_body', 'The body holds no rows', { runId });
    }
    const status: RunStatus = totals.rejected > 0 ? 'partial' : 'succeeded';
    const warnings = req.warnings?.() ?? [];
    await finish(status, null, null, warnings);
    return {
      runId,
      dryRun,
      status,
      rowsRead: totals.read,
      accepted: totals.accepted,
      created: totals.created,
      revised: totals.revised,
      unchanged: totals.unchanged,
      rejected: totals.rejected,
      rejectedRows: sample,
      ...(dryRun ? { preview } : {}),
      ...(warnings.length > 0 ? { warnings: [...warnings] } : {}),
    };
  }

  /**
   * A file refused whole before any row was read (an encoding it cannot
   * tell, an encoding declared that does not fit, no header row …): kept as
   * a failed run with its coded reason, so the refusal shows among the
   * source's runs as a failed delivery would. Answers the error to throw,
   * with the run's id in its details.
   */
  async refused(req: Pick<IngestRequest, 'source' | 'channel' | 'fileName' | 'enteredBy' | 'instance'>, error: AppError): Promise<AppError> {
    const runs = new RunsRepository(this.ctx.store.db);
    const at = this.ctx.clock.now().toISOString();
    const runId = await runs.start({ source: req.source.code, channel: req.channel, startedAt: at, fileName: req.fileName ?? null, enteredBy: req.enteredBy ?? null, instance: req.instance ?? null });
    await runs.finish(runId, { status: 'failed', finishedAt: at, durationMs: 0, error: error.message, errorCode: error.code });
    return new AppError(error.code, error.message, { ...(isPlainObject(error.details) ? error.details : {}), runId });
  }
}
