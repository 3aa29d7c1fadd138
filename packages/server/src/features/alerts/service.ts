import {
  AppError,
  canMoveAlert,
  CAP_ALERT_RULE,
  FINISHED_STATUSES,
  sopDueTimes,
  type Alert,
  type AlertDetail,
  type AlertEvent,
  type AlertOrigin,
  type AlertRule,
  type AlertStatus,
  type DataScope,
  type Notification,
  type ObservationsChangedEvent,
  type OverdueStep,
} from '@watchfloor/core';
import { ALL_ROWS, AlertsRepository, resolveScope, type AlertRow, type ResolvedScope } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { queueWebhook, toNotification, WebhookDelivery, type WebhookDeliveryOptions } from './delivery';
import { AlertEvaluation, publishAlertChanged, type Finding } from './evaluation';
import { AlertRules, type AlertRuleBody, type RuleReader } from './rules';
import { AlertClock } from './tick';

/** Who acted when a request names no one (an API token acting for no user); the rules themselves act as `system`. */
export const DEFAULT_ACTOR = 'operator';

/**
 * Who acts on an alert: what their identity may read and handle
 * (`alerts.handle`), named by their login when they have one, else by the
 * `actor` the request gives.
 */
export interface AlertActor {
  read: DataScope;
  handle: DataScope;
  name?: string | undefined;
}

export interface AlertServiceOptions extends WebhookDeliveryOptions {
  /** Called with evaluation failures of the background subscription (the request that wrote has long succeeded). */
  onError?: (message: string, error: unknown) => void;
}

const iso = (d: Date) => d.toISOString();

/**
 * The alarm loop, as the routes, the stream and the command see it: the
 * rules (rules.ts), their evaluation on figures written (evaluation.ts; the
 * sensor stream is stream.ts), the clock that sweeps time-driven rules and
 * escalates (tick.ts), and webhook delivery (delivery.ts) sit in their own
 * modules; what stays here is how people handle alerts — acknowledge,
 * resolve, publish, follow the procedure — within their scope.
 */
export class AlertService {
  private readonly ruleBook: AlertRules;
  private readonly evaluation: AlertEvaluation;
  private readonly delivery: WebhookDelivery;
  private readonly clock: AlertClock;

  constructor(
    private readonly ctx: AppContext,
    options: AlertServiceOptions = {},
  ) {
    this.ruleBook = new AlertRules(ctx);
    this.evaluation = new AlertEvaluation(ctx, options.onError);
    this.delivery = new WebhookDelivery(ctx, options);
    this.clock = new AlertClock(ctx, this.evaluation, this.delivery);
  }

  private repo() {
    return new AlertsRepository(this.ctx.store.db);
  }

  private now(): Date {
    return this.ctx.clock.now();
  }

  // ---- rules ----------------------------------------------------------------

  /** The rules a caller's read scope reaches, their webhooks shown only where they may manage the rule. */
  rules(by: RuleReader): Promise<AlertRule[]> {
    return this.ruleBook.rules(by);
  }

  /** One rule; outside the caller's read scope, `unknown_alert_rule` exactly as an unknown code. */
  rule(code: string, by: RuleReader): Promise<AlertRule> {
    return this.ruleBook.rule(code, by);
  }

  /** Notifications as a reader sees them: a webhook's path and query only to those who may manage its rule. */
  shownNotifications(list: readonly Notification[], manage: DataScope): Promise<Notification[]> {
    return this.ruleBook.shownNotifications(list, manage);
  }

  /** A rule whatever its scope (the audit log's record of what a change replaced); undefined when there is none. */
  storedRule(code: string): Promise<AlertRule | undefined> {
    return this.ruleBook.storedRule(code);
  }

  /** Creates or replaces a rule within the scope the caller may manage (see AlertRules.putRule). */
  putRule(code: string, body: AlertRuleBody, by: RuleReader): Promise<{ rule: AlertRule; created: boolean }> {
    return this.ruleBook.putRule(code, body, by);
  }

