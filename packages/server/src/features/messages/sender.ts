import {
  AppError,
  ALERT_RECEIVING_ROLES,
  alertMessage,
  defaultPreferences,
  directiveTaskMessage,
  heldBack,
  nextMessageAttempt,
  severityAtLeast,
  type AlertSeverity,
  type DataScope,
  type MessageChannel,
  type MessagePreferences,
  type MessageTopic,
  type Role,
  taskDeadlineStage,
  vietnamDate,
} from '@watchfloor/core';
import { MessagesRepository, reaches, resolveScope, type ResolvedScope, type StoredMessagePreference, type UserMessageRow } from '@watchfloor/db';
import { OutboundGuard } from '@watchfloor/connectors';
import type { AppContext } from '../../context';
import { startLeasedTicker, tickUnderLease, type LeasedTicker } from '../../leased-ticker';
import { DirectiveService } from '../directives/service';
import { GatewayChannel, SmtpChannel, type Channel } from './channels';

/** The lease several instances take turns on, so each message is sent by one. */
export const MESSAGE_SEND_LEASE = 'messages:send';

/** The cursor over the alerts' timelines: which openings and escalations have been turned into messages. */
const ALERT_CURSOR = 'alerts';

/** Who is told of a directive task falling due: the officers of its lead agency. */
const TASK_RECEIVING_ROLES: readonly Role[] = ['agency_officer'];

const iso = (d: Date) => d.toISOString();

type Log = { warn(obj: object, msg: string): void };

export interface MessageSenderOptions {
  /** The channels, when not those the configuration makes (tests give their own). */
  channels?: Partial<Record<MessageChannel, Channel>>;
  retry?: { attempts: number; delaysMs: readonly number[] };
  log?: Log;
}

/** A person's stored preferences, or their roles' defaults. */
export function preferencesOf(stored: StoredMessagePreference | undefined, roles: readonly Role[]): MessagePreferences {
  if (!stored) return defaultPreferences(roles);
  return {
    channels: stored.channels as MessageChannel[],
    email: stored.email,
    phone: stored.phone,
    zaloId: stored.zaloId,
    minSeverity: (stored.minSeverity ?? defaultPreferences(roles).minSeverity) as AlertSeverity,
    quietHours: stored.quietFrom && stored.quietTo ? { from: stored.quietFrom, to: stored.quietTo } : null,
  };
}

/**
 * Messages to people, sent in the background, never within the request
 * that caused them. On each tick (under a lease, so of several instances
 * one sends): the alerts opened or escalated since the last tick become a
 * message per person told and channel — people whose roles receive alerts,
 * whose scope reaches the alert, and whose least severity it meets; quiet
 * hours hold a message that is not critical until they end — then the
 * messages due are sent, a failure retried with backoff until it is
 * recorded failed.
 */
