import { AppError, checkRule, ruleParameters, type alertRuleInputSchema, type AlertRule, type DataScope, type Notification } from '@watchfloor/core';
import { AlertsRepository, reaches, resolveScope } from '@watchfloor/db';
import type { z } from 'zod';
import type { AppContext } from '../../context';

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

export type AlertRuleBody = z.output<typeof alertRuleInputSchema>;

/**
 * The alert rules: read within a caller's scope (their webhooks shown only
 * to those who may manage them), saved within the scope a caller may
 * manage, and the listeners told of each save (the stream's cache of rules).
 */
export class AlertRules {
  private readonly ruleListeners = new Set<(code: string) => void>();

  constructor(private readonly ctx: AppContext) {}

  private repo() {
    return new AlertsRepository(this.ctx.store.db);
  }

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
    const created = await repo.putRule({ ...body, parameters, code }, this.ctx.clock.now().toISOString());
    for (const listener of this.ruleListeners) listener(code);
    const saved = await repo.rule(code);
    if (!saved) throw new Error(`alert rule ${code} not found after saving it`);
    return { rule: saved, created };
  }

  /** Told the code of each rule saved here (a cache of rules reloads it); returns the unsubscribe. */
  onRuleChanged(listener: (code: string) => void): () => void {
    this.ruleListeners.add(listener);
    return () => this.ruleListeners.delete(listener);
  }
}
