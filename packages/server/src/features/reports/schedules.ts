import { createHash } from 'node:crypto';
import { Cron } from 'croner';
import {
  ALL_DATA,
  AppError,
  dataScope,
  grantCodes,
  grantSchema,
  narrowGrants,
  nextMessageAttempt,
  reportScheduleSchema,
  type reportsApi,
  SCHEDULE_FILE_TYPES,
  scheduledPeriodKey,
  type DataScope,
  type Identity,
  type ReportSchedule,
  type ScheduleOwner,
} from '@watchfloor/core';
import { IdentityRepository, reaches, ReportSchedulesRepository, resolveScope, type DeliveryRow, type RenderingMeta, type StoredSchedule } from '@watchfloor/db';
import { OutboundGuard } from '@watchfloor/connectors';
import type { AppContext } from '../../context';
import { PdfPrinter } from '../../http/pdf';
import { tableFile } from '../../http/exports';
import { startLeasedTicker, tickUnderLease, type LeasedTicker } from '../../leased-ticker';
import type { AuditChange } from '../audit/service';
import { SmtpChannel, type Channel } from '../messages/channels';
import { SCHEDULE_TIMEZONE } from '../sources/checks';
import { renderDocx } from './docx';
import { renderPdf } from './pdf';
import { checkScheduledExport, scheduledExportName, scheduledExportTable } from './scheduled-exports';
import { ReportsService } from './service';

type ScheduleView = reportsApi.ScheduleView;
type RenderingView = reportsApi.RenderingView;

/** The lease several instances take turns on, so each scheduled report is rendered and sent by one. */
export const REPORT_SCHEDULE_LEASE = 'reports:schedules';

type Log = { warn(obj: object, msg: string): void };

/** The instant after `from` a cron expression (Vietnam time) next names. */
export function nextScheduledRun(cron: string, from: Date): Date | null {
  return new Cron(cron, { timezone: SCHEDULE_TIMEZONE, paused: true }).nextRun(from);
}

/** What a rendering keeps of what it rendered: the template, or the table exported (with its indicator). */
function subjectOf(schedule: ReportSchedule): string {
  return schedule.kind === 'report' ? schedule.template : [schedule.export.table, schedule.export.indicator].filter(Boolean).join(':');
}

/** The file name a rendering is downloaded and sent under. */
export function renderingFileName(meta: Pick<RenderingMeta, 'kind' | 'templateCode' | 'periodKey' | 'format'>): string {
  const stem = meta.kind === 'report' ? `bao-cao-${meta.templateCode}` : meta.templateCode.replace(/[^A-Za-z0-9._-]/g, '-');
  return `${stem}-${meta.periodKey}.${meta.format}`;
}

/** Who saves a schedule: the person (or token) whose reading it runs with. */
export function ownerOf(identity: Identity): ScheduleOwner {
  return identity.kind === 'anonymous' ? { login: null, grants: [] } : { login: identity.login, grants: identity.roles };
}

function view(s: StoredSchedule): ScheduleView {
  return { ...s.schedule, nextRunAt: s.nextRunAt, updatedAt: s.updatedAt, owner: s.owner?.login ?? null };
}

/** What a schedule renders, for a period, as its owner reads: a file, or why there is none. */
export type Rendered = { ok: true; file: Buffer } | { ok: false; error: string };

/**
 * Renders a schedule for a period with the scope of whoever saved it: their
 * roles narrowed to what they hold now (a disabled owner renders nothing); a
 * schedule saved before owners were kept reads as the whole province, as a
 * province steward saved it. A failure is an answer, never a broken file.
 */
