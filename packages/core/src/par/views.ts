import { z } from 'zod';
import { isoDateSchema } from '../dates';
import { parAssessmentStatusSchema, parDeadlinesSchema } from './cycle';
import { parBandSchema, parDecisionSchema, parFrameworkSchema, parMethodSchema, parUnitKindSchema } from './framework';
import { parFieldTotalSchema, parLostSchema } from './scoring';

/**
 * What the PAR Index API answers: frameworks, cycles, one unit's
 * assessment leaf by leaf, and the results. Shared by the server (it
 * validates its answers with these) and the web app.
 */

const timestamp = z.string().describe('ISO 8601 instant');
const who = z.string().nullable().describe('The login of who did it');

export const parFrameworkSummarySchema = z.object({
  code: z.string(),
  year: z.number().int(),
  name: z.string(),
  nameEn: z.string().nullable(),
  decision: parDecisionSchema.nullable(),
  example: z.boolean(),
  unitKinds: z.array(parUnitKindSchema),
  leaves: z.number().int().describe('How many criteria and sub-criteria are scored'),
  maxPoints: z.record(z.string(), z.number()).describe('The maximum per kind of unit'),
  cycles: z.number().int().describe('The cycles opened on it (a framework in use is not replaced)'),
  updatedAt: timestamp,
});
export type ParFrameworkSummary = z.infer<typeof parFrameworkSummarySchema>;

export const parFrameworkAnswerSchema = z.object({ framework: parFrameworkSchema, summary: parFrameworkSummarySchema });

/** A unit of a cycle: an organisation (a department, or a commune's People's Committee). */
export const parUnitRefSchema = z.object({
  code: z.string().describe('The organisation code'),
  name: z.string(),
  nameEn: z.string().nullable(),
  kind: parUnitKindSchema,
  placeCode: z.string().nullable().describe('The place it serves (a commune’s code for a commune), for the map'),
});
export type ParUnitRef = z.infer<typeof parUnitRefSchema>;

/** One step a unit's assessment went through. */
export const parStepSchema = z.object({
  status: parAssessmentStatusSchema,
  at: timestamp,
  by: who,
});

export const parUnitStatusSchema = parUnitRefSchema.extend({
  status: parAssessmentStatusSchema,
  submittedAt: timestamp.nullable(),
  returnedOn: isoDateSchema.nullable().describe('The day the appraisal went back to the unit'),
  responseDue: isoDateSchema.nullable(),
  daysLate: z.number().int().describe('Days its self-assessment was (or is) past due; 0 on time'),
});
export type ParUnitStatus = z.infer<typeof parUnitStatusSchema>;

export const parCycleSchema = z.object({
  id: z.number().int(),
  frameworkCode: z.string(),
  year: z.number().int(),
  name: z.string(),
  nameEn: z.string().nullable(),
  example: z.boolean().describe('Opened on an example framework (the demo)'),
  deadlines: parDeadlinesSchema,
  openedAt: timestamp,
  openedBy: who,
  publishedAt: timestamp.nullable().describe('When the results were published to the public; null until then'),
  publishedBy: who,
  counts: z.record(parAssessmentStatusSchema, z.number().int()).describe('Units per status (of those the caller sees)'),
});
export type ParCycle = z.infer<typeof parCycleSchema>;

export const parCycleDetailSchema = parCycleSchema.extend({
  units: z.array(parUnitStatusSchema).describe('The units the caller sees'),
});

/** An evidence file attached to a leaf. */
export const parEvidenceSchema = z.object({
  id: z.number().int(),
  fileName: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  uploadedAt: timestamp,
  uploadedBy: who,
});
export type ParEvidence = z.infer<typeof parEvidenceSchema>;

/** The figure a computed or survey leaf was scored from, with where it came from. */
export const parComputedBasisSchema = z.object({
  indicator: z.string(),
  indicatorName: z.string().nullable(),
  period: z.string().describe('The year, e.g. 2026'),
  value: z.number().nullable(),
  unit: z.string().nullable(),
  sources: z.array(z.string()).describe('The sources the figure was written by'),
  computedAt: timestamp,
  note: z.string().nullable().describe('Why there is no figure, when there is none'),
});
export type ParComputedBasis = z.infer<typeof parComputedBasisSchema>;

/** One leaf of a unit's assessment: its points at each step, with the words and files behind them. */
export const parLeafAssessmentSchema = z.object({
  code: z.string(),
  fieldCode: z.string(),
  criterionCode: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  method: parMethodSchema,
  maxPoints: z.number(),
  evidenceRequired: z.boolean(),
  guidance: z.string().nullable(),
  self: z.number().nullable(),
  note: z.string().nullable().describe('The unit’s explanation'),
  computed: z.number().nullable(),
  basis: parComputedBasisSchema.nullable(),
  dispute: z.string().nullable().describe('The unit’s reason for disputing computed points'),
  appraised: z.number().nullable(),
  appraisalReason: z.string().nullable(),
  response: z.string().nullable().describe('The unit’s answer to the appraisal'),
  final: z.number().nullable(),
  finalReason: z.string().nullable(),
  points: z.number().describe('The points as they stand'),
  evidence: z.array(parEvidenceSchema),
});
export type ParLeafAssessment = z.infer<typeof parLeafAssessmentSchema>;

export const parAssessmentSchema = z.object({
  cycleId: z.number().int(),
  frameworkCode: z.string(),
  year: z.number().int(),
  unit: parUnitStatusSchema,
  steps: z.array(parStepSchema),
  leaves: z.array(parLeafAssessmentSchema),
  total: z.number(),
  max: z.number(),
  index: z.number(),
  band: parBandSchema.nullable(),
  fields: z.array(parFieldTotalSchema),
  /** What the caller may do now (the web shows only these). */
  can: z.object({ assess: z.boolean(), submit: z.boolean(), adjust: z.boolean(), return: z.boolean(), answer: z.boolean(), decide: z.boolean() }),
});
export type ParAssessment = z.infer<typeof parAssessmentSchema>;

/** A unit's result in a cycle. */
export const parResultSchema = parUnitRefSchema.extend({
  status: parAssessmentStatusSchema,
  final: z.boolean().describe('The council decided it; otherwise the result is provisional'),
  total: z.number(),
  max: z.number(),
  index: z.number().describe('Points over the maximum, in percent'),
  band: parBandSchema.nullable(),
  rank: z.number().int().describe('Within its kind'),
  of: z.number().int(),
  previousIndex: z.number().nullable().describe('Its index the year before, in the cycle of that year, when it was scored then'),
  change: z.number().nullable(),
  fields: z.array(parFieldTotalSchema),
  lost: z.array(parLostSchema).describe('Where it lost most, most first'),
});
export type ParResult = z.infer<typeof parResultSchema>;

export const parResultsSchema = z.object({
  cycle: parCycleSchema,
  bands: z.array(parBandSchema),
  fields: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string().nullable() })),
  results: z.array(parResultSchema),
});
export type ParResults = z.infer<typeof parResultsSchema>;

/** A step past due: a unit's self-assessment not submitted, an appraisal not sent back. */
export const parLateSchema = parUnitRefSchema.extend({
  step: z.enum(['self_assessment', 'appraisal']),
  due: isoDateSchema,
  daysLate: z.number().int(),
  status: parAssessmentStatusSchema,
  doneAt: timestamp.nullable().describe('When it was done late; null while still undone'),
});
export type ParLate = z.infer<typeof parLateSchema>;
