import { z } from 'zod';
import { AppError } from '../errors';
import { placeLevelSchema } from '../places';
import { checkDefinitions, parseFormula, referencedCodes, type DefinitionProblem } from './formula';
import { frequencySchema, parsePeriod } from './periods';
import { indicatorCodeSchema, localisedSchema } from './shared';

/**
 * Indicator definitions (chỉ tiêu): what a figure measures, how it adds up
 * over places and over time, which way is good, when it is due and who owes
 * it. A base indicator is reported; a derived one is a formula over others;
 * a composite one is a weighted index of normalised components (PCI, PAR Index).
 */
export const INDICATOR_DOMAINS = [
  'economy',
  'budget',
  'investment',
  'trade',
  'enterprise',
  'public_services',
  'citizen_reports',
  'environment',
  'health',
  'education',
  'transport',
  'security',
  'tourism',
  'digital_transformation',
  'labour',
  'agriculture',
  'directives',
  'other',
] as const;
export const indicatorDomainSchema = z.enum(INDICATOR_DOMAINS);
export type IndicatorDomain = z.infer<typeof indicatorDomainSchema>;

/** How values combine. `ratio` recomputes sum(numerator) / sum(denominator): rates are never added or averaged. */
export const AGGREGATIONS = ['sum', 'mean', 'weighted_mean', 'last', 'min', 'max', 'ratio'] as const;
export const aggregationSchema = z.enum(AGGREGATIONS);
export type Aggregation = z.infer<typeof aggregationSchema>;

export const DIRECTIONS = ['higher_is_better', 'lower_is_better', 'band'] as const;
export const directionSchema = z.enum(DIRECTIONS);
export type Direction = z.infer<typeof directionSchema>;

export const INDICATOR_KINDS = ['base', 'derived', 'composite'] as const;

/**
 * How a period that has no plan of its own is judged against the year's
 * plan: by the share of the year gone by (`pro_rata`: 11 months → 11/12), or
 * by the share of last year's total reached by the same point (`seasonal`).
 */
export const PLAN_PROGRESS = ['pro_rata', 'seasonal'] as const;
export const planProgressSchema = z.enum(PLAN_PROGRESS);
export type PlanProgress = z.infer<typeof planProgressSchema>;

/**
 * How a figure regroups across a merger, onto a unit that did not exist for
 * the whole period (today's Vĩnh Long in 2016, from Bến Tre, Trà Vinh and
 * the old Vĩnh Long):
 * - `sum`: the units' facts count as the new unit's own. Quantities add up,
 *   a rate is recomputed from its added-up parts, a mean over readings (a
 *   sensor network) takes every reading, and a derived or composite figure
 *   computed here is computed from its regrouped parts (a service index
 *   scored from rates of counts).
 * - `weighted_mean`: the units' own figures, weighted by each unit's value
 *   of the `weight` indicator (population, GRDP). An estimate, flagged so.
 * - `none`: not defined for a unit that did not exist then; the units' own
 *   values are shown beside it, and it is never ranked. Index scores (PCI,
 *   PAPI, PAR Index, SIPAS, satisfaction scores) are of this kind: the
 *   mean of three provinces' scores is not a fourth province's score.
 */
export const regroupSchema = z.discriminatedUnion('by', [
  z.object({ by: z.literal('sum') }).strict(),
  z.object({ by: z.literal('weighted_mean'), weight: indicatorCodeSchema.describe('The indicator giving each unit its weight, e.g. POP') }).strict(),
  z.object({ by: z.literal('none') }).strict(),
]);
export type Regroup = z.infer<typeof regroupSchema>;

/** A period key a series can start at: "2021-11", "2021-Q4", "2022", "2021-11-01". */
const seriesStartSchema = z.string().refine(
  (key) => {
    try {
      return ['day', 'month', 'quarter', 'year'].includes(parsePeriod(key).kind);
    } catch {
      return false;
    }
  },
  { message: 'must be a period key: a day (2021-11-01), month (2021-11), quarter (2021-Q4) or year (2022)' },
);
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

export const levelThresholdsSchema = z
  .object({
    green: z.number().describe('Green from this value on (higher_is_better: ≥; lower_is_better: ≤)'),
    amber: z.number().describe('Amber from this value on; beyond it, red'),
  })
  .strict();
export type LevelThresholds = z.infer<typeof levelThresholdsSchema>;

