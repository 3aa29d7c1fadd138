import { userInfo } from 'node:os';
import type { FastifyRequest } from 'fastify';
import { redactSecrets, type AuditEntityKind, type AuditEvent, type AuditQuery } from '@watchfloor/core';
import { AuditRepository } from '@watchfloor/db';
import type { AppContext } from '../../context';

/** Who made a change and from where. */
export interface AuditWho {
  actor: string;
  address: string | null;
}

export interface AuditChange {
  action: string;
  entityKind: AuditEntityKind;
  entityKey: string;
  before?: unknown;
  after?: unknown;
}

/**
 * Who a request acts for: the signed-in identity when there is one, else the
 * name the request gives (`x-actor` header, or the body's own actor field
 * on the routes that have one), else 'anonymous'. The address is the
 * request's IP (behind a proxy, as Fastify's trustProxy resolves it).
 */
export function auditWho(req: FastifyRequest, bodyActor?: string | null): AuditWho {
  const login = (req as unknown as { identity?: { login?: unknown } }).identity?.login;
  const header = req.headers['x-actor'];
  const named = typeof login === 'string' && login !== '' ? login : typeof header === 'string' && header.trim() !== '' ? header.trim().slice(0, 200) : bodyActor?.trim() || 'anonymous';
  return { actor: named, address: req.ip ?? null };
}

/** The top-level plain fields of a record (no lists or nested documents): what a change to a case or an alert is recorded with, its timeline staying where it is. */
export function scalars(record: unknown): Record<string, unknown> | null {
  if (record === null || typeof record !== 'object') return null;
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v === null || typeof v !== 'object'));
}

/**
 * A change made with the `watchfloor` command on the server itself: the
 * operating-system account that ran it, as `cli:<account>` (whoever can run
 * the command holds the database, so the account is what can be told).
 */
export function cliWho(): AuditWho {
  let account = 'unknown';
  try {
    account = userInfo().username;
  } catch {
    // An account with no name (a container's numeric user): 'unknown' stands for it.
  }
  return { actor: `cli:${account}`, address: null };
}

/** Jobs and the alarm loop act as 'system'. */
export const SYSTEM: AuditWho = { actor: 'system', address: null };

function toEvent(r: Awaited<ReturnType<AuditRepository['list']>>[number]): AuditEvent {
  return { ...r, entityKind: r.entityKind as AuditEntityKind };
}

/** CSV cell: quoted when needed; text a spreadsheet would run as a formula is defused with a leading apostrophe. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const CSV_HEADER = 'id,at,actor,address,action,entity_kind,entity_key,before,after\r\n';

/**
 * The audit log: each change appended once it is committed, with the record
 * before and after it, secrets removed. A failure to append answers 500, so
 * a gap in the log is noticed rather than silent (the change itself stands).
 */
export class AuditLog {
  constructor(private readonly ctx: AppContext) {}

  private get repo() {
    return new AuditRepository(this.ctx.store.db);
  }

  async record(who: AuditWho, change: AuditChange): Promise<void> {
    await this.repo.append({
      at: this.ctx.clock.now().toISOString(),
      actor: who.actor,
      address: who.address,
      action: change.action,
      entityKind: change.entityKind,
      entityKey: change.entityKey,
      before: change.before === undefined ? null : redactSecrets(change.before),
      after: change.after === undefined ? null : redactSecrets(change.after),
    });
  }

  async list(q: AuditQuery): Promise<AuditEvent[]> {
    const [kind, ...rest] = q.entity ? q.entity.split(':') : [];
    const key = rest.length > 0 ? rest.join(':') : undefined;
    const rows = await this.repo.list({
      entityKind: kind || undefined,
      entityKey: key,
      actor: q.actor,
      from: q.from === undefined ? undefined : new Date(q.from).toISOString(),
      to: q.to === undefined ? undefined : new Date(q.to).toISOString(),
      before: q.before,
      limit: q.limit,
    });
    return rows.map(toEvent);
  }

  /** The matching entries as CSV, in pages, newest first. */
  async *csv(q: Omit<AuditQuery, 'limit' | 'before'>): AsyncGenerator<string> {
    yield CSV_HEADER;
    let before: number | undefined;
    for (;;) {
      const page = await this.list({ ...q, limit: 1000, before });
      for (const e of page) {
        yield [e.id, e.at, csvCell(e.actor), csvCell(e.address), csvCell(e.action), csvCell(e.entityKind), csvCell(e.entityKey), csvCell(e.before), csvCell(e.after)].join(',') + '\r\n';
      }
      if (page.length < 1000) return;
      before = page[page.length - 1]?.id;
    }
  }
}
