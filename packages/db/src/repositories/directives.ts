import type { Kysely, Selectable, Transaction } from 'kysely';
import { normaliseDirectiveNumber, taskDeadlineSchema, taskLinksSchema, type DirectiveDocument, type DirectiveTask, type TaskEvent } from '@watchfloor/core';
import type { Database, DirectiveDocumentTable, DirectiveTaskEventTable, DirectiveTaskTable } from '../schema';
import { inScope, type ResolvedScope } from '../scope';
import { readJsonColumn } from './sources';

type Db = Kysely<Database> | Transaction<Database>;

/** A directive document as stored, without its tasks. */
export interface StoredDirectiveDocument {
  id: number;
  number: string;
  numberKey: string;
  date: string;
  issuer: string;
  signer: string;
  kind: DirectiveDocument['kind'];
  summary: string;
  confirmDone: boolean;
  published: boolean;
  synthetic: boolean;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
}

/** A task as stored: its terms as the document gave them, and where it stands in the document as last sent. */
export interface StoredDirectiveTask {
  id: number;
  documentId: number;
  task: DirectiveTask;
  missing: boolean;
  createdAt: string;
  updatedAt: string;
}

/** An event as stored, with the task and occurrence it is addressed to. */
export interface StoredDirectiveEvent {
  id: number;
  taskId: number;
  occurrence: string | null;
  event: TaskEvent;
}

const when = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));

function readDocument(r: Selectable<DirectiveDocumentTable>): StoredDirectiveDocument {
  return {
    id: r.id,
    number: r.number,
    numberKey: r.number_key,
    date: r.date,
    issuer: r.issuer,
    signer: r.signer,
    kind: r.kind as DirectiveDocument['kind'],
    summary: r.summary,
    confirmDone: r.confirm_done === 1,
    published: r.published === 1,
    synthetic: r.synthetic === 1,
    createdAt: when(r.created_at),
    createdBy: r.created_by,
    updatedAt: when(r.updated_at),
    updatedBy: r.updated_by,
  };
}

function readTask(r: Selectable<DirectiveTaskTable>): StoredDirectiveTask {
  return {
    id: r.id,
    documentId: r.document_id,
    task: {
      key: r.key,
      text: r.text,
      lead: r.lead,
      cooperating: readJsonColumn(r.cooperating) as string[],
      deadline: taskDeadlineSchema.parse(readJsonColumn(r.deadline)),
      links: taskLinksSchema.parse(readJsonColumn(r.links)),
    },
    missing: r.missing === 1,
    createdAt: when(r.created_at),
    updatedAt: when(r.updated_at),
  };
}

/** An event row as the core's event (only the fields its kind has). */
function readEvent(r: Selectable<DirectiveTaskEventTable>): StoredDirectiveEvent {
  const common = { at: when(r.at), by: r.by, actor: r.actor as TaskEvent['actor'] };
  let event: TaskEvent;
  switch (r.kind) {
    case 'progress':
      event = { kind: 'progress', ...common, percent: Number(r.percent ?? 0), text: r.text ?? '' };
      break;
    case 'done':
      event = { kind: 'done', ...common, text: r.text ?? '' };
      break;
    case 'done_confirmed':
      event = { kind: 'done_confirmed', ...common };
      break;
    case 'extension_requested':
      event = { kind: 'extension_requested', ...common, until: r.until ?? '', reason: r.reason ?? '' };
      break;
    case 'extension_approved':
      event = { kind: 'extension_approved', ...common, until: r.until ?? '' };
      break;
    case 'done_refused':
    case 'extension_refused':
    case 'cancelled':
      event = { kind: r.kind, ...common, reason: r.reason ?? '' };
      break;
    default:
      throw new Error(`directive_task_event ${r.id} has an unknown kind ${r.kind}`);
  }
  return { id: r.id, taskId: r.task_id, occurrence: r.occurrence, event };
}

/** Which tasks a query reaches: the lead agency's organisation (judged where it stands when a grant names a place only). */
const TASK_SCOPE = { orgCode: 't.lead', orgPlace: true } as const;

/**
 * All SQL of leadership directives: documents by number, their tasks by
 * key, the tasks' events (append only), and the names of the agencies
 * they name. States are not stored: the service folds them from events.
 */
export class DirectiveRepository {
  constructor(private readonly db: Db) {}

  async documents(): Promise<StoredDirectiveDocument[]> {
    return (await this.db.selectFrom('directive_document').selectAll().orderBy('date', 'desc').orderBy('id', 'desc').execute()).map(readDocument);
  }

  /** A document by its number and symbol, compared in normalised form. */
  async documentByNumber(number: string): Promise<StoredDirectiveDocument | undefined> {
    const r = await this.db.selectFrom('directive_document').selectAll().where('number_key', '=', normaliseDirectiveNumber(number)).executeTakeFirst();
    return r && readDocument(r);
  }

  async document(id: number): Promise<StoredDirectiveDocument | undefined> {
    const r = await this.db.selectFrom('directive_document').selectAll().where('id', '=', id).executeTakeFirst();
    return r && readDocument(r);
  }