export const bandThresholdsSchema = z
  .object({
    low: z.number().describe('Green from low to high, both inclusive'),
    high: z.number(),
    amberMargin: z.number().min(0).describe('Amber within this distance outside the band; beyond it, red'),
  })
  .strict();
export type BandThresholds = z.infer<typeof bandThresholdsSchema>;

export const thresholdsSchema = z.union([levelThresholdsSchema, bandThresholdsSchema]);
export type Thresholds = z.infer<typeof thresholdsSchema>;

/** When a figure is owed: days after its period ends (monthly, 5 → by the 5th of the next month), or for a stream the longest silence tolerated. */
export const deliverySchema = z.union([
  z.object({ afterPeriodEndDays: z.number().int().min(0).max(366) }).strict(),
  z.object({ maxAgeMinutes: z.number().int().positive() }).strict(),
]);
export type Delivery = z.infer<typeof deliverySchema>;

/** Min-max normalisation of a component: `min` scores 0 and `max` scores full; `invert` when lower is better. */
export const minMaxSchema = z
  .object({ min: z.number(), max: z.number(), invert: z.boolean().optional() })
  .strict()
  .refine((n) => n.max > n.min, { message: 'max must be greater than min', params: { reason: 'normalise_out_of_order' } });
export const normaliseSchema = z.union([z.literal('none'), minMaxSchema]);
export type Normalise = z.infer<typeof normaliseSchema>;

export const compositeComponentSchema = z.object({
  code: indicatorCodeSchema,
  weight: z.number().positive().describe('Relative weight; weights need not sum to 1 (PCI uses percentages)'),
  normalise: normaliseSchema,
});
export type CompositeComponent = z.infer<typeof compositeComponentSchema>;

export const ratioSchema = z.object({
  numerator: indicatorCodeSchema,
  denominator: indicatorCodeSchema,
  multiplier: z.number().positive().default(1).describe('100 for a percentage'),
});
export type RatioSpec = z.infer<typeof ratioSchema>;

const commonShape = {
  code: indicatorCodeSchema,
  names: localisedSchema,
  unit: z.string().max(32).describe('Unit as shown, e.g. "%", "tỷ đồng", "µg/m³"; empty for a pure number'),
  domain: indicatorDomainSchema,
  frequency: frequencySchema,
  aggregation: z.object({ places: aggregationSchema, time: aggregationSchema }),
  ratio: ratioSchema.nullable().default(null).describe('Numerator and denominator of a rate; required with ratio aggregation'),
  weightCode: indicatorCodeSchema.nullable().default(null).describe('Indicator giving the weights of a weighted_mean'),
  direction: directionSchema,
  thresholds: thresholdsSchema.nullable().default(null),
  validRange: z
    .object({ min: z.number().nullable().default(null), max: z.number().nullable().default(null) })
    .nullable()
    .default(null),
  ownerOrganisationCode: z.string().min(1).nullable().default(null).describe('The agency that owes the figure'),
  delivery: deliverySchema.nullable().default(null),
  published: z.boolean().default(false).describe('Shown to the public without signing in: in the catalogue, the overview, series, breakdowns and rankings'),
  collectedAt: z
    .array(placeLevelSchema)
    .min(1)
    .nullable()
    .default(null)
    .describe(
      'The place levels the figure is collected at, e.g. ["province"] (province only) or ["commune"] (per commune, added up above). It applies there and at every level above, never below. null: every level; a derived or composite indicator then applies where all its parts do',
    ),
  since: seriesStartSchema
    .nullable()
    .default(null)
    .describe('The first period the series exists for (e.g. "2021-11"): an earlier period is "not collected yet", never late. null: no stated start; a derived or composite indicator then starts with its latest part'),
  coverageRequired: z
    .number()
    .min(0)
    .max(100)
    .nullable()
    .default(null)
    .describe(
      'The percent of the units below a place that must report for its figure built from them to count as complete (e.g. 95 for a rate that tolerates a few missing communes; 0 for a station network, which is not judged by the units it stands in). Below it the figure is shown as incomplete, never compared, coloured or ranked. null: 100, every unit',
    ),
  regroup: regroupSchema
    .nullable()
    .default(null)
    .describe(
      'How the figure regroups across a merger: {"by":"sum"}, {"by":"weighted_mean","weight":"POP"} or {"by":"none"}. null: by its aggregation: a score (composite, or a mean over places) none; a weighted mean by its weightCode; anything else sum',
    ),
  planProgress: planProgressSchema
    .nullable()
    .default(null)
    .describe(
      'For a figure that accumulates over the year: how a period with no plan of its own is judged against the year plan, its year-to-date against the progress expected by then (pro_rata: the share of the year gone by; seasonal: the share last year had reached). null: not judged against the year plan',
    ),
};

