import { CAP_ALERT_RULE, rateExceeded, ruleParameters, thresholdState, type AlertRule, type AlertSeverity, type AlertStatus, type ObservationsChangedEvent } from '@watchfloor/core';
import { ALL_ROWS, AlertsRepository, type AlertRow } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { queueWebhook, SYSTEM_ACTOR } from './delivery';

/**
 * The live event of an alert's change, published after its commit (by rules, operators and CAP imports alike).
 * Its status and severity were written from the enums (a rule's severity, a CAP message's mapped one); the hub checks them again.
 */
export function publishAlertChanged(ctx: AppContext, row: AlertRow): void {
  ctx.live?.publish({ type: 'alert.changed', id: row.id, rule: row.rule_code ?? CAP_ALERT_RULE, status: row.status as AlertStatus, severity: row.severity as AlertSeverity });
}

/** What a rule concluded about one subject. */
export type Finding =
  | { active: true; value: number | null; message: string; placeCode: string | null; orgCode: string | null; note?: string }
  | { active: false; note?: string };

const iso = (d: Date) => d.toISOString();
/** A period end (a date) or an instant, as an instant. */
const instantOf = (end: string) => (end.length === 10 ? `${end}T00:00:00.000Z` : end);
const round = (n: number) => Math.round(n * 100) / 100;

/**
 * Turns what a rule concluded about a subject into alerts: one unresolved
 * alert per rule × subject, raised, noted or resolved in one transaction
 * with its timeline and webhooks, `alert.changed` published after commit.
 * Figures written are judged here; sensor readings by the stream
 * (stream.ts) and the time-driven rules by the clock (tick.ts), which both
 * apply their findings through `apply`.
 */
export class AlertEvaluation {
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: AppContext,
    private readonly onError?: (message: string, error: unknown) => void,
  ) {}

  private repo() {
    return new AlertsRepository(this.ctx.store.db);
  }

  /**
   * Queues the evaluation of a written batch (from the live hub, after its
   * commit) behind the previous ones; `idle()` waits for the queue.
   */
  enqueueObservations(event: ObservationsChangedEvent): void {
    this.pending = this.pending
      .then(() => this.evaluateObservations(event))
      .catch((e: unknown) => this.onError?.('alert evaluation failed', e));
  }

  /** Resolves when every queued batch has been evaluated. */
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

  /** Applies the findings of a sweep: the subjects found raise or stay, the unresolved alerts of subjects not found resolve. */
  async applyAll(rule: AlertRule, findings: Map<string, Finding>, now: Date) {
    for (const [key, f] of findings) await this.apply(rule, key, f, iso(now));
    for (const open of await this.repo().unresolvedOfRule(rule.code)) if (!findings.has(open.subject_key)) await this.apply(rule, open.subject_key, { active: false }, iso(now));
  }

  /**
   * One rule's finding about one subject, in one transaction: raise (or
   * find) the unresolved alert, note a change of state (due soon →
   * overdue), or resolve it automatically when the condition has cleared.
   * The stream and the clock reach their findings elsewhere and apply them
   * here, so every alert follows the same path.
   */
  async apply(rule: AlertRule, key: string, f: Finding, at: string = iso(this.ctx.clock.now())): Promise<void> {
    const changed = await this.ctx.store.db.transaction().execute(async (trx) => {
      const repo = new AlertsRepository(trx);
      if (!f.active) {
        const open = await repo.unresolved(rule.code, key);
        if (!open || !(await repo.resolve(open.id, SYSTEM_ACTOR, at, true))) return null;
        await repo.addEvent(open.id, { at, actor: SYSTEM_ACTOR, kind: 'resolved', value: null, note: f.note ?? 'condition cleared' });
        await queueWebhook(repo, open, 'resolved', at);
        return repo.get(open.id, ALL_ROWS);
      }
      const { alert, created } = await repo.raise({ ruleCode: rule.code, subjectKey: key, placeCode: f.placeCode, orgCode: f.orgCode, severity: rule.severity, value: f.value, message: f.message, at, public: rule.public });
      if (created) {
        await repo.addEvent(alert.id, { at, actor: SYSTEM_ACTOR, kind: 'opened', value: f.value, note: f.note ?? null });
        await queueWebhook(repo, alert, 'opened', at, rule);
        return alert;
      }
      // Only a change of kind (due soon → overdue) is news; a new value of the same condition is not.
      const last = (await repo.events(alert.id)).filter((e) => e.kind === 'opened' || e.kind === 'value').at(-1);
      if (f.note !== undefined && last?.note !== f.note) {
        await repo.updateValue(alert.id, f.value, f.message, at);
        await repo.addEvent(alert.id, { at, actor: SYSTEM_ACTOR, kind: 'value', value: f.value, note: f.note });
        return repo.get(alert.id, ALL_ROWS);
      }
      return null;
    });
    if (changed) publishAlertChanged(this.ctx, changed);
  }
}
