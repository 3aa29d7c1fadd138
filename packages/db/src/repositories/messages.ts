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
 * People's message preferences, the messages sent to them with their
 * delivery state, and the cursor the sender reads the alerts' timelines by.
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
    const values = { channels: JSON.stringify(p.channels), email: p.email, phone: p.phone, zalo_id: p.zaloId, min_severity: p.minSeverity, quiet_from: p.quietFrom, quiet_to: p.quietTo, updated_at: at };
    await this.db
      .insertInto('message_preference')
      .values({ user_id: p.userId, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .execute();
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
  const channels = typeof r.channels === 'string' ? (JSON.parse(r.channels) as string[]) : (r.channels as string[]);
  return { userId: r.user_id, channels, email: r.email, phone: r.phone, zaloId: r.zalo_id, minSeverity: r.min_severity, quietFrom: r.quiet_from, quietTo: r.quiet_to, updatedAt: asInstant(r.updated_at) };
}
