import { nextWebhookAttempt, WEBHOOK_RETRY, type AlertRule, type Notification } from '@watchfloor/core';
import { ALL_ROWS, AlertsRepository, type AlertRow, type NotificationRow } from '@watchfloor/db';
import { connectFailure, failureCause, guardedFetch, OutboundGuard } from '@watchfloor/connectors';
import type { AppContext } from '../../context';

/** Who acts when the alarm loop itself acts (raises, resolves, escalates, notifies). */
export const SYSTEM_ACTOR = 'system';

const iso = (d: Date) => d.toISOString();

/** What a webhook is told: the event and the alert as it now stands. */
export function payloadOf(row: AlertRow, event: 'opened' | 'resolved' | 'escalated') {
  return {
    event,
    alert: { id: row.id, rule: row.rule_code, subject: row.subject_key, place: row.place_code, agency: row.org_code, severity: row.severity, status: row.status, openedAt: row.opened_at, value: row.value, message: row.message, escalationLevel: row.escalation_level },
  };
}

/** A stored notification as the API answers it. */
export function toNotification(n: NotificationRow): Notification {
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

/**
 * Queues the webhook of an alert's rule, in the transaction that changed the
 * alert (so a rolled-back change tells no one); delivery happens later, on
 * the clock. An alert without a rule (CAP) or a rule without a webhook
 * queues nothing.
 */
export async function queueWebhook(repo: AlertsRepository, row: AlertRow, what: 'opened' | 'resolved', at: string, known?: AlertRule): Promise<void> {
  if (row.rule_code === null) return;
  const rule = known ?? (await repo.rule(row.rule_code));
  if (!rule?.webhook) return;
  const current = (await repo.get(row.id, ALL_ROWS)) ?? row;
  await repo.addNotification({ alertId: row.id, channel: 'webhook', target: rule.webhook, payload: payloadOf(current, what), status: 'pending', at });
}

export interface WebhookDeliveryOptions {
  /** How long a webhook may take to answer. */
  webhookTimeoutMs?: number;
  retry?: { attempts: number; firstDelayMs: number };
  /** Where the cause of a webhook that could not be reached is told (the alert records one wording only). */
  log?: { warn(obj: object, msg: string): void };
}

/**
 * The delivery of queued webhooks: each POST goes through the outbound
 * guard of the configured allow list, with retries and every attempt
 * recorded.
 */
export class WebhookDelivery {
  private readonly timeoutMs: number;
  private readonly retry: { attempts: number; firstDelayMs: number };
  private readonly outbound: OutboundGuard;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: WebhookDeliveryOptions = {},
  ) {
    this.timeoutMs = options.webhookTimeoutMs ?? 10_000;
    this.retry = options.retry ?? WEBHOOK_RETRY;
    this.outbound = new OutboundGuard(ctx.config.outboundAllow);
  }

  /**
   * Tries the webhooks that are due: a 2xx answer delivers; anything else
   * (an error status, no answer within the timeout, a refused connection)
   * counts an attempt and schedules the next with exponential backoff,
   * until the last attempt marks it `failed` — recorded, never dropped.
   */
  async deliverDue(now: Date = this.ctx.clock.now()): Promise<void> {
    const repo = new AlertsRepository(this.ctx.store.db);
    for (const n of await repo.dueNotifications(iso(now))) {
      const error = await this.post(n);
      const attempts = n.attempts + 1;
      const at = iso(now);
      const next = error === null ? null : nextWebhookAttempt(attempts, now, this.retry);
      const status = error === null ? 'delivered' : next === null ? 'failed' : 'pending';
      if (!(await repo.recordAttempt(n.id, n.attempts, { status, nextAttemptAt: next ? iso(next) : null, error, at }))) continue;
      if (status !== 'pending') {
        await repo.addEvent(n.alert_id, { at, actor: SYSTEM_ACTOR, kind: 'notified', value: attempts, note: status === 'delivered' ? `webhook ${n.target} delivered` : `webhook ${n.target} failed after ${attempts} attempts: ${error ?? ''}` });
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

}
