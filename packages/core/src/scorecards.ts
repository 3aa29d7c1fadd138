import { z } from 'zod';
import { dossierCountsFromSchema, type DossierCountsFrom } from './operations';

/**
 * Agency scorecards: each organisation of a place ranked by a composite of
 * how it serves (dossiers and cases on time), how it carries out the tasks
 * its leaders give it (directive tasks done on time) and how it reports
 * (data on time). Every component is a ratio kept as its parts, shown with its
 * weight and what it adds to the composite, so a leader can see why an
 * agency ranks where it does.
 */
export const SCORECARD_COMPONENTS = ['dossierOnTime', 'caseOnTime', 'directivesOnTime', 'dataPunctuality'] as const;
export const scorecardComponentKeySchema = z.enum(SCORECARD_COMPONENTS);
export type ScorecardComponentKey = z.infer<typeof scorecardComponentKeySchema>;

/**
 * The stated weights: dossiers on time (Decision 766) 32 %, cases on time
 * 24 %, directive tasks done on time 20 %, data on time 24 %.
 *
 * Directive tasks take a fifth: carrying out what the People's Committee
 * assigns is one of the things an agency answers for to its leaders (the
 * PAR Index scores it too), yet fewer tasks fall due in a month than
 * dossiers or cases are handled, so it weighs less than service to the
 * public. The other three keep the proportions they had before directives
 * counted (40 : 30 : 30) within the remaining 80 %, so an agency with no
 * directive task judged in the period scores exactly as it did.
 *
 * An agency without a component (no dossier processed, no case processed,
 * no directive task done or overdue, nothing expected of it) is scored on
 * the others, their weights renormalised to 100 %, so it is neither
 * rewarded nor punished for work it does not do. Cases handled is shown
 * beside the score, not in it: volume is not quality.
 */
export const SCORECARD_WEIGHTS: Readonly<Record<ScorecardComponentKey, number>> = { dossierOnTime: 0.32, caseOnTime: 0.24, directivesOnTime: 0.2, dataPunctuality: 0.24 };

/** What the score of one agency is computed from: counts of the period (and data punctuality as of now). */
export interface ScorecardInput {
  organisation: { code: string; name: string };
  /**
   * Dossiers processed in the period, and of those early or on time; and
   * where those counts come from: the agency's dossier records, and the
   * sources whose reported monthly totals count where it has no record.
   */
  dossiers: { processed: number; onTime: number; from?: DossierCountsFrom };
  /** Cases received and processed in the period, and processed by their deadline. */
  cases: { received: number; processed: number; processedOnTime: number };
  /**
   * Directive tasks it leads that fell due in the period and whose outcome
   * is known (done on time, done late or overdue: DIR_JUDGED), and of those
   * done on time (DIR_DONE_ON_TIME), as core's `directiveCompletion` counts
   * them; a task not yet due is in neither.
   */
  directives: { judged: number; doneOnTime: number };
  /** Sources and indicators the agency is expected to deliver, and how many of them are late. */
  data: { expected: number; late: number };
}

export const scorecardComponentSchema = z.object({
  key: scorecardComponentKeySchema,
  numerator: z.number().int(),
  denominator: z.number().int(),
  value: z.number().nullable().describe('numerator / denominator (0–1); null when nothing counts, and the component is left out'),
  weight: z.number().describe('The stated weight (0–1)'),
  effectiveWeight: z.number().describe('The weight renormalised over the components the agency has (0 when left out)'),
  contribution: z.number().nullable().describe('Points added to the composite: value × effective weight × 100'),
});
export type ScorecardComponent = z.infer<typeof scorecardComponentSchema>;

export const scorecardSchema = z.object({
  rank: z.number().int().nullable().describe('1 for the best composite; equal composites share a rank; null without a composite'),
  organisation: z.object({ code: z.string(), name: z.string() }),
  composite: z.number().nullable().describe('0–100: the sum of the contributions; null when the agency has no component'),
  casesReceived: z.number().int(),
  casesHandled: z.number().int().describe('Cases processed (resolved) in the period'),
  lateData: z.number().int().describe('Its late sources and indicators, now'),
  dossiersFrom: dossierCountsFromSchema.optional(),
  components: z.array(scorecardComponentSchema),
});
export type Scorecard = z.infer<typeof scorecardSchema>;

export const scorecardsResponseSchema = z.object({
  period: z.object({ key: z.string(), from: z.string(), to: z.string() }),
  place: z.object({ code: z.string(), name: z.string() }),
  asOf: z.string().describe('The instant counted to (the end of the period, or now when it is not over)'),
  weights: z.object({ dossierOnTime: z.number(), caseOnTime: z.number(), directivesOnTime: z.number(), dataPunctuality: z.number() }),
  agencies: z.array(scorecardSchema).describe('Best composite first; agencies without one last, by name'),
});
export type ScorecardsResponse = z.infer<typeof scorecardsResponseSchema>;

function component(key: ScorecardComponentKey, numerator: number, denominator: number): Omit<ScorecardComponent, 'effectiveWeight' | 'contribution'> {
  return { key, numerator, denominator, value: denominator > 0 ? numerator / denominator : null, weight: SCORECARD_WEIGHTS[key] };
}

const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** One agency's scorecard (without its rank): components, renormalised weights, contributions, composite. */
export function scoreAgency(input: ScorecardInput): Omit<Scorecard, 'rank'> {
  const raw = [
    component('dossierOnTime', input.dossiers.onTime, input.dossiers.processed),
    component('caseOnTime', input.cases.processedOnTime, input.cases.processed),
    component('directivesOnTime', input.directives.doneOnTime, input.directives.judged),
    component('dataPunctuality', input.data.expected - input.data.late, input.data.expected),
  ];
  const present = raw.reduce((sum, c) => sum + (c.value === null ? 0 : c.weight), 0);
  const components: ScorecardComponent[] = raw.map((c) => {
    const effectiveWeight = c.value === null || present === 0 ? 0 : c.weight / present;
    return { ...c, effectiveWeight, contribution: c.value === null ? null : round(c.value * effectiveWeight * 100, 4) };
  });
  const composite = present === 0 ? null : round(components.reduce((sum, c) => sum + (c.contribution ?? 0), 0), 2);
  return {
    organisation: input.organisation,
    composite,
    casesReceived: input.cases.received,
    casesHandled: input.cases.processed,
    lateData: input.data.late,
    ...(input.dossiers.from ? { dossiersFrom: input.dossiers.from } : {}),
    components,
  };
}

/** Scores and ranks agencies: best composite first (ties share a rank, then by name); those without a composite last. */
export function rankScorecards(inputs: readonly ScorecardInput[]): Scorecard[] {
  const scored = inputs.map(scoreAgency).sort((a, b) => {
    if (a.composite === null || b.composite === null) return a.composite === b.composite ? a.organisation.name.localeCompare(b.organisation.name, 'vi') : a.composite === null ? 1 : -1;
    return b.composite - a.composite || a.organisation.name.localeCompare(b.organisation.name, 'vi');
  });
  let rank = 0;
  let previous: number | null = null;
  return scored.map((s, i) => {
    if (s.composite === null) return { ...s, rank: null };
    if (s.composite !== previous) rank = i + 1;
    previous = s.composite;
    return { ...s, rank };
  });
}
