import { z } from 'zod';
import type { CaseCounts } from './cases/counts';
import { addDays, daysInMonth, isoDateOf, vietnamDate, type IsoDate } from './dates';
import type { DossierMeasures } from './dossiers/measures';

/**
 * Operational figures: the monthly indicators computed from the cases and
 * dossiers the IOC holds itself (not sent by another agency). Pure: which
 * indicator each count feeds, which months a record touches, and the rows
 * to write for a month. The server recomputes them after each change and
 * writes them through the one write path, under the system's own sources.
 */

/** The sources the figures are filed under: registered by the system, run channel `derived`. */
export const OPERATIONAL_SOURCES = { cases: 'WF-CASES', dossiers: 'WF-DOSSIERS' } as const;
export type OperationalKind = keyof typeof OPERATIONAL_SOURCES;

/** A month key, YYYY-MM. */
export const monthKeySchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month written YYYY-MM');

/** The citizen-report indicators and the case count each one is. */
export const CASE_INDICATORS = {
  CR_RECEIVED: 'received',
  CR_PROCESSED: 'processed',
  CR_PROCESSED_ON_TIME: 'processedOnTime',
  CR_RATED: 'rated',
  CR_SATISFIED: 'satisfied',
} as const satisfies Record<string, keyof CaseCounts>;

/**
 * The Decision 766 measures as indicators. Rates (late, on time, online)
 * are the catalogue's ratio indicators over these parts (PS_LATE_RATE,
 * PS_ON_TIME_RATE, PS_ONLINE_RATE), and "to process" is the formula
 * PS_DOSSIER_TO_PROCESS = received + carried over: never stored.
 */
export const DOSSIER_INDICATORS: Record<string, (m: DossierMeasures) => number> = {
  PS_DOSSIER_RECEIVED: (m) => m.received,
  PS_DOSSIER_CARRIED_OVER: (m) => m.carriedOver,
  PS_DOSSIER_RESOLVED: (m) => m.processed.total,
  PS_DOSSIER_EARLY: (m) => m.processed.early,
  // Decision 766 counts "trước và đúng hạn" together: the on-time figure includes the early ones.
  PS_DOSSIER_ON_TIME: (m) => m.processed.early + m.processed.onTime,
  PS_DOSSIER_LATE: (m) => m.processed.late,
  PS_DOSSIER_PENDING: (m) => m.inProcess.total,
  PS_DOSSIER_PENDING_LATE: (m) => m.inProcess.late,
  PS_DOSSIER_PENDING_DUE_SOON: (m) => m.inProcess.dueSoon,
  PS_DOSSIER_PENDING_NOT_DUE: (m) => m.inProcess.notYetDue,
  PS_DOSSIER_ONLINE: (m) => m.onlineRate.numerator,
};

export const OPERATIONAL_INDICATORS: Record<OperationalKind, readonly string[]> = {
  cases: Object.keys(CASE_INDICATORS),
  dossiers: Object.keys(DOSSIER_INDICATORS),
};

/** The month (YYYY-MM, Vietnam time) an instant falls in. */
export function monthOf(instant: string): string {
  return vietnamDate(new Date(instant)).slice(0, 7);
}

/** The first and last day of a month. */
export function monthBounds(month: string): { from: IsoDate; to: IsoDate } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { from: isoDateOf(y, m, 1), to: isoDateOf(y, m, daysInMonth(y, m)) };
}

/** The instants a month spans in Vietnam: [start, end). */
export function monthInstants(month: string): { start: string; end: string } {
  const { from, to } = monthBounds(month);
  return { start: new Date(`${from}T00:00:00+07:00`).toISOString(), end: new Date(`${addDays(to, 1)}T00:00:00+07:00`).toISOString() };
}

/** Every month from `from` to `to` (YYYY-MM, inclusive); empty when `to` is before `from`. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (let key = from; key <= to; ) {
    out.push(key);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
    key = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
  }
  return out;
}

/**
 * The months whose Decision 766 measures a dossier takes part in: every
 * month from its receipt to its resolution (carried over and in process
 * in between), or to `now` while it is open.
 */
export function dossierMonths(d: { receivedAt: string; resolvedAt: string | null }, now: string): string[] {
  const last = d.resolvedAt ?? now;
  return monthsBetween(monthOf(d.receivedAt), monthOf(last < d.receivedAt ? d.receivedAt : last));
}

/** One figure to file: an indicator's value for a place and an organisation ('' = the place's total). */
export interface OperationalFigure {
  indicator: string;
  place: string;
  organisation: string;
  value: number;
  /** What the figure is made of when not of records alone (reported totals), kept as its note; null or absent: counted from records. */
  note?: string | null;
}

