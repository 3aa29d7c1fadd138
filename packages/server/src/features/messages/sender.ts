import {
  AppError,
  ALERT_RECEIVING_ROLES,
  MESSAGE_TOPICS,
  ROLES,
  alertMessage,
  builtInRolePreferences,
  caseAssignedMessage,
  directiveTaskMessage,
  dossierDueMessage,
  effectivePreferences,
  heldBack,
  lateSourceMessage,
  mergeRolePreferences,
  nextMessageAttempt,
  reportPublishedMessage,
  severityAtLeast,
  sourceFreshness,
  type AlertSeverity,
  type DataScope,
  type MessageChannel,
  type MessageLanguage,
  type MessagePreferences,
  type MessageText,
  type MessageTopic,
  type Role,
  type RolePreferences,
  taskDeadlineStage,
  vietnamDate,
} from '@watchfloor/core';
import {
  ALL_ROWS,
  MessagesRepository,
  reaches,
  resolveScope,
  SourcesRepository,
  type ResolvedScope,
  type StoredMessagePreference,
  type StoredRolePreference,
  type UserMessageRow,
} from '@watchfloor/db';
import { OutboundGuard } from '@watchfloor/connectors';
import type { AppContext } from '../../context';
import { startLeasedTicker, tickUnderLease, type LeasedTicker } from '../../leased-ticker';
import { DirectiveService } from '../directives/service';
import { ReportsService } from '../reports/service';
import { toSource } from '../sources/service';
import { GatewayChannel, SmtpChannel, type Channel } from './channels';

/** The lease several instances take turns on, so each message is sent by one. */
export const MESSAGE_SEND_LEASE = 'messages:send';

/** The cursors over the alerts' and the cases' timelines and the reports' archive: how far they have been turned into messages. */
const ALERT_CURSOR = 'alerts';
const CASE_CURSOR = 'case_events';
const RENDERING_CURSOR = 'report_renderings';

/** Who is told of a directive task or a dossier falling due, and of a case given to an agency: the agency's officers. */
const AGENCY_ROLES: readonly Role[] = ['agency_officer'];
/** Who is told of a source gone late: those of its owner who supply and keep its data. */
const SOURCE_ROLES: readonly Role[] = ['agency_officer', 'data_steward'];

const DAY_MS = 86_400_000;
/** A case handed over or a report archived longer ago than this is no news: a backlog (a restored database, a long stop) is passed by. */
const NEWS_MS = DAY_MS;

const iso = (d: Date) => d.toISOString();

type Log = { warn(obj: object, msg: string): void };

export interface MessageSenderOptions {
  /** The channels, when not those the configuration makes (tests give their own). */
  channels?: Partial<Record<MessageChannel, Channel>>;
  retry?: { attempts: number; delaysMs: readonly number[] };
  log?: Log;
}

/** A role's defaults as an administrator stored them, or the built-in ones. */
export function roleDefaultsOf(stored: ReadonlyMap<string, StoredRolePreference>): (role: Role) => RolePreferences {
  return (role) => {
    const r = stored.get(role);
    if (!r) return builtInRolePreferences(role);
    return {
      channels: r.channels as MessageChannel[],
      minSeverity: r.minSeverity as AlertSeverity,
      topics: r.topics as MessageTopic[],
      quietHours: r.quietFrom && r.quietTo ? { from: r.quietFrom, to: r.quietTo } : null,
    };
  };
}

/** What holds for a person: what they stored (or, when they follow their roles or stored nothing, their roles' defaults with their addresses). */
export function preferencesOf(stored: StoredMessagePreference | undefined, roles: readonly Role[], roleDefaults: (role: Role) => RolePreferences = builtInRolePreferences): MessagePreferences {
  if (!stored) return effectivePreferences(undefined, roles, roleDefaults);
  const own: MessagePreferences = {
    channels: stored.channels as MessageChannel[],
    email: stored.email,
    phone: stored.phone,
    zaloId: stored.zaloId,
    minSeverity: (stored.minSeverity ?? mergeRolePreferences(roles, roleDefaults).minSeverity) as AlertSeverity,
    // Set before topics were chosen: every topic, as before.
    topics: (stored.topics ?? [...MESSAGE_TOPICS]) as MessageTopic[],
    quietHours: stored.quietFrom && stored.quietTo ? { from: stored.quietFrom, to: stored.quietTo } : null,
    language: stored.language === 'en' ? 'en' : 'vi',
    followRole: stored.followRole,
  };
  return effectivePreferences(own, roles, roleDefaults);
}

/** One person who may be told of a topic: what holds of their preferences and the scope their grants of the roles told give. */
interface Receiver {
  userId: number;
  pref: MessagePreferences;
  scope: ResolvedScope;
}

