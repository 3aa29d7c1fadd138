import {
  addDays,
  daysToDeadline,
  deadlineWindow,
  directiveTaskId,
  escalationStep,
  expectedDeliverySchema,
  FINISHED_STATUSES,
  noDataSince,
  ruleParameters,
  sourceFreshness,
  taskAlertSubject,
  taskAlertTask,
  taskDeadlineStage,
  taskOfAlertSubject,
  vietnamDate,
  type AlertRule,
  type AlertStatus,
  type TaskDeadlineStage,
} from '@watchfloor/core';
import { ALL_ROWS, AlertsRepository, CasesRepository, SourcesRepository, type AlertRow } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { startLeasedTicker, tickUnderLease, type LeasedTicker } from '../../leased-ticker';
import { DirectiveService } from '../directives/service';
import { payloadOf, queueWebhook, SYSTEM_ACTOR, type WebhookDelivery } from './delivery';
import { publishAlertChanged, type AlertEvaluation, type Finding } from './evaluation';

/** The lease several instances take turns on, so time-driven rules are evaluated once. */
export const ALERT_TICK_LEASE = 'alerts:tick';

const iso = (d: Date) => d.toISOString();
const round = (n: number) => Math.round(n * 100) / 100;

/**
 * The clock of the alarm loop: on each tick (under a lease, so one instance
 * of several ticks) the time-driven rules — silence, case, dossier and
 * directive task deadlines, late sources — are swept, CAP alerts past their expiry
 * resolve, unacknowledged alerts escalate, and the webhooks due are tried.
 */
export class AlertClock {
  constructor(
    private readonly ctx: AppContext,
    private readonly evaluation: AlertEvaluation,
    private readonly delivery: WebhookDelivery,
  ) {}

  private repo() {
    return new AlertsRepository(this.ctx.store.db);
  }

  private now(): Date {
    return this.ctx.clock.now();
  }

  /** Takes the `alerts:tick` lease and ticks when it got it; false when another instance holds it. */
  async tickUnderLease(owner: string, now: Date = this.now(), ttlMs = 60_000): Promise<boolean> {
    return tickUnderLease(this.ctx, ALERT_TICK_LEASE, owner, now, ttlMs, (at) => this.tick(at));
  }

  /**
   * Ticks every `intervalMs` (15 s) under the `alerts:tick` lease, so of
   * several instances on one database one ticks at a time; a tick still
   * running when the next is due is not overlapped. `stop` waits for it.
   */
  startTicker(options: { owner: string; intervalMs?: number; onError?: (message: string, error: unknown) => void }): LeasedTicker {
    const intervalMs = options.intervalMs ?? 15_000;
    return startLeasedTicker(this.ctx, {
      lease: ALERT_TICK_LEASE,
      owner: options.owner,
      intervalMs,
      ttlMs: intervalMs * 4,
      what: 'alert',
      now: () => this.now(),
      tick: (at) => this.tick(at),
      onError: options.onError,
    });
  }


  /** The time-driven rules (silence, deadlines, late sources), escalations, and webhooks due. */
  async tick(now: Date = this.now()): Promise<void> {
    const repo = this.repo();
    for (const rule of await repo.rules({ kinds: ['no_data', 'case_deadline', 'dossier_deadline', 'task_deadline', 'source_freshness'], enabledOnly: true })) {
      if (rule.kind === 'no_data') await this.tickNoData(rule, now);
      else if (rule.kind === 'case_deadline') await this.tickCases(rule, now);
      else if (rule.kind === 'dossier_deadline') await this.tickDossiers(rule, now);
      else if (rule.kind === 'task_deadline') await this.tickTasks(rule, now);
      else await this.tickSources(rule, now);
    }
    await this.expire(now);
    await this.escalate(now);
    await this.delivery.deliverDue(now);
    // Directive tasks fall overdue by time alone: their figures are recomputed on the first tick of each Vietnam day.
    await this.ctx.directiveFigures?.daily(now);
  }

  /** Resolves the alerts whose expiry has passed (CAP `expires`): no longer in force. */
  private async expire(now: Date) {
    const at = iso(now);
    for (const a of await this.repo().expired(at)) {
      const changed = await this.ctx.store.db.transaction().execute(async (trx) => {
        const repo = new AlertsRepository(trx);
        if (!(await repo.resolve(a.id, SYSTEM_ACTOR, at, true))) return null;
        await repo.addEvent(a.id, { at, actor: SYSTEM_ACTOR, kind: 'resolved', value: null, note: `expired at ${a.expires_at ?? '?'}` });
        await queueWebhook(repo, a, 'resolved', at);
        return repo.get(a.id, ALL_ROWS);
      });
      if (changed) publishAlertChanged(this.ctx, changed);
    }
  }