/** Where a record is counted: its unit (commune, or coarser when unknown) and province, and the agency handling it. */
export interface CountedAt {
  placeCode: string | null;
  provinceCode: string | null;
  orgCode: string | null;
}

/**
 * The keys a record counts under: the place totals ('' organisation) of
 * its unit and of its province, and its
 * agency's figure at its unit only. Totals are read at the coarsest level
 * that reported (a province total beats the sum of its communes), but an
 * agency's figures are summed up the hierarchy, so filing them at two
 * levels would count them twice.
 */
export function figureKeys(r: CountedAt): { place: string; organisation: string }[] {
  const keys: { place: string; organisation: string }[] = [];
  for (const place of new Set([r.placeCode, r.provinceCode])) if (place !== null) keys.push({ place, organisation: '' });
  const finest = r.placeCode ?? r.provinceCode;
  if (r.orgCode && finest !== null) keys.push({ place: finest, organisation: r.orgCode });
  return keys;
}

/**
 * Groups the records of a month by key and computes each group's figures.
 * `compute` turns a group's records into indicator values.
 */
export function groupFigures<T extends CountedAt>(records: readonly T[], compute: (group: readonly T[]) => Record<string, number>): OperationalFigure[] {
  const groups = new Map<string, { place: string; organisation: string; records: T[] }>();
  for (const r of records) {
    for (const k of figureKeys(r)) {
      const id = `${k.place}\u0000${k.organisation}`;
      let g = groups.get(id);
      if (!g) groups.set(id, (g = { ...k, records: [] }));
      g.records.push(r);
    }
  }
  const out: OperationalFigure[] = [];
  for (const g of groups.values()) {
    for (const [indicator, value] of Object.entries(compute(g.records))) out.push({ indicator, place: g.place, organisation: g.organisation, value });
  }
  return out;
}

/** The figures of one case-count group. */
export function caseFigureValues(c: CaseCounts): Record<string, number> {
  return Object.fromEntries(Object.entries(CASE_INDICATORS).map(([code, field]) => [code, c[field]]));
}

/** The figures of one dossier group. */
export function dossierFigureValues(m: DossierMeasures): Record<string, number> {
  return Object.fromEntries(Object.entries(DOSSIER_INDICATORS).map(([code, f]) => [code, f(m)]));
}

/**
 * What to write so the stored figures match the computed ones: the new and
 * changed values, and a zero for a key stored before that no longer has any
 * record (a case moved to another agency). An unchanged month writes nothing.
 */
export function figureChanges(computed: readonly OperationalFigure[], stored: readonly OperationalFigure[]): OperationalFigure[] {
  const key = (f: OperationalFigure) => `${f.indicator}\u0000${f.place}\u0000${f.organisation}`;
  const before = new Map(stored.map((f) => [key(f), f]));
  const now = new Set<string>();
  const out: OperationalFigure[] = [];
  for (const f of computed) {
    now.add(key(f));
    const old = before.get(key(f));
    // A figure whose value stands but that is now made of other reported totals is rewritten with its new note (the write path keeps a note a row leaves out).
    if (old?.value !== f.value || (f.note != null && f.note !== old.note)) out.push(f);
  }
  for (const { note: _note, ...f } of stored) if (!now.has(key(f)) && f.value !== 0) out.push({ ...f, value: 0 });
  return out;
}

/**
 * Reported dossier totals (an agency's monthly counts instead of its
 * records): the Decision 766 parts a total may give. PS_DOSSIER_RESOLVED
 * left out is the sum of on time (early included) and late; PS_DOSSIER_PENDING
 * left out is the sum of its three parts when all are given.
 */
export const DOSSIER_TOTAL_INDICATORS: readonly string[] = Object.keys(DOSSIER_INDICATORS);

export const dossierCountsFromSchema = z
  .object({
    records: z.boolean().describe('Some dossier records of the agency count in the period'),
    reported: z.array(z.string()).describe('The sources whose reported monthly totals count (for a unit and month without records), by code'),
  })
  .describe('Where the dossier counts come from: records where a unit and month has them, reported totals where it has only those');
export type DossierCountsFrom = z.infer<typeof dossierCountsFromSchema>;

/** A month's totals of one agency at one unit, as stored: each measure it gave, and the source that sent them. */
export interface DossierTotalCell {
  /** The month, YYYY-MM. */
  period: string;
  organisation: string;
  place: string;
  province: string | null;
  source: string;
  values: Readonly<Record<string, number>>;
}