export class MessageSender {
  private readonly channels: Partial<Record<MessageChannel, Channel>>;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: MessageSenderOptions = {},
  ) {
    const guard = new OutboundGuard(ctx.config.outboundAllow);
    this.channels = options.channels ?? {
      ...(ctx.config.smtp ? { email: new SmtpChannel(ctx.config.smtp, guard, options.log) } : {}),
      ...(ctx.config.gateway ? { gateway: new GatewayChannel(ctx.config.gateway, guard, options.log) } : {}),
    };
  }

  private repo() {
    return new MessagesRepository(this.ctx.store.db);
  }

  /** Takes the lease and ticks when it got it; false when another instance holds it. */
  async tickUnderLease(owner: string, now: Date = this.ctx.clock.now(), ttlMs = 60_000): Promise<boolean> {
    return tickUnderLease(this.ctx, MESSAGE_SEND_LEASE, owner, now, ttlMs, (at) => this.tick(at));
  }

  /** Ticks every `intervalMs` (10 s) under the lease; a tick still running is not overlapped; `stop` waits for it. */
  startTicker(options: { owner: string; intervalMs?: number; onError?: (message: string, error: unknown) => void }): LeasedTicker {
    const intervalMs = options.intervalMs ?? 10_000;
    return startLeasedTicker(this.ctx, {
      lease: MESSAGE_SEND_LEASE,
      owner: options.owner,
      intervalMs,
      ttlMs: intervalMs * 6,
      what: 'message',
      now: () => this.ctx.clock.now(),
      tick: (at) => this.tick(at),
      onError: options.onError,
    });
  }


  async tick(now: Date = this.ctx.clock.now()): Promise<void> {
    await this.queueAlerts(now);
    await this.queueDirectiveTasks(now);
    await this.sendDue(now);
  }

  /** Turns the alerts opened or escalated since the cursor into messages, and moves the cursor past them, in one transaction. */
  async queueAlerts(now: Date): Promise<void> {
    const repo = this.repo();
    const after = (await repo.cursor(ALERT_CURSOR)) ?? 0;
    const events = await repo.alertEventsAfter(after, ['opened', 'escalated']);
    if (events.length === 0) return;
    const { people, prefs, scopes } = await this.receivers(ALERT_RECEIVING_ROLES);
    await this.ctx.store.db.transaction().execute(async (trx) => {
      const tx = new MessagesRepository(trx);
      for (const e of events) {
        const severity = e.severity as AlertSeverity;
        const event = e.kind === 'escalated' ? 'escalated' : 'opened';
        const { subject, body } = alertMessage({ id: e.alertId, severity, message: e.message, rule: e.rule_code, escalationLevel: e.escalation_level }, event, `${this.ctx.config.publicUrl}/alerts/${e.alertId}`);
        for (const [userId, p] of people) {
          const pref = preferencesOf(prefs.get(userId), p.roles);
          if (!severityAtLeast(severity, pref.minSeverity)) continue;
          if (!(await reaches(trx, scopes.get(userId) ?? { kind: 'none' }, { placeCode: e.place_code, orgCode: e.org_code, orgPlace: true }))) continue;
          await this.record(tx, userId, pref, { topic: 'alert', sourceKey: `alert-event:${e.eventId}`, severity, subject, body }, now);
        }
      }
      await tx.setCursor(ALERT_CURSOR, events.at(-1)?.eventId ?? after);
    });
  }

  /** The people holding some roles, with those roles, their preferences (or the roles' defaults) and the scope their grants of those roles give. */
  private async receivers(roles: readonly Role[]) {
    const repo = this.repo();
    const people = new Map<number, { roles: Role[]; grants: { organisationCode: string | null; placeCode: string | null }[] }>();
    for (const r of await repo.recipients(roles)) {
      const p = people.get(r.userId) ?? { roles: [], grants: [] };
      p.roles.push(r.role as Role);
      p.grants.push({ organisationCode: r.orgCode, placeCode: r.placeCode });
      people.set(r.userId, p);
    }
    const prefs = await repo.preferences([...people.keys()]);
    const scopes = new Map<number, ResolvedScope>();
    for (const [id, p] of people) {
      const scope: DataScope = p.grants.some((g) => g.organisationCode === null && g.placeCode === null) ? { kind: 'all' } : { kind: 'grants', grants: p.grants };
      scopes.set(id, await resolveScope(this.ctx.store.db, scope));
    }
    return { people, prefs, scopes };
  }

  /**
   * Tells the lead agency's officers of each directive task (each
   * occurrence of a recurring one) due by the end of today in Vietnam —
   * within 24 hours — and again once it is overdue: once per task, stage
   * and deadline in force, so an extension is told anew and a repeated
   * tick is not. A task whose report of done awaits the office's
   * confirmation is no longer theirs to do and is not told of. Quiet hours
   * hold these back; the least severity, which is of alerts, does not.
   */
  async queueDirectiveTasks(now: Date): Promise<void> {
    const at = iso(now);
    const found = (await new DirectiveService(this.ctx).occurrencesIn({ kind: 'all' }, undefined, at, vietnamDate(now)))
      .map((c) => ({ c, stage: taskDeadlineStage({ dueWithinDays: 0, overdue: true }, c.state, at) }))
      .filter((f): f is { c: (typeof f)['c']; stage: 'due_soon' | 'overdue' } => f.stage === 'due_soon' || f.stage === 'overdue');
    if (found.length === 0) return;
    const { people, prefs, scopes } = await this.receivers(TASK_RECEIVING_ROLES);
    const repo = this.repo();
    for (const { c, stage } of found) {
      const deadline = c.state.deadline!;
      const task = { documentNumber: c.doc.number, key: c.task.task.key, occurrence: c.occurrence, text: c.task.task.text, deadline };
      const { subject, body } = directiveTaskMessage(task, stage, `${this.ctx.config.publicUrl}/directives/${encodeURIComponent(c.doc.number)}`);
      const sourceKey = `directive-task:${c.task.id}${c.occurrence === null ? '' : `@${c.occurrence}`}|${stage}|${deadline}`;
      for (const [userId, p] of people) {
        if (!(await reaches(this.ctx.store.db, scopes.get(userId) ?? { kind: 'none' }, { orgCode: c.lead, orgPlace: true }))) continue;
        await this.record(repo, userId, preferencesOf(prefs.get(userId), p.roles), { topic: 'due_soon', sourceKey, severity: 'warning', subject, body }, now);
      }
    }
  }

  /** Records one message to a person on each of their channels that is configured and has their address; quiet hours hold what is not critical. */
  private async record(repo: MessagesRepository, userId: number, pref: MessagePreferences, m: { topic: MessageTopic; sourceKey: string; severity: AlertSeverity; subject: string; body: string }, now: Date): Promise<void> {
    const until = heldBack(m.severity, pref.quietHours, now);
    for (const channel of pref.channels) {
      if (!this.channels[channel]) continue;
      const address = this.addressOf(channel, pref);
      if (!address) continue;
      await repo.add({ userId, channel, address, ...m, status: until ? 'held' : 'queued', dueAt: iso(until ?? now) }, iso(now));
    }
  }

  private addressOf(channel: MessageChannel, p: MessagePreferences): string | null {
    if (channel === 'email') return p.email;
    return this.ctx.config.gateway?.preset === 'zalo_oa' ? (p.zaloId ?? null) : (p.phone ?? p.zaloId ?? null);
  }

  /** Sends the messages due: sent on success; else another try later with backoff, until the last try records it failed with its error. */
  async sendDue(now: Date = this.ctx.clock.now()): Promise<void> {
    const repo = this.repo();
    for (const m of await repo.due(iso(now))) {
      const channel = this.channels[m.channel as MessageChannel];
      const error = channel ? await this.attempt(channel, m) : `the ${m.channel} channel is not configured`;
      const attempts = m.attempts + 1;
      const next = error === null ? null : nextMessageAttempt(attempts, now, this.options.retry);
      await repo.recordAttempt(m.id, m.attempts, { status: error === null ? 'sent' : next ? 'queued' : 'failed', nextAttemptAt: next ? iso(next) : null, error, at: iso(now) });
    }
  }

  private async attempt(channel: Channel, m: UserMessageRow): Promise<string | null> {
    try {
      return await channel.send({ id: m.id, address: m.address, subject: m.subject, body: m.body });
    } catch (e) {
      return e instanceof AppError ? e.message : e instanceof Error ? e.message : String(e);
    }
  }
}
