import { z } from 'zod';
import { addDays } from './dates';
import { dependencyClosure, type IndicatorDefinition } from './indicators/indicator';
import { localisedSchema } from './indicators/shared';
import { frequencySchema, type Period } from './indicators/periods';
import { staleness } from './indicators/status';
import {
  addDuration,
  expectedDeliverySchema,
  freshnessStateSchema,
  parseIsoDuration,
  sourceFreshness,
  sourceFreshnessSchema,
  type ExpectedDelivery,
  type Freshness,
  type SourceKind,
  type SourceMapping,
} from './sources';

/**
 * Freshness per indicator and beside every figure: when the data last
 * arrived, from which source, which agency answers for it, when it is due
 * and whether it is late. Pure: the rules reuse `sourceFreshness` (for an
 * indicator as a whole) and `staleness` (for the figure of one period), so
 * a source, an indicator and a figure are judged by the same deadlines.
 */

const party = z.object({ code: z.string(), name: z.string().nullable() });
export type FreshnessParty = z.infer<typeof party>;

export const FIGURE_FRESHNESS_STATES = ['fresh', 'late', 'awaiting', 'no_expectation'] as const;
export const figureFreshnessStateSchema = z.enum(FIGURE_FRESHNESS_STATES);
export type FigureFreshnessState = z.infer<typeof figureFreshnessStateSchema>;

export const figureFreshnessSchema = z
  .object({
    updatedAt: z.string().nullable().describe('When the freshest fact of the figure was recorded (UTC)'),
    source: party.nullable().describe('The source that last delivered the indicator (its name when it is a registered source)'),
    organisation: party.nullable().describe('The agency accountable for the data'),
    dueAt: z.string().nullable().describe("The figure's deadline (UTC): end of the due day for a period, last arrival plus the allowed silence for a stream"),
    state: figureFreshnessStateSchema.describe('fresh: delivered; awaiting: not yet due; late: due and missing (or a silent stream); no_expectation: no deadline'),
  })
  .describe('How fresh the figure is and who answers for it');
export type FigureFreshness = z.infer<typeof figureFreshnessSchema>;

/** A registered source as freshness needs it. */
export interface SupplierSource {
  code: string;
  name: string;
  kind: SourceKind;
  ownerOrganisationCode: string;
  expected: ExpectedDelivery | null;
  mapping: SourceMapping | null;
  enabled: boolean;
  createdAt: string;
}

/** Indicators a person can type a value for: base indicators that are not rates (rates are recomputed from their parts). */
export const isEnterable = (d: IndicatorDefinition): boolean => d.kind === 'base' && d.ratio === null;

/**
 * The indicators a source is expected to supply: the one its mapping fixes
 * (`defaults.indicator`), else, for a manual source, every enterable
 * indicator owed by the source's owner agency. Other channels name the
 * indicator on each row and are judged by their own arrivals.
 */
export function expectedIndicators(source: Pick<SupplierSource, 'kind' | 'ownerOrganisationCode' | 'mapping'>, catalogue: Iterable<IndicatorDefinition>): IndicatorDefinition[] {
  const all = [...catalogue];
  const fixed = source.mapping?.defaults?.indicator;
  if (fixed) return all.filter((d) => d.code === fixed);
  if (source.kind !== 'manual') return [];
  return all.filter((d) => isEnterable(d) && d.ownerOrganisationCode === source.ownerOrganisationCode);
}

/** When an indicator is due: its supplying source's expected delivery, else its own delivery rule and frequency. */
export function indicatorExpectation(def: Pick<IndicatorDefinition, 'frequency' | 'delivery'>, supplier: Pick<SupplierSource, 'expected'> | null): ExpectedDelivery | null {
  if (supplier?.expected) return supplier.expected;
  const d = def.delivery;
  if (d === null) return null;
  if ('maxAgeMinutes' in d) return { every: `PT${d.maxAgeMinutes}M` };
  if (def.frequency === 'instant') return null;
  return { frequency: def.frequency, afterPeriodEndDays: d.afterPeriodEndDays };
}

/** What one indicator's data looks like in storage: its latest arrival, the source of it, the latest period delivered. */
export interface IndicatorArrival {
  lastRecordedAt: string | null;
  lastSource: string | null;
  lastPeriodEnd: string | null;
}

/** Everything the freshness of one indicator's figures depends on, worked out once per answer. */
export interface IndicatorFreshnessBasis {
  code: string;
  arrival: IndicatorArrival;
  source: FreshnessParty | null;
  organisation: FreshnessParty | null;
  /** The registered source judged to supply it, if any. */
  supplier: SupplierSource | null;
  expectation: ExpectedDelivery | null;
  expectedFrom: 'source' | 'indicator' | null;
}

/**
 * The basis of each indicator's freshness. The supplier is the registered
 * source that last delivered it, else the first source (by code) expected to
 * supply it. The accountable agency is the supplier's owner, else the
 * indicator's owner. An indicator computed from others (rates, formulas,
 * indices) has no facts of its own: it takes the arrival and source of the
 * part that arrived last, and, without a deadline of its own, the first
 * deadline among its parts.
 */
