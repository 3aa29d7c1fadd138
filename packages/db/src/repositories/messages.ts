import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema';

type Db = Kysely<Database> | Transaction<Database>;

export interface StoredMessagePreference {
  userId: number;
  channels: string[];
  email: string | null;
  phone: string | null;
  zaloId: string | null;
  minSeverity: string | null;
  quietFrom: string | null;
  quietTo: string | null;
  /** null: set before topics were chosen (every topic). */
  topics: string[] | null;
  language: string | null;
  followRole: boolean;
  updatedAt: string;
}

/** An administrator's defaults for a role. */
export interface StoredRolePreference {
  role: string;
  channels: string[];
  minSeverity: string;
  topics: string[];
  quietFrom: string | null;
  quietTo: string | null;
  updatedAt: string;
}

export interface UserMessageRow {
  id: number;
  user_id: number;
  channel: string;
  address: string;
  topic: string;
  source_key: string;
  severity: string;
  subject: string;
  body: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

export interface NewUserMessage {
  userId: number;
  channel: string;
  address: string;
  topic: string;
  sourceKey: string;
  severity: string;
  subject: string;
  body: string;
  /** queued (due at `dueAt`) or held (for quiet hours, until `dueAt`). */
  status: 'queued' | 'held';
  dueAt: string;
}

const jsonArray = (v: unknown): string[] => (typeof v === 'string' ? (JSON.parse(v) as string[]) : (v as string[]));
const asInstant = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));
const asInstantOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : asInstant(v));

function toRow(r: Record<string, unknown>): UserMessageRow {
  return {
    ...(r as unknown as UserMessageRow),
    next_attempt_at: asInstantOrNull(r.next_attempt_at),
    created_at: asInstant(r.created_at),
    updated_at: asInstant(r.updated_at),
    sent_at: asInstantOrNull(r.sent_at),
  };
}

/**
 * People's message preferences and their roles' defaults, the messages
 * sent to them with their delivery state, and what the sender reads: the
 * alerts' and cases' timelines and the reports' archive by cursor, the
 * dossiers falling due by window, and the source events already told of.
 */
export class MessagesRepository {
  constructor(private readonly db: Db) {}

  async preference(userId: number): Promise<StoredMessagePreference | undefined> {
    const r = await this.db.selectFrom('message_preference').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return r && toPreference(r);
  }

