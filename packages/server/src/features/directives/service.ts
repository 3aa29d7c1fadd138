import {
  addDays,
  AppError,
  CLOSED_TASK_STATUSES,
  daysToDeadline,
  dataScope,
  directiveChanged,
  directiveCompletion,
  directiveImportPlan,
  directiveTaskId,
  documentOccurrences,
  dueOrder,
  grantsAllow,
  normaliseDirectiveNumber,
  sumCompletion,
  taskEventRefusal,
  taskDeadlineStage,
  taskOccurrences,
  taskState,
  todayIn,
  vietnamDate,
  DIRECTIVE_TASK_STATUSES,
  type AddressedTaskEvent,
  type DirectiveActor,
  type DirectiveAgency,
  type DirectiveCompletion,
  type DirectiveCompletionAnswer,
  type DirectiveCompletionRow,
  type DirectiveDocument,
  type DirectiveDocumentDetail,
  type DirectiveDocumentSummary,
  type DirectiveDue,
  type DirectiveDueAnswer,
  type DirectiveEventView,
  type DirectiveFile,
  type DirectiveImportAnswer,
  type DirectiveOccurrenceView,
  type DirectiveOverdue,
  type DirectiveTaskDetail,
  type DirectiveTaskStateView,
  type DirectiveTaskStatus,
  type DirectiveTaskView,
  type Identity,
  type IsoDate,
  type Permission,
  type TaskEvent,
  type TaskState,
} from '@watchfloor/core';
import { ALL_ROWS, DirectiveFileRepository, DirectiveRepository, reaches, resolveScope, type ResolvedScope, type StoredDirectiveDocument, type StoredDirectiveEvent, type StoredDirectiveFile, type StoredDirectiveTask } from '@watchfloor/db';
import type { AppContext } from '../../context';

/** A change as the audit log records it. */
export interface DirectiveChange {
  action: string;
  entityKind: 'directive_document' | 'directive_task';
  entityKey: string;
  before: unknown;
  after: unknown;
}

/** A caller: who they are (scopes) and the login recorded with what they do. */
export interface DirectiveCaller {
  identity: Identity;
  login: string | null;
}

/** A report of the lead agency or a decision of the office, as the routes receive it. */
export type DirectiveEventBody =
  | { kind: 'progress'; occurrence: string | null; percent: number; text: string }
  | { kind: 'done'; occurrence: string | null; text: string }
  | { kind: 'extension_requested'; occurrence: string | null; until: IsoDate; reason: string }
  | { kind: 'done_confirmed'; occurrence: string | null }
  | { kind: 'done_refused' | 'extension_refused' | 'cancelled'; occurrence: string | null; reason: string }
  | { kind: 'extension_approved'; occurrence: string | null; until: IsoDate };

/** A task or one occurrence of it, with its document and its state at an instant. */
export interface DirectiveOccurrenceAt {
  doc: StoredDirectiveDocument;
  task: StoredDirectiveTask;
  occurrence: string | null;
  lead: string;
  state: TaskState;
}

/** What the overdue list and the lead agency's desk both say of an occurrence with a deadline. */
function occurrenceRow(c: DirectiveOccurrenceAt, agency: (code: string) => DirectiveAgency): DirectiveOverdue {
  return {
    taskId: c.task.id,
    documentNumber: c.doc.number,
    documentDate: c.doc.date,
    key: c.task.task.key,
    occurrence: c.occurrence,
    text: c.task.task.text,
    lead: agency(c.lead),
    deadline: c.state.deadline!,
    originalDeadline: c.state.originalDeadline!,
    extended: c.state.extended,
    daysLate: c.state.daysLate,
    percent: c.state.percent,
    extensionRequested: c.state.extensionRequest !== null,
  };
}

/** One occurrence of a task with its deadline (null for a regular task). */
interface Occurrence {
  key: string | null;
  deadline: IsoDate | null;
}

/** How far ahead the next occurrence of a recurring task is looked for: more than a year, the longest period. */
const LOOK_AHEAD_DAYS = 400;

