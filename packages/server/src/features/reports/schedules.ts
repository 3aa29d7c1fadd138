import { createHash } from 'node:crypto';
import { Cron } from 'croner';
import { AppError, nextMessageAttempt, reportsApi, reportScheduleSchema, scheduledPeriodKey, type DataScope, type ReportSchedule } from '@watchfloor/core';
import { reaches, ReportSchedulesRepository, resolveScope, type DeliveryRow, type RenderingMeta } from '@watchfloor/db';
import { OutboundGuard } from '@watchfloor/connectors';
import type { AppContext } from '../../context';
import { startLeasedTicker, tickUnderLease, type LeasedTicker } from '../../leased-ticker';
import type { AuditChange } from '../audit/service';
import { SmtpChannel, type Channel } from '../messages/channels';
import { SCHEDULE_TIMEZONE } from '../sources/checks';
import { renderDocx } from './docx';
import { ReportsService } from './service';

/** The lease several instances take turns on, so each scheduled report is rendered and sent by one. */
export const REPORT_SCHEDULE_LEASE = 'reports:schedules';

type Log = { warn(obj: object, msg: string): void };

/** The instant after `from` a cron expression (Vietnam time) next names. */
export function nextScheduledRun(cron: string, from: Date): Date | null {
  return new Cron(cron, { timezone: SCHEDULE_TIMEZONE, paused: true }).nextRun(from);
}

export interface ScheduleView extends ReportSchedule {
  nextRunAt: string | null;
  updatedAt: string;
}

export interface RenderingView extends RenderingMeta {
  deliveries: Array<Pick<DeliveryRow, 'address' | 'status' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'sentAt'>>;
}

/** Schedules as data stewards keep them, and what was rendered and delivered for each. */
export class ReportSchedulesService {
  constructor(private readonly ctx: AppContext) {}

  private repo() {
    return new ReportSchedulesRepository(this.ctx.store.db);
  }

  async list(): Promise<ScheduleView[]> {
    return (await this.repo().list()).map((s) => ({ ...s.schedule, nextRunAt: s.nextRunAt, updatedAt: s.updatedAt }));
  }

  /**
   * Saves a schedule: its template must exist and croner must read its cron;
   * its next run counts from now. A scheduled report carries the figures of
   * the whole province, so only someone whose scope holds the province keeps one.
   */
  async put(code: string, raw: unknown, by: DataScope): Promise<{ created: boolean; schedule: ScheduleView; change: AuditChange }> {
    const parsed = reportScheduleSchema.safeParse(raw);
    if (!parsed.success) throw new AppError('invalid_body', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), parsed.error.issues);
    const schedule = parsed.data;
    if (!(await reaches(this.ctx.store.db, await resolveScope(this.ctx.store.db, by), { placeCode: this.ctx.config.province }))) {
      throw new AppError('forbidden', 'A scheduled report holds the figures of the whole province: only a steward of the whole province keeps one');
    }
    if (schedule.code !== code) throw new AppError('invalid_body', `code: the schedule is ${schedule.code} but the path names ${code}`);
    await new ReportsService(this.ctx).get(schedule.template);
    let next: Date | null;
    try {
      next = nextScheduledRun(schedule.cron, this.ctx.clock.now());
    } catch (e) {
      throw new AppError('invalid_body', `cron: ${schedule.cron} is not a cron expression (${e instanceof Error ? e.message : String(e)})`);
    }
    const before = (await this.repo().get(code))?.schedule;
    const now = this.ctx.clock.now().toISOString();
    const nextRunAt = schedule.enabled && next ? next.toISOString() : null;
    const created = await this.repo().put(schedule, nextRunAt, now);
    return {
      created,
      schedule: { ...schedule, nextRunAt, updatedAt: now },
      change: { action: created ? 'report_schedule.create' : 'report_schedule.update', entityKind: 'report_schedule', entityKey: code, ...(before ? { before } : {}), after: schedule },
    };
  }

  /** A schedule's renderings, newest first, each with its deliveries. */
  async renderings(code: string): Promise<RenderingView[]> {
    if (!(await this.repo().get(code))) throw new AppError('unknown_report_schedule', `No report schedule has code ${code}`);
    const renderings = await this.repo().renderings(code);
    const deliveries = await this.repo().deliveriesOf(renderings.map((r) => r.id));
    return renderings.map((r) => ({
      ...r,
      deliveries: deliveries.filter((d) => d.renderingId === r.id).map((d) => ({ address: d.address, status: d.status, attempts: d.attempts, nextAttemptAt: d.nextAttemptAt, lastError: d.lastError, sentAt: d.sentAt })),
    }));
  }
}

export interface ReportSchedulerOptions {
  /** The e-mail channel, when not the one the configuration makes (tests give their own). */
  email?: Channel;
  retry?: { attempts: number; delaysMs: readonly number[] };
  log?: Log;
}

/**
 * Sends scheduled reports, in the background under a lease (of several
 * instances one runs). On each tick: every schedule whose run has come is
 * rendered for the period before the run (as a steward of the whole province
 * reads it), kept in the archive with its SHA-256 and queued for each
 * recipient, and its next run set; then the deliveries due are e-mailed with
 * the file attached, a failure retried with backoff until recorded failed.
 */