/** The totals of a cell with the parts it left out that its other parts make (resolved = on time + late; pending = its three parts). */
export function completeDossierTotals(values: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = { ...values };
  const { PS_DOSSIER_ON_TIME: onTime, PS_DOSSIER_LATE: late, PS_DOSSIER_PENDING_LATE: pl, PS_DOSSIER_PENDING_DUE_SOON: ps, PS_DOSSIER_PENDING_NOT_DUE: pn } = values;
  if (out.PS_DOSSIER_RESOLVED === undefined && onTime !== undefined && late !== undefined) out.PS_DOSSIER_RESOLVED = onTime + late;
  if (out.PS_DOSSIER_PENDING === undefined && pl !== undefined && ps !== undefined && pn !== undefined) out.PS_DOSSIER_PENDING = pl + ps + pn;
  return out;
}

/** Where a month's dossier records lie: "agency\u0000unit" for the unit and the province of each record. */
export function recordCells(records: readonly CountedAt[]): Set<string> {
  const out = new Set<string>();
  for (const r of records) {
    if (!r.orgCode) continue;
    for (const place of [r.placeCode, r.provinceCode]) if (place !== null) out.add(`${r.orgCode}\u0000${place}`);
  }
  return out;
}

/** The note of a figure made (in part) of reported totals, naming their sources. */
export function totalsNote(fromRecords: boolean, sources: readonly string[]): string {
  const list = [...new Set(sources)].sort().join(', ');
  return fromRecords
    ? `Đếm từ hồ sơ và tổng số do nguồn ${list} báo cáo · counted from dossier records and totals reported by ${list}`
    : `Tổng số do nguồn ${list} báo cáo · totals reported by ${list}`;
}

/**
 * The month's dossier figures with reported totals counted in where a cell
 * (agency × unit × month) has no record: records are the finer truth, so a
 * cell with both counts its records once and its totals not at all (they
 * stay stored). A cell's totals count under the same keys as its records
 * would (the agency at its unit, the totals of its unit and province).
 * Each figure that took totals names their sources in its note. Answers
 * the figures and the cells counted and set aside.
 */
export function withDossierTotals(
  figures: readonly OperationalFigure[],
  records: readonly CountedAt[],
  totals: readonly DossierTotalCell[],
): { figures: OperationalFigure[]; counted: DossierTotalCell[]; superseded: DossierTotalCell[] } {
  const cells = recordCells(records);
  const byKey = new Map<string, OperationalFigure & { fromRecords: boolean; sources: string[] }>();
  const key = (indicator: string, place: string, organisation: string) => `${indicator}\u0000${place}\u0000${organisation}`;
  for (const f of figures) byKey.set(key(f.indicator, f.place, f.organisation), { ...f, fromRecords: true, sources: [] });
  const counted: DossierTotalCell[] = [];
  const superseded: DossierTotalCell[] = [];
  for (const t of totals) {
    if (cells.has(`${t.organisation}\u0000${t.place}`)) {
      superseded.push(t);
      continue;
    }
    counted.push(t);
    const values = completeDossierTotals(t.values);
    for (const k of figureKeys({ placeCode: t.place, provinceCode: t.province, orgCode: t.organisation })) {
      for (const [indicator, value] of Object.entries(values)) {
        const id = key(indicator, k.place, k.organisation);
        let f = byKey.get(id);
        if (!f) byKey.set(id, (f = { indicator, place: k.place, organisation: k.organisation, value: 0, fromRecords: false, sources: [] }));
        f.value += value;
        f.sources.push(t.source);
      }
    }
  }
  const out: OperationalFigure[] = [];
  for (const { fromRecords, sources, ...f } of byKey.values()) out.push(sources.length === 0 ? f : { ...f, note: totalsNote(fromRecords, sources) });
  return { figures: out, counted, superseded };
}

export const figuresRebuildSchema = z
  .object({
    from: monthKeySchema.describe('First month, YYYY-MM'),
    to: monthKeySchema.describe('Last month, YYYY-MM (inclusive)'),
    kind: z.enum(['cases', 'dossiers']).optional().describe('Only the figures of cases or of dossiers (default both)'),
  })
  .refine((r) => r.from <= r.to, { message: 'to is before from', path: ['to'] });

export const figuresRebuildResultSchema = z.object({
  months: z.number().int().describe('Months recomputed (per kind)'),
  written: z.number().int().describe('Figures created or revised'),
  rejected: z.number().int().describe('Figures the write path refused (kept with their runs)'),
  runs: z.array(z.number().int()).describe('The runs that wrote them'),
});
export type FiguresRebuildResult = z.infer<typeof figuresRebuildResultSchema>;
