import {
  alertDetailSchema,
  alertSchema,
  caseCategorySchema,
  caseDetailSchema,
  caseSchema,
  freshnessApi,
  manualApi,
  organisationsApi,
  placesApi,
  sourcesApi,
  type Alert,
  type AlertDetail,
  type Case,
  type CaseCategory,
  type CaseDetail,
  type CaseStatus,
  type ManualEntry,
} from '@watchfloor/core';
import { fresh as request, listOf, send, urlOf, type Schema } from '../../lib/api';
import { call, fresh, hrefOf } from '../../lib/client';
import type { CaseFilter } from './desk-routes';

/**
 * Requests of the operator desks, every answer checked against core's
 * schemas. Nothing is kept between screens: a desk shows the state of now,
 * and after a change the screen reads the answer the server sent back.
 */
const post = <T>(url: string, schema: Schema<T>, body: unknown) => send(url, schema, { method: 'POST', body: JSON.stringify(body) });

const seg = encodeURIComponent;
const casesAnswer = listOf('cases', caseSchema);
const alertsAnswer = listOf('alerts', alertSchema);

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

  sources: () => fresh(sourcesApi.list),
  freshness: () => fresh(freshnessApi.sources),
  runs: (code: string) => fresh(sourcesApi.runs, { params: { code }, query: { limit: 10 } }),
  rejected: (run: number) => fresh(sourcesApi.rejected, { params: { id: run }, query: { limit: 200 } }),
  rejectedCsvUrl: (run: number) => hrefOf(sourcesApi.rejectedCsv, { params: { id: run } }),
  form: (code: string, q: { period: string; place?: string | undefined }) => fresh(manualApi.form, { params: { code }, query: q }),
  enter: (code: string, entry: ManualEntry) => call(manualApi.enter, { params: { code }, body: entry }),
  /** A file to a source: `dryRun` reads and checks it without writing anything. */
  upload: (code: string, file: File, q: { dryRun: boolean; numbers: 'auto' | 'vi' | 'en' }) => {
    const body = new FormData();
    body.append('file', file, file.name);
    return call(sourcesApi.upload, { params: { code }, query: { dryRun: q.dryRun ? 'true' : undefined, numbers: q.numbers }, body });
  },
};
