import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema';
import { readJsonColumn } from './sources';

type Db = Kysely<Database> | Transaction<Database>;

export interface AuditEventInput {
  at: string;
  actor: string;
  address: string | null;
  action: string;
  entityKind: string;
  entityKey: string;
  before: unknown;
  after: unknown;
}

export interface AuditEventRecord extends AuditEventInput {
  id: number;
}

export interface AuditFilter {
  entityKind?: string | undefined;
  entityKey?: string | undefined;
  actor?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  before?: number | undefined;
  limit: number;
}

const writeJson = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

/**
 * The audit log. Append and read only: there is deliberately no update or
 * delete here, and the table's triggers refuse them from anywhere else.
 */
export class AuditRepository {
  constructor(private readonly db: Db) {}

  async append(e: AuditEventInput): Promise<number> {
    const row = await this.db
      .insertInto('audit_event')
      .values({
        at: e.at,
        actor: e.actor,
        address: e.address,
        action: e.action,
        entity_kind: e.entityKind,
        entity_key: e.entityKey,
        before: writeJson(e.before),
        after: writeJson(e.after),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Entries matching the filter, newest first. Instants are ISO strings in UTC, compared as such in SQLite. */
  async list(f: AuditFilter): Promise<AuditEventRecord[]> {
    let q = this.db.selectFrom('audit_event').selectAll();
    if (f.entityKind !== undefined) q = q.where('entity_kind', '=', f.entityKind);
    if (f.entityKey !== undefined) q = q.where('entity_key', '=', f.entityKey);
    if (f.actor !== undefined) q = q.where('actor', '=', f.actor);
    if (f.from !== undefined) q = q.where('at', '>=', f.from);
    if (f.to !== undefined) q = q.where('at', '<', f.to);
    if (f.before !== undefined) q = q.where('id', '<', f.before);
    const rows = await q.orderBy('id', 'desc').limit(f.limit).execute();
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      address: r.address,
      action: r.action,
      entityKind: r.entity_kind,
      entityKey: r.entity_key,
      before: readJsonColumn(r.before) ?? null,
      after: readJsonColumn(r.after) ?? null,
    }));
  }
}