  /**
   * The tasks of some documents (all when `documentIds` is undefined) that
   * the scope reaches by their lead agency, or all tasks of the published
   * ones when `published` is set; by document then id.
   */
  async tasks(scope: ResolvedScope, opts: { documentIds?: readonly number[]; published?: boolean; lead?: string } = {}): Promise<StoredDirectiveTask[]> {
    if (opts.documentIds !== undefined && opts.documentIds.length === 0) return [];
    let q = this.db
      .selectFrom('directive_task as t')
      .innerJoin('directive_document as d', 'd.id', 't.document_id')
      .selectAll('t')
      .where((eb) => (opts.published ? eb.or([inScope(scope, TASK_SCOPE), eb('d.published', '=', 1)]) : inScope(scope, TASK_SCOPE)));
    if (opts.documentIds !== undefined) q = q.where('t.document_id', 'in', [...opts.documentIds]);
    if (opts.lead !== undefined) q = q.where('t.lead', '=', opts.lead);
    return (await q.orderBy('t.document_id').orderBy('t.id').execute()).map(readTask);
  }

  async task(id: number): Promise<StoredDirectiveTask | undefined> {
    const r = await this.db.selectFrom('directive_task').selectAll().where('id', '=', id).executeTakeFirst();
    return r && readTask(r);
  }

  /** The events of some tasks, oldest first (by instant, then as recorded). */
  async events(taskIds: readonly number[]): Promise<StoredDirectiveEvent[]> {
    const out: StoredDirectiveEvent[] = [];
    for (let i = 0; i < taskIds.length; i += 500) {
      const rows = await this.db
        .selectFrom('directive_task_event')
        .selectAll()
        .where('task_id', 'in', taskIds.slice(i, i + 500))
        .orderBy('at')
        .orderBy('id')
        .execute();
      out.push(...rows.map(readEvent));
    }
    return out.sort((a, b) => Date.parse(a.event.at) - Date.parse(b.event.at) || a.id - b.id);
  }

  /** Appends an event to a task (an occurrence of it); its id. */
  async addEvent(taskId: number, occurrence: string | null, e: TaskEvent): Promise<number> {
    const { id } = await this.db
      .insertInto('directive_task_event')
      .values({
        task_id: taskId,
        occurrence,
        kind: e.kind,
        at: e.at,
        by: e.by,
        actor: e.actor,
        percent: e.kind === 'progress' ? e.percent : null,
        text: e.kind === 'progress' || e.kind === 'done' ? e.text : null,
        until: e.kind === 'extension_requested' || e.kind === 'extension_approved' ? e.until : null,
        reason: e.kind === 'done_refused' || e.kind === 'extension_refused' || e.kind === 'cancelled' || e.kind === 'extension_requested' ? e.reason : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  /**
   * Creates or updates a document and its tasks by key, in one
   * transaction: a task already held is updated in place (its id, and so
   * its events, kept); a new key is inserted; a task held and not sent is
   * kept, marked missing. Returns the document's id and whether it was new.
   */
  async saveDocument(d: DirectiveDocument, at: string, by: string | null): Promise<{ id: number; created: boolean }> {
    const run = async (trx: Db): Promise<{ id: number; created: boolean }> => {
      const numberKey = normaliseDirectiveNumber(d.number);
      const fields = {
        number: d.number,
        date: d.date,
        issuer: d.issuer,
        signer: d.signer,
        kind: d.kind,
        summary: d.summary,
        confirm_done: d.confirmDone ? 1 : 0,
        published: d.published ? 1 : 0,
        synthetic: d.synthetic ? 1 : 0,
        updated_at: at,
        updated_by: by,
      };
      const existing = await trx.selectFrom('directive_document').select('id').where('number_key', '=', numberKey).executeTakeFirst();
      let id: number;
      if (existing) {
        id = existing.id;
        await trx.updateTable('directive_document').set(fields).where('id', '=', id).execute();
      } else {
        id = (await trx.insertInto('directive_document').values({ ...fields, number_key: numberKey, created_at: at, created_by: by }).returning('id').executeTakeFirstOrThrow()).id;
      }
      const held = new Map((await trx.selectFrom('directive_task').select(['id', 'key']).where('document_id', '=', id).execute()).map((r) => [r.key, r.id]));
      for (const t of d.tasks) {
        const terms = {
          text: t.text,
          lead: t.lead,
          cooperating: JSON.stringify(t.cooperating),
          deadline: JSON.stringify(t.deadline),
          links: JSON.stringify(t.links),
          missing: 0,
          updated_at: at,
        };
        const taskId = held.get(t.key);
        if (taskId === undefined) await trx.insertInto('directive_task').values({ document_id: id, key: t.key, ...terms, created_at: at }).execute();
        else await trx.updateTable('directive_task').set(terms).where('id', '=', taskId).execute();
      }
      const sent = new Set(d.tasks.map((t) => t.key));
      const gone = [...held].filter(([key]) => !sent.has(key)).map(([, taskId]) => taskId);
      if (gone.length > 0) await trx.updateTable('directive_task').set({ missing: 1 }).where('id', 'in', gone).execute();
      return { id, created: existing === undefined };
    };
    return this.db.isTransaction ? run(this.db) : this.db.transaction().execute(run);
  }

  /** The names of organisations by code (as they stand most recently), for the codes the catalogue knows. */
  async organisationNames(codes: readonly string[]): Promise<Map<string, { name: string; nameEn: string | null }>> {
    const out = new Map<string, { name: string; nameEn: string | null }>();
    const unique = [...new Set(codes)];
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await this.db.selectFrom('organisation').select(['code', 'name', 'name_en', 'valid_from']).where('code', 'in', unique.slice(i, i + 500)).orderBy('valid_from').execute();
      for (const r of rows) out.set(r.code, { name: r.name, nameEn: r.name_en });
    }
    return out;
  }
}
