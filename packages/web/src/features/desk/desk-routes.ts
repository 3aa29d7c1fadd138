import { CASE_STATUSES, CASE_TRANSITIONS, type CaseStatus } from '@watchfloor/core';

/**
 * The desks' URLs, so every view can be shared:
 *   /desk/cases?status=assigned&category=GIAO_THONG&place=29242&organisation=UBND-29242&overdue=overdue
 *   /cases/PA000001
 *   /desk/alerts
 *   /desk/data?source=SCT-MANUAL&run=12
 *   /desk/data?source=VL-BAOCAO&layout=1   (the source's report layout, being built)
 *   /desk/dossiers?organisation=VL-TTHCC&status=in_process&late=true   (administrative dossiers)
 */
export interface CaseFilter {
  status?: CaseStatus | undefined;
  category?: string | undefined;
  place?: string | undefined;
  organisation?: string | undefined;
  overdue?: 'overdue' | 'due_soon' | undefined;
}

const CATEGORY = /^[A-Z][A-Z0-9_]{0,39}$/;
const PLACE = /^\d{2,5}$/;
const ORGANISATION = /^[A-Za-z0-9-]{1,40}$/;

function isStatus(s: string | null): s is CaseStatus {
  return s !== null && (CASE_STATUSES as readonly string[]).includes(s);
}

/** The filter a board URL names; a value the API would refuse is left out rather than failing the screen. */
export function readCaseFilter(search: string): CaseFilter {
  const q = new URLSearchParams(search);
  const pick = (key: string, ok: RegExp) => {
    const v = q.get(key)?.trim();
    return v && ok.test(v) ? v : undefined;
  };
  const status = q.get('status');
  const overdue = q.get('overdue');
  return {
    status: isStatus(status) ? status : undefined,
    category: pick('category', CATEGORY),
    place: pick('place', PLACE),
    organisation: pick('organisation', ORGANISATION),
    overdue: overdue === 'overdue' || overdue === 'due_soon' ? overdue : undefined,
  };
}

/** Whether a typed place code can be asked for (2 to 5 digits), so the field can say so before any request. */
export function isPlaceCode(s: string): boolean {
  return PLACE.test(s);
}

export function caseBoardUrl(filter: CaseFilter = {}): string {
  const q = new URLSearchParams();
  for (const key of ['status', 'category', 'place', 'organisation', 'overdue'] as const) {
    const v = filter[key];
    if (v) q.set(key, v);
  }
  const s = q.toString();
  return s ? `/desk/cases?${s}` : '/desk/cases';
}

export function caseUrl(id: string): string {
  return `/cases/${encodeURIComponent(id)}`;
}

export const ALERT_DESK_URL = '/desk/alerts';

/** The filters of the dossiers list, as GET /api/dossiers takes them. */
export interface DossierFilter {
  organisation?: string | undefined;
  place?: string | undefined;
  procedure?: string | undefined;
  status?: 'in_process' | 'resolved' | undefined;
  late?: 'true' | 'false' | undefined;
  dueWithin24h?: 'true' | undefined;
  receivedFrom?: string | undefined;
  receivedTo?: string | undefined;
}

const DOSSIER_KEYS = ['organisation', 'place', 'procedure', 'status', 'late', 'dueWithin24h', 'receivedFrom', 'receivedTo'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PROCEDURE = /^[^\s].{0,99}$/;

/** The filter a dossiers URL names; a value the API would refuse is left out rather than failing the screen. */
export function readDossierFilter(search: string): DossierFilter {
  const q = new URLSearchParams(search);
  const pick = (key: string, ok: RegExp) => {
    const v = q.get(key)?.trim();
    return v && ok.test(v) ? v : undefined;
  };
  const status = q.get('status');
  const late = q.get('late');
  return {
    organisation: pick('organisation', ORGANISATION),
    place: pick('place', PLACE),
    procedure: pick('procedure', PROCEDURE),
    status: status === 'in_process' || status === 'resolved' ? status : undefined,
    late: late === 'true' || late === 'false' ? late : undefined,
    dueWithin24h: q.get('dueWithin24h') === 'true' ? 'true' : undefined,
    receivedFrom: pick('receivedFrom', DAY),
    receivedTo: pick('receivedTo', DAY),
  };
}

export function dossiersUrl(filter: DossierFilter = {}): string {
  const q = new URLSearchParams();
  for (const key of DOSSIER_KEYS) {
    const v = filter[key];
    if (v) q.set(key, v);
  }
  const s = q.toString();
  return s ? `/desk/dossiers?${s}` : '/desk/dossiers';
}

export interface DataSelection {
  source?: string | undefined;
  run?: number | undefined;
  /** The mapping editor of the source. */
  layout?: boolean | undefined;
}

export function readDataSelection(search: string): DataSelection {
  const q = new URLSearchParams(search);
  const source = q.get('source') ?? undefined;
  const run = Number(q.get('run'));
  return {
    source: source && /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(source) ? source : undefined,
    run: Number.isInteger(run) && run > 0 ? run : undefined,
    ...(q.get('layout') === '1' ? { layout: true } : {}),
  };
}

export function dataDeskUrl(sel: DataSelection = {}): string {
  const q = new URLSearchParams();
  if (sel.source) q.set('source', sel.source);
  if (sel.run) q.set('run', String(sel.run));
  if (sel.layout) q.set('layout', '1');
  const s = q.toString();
  return s ? `/desk/data?${s}` : '/desk/data';
}

/** The statuses an operator may move a case to: only what the workflow allows from where it stands. */
export function allowedMoves(status: CaseStatus): readonly CaseStatus[] {
  return CASE_TRANSITIONS[status];
}
