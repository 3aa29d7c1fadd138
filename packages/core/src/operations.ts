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
  const before = new Map(stored.map((f) => [key(f), f.value]));
  const now = new Set<string>();
  const out: OperationalFigure[] = [];
  for (const f of computed) {
    now.add(key(f));
    if (before.get(key(f)) !== f.value) out.push(f);
  }
  for (const f of stored) if (!now.has(key(f)) && f.value !== 0) out.push({ ...f, value: 0 });
  return out;
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