  /** Told the code of each rule saved here (a cache of rules reloads it); returns the unsubscribe. */
  onRuleChanged(listener: (code: string) => void): () => void {
    return this.ruleBook.onRuleChanged(listener);
  }

  // ---- alerts ---------------------------------------------------------------

  async list(q: {
    status?: AlertStatus | undefined;
    severity?: string | undefined;
    place?: string | undefined;
    rule?: string | undefined;
    agency?: string | undefined;
    origin?: AlertOrigin | undefined;
    public?: boolean | undefined;
    limit?: number | undefined;
  }, scope: DataScope): Promise<Alert[]> {
    const rows = await this.repo().list({
      status: q.status ? [q.status] : undefined,
      severity: q.severity,
      placeCode: q.place,
      ruleCode: q.rule,
      orgCode: q.agency,
      origin: q.origin,
      publicOnly: q.public,
      limit: q.limit,
    }, await this.scopeOf(scope));
    return this.toAlerts(rows);
  }

  private scopeOf(scope: DataScope): Promise<ResolvedScope> {
    return resolveScope(this.ctx.store.db, scope);
  }

  /** One alert with its timeline, steps and notifications; outside the scope, `unknown_alert` exactly as an unknown id. */
  async detail(id: number, scope: DataScope): Promise<AlertDetail> {
    const repo = this.repo();
    const row = await this.alertRow(id, await this.scopeOf(scope));
    const [alert] = await this.toAlerts([row]);
    const timeline: AlertEvent[] = (await repo.events(id)).map((e) => ({ at: e.at, actor: e.actor, kind: e.kind as AlertEvent['kind'], value: e.value, note: e.note }));
    const steps = await repo.sopSteps(id);
    const due = row.sop_started_at ? sopDueTimes(row.sop_started_at, steps.map((s) => ({ expectedMinutes: s.expected_minutes }))) : [];
    const sopSteps = steps.map((s, i) => ({ step: s.step, title: s.title, role: s.role, expectedMinutes: s.expected_minutes, dueAt: due[i] ?? '', doneAt: s.done_at, doneBy: s.done_by }));
    const notifications = (await repo.notifications({ alertId: id }, ALL_ROWS)).map(toNotification);
    return { ...(alert as Alert), timeline, sopSteps, notifications };
  }

  /**
   * Checks an actor may handle an alert: one they cannot read is
   * `unknown_alert` (as an unknown id); one they can read but whose
   * `alerts.handle` scope does not reach it is `forbidden`.
   */
  private async handleable(id: number, by: AlertActor): Promise<string> {
    const repo = this.repo();
    if (!(await repo.get(id, await this.scopeOf(by.read)))) throw new AppError('unknown_alert', `No alert has id ${id}`);
    if (!(await repo.get(id, await this.scopeOf(by.handle)))) throw new AppError('forbidden', `Alert ${id} is outside the scope of alerts you may handle`);
    return by.name ?? DEFAULT_ACTOR;
  }

  async acknowledge(id: number, by: AlertActor, note: string | null = null): Promise<AlertDetail> {
    return this.move(id, 'acknowledged', by, note);
  }

  async resolve(id: number, by: AlertActor, note: string | null = null): Promise<AlertDetail> {
    return this.move(id, 'resolved', by, note);
  }

  private async move(id: number, to: 'acknowledged' | 'resolved', by: AlertActor, note: string | null): Promise<AlertDetail> {
    const actor = await this.handleable(id, by);
    const at = iso(this.now());
    const changed = await this.ctx.store.db.transaction().execute(async (trx) => {
      const repo = new AlertsRepository(trx);
      const row = await repo.get(id, ALL_ROWS);
      if (!row) throw new AppError('unknown_alert', `No alert has id ${id}`);
      const from = row.status as AlertStatus;
      // A conditional update: of two operators racing, the second finds the status moved and is refused.
      const done = canMoveAlert(from, to) && (to === 'acknowledged' ? await repo.acknowledge(id, actor, at) : await repo.resolve(id, actor, at, false));
      if (!done) throw new AppError('invalid_transition', `Alert ${id} is ${from}: it cannot become ${to}`, { from, to });
      await repo.addEvent(id, { at, actor, kind: to, value: null, note });
      if (to === 'resolved') await queueWebhook(repo, row, 'resolved', at);
      return (await repo.get(id, ALL_ROWS)) as AlertRow;
    });
    publishAlertChanged(this.ctx, changed);
    return this.detail(id, by.read);
  }

