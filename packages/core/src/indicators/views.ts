import { z } from 'zod';
import { isoDateSchema } from '../dates';
import { placeLevelSchema, placeSummarySchema } from '../places';
import { directionSchema, indicatorDomainSchema, INDICATOR_KINDS, planProgressSchema } from './indicator';
import { observationStatusSchema } from './observation';
import { frequencySchema } from './periods';
import { STALENESS_REASONS, STATUS_COLOURS, STATUS_REASONS } from './status';
import { figureFreshnessSchema } from '../freshness';
import { coverageSchema } from './coverage';
import { dossierCountsFromSchema } from '../operations';

/**
 * Response shapes of the analytics API (overview, series, breakdown,
 * rankings) and of a figure's revisions: one source for the server's
 * validation, its OpenAPI description, and the web app's types.
 */
const localised = z.object({ vi: z.string(), en: z.string() });

const componentSchema = z.object({
  code: z.string(),
  value: z.number().nullable(),
  normalised: z.number().nullable(),
  weight: z.number(),
  effectiveWeight: z.number(),
  contribution: z.number().nullable(),
});

const regroupingSchema = z.object({
  by: z.enum(['weighted_mean', 'none']),
  weight: z.string().nullable().describe('The indicator whose values weighted the units'),
  units: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      level: placeLevelSchema,
      validFrom: isoDateSchema.nullable().describe('Null: valid since before our records'),
      validTo: isoDateSchema.nullable().describe('Null: still valid'),
      value: z.number().nullable().describe('The unit’s own figure over the period (its part of it)'),
      weight: z.number().nullable(),
    }),
  ),
});

export const figureViewSchema = z.object({
  value: z.number().nullable().describe('Null when there is no data: never a zero'),
  estimated: z.boolean().describe('Some contribution was estimated, or came through a partial merge of units'),
  provisional: z.boolean().describe('Some contribution is provisional (sơ bộ), not yet final: the figure may change when it is made final'),
  facts: z.number().describe('How many reported facts the figure was made from'),
  updatedAt: z.string().nullable().describe('When the freshest of those facts was recorded'),
  components: z.array(componentSchema).nullable().describe('For a composite index scored here: what each component adds'),
  freshness: figureFreshnessSchema,
  coverage: coverageSchema.nullable().describe('How many of the units below the place reported, of those that should have; null when not known (a breakdown by organisation)'),
  complete: z
    .boolean()
    .describe('It has a value and covers enough units to count: an incomplete figure is shown with its coverage, never compared with plan or last year, coloured by status or ranked'),
  regrouping: regroupingSchema
    .nullable()
    .describe(
      'How a figure that does not add up across units was made from the units of the time (a unit that did not exist for the whole period) or below: a weighted mean of their own figures (an estimate after a merger), or not at all (`none`: not defined for this unit in this period, the units’ own values beside it, never ranked). Null for a figure read as stored',
    ),
});
export type FigureView = z.infer<typeof figureViewSchema>;

const periodViewSchema = z.object({ key: z.string(), labels: localised, start: isoDateSchema, end: isoDateSchema });

export const overviewItemSchema = figureViewSchema.extend({
  code: z.string(),
  names: localised,
  unit: z.string(),
  domain: indicatorDomainSchema,
  kind: z.enum(INDICATOR_KINDS),
  frequency: frequencySchema,
  direction: directionSchema,
  applicable: z.boolean().describe('False when the indicator is reported per a longer period than the one viewed, or is not collected at the level of the place viewed'),
  regrouped: z.boolean().describe('The figure was regrouped from the units of the time onto the unit viewed'),
  status: z.object({
    colour: z.enum(STATUS_COLOURS),
    reason: z
      .enum([...STATUS_REASONS, 'not_applicable', 'not_collected_at_level'])
      .describe('Why this colour; not_applicable: the indicator is reported per a longer period than the one viewed; not_collected_at_level: it is collected only at levels above the place viewed; not_collected_yet: the period is before its series starts'),
    text: localised,
    stale: z.boolean(),
    staleness: z.object({ reason: z.enum(STALENESS_REASONS), dueDate: z.string().nullable(), staleSince: z.string().nullable(), text: localised }).nullable(),
  }),
  target: z.number().nullable(),
  percentOfPlan: z.number().nullable(),
  ytd: z
    .object({
      period: z.string(),
      value: z.number().nullable(),
      provisional: figureViewSchema.shape.provisional,
      coverage: figureViewSchema.shape.coverage,
      complete: figureViewSchema.shape.complete.describe(
        'The year to date has a value and covers enough units to count (as complete as the least complete period it is made of): an incomplete one is shown with its coverage and never set against the year plan',
      ),
      target: z.number().nullable(),
      percentOfYearPlan: z.number().nullable().describe('Null when there is no year plan, or the year to date is incomplete'),
      expected: z
        .object({ basis: planProgressSchema, months: z.number(), percent: z.number().describe('Percent of the year plan expected by the end of the period') })
        .nullable()
        .describe('The progress expected of the year plan by now, when the period has no plan of its own and the figure is judged by its year-to-date'),
    })
    .nullable(),
  samePeriodLastYear: z.object({ period: z.string(), value: z.number().nullable(), growth: z.number().nullable().describe('Percent') }).nullable(),
  trend: z.array(z.object({ period: z.string(), value: z.number().nullable() })),
  owner: z.object({ code: z.string(), name: z.string().nullable() }).nullable().describe('The agency that owes the figure'),
});
export type OverviewItem = z.infer<typeof overviewItemSchema>;

