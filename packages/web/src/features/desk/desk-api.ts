import {
  alertsApi,
  casesApi,
  catalogueApi,
  dossiersApi,
  freshnessApi,
  manualApi,
  organisationsApi,
  placesApi,
  sourcesApi,
  stationsApi,
  type CaseStatus,
  type ManualEntry,
} from '@watchfloor/core';
import { call, fresh, hrefOf } from '../../lib/client';
import type { CaseFilter, DossierFilter } from './desk-routes';
import type { EncodingChoice } from './upload-state';

/**
 * Requests of the operator desks, every answer checked against core's
 * schemas. Nothing is kept between screens: a desk shows the state of now,
 * and after a change the screen reads the answer the server sent back.
 */

/** Why, sent with a change; who acts is the signed-in user, whom the server records. */
export interface Act {
  note?: string | undefined;
}

function act(a: Act): Act {
  return a.note?.trim() ? { note: a.note.trim() } : {};
}

const casesQuery = (f: CaseFilter) => ({ status: f.status, category: f.category, place: f.place, organisation: f.organisation, overdue: f.overdue, limit: 200 });
const ALERTS_QUERY = { limit: 500 };
/** The screen reads the newest 500; its export, every dossier of the filters. */
const DOSSIERS_LIMIT = 500;
const RUNS_QUERY = { limit: 10 };

export const deskApi = {
  cases: (f: CaseFilter) => fresh(casesApi.list, { query: casesQuery(f) }),
  /** The board's list as the export menu links to it: the same query. */
  casesHref: (f: CaseFilter) => hrefOf(casesApi.list, { query: casesQuery(f) }),
  case: (id: string) => fresh(casesApi.detail, { params: { id } }),
  dossiers: (f: DossierFilter) => fresh(dossiersApi.list, { query: { ...f, limit: DOSSIERS_LIMIT } }),
  /** The dossiers as the export menu links to them: the screen's filters without its limit, so the file holds every dossier matching. */
  dossiersHref: (f: DossierFilter) => hrefOf(dossiersApi.list, { query: f }),
  dossiersLimit: DOSSIERS_LIMIT,
  categories: () => fresh(casesApi.categories),
  organisations: () => fresh(organisationsApi.list),
  placeGeometry: (code: string) => fresh(placesApi.geometry, { params: { code } }),
  changeStatus: (id: string, status: CaseStatus, a: Act) => call(casesApi.changeStatus, { params: { id }, body: { status, ...act(a) } }),
  assign: (id: string, organisation: string, a: Act) => call(casesApi.assign, { params: { id }, body: { organisation, ...act(a) } }),
  comment: (id: string, text: string) => call(casesApi.comment, { params: { id }, body: { text } }),
  stepDone: (id: string, step: number, a: Act) => call(casesApi.stepDone, { params: { id, step }, body: act(a) }),

  alerts: () => fresh(alertsApi.list, { query: ALERTS_QUERY }),
  alertsHref: () => hrefOf(alertsApi.list, { query: ALERTS_QUERY }),
  acknowledge: (id: number, a: Act) => call(alertsApi.acknowledge, { params: { id }, body: act(a) }),
  resolve: (id: number, a: Act) => call(alertsApi.resolve, { params: { id }, body: act(a) }),

  sources: () => fresh(sourcesApi.list),
  freshness: () => fresh(freshnessApi.sources),
  /** The late sources (in the caller's scope) and indicators, the most overdue first. */
  late: () => fresh(freshnessApi.late),
  lateHref: () => hrefOf(freshnessApi.late, {}),
  runs: (code: string) => fresh(sourcesApi.runs, { params: { code }, query: RUNS_QUERY }),
  /** A source's runs as the export menu links to them: the same query. */
  runsHref: (code: string) => hrefOf(sourcesApi.runs, { params: { code }, query: RUNS_QUERY }),
  rejected: (run: number) => fresh(sourcesApi.rejected, { params: { id: run }, query: { limit: 200 } }),
  rejectedCsvUrl: (run: number) => hrefOf(sourcesApi.rejectedCsv, { params: { id: run } }),
  form: (code: string, q: { period: string; place?: string | undefined }) => fresh(manualApi.form, { params: { code }, query: q }),
  enter: (code: string, entry: ManualEntry) => call(manualApi.enter, { params: { code }, body: entry }),
  /** A file to a source: `dryRun` reads and checks it without writing anything. */
  upload: (code: string, file: File, q: { dryRun: boolean; numbers: 'auto' | 'vi' | 'en'; encoding: EncodingChoice; period?: string | undefined; mapping?: sourcesApi.ReportLayout | undefined }) => {
    const body = new FormData();
    // A layout being built is tried on a dry run, sent before the file.
    if (q.mapping) body.append('mapping', JSON.stringify(q.mapping));
    body.append('file', file, file.name);
    const period = q.period?.trim() ? q.period.trim() : undefined;
    return call(sourcesApi.upload, { params: { code }, query: { dryRun: q.dryRun ? 'true' : undefined, numbers: q.numbers, encoding: q.encoding === 'auto' ? undefined : q.encoding, period }, body });
  },
  /** A sensor export (hourly readings) to a source whose mapping names the file's sites and parameters: stored on arrival, there is no dry run. */
  uploadReadings: (code: string, file: File) => {
    const body = new FormData();
    body.append('file', file, file.name);
    return call(stationsApi.uploadReadings, { params: { code }, body });
  },
  /** A sample file's first rows and header columns, to build the source's report layout; `header`: the header's line, else found. */
  sheet: (code: string, file: File, q: { encoding: EncodingChoice; header?: number | undefined }) => {
    const body = new FormData();
    body.append('file', file, file.name);
    return call(sourcesApi.sheet, { params: { code }, query: { encoding: q.encoding === 'auto' ? undefined : q.encoding, header: q.header }, body });
  },
  saveLayout: (code: string, layout: sourcesApi.ReportLayout) => call(sourcesApi.saveLayout, { params: { code }, body: layout }),
  indicators: () => fresh(catalogueApi.list),
  templateUrl: () => hrefOf(sourcesApi.template, {}),
};
