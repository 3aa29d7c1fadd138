import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DirectiveFile } from '@watchfloor/core';
import type { Database, DirectiveFileTable } from '../schema';

type Db = Kysely<Database> | Transaction<Database>;

/** A directive file as it is stored: what it is, the document it belongs to and the report it is evidence of (null: the document's own file). */
export interface StoredDirectiveFile extends DirectiveFile {
  documentId: number;
  eventId: number | null;
}

/** A file to keep: what it is without its id, with its bytes. */
export type DirectiveFileInput = Omit<StoredDirectiveFile, 'id'> & { content: Buffer };

const when = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));

const META = ['id', 'document_id', 'event_id', 'file_name', 'media_type', 'size', 'sha256', 'uploaded_at', 'uploaded_by'] as const;

function readFile(r: Omit<Selectable<DirectiveFileTable>, 'content'>): StoredDirectiveFile {
  return {
    id: r.id,
    documentId: r.document_id,
    eventId: r.event_id,
    fileName: r.file_name,
    mediaType: r.media_type,
    size: Number(r.size),
    sha256: r.sha256,
    uploadedAt: when(r.uploaded_at),
    uploadedBy: r.uploaded_by,
  };
}

function fileRow(f: DirectiveFileInput) {
  return {
    document_id: f.documentId,
    event_id: f.eventId,
    file_name: f.fileName,
    media_type: f.mediaType,
    size: f.size,
    sha256: f.sha256,
    content: f.content,
    uploaded_at: f.uploadedAt,
    uploaded_by: f.uploadedBy,
  };
}

/**
 * All SQL of the files of leadership directives: a document's own PDF
 * (one per document: putting one replaces the one held) and the evidence
 * attached to reports, the bytes read only when a file is downloaded.
 */
export class DirectiveFileRepository {
  constructor(private readonly db: Db) {}

  /** The document's own file, without its bytes. */
  async documentFile(documentId: number): Promise<StoredDirectiveFile | undefined> {
    const r = await this.db.selectFrom('directive_file').select(META).where('document_id', '=', documentId).where('event_id', 'is', null).orderBy('id', 'desc').executeTakeFirst();
    return r && readFile(r);
  }

  /** Keeps a document's own file in place of the one held, in one transaction; the one replaced (without its bytes), if any. */
  async putDocumentFile(f: Omit<DirectiveFileInput, 'eventId'>): Promise<{ id: number; replaced: StoredDirectiveFile | undefined }> {
    const run = async (trx: Db) => {
      const replaced = await new DirectiveFileRepository(trx).documentFile(f.documentId);
      await trx.deleteFrom('directive_file').where('document_id', '=', f.documentId).where('event_id', 'is', null).execute();
      const { id } = await trx.insertInto('directive_file').values(fileRow({ ...f, eventId: null })).returning('id').executeTakeFirstOrThrow();
      return { id, replaced };
    };
    return this.db.isTransaction ? run(this.db) : this.db.transaction().execute(run);
  }

  /** The evidence attached to some reports, without its bytes, oldest first. */
  async evidence(eventIds: readonly number[]): Promise<StoredDirectiveFile[]> {
    const out: StoredDirectiveFile[] = [];
    for (let i = 0; i < eventIds.length; i += 500) {
      const rows = await this.db
        .selectFrom('directive_file')
        .select(META)
        .where('event_id', 'in', eventIds.slice(i, i + 500))
        .orderBy('id')
        .execute();
      out.push(...rows.map(readFile));
    }
    return out.sort((a, b) => a.id - b.id);
  }

  /** Attaches evidence to a report; its id. */
  async addEvidence(f: DirectiveFileInput & { eventId: number }): Promise<number> {
    return (await this.db.insertInto('directive_file').values(fileRow(f)).returning('id').executeTakeFirstOrThrow()).id;
  }

  /** The task a report belongs to. */
  async taskOf(eventId: number): Promise<number | undefined> {
    return (await this.db.selectFrom('directive_task_event').select('task_id').where('id', '=', eventId).executeTakeFirst())?.task_id;
  }

  /** A file with its bytes. */
  async file(id: number): Promise<(StoredDirectiveFile & { content: Buffer }) | undefined> {
    const r = await this.db.selectFrom('directive_file').selectAll().where('id', '=', id).executeTakeFirst();
    return r && { ...readFile(r), content: Buffer.from(r.content) };
  }
}