export function freshnessBases(input: {
  catalogue: ReadonlyMap<string, IndicatorDefinition>;
  arrivals: ReadonlyMap<string, IndicatorArrival>;
  sources: readonly SupplierSource[];
  organisationName: (code: string) => string | null;
}): Map<string, IndicatorFreshnessBasis> {
  const { catalogue, arrivals, organisationName } = input;
  const byCode = new Map(input.sources.map((s) => [s.code, s]));
  const expectedBy = new Map<string, SupplierSource>();
  for (const s of [...input.sources].sort((a, b) => a.code.localeCompare(b.code))) {
    if (!s.enabled) continue;
    for (const d of expectedIndicators(s, catalogue.values())) if (!expectedBy.has(d.code)) expectedBy.set(d.code, s);
  }
  const none: IndicatorArrival = { lastRecordedAt: null, lastSource: null, lastPeriodEnd: null };
  const own = (def: IndicatorDefinition): IndicatorFreshnessBasis => {
    const arrival = arrivals.get(def.code) ?? none;
    const supplier = (arrival.lastSource !== null ? byCode.get(arrival.lastSource) : undefined) ?? expectedBy.get(def.code) ?? null;
    const expectation = indicatorExpectation(def, supplier);
    const ownerCode = supplier?.ownerOrganisationCode ?? def.ownerOrganisationCode;
    return {
      code: def.code,
      arrival,
      source: arrival.lastSource !== null ? { code: arrival.lastSource, name: byCode.get(arrival.lastSource)?.name ?? null } : supplier ? { code: supplier.code, name: supplier.name } : null,
      organisation: ownerCode ? { code: ownerCode, name: organisationName(ownerCode) } : null,
      supplier,
      expectation,
      expectedFrom: expectation === null ? null : supplier?.expected ? 'source' : 'indicator',
    };
  };
  const out = new Map<string, IndicatorFreshnessBasis>();
  for (const def of catalogue.values()) out.set(def.code, own(def));
  for (const def of catalogue.values()) {
    const self = out.get(def.code)!;
    if (self.arrival.lastRecordedAt !== null) continue;
    const parts = dependencyClosure(catalogue, def.code)
      .filter((c) => c !== def.code)
      .flatMap((c) => out.get(c) ?? []);
    if (parts.length === 0) continue;
    const latest = parts.reduce<IndicatorFreshnessBasis | null>((best, p) => (p.arrival.lastRecordedAt !== null && (best === null || p.arrival.lastRecordedAt > (best.arrival.lastRecordedAt ?? '')) ? p : best), null);
    const deadline = self.expectation === null ? parts.find((p) => p.expectation !== null) : undefined;
    out.set(def.code, {
      ...self,
      arrival: latest?.arrival ?? self.arrival,
      source: latest?.source ?? self.source,
      organisation: self.organisation ?? latest?.organisation ?? null,
      supplier: self.supplier ?? latest?.supplier ?? null,
      ...(deadline ? { expectation: deadline.expectation, expectedFrom: deadline.expectedFrom } : {}),
    });
  }
  return out;
}

/**
 * An indicator's freshness as a whole, by the same rule as a source's: it
 * owes each period after the latest one delivered (from its supplier's
 * registration, or the indicator's definition, while nothing has arrived).
 */
export function indicatorFreshness(basis: IndicatorFreshnessBasis, since: string, now: Date): Freshness {
  return sourceFreshness({
    expected: basis.expectation,
    enabled: basis.supplier?.enabled ?? true,
    lastArrivalAt: basis.arrival.lastRecordedAt,
    lastPeriodEnd: basis.arrival.lastPeriodEnd,
    createdAt: basis.supplier?.createdAt ?? since,
    now,
  });
}

/** The instant a Vietnamese calendar day ends. */
const endOfVietnamDay = (date: string): string => new Date(`${addDays(date, 1)}T00:00:00+07:00`).toISOString();

/**
 * The freshness beside one figure of a period: delivered (fresh), not yet
 * due (awaiting), due and missing (late), or without a deadline. A periodic
 * figure is judged by the staleness rule of the period viewed; a stream by
 * the silence since its latest reading. Where the place never reported the
 * indicator up to the period, nothing is expected of it.
 */
