import type { Kysely, Transaction } from 'kysely';
import { reportScheduleSchema, scheduleOwnerSchema, type ReportSchedule, type ScheduleOwner } from '@watchfloor/core';
import type { Database } from '../schema';

type Db = Kysely<Database> | Transaction<Database>;

const asInstant = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));
const asInstantOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : asInstant(v));

function readJson(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}

export interface StoredSchedule {
  schedule: ReportSchedule;
  /** Who saved it; null for a schedule saved before owners were kept. */
  owner: ScheduleOwner | null;
  nextRunAt: string | null;
  updatedAt: string;
}

export interface RenderingMeta {
  id: number;
  scheduleCode: string;
  kind: 'report' | 'export';
  /** The template rendered, or the table exported. */
  templateCode: string;
  periodKey: string;
  format: string;
  renderedAt: string;
  /** Null when the run made no file. */
  sha256: string | null;
  size: number;
  /** Why the run made no file; null when it did. */
  error: string | null;
}

export interface DeliveryRow {
  id: number;
  renderingId: number;
  address: string;
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  updatedAt: string;
  sentAt: string | null;
}

const META = ['id', 'schedule_code', 'kind', 'template_code', 'period_key', 'format', 'rendered_at', 'sha256', 'size', 'error'] as const;

function meta(r: { id: number; schedule_code: string; kind: string; template_code: string; period_key: string; format: string; rendered_at: unknown; sha256: string; size: number | string; error: string | null }): RenderingMeta {
  return {
    id: Number(r.id),
    scheduleCode: r.schedule_code,
    kind: r.kind === 'export' ? 'export' : 'report',
    templateCode: r.template_code,
    periodKey: r.period_key,
    format: r.format,
    renderedAt: asInstant(r.rendered_at),
    sha256: r.error === null ? r.sha256 : null,
    size: Number(r.size),
    error: r.error,
  };
}

function delivery(r: Record<string, unknown>): DeliveryRow {
  return {
    id: Number(r.id),
    renderingId: Number(r.rendering_id),
    address: String(r.address),
    status: r.status as DeliveryRow['status'],
    attempts: Number(r.attempts),
    nextAttemptAt: asInstantOrNull(r.next_attempt_at),
    lastError: (r.last_error as string | null) ?? null,
    updatedAt: asInstant(r.updated_at),
    sentAt: asInstantOrNull(r.sent_at),
  };
}

/**
 * Scheduled reports: the schedules, the archive of their renderings (one per
 * schedule and period) and each rendering's deliveries with their attempts.
 */
export class ReportSchedulesRepository {
  constructor(private readonly db: Db) {}

  private stored(r: { document: unknown; owner: unknown; next_run_at: unknown; updated_at: unknown }): StoredSchedule {
    const owner = r.owner === null || r.owner === undefined ? null : scheduleOwnerSchema.parse(readJson(r.owner));
    return { schedule: reportScheduleSchema.parse(readJson(r.document)), owner, nextRunAt: asInstantOrNull(r.next_run_at), updatedAt: asInstant(r.updated_at) };
  }

  async list(): Promise<StoredSchedule[]> {
    const rows = await this.db.selectFrom('report_schedule').select(['document', 'owner', 'next_run_at', 'updated_at']).orderBy('code').execute();
    return rows.map((r) => this.stored(r));
  }

  async get(code: string): Promise<StoredSchedule | undefined> {
    const r = await this.db.selectFrom('report_schedule').select(['document', 'owner', 'next_run_at', 'updated_at']).where('code', '=', code).executeTakeFirst();
    return r ? this.stored(r) : undefined;
  }