function stateView(s: TaskState, at: string): DirectiveTaskStateView {
  return {
    status: s.status,
    percent: s.percent,
    deadline: s.deadline,
    originalDeadline: s.originalDeadline,
    extended: s.extended,
    daysLate: s.daysLate,
    daysToDeadline: daysToDeadline(s, at),
    doneAt: s.doneAt,
    awaitingConfirmation: s.awaitingConfirmation,
    extensionRequest: s.extensionRequest,
    cancelledAt: s.cancelledAt,
    lastEventAt: s.lastEventAt,
  };
}

/** A file as the API describes it (without where it belongs, which its place in the answer says). */
export function fileView(f: StoredDirectiveFile): DirectiveFile {
  return { id: f.id, fileName: f.fileName, mediaType: f.mediaType, size: f.size, sha256: f.sha256, uploadedAt: f.uploadedAt, uploadedBy: f.uploadedBy };
}

function eventView(e: StoredDirectiveEvent, files: readonly StoredDirectiveFile[]): DirectiveEventView {
  const x = e.event;
  return {
    id: e.id,
    occurrence: e.occurrence,
    kind: x.kind,
    at: x.at,
    by: x.by,
    actor: x.actor,
    percent: x.kind === 'progress' ? x.percent : null,
    text: x.kind === 'progress' || x.kind === 'done' ? x.text : null,
    until: x.kind === 'extension_requested' || x.kind === 'extension_approved' ? x.until : null,
    reason: x.kind === 'done_refused' || x.kind === 'extension_refused' || x.kind === 'cancelled' || x.kind === 'extension_requested' ? x.reason : null,
    files: files.filter((f) => f.eventId === e.id).map(fileView),
  };
}

/**
 * Leadership directives: documents and their tasks, the lead agency's
 * reports and the office's decisions, completion and the overdue list.
 * Every state is folded from the events at the server's clock when read
 * (core's `taskState`); every write is judged by core's rules
 * (`taskEventRefusal`) at that clock and against the caller's scope for
 * the permission it needs, task by task; the routes write the audit log
 * from the changes each method returns.
 */
export class DirectiveService {
  constructor(private readonly ctx: AppContext) {}

  private get repo(): DirectiveRepository {
    return new DirectiveRepository(this.ctx.store.db);
  }

  private now(): string {
    return this.ctx.clock.now().toISOString();
  }

  private today(): IsoDate {
    return todayIn(this.ctx.clock);
  }

  /** The rows a caller reaches with a permission: none for the anonymous or without a role giving it. */
  async scope(identity: Identity, permission: Permission): Promise<ResolvedScope> {
    if (identity.kind === 'anonymous' || !grantsAllow(identity.roles, permission)) return { kind: 'none' };
    return resolveScope(this.ctx.store.db, dataScope(identity, permission));
  }

  async reachesTask(scope: ResolvedScope, t: StoredDirectiveTask): Promise<boolean> {
    return reaches(this.ctx.store.db, scope, { orgCode: t.task.lead, orgPlace: true });
  }

  /**
   * The occurrences of a task as the API shows them: the one of a task due
   * once; a recurring task's falling due from its document's date through
   * today, and the next ones up to the first still open (an occurrence
   * reported done early does not leave the task without one to work on);
   * one without a deadline for a regular task.
   */
  private occurrences(doc: Pick<StoredDirectiveDocument, 'date' | 'confirmDone'>, t: StoredDirectiveTask, events: readonly StoredDirectiveEvent[], at: string): Occurrence[] {
    const d = t.task.deadline;
    if (d.kind === 'regular') return [{ key: null, deadline: null }];
    const today = vietnamDate(new Date(at));
    const all = taskOccurrences(d, { from: doc.date, to: addDays(today > doc.date ? today : doc.date, LOOK_AHEAD_DAYS) });
    if (d.kind === 'date') return all;
    const out: Occurrence[] = all.filter((o) => o.deadline <= today);
    for (const o of all.filter((x) => x.deadline > today)) {
      out.push(o);
      const own = events.filter((e) => e.taskId === t.id && e.occurrence === o.key).map((e) => e.event);
      if (!CLOSED_TASK_STATUSES.includes(taskState({ deadline: o.deadline, confirmDone: doc.confirmDone }, own, at).status)) break;
    }
    return out;
  }

