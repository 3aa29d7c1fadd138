import { sql, type Kysely, type RawBuilder, type Selectable, type SqlBool, type Transaction } from 'kysely';
import type { CapMessagePlaceTable, CapMessageTable, Database } from '../schema';
import { inScope, type ResolvedScope } from '../scope';
import { readJsonColumn } from './sources';

type Db = Kysely<Database> | Transaction<Database>;
export type CapMessageRow = Selectable<CapMessageTable>;
export type CapMessagePlaceRow = Selectable<CapMessagePlaceTable>;

/** A CAP message to store: its key, the fields lists filter on, the document (as received and as read) and its mapped areas. */
export interface CapMessageInput {
  sender: string;
  identifier: string;
  sent: string;
  sentAt: string;
  status: string;
  msgType: string;
  scope: string;
  severity: string;
  expiresAt: string | null;
  document: unknown;
  xml: string;
  areas: unknown;
  receivedAt: string;
  /** The place versions the message covers (ids and codes), without repeats. */
  places: readonly { id: number; code: string }[];
}

/** A CAP message as stored, with its JSON columns read. */
export interface CapMessageRecord extends Omit<CapMessageRow, 'document' | 'areas'> {
  document: unknown;
  areas: unknown;
}

function toRecord(r: CapMessageRow): CapMessageRecord {
  return { ...r, document: readJsonColumn(r.document), areas: readJsonColumn(r.areas) };
}

/** A CAP message is within a scope when one of the places it covers is (an unscoped caller sees every message, those covering none too). */
function capInScope(scope: ResolvedScope): RawBuilder<SqlBool> {
  if (scope.kind !== 'grants') return inScope(scope, {});
  return sql<SqlBool>`exists (select 1 from cap_message_place cmp where cmp.message_id = cap_message.id and ${inScope(scope, { placeId: 'cmp.place_id' })})`;
}

/** All SQL about CAP messages received from other agencies. */
export class CapRepository {
  constructor(private readonly db: Db) {}

  /**
   * Stores a message unless one with the same sender, identifier and sent
   * is stored already (CAP's key): answers its id and whether it was new.
   * The check is the unique key itself, so two imports racing store one.
   * Call inside a transaction (the places are written with it).
   */
  async insert(m: CapMessageInput): Promise<{ id: number; created: boolean }> {
    const inserted = await this.db
      .insertInto('cap_message')
      .values({
        sender: m.sender,
        identifier: m.identifier,
        sent: m.sent,
        sent_at: m.sentAt,
        status: m.status,
        msg_type: m.msgType,
        scope: m.scope,
        severity: m.severity,
        expires_at: m.expiresAt,
        document: JSON.stringify(m.document),
        xml: m.xml,
        areas: JSON.stringify(m.areas),
        received_at: m.receivedAt,
      })
      .onConflict((oc) => oc.columns(['sender', 'identifier', 'sent']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      const existing = await this.db
        .selectFrom('cap_message')
        .select('id')
        .where('sender', '=', m.sender)
        .where('identifier', '=', m.identifier)
        .where('sent', '=', m.sent)
        .executeTakeFirstOrThrow();
      return { id: existing.id, created: false };
    }
    if (m.places.length > 0) {
      await this.db
        .insertInto('cap_message_place')
        .values(m.places.map((p) => ({ message_id: inserted.id, place_id: p.id, place_code: p.code })))
        .execute();
    }
    return { id: inserted.id, created: true };
  }

  /** A message, if the scope reaches it (outside it, as unknown); importing and publishing pass `ALL_ROWS`. */
  async get(id: number, scope: ResolvedScope): Promise<CapMessageRecord | undefined> {
    const r = await this.db.selectFrom('cap_message').selectAll().where('id', '=', id).where(capInScope(scope)).executeTakeFirst();
    return r && toRecord(r);
  }

  /** The stored messages a reference names: same sender and identifier, sent at the same instant (offsets may be written differently). */
  async findReferenced(sender: string, identifier: string, sentAt: string): Promise<CapMessageRecord | undefined> {
    const rows = await this.db.selectFrom('cap_message').selectAll().where('sender', '=', sender).where('identifier', '=', identifier).execute();
    const r = rows.find((x) => Date.parse(x.sent_at) === Date.parse(sentAt));
    return r && toRecord(r);
  }

  /** Marks earlier messages replaced by a later one, and withdrawn (`cancelledAt`) when it is a Cancel. */
  async markReplaced(ids: readonly number[], by: number, cancelledAt: string | null): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('cap_message').set({ replaced_by: by, cancelled_at: cancelledAt }).where('id', 'in', ids).execute();
  }

  /** Links a message to the alert it raised, updated or cancelled. */
  async setAlert(messageId: number, alertId: number): Promise<void> {
    await this.db.updateTable('cap_message').set({ alert_id: alertId }).where('id', '=', messageId).execute();
  }

  /** The latest message of an alert (the one in force, or the Cancel that withdrew it). */
  async latestOfAlert(alertId: number): Promise<CapMessageRecord | undefined> {
    const r = await this.db.selectFrom('cap_message').selectAll().where('alert_id', '=', alertId).orderBy('sent_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
    return r && toRecord(r);
  }

  /** The places of several messages at once. */
  async placesOf(messageIds: readonly number[]): Promise<CapMessagePlaceRow[]> {
    if (messageIds.length === 0) return [];
    return this.db.selectFrom('cap_message_place').selectAll().where('message_id', 'in', [...messageIds]).orderBy('place_code').execute();
  }

  /** The messages a later one replaced or withdrew. */
  async replacedBy(id: number): Promise<CapMessageRecord[]> {
    const rows = await this.db.selectFrom('cap_message').selectAll().where('replaced_by', '=', id).orderBy('id').execute();
    return rows.map(toRecord);
  }

  /** Messages the access scope reaches, newest first; `filter.scope` keeps one CAP scope (Public for the published feed). */
  async list(filter: { scope?: string; limit?: number }, access: ResolvedScope): Promise<CapMessageRecord[]> {
    let q = this.db.selectFrom('cap_message').selectAll().where(capInScope(access));
    if (filter.scope) q = q.where('scope', '=', filter.scope);
    const rows = await q.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(filter.limit ?? 100).execute();
    return rows.map(toRecord);
  }

  /** The place versions a message covers. */
  async places(messageId: number): Promise<CapMessagePlaceRow[]> {
    return this.db.selectFrom('cap_message_place').selectAll().where('message_id', '=', messageId).orderBy('place_code').execute();
  }
}
