import { grantsAllow, type Grant, type ObservationStatus, type Source, type sourcesApi, type SourceMapping } from '@watchfloor/core';

/**
 * The mapping editor's state, pure: what an officer says of each column of
 * a sample report (the unit, as a code or a name; the agency; the period;
 * a value column with its indicator, declared unit and status; a note; or
 * nothing), and where the period comes from when no column holds it (the
 * title rows, the file name, a named cell, or declared with each upload).
 * It becomes the source's report layout (the mapping's columns, values,
 * cells, names), kept with what the saved mapping says beyond them.
 */
export type SheetHead = sourcesApi.SheetHeadAnswer;
export type ReportLayout = sourcesApi.ReportLayout;

export const COLUMN_ROLES = ['ignore', 'place', 'organisation', 'period', 'value', 'note'] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

/** Roles one column at most may have: choosing one for a column takes it from any other. */
const KEY_ROLES: readonly ColumnRole[] = ['place', 'organisation', 'period', 'note'];

export const PERIOD_ORIGINS = ['column', 'title', 'file_name', 'cell', 'declared'] as const;
export type PeriodOrigin = (typeof PERIOD_ORIGINS)[number];

export interface ColumnChoice {
  role: ColumnRole;
  /** A value column's indicator code ('' until chosen). */
  indicator: string;
  /** The unit the column is written in, when not the indicator's ('' for the indicator's own). */
  unit: string;
  status: ObservationStatus | '';
}

export interface LayoutDraft {
  head: SheetHead;
  /** By the column's header as read (both rows of a two-row header). */
  columns: Record<string, ColumnChoice>;
  placeBy: 'code' | 'name';
  organisationBy: 'code' | 'name';
  periodFrom: PeriodOrigin;
  /** A cell such as A3, when the period comes from a named cell. */
  periodCell: string;
  /** The period declared with the uploads (2026-10, 10/2026 …), when it comes from nowhere in the file. */
  declaredPeriod: string;
  /** The saved mapping the draft started from: what it says beyond the layout is kept. */
  base: SourceMapping | null;
}

export type LayoutState = { step: 'empty' } | { step: 'ready'; draft: LayoutDraft };

export type LayoutAction =
  | { type: 'loaded'; head: SheetHead; saved: SourceMapping | null }
  | { type: 'role'; column: string; role: ColumnRole }
  | { type: 'indicator'; column: string; indicator: string }
  | { type: 'unit'; column: string; unit: string }
  | { type: 'status'; column: string; status: ObservationStatus | '' }
  | { type: 'placeBy'; by: 'code' | 'name' }
  | { type: 'organisationBy'; by: 'code' | 'name' }
  | { type: 'periodFrom'; from: PeriodOrigin }
  | { type: 'periodCell'; cell: string }
  | { type: 'declaredPeriod'; period: string };

export const initialLayout: LayoutState = { step: 'empty' };

const EMPTY: ColumnChoice = { role: 'ignore', indicator: '', unit: '', status: '' };