  private async tickNoData(rule: AlertRule, now: Date) {
    const p = ruleParameters('no_data', rule.parameters);
    const s = rule.subject;
    const key = s.datastream !== undefined ? `ds:${s.datastream}` : `${s.indicator ?? ''}@${s.place ?? ''}`;
    const last = s.datastream !== undefined ? ((await this.repo().lastSeen(rule.code, key))?.at ?? null) : await this.repo().lastRecorded(s.indicator as string, s.place as string);
    const place = s.datastream !== undefined ? ((await this.repo().seenOfRule(rule.code)).find((x) => x.subjectKey === key)?.placeCode ?? null) : (s.place ?? null);
    const since = noDataSince(p, last, rule.updatedAt, now);
    const what = s.datastream ?? `${s.indicator ?? ''} @ ${s.place ?? ''}`;
    await this.evaluation.apply(rule, key, since ? { active: true, value: null, message: `No data from ${what} since ${last ?? rule.updatedAt} (silent from ${since})`, placeCode: place, orgCode: null } : { active: false }, iso(now));
  }

  private async tickCases(rule: AlertRule, now: Date) {
    const p = ruleParameters('case_deadline', rule.parameters);
    const cases = await new CasesRepository(this.ctx.store.db).list({
      deadlineBefore: new Date(now.getTime() + p.windowHours * 3_600_000).toISOString(),
      finished: FINISHED_STATUSES,
      categoryCode: rule.subject.category,
      orgCode: rule.subject.agency,
      limit: 10_000,
    }, ALL_ROWS);
    const findings = new Map<string, Finding>();
    for (const c of cases) {
      const w = deadlineWindow(c.deadlineAt, now, p.windowHours);
      if (!w) continue;
      const hours = round((Date.parse(c.deadlineAt) - now.getTime()) / 3_600_000);
      findings.set(`case:${c.publicId}`, {
        active: true,
        value: hours,
        message: w === 'overdue' ? `Case ${c.publicId} (${c.orgCode ?? 'unassigned'}) is overdue since ${c.deadlineAt}` : `Case ${c.publicId} (${c.orgCode ?? 'unassigned'}) falls due at ${c.deadlineAt}`,
        placeCode: c.placeCode,
        orgCode: c.orgCode,
        note: w,
      });
    }
    await this.evaluation.applyAll(rule, findings, now);
  }

  private async tickDossiers(rule: AlertRule, now: Date) {
    const p = ruleParameters('dossier_deadline', rule.parameters);
    const dossiers = await this.repo().dossiersDueBefore(new Date(now.getTime() + p.windowHours * 3_600_000).toISOString(), rule.subject.agency);
    const findings = new Map<string, Finding>();
    for (const d of dossiers) {
      const w = deadlineWindow(d.dueAt, now, p.windowHours);
      if (!w) continue;
      findings.set(`dossier:${d.code}`, {
        active: true,
        value: round((Date.parse(d.dueAt) - now.getTime()) / 3_600_000),
        message: w === 'overdue' ? `Dossier ${d.code} of ${d.orgCode} is late since ${d.dueAt}` : `Dossier ${d.code} of ${d.orgCode} falls due at ${d.dueAt}`,
        placeCode: d.placeCode,
        orgCode: d.orgCode,
        note: w,
      });
    }
    await this.evaluation.applyAll(rule, findings, now);
  }

