import {
  columnName,
  directiveAgencyCells,
  directiveBatch,
  directiveImportPlan,
  normaliseDirectiveNumber,
  RowRejection,
  withDirectiveAgencies,
  type DirectiveAgencyAnswer,
  type DirectiveDocument,
  type DirectiveImportPlan,
  type DirectiveTask,
  type Provenance,
  type RejectedRow,
  type RejectionReason,
  type SourceMapping,
} from '@watchfloor/core';
import { ALL_ROWS, DirectiveRepository, placeOfOrganisation, type StoredDirectiveDocument, type StoredDirectiveTask, type WriteTarget } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { AuditLog } from '../audit/service';
import type { WriteResult } from './observations';
import { outsideBounds, outsideMessage, type WriteBounds } from './bounds';
import { NameResolver, needsResolving } from './names';

/** A document about to be saved, with what it was and what saving it changes. */
interface Planned {
  document: DirectiveDocument;
  before: StoredDirectiveDocument | undefined;
  held: StoredDirectiveTask[];
  plan: DirectiveImportPlan;
  rows: number[];
  /** Held tasks kept as they are because their rows were refused: not counted as sent. */
  kept: Set<string>;
}

/** Whether saving a document would change nothing: its fields as stored, every task as held, none newly missing or back. */
function untouched(p: Planned): boolean {
  const b = p.before;
  const d = p.document;
  if (!b) return false;
  const same = b.number === d.number && b.date === d.date && b.issuer === d.issuer && b.signer === d.signer && b.kind === d.kind && b.summary === d.summary && b.confirmDone === d.confirmDone && b.published === d.published && b.synthetic === d.synthetic;
  const missing = new Map(p.held.map((t) => [t.task.key, t.missing]));
  return same && p.plan.added.length === 0 && p.plan.changed.length === 0 && p.plan.unchanged.every((k) => missing.get(k) === false) && p.plan.missing.every((k) => missing.get(k) === true);
}

/**
 * The write path of a directive source (mapping `target: directives`): the
 * rows are documents (a push, a pull) or a file's task rows, grouped into
 * documents by number (core's `directiveBatch`). An agency is written as
 * its code or its name ("Sở Tài chính", "UBND phường Trà Vinh"), resolved
 * as the other sources' names are, as of the document's date; a name no
 * agency or several bear refuses its row. Each task's agencies must be in
 * the catalogue and its lead agency, as sent and as held, within the
 * source's coverage and the sender's scope; a pushed document with a task
 * refused is refused whole, a file's row on its own — and a held task whose
 * row was refused is kept as it is rather than taken as dropped. The
 * batch's documents are saved in one transaction (all or none: a run that
 * fails part-way leaves no half-saved document, and the retried batch is
 * idempotent by number and task key), each saved document in the audit log.
 */
export class DirectiveWriter {
  constructor(private readonly ctx: AppContext) {}

