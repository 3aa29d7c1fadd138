import { directivesApi } from '@watchfloor/core';
import { call, fresh, hrefOf } from '../../lib/client';
import type { DecisionBody, ReportBody } from './directives-model';

/**
 * Requests of the directives screens, every answer checked against core's
 * schemas. Read afresh each time: a task's state is judged at the instant
 * asked about, and after a report or a decision the screen reads it again.
 */

/** What the directives screens and the wall panel show, for live events: a change to a directive document re-reads them. */
export const DIRECTIVES_LIVE = { indicators: [] as string[], directives: true };

const agency = (organisation: string | undefined) => (organisation ? { organisation } : {});

export const directivesClient = {
  completion: (from: string, to: string, organisation?: string) => fresh(directivesApi.completion, { query: { from, to, ...agency(organisation) } }),
  overdue: (organisation?: string) => fresh(directivesApi.overdue, { query: agency(organisation) }),
  overdueHref: (organisation?: string) => hrefOf(directivesApi.overdue, { query: agency(organisation) }),
  /** The caller's own agency's tasks overdue now or due within `days` Vietnam days (those they report on). */
  due: (days: number) => fresh(directivesApi.due, { query: { days } }),
  documents: (organisation?: string) => fresh(directivesApi.documents, { query: agency(organisation) }),
  document: (number: string) => fresh(directivesApi.document, { params: { number } }),
  task: (id: number) => fresh(directivesApi.task, { params: { id } }),
  /** A report of the lead agency, or a decision of the office, on a task (its current occurrence for a recurring one). */
  report: (id: number, body: ReportBody) => call(directivesApi.report, { params: { id }, body }),
  decide: (id: number, body: DecisionBody) => call(directivesApi.decide, { params: { id }, body }),
  /** The leader's office attaches the document's PDF, or replaces it. */
  uploadDocumentFile: (number: string, file: File) => {
    const body = new FormData();
    body.append('file', file, file.name);
    return call(directivesApi.uploadDocumentFile, { params: { number }, body });
  },
  documentFileUrl: (number: string) => hrefOf(directivesApi.documentFile, { params: { number } }),
  /** The lead agency attaches an evidence file to its latest report on a task. */
  uploadEvidence: (id: number, event: number, file: File) => {
    const body = new FormData();
    body.append('file', file, file.name);
    return call(directivesApi.uploadEvidence, { params: { id, event }, body });
  },
  evidenceUrl: (fileId: number) => hrefOf(directivesApi.evidence, { params: { fileId } }),
};