export async function renderSchedule(ctx: AppContext, printer: PdfPrinter, stored: StoredSchedule, period: string): Promise<Rendered> {
  const { schedule } = stored;
  try {
    const scope = await ownerScope(ctx, stored.owner);
    if (schedule.format === 'pdf' && !printer.available()) return { ok: false, error: printer.unavailable().message };
    if (schedule.kind === 'report') {
      const model = await new ReportsService(ctx).model(schedule.template, period, scope);
      return { ok: true, file: schedule.format === 'pdf' ? await renderPdf(model, printer) : await renderDocx(model) };
    }
    const table = await scheduledExportTable(ctx, schedule.export, period, scope, schedule.lang);
    return { ok: true, file: await tableFile({ ...table, name: scheduledExportName(schedule.export, period) }, schedule.format, schedule.lang, printer) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

async function ownerScope(ctx: AppContext, owner: ScheduleOwner | null): Promise<DataScope> {
  if (!owner) return ALL_DATA;
  let roles = owner.grants;
  if (owner.login !== null) {
    const repo = new IdentityRepository(ctx.store.db);
    const user = await repo.userByLogin(owner.login);
    if (!user || user.disabled) throw new AppError('forbidden', `${owner.login}, who saved this schedule, can no longer sign in: it renders nothing until someone saves it again`);
    const held = user.roles.map((g) => grantSchema.parse(g));
    roles = narrowGrants(roles, held, await repo.ancestry(grantCodes([...roles, ...held])));
  }
  return dataScope({ kind: 'token', tokenId: 0, name: 'report schedule', login: owner.login, sourceCode: null, roles });
}

/** Schedules as data stewards keep them, and what was rendered and delivered for each. */
export class ReportSchedulesService {
  constructor(
    private readonly ctx: AppContext,
    private readonly printer: PdfPrinter = new PdfPrinter(ctx.config.chromium),
  ) {}

  private repo() {
    return new ReportSchedulesRepository(this.ctx.store.db);
  }

  /** Whether the whole province lies in what the caller may manage: such a steward keeps every schedule. */
  private async holdsProvince(by: Identity): Promise<boolean> {
    return reaches(this.ctx.store.db, await resolveScope(this.ctx.store.db, dataScope(by, 'catalogue.manage')), { placeCode: this.ctx.config.province });
  }

  /** A schedule is kept (seen, changed, run, its files read) by its owner, and by a steward of the whole province. */
  private async keeps(by: Identity, s: StoredSchedule): Promise<boolean> {
    const login = by.kind === 'anonymous' ? null : by.login;
    return (login !== null && s.owner?.login === login) || this.holdsProvince(by);
  }

  /** A schedule the caller keeps; one they do not answers `unknown_report_schedule`, exactly as an unknown code. */
  private async kept(code: string, by: Identity): Promise<StoredSchedule> {
    const s = await this.repo().get(code);
    if (!s || !(await this.keeps(by, s))) throw new AppError('unknown_report_schedule', `No report schedule has code ${code}`);
    return s;
  }

  async list(by: Identity): Promise<ScheduleView[]> {
    const all = await this.repo().list();
    if (await this.holdsProvince(by)) return all.map(view);
    const login = by.kind === 'anonymous' ? null : by.login;
    return all.filter((s) => login !== null && s.owner?.login === login).map(view);
  }

  /**
   * Saves a schedule: a report's template must exist and croner must read
   * its cron; its next run counts from now. A report carries the figures of
   * the whole province, so only someone whose scope holds the province keeps
   * one; an export is of what its owner reads, so any steward keeps their
   * own. Whoever saves it becomes its owner: it runs with what they read.
   */
  async put(code: string, raw: unknown, by: Identity): Promise<{ created: boolean; schedule: ScheduleView; change: AuditChange }> {
    const parsed = reportScheduleSchema.safeParse(raw);
    if (!parsed.success) throw new AppError('invalid_body', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), parsed.error.issues);
    const schedule = parsed.data;
    const stored = await this.repo().get(code);
    if (stored && !(await this.keeps(by, stored))) throw new AppError('forbidden', 'This schedule is kept by its owner and the stewards of the whole province');
    if (schedule.kind === 'report' && !(await this.holdsProvince(by))) {
      throw new AppError('forbidden', 'A scheduled report holds the figures of the whole province: only a steward of the whole province keeps one');
    }
    if (schedule.code !== code) throw new AppError('invalid_body', `code: the schedule is ${schedule.code} but the path names ${code}`);
    if (schedule.kind === 'report') await new ReportsService(this.ctx).get(schedule.template);
    else checkScheduledExport(schedule.export);
    let next: Date | null;
    try {
      next = nextScheduledRun(schedule.cron, this.ctx.clock.now());
    } catch (e) {
      throw new AppError('invalid_body', `cron: ${schedule.cron} is not a cron expression (${e instanceof Error ? e.message : String(e)})`);
    }
    const owner = ownerOf(by);
    const now = this.ctx.clock.now().toISOString();
    const nextRunAt = schedule.enabled && next ? next.toISOString() : null;
    const created = await this.repo().put(schedule, owner, nextRunAt, now);
    return {
      created,
      schedule: { ...schedule, nextRunAt, updatedAt: now, owner: owner.login },
      change: {
        action: created ? 'report_schedule.create' : 'report_schedule.update',
        entityKind: 'report_schedule',
        entityKey: code,
        ...(stored ? { before: { ...stored.schedule, owner: stored.owner?.login ?? null } } : {}),
        after: { ...schedule, owner: owner.login },
      },
    };
  }

  /** A schedule's renderings, newest first, each with its deliveries. */
  async renderings(code: string, by: Identity): Promise<RenderingView[]> {
    await this.kept(code, by);
    const renderings = await this.repo().renderings(code);
    return this.withDeliveries(renderings);
  }

  private async withDeliveries(renderings: RenderingMeta[]): Promise<RenderingView[]> {
    const deliveries = await this.repo().deliveriesOf(renderings.map((r) => r.id));
    return renderings.map((r) => ({
      ...r,
      status: r.error === null ? 'rendered' : 'failed',
      deliveries: deliveries.filter((d) => d.renderingId === r.id).map((d) => ({ address: d.address, status: d.status, attempts: d.attempts, nextAttemptAt: d.nextAttemptAt, lastError: d.lastError, sentAt: d.sentAt })),
    }));
  }

  /** A rendering's file as it was kept, with its name, media type and SHA-256; a failed run has none. */
  async file(code: string, id: number, by: Identity): Promise<{ meta: RenderingMeta & { sha256: string }; fileName: string; mediaType: string; content: Buffer }> {
    await this.kept(code, by);
    const meta = await this.repo().renderingById(id);
    const content = meta && meta.scheduleCode === code && meta.sha256 !== null ? await this.repo().content(id) : undefined;
    if (!meta || meta.sha256 === null || !content) throw new AppError('unknown_report_rendering', `Schedule ${code} has no rendered file ${id}`);
    return { meta: { ...meta, sha256: meta.sha256 }, fileName: renderingFileName(meta), mediaType: SCHEDULE_FILE_TYPES[meta.format as ReportSchedule['format']] ?? 'application/octet-stream', content };
  }

  /**
   * Runs a schedule now, for the period before today as a scheduled run
   * counts it: rendered and kept, its deliveries queued for the scheduler's
   * next tick. A period already rendered is answered as it is; one whose run
   * failed is rendered again.
   */
  async run(code: string, by: Identity): Promise<{ created: boolean; rendering: RenderingView; change: AuditChange }> {
    const stored = await this.kept(code, by);
    const now = this.ctx.clock.now();
    const period = scheduledPeriodKey(stored.schedule.period, now);
    const repo = this.repo();
    let existing = await repo.rendering(code, period);
    if (existing && existing.error !== null) {
      await repo.removeFailed(code, period);
      existing = undefined;
    }
    if (existing) return { created: false, rendering: (await this.withDeliveries([existing]))[0]!, change: runChange(code, period, existing) };
    const id = await keepRendering(repo, stored.schedule, period, now.toISOString(), await renderSchedule(this.ctx, this.printer, stored, period));
    const meta = (await repo.renderingById(id))!;
    return { created: true, rendering: (await this.withDeliveries([meta]))[0]!, change: runChange(code, period, meta) };
  }
}

function runChange(code: string, period: string, meta: RenderingMeta): AuditChange {
  return { action: 'report_schedule.run', entityKind: 'report_schedule', entityKey: code, after: { period, rendering: meta.id, sha256: meta.sha256, error: meta.error } };
}

/** Keeps what a run made (the file and its SHA-256, queued to each recipient; or why there is none); the rendering's id. */
function keepRendering(repo: ReportSchedulesRepository, schedule: ReportSchedule, period: string, at: string, rendered: Rendered): Promise<number> {
  const base = { scheduleCode: schedule.code, kind: schedule.kind, templateCode: subjectOf(schedule), periodKey: period, format: schedule.format, renderedAt: at, recipients: schedule.recipients };
  return rendered.ok
    ? repo.addRendering({ ...base, content: rendered.file, sha256: createHash('sha256').update(rendered.file).digest('hex') })
    : repo.addRendering({ ...base, error: rendered.error });
}

export interface ReportSchedulerOptions {
  /** The e-mail channel, when not the one the configuration makes (tests give their own). */
  email?: Channel;
  /** The PDF printer (the app's, so PDFs of requests and of schedules take turns); else one of the configured Chromium. */
  printer?: PdfPrinter;
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
  private readonly printer: PdfPrinter;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: ReportSchedulerOptions = {},
  ) {
    this.email = options.email ?? (ctx.config.smtp ? new SmtpChannel(ctx.config.smtp, new OutboundGuard(ctx.config.outboundAllow), options.log) : undefined);
    this.printer = options.printer ?? new PdfPrinter(ctx.config.chromium);
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

  /**
   * Renders each schedule whose run has come, once per period, and moves its
   * next run on; a run that can make no file is kept failed with why.
   */
  async renderDue(now: Date): Promise<void> {
    const at = now.toISOString();
    for (const stored of await this.repo().due(at)) {
      const { schedule, nextRunAt } = stored;
      if (nextRunAt === null) continue;
      // The period is the one before the scheduled instant, so a run made late still reports on the period it was for.
      const period = scheduledPeriodKey(schedule.period, new Date(nextRunAt));
      const rendered = (await this.repo().rendering(schedule.code, period)) ? null : await renderSchedule(this.ctx, this.printer, stored, period);
      if (rendered && !rendered.ok) this.options.log?.warn({ schedule: schedule.code, period, cause: rendered.error }, 'scheduled report not rendered');
      const next = nextScheduledRun(schedule.cron, now)?.toISOString() ?? null;
      await this.ctx.store.db.transaction().execute(async (trx) => {
        const tx = new ReportSchedulesRepository(trx);
        if (!(await tx.advance(schedule.code, nextRunAt, next))) return;
        if (rendered) await keepRendering(tx, schedule, period, at, rendered);
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
    const template = meta.kind === 'report' ? await new ReportsService(this.ctx).get(meta.templateCode).catch(() => undefined) : undefined;
    const title = meta.kind === 'report' ? (template?.title.vi ?? meta.templateCode) : `Bảng số liệu ${meta.templateCode}`;
    const subject = `${title} – kỳ ${meta.periodKey}`;
    const body = `${title}, kỳ báo cáo ${meta.periodKey}, gửi theo lịch "${meta.scheduleCode}" của ${this.ctx.config.publicUrl}.\nTệp đính kèm (SHA-256 ${meta.sha256}).`;
    try {
      return await channel.send({ id: d.id, address: d.address, subject, body, attachments: [{ filename: renderingFileName(meta), content, contentType: SCHEDULE_FILE_TYPES[meta.format as ReportSchedule['format']] ?? 'application/octet-stream' }] });
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }
}