  async write(rows: readonly unknown[], provenance: Provenance, options: { dryRun?: boolean; bounds?: WriteBounds; mapping?: SourceMapping | null } = {}): Promise<WriteResult> {
    const db = this.ctx.store.db;
    const repo = new DirectiveRepository(db);
    const named = await this.resolveAgencies(rows, options.mapping ?? null, options.bounds ?? []);
    const { documents, problems } = directiveBatch(named.rows, named.refused);
    const refused: { index: number; reason: RejectionReason; message: string }[] = [...problems];
    const known = await repo.organisationNames(documents.flatMap((b) => b.document.tasks.flatMap((t) => [t.lead, ...t.cooperating])));
    const planned: Planned[] = [];

    for (const b of documents) {
      const before = await repo.documentByNumber(b.document.number);
      const held = before ? await repo.tasks(ALL_ROWS, { documentIds: [before.id] }) : [];
      const heldByKey = new Map(held.map((t) => [t.task.key, t.task]));
      const taskProblems = new Map<string, { reason: RejectionReason; message: string }>();
      for (const t of b.document.tasks) {
        const unknown = [t.lead, ...t.cooperating].filter((c) => !known.has(c));
        if (unknown.length > 0) taskProblems.set(t.key, { reason: 'unknown_organisation', message: `Task ${t.key}: ${columnName(unknown.includes(t.lead) ? 'lead' : 'cooperating')}: no organisation ${unknown.join(', ')} in the catalogue` });
      }
      // The lead agency as sent, and as held when it changes: a sender cannot take another agency's task over by its key.
      const judged: { key: string; target: WriteTarget; held: boolean }[] = [];
      for (const t of b.document.tasks) {
        if (taskProblems.has(t.key)) continue;
        judged.push({ key: t.key, target: { placeId: null, placeCode: await placeOfOrganisation(db, t.lead), orgCode: t.lead }, held: false });
        const old = heldByKey.get(t.key);
        if (old && old.lead !== t.lead) judged.push({ key: t.key, target: { placeId: null, placeCode: await placeOfOrganisation(db, old.lead), orgCode: old.lead }, held: true });
      }
      (await outsideBounds(db, options.bounds ?? [], judged.map((j) => j.target))).forEach((why, i) => {
        const j = judged[i]!;
        if (why === null || taskProblems.has(j.key)) return;
        taskProblems.set(j.key, { reason: 'out_of_scope', message: `Task ${j.key}${j.held ? ', as held,' : ''}: ${outsideMessage(j.target, why)}` });
      });

      let tasks: DirectiveTask[] = b.document.tasks;
      let accepted = b.rows;
      const refusedKeys = [...b.refusedKeys];
      if (taskProblems.size > 0) {
        if (b.rowOfTask.size === 0) {
          // A pushed document is one row: refused whole, with every task's reason.
          const first = [...taskProblems.values()][0]!;
          refused.push({ index: b.rows[0]!, reason: first.reason, message: [...taskProblems.values()].map((p) => p.message).join('; ') });
          continue;
        }
        for (const [key, p] of taskProblems) refused.push({ index: b.rowOfTask.get(key)!, reason: p.reason, message: p.message });
        tasks = tasks.filter((t) => !taskProblems.has(t.key));
        accepted = tasks.map((t) => b.rowOfTask.get(t.key)!);
        refusedKeys.push(...taskProblems.keys());
      }
      if (tasks.length === 0) continue;
      // A held task whose row was refused stays as it is, not missing.
      const sent = new Set(tasks.map((t) => t.key));
      const kept = new Set<string>();
      for (const key of refusedKeys) {
        const old = heldByKey.get(key);
        if (old && !sent.has(key)) {
          tasks = [...tasks, old];
          sent.add(key);
          kept.add(key);
        }
      }
      const document = { ...b.document, tasks };
      planned.push({
        document,
        before,
        held,
        plan: directiveImportPlan(
          held.map((t) => t.task),
          tasks,
        ),
        rows: accepted,
        kept,
      });
    }

    const counts = { created: 0, revised: 0, unchanged: 0 };
    for (const p of planned) {
      counts.created += p.plan.added.length;
      counts.revised += p.plan.changed.length;
      counts.unchanged += p.plan.unchanged.filter((k) => !p.kept.has(k)).length;
    }
    const changed = planned.filter((p) => !untouched(p));
    if (!options.dryRun && changed.length > 0) {
      const at = this.ctx.clock.now().toISOString();
      const by = provenance.enteredBy ?? `source:${provenance.source}`;
      await db.transaction().execute(async (trx) => {
        for (const p of changed) await new DirectiveRepository(trx).saveDocument(p.document, at, by);
      });
      const audit = new AuditLog(this.ctx);
      for (const p of changed) {
        await audit.record(
          { actor: by, address: null },
          {
            action: p.before ? 'directives.document.update' : 'directives.document.create',
            entityKind: 'directive_document',
            entityKey: normaliseDirectiveNumber(p.document.number),
            before: p.before ? { ...p.before, tasks: p.held.map((t) => t.task) } : null,
            after: { document: p.document, plan: p.plan, source: provenance.source, runId: provenance.runId ?? null },
          },
        );
      }
    }

    const byIndex = new Map<number, RejectedRow>();
    for (const p of refused) {
      const seen = byIndex.get(p.index);
      if (seen) seen.message = `${seen.message}; ${p.message}`;
      else byIndex.set(p.index, { index: p.index, reason: p.reason, message: p.message, row: rows[p.index] });
    }
    return { received: rows.length, accepted: planned.reduce((n, p) => n + p.rows.length, 0), ...counts, rejected: [...byIndex.values()].sort((a, b) => a.index - b.index) };
  }

  /** The rows with their agencies as codes (by the source's aliases, code or name, as of each document's date), and the rows refused for a name. */
  private async resolveAgencies(rows: readonly unknown[], mapping: SourceMapping | null, bounds: WriteBounds) {
    const cells = directiveAgencyCells(rows).filter((c) => needsResolving('organisation', c.text, mapping));
    const answers: DirectiveAgencyAnswer[] =
      cells.length === 0
        ? []
        : (await new NameResolver(this.ctx.store.db, mapping, bounds).resolve(cells.map((c) => ({ kind: 'organisation', text: c.text, start: c.on, end: c.on, period: c.on })))).map((a) =>
            a instanceof RowRejection ? { reason: a.reason, message: a.message } : { code: a.code },
          );
    return withDirectiveAgencies(rows, cells, answers);
  }
}