export function figureFreshness(basis: IndicatorFreshnessBasis | undefined, input: { period: Period; updatedAt: string | null; now: Date; reportedHere?: boolean }): FigureFreshness {
  const head = { updatedAt: input.updatedAt, source: basis?.source ?? null, organisation: basis?.organisation ?? null };
  const expected = basis?.expectation ?? null;
  if (expected === null || input.reportedHere === false) return { ...head, dueAt: null, state: 'no_expectation' };
  if ('every' in expected) {
    if (input.updatedAt === null) return { ...head, dueAt: null, state: 'awaiting' };
    const due = addDuration(new Date(input.updatedAt), parseIsoDuration(expected.every));
    return { ...head, dueAt: due.toISOString(), state: input.now > due ? 'late' : 'fresh' };
  }
  const s = staleness({ delivery: { afterPeriodEndDays: expected.afterPeriodEndDays }, period: input.period, latestDataAt: input.updatedAt ? new Date(input.updatedAt) : null, now: input.now });
  const dueAt = s.dueDate ? endOfVietnamDay(s.dueDate) : null;
  const state: FigureFreshnessState = s.reason === 'overdue' ? 'late' : s.reason === 'not_yet_due' ? 'awaiting' : 'fresh';
  return { ...head, dueAt, state };
}

// ---- answers ---------------------------------------------------------------

export const indicatorFreshnessSchema = z.object({
  indicator: z.string(),
  names: localisedSchema,
  frequency: frequencySchema,
  lastRecordedAt: z.string().nullable().describe('When data of the indicator last arrived (UTC); for a computed indicator, its latest part'),
  lastPeriodEnd: z.string().nullable().describe('The latest period end delivered'),
  source: party.nullable().describe('The source that delivered last (or the registered source expected to)'),
  organisation: party.nullable().describe('The agency accountable'),
  expected: expectedDeliverySchema.nullable(),
  expectedFrom: z.enum(['source', 'indicator']).nullable().describe("Whether the deadline is the supplying source's or the indicator's own"),
  state: freshnessStateSchema,
  dueAt: z.string().nullable(),
  lateSince: z.string().nullable(),
  lateSeconds: z.number().int().nullable(),
  missingPeriod: z.string().nullable().describe('Periodic indicators: the oldest period owed and not delivered'),
});
export type IndicatorFreshness = z.infer<typeof indicatorFreshnessSchema>;

export const indicatorFreshnessResponseSchema = z.object({
  asOf: z.string(),
  indicators: z.array(indicatorFreshnessSchema).describe('Every indicator of the catalogue, by code'),
});
export type IndicatorFreshnessResponse = z.infer<typeof indicatorFreshnessResponseSchema>;

export const lateAgencySchema = z.object({
  organisationCode: z.string(),
  organisationName: z.string().nullable(),
  lateSources: z.number().int(),
  lateIndicators: z.number().int(),
  lateSince: z.string().describe('The oldest missed deadline among its late sources and indicators (UTC)'),
  worstLateSeconds: z.number().int(),
  sources: z.array(z.string()).describe('Its late sources, the most overdue first'),
  indicators: z.array(z.string()).describe('Its late indicators, the most overdue first'),
});
export type LateAgency = z.infer<typeof lateAgencySchema>;

export const lateResponseSchema = z.object({
  asOf: z.string(),
  sources: z.array(sourceFreshnessSchema).describe('The late sources, the most overdue first'),
  indicators: z.array(indicatorFreshnessSchema).describe('The late indicators, the most overdue first'),
  agencies: z.array(lateAgencySchema).describe('The agencies accountable, ranked by their worst lateness, then by how much is late'),
});
export type LateResponse = z.infer<typeof lateResponseSchema>;

interface LateItem {
  code: string;
  organisationCode: string | null;
  organisationName: string | null;
  lateSince: string | null;
  lateSeconds: number | null;
}

/** The agencies behind late sources and indicators, with counts and since when: the list to remind, worst first. */
export function rankLateAgencies(sources: readonly LateItem[], indicators: readonly LateItem[]): LateAgency[] {
  const by = new Map<string, LateAgency>();
  const add = (item: LateItem, kind: 'sources' | 'indicators') => {
    if (item.organisationCode === null || item.lateSince === null) return;
    const a = by.get(item.organisationCode) ?? {
      organisationCode: item.organisationCode,
      organisationName: item.organisationName,
      lateSources: 0,
      lateIndicators: 0,
      lateSince: item.lateSince,
      worstLateSeconds: 0,
      sources: [],
      indicators: [],
    };
    a[kind].push(item.code);
    if (kind === 'sources') a.lateSources++;
    else a.lateIndicators++;
    if (item.lateSince < a.lateSince) a.lateSince = item.lateSince;
    a.worstLateSeconds = Math.max(a.worstLateSeconds, item.lateSeconds ?? 0);
    a.organisationName ??= item.organisationName;
    by.set(a.organisationCode, a);
  };
  const worstFirst = (xs: readonly LateItem[]) => [...xs].sort((a, b) => (b.lateSeconds ?? 0) - (a.lateSeconds ?? 0) || a.code.localeCompare(b.code));
  for (const s of worstFirst(sources)) add(s, 'sources');
  for (const i of worstFirst(indicators)) add(i, 'indicators');
  return [...by.values()].sort(
    (a, b) => b.worstLateSeconds - a.worstLateSeconds || b.lateSources + b.lateIndicators - (a.lateSources + a.lateIndicators) || a.organisationCode.localeCompare(b.organisationCode),
  );
}