  /**
   * Directive tasks against their deadlines, each occurrence of a recurring
   * task on its own, in Vietnam days: one alert per task × stage (its key
   * ends in the stage), so a task moving on from due soon to overdue to
   * long overdue raises, tells and escalates anew, and the alert of the
   * stage it left resolves saying where it went. A task done, cancelled,
   * reported done or extended out of the rule's stages resolves its alert.
   */
  private async tickTasks(rule: AlertRule, now: Date) {
    const p = ruleParameters('task_deadline', rule.parameters);
    const at = iso(now);
    const tasks = await new DirectiveService(this.ctx).occurrencesIn(ALL_ROWS, rule.subject.agency, at, addDays(vietnamDate(now), p.dueWithinDays ?? 0));
    const raised = new Map<string, Finding>();
    /** Where each task (occurrence) stands now, by the start of its alerts' keys: what the resolution of an alert it has left says. */
    const whereNow = new Map<string, string>();
    for (const t of tasks) {
      const named = { documentNumber: t.doc.number, key: t.task.task.key, occurrence: t.occurrence };
      const base = taskAlertTask(named);
      const s = t.state;
      const days = daysToDeadline(s, now);
      const stage = taskDeadlineStage(p, s, now);
      whereNow.set(base, s.awaitingConfirmation ? 'task reported done' : days === null || s.deadline === null ? `task ${s.status}` : stage ? `now ${stage}` : days < 0 ? `overdue since ${s.deadline}` : `due ${s.deadline}`);
      if (stage === null || days === null || s.deadline === null) continue;
      const what = `Task ${directiveTaskId(t.doc.number, t.task.task.key)}${t.occurrence === null ? '' : ` (${t.occurrence})`} of ${t.lead}`;
      raised.set(taskAlertSubject(named, stage), { active: true, value: days, message: `${what} ${taskMessage(stage, days, s.deadline, p.overdueMoreThanDays)}: ${clip(t.task.task.text, 200)}`, placeCode: null, orgCode: t.lead, note: stage });
    }
    // The alerts of stages left resolve first, saying where their task is now; then the stages reached raise.
    const findings = new Map<string, Finding>();
    for (const open of await this.repo().unresolvedOfRule(rule.code)) {
      if (raised.has(open.subject_key)) continue;
      const task = taskOfAlertSubject(open.subject_key);
      const where = task && whereNow.get(taskAlertTask(task));
      if (where) findings.set(open.subject_key, { active: false, note: where });
    }
    for (const [key, f] of raised) findings.set(key, f);
    await this.evaluation.applyAll(rule, findings, now);
  }

  private async tickSources(rule: AlertRule, now: Date) {
    const sources = (await new SourcesRepository(this.ctx.store.db).list(ALL_ROWS)).filter((s) => rule.subject.source === undefined || s.code === rule.subject.source);
    const findings = new Map<string, Finding>();
    for (const s of sources) {
      const expected = s.expected === null ? null : expectedDeliverySchema.safeParse(s.expected);
      const f = sourceFreshness({ expected: expected?.success ? expected.data : null, enabled: s.enabled, lastArrivalAt: s.lastArrivalAt, lastPeriodEnd: s.lastPeriodEnd, createdAt: s.createdAt, now });
      if (f.state !== 'late') continue;
      const missing = f.missingPeriod ? `, period ${f.missingPeriod} missing` : '';
      findings.set(`source:${s.code}`, {
        active: true,
        value: f.lateSeconds === null ? null : round(f.lateSeconds / 3600),
        message: `Source ${s.code} (${s.ownerOrgCode}) is late since ${f.lateSince ?? '?'}${missing}`,
        placeCode: null,
        orgCode: s.ownerOrgCode,
      });
    }
    await this.evaluation.applyAll(rule, findings, now);
  }

  /** Escalates the open alerts nobody acknowledged in time, one level per step reached; each level tells its webhooks. */
  private async escalate(now: Date) {
    const at = iso(now);
    const rules = new Map((await this.repo().rules()).map((r) => [r.code, r]));
    for (const a of await this.repo().escalatable()) {
      const rule = a.rule_code === null ? undefined : rules.get(a.rule_code);
      const step = rule ? escalationStep(rule.escalation, a.status as AlertStatus, a.opened_at, now) : null;
      if (!rule || !step || step.level <= a.escalation_level) continue;
      const changed = await this.ctx.store.db.transaction().execute(async (trx) => {
        const repo = new AlertsRepository(trx);
        if (!(await repo.escalate(a.id, step.level, at))) return null;
        await repo.addEvent(a.id, { at, actor: SYSTEM_ACTOR, kind: 'escalated', value: step.level, note: `unacknowledged after ${step.afterMinutes} minutes` });
        const row = (await repo.get(a.id, ALL_ROWS)) as AlertRow;
        for (const target of step.notify) await repo.addNotification({ alertId: a.id, channel: 'webhook', target, payload: payloadOf(row, 'escalated'), status: 'pending', at });
        return row;
      });
      if (changed) publishAlertChanged(this.ctx, changed);
    }
  }
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** What a task's alert says of its stage, in Vietnam days. */
function taskMessage(stage: TaskDeadlineStage, days: number, deadline: string, longAfter: number | undefined): string {
  if (stage === 'due_soon') return days === 0 ? `falls due today (${deadline})` : `falls due on ${deadline}, in ${days} day${days === 1 ? '' : 's'}`;
  const late = `${-days} day${days === -1 ? '' : 's'} late`;
  return stage === 'long_overdue' ? `is overdue by more than ${longAfter ?? 0} days since ${deadline}: ${late}` : `is overdue since ${deadline}: ${late}`;
}
