import {
  alertDetailSchema,
  alertSchema,
  caseCategorySchema,
  caseDetailSchema,
  caseSchema,
  freshnessResponseSchema,
  ingestResultSchema,
  manualFormSchema,
  organisationsApi,
  placesApi,
  rejectedRowSchema,
  runSchema,
  sourceSchema,
  type Alert,
  type AlertDetail,
  type Case,
  type CaseCategory,
  type CaseDetail,
  type CaseStatus,
  type FreshnessResponse,
  type IngestResult,
  type ManualEntry,
  type ManualForm,
  type RejectedIngestRow,
  type Run,
  type Source,
} from '@watchfloor/core';
import { fresh as request, listOf, send, urlOf, type Schema } from '../../lib/api';
import { fresh } from '../../lib/client';
import type { CaseFilter } from './desk-routes';

/**
 * Requests of the operator desks, every answer checked against core's
 * schemas. Nothing is kept between screens: a desk shows the state of now,
 * and after a change the screen reads the answer the server sent back.
 */
const post = <T>(url: string, schema: Schema<T>, body: unknown) => send(url, schema, { method: 'POST', body: JSON.stringify(body) });

/** The run and total beside a run's rejected rows. */
const rejectedHead: Schema<{ run: Run; total: number }> = {
  safeParse(input) {
    const o = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
    const run = runSchema.safeParse(o.run);
    if (!run.success) return { success: false, error: { message: `run: ${run.error.message}` } };
    if (typeof o.total !== 'number') return { success: false, error: { message: 'total: expected a number' } };
    return { success: true, data: { run: run.data, total: o.total } };
  },
};

const seg = encodeURIComponent;
const casesAnswer = listOf('cases', caseSchema);
const alertsAnswer = listOf('alerts', alertSchema);
const runsAnswer = listOf('runs', runSchema);
const rejectedAnswer = listOf('rows', rejectedRowSchema, rejectedHead);

/** Why, sent with a change; who acts is the signed-in user, whom the server records. */
export interface Act {
  note?: string | undefined;
}

function act(a: Act): Act {
  return a.note?.trim() ? { note: a.note.trim() } : {};
}

export const deskApi = {
  cases: (f: CaseFilter) =>
    request<{ cases: Case[] }>(urlOf('/api/cases', { status: f.status, category: f.category, place: f.place, organisation: f.organisation, overdue: f.overdue, limit: '200' }), casesAnswer),
  case: (id: string) => request<CaseDetail>(`/api/cases/${seg(id)}`, caseDetailSchema),
  categories: () => request<{ categories: CaseCategory[] }>('/api/case-categories', listOf('categories', caseCategorySchema)),
  organisations: () => fresh(organisationsApi.list),
  placeGeometry: (code: string) => fresh(placesApi.geometry, { params: { code } }),
  changeStatus: (id: string, status: CaseStatus, a: Act) => post(`/api/cases/${seg(id)}/status`, caseDetailSchema, { status, ...act(a) }),
  assign: (id: string, organisation: string, a: Act) => post(`/api/cases/${seg(id)}/assign`, caseDetailSchema, { organisation, ...act(a) }),
  comment: (id: string, text: string) => post(`/api/cases/${seg(id)}/comments`, caseDetailSchema, { text }),
  stepDone: (id: string, step: number, a: Act) => post(`/api/cases/${seg(id)}/sop-steps/${step}/done`, caseDetailSchema, act(a)),

  alerts: () => request<{ alerts: Alert[] }>(urlOf('/api/alerts', { limit: '500' }), alertsAnswer),
  acknowledge: (id: number, a: Act) => post<AlertDetail>(`/api/alerts/${id}/acknowledge`, alertDetailSchema, act(a)),
  resolve: (id: number, a: Act) => post<AlertDetail>(`/api/alerts/${id}/resolve`, alertDetailSchema, act(a)),

  sources: () => request<{ sources: Source[] }>('/api/sources', listOf('sources', sourceSchema)),
  freshness: () => request<FreshnessResponse>('/api/freshness/sources', freshnessResponseSchema),
  runs: (code: string) => request<{ runs: Run[] }>(urlOf(`/api/sources/${seg(code)}/runs`, { limit: '10' }), runsAnswer),
  rejected: (run: number) => request<{ run: Run; total: number; rows: RejectedIngestRow[] }>(urlOf(`/api/runs/${run}/rejected`, { limit: '200' }), rejectedAnswer),
  rejectedCsvUrl: (run: number) => `/api/runs/${run}/rejected.csv`,
  form: (code: string, q: { period: string; place?: string | undefined }) => request<ManualForm>(urlOf(`/api/sources/${seg(code)}/form`, q), manualFormSchema),
  enter: (code: string, entry: ManualEntry) => post<IngestResult>(`/api/sources/${seg(code)}/entries`, ingestResultSchema, entry),
  /** A file to a source: `dryRun` reads and checks it without writing anything. */
  upload: (code: string, file: File, q: { dryRun: boolean; numbers: 'auto' | 'vi' | 'en' }) => {
    const body = new FormData();
    body.append('file', file, file.name);
    return send<IngestResult>(urlOf(`/api/sources/${seg(code)}/upload`, { dryRun: q.dryRun ? 'true' : undefined, numbers: q.numbers }), ingestResultSchema, { method: 'POST', body });
  },
};
