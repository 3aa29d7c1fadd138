import {
  AppError,
  type alertRuleInputSchema,
  canMoveAlert,
  CAP_ALERT_RULE,
  checkRule,
  deadlineWindow,
  escalationStep,
  expectedDeliverySchema,
  FINISHED_STATUSES,
  nextWebhookAttempt,
  noDataSince,
  rateExceeded,
  ruleParameters,
  sopDueTimes,
  sourceFreshness,
  thresholdState,
  WEBHOOK_RETRY,
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
import { ALL_ROWS, AlertsRepository, CasesRepository, LeasesRepository, reaches, resolveScope, SourcesRepository, type AlertRow, type NotificationRow, type ResolvedScope } from '@watchfloor/db';
import type { z } from 'zod';
import { connectFailure, failureCause, guardedFetch, OutboundGuard } from '@watchfloor/connectors';
import type { AppContext } from '../../context';

/** The live event of an alert's change, published after its commit (by rules, operators and CAP imports alike). */
export function publishAlertChanged(ctx: AppContext, row: AlertRow): void {
  ctx.live?.publish({ type: 'alert.changed', id: row.id, rule: row.rule_code ?? CAP_ALERT_RULE, status: row.status, severity: row.severity });
}

/** Who acted when a request names no one (an API token acting for no user); the rules themselves act as `system`. */
export const DEFAULT_ACTOR = 'operator';
const SYSTEM = 'system';

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

/** Who reads alert rules: what their identity may read, and where they may manage rules (`catalogue.manage`). */
export interface RuleReader {
  read: DataScope;
  manage: DataScope;
}

/** The origin of a webhook address followed by an ellipsis: where it goes, without what identifies the receiver. */
function webhookOrigin(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '…';
  }
}

/** A rule as shown to a reader who may not manage it: where its alerts are posted is not theirs to see (the URLs may carry secrets). */
function withoutWebhooks(r: AlertRule): AlertRule {
  return { ...r, webhook: null, escalation: r.escalation.map((step) => ({ ...step, notify: [] })) };
}

/** The lease several instances take turns on, so time-driven rules are evaluated once. */
export const ALERT_TICK_LEASE = 'alerts:tick';

export type AlertRuleBody = z.output<typeof alertRuleInputSchema>;

export interface AlertServiceOptions {
  /** How long a webhook may take to answer. */
  webhookTimeoutMs?: number;
  retry?: { attempts: number; firstDelayMs: number };
  /** Called with evaluation failures of the background subscription (the request that wrote has long succeeded). */
  onError?: (message: string, error: unknown) => void;
  /** Where the cause of a webhook that could not be reached is told (the alert records one wording only). */
  log?: { warn(obj: object, msg: string): void };
}

/** What a rule concluded about one subject. */
export type Finding =
  | { active: true; value: number | null; message: string; placeCode: string | null; orgCode: string | null; note?: string }
  | { active: false };

const iso = (d: Date) => d.toISOString();
/** A period end (a date) or an instant, as an instant. */
const instantOf = (end: string) => (end.length === 10 ? `${end}T00:00:00.000Z` : end);
const round = (n: number) => Math.round(n * 100) / 100;

/**
 * The alarm loop: rules evaluated when figures are written, when a sensor
 * reads and on a clock; alerts kept one per rule × subject, moved open →
 * acknowledged → resolved by people or resolved by the rule when its
 * condition clears; escalation of alerts nobody acknowledges; webhooks
 * with retries, every attempt recorded. Live events go out after commit.
 */