  private async agencies(tasks: readonly StoredDirectiveTask[]): Promise<(code: string) => DirectiveAgency> {
    const names = await this.repo.organisationNames(tasks.flatMap((t) => [t.task.lead, ...t.task.cooperating]));
    return (code) => ({ code, name: names.get(code)?.name ?? null, nameEn: names.get(code)?.nameEn ?? null });
  }

  /** Each task's view at `at`, with what the caller may do on it. */
  private async taskViews(
    docs: ReadonlyMap<number, StoredDirectiveDocument>,
    tasks: readonly StoredDirectiveTask[],
    identity: Identity,
    at: string,
  ): Promise<DirectiveTaskView[]> {
    const events = await this.repo.events(tasks.map((t) => t.id));
    const documentIds = [...new Set(tasks.map((t) => t.documentId))];
    const ids = async (permission: Permission) => {
      const scope = await this.scope(identity, permission);
      return scope.kind === 'none' ? new Set<number>() : new Set((await this.repo.tasks(scope, { documentIds })).map((t) => t.id));
    };
    const reportable = await ids('directives.report');
    const manageable = await ids('directives.manage');
    const agency = await this.agencies(tasks);
    return tasks.map((t) => {
      const doc = docs.get(t.documentId)!;
      const own = events.filter((e) => e.taskId === t.id);
      const occurrences: DirectiveOccurrenceView[] = this.occurrences(doc, t, own, at).map((o) => ({
        key: o.key,
        state: stateView(
          taskState(
            { deadline: o.deadline, confirmDone: doc.confirmDone },
            own.filter((e) => e.occurrence === o.key).map((e) => e.event),
            at,
          ),
          at,
        ),
      }));
      const recurring = t.task.deadline.kind !== 'date' && t.task.deadline.kind !== 'regular';
      const current = recurring ? (occurrences.find((o) => !CLOSED_TASK_STATUSES.includes(o.state.status)) ?? occurrences.at(-1) ?? null) : (occurrences[0] ?? null);
      return {
        id: t.id,
        documentNumber: doc.number,
        key: t.task.key,
        taskId: directiveTaskId(doc.number, t.task.key),
        text: t.task.text,
        lead: agency(t.task.lead),
        cooperating: t.task.cooperating.map(agency),
        deadline: t.task.deadline,
        links: t.task.links,
        missing: t.missing,
        state: current?.state ?? null,
        current: recurring ? (current?.key ?? null) : null,
        occurrences: t.task.deadline.kind === 'regular' ? [] : occurrences,
        can: { report: reportable.has(t.id), manage: manageable.has(t.id) },
      };
    });
  }

  private summary(doc: StoredDirectiveDocument, views: readonly DirectiveTaskView[]): DirectiveDocumentSummary {
    const counts = Object.fromEntries(DIRECTIVE_TASK_STATUSES.map((s) => [s, 0])) as Record<DirectiveTaskStatus, number>;
    for (const v of views) if (v.state) counts[v.state.status] += 1;
    return {
      id: doc.id,
      number: doc.number,
      date: doc.date,
      issuer: doc.issuer,
      signer: doc.signer,
      kind: doc.kind,
      summary: doc.summary,
      confirmDone: doc.confirmDone,
      published: doc.published,
      synthetic: doc.synthetic,
      tasks: views.length,
      counts,
      createdAt: doc.createdAt,
      createdBy: doc.createdBy,
      updatedAt: doc.updatedAt,
      updatedBy: doc.updatedBy,
    };
  }

  /** The tasks a caller reads: those whose lead agency their scope reaches, and every task of a published document. */
  private async visibleTasks(identity: Identity, opts: { documentIds?: readonly number[]; lead?: string; published?: boolean } = {}): Promise<StoredDirectiveTask[]> {
    return this.repo.tasks(await this.scope(identity, 'read'), { published: opts.published ?? true, ...opts });
  }