const definitionUnion = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('base'), ...commonShape }),
  z.object({ kind: z.literal('derived'), ...commonShape, formula: z.string().min(1) }),
  z.object({
    kind: z.literal('composite'),
    ...commonShape,
    components: z.array(compositeComponentSchema).min(1),
    scale: z.union([z.literal(1), z.literal(10), z.literal(100)]).default(100).describe('Normalised components run 0..scale'),
    missingComponents: z
      .enum(['null', 'reweight'])
      .default('null')
      .describe('null: no score unless every component has a value; reweight: score over the components present'),
  }),
]);

type Draft = z.infer<typeof definitionUnion>;

/** Reasons a single definition is refused (carried as `params.reason` of its zod issue). */
export type DefinitionRuleReason =
  | 'thresholds_do_not_match_direction'
  | 'thresholds_out_of_order'
  | 'normalise_out_of_order'
  | 'ratio_spec_missing'
  | 'ratio_spec_unused'
  | 'ratio_on_one_axis_only'
  | 'ratio_summed'
  | 'weight_code_missing'
  | 'valid_range_out_of_order'
  | 'delivery_does_not_match_frequency'
  | 'invalid_formula'
  | 'duplicate_component'
  | 'plan_progress_on_band'
  | 'regroup_weight_is_itself';

type Rule = (d: Draft) => { reason: DefinitionRuleReason; path: string; message: string } | null;

const usesAggregation = (d: Draft, a: Aggregation): boolean => d.aggregation.places === a || d.aggregation.time === a;

const RULES: Rule[] = [
  (d) =>
    d.thresholds !== null && (d.direction === 'band') !== 'low' in d.thresholds
      ? { reason: 'thresholds_do_not_match_direction', path: 'thresholds', message: 'a band takes {low, high, amberMargin}; other directions take {green, amber}' }
      : null,
  (d) => {
    const t = d.thresholds;
    if (t === null || (d.direction === 'band') !== 'low' in t) return null;
    const ordered = 'low' in t ? t.low <= t.high : d.direction === 'lower_is_better' ? t.green <= t.amber : t.green >= t.amber;
    return ordered ? null : { reason: 'thresholds_out_of_order', path: 'thresholds', message: 'the green threshold must be better than the amber one (and low ≤ high)' };
  },
  (d) => (usesAggregation(d, 'ratio') && d.ratio === null ? { reason: 'ratio_spec_missing', path: 'ratio', message: 'ratio aggregation needs the numerator and denominator indicators' } : null),
  (d) => (!usesAggregation(d, 'ratio') && d.ratio !== null ? { reason: 'ratio_spec_unused', path: 'ratio', message: 'numerator and denominator are given but the aggregation is not ratio' } : null),
  (d) =>
    usesAggregation(d, 'ratio') && d.aggregation.places !== d.aggregation.time
      ? { reason: 'ratio_on_one_axis_only', path: 'aggregation', message: 'a rate is recomputed from its parts over places and over time alike: use ratio for both' }
      : null,
  (d) =>
    usesAggregation(d, 'sum') && ['%', '‰'].includes(d.unit.trim())
      ? { reason: 'ratio_summed', path: 'aggregation', message: 'a percentage is never summed: use ratio (with numerator and denominator) or another aggregation' }
      : null,
  (d) => (usesAggregation(d, 'weighted_mean') && d.weightCode === null ? { reason: 'weight_code_missing', path: 'weightCode', message: 'weighted_mean needs the indicator giving the weights' } : null),
  (d) =>
    d.validRange?.min != null && d.validRange.max != null && d.validRange.min > d.validRange.max
      ? { reason: 'valid_range_out_of_order', path: 'validRange', message: 'validRange.min must not exceed validRange.max' }
      : null,
  (d) =>
    d.delivery !== null && (d.frequency === 'instant') !== 'maxAgeMinutes' in d.delivery
      ? { reason: 'delivery_does_not_match_frequency', path: 'delivery', message: 'a stream (instant) is due by maxAgeMinutes; a periodic figure by afterPeriodEndDays' }
      : null,
  (d) => {
    if (d.kind !== 'derived') return null;
    try {
      parseFormula(d.formula);
      return null;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      return { reason: 'invalid_formula', path: 'formula', message: e.message };
    }
  },
  (d) =>
    d.planProgress !== null && d.direction === 'band'
      ? { reason: 'plan_progress_on_band', path: 'planProgress', message: 'a figure kept within a band is judged by its band, not by its pace against a year plan' }
      : null,
  (d) =>
    d.regroup?.by === 'weighted_mean' && d.regroup.weight === d.code
      ? { reason: 'regroup_weight_is_itself', path: 'regroup', message: 'a figure cannot be weighted by itself: name the indicator giving the weights (population, GRDP)' }
      : null,
  (d) =>
    d.kind === 'composite' && new Set(d.components.map((c) => c.code)).size !== d.components.length
      ? { reason: 'duplicate_component', path: 'components', message: 'each component may appear once' }
      : null,
];