export const overviewResponseSchema = z.object({
  place: placeSummarySchema,
  at: isoDateSchema,
  period: periodViewSchema,
  regrouped: z.boolean().describe('The unit viewed did not exist for the whole period: figures come from the units of that time'),
  synthetic: z
    .object({ source: z.string(), text: localised })
    .nullable()
    .describe('Set when the demo data set is loaded: its figures are synthetic, generated for demonstration'),
  indicators: z.array(overviewItemSchema),
});
export type OverviewResponse = z.infer<typeof overviewResponseSchema>;

export const seriesResponseSchema = z.object({
  indicator: z.string(),
  place: placeSummarySchema,
  at: isoDateSchema,
  points: z.array(figureViewSchema.extend({ period: z.string(), regrouped: z.boolean(), target: z.number().nullable(), samePeriodLastYear: z.number().nullable() })),
});
export type SeriesResponse = z.infer<typeof seriesResponseSchema>;

export const breakdownResponseSchema = z.object({
  indicator: z.string(),
  place: placeSummarySchema,
  at: isoDateSchema,
  period: z.string(),
  by: z.enum(['place', 'organisation']),
  items: z.array(
    figureViewSchema.extend({
      key: z.string(),
      name: z.string(),
      regrouped: z.boolean(),
      dossiersFrom: dossierCountsFromSchema.optional().describe('By organisation, a Decision 766 dossier measure: whether the agency\'s figure is counted from its records, from totals it reported (naming their sources), or both'),
    }),
  ),
});
export type BreakdownResponse = z.infer<typeof breakdownResponseSchema>;

export const rankingResponseSchema = z.object({
  indicator: z.string(),
  at: isoDateSchema,
  period: z.string(),
  items: z.array(figureViewSchema.extend({ rank: z.number().nullable(), place: placeSummarySchema, regrouped: z.boolean() })),
});
export type RankingResponse = z.infer<typeof rankingResponseSchema>;

export const organisationRankingResponseSchema = z.object({
  indicator: z.string(),
  at: isoDateSchema,
  period: z.string(),
  place: placeSummarySchema,
  items: z.array(
    figureViewSchema.extend({
      rank: z.number().nullable(),
      key: z.string().describe('Organisation code'),
      name: z.string(),
      regrouped: z.boolean(),
      dossiersFrom: dossierCountsFromSchema.optional().describe('For a Decision 766 dossier measure: whether the agency\'s figure is counted from its records, from totals it reported (naming their sources), or both'),
    }),
  ),
});
export type OrganisationRankingResponse = z.infer<typeof organisationRankingResponseSchema>;

/** One revision of a stored figure: who sent which value when. */
export const revisionSchema = z.object({
  revision: z.number(),
  value: z.number(),
  status: observationStatusSchema,
  source: z.string(),
  runId: z.number().nullable(),
  enteredBy: z.string().nullable(),
  note: z.string().nullable(),
  recordedAt: z.string(),
});
export type Revision = z.infer<typeof revisionSchema>;

export const figureHistoryResponseSchema = z.object({
  indicator: z.string(),
  place: z.string(),
  period: z.string(),
  organisation: z.string().nullable(),
  revisions: z.array(revisionSchema),
});
export type FigureHistoryResponse = z.infer<typeof figureHistoryResponseSchema>;