  async listDocuments(identity: Identity, filters: { organisation?: string | undefined; status?: DirectiveTaskStatus | undefined; overdue?: boolean | undefined }): Promise<DirectiveDocumentSummary[]> {
    const at = this.now();
    const docs = new Map((await this.repo.documents()).map((d) => [d.id, d]));
    const tasks = await this.visibleTasks(identity);
    const views = await this.taskViews(docs, tasks, identity, at);
    const byDoc = new Map<number, DirectiveTaskView[]>();
    tasks.forEach((t, i) => byDoc.set(t.documentId, [...(byDoc.get(t.documentId) ?? []), views[i]!]));
    const statuses = (v: DirectiveTaskView) => [v.state?.status, ...v.occurrences.map((o) => o.state.status)];
    const out: DirectiveDocumentSummary[] = [];
    for (const [id, doc] of docs) {
      const own = byDoc.get(id);
      if (!own) continue;
      if (filters.organisation !== undefined && !own.some((v) => v.lead.code === filters.organisation)) continue;
      if (filters.status !== undefined && !own.some((v) => statuses(v).includes(filters.status))) continue;
      if (filters.overdue === true && !own.some((v) => statuses(v).includes('overdue'))) continue;
      if (filters.overdue === false && own.some((v) => statuses(v).includes('overdue'))) continue;
      out.push(this.summary(doc, own));
    }
    return out;
  }

  /** A document the caller may read, with the tasks of it they read; one they may not answers as if it did not exist. */
  async visibleDocument(number: string, identity: Identity): Promise<{ doc: StoredDirectiveDocument; tasks: StoredDirectiveTask[] }> {
    const doc = await this.repo.documentByNumber(number);
    const tasks = doc ? await this.visibleTasks(identity, { documentIds: [doc.id] }) : [];
    if (!doc || (tasks.length === 0 && !doc.published)) throw new AppError('unknown_directive_document', `No directive document has number ${number}`);
    return { doc, tasks };
  }

  async getDocument(number: string, identity: Identity): Promise<DirectiveDocumentDetail> {
    const { doc, tasks } = await this.visibleDocument(number, identity);
    const views = await this.taskViews(new Map([[doc.id, doc]]), tasks, identity, this.now());
    const file = await new DirectiveFileRepository(this.ctx.store.db).documentFile(doc.id);
    return { document: this.summary(doc, views), tasks: views, file: file ? fileView(file) : null };
  }

  /**
   * Creates or updates a document and its tasks by key (idempotent): the
   * office's scope must reach every task's lead agency it sends; tasks
   * keep their events; the plan says what changed.
   */
  async saveDocument(pathNumber: string, d: DirectiveDocument, caller: DirectiveCaller): Promise<{ created: boolean; answer: DirectiveImportAnswer; change: DirectiveChange }> {
    const key = normaliseDirectiveNumber(d.number);
    if (normaliseDirectiveNumber(pathNumber) !== key) {
      throw new AppError('invalid_directive_document', `The document is number ${d.number} but the path names ${pathNumber}`, [{ path: 'number', message: `must be ${pathNumber}` }]);
    }
    const manage = await this.scope(caller.identity, 'directives.manage');
    const outside = [];
    for (const t of d.tasks) if (!(await reaches(this.ctx.store.db, manage, { orgCode: t.lead, orgPlace: true }))) outside.push(t.lead);
    if (outside.length > 0) throw new AppError('forbidden', `Lead agencies outside the ones you may manage: ${[...new Set(outside)].join(', ')}`, { agencies: [...new Set(outside)] });
    const before = await this.repo.documentByNumber(d.number);
    const held = before ? await this.repo.tasks(ALL_ROWS, { documentIds: [before.id] }) : [];
    const plan = directiveImportPlan(
      held.map((t) => t.task),
      d.tasks,
    );
    const { created } = await this.repo.saveDocument(d, this.now(), caller.login);
    // Committed: open screens of the agencies concerned (before and after) re-read.
    this.ctx.live?.publish(directiveChanged(d.number, [...held.map((t) => t.task.lead), ...d.tasks.map((t) => t.lead)], d.published || (before?.published ?? false)));
    const detail = await this.getDocument(d.number, caller.identity);
    return {
      created,
      answer: { ...detail, created, plan },
      change: {
        action: created ? 'directives.document.create' : 'directives.document.update',
        entityKind: 'directive_document',
        entityKey: key,
        before: before ? { ...before, tasks: held.map((t) => t.task) } : null,
        after: { document: d, plan },
      },
    };
  }