/** Headers compared as the server compares them: case, diacritics and punctuation aside. */
export function foldLabel(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Whether a header as read is the one a mapping names: the whole header, or its lower row ("Hồ sơ / Tiếp nhận" is "Tiếp nhận"). */
function sameHeader(label: string, named: string): boolean {
  const a = foldLabel(label);
  const b = foldLabel(named);
  return a === b || foldLabel(label.split(' / ').pop() ?? '') === b || foldLabel(named.split(' / ').pop() ?? '') === a;
}

/** The draft a sample's head starts: what the saved mapping says of its columns, else what a known header names. */
export function draftOf(head: SheetHead, saved: SourceMapping | null): LayoutDraft {
  const columns: Record<string, ColumnChoice> = {};
  const taken = new Set<ColumnRole>();
  const own = Object.entries(saved?.columns ?? {});
  for (const c of head.columns) {
    if (c.label === '') continue;
    const value = saved?.values?.find((v) => sameHeader(c.label, v.column));
    if (value) {
      columns[c.label] = { role: 'value', indicator: value.indicator, unit: value.unit ?? '', status: value.status ?? '' };
      continue;
    }
    const named = own.find(([h]) => sameHeader(c.label, h))?.[1] ?? c.field;
    const role: ColumnRole = named === 'place' || named === 'organisation' || named === 'period' || named === 'note' ? named : 'ignore';
    if (role !== 'ignore' && taken.has(role)) {
      columns[c.label] = { ...EMPTY };
      continue;
    }
    taken.add(role);
    columns[c.label] = { ...EMPTY, role };
  }
  const periodFrom: PeriodOrigin = taken.has('period') ? 'column' : saved?.cells?.period ? 'cell' : head.titlePeriod ? 'title' : head.fileNamePeriod ? 'file_name' : 'declared';
  return {
    head,
    columns,
    placeBy: saved?.names?.includes('place') ? 'name' : 'code',
    organisationBy: saved?.names?.includes('organisation') ? 'name' : 'code',
    periodFrom,
    periodCell: saved?.cells?.period ?? '',
    declaredPeriod: '',
    base: saved,
  };
}

function withColumn(d: LayoutDraft, column: string, change: Partial<ColumnChoice>): LayoutDraft {
  const current = d.columns[column];
  if (!current) return d;
  return { ...d, columns: { ...d.columns, [column]: { ...current, ...change } } };
}

export function layoutReducer(state: LayoutState, action: LayoutAction): LayoutState {
  if (action.type === 'loaded') return { step: 'ready', draft: draftOf(action.head, action.saved) };
  if (state.step === 'empty') return state;
  const d = state.draft;
  switch (action.type) {
    case 'role': {
      if (!d.columns[action.column]) return state;
      const columns: Record<string, ColumnChoice> = {};
      for (const [label, c] of Object.entries(d.columns)) {
        // A unit, agency, period or note column is one: choosing it elsewhere takes it from here.
        columns[label] = label === action.column ? { ...c, role: action.role } : KEY_ROLES.includes(action.role) && c.role === action.role ? { ...c, role: 'ignore' } : c;
      }
      // A period column is where the period comes from; taking it away leaves the title rows (or what else the file gives).
      const periodFrom: PeriodOrigin =
        action.role === 'period' ? 'column' : d.periodFrom === 'column' && !Object.values(columns).some((c) => c.role === 'period') ? fallbackOrigin(d.head) : d.periodFrom;
      return { step: 'ready', draft: { ...d, columns, periodFrom } };
    }
    case 'indicator':
      return { step: 'ready', draft: withColumn(d, action.column, { indicator: action.indicator }) };
    case 'unit':
      return { step: 'ready', draft: withColumn(d, action.column, { unit: action.unit }) };
    case 'status':
      return { step: 'ready', draft: withColumn(d, action.column, { status: action.status }) };
    case 'placeBy':
      return { step: 'ready', draft: { ...d, placeBy: action.by } };
    case 'organisationBy':
      return { step: 'ready', draft: { ...d, organisationBy: action.by } };
    case 'periodFrom': {
      // The period from elsewhere than a column: no column is read as the period any more.
      const columns = action.from === 'column' ? d.columns : Object.fromEntries(Object.entries(d.columns).map(([k, c]) => [k, c.role === 'period' ? { ...c, role: 'ignore' as const } : c]));
      return { step: 'ready', draft: { ...d, columns, periodFrom: action.from } };
    }
    case 'periodCell':
      return { step: 'ready', draft: { ...d, periodCell: action.cell.trim().toUpperCase() } };
    case 'declaredPeriod':
      return { step: 'ready', draft: { ...d, declaredPeriod: action.period } };
  }
}

function fallbackOrigin(head: SheetHead): PeriodOrigin {
  return head.titlePeriod ? 'title' : head.fileNamePeriod ? 'file_name' : 'declared';
}

const CELL = /^[A-Z]{1,3}[1-9]\d{0,6}$/;

/** What keeps a draft from being tried or saved, as message keys with their column. */
export type LayoutProblem =
  | { problem: 'noPlace' }
  | { problem: 'noValues' }
  | { problem: 'noIndicator'; column: string }
  | { problem: 'noPeriodColumn' }
  | { problem: 'noTitlePeriod' }
  | { problem: 'noFileNamePeriod' }
  | { problem: 'badCell' }
  | { problem: 'noDeclaredPeriod' };

export function layoutProblems(d: LayoutDraft): LayoutProblem[] {
  const out: LayoutProblem[] = [];
  const choices = Object.entries(d.columns);
  if (!choices.some(([, c]) => c.role === 'place') && !d.base?.defaults?.place && !d.base?.cells?.place) out.push({ problem: 'noPlace' });
  const values = choices.filter(([, c]) => c.role === 'value');
  if (values.length === 0) out.push({ problem: 'noValues' });
  for (const [column, c] of values) if (c.indicator === '') out.push({ problem: 'noIndicator', column });
  switch (d.periodFrom) {
    case 'column':
      if (!choices.some(([, c]) => c.role === 'period')) out.push({ problem: 'noPeriodColumn' });
      break;
    case 'title':
      if (!d.head.titlePeriod) out.push({ problem: 'noTitlePeriod' });
      break;
    case 'file_name':
      if (!d.head.fileNamePeriod) out.push({ problem: 'noFileNamePeriod' });
      break;
    case 'cell':
      if (!CELL.test(d.periodCell)) out.push({ problem: 'badCell' });
      break;
    case 'declared':
      if (d.declaredPeriod.trim() === '') out.push({ problem: 'noDeclaredPeriod' });
      break;
  }
  return out;
}

/**
 * The report layout a draft says: its unit, agency, period and note
 * columns by header, its value columns each with its indicator (and unit,
 * status when given), the period's cell, which columns hold names; the
 * saved mapping's number style, encoding and defaults kept.
 */
export function layoutOf(d: LayoutDraft): ReportLayout {
  const columns: Record<string, 'place' | 'organisation' | 'period' | 'note'> = {};
  const values: NonNullable<ReportLayout['values']> = [];
  for (const [label, c] of Object.entries(d.columns)) {
    if (c.role === 'value') {
      values.push({ column: label, indicator: c.indicator, ...(c.unit.trim() ? { unit: c.unit.trim() } : {}), ...(c.status ? { status: c.status } : {}) });
    } else if (c.role !== 'ignore') columns[label] = c.role;
  }
  const names = [...(d.placeBy === 'name' ? ['place' as const] : []), ...(d.organisationBy === 'name' && Object.values(columns).includes('organisation') ? ['organisation' as const] : [])];
  const cells = { ...(d.base?.cells?.place ? { place: d.base.cells.place } : {}), ...(d.base?.cells?.organisation ? { organisation: d.base.cells.organisation } : {}), ...(d.periodFrom === 'cell' ? { period: d.periodCell } : {}) };
  const base = d.base ?? {};
  return {
    ...(Object.keys(columns).length > 0 ? { columns } : {}),
    ...(values.length > 0 ? { values } : {}),
    ...(Object.keys(cells).length > 0 ? { cells } : {}),
    ...(base.defaults ? { defaults: base.defaults } : {}),
    ...(names.length > 0 ? { names } : {}),
    ...(base.numbers ? { numbers: base.numbers } : {}),
    ...(base.encoding ? { encoding: base.encoding } : {}),
  };
}

/** The period to declare with the uploads of this layout, or none. */
export function declaredOf(d: LayoutDraft): string | undefined {
  return d.periodFrom === 'declared' && d.declaredPeriod.trim() !== '' ? d.declaredPeriod.trim() : undefined;
}

/**
 * Whether the desk offers a person the mapping editor of a source: they
 * supply data (the server judges whether the source lies in their scope),
 * and the source's files are read by a report layout (not the system's own
 * figures, dossier tables or sensor exports, which are read by their own
 * headers), and it is enabled.
 */
export function offersLayout(grants: readonly Grant[] | null, source: Pick<Source, 'kind' | 'mapping' | 'enabled'>): boolean {
  return grants !== null && grantsAllow(grants, 'data.supply') && source.enabled && source.kind !== 'derived' && source.mapping?.target !== 'dossiers' && !source.mapping?.sensors;
}