export const indicatorDefinitionSchema = definitionUnion.superRefine((d, ctx) => {
  for (const rule of RULES) {
    const broken = rule(d);
    if (broken) ctx.addIssue({ code: 'custom', message: broken.message, path: [broken.path], params: { reason: broken.reason } });
  }
});
export type IndicatorDefinition = z.infer<typeof indicatorDefinitionSchema>;
/** A definition as written in a catalogue file, with the optional fields left out. */
export type IndicatorDefinitionInput = z.input<typeof indicatorDefinitionSchema>;
export type CompositeDefinition = Extract<IndicatorDefinition, { kind: 'composite' }>;

/** Every other indicator a definition needs, besides its formula: rate parts, weights, components. */
export function usedCodes(def: IndicatorDefinition): string[] {
  const codes = [def.ratio?.numerator, def.ratio?.denominator, def.weightCode ?? undefined, def.regroup?.by === 'weighted_mean' ? def.regroup.weight : undefined];
  if (def.kind === 'composite') codes.push(...def.components.map((c) => c.code));
  return [...new Set(codes.filter((c): c is string => c !== undefined))];
}

/** An indicator and every indicator its figure is computed from, transitively (formula, rate parts, weights, components). */
export function dependencyClosure(catalogue: ReadonlyMap<string, IndicatorDefinition>, code: string): string[] {
  const seen = new Set<string>();
  const visit = (c: string) => {
    if (seen.has(c)) return;
    seen.add(c);
    const def = catalogue.get(c);
    if (!def) return;
    const refs = def.kind === 'derived' ? referencedCodes(parseFormula(def.formula)) : [];
    for (const d of [...usedCodes(def), ...refs]) visit(d);
  };
  visit(code);
  return [...seen];
}

/**
 * Checks a whole catalogue before it is stored: duplicate codes, references
 * to unknown indicators (in formulas, rate parts, weights, components) and
 * definitions that depend on themselves, directly or through others.
 */
export function checkCatalogue(defs: readonly IndicatorDefinition[]): DefinitionProblem[] {
  return checkDefinitions(defs.map((d) => ({ code: d.code, formula: d.kind === 'derived' ? d.formula : null, uses: usedCodes(d) })));
}

export type ValueProblem = 'not_a_number' | 'below_valid_range' | 'above_valid_range';

/** Why a reported value cannot be accepted for this indicator, or null when it can. */
export function valueProblem(def: Pick<IndicatorDefinition, 'validRange'>, value: unknown): ValueProblem | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'not_a_number';
  if (def.validRange?.min != null && value < def.validRange.min) return 'below_valid_range';
  if (def.validRange?.max != null && value > def.validRange.max) return 'above_valid_range';
  return null;
}

/**
 * How an indicator regroups across a merger (see regroupSchema): as its
 * catalogue says, else by its aggregation. A composite's published score
 * and a mean over places are scores (none); a weighted mean regroups by its
 * own weights; sums, rates, extremes and latest values add up (sum).
 */
export function regroupRule(def: Pick<IndicatorDefinition, 'regroup' | 'kind' | 'aggregation' | 'weightCode'>): Regroup {
  if (def.regroup !== null) return def.regroup;
  if (def.aggregation.places === 'weighted_mean' && def.weightCode !== null) return { by: 'weighted_mean', weight: def.weightCode };
  if (def.kind === 'composite' || def.aggregation.places === 'mean') return { by: 'none' };
  return { by: 'sum' };
}