  /** A task the caller may read, with its document; one outside their reach answers as if it did not exist. */
  async visibleTask(id: number, identity: Identity): Promise<{ doc: StoredDirectiveDocument; task: StoredDirectiveTask }> {
    const task = await this.repo.task(id);
    const doc = task && (await this.repo.document(task.documentId));
    if (!task || !doc || (!doc.published && !(await this.reachesTask(await this.scope(identity, 'read'), task)))) {
      throw new AppError('unknown_directive_task', `No directive task has id ${id}`);
    }
    return { doc, task };
  }

  async getTask(id: number, identity: Identity): Promise<DirectiveTaskDetail> {
    const { doc, task } = await this.visibleTask(id, identity);
    const docs = new Map([[doc.id, doc]]);
    const [view] = await this.taskViews(docs, [task], identity, this.now());
    const siblings = await this.taskViews(docs, await this.visibleTasks(identity, { documentIds: [doc.id] }), identity, this.now());
    const events = await this.repo.events([task.id]);
    // Evidence is for readers in scope of the task, not the public of a published document.
    const evidence = (await this.reachesTask(await this.scope(identity, 'read'), task)) ? await new DirectiveFileRepository(this.ctx.store.db).evidence(events.map((e) => e.id)) : [];
    return { task: view!, document: this.summary(doc, siblings), events: events.map((e) => eventView(e, evidence)) };
  }

  /**
   * Records a report of the lead agency (`lead_agency`) or a decision of
   * the office (`office`) on a task or one occurrence of it, at the
   * server's clock: refused when the caller's scope for the permission
   * does not reach the task's lead agency, or when the task's rules refuse
   * the event in the state it is in now.
   */
  async record(id: number, body: DirectiveEventBody, actor: DirectiveActor, caller: DirectiveCaller): Promise<{ detail: DirectiveTaskDetail; change: DirectiveChange }> {
    const { doc, task } = await this.visibleTask(id, caller.identity);
    const permission: Permission = actor === 'lead_agency' ? 'directives.report' : 'directives.manage';
    if (!(await this.reachesTask(await this.scope(caller.identity, permission), task))) {
      throw new AppError('forbidden', actor === 'lead_agency' ? `Only the lead agency ${task.task.lead} reports on this task` : `Task ${id} is outside the agencies you manage`);
    }
    const at = this.now();
    const events = await this.repo.events([task.id]);
    const occurrence = this.occurrences(doc, task, events, at).find((o) => o.key === body.occurrence);
    if (!occurrence) {
      throw new AppError(
        'unknown_directive_occurrence',
        body.occurrence === null ? `Task ${id} recurs: name the occurrence (the period) this concerns` : `Task ${id} has no occurrence ${body.occurrence} due yet`,
      );
    }
    const held = events.filter((e) => e.occurrence === occurrence.key).map((e) => e.event);
    const terms = { deadline: occurrence.deadline, confirmDone: doc.confirmDone };
    const before = taskState(terms, held, at);
    const { occurrence: _occurrence, ...fields } = body;
    const event = { ...fields, at, by: caller.login, actor } as TaskEvent;
    const refusal = taskEventRefusal(before, event);
    if (refusal !== null) throw new AppError(refusal, `The task cannot take “${event.kind}” now: it is ${before.status}`, { status: before.status });
    await this.repo.addEvent(task.id, occurrence.key, event);
    this.ctx.live?.publish(directiveChanged(doc.number, [task.task.lead], doc.published));
    const after = taskState(terms, [...held, event], at);
    const taskKey = directiveTaskId(doc.number, task.task.key) + (occurrence.key === null ? '' : `@${occurrence.key}`);
    return {
      detail: await this.getTask(id, caller.identity),
      change: { action: `directives.task.${event.kind}`, entityKind: 'directive_task', entityKey: taskKey, before: { status: before.status, deadline: before.deadline }, after: { event, status: after.status, deadline: after.deadline } },
    };
  }

  /** The caller's tasks with their documents, as things to count at `at` (occurrences through `through`). */
  private async counted(identity: Identity, lead: string | undefined, at: string, through: IsoDate) {
    return this.occurrencesIn(await this.scope(identity, 'read'), lead, at, through);
  }

