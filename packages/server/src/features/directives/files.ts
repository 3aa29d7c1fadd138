import { AppError, directiveTaskId, normaliseDirectiveNumber, type DirectiveDocumentDetail, type DirectiveTaskDetail, type Identity } from '@watchfloor/core';
import { ALL_ROWS, DirectiveFileRepository, DirectiveRepository, reaches, type StoredDirectiveFile } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { DirectiveService, fileView, type DirectiveCaller, type DirectiveChange } from './service';

/** A file as received: its name kept, its type told by its content, its bytes and SHA-256 (see par/evidence). */
export interface ReceivedFile {
  fileName: string;
  mediaType: string;
  content: Buffer;
  sha256: string;
}

/**
 * The document's own file must be a PDF: judged by its first bytes as
 * evidence is, a PNG or JPEG refused as firmly as an HTML page named
 * `van-ban.pdf`.
 */
export function asDocumentPdf(file: ReceivedFile): ReceivedFile {
  if (file.mediaType !== 'application/pdf') throw notPdf();
  return file;
}

export function notPdf(): AppError {
  return new AppError('directive_file_not_pdf', 'The document’s file must be a PDF (judged by its content: it starts with %PDF-, whatever its name)', { accepted: ['application/pdf'] });
}

/** What the lead agency may attach evidence to: its own reports. */
const REPORT_KINDS = ['progress', 'done', 'extension_requested'];

/**
 * The files of leadership directives: the document's PDF, which the
 * leader's office attaches or replaces and every reader of the document
 * downloads (the public once it is published), and the evidence the lead
 * agency attaches to a report, read by those whose scope reaches the task.
 * Each write returns the change the routes put in the audit log.
 */
export class DirectiveFileService {
  private readonly service: DirectiveService;

  constructor(private readonly ctx: AppContext) {
    this.service = new DirectiveService(ctx);
  }

  private get files(): DirectiveFileRepository {
    return new DirectiveFileRepository(this.ctx.store.db);
  }

  private get repo(): DirectiveRepository {
    return new DirectiveRepository(this.ctx.store.db);
  }

  /**
   * Where a document's file may go, before a byte of it is read: a
   * document the caller reads, all of whose tasks' lead agencies their
   * scope for managing directives reaches (as saving the document asks).
   */
  async documentTarget(number: string, identity: Identity): Promise<{ id: number; number: string }> {
    const { doc } = await this.service.visibleDocument(number, identity);
    const manage = await this.service.scope(identity, 'directives.manage');
    const outside: string[] = [];
    for (const t of await this.repo.tasks(ALL_ROWS, { documentIds: [doc.id] })) {
      if (!(await reaches(this.ctx.store.db, manage, { orgCode: t.task.lead, orgPlace: true }))) outside.push(t.task.lead);
    }
    if (outside.length > 0) throw new AppError('forbidden', `Lead agencies outside the ones you may manage: ${[...new Set(outside)].join(', ')}`, { agencies: [...new Set(outside)] });
    return { id: doc.id, number: doc.number };
  }

  /** Keeps the document's PDF in place of the one it had. */
  async putDocumentFile(target: { id: number; number: string }, file: ReceivedFile, caller: DirectiveCaller): Promise<{ detail: DirectiveDocumentDetail; change: DirectiveChange }> {
    const pdf = asDocumentPdf(file);
    const meta = { documentId: target.id, fileName: pdf.fileName, mediaType: pdf.mediaType, size: pdf.content.length, sha256: pdf.sha256, uploadedAt: this.ctx.clock.now().toISOString(), uploadedBy: caller.login };
    const { id, replaced } = await this.files.putDocumentFile({ ...meta, content: pdf.content });
    return {
      detail: await this.service.getDocument(target.number, caller.identity),
      change: {
        action: replaced ? 'directives.document.file.replace' : 'directives.document.file.add',
        entityKind: 'directive_document',
        entityKey: normaliseDirectiveNumber(target.number),
        before: replaced ? fileView(replaced) : null,
        after: { ...meta, id },
      },
    };
  }

  /** The document's PDF, to whoever reads the document. */
  async documentFile(number: string, identity: Identity): Promise<StoredDirectiveFile & { content: Buffer }> {
    const { doc } = await this.service.visibleDocument(number, identity);
    const held = await this.files.documentFile(doc.id);
    const file = held && (await this.files.file(held.id));
    if (!file) throw new AppError('unknown_directive_file', `Document ${doc.number} has no file attached`);
    return file;
  }

  /**
   * Where evidence may go, before a byte of it is read: a report of the
   * lead agency on a task the caller reports on, still the latest of its
   * task (or occurrence): once the office has acted after it, what it was
   * judged on is settled.
   */
  async evidenceTarget(taskId: number, eventId: number, identity: Identity): Promise<{ taskId: number; documentId: number; eventId: number; taskKey: string }> {
    const { doc, task } = await this.service.visibleTask(taskId, identity);
    if (!(await this.service.reachesTask(await this.service.scope(identity, 'directives.report'), task))) {
      throw new AppError('forbidden', `Only the lead agency ${task.task.lead} attaches evidence to this task’s reports`);
    }
    const events = await this.repo.events([task.id]);
    const event = events.find((e) => e.id === eventId);
    if (!event) throw new AppError('not_found', `Task ${taskId} has no report ${eventId}`);
    if (!REPORT_KINDS.includes(event.event.kind)) throw new AppError('directive_actor_not_allowed', `Event ${eventId} is the office’s “${event.event.kind}”, not a report of the lead agency`);
    const latest = events.filter((e) => e.occurrence === event.occurrence).at(-1);
    if (latest?.id !== event.id) throw new AppError('directive_report_settled', `Report ${eventId} is no longer the latest on its task: evidence goes with a report the office has not acted on yet`);
    const taskKey = directiveTaskId(doc.number, task.task.key) + (event.occurrence === null ? '' : `@${event.occurrence}`);
    return { taskId: task.id, documentId: doc.id, eventId, taskKey };
  }

  async addEvidence(
    target: { taskId: number; documentId: number; eventId: number; taskKey: string },
    file: ReceivedFile,
    caller: DirectiveCaller,
  ): Promise<{ detail: DirectiveTaskDetail; change: DirectiveChange }> {
    const meta = { documentId: target.documentId, eventId: target.eventId, fileName: file.fileName, mediaType: file.mediaType, size: file.content.length, sha256: file.sha256, uploadedAt: this.ctx.clock.now().toISOString(), uploadedBy: caller.login };
    const id = await this.files.addEvidence({ ...meta, content: file.content });
    return {
      detail: await this.service.getTask(target.taskId, caller.identity),
      change: { action: 'directives.task.evidence.add', entityKind: 'directive_task', entityKey: target.taskKey, before: null, after: { ...meta, id } },
    };
  }

  /** An evidence file, to readers whose scope reaches its task; to anyone else as if it did not exist. */
  async evidenceFile(id: number, identity: Identity): Promise<StoredDirectiveFile & { content: Buffer }> {
    const missing = () => new AppError('unknown_directive_file', `No evidence file has id ${id}`);
    const file = await this.files.file(id);
    const taskId = file?.eventId == null ? undefined : await this.files.taskOf(file.eventId);
    const task = taskId === undefined ? undefined : await this.repo.task(taskId);
    if (!file || !task || !(await this.service.reachesTask(await this.service.scope(identity, 'read'), task))) throw missing();
    return file;
  }
}