/** A message to record for the people told: its texts are written once per language asked for. */
interface Outgoing {
  topic: MessageTopic;
  sourceKey: string;
  severity: AlertSeverity;
  text: (lang: MessageLanguage) => MessageText;
}

/** Writes each language's text once, whoever asks for it. */
function perLanguage(write: (lang: MessageLanguage) => MessageText): (lang: MessageLanguage) => MessageText {
  const made = new Map<MessageLanguage, MessageText>();
  return (lang) => {
    let t = made.get(lang);
    if (!t) made.set(lang, (t = write(lang)));
    return t;
  };
}

/**
 * Messages to people, sent in the background, never within the request
 * that caused them. On each tick (under a lease, so of several instances
 * one sends), each producer turns what happened since its cursor, or what
 * falls in its window, into a message per person told and channel — once
 * per source event (`sourceKey`), so a repeated tick tells nothing again:
 * alerts opened or escalated; cases routed or assigned to an agency;
 * directive tasks and dossiers due within 24 hours, then overdue; data
 * sources gone late; scheduled reports archived. Who is told: people whose
 * roles receive the topic, whose scope reaches the thing, and whose
 * preferences (their own, or their roles' defaults) ask for the topic.
 * Quiet hours hold a message that is not critical until they end. Then the
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
    await this.queueCaseHandovers(now);
    await this.queueDossiers(now);
    await this.queueLateSources(now);
    await this.queueReports(now);
    await this.sendDue(now);
  }

  /** Turns the alerts opened or escalated since the cursor into messages, and moves the cursor past them, in one transaction. */
  async queueAlerts(now: Date): Promise<void> {
    const repo = this.repo();
    const after = (await repo.cursor(ALERT_CURSOR)) ?? 0;
    const events = await repo.alertEventsAfter(after, ['opened', 'escalated']);
    if (events.length === 0) return;
    const people = await this.receivers('alert', ALERT_RECEIVING_ROLES);
    await this.ctx.store.db.transaction().execute(async (trx) => {
      const tx = new MessagesRepository(trx);
      for (const e of events) {
        const severity = e.severity as AlertSeverity;
        const event = e.kind === 'escalated' ? 'escalated' : 'opened';
        const link = `${this.ctx.config.publicUrl}/alerts/${e.alertId}`;
        const text = perLanguage((lang) => alertMessage({ id: e.alertId, severity, message: e.message, rule: e.rule_code, escalationLevel: e.escalation_level }, event, link, lang));
        for (const p of people) {
          if (!severityAtLeast(severity, p.pref.minSeverity)) continue;
          if (!(await reaches(trx, p.scope, { placeCode: e.place_code, orgCode: e.org_code, orgPlace: true }))) continue;
          await this.record(tx, p, { topic: 'alert', sourceKey: `alert-event:${e.eventId}`, severity, text }, now);
        }
      }
      await tx.setCursor(ALERT_CURSOR, events.at(-1)?.eventId ?? after);
    });
  }

  /**
   * The people holding some roles who ask to be told of a topic (by their
   * own preferences or their roles' defaults) on some channel, with the
   * scope their grants of those roles give.
   */
  private async receivers(topic: MessageTopic, roles: readonly Role[]): Promise<Receiver[]> {
    const repo = this.repo();
    const people = new Map<number, { roles: Role[]; grants: { organisationCode: string | null; placeCode: string | null }[] }>();
    for (const r of await repo.recipients(roles)) {
      const p = people.get(r.userId) ?? { roles: [], grants: [] };
      p.roles.push(r.role as Role);
      p.grants.push({ organisationCode: r.orgCode, placeCode: r.placeCode });
      people.set(r.userId, p);
    }
    const prefs = await repo.preferences([...people.keys()]);
    const defaults = roleDefaultsOf(await repo.rolePreferences());
    const out: Receiver[] = [];
    for (const [userId, p] of people) {
      // Defaults follow every role the person holds: the roles told here pick whom, not what they asked for.
      const pref = preferencesOf(prefs.get(userId), p.roles, defaults);
      if (!pref.topics.includes(topic) || pref.channels.length === 0) continue;
      const scope: DataScope = p.grants.some((g) => g.organisationCode === null && g.placeCode === null) ? { kind: 'all' } : { kind: 'grants', grants: p.grants };
      out.push({ userId, pref, scope: await resolveScope(this.ctx.store.db, scope) });
    }
    return out;
  }

  /** Of the people told, those whose scope reaches an agency (by the agency, or by the place it stands at); judged once per agency a tick. */
  private agencyReach(people: readonly Receiver[]): (orgCode: string) => Promise<Receiver[]> {
    const judged = new Map<string, Receiver[]>();
    return async (orgCode) => {
      let found = judged.get(orgCode);
      if (!found) {
        found = [];
        for (const p of people) if (await reaches(this.ctx.store.db, p.scope, { orgCode, orgPlace: true })) found.push(p);
        judged.set(orgCode, found);
      }
      return found;
    };
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
    const told = this.agencyReach(await this.receivers('due_soon', AGENCY_ROLES));
    const repo = this.repo();
    for (const { c, stage } of found) {
      const deadline = c.state.deadline!;
      const task = { documentNumber: c.doc.number, key: c.task.task.key, occurrence: c.occurrence, text: c.task.task.text, deadline };
      const link = `${this.ctx.config.publicUrl}/directives/${encodeURIComponent(c.doc.number)}`;
      const text = perLanguage((lang) => directiveTaskMessage(task, stage, link, lang));
      const sourceKey = `directive-task:${c.task.id}${c.occurrence === null ? '' : `@${c.occurrence}`}|${stage}|${deadline}`;
      for (const p of await told(c.lead)) await this.record(repo, p, { topic: 'due_soon', sourceKey, severity: 'warning', text }, now);
    }
  }

  /**
   * Tells an agency's officers of each case given to it since the cursor:
   * routed to it when received, or assigned to it later (the cases'
   * timelines say which). An urgent case is told as critical, so quiet
   * hours do not hold it. The cursor moves past what was read in the same
   * transaction as the messages.
   */
  async queueCaseHandovers(now: Date): Promise<void> {
    const repo = this.repo();
    const after = (await repo.cursor(CASE_CURSOR)) ?? 0;
    const events = await repo.caseHandoversAfter(after);
    if (events.length === 0) return;
    const news = events.filter((e) => e.org !== null && now.getTime() - Date.parse(e.at) <= NEWS_MS);
    const told = this.agencyReach(news.length > 0 ? await this.receivers('case_assigned', AGENCY_ROLES) : []);
    // Who is told of each is judged before the transaction: SQLite has one connection, which the transaction holds.
    const messages: { people: Receiver[]; m: Outgoing }[] = [];
    for (const e of news) {
      const link = `${this.ctx.config.publicUrl}/cases/${encodeURIComponent(e.publicId)}`;
      const text = perLanguage((lang) => caseAssignedMessage({ publicId: e.publicId, title: e.title, placeName: e.placeName, deadline: e.deadlineAt }, e.kind === 'created' ? 'routed' : 'assigned', link, lang));
      const severity: AlertSeverity = e.priority === 'urgent' ? 'critical' : 'warning';
      messages.push({ people: await told(e.org!), m: { topic: 'case_assigned', sourceKey: `case-event:${e.eventId}`, severity, text } });
    }
    await this.ctx.store.db.transaction().execute(async (trx) => {
      const tx = new MessagesRepository(trx);
      for (const { people, m } of messages) for (const p of people) await this.record(tx, p, m, now);
      await tx.setCursor(CASE_CURSOR, events.at(-1)?.eventId ?? after);
    });
  }

  /**
   * Tells the handling agency's officers of each public-service dossier not
   * yet resolved whose deadline falls within the next 24 hours, and once
   * more of one whose deadline passed within the last 24 hours: once per
   * dossier, stage and deadline (a dossier given a new deadline is told
   * anew). Reads only the dossiers in those two windows, and passes by
   * those already told of.
   */
  async queueDossiers(now: Date): Promise<void> {
    const repo = this.repo();
    const found = [
      ...(await repo.openDossiersDue(iso(now), iso(new Date(now.getTime() + DAY_MS)))).map((d) => ({ d, stage: 'due_soon' as const })),
      ...(await repo.openDossiersDue(iso(new Date(now.getTime() - DAY_MS)), iso(now))).map((d) => ({ d, stage: 'overdue' as const })),
    ].map((f) => ({ ...f, sourceKey: `dossier:${f.d.code}|${f.stage}|${f.d.dueAt}` }));
    await this.turnOnce(found, 'due_soon', AGENCY_ROLES, now, (f) => f.d.orgCode, (f) => ({
      topic: 'due_soon',
      sourceKey: f.sourceKey,
      severity: 'warning',
      text: perLanguage((lang) => dossierDueMessage({ code: f.d.code, procedure: f.d.procedure, deadline: f.d.dueAt }, f.stage, lang)),
    }));
  }

  /**
   * Tells the owner organisation's officers and data stewards of each data
   * source gone late: once per source and the instant it went late, so a
   * source that delivers and goes late again is told again. Judged as the
   * late list judges it (the sources' own freshness at this tick).
   */
  async queueLateSources(now: Date): Promise<void> {
    const late = (await new SourcesRepository(this.ctx.store.db).list(ALL_ROWS))
      .map((r) => toSource(r))
      .flatMap((s) => {
        const f = sourceFreshness({ expected: s.expected, enabled: s.enabled, lastArrivalAt: s.lastArrivalAt, lastPeriodEnd: s.lastPeriodEnd, createdAt: s.createdAt, now });
        return f.state === 'late' && f.lateSince ? [{ s, lateSince: f.lateSince, missingPeriod: f.missingPeriod, sourceKey: `late-source:${s.code}|${f.lateSince}` }] : [];
      });
    await this.turnOnce(late, 'late_source', SOURCE_ROLES, now, (l) => l.s.ownerOrganisationCode, (l) => {
      const link = `${this.ctx.config.publicUrl}/desk/data?source=${encodeURIComponent(l.s.code)}`;
      return { topic: 'late_source', sourceKey: l.sourceKey, severity: 'warning', text: perLanguage((lang) => lateSourceMessage({ code: l.s.code, name: l.s.name, lateSince: l.lateSince, missingPeriod: l.missingPeriod }, link, lang)) };
    });
  }

  /**
   * Records the messages of source events read by window (not by cursor):
   * each event not yet turned is marked turned and told to the agency's
   * people in one transaction, so a repeated tick, or another instance,
   * passes it by.
   */
  private async turnOnce<T extends { sourceKey: string }>(found: readonly T[], topic: MessageTopic, roles: readonly Role[], now: Date, agencyOf: (f: T) => string, message: (f: T) => Outgoing): Promise<void> {
    if (found.length === 0) return;
    const turned = await this.repo().turned(found.map((f) => f.sourceKey));
    const fresh = found.filter((f) => !turned.has(f.sourceKey));
    if (fresh.length === 0) return;
    const told = this.agencyReach(await this.receivers(topic, roles));
    for (const f of fresh) {
      const people = await told(agencyOf(f));
      const m = message(f);
      await this.ctx.store.db.transaction().execute(async (trx) => {
        const tx = new MessagesRepository(trx);
        if (!(await tx.markTurned(f.sourceKey, topic, iso(now)))) return;
        for (const p of people) await this.record(tx, p, m, now);
      });
    }
  }

  /**
   * Tells the people who ask for it (by default leaders, data stewards and
   * the leaders' office) of each scheduled report archived since the
   * cursor, with the link to download the file kept. A scheduled report
   * holds the figures of the whole province: only people whose scope holds
   * the province are told. A run that made no file is not told of.
   */
  async queueReports(now: Date): Promise<void> {
    const repo = this.repo();
    const after = (await repo.cursor(RENDERING_CURSOR)) ?? 0;
    const renderings = await repo.renderingsAfter(after);
    if (renderings.length === 0) return;
    const news = renderings.filter((r) => r.size > 0 && now.getTime() - Date.parse(r.renderedAt) <= NEWS_MS);
    const people: Receiver[] = [];
    for (const p of news.length > 0 ? await this.receivers('report_published', ROLES) : []) {
      if (await reaches(this.ctx.store.db, p.scope, { placeCode: this.ctx.config.province })) people.push(p);
    }
    const reports = new ReportsService(this.ctx);
    const titles = new Map<string, { vi: string; en: string } | null>();
    for (const r of news) if (!titles.has(r.templateCode)) titles.set(r.templateCode, (await reports.get(r.templateCode).catch(() => undefined))?.title ?? null);
    await this.ctx.store.db.transaction().execute(async (trx) => {
      const tx = new MessagesRepository(trx);
      for (const r of news) {
        const link = `${this.ctx.config.publicUrl}/api/reports/schedules/${encodeURIComponent(r.scheduleCode)}/renderings/${r.id}/file`;
        const title = titles.get(r.templateCode);
        const text = perLanguage((lang) => reportPublishedMessage({ title: title?.[lang] ?? r.templateCode, periodKey: r.periodKey, scheduleCode: r.scheduleCode }, link, lang));
        for (const p of people) await this.record(tx, p, { topic: 'report_published', sourceKey: `report-rendering:${r.id}`, severity: 'info', text }, now);
      }
      await tx.setCursor(RENDERING_CURSOR, renderings.at(-1)?.id ?? after);
    });
  }

  /** Records one message to a person, when they ask for its topic, on each of their channels that is configured and has their address; quiet hours hold what is not critical. */
  private async record(repo: MessagesRepository, to: Receiver, m: Outgoing, now: Date): Promise<void> {
    const { pref } = to;
    if (!pref.topics.includes(m.topic)) return;
    const until = heldBack(m.severity, pref.quietHours, now);
    const { subject, body } = m.text(pref.language);
    for (const channel of pref.channels) {
      if (!this.channels[channel]) continue;
      const address = this.addressOf(channel, pref);
      if (!address) continue;
      await repo.add({ userId: to.userId, channel, address, topic: m.topic, sourceKey: m.sourceKey, severity: m.severity, subject, body, status: until ? 'held' : 'queued', dueAt: iso(until ?? now) }, iso(now));
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