  /**
   * Every task (each occurrence of a recurring one falling due through
   * `through`, a regular task as itself) whose lead agency a scope reaches,
   * of one lead agency or all, with its document and its state at `at`:
   * what the figures count, the overdue list and the desk read, and the
   * alarm loop judges deadlines on.
   */
  async occurrencesIn(scope: ResolvedScope, lead: string | undefined, at: string, through: IsoDate): Promise<DirectiveOccurrenceAt[]> {
    const tasks = await this.repo.tasks(scope, lead === undefined ? {} : { lead });
    const docs = new Map((await this.repo.documents()).map((d) => [d.id, d]));
    const events = await this.repo.events(tasks.map((t) => t.id));
    const byId = new Map(tasks.map((t) => [t.id, t]));
    const out: DirectiveOccurrenceAt[] = [];
    for (const doc of docs.values()) {
      const own = tasks.filter((t) => t.documentId === doc.id);
      if (own.length === 0) continue;
      const addressed: AddressedTaskEvent[] = events.filter((e) => byId.get(e.taskId)?.documentId === doc.id).map((e) => ({ taskKey: byId.get(e.taskId)!.task.key, occurrence: e.occurrence, event: e.event }));
      for (const o of documentOccurrences({ date: doc.date, confirmDone: doc.confirmDone, tasks: own.map((t) => t.task) }, addressed, at, through)) {
        out.push({ doc, task: own.find((t) => t.task.key === o.taskKey)!, occurrence: o.occurrence, lead: o.lead, state: o.state });
      }
    }
    return out;
  }

  async completion(identity: Identity, q: { from: IsoDate; to: IsoDate; organisation?: string | undefined }): Promise<DirectiveCompletionAnswer> {
    if (q.from > q.to) throw new AppError('invalid_parameter', `The period starts (${q.from}) after it ends (${q.to})`);
    const at = this.now();
    const counted = await this.counted(identity, q.organisation, at, q.to);
    const rows = directiveCompletion(counted, { from: q.from, to: q.to });
    const names = await this.repo.organisationNames(rows.map((r) => r.organisation));
    const named = (r: DirectiveCompletion): DirectiveCompletionRow => ({ ...r, name: names.get(r.organisation)?.name ?? null, nameEn: names.get(r.organisation)?.nameEn ?? null });
    return { from: q.from, to: q.to, asOf: at, agencies: rows.map(named), total: { ...sumCompletion(rows, '*'), name: null, nameEn: null } };
  }

  async overdue(identity: Identity, q: { organisation?: string | undefined }): Promise<{ asOf: string; tasks: DirectiveOverdue[] }> {
    const at = this.now();
    const counted = (await this.counted(identity, q.organisation, at, this.today())).filter((c) => c.state.status === 'overdue');
    const agency = await this.agencies(counted.map((c) => c.task));
    const tasks = counted.map((c): DirectiveOverdue => occurrenceRow(c, agency));
    tasks.sort((a, b) => b.daysLate - a.daysLate || a.documentNumber.localeCompare(b.documentNumber) || a.key.localeCompare(b.key) || (a.occurrence ?? '').localeCompare(b.occurrence ?? ''));
    return { asOf: at, tasks };
  }

  /**
   * The lead agency's desk: the tasks the caller reports on (their scope
   * for `directives.report`) overdue now or due within `days` Vietnam days,
   * judged as a `task_deadline` rule watching both judges them.
   */
  async due(identity: Identity, q: { days: number; organisation?: string | undefined }): Promise<DirectiveDueAnswer> {
    const at = this.now();
    const watch = { dueWithinDays: q.days, overdue: true };
    const found = (await this.occurrencesIn(await this.scope(identity, 'directives.report'), q.organisation, at, addDays(this.today(), q.days))).filter(
      (c) => taskDeadlineStage(watch, c.state, at) !== null,
    );
    const agency = await this.agencies(found.map((c) => c.task));
    const tasks = found.map((c): DirectiveDue => ({ ...occurrenceRow(c, agency), status: c.state.status, daysToDeadline: daysToDeadline(c.state, at)! }));
    return { asOf: at, days: q.days, tasks: tasks.sort(dueOrder) };
  }
}