  /**
   * Publishes an alert in the CAP feed, or withdraws it from the feed;
   * recorded on the timeline. Asking for the state it is in changes nothing.
   */
  async setPublic(id: number, value: boolean, by: AlertActor, note: string | null = null): Promise<AlertDetail> {
    const actor = await this.handleable(id, by);
    const at = iso(this.now());
    const changed = await this.ctx.store.db.transaction().execute(async (trx) => {
      const repo = new AlertsRepository(trx);
      if (!(await repo.get(id, ALL_ROWS))) throw new AppError('unknown_alert', `No alert has id ${id}`);
      if (!(await repo.setPublic(id, value, at))) return null;
      await repo.addEvent(id, { at, actor, kind: value ? 'published' : 'unpublished', value: null, note });
      return repo.get(id, ALL_ROWS);
    });
    if (changed) publishAlertChanged(this.ctx, changed);
    return this.detail(id, by.read);
  }

  /** Starts the rule's procedure on an alert. */
  async startSop(id: number, by: AlertActor): Promise<AlertDetail> {
    const actor = await this.handleable(id, by);
    const at = iso(this.now());
    await this.ctx.store.db.transaction().execute(async (trx) => {
      const repo = new AlertsRepository(trx);
      const row = await repo.get(id, ALL_ROWS);
      if (!row) throw new AppError('unknown_alert', `No alert has id ${id}`);
      const rule = row.rule_code === null ? undefined : await repo.rule(row.rule_code);
      if (!rule || rule.sop.length === 0) throw new AppError('no_sop', row.rule_code === null ? `Alert ${id} was imported from CAP: it has no rule, so no procedure` : `Alert rule ${row.rule_code} has no procedure`);
      if (!(await repo.startSop(id, rule.sop, at))) throw new AppError('sop_started', `The procedure of alert ${id} was started at ${row.sop_started_at ?? '?'}`);
      await repo.addEvent(id, { at, actor, kind: 'sop_started', value: null, note: `${rule.sop.length} steps` });
    });
    return this.detail(id, by.read);
  }

  async completeStep(id: number, step: number, by: AlertActor, note: string | null = null): Promise<AlertDetail> {
    const actor = await this.handleable(id, by);
    const at = iso(this.now());
    await this.ctx.store.db.transaction().execute(async (trx) => {
      const repo = new AlertsRepository(trx);
      if (!(await repo.get(id, ALL_ROWS))) throw new AppError('unknown_alert', `No alert has id ${id}`);
      const steps = await repo.sopSteps(id);
      const s = steps.find((x) => x.step === step);
      if (!s) throw new AppError('unknown_sop_step', `Alert ${id} has no procedure step ${step}; it has ${steps.length}`);
      if (!(await repo.markStepDone(id, step, actor, at))) throw new AppError('sop_step_done', `Step ${step} of alert ${id} was done by ${s.done_by ?? '?'} at ${s.done_at ?? '?'}`);
      await repo.addEvent(id, { at, actor, kind: 'sop_step', value: step, note: note ?? s.title });
    });
    return this.detail(id, by.read);
  }