  /** Creates or replaces a schedule with who saved it and the instant it next runs; true when the code was new. */
  async put(schedule: ReportSchedule, owner: ScheduleOwner, nextRunAt: string | null, now: string): Promise<boolean> {
    const existed = await this.db.selectFrom('report_schedule').select('code').where('code', '=', schedule.code).executeTakeFirst();
    const text = JSON.stringify(schedule);
    const ownerText = JSON.stringify(owner);
    await this.db
      .insertInto('report_schedule')
      .values({ code: schedule.code, document: text, owner: ownerText, next_run_at: nextRunAt, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('code').doUpdateSet({ document: text, owner: ownerText, next_run_at: nextRunAt, updated_at: now }))
      .execute();
    return existed === undefined;
  }

  /** The schedules whose next run has come. */
  async due(at: string): Promise<StoredSchedule[]> {
    const rows = await this.db.selectFrom('report_schedule').select(['document', 'owner', 'next_run_at', 'updated_at']).where('next_run_at', '<=', at).orderBy('next_run_at').orderBy('code').execute();
    return rows.map((r) => this.stored(r)).filter((s) => s.schedule.enabled);
  }

  /** Moves a schedule's next run on, only from the run read (so a run is taken once); true when moved. */
  async advance(code: string, from: string, to: string | null): Promise<boolean> {
    const r = await this.db.updateTable('report_schedule').set({ next_run_at: to }).where('code', '=', code).where('next_run_at', '=', from).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async rendering(scheduleCode: string, periodKey: string): Promise<RenderingMeta | undefined> {
    const r = await this.db.selectFrom('report_rendering').select(META).where('schedule_code', '=', scheduleCode).where('period_key', '=', periodKey).executeTakeFirst();
    return r ? meta(r) : undefined;
  }

  /**
   * Keeps a rendering and queues its delivery to each recipient, due at `at`;
   * the rendering's id. A run that made no file (`error`) is kept with no
   * content and queues nothing.
   */
  async addRendering(r: Omit<RenderingMeta, 'id' | 'size' | 'sha256' | 'error'> & ({ content: Buffer; sha256: string; error?: undefined } | { content?: undefined; sha256?: undefined; error: string }) & { recipients: readonly string[] }): Promise<number> {
    const content = r.content ?? Buffer.alloc(0);
    const inserted = await this.db
      .insertInto('report_rendering')
      .values({ schedule_code: r.scheduleCode, kind: r.kind, template_code: r.templateCode, period_key: r.periodKey, format: r.format, rendered_at: r.renderedAt, sha256: r.sha256 ?? '', size: content.length, content, error: r.error ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(inserted.id);
    if (r.error !== undefined) return id;
    for (const address of r.recipients) {
      await this.db.insertInto('report_delivery').values({ rendering_id: id, address, status: 'queued', next_attempt_at: r.renderedAt, updated_at: r.renderedAt }).execute();
    }
    return id;
  }

  /** Removes a failed rendering of a period (it has no deliveries), so the period can be rendered again; true when one was removed. */
  async removeFailed(scheduleCode: string, periodKey: string): Promise<boolean> {
    const r = await this.db.deleteFrom('report_rendering').where('schedule_code', '=', scheduleCode).where('period_key', '=', periodKey).where('error', 'is not', null).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async renderingById(id: number): Promise<RenderingMeta | undefined> {
    const r = await this.db.selectFrom('report_rendering').select(META).where('id', '=', id).executeTakeFirst();
    return r ? meta(r) : undefined;
  }

  async content(id: number): Promise<Buffer | undefined> {
    const r = await this.db.selectFrom('report_rendering').select('content').where('id', '=', id).executeTakeFirst();
    return r ? Buffer.from(r.content) : undefined;
  }

  /** The renderings of a schedule, newest first. */
  async renderings(scheduleCode: string, limit = 50): Promise<RenderingMeta[]> {
    const rows = await this.db.selectFrom('report_rendering').select(META).where('schedule_code', '=', scheduleCode).orderBy('id', 'desc').limit(limit).execute();
    return rows.map(meta);
  }

  async deliveriesOf(renderingIds: readonly number[]): Promise<DeliveryRow[]> {
    if (renderingIds.length === 0) return [];
    const rows = await this.db.selectFrom('report_delivery').selectAll().where('rendering_id', 'in', [...renderingIds]).orderBy('id').execute();
    return rows.map((r) => delivery(r as unknown as Record<string, unknown>));
  }

  async dueDeliveries(at: string, limit = 50): Promise<DeliveryRow[]> {
    const rows = await this.db.selectFrom('report_delivery').selectAll().where('status', '=', 'queued').where('next_attempt_at', '<=', at).orderBy('next_attempt_at').orderBy('id').limit(limit).execute();
    return rows.map((r) => delivery(r as unknown as Record<string, unknown>));
  }

  /** Records an attempt, only over the attempts read (so two senders cannot both count one); true when recorded. */
  async recordAttempt(id: number, attemptsRead: number, r: { status: DeliveryRow['status']; nextAttemptAt: string | null; error: string | null; at: string }): Promise<boolean> {
    const res = await this.db
      .updateTable('report_delivery')
      .set({ status: r.status, attempts: attemptsRead + 1, next_attempt_at: r.nextAttemptAt, last_error: r.error, updated_at: r.at, sent_at: r.status === 'sent' ? r.at : null })
      .where('id', '=', id)
      .where('attempts', '=', attemptsRead)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }
}