export class ReportScheduler {
  private readonly email: Channel | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: ReportSchedulerOptions = {},
  ) {
    this.email = options.email ?? (ctx.config.smtp ? new SmtpChannel(ctx.config.smtp, new OutboundGuard(ctx.config.outboundAllow), options.log) : undefined);
  }

  private repo() {
    return new ReportSchedulesRepository(this.ctx.store.db);
  }

  /** Takes the lease and ticks when it got it; false when another instance holds it. */
  async tickUnderLease(owner: string, now: Date = this.ctx.clock.now(), ttlMs = 300_000): Promise<boolean> {
    return tickUnderLease(this.ctx, REPORT_SCHEDULE_LEASE, owner, now, ttlMs, (at) => this.tick(at));
  }

  /** Ticks every `intervalMs` (30 s) under the lease; a tick still running is not overlapped; `stop` waits for it. */
  startTicker(options: { owner: string; intervalMs?: number; onError?: (message: string, error: unknown) => void }): LeasedTicker {
    const intervalMs = options.intervalMs ?? 30_000;
    return startLeasedTicker(this.ctx, {
      lease: REPORT_SCHEDULE_LEASE,
      owner: options.owner,
      intervalMs,
      ttlMs: intervalMs * 10,
      what: 'scheduled report',
      now: () => this.ctx.clock.now(),
      tick: (at) => this.tick(at),
      onError: options.onError,
    });
  }


  async tick(now: Date = this.ctx.clock.now()): Promise<void> {
    await this.renderDue(now);
    await this.deliverDue(now);
  }

  /** Renders each schedule whose run has come, once per period, and moves its next run on. */
  async renderDue(now: Date): Promise<void> {
    const at = now.toISOString();
    for (const { schedule, nextRunAt } of await this.repo().due(at)) {
      if (nextRunAt === null) continue;
      // The period is the one before the scheduled instant, so a run made late still reports on the period it was for.
      const period = scheduledPeriodKey(schedule.period, new Date(nextRunAt));
      let file: Buffer | null = null;
      if (!(await this.repo().rendering(schedule.code, period))) {
        try {
          file = await renderDocx(await new ReportsService(this.ctx).model(schedule.template, period, { kind: 'all' }));
        } catch (e) {
          this.options.log?.warn({ schedule: schedule.code, period, cause: e instanceof Error ? e.message : String(e) }, 'scheduled report not rendered');
        }
      }
      const next = nextScheduledRun(schedule.cron, now)?.toISOString() ?? null;
      await this.ctx.store.db.transaction().execute(async (trx) => {
        const tx = new ReportSchedulesRepository(trx);
        if (!(await tx.advance(schedule.code, nextRunAt, next))) return;
        if (file) await tx.addRendering({ scheduleCode: schedule.code, templateCode: schedule.template, periodKey: period, format: schedule.format, renderedAt: at, sha256: createHash('sha256').update(file).digest('hex'), content: file, recipients: schedule.recipients });
      });
    }
  }

  /** E-mails the deliveries due with their file: sent on success; else another try later, until the last try records it failed. */
  async deliverDue(now: Date): Promise<void> {
    const repo = this.repo();
    const files = new Map<number, { meta: RenderingMeta | undefined; content: Buffer | undefined }>();
    for (const d of await repo.dueDeliveries(now.toISOString())) {
      let f = files.get(d.renderingId);
      if (!f) {
        f = { meta: await repo.renderingById(d.renderingId), content: await repo.content(d.renderingId) };
        files.set(d.renderingId, f);
      }
      const error = !this.email ? 'e-mail is not configured' : !f.meta || !f.content ? 'the rendering is gone' : await this.attempt(this.email, d, f.meta, f.content);
      const attempts = d.attempts + 1;
      const next = error === null ? null : nextMessageAttempt(attempts, now, this.options.retry);
      await repo.recordAttempt(d.id, d.attempts, { status: error === null ? 'sent' : next ? 'queued' : 'failed', nextAttemptAt: next ? next.toISOString() : null, error, at: now.toISOString() });
    }
  }

  private async attempt(channel: Channel, d: DeliveryRow, meta: RenderingMeta, content: Buffer): Promise<string | null> {
    const template = await new ReportsService(this.ctx).get(meta.templateCode).catch(() => undefined);
    const title = template?.title.vi ?? meta.templateCode;
    const subject = `${title} – kỳ ${meta.periodKey}`;
    const body = `${title}, kỳ báo cáo ${meta.periodKey}, gửi theo lịch "${meta.scheduleCode}" của ${this.ctx.config.publicUrl}.\nTệp đính kèm (SHA-256 ${meta.sha256}).`;
    try {
      return await channel.send({ id: d.id, address: d.address, subject, body, attachments: [{ filename: `bao-cao-${meta.templateCode}-${meta.periodKey}.${meta.format}`, content, contentType: reportsApi.DOCX }] });
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }
}
