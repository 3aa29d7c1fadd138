import type { RejectionReason } from '../rejections';
import { columnName, readDirectiveDate, splitDirectiveAgencies } from './spreadsheet';

/**
 * The agencies a directive batch names, as e-office exports write them:
 * an organisation code ("VL-STC") or a name ("Sở Tài chính", "UBND phường
 * Trà Vinh"). This module lists each agency cell of the rows (a file's
 * lead and co-operating cells, each task's of a pushed document) with the
 * day it is read at, the document's date, and puts what they resolved to
 * back in the rows; the resolving itself, against the organisations held,
 * is the ingestion's name resolver. A row with an agency that does not
 * resolve is refused as a whole row, its column and the name said.
 */

/** One agency as a row names it: which row, which field, where in it, the text and the day the name is read at. */
export interface DirectiveAgencyCell {
  row: number;
  field: 'lead' | 'cooperating';
  /** A pushed document's task (its index), null for a file's row. */
  task: number | null;
  /** The position among the co-operating agencies; 0 for the lead. */
  item: number;
  text: string;
  /** The document's date (YYYY-MM-DD): the agency is the one bearing that name then. */
  on: string;
}

/** What an agency cell resolved to: its code, or why it is refused. */
export type DirectiveAgencyAnswer = { code: string } | { reason: RejectionReason; message: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The agency cells of a batch's rows. A row whose document date cannot be
 * read names none here: it is refused for its date, and its agencies are
 * left as written.
 */
export function directiveAgencyCells(rows: readonly unknown[]): DirectiveAgencyCell[] {
  const out: DirectiveAgencyCell[] = [];
  rows.forEach((row, index) => {
    if (!isObject(row)) return;
    const on = typeof row.date === 'string' ? readDirectiveDate(row.date) : null;
    if (on === null) return;
    const lead = (text: unknown, task: number | null) => {
      if (typeof text === 'string' && text.trim() !== '') out.push({ row: index, field: 'lead', task, item: 0, text: text.trim(), on });
    };
    if ('tasks' in row) {
      if (!Array.isArray(row.tasks)) return;
      row.tasks.forEach((t: unknown, task) => {
        if (!isObject(t)) return;
        lead(t.lead, task);
        if (Array.isArray(t.cooperating))
          t.cooperating.forEach((c: unknown, item) => {
            if (typeof c === 'string' && c.trim() !== '') out.push({ row: index, field: 'cooperating', task, item, text: c.trim(), on });
          });
      });
      return;
    }
    lead(row.lead, null);
    if (typeof row.cooperating === 'string') splitDirectiveAgencies(row.cooperating).forEach((text, item) => out.push({ row: index, field: 'cooperating', task: null, item, text, on }));
  });
  return out;
}

/**
 * The rows with each cell's code in place of what it named (a file's
 * co-operating cell rewritten as codes separated by commas), and the rows
 * refused for an agency that did not resolve: the first such reason, every
 * such agency in the particulars with its column (and its task, for a
 * pushed document). `answers` are the cells' in order.
 */
export function withDirectiveAgencies(
  rows: readonly unknown[],
  cells: readonly DirectiveAgencyCell[],
  answers: readonly DirectiveAgencyAnswer[],
): { rows: unknown[]; refused: Map<number, { reason: RejectionReason; message: string }> } {
  const out = [...rows];
  const refused = new Map<number, { reason: RejectionReason; message: string }>();
  const byRow = new Map<number, { cell: DirectiveAgencyCell; answer: DirectiveAgencyAnswer }[]>();
  cells.forEach((cell, i) => {
    const answer = answers[i];
    if (answer === undefined) return;
    byRow.set(cell.row, [...(byRow.get(cell.row) ?? []), { cell, answer }]);
  });
  for (const [index, resolved] of byRow) {
    const row = rows[index] as Record<string, unknown>;
    const wrong = resolved.flatMap(({ cell, answer }) => ('code' in answer ? [] : [{ cell, answer }]));
    if (wrong.length > 0) {
      const taskKey = (task: number | null) => {
        if (task === null || !Array.isArray(row.tasks)) return '';
        const key = (row.tasks[task] as Record<string, unknown> | undefined)?.key;
        return `Task ${typeof key === 'string' ? key : task + 1}: `;
      };
      refused.set(index, { reason: wrong[0]!.answer.reason, message: wrong.map(({ cell, answer }) => `${taskKey(cell.task)}${columnName(cell.field)}: ${answer.message}`).join('; ') });
      continue;
    }
    const code = (field: DirectiveAgencyCell['field'], task: number | null, item: number) =>
      (resolved.find((r) => r.cell.field === field && r.cell.task === task && r.cell.item === item)?.answer as { code: string } | undefined)?.code;
    if (Array.isArray(row.tasks)) {
      out[index] = {
        ...row,
        tasks: row.tasks.map((t: unknown, task) => {
          if (!isObject(t)) return t;
          return {
            ...t,
            ...(typeof t.lead === 'string' ? { lead: code('lead', task, 0) ?? t.lead } : {}),
            ...(Array.isArray(t.cooperating) ? { cooperating: t.cooperating.map((c: unknown, item) => (typeof c === 'string' ? (code('cooperating', task, item) ?? c) : c)) } : {}),
          };
        }),
      };
    } else {
      out[index] = {
        ...row,
        ...(typeof row.lead === 'string' ? { lead: code('lead', null, 0) ?? row.lead } : {}),
        ...(typeof row.cooperating === 'string' ? { cooperating: splitDirectiveAgencies(row.cooperating).map((c, item) => code('cooperating', null, item) ?? c).join(', ') } : {}),
      };
    }
  }
  return { rows: out, refused };
}