  async preferences(userIds: readonly number[]): Promise<Map<number, StoredMessagePreference>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db.selectFrom('message_preference').selectAll().where('user_id', 'in', [...userIds]).execute();
    return new Map(rows.map((r) => [r.user_id, toPreference(r)]));
  }

  async setPreference(p: Omit<StoredMessagePreference, 'updatedAt'>, at: string): Promise<void> {
    const values = {
      channels: JSON.stringify(p.channels),
      email: p.email,
      phone: p.phone,
      zalo_id: p.zaloId,
      min_severity: p.minSeverity,
      quiet_from: p.quietFrom,
      quiet_to: p.quietTo,
      topics: p.topics === null ? null : JSON.stringify(p.topics),
      language: p.language,
      follow_role: p.followRole ? 1 : 0,
      updated_at: at,
    };
    await this.db
      .insertInto('message_preference')
      .values({ user_id: p.userId, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .execute();
  }

  /** The defaults administrators set, by role. */
  async rolePreferences(): Promise<Map<string, StoredRolePreference>> {
    const rows = await this.db.selectFrom('message_role_preference').selectAll().execute();
    return new Map(
      rows.map((r) => [r.role, { role: r.role, channels: jsonArray(r.channels), minSeverity: r.min_severity, topics: jsonArray(r.topics), quietFrom: r.quiet_from, quietTo: r.quiet_to, updatedAt: asInstant(r.updated_at) }]),
    );
  }

  async setRolePreference(p: Omit<StoredRolePreference, 'updatedAt'>, at: string): Promise<void> {
    const values = { channels: JSON.stringify(p.channels), min_severity: p.minSeverity, topics: JSON.stringify(p.topics), quiet_from: p.quietFrom, quiet_to: p.quietTo, updated_at: at };
    await this.db
      .insertInto('message_role_preference')
      .values({ role: p.role, ...values })
      .onConflict((oc) => oc.column('role').doUpdateSet(values))
      .execute();
  }

  /** Of these source events, those already turned into messages. */
  async turned(sourceKeys: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < sourceKeys.length; i += 500) {
      const rows = await this.db.selectFrom('message_source').select('source_key').where('source_key', 'in', sourceKeys.slice(i, i + 500)).execute();
      for (const r of rows) out.add(r.source_key);
    }
    return out;
  }

  /** Marks a source event turned into messages; false when someone else marked it first (then they tell of it). */
  async markTurned(sourceKey: string, topic: string, at: string): Promise<boolean> {
    const row = await this.db.insertInto('message_source').values({ source_key: sourceKey, topic, at }).onConflict((oc) => oc.column('source_key').doNothing()).returning('source_key').executeTakeFirst();
    return row !== undefined;
  }

  /** Records a message once per source event, person and channel; false when it was already recorded. */
  async add(m: NewUserMessage, at: string): Promise<boolean> {
    const row = await this.db
      .insertInto('user_message')
      .values({ user_id: m.userId, channel: m.channel, address: m.address, topic: m.topic, source_key: m.sourceKey, severity: m.severity, subject: m.subject, body: m.body, status: m.status, next_attempt_at: m.dueAt, created_at: at, updated_at: at })
      .onConflict((oc) => oc.columns(['source_key', 'user_id', 'channel']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The messages due by `at` (queued, or held until quiet hours ended), oldest first. */
  async due(at: string, limit = 100): Promise<UserMessageRow[]> {
    const rows = await this.db
      .selectFrom('user_message')
      .selectAll()
      .where('status', 'in', ['queued', 'held'])
      .where('next_attempt_at', '<=', at)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => toRow(r as unknown as Record<string, unknown>));
  }

  /** Records one attempt, only when no one else recorded one since it was read (`attempts` as read); false otherwise. */
  async recordAttempt(id: number, attemptsRead: number, r: { status: 'queued' | 'sent' | 'failed'; nextAttemptAt: string | null; error: string | null; at: string }): Promise<boolean> {
    const res = await this.db
      .updateTable('user_message')
      .set({ status: r.status, attempts: attemptsRead + 1, next_attempt_at: r.nextAttemptAt, last_error: r.error, updated_at: r.at, sent_at: r.status === 'sent' ? r.at : null })
      .where('id', '=', id)
      .where('attempts', '=', attemptsRead)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async ofUser(userId: number, limit = 100): Promise<UserMessageRow[]> {
    const rows = await this.db.selectFrom('user_message').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => toRow(r as unknown as Record<string, unknown>));
  }

  async bySource(sourceKey: string): Promise<UserMessageRow[]> {
    const rows = await this.db.selectFrom('user_message').selectAll().where('source_key', '=', sourceKey).orderBy('id').execute();
    return rows.map((r) => toRow(r as unknown as Record<string, unknown>));
  }

  async cursor(name: string): Promise<number | undefined> {
    const r = await this.db.selectFrom('message_cursor').select('last_id').where('name', '=', name).executeTakeFirst();
    return r?.last_id;
  }

  async setCursor(name: string, lastId: number): Promise<void> {
    await this.db
      .insertInto('message_cursor')
      .values({ name, last_id: lastId })
      .onConflict((oc) => oc.column('name').doUpdateSet({ last_id: lastId }))
      .execute();
  }

  /** The alerts' timeline entries after `afterId` of the given kinds, in order, with their alert. */
  async alertEventsAfter(afterId: number, kinds: readonly string[], limit = 500) {
    return this.db
      .selectFrom('alert_event as e')
      .innerJoin('alert as a', 'a.id', 'e.alert_id')
      .select(['e.id as eventId', 'e.kind', 'e.at', 'a.id as alertId', 'a.rule_code', 'a.place_code', 'a.org_code', 'a.severity', 'a.message', 'a.escalation_level', 'a.status'])
      .where('e.id', '>', afterId)
      .where('e.kind', 'in', [...kinds])
      .orderBy('e.id')
      .limit(limit)
      .execute();
  }

  /**
   * The cases' timeline entries after `afterId` that give a case to an
   * agency: its creation (routed to `org`: the agency it had before any
   * later assignment, else its current one) and assignments (`org`: the
   * agency assigned), in order, with the case.
   */
  async caseHandoversAfter(afterId: number, limit = 500) {
    const rows = await this.db
      .selectFrom('case_event as e')
      .innerJoin('case as c', 'c.id', 'e.case_id')
      .leftJoin('place as p', 'p.id', 'c.place_id')
      .select((eb) => [
        'e.id as eventId',
        'e.kind',
        'e.at',
        'e.after_value',
        'c.public_id as publicId',
        'c.title',
        'c.org_code as currentOrg',
        'c.deadline_at as deadlineAt',
        'c.priority',
        'p.name as placeName',
        eb
          .selectFrom('case_event as later')
          .select('later.before_value')
          .whereRef('later.case_id', '=', 'e.case_id')
          .where('later.kind', '=', 'assigned')
          .whereRef('later.id', '>', 'e.id')
          .orderBy('later.id')
          .limit(1)
          .as('reassignedFrom'),
      ])
      .where('e.id', '>', afterId)
      .where('e.kind', 'in', ['created', 'assigned'])
      .orderBy('e.id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      eventId: r.eventId,
      kind: r.kind as 'created' | 'assigned',
      at: asInstant(r.at),
      org: r.kind === 'assigned' ? r.after_value : r.reassignedFrom !== null ? r.reassignedFrom : r.currentOrg,
      publicId: r.publicId,
      title: r.title,
      placeName: r.placeName,
      priority: r.priority,
      deadlineAt: asInstant(r.deadlineAt),
    }));
  }

  /** The dossiers not resolved whose deadline falls after `from` and by `to`, by deadline. */
  async openDossiersDue(from: string, to: string, limit = 2000) {
    const rows = await this.db
      .selectFrom('dossier')
      .select(['code', 'procedure_code', 'procedure_name', 'org_code', 'due_at'])
      .where('resolved_at', 'is', null)
      .where('due_at', '>', from)
      .where('due_at', '<=', to)
      .orderBy('due_at')
      .orderBy('code')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ code: r.code, procedure: r.procedure_name ?? r.procedure_code, orgCode: r.org_code, dueAt: asInstant(r.due_at) }));
  }

  /** The reports' archive after `afterId`: what was rendered (those that made a file have a size), in order, without the file. */
  async renderingsAfter(afterId: number, limit = 100) {
    const rows = await this.db
      .selectFrom('report_rendering')
      .select(['id', 'schedule_code', 'template_code', 'period_key', 'format', 'rendered_at', 'size'])
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, scheduleCode: r.schedule_code, templateCode: r.template_code, periodKey: r.period_key, format: r.format, renderedAt: asInstant(r.rendered_at), size: Number(r.size) }));
  }

  async lastAlertEventId(): Promise<number> {
    const r = await this.db.selectFrom('alert_event').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
    return Number(r?.id ?? 0);
  }

  /** The people who may be told of something: enabled users with their roles. */
  async recipients(roles: readonly string[]): Promise<{ userId: number; login: string; role: string; orgCode: string | null; placeCode: string | null }[]> {
    return this.db
      .selectFrom('user_role as r')
      .innerJoin('app_user as u', 'u.id', 'r.user_id')
      .select(['u.id as userId', 'u.login', 'r.role', 'r.org_code as orgCode', 'r.place_code as placeCode'])
      .where('u.disabled', '=', 0)
      .where('r.role', 'in', [...roles])
      .orderBy('u.id')
      .execute();
  }
}

function toPreference(r: Database['message_preference'] extends infer T ? { [K in keyof T]: T[K] } : never): StoredMessagePreference {
  return {
    userId: r.user_id,
    channels: jsonArray(r.channels),
    email: r.email,
    phone: r.phone,
    zaloId: r.zalo_id,
    minSeverity: r.min_severity,
    quietFrom: r.quiet_from,
    quietTo: r.quiet_to,
    topics: r.topics === null || r.topics === undefined ? null : jsonArray(r.topics),
    language: r.language,
    followRole: Number(r.follow_role) === 1,
    updatedAt: asInstant(r.updated_at),
  };
}