export class AlertService {
  private readonly timeoutMs: number;
  private readonly retry: { attempts: number; firstDelayMs: number };
  private pending: Promise<void> = Promise.resolve();
  private readonly ruleListeners = new Set<(code: string) => void>();
  /** Every webhook goes through the outbound guard of the configured allow list. */
  private readonly outbound: OutboundGuard;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: AlertServiceOptions = {},
  ) {
    this.timeoutMs = options.webhookTimeoutMs ?? 10_000;
    this.retry = options.retry ?? WEBHOOK_RETRY;
    this.outbound = new OutboundGuard(ctx.config.outboundAllow);
  }

  private repo() {
    return new AlertsRepository(this.ctx.store.db);
  }

  private now(): Date {
    return this.ctx.clock.now();
  }

  // ---- rules ----------------------------------------------------------------

  /** The rules a caller's read scope reaches, their webhooks shown only where they may manage the rule. */
  async rules(by: RuleReader): Promise<AlertRule[]> {
    const repo = this.repo();
    const rules = await repo.rules({ scope: await resolveScope(this.ctx.store.db, by.read) });
    const managed = await repo.ruleCodesIn(
      rules.map((r) => r.code),
      await resolveScope(this.ctx.store.db, by.manage),
    );
    return rules.map((r) => (managed.has(r.code) ? r : withoutWebhooks(r)));
  }

  /** One rule; outside the caller's read scope, `unknown_alert_rule` exactly as an unknown code. */
  async rule(code: string, by: RuleReader): Promise<AlertRule> {
    const repo = this.repo();
    const r = await repo.ruleIn(code, await resolveScope(this.ctx.store.db, by.read));
    if (!r) throw new AppError('unknown_alert_rule', `No alert rule has code ${code}`);
    const managed = await repo.ruleCodesIn([code], await resolveScope(this.ctx.store.db, by.manage));
    return managed.has(code) ? r : withoutWebhooks(r);
  }

  /**
   * Notifications as a reader sees them: where a webhook was posted is
   * shown only to those who may manage the alert's rule (as the rule's own
   * webhook is); others see the address's origin, never its path or query,
   * which often carry the receiver's secret.
   */
  async shownNotifications(list: readonly Notification[], manage: DataScope): Promise<Notification[]> {
    const webhooks = list.filter((n) => n.channel === 'webhook');
    if (webhooks.length === 0) return [...list];
    const repo = this.repo();
    const ruleOf = await repo.ruleCodesOfAlerts([...new Set(webhooks.map((n) => n.alertId))]);
    const codes = [...new Set([...ruleOf.values()].filter((c): c is string => c !== null))];
    const managed = await repo.ruleCodesIn(codes, await resolveScope(this.ctx.store.db, manage));
    return list.map((n) => (n.channel !== 'webhook' || managed.has(ruleOf.get(n.alertId) ?? '') ? n : { ...n, target: webhookOrigin(n.target) }));
  }

  /** A rule whatever its scope (the audit log's record of what a change replaced); undefined when there is none. */
  async storedRule(code: string): Promise<AlertRule | undefined> {
    return this.repo().rule(code);
  }

  /**
   * Creates or replaces a rule; a rule whose parameters or subject do not
   * fit its kind is refused with every problem named. The rule replaced and
   * the rule saved must both stand within the scope the caller may manage
   * (`catalogue.manage`): a rule they cannot read is `unknown_alert_rule`,
   * one they read but may not manage, or one about a place or agency
   * outside their scope, `forbidden`.
   */
  async putRule(code: string, body: AlertRuleBody, by: RuleReader): Promise<{ rule: AlertRule; created: boolean }> {
    const problems = checkRule(body);
    if (problems.length > 0) throw new AppError('invalid_alert_rule', `Alert rule ${code}: ${problems.join('; ')}`, { problems });
    const repo = this.repo();
    const db = this.ctx.store.db;
    const manage = await resolveScope(db, by.manage);
    if (await repo.rule(code)) {
      if (!(await repo.ruleIn(code, await resolveScope(db, by.read)))) throw new AppError('unknown_alert_rule', `No alert rule has code ${code}`);
      if (!(await repo.ruleIn(code, manage))) throw new AppError('forbidden', `Alert rule ${code} is outside the scope you may manage`);
    }
    const at = await repo.ruleSubjectScope(body.subject);
    if (!(await reaches(db, manage, { ...at, orgPlace: true }))) {
      throw new AppError('forbidden', `A rule about ${at.placeCode ?? 'no place'} and ${at.orgCode ?? 'no agency'} is outside the scope you may manage`);
    }
    const parameters = ruleParameters(body.kind, body.parameters) as Record<string, unknown>;
    const created = await repo.putRule({ ...body, parameters, code }, iso(this.now()));
    for (const listener of this.ruleListeners) listener(code);
    const saved = await repo.rule(code);
    if (!saved) throw new Error(`alert rule ${code} not found after saving it`);
    return { rule: saved, created };
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
      if (to === 'resolved') await this.notifyWebhook(repo, row, 'resolved', at);
      return (await repo.get(id, ALL_ROWS)) as AlertRow;
    });
    this.publish(changed);
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
    if (changed) this.publish(changed);
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

  // ---- evaluation: figures and readings ---------------------------------------

  /**
   * Queues the evaluation of a written batch (from the live hub, after its
   * commit) behind the previous ones; `idle()` waits for the queue.
   */
  enqueueObservations(event: ObservationsChangedEvent): void {
    this.pending = this.pending
      .then(() => this.evaluateObservations(event))
      .catch((e: unknown) => this.options.onError?.('alert evaluation failed', e));
  }

  idle(): Promise<void> {
    return this.pending;
  }

  /**
   * Threshold and rate rules on the indicators of a written batch: each
   * place of the batch within the rule's place (and subtree) is judged on
   * the latest figure filed for it, rates on the last two.
   */
  async evaluateObservations(event: Pick<ObservationsChangedEvent, 'indicators' | 'places' | 'partial'>): Promise<void> {
    const repo = this.repo();
    const rules = (await repo.rules({ kinds: ['threshold', 'rate_of_change'], enabledOnly: true })).filter(
      (r) => r.subject.indicator !== undefined && (event.indicators.includes(r.subject.indicator) || (event.partial === true && event.indicators.length === 0)),
    );
    for (const rule of rules) {
      const indicator = rule.subject.indicator as string;
      const scope = rule.subject.place === undefined ? null : rule.subject.subtree === false ? new Set([rule.subject.place]) : await repo.placeCodesUnder(rule.subject.place);
      let places = event.places.filter((p) => scope === null || scope.has(p));
      // A batch too wide to list its places: every place of the rule's scope.
      if (event.places.length === 0 && event.partial && scope) places = [...scope];
      if (places.length === 0) continue;
      const facts = await repo.latestFacts(indicator, places);
      for (const [place, list] of facts) {
        const [latest, previous] = list;
        if (!latest) continue;
        const current = { at: instantOf(latest.periodEnd), value: latest.value };
        const prev = previous ? { at: instantOf(previous.periodEnd), value: previous.value } : null;
        const where = `${indicator} @ ${place}, ${latest.periodKey}`;
        await this.judge(rule, `${indicator}@${place}`, place, null, current, prev, where);
      }
    }
  }

  /**
   * A sensor reading: threshold and rate rules on its datastream, and the
   * silence of no-data rules broken. Readings older than the last one seen
   * change nothing (they arrive late; the current state stands).
   */
  async evaluateReading(datastream: { code: string; placeCode: string | null }, at: string, value: number): Promise<void> {
    const repo = this.repo();
    const rules = (await repo.rules({ kinds: ['threshold', 'rate_of_change', 'no_data'], enabledOnly: true })).filter((r) => r.subject.datastream === datastream.code);
    const key = `ds:${datastream.code}`;
    const instant = new Date(at).toISOString();
    for (const rule of rules) {
      const seen = await repo.lastSeen(rule.code, key);
      if (seen && seen.at >= instant) continue;
      await repo.see(rule.code, key, datastream.placeCode, instant, value);
      if (rule.kind === 'no_data') {
        await this.apply(rule, key, { active: false });
        continue;
      }
      const prev = seen && seen.value !== null ? { at: seen.at, value: seen.value } : null;
      await this.judge(rule, key, datastream.placeCode, null, { at: instant, value }, prev, `${datastream.code} at ${instant}`);
    }
  }

  private async judge(rule: AlertRule, key: string, place: string | null, org: string | null, current: { at: string; value: number }, prev: { at: string; value: number } | null, where: string) {
    if (rule.kind === 'threshold') {
      const p = ruleParameters('threshold', rule.parameters);
      const open = await this.repo().unresolved(rule.code, key);
      // The side an open alert is on follows from the value that raised it.
      const side = open ? (open.value !== null && p.low !== undefined && open.value <= p.low ? 'low' : 'high') : null;
      const state = thresholdState(p, current.value, side);
      const limit = state === 'low' ? `≤ ${p.low}` : `≥ ${p.high}`;
      await this.apply(rule, key, state ? { active: true, value: current.value, message: `${where}: ${current.value} ${limit}`, placeCode: place, orgCode: org } : { active: false });
    } else if (rule.kind === 'rate_of_change') {
      const p = ruleParameters('rate_of_change', rule.parameters);
      const rate = rateExceeded(p, prev, current);
      await this.apply(
        rule,
        key,
        rate === null ? { active: false } : { active: true, value: current.value, message: `${where}: ${current.value} changed ${round(rate)} per hour (limit ${p.maxPerHour})`, placeCode: place, orgCode: org },
      );
    }
  }

  /** Told the code of each rule saved here (a cache of rules reloads it); returns the unsubscribe. */
  onRuleChanged(listener: (code: string) => void): () => void {
    this.ruleListeners.add(listener);
    return () => this.ruleListeners.delete(listener);
  }

  /**
   * A finding reached elsewhere (the stream evaluator) applied through the
   * same path as the rules' own: one unresolved alert per rule × subject,
   * the timeline, webhooks, and `alert.changed` after commit.
   */
  async applyFinding(rule: AlertRule, key: string, finding: Finding, at?: string): Promise<void> {
    await this.apply(rule, key, finding, at);
  }

  // ---- evaluation: the clock ------------------------------------------------

  /** Takes the `alerts:tick` lease and ticks when it got it; false when another instance holds it. */
  async tickUnderLease(owner: string, now: Date = this.now(), ttlMs = 60_000): Promise<boolean> {
    if (!(await new LeasesRepository(this.ctx.store.db).acquire(ALERT_TICK_LEASE, owner, now, ttlMs))) return false;
    await this.tick(now);
    return true;
  }

  /**
   * Ticks every `intervalMs` (15 s) under the `alerts:tick` lease, so of
   * several instances on one database one ticks at a time; a tick still
   * running when the next is due is not overlapped. `stop` waits for it.
   */
  startTicker(options: { owner: string; intervalMs?: number; onError?: (message: string, error: unknown) => void }): { stop(): Promise<void> } {
    const interval = options.intervalMs ?? 15_000;
    let running: Promise<void> | null = null;
    const timer = setInterval(() => {
      if (running) return;
      running = this.tickUnderLease(options.owner, this.now(), interval * 4)
        .then(() => undefined)
        .catch((e: unknown) => options.onError?.('alert tick failed', e))
        .finally(() => {
          running = null;
        });
    }, interval);
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await running;
        await new LeasesRepository(this.ctx.store.db).release(ALERT_TICK_LEASE, options.owner).catch(() => undefined);
      },
    };
  }

  /** The time-driven rules (silence, deadlines, late sources), escalations, and webhooks due. */
  async tick(now: Date = this.now()): Promise<void> {
    const repo = this.repo();
    for (const rule of await repo.rules({ kinds: ['no_data', 'case_deadline', 'dossier_deadline', 'source_freshness'], enabledOnly: true })) {
      if (rule.kind === 'no_data') await this.tickNoData(rule, now);
      else if (rule.kind === 'case_deadline') await this.tickCases(rule, now);
      else if (rule.kind === 'dossier_deadline') await this.tickDossiers(rule, now);
      else await this.tickSources(rule, now);
    }
    await this.expire(now);
    await this.escalate(now);
    await this.deliverDue(now);
  }

  /** Resolves the alerts whose expiry has passed (CAP `expires`): no longer in force. */
  private async expire(now: Date) {
    const at = iso(now);
    for (const a of await this.repo().expired(at)) {
      const changed = await this.ctx.store.db.transaction().execute(async (trx) => {
        const repo = new AlertsRepository(trx);
        if (!(await repo.resolve(a.id, SYSTEM, at, true))) return null;
        await repo.addEvent(a.id, { at, actor: SYSTEM, kind: 'resolved', value: null, note: `expired at ${a.expires_at ?? '?'}` });
        await this.notifyWebhook(repo, a, 'resolved', at);
        return repo.get(a.id, ALL_ROWS);
      });
      if (changed) this.publish(changed);
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
    await this.apply(rule, key, since ? { active: true, value: null, message: `No data from ${what} since ${last ?? rule.updatedAt} (silent from ${since})`, placeCode: place, orgCode: null } : { active: false }, iso(now));
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
    await this.applyAll(rule, findings, now);
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
    await this.applyAll(rule, findings, now);
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
    await this.applyAll(rule, findings, now);
  }

  /** Applies the findings of a sweep: the subjects found raise or stay, the unresolved alerts of subjects not found resolve. */
  private async applyAll(rule: AlertRule, findings: Map<string, Finding>, now: Date) {
    for (const [key, f] of findings) await this.apply(rule, key, f, iso(now));
    for (const open of await this.repo().unresolvedOfRule(rule.code)) if (!findings.has(open.subject_key)) await this.apply(rule, open.subject_key, { active: false }, iso(now));
  }

  /**
   * One rule's finding about one subject, in one transaction: raise (or
   * find) the unresolved alert, note a change of state (due soon →
   * overdue), or resolve it automatically when the condition has cleared.
   */
  private async apply(rule: AlertRule, key: string, f: Finding, at: string = iso(this.now())): Promise<void> {
    const changed = await this.ctx.store.db.transaction().execute(async (trx) => {
      const repo = new AlertsRepository(trx);
      if (!f.active) {
        const open = await repo.unresolved(rule.code, key);
        if (!open || !(await repo.resolve(open.id, SYSTEM, at, true))) return null;
        await repo.addEvent(open.id, { at, actor: SYSTEM, kind: 'resolved', value: null, note: 'condition cleared' });
        await this.notifyWebhook(repo, open, 'resolved', at);
        return repo.get(open.id, ALL_ROWS);
      }
      const { alert, created } = await repo.raise({ ruleCode: rule.code, subjectKey: key, placeCode: f.placeCode, orgCode: f.orgCode, severity: rule.severity, value: f.value, message: f.message, at, public: rule.public });
      if (created) {
        await repo.addEvent(alert.id, { at, actor: SYSTEM, kind: 'opened', value: f.value, note: f.note ?? null });
        await this.notifyWebhook(repo, alert, 'opened', at, rule);
        return alert;
      }
      // Only a change of kind (due soon → overdue) is news; a new value of the same condition is not.
      const last = (await repo.events(alert.id)).filter((e) => e.kind === 'opened' || e.kind === 'value').at(-1);
      if (f.note !== undefined && last?.note !== f.note) {
        await repo.updateValue(alert.id, f.value, f.message, at);
        await repo.addEvent(alert.id, { at, actor: SYSTEM, kind: 'value', value: f.value, note: f.note });
        return repo.get(alert.id, ALL_ROWS);
      }
      return null;
    });
    if (changed) this.publish(changed);
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
        await repo.addEvent(a.id, { at, actor: SYSTEM, kind: 'escalated', value: step.level, note: `unacknowledged after ${step.afterMinutes} minutes` });
        const row = (await repo.get(a.id, ALL_ROWS)) as AlertRow;
        for (const target of step.notify) await repo.addNotification({ alertId: a.id, channel: 'webhook', target, payload: payloadOf(row, 'escalated'), status: 'pending', at });
        return row;
      });
      if (changed) this.publish(changed);
    }
  }

  private async notifyWebhook(repo: AlertsRepository, row: AlertRow, what: 'opened' | 'resolved', at: string, known?: AlertRule) {
    if (row.rule_code === null) return;
    const rule = known ?? (await repo.rule(row.rule_code));
    if (!rule?.webhook) return;
    const current = (await repo.get(row.id, ALL_ROWS)) ?? row;
    await repo.addNotification({ alertId: row.id, channel: 'webhook', target: rule.webhook, payload: payloadOf(current, what), status: 'pending', at });
  }

  // ---- webhooks -------------------------------------------------------------

  /**
   * Tries the webhooks that are due: a 2xx answer delivers; anything else
   * (an error status, no answer within the timeout, a refused connection)
   * counts an attempt and schedules the next with exponential backoff,
   * until the last attempt marks it `failed` — recorded, never dropped.
   */
  async deliverDue(now: Date = this.now()): Promise<void> {
    const repo = this.repo();
    for (const n of await repo.dueNotifications(iso(now))) {
      const error = await this.post(n);
      const attempts = n.attempts + 1;
      const at = iso(now);
      const next = error === null ? null : nextWebhookAttempt(attempts, now, this.retry);
      const status = error === null ? 'delivered' : next === null ? 'failed' : 'pending';
      if (!(await repo.recordAttempt(n.id, n.attempts, { status, nextAttemptAt: next ? iso(next) : null, error, at }))) continue;
      if (status !== 'pending') {
        await repo.addEvent(n.alert_id, { at, actor: SYSTEM, kind: 'notified', value: attempts, note: status === 'delivered' ? `webhook ${n.target} delivered` : `webhook ${n.target} failed after ${attempts} attempts: ${error ?? ''}` });
      }
    }
  }

  /**
   * One POST through the outbound guard (an inside address is refused
   * unless allowed; a redirect is not followed: it is the answer); the
   * error as text, or null when delivered. A webhook that cannot be
   * reached, for whatever reason, reads the same (a timeout too), so the
   * recorded errors cannot map a network; the cause goes to the log.
   */
  private async post(n: NotificationRow): Promise<string | null> {
    let url: URL;
    try {
      url = new URL(n.target);
    } catch {
      return 'the webhook address is not a URL';
    }
    try {
      const res = await guardedFetch(this.outbound, url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof n.payload === 'string' ? n.payload : JSON.stringify(n.payload),
        signal: AbortSignal.timeout(this.timeoutMs),
        maxRedirects: 0,
      });
      await res.body?.cancel();
      return res.ok ? null : `HTTP ${res.status}`;
    } catch (e) {
      const err = connectFailure(url.origin, e);
      if (err.code !== 'outbound_not_allowed') this.options.log?.warn({ webhook: url.origin, alertId: n.alert_id, cause: failureCause(err) ?? { message: e instanceof Error ? e.message : String(e) } }, 'webhook not delivered');
      return err.message;
    }
  }

  // ---- answers --------------------------------------------------------------

  private publish(row: AlertRow) {
    publishAlertChanged(this.ctx, row);
  }

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

function payloadOf(row: AlertRow, event: 'opened' | 'resolved' | 'escalated') {
  return {
    event,
    alert: { id: row.id, rule: row.rule_code, subject: row.subject_key, place: row.place_code, agency: row.org_code, severity: row.severity, status: row.status, openedAt: row.opened_at, value: row.value, message: row.message, escalationLevel: row.escalation_level },
  };
}

function toNotification(n: NotificationRow): Notification {
  return {
    id: n.id,
    alertId: n.alert_id,
    channel: n.channel as Notification['channel'],
    target: n.target,
    payload: typeof n.payload === 'string' ? (JSON.parse(n.payload) as unknown) : n.payload,
    attempts: n.attempts,
    nextAttemptAt: n.next_attempt_at,
    status: n.status as Notification['status'],
    lastError: n.last_error,
    createdAt: n.created_at,
    updatedAt: n.updated_at,
  };
}