  /** Procedure steps past their due time, of the unresolved alerts and unfinished cases the scope reaches, most overdue first. */
  async overdueSteps(scope: DataScope, now: Date = this.now()): Promise<OverdueStep[]> {
    const rows = await this.repo().openSteps(FINISHED_STATUSES, await this.scopeOf(scope));
    const out: OverdueStep[] = [];
    for (const r of rows) {
      const due = Date.parse(r.startedAt) + r.expectedMinutes * 60_000;
      if (due < now.getTime()) out.push({ on: r.on, id: r.id, step: r.step, title: r.title, role: r.role, dueAt: new Date(due).toISOString(), overdueMinutes: Math.floor((now.getTime() - due) / 60_000) });
    }
    return out.sort((a, b) => b.overdueMinutes - a.overdueMinutes || a.id.localeCompare(b.id) || a.step - b.step);
  }

  /** Notifications of the alerts the scope reaches. */
  async notifications(status: string | undefined, scope: DataScope): Promise<Notification[]> {
    return (await this.repo().notifications({ status }, await this.scopeOf(scope))).map(toNotification);
  }

  // ---- evaluation and the clock -------------------------------------------------

  /** Queues the evaluation of a written batch of figures behind the previous ones. */
  enqueueObservations(event: ObservationsChangedEvent): void {
    this.evaluation.enqueueObservations(event);
  }

  /** Resolves when every queued batch of figures has been evaluated. */
  idle(): Promise<void> {
    return this.evaluation.idle();
  }

  /** Threshold and rate rules on the indicators of a written batch (see AlertEvaluation). */
  evaluateObservations(event: Pick<ObservationsChangedEvent, 'indicators' | 'places' | 'partial'>): Promise<void> {
    return this.evaluation.evaluateObservations(event);
  }

  /** A finding reached elsewhere (the stream) applied through the same path as the rules' own. */
  applyFinding(rule: AlertRule, key: string, finding: Finding, at?: string): Promise<void> {
    return this.evaluation.apply(rule, key, finding, at);
  }

  /** Takes the `alerts:tick` lease and ticks when it got it; false when another instance holds it. */
  tickUnderLease(owner: string, now: Date = this.now(), ttlMs = 60_000): Promise<boolean> {
    return this.clock.tickUnderLease(owner, now, ttlMs);
  }

  /** Ticks on an interval under the `alerts:tick` lease (see AlertClock.startTicker). */
  startTicker(options: { owner: string; intervalMs?: number; onError?: (message: string, error: unknown) => void }): { stop(): Promise<void> } {
    return this.clock.startTicker(options);
  }

  /** The time-driven rules, expiries, escalations, and webhooks due. */
  tick(now: Date = this.now()): Promise<void> {
    return this.clock.tick(now);
  }

  /** Tries the webhooks that are due (see WebhookDelivery.deliverDue). */
  deliverDue(now: Date = this.now()): Promise<void> {
    return this.delivery.deliverDue(now);
  }

  // ---- answers --------------------------------------------------------------

  private async alertRow(id: number, scope: ResolvedScope): Promise<AlertRow> {
    const row = await this.repo().get(id, scope);
    if (!row) throw new AppError('unknown_alert', `No alert has id ${id}`);
    return row;
  }

  private async toAlerts(rows: readonly AlertRow[]): Promise<Alert[]> {
    const kinds = new Map((await this.repo().rules()).map((r) => [r.code, r.kind]));
    return rows.map((r) => ({
      id: r.id,
      origin: r.origin as AlertOrigin,
      rule: r.rule_code ?? CAP_ALERT_RULE,
      kind: r.rule_code === null ? null : (kinds.get(r.rule_code) ?? null),
      subjectKey: r.subject_key,
      placeCode: r.place_code,
      agency: r.org_code,
      severity: r.severity as Alert['severity'],
      status: r.status as AlertStatus,
      openedAt: r.opened_at,
      value: r.value,
      message: r.message,
      acknowledgedBy: r.acknowledged_by,
      acknowledgedAt: r.acknowledged_at,
      resolvedBy: r.resolved_by,
      resolvedAt: r.resolved_at,
      autoResolved: r.auto_resolved === 1,
      escalationLevel: r.escalation_level,
      public: r.public === 1,
      expiresAt: r.expires_at,
    }));
  }
}
