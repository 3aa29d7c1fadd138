import { z } from 'zod';
import { fileAnswer, multipart, route } from '../contract';
import {
  parDeadlinesSchema,
  parFrameworkSchema,
  parAssessmentSchema,
  parCycleDetailSchema,
  parCycleSchema,
  parFrameworkAnswerSchema,
  parFrameworkSummarySchema,
  parLateSchema,
  parLeafAssessmentSchema,
  parResultsSchema,
  parUnitKindSchema,
} from '../par';

/**
 * The HTTP contract of the PAR Index drive: frameworks as data, the yearly
 * assessment cycle (self-assessment, appraisal, answer, the council's
 * decision, publication), evidence files, and the results. See
 * ../contract.ts; who may call each route is in the server's access table.
 */

const TAGS = ['par'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const frameworkCode = z.object({ code: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/) });
const cycleId = z.object({ id: z.coerce.number().int().positive() });
const unitParams = cycleId.extend({ unit: z.string().min(1).max(64).describe('The unit’s organisation code') });
const leafParams = unitParams.extend({ criterion: z.string().min(1).max(64).describe('The code of a criterion scored itself or of a sub-criterion') });
const points = z.number().finite().min(0).max(1000);

// Frameworks.

export const frameworks = route({
  method: 'GET',
  path: '/api/par/frameworks',
  tags: TAGS,
  summary: 'The PAR Index frameworks, newest year first',
  response: z.object({ frameworks: z.array(parFrameworkSummarySchema) }),
});

export const framework = route({
  method: 'GET',
  path: '/api/par/frameworks/:code',
  tags: TAGS,
  summary: 'One framework: its tree of fields, criteria and sub-criteria, each with its maximum and method',
  params: frameworkCode,
  response: parFrameworkAnswerSchema,
  errors: [400, 404],
});

/** 201 when new, 200 when it replaced a framework no cycle uses. */
export const saveFramework = route({
  method: 'PUT',
  path: '/api/par/frameworks/:code',
  tags: TAGS,
  summary: 'Create or replace a framework from its JSON document (the import of a framework file)',
  description:
    'The code in the body must be the one in the path. A framework a cycle was opened on is not replaced (409 `par_framework_in_use`): copy it to a new code instead. ' +
    'A document that is not a usable tree answers 400 `invalid_par_framework` with each problem in `details`.',
  params: frameworkCode,
  body: parFrameworkSchema,
  statuses: [200, 201],
  response: parFrameworkAnswerSchema,
  errors: [400, 409, 413, 415],
});

export const importFrameworkXlsx = route({
  method: 'POST',
  path: '/api/par/frameworks/import.xlsx',
  tags: TAGS,
  summary: 'Create or replace a framework from its XLSX file (the layout `export.xlsx` writes)',
  body: multipart('file'),
  statuses: [200, 201],
  response: parFrameworkAnswerSchema,
  errors: [400, 409, 413, 415],
});

export const exportFramework = route({
  method: 'GET',
  path: '/api/par/frameworks/:code/export.json',
  tags: TAGS,
  summary: 'A framework as a JSON file, to import elsewhere or to keep',
  params: frameworkCode,
  response: fileAnswer('application/json; charset=utf-8'),
  errors: [400, 404],
});

export const exportFrameworkXlsx = route({
  method: 'GET',
  path: '/api/par/frameworks/:code/export.xlsx',
  tags: TAGS,
  summary: 'A framework as an XLSX workbook: one row per field, criterion and sub-criterion',
  params: frameworkCode,
  response: fileAnswer(XLSX),
  errors: [400, 404],
});

export const copyFramework = route({
  method: 'POST',
  path: '/api/par/frameworks/:code/copy',
  tags: TAGS,
  summary: 'Copy a framework to the next year: the same tree under a new code, without a decision until one is given',
  params: frameworkCode,
  body: z.object({ code: frameworkCode.shape.code, year: z.number().int().min(2000).max(2100) }),
  statuses: [201],
  response: parFrameworkAnswerSchema,
  errors: [400, 404, 409],
});

// Cycles.

export const cycles = route({
  method: 'GET',
  path: '/api/par/cycles',
  tags: TAGS,
  summary: 'The assessment cycles, newest year first',
  description: 'Without signing in, the published ones only.',
  response: z.object({ cycles: z.array(parCycleSchema) }),
});

export const openCycle = route({
  method: 'POST',
  path: '/api/par/cycles',
  tags: TAGS,
  summary: 'Open the year’s cycle on a framework, with its deadlines',
  description:
    'Every department and commune of the province served that the framework scores gets an assessment in `draft` (or only the units listed). ' +
    'Computed and survey criteria are scored from the figures held at once, and again on `refresh`. One cycle per framework (409 `par_cycle_exists`).',
  body: z.object({
    frameworkCode: frameworkCode.shape.code,
    deadlines: parDeadlinesSchema,
    units: z.array(z.string().min(1).max(64)).min(1).max(5000).optional().describe('Organisation codes; default every unit the framework scores'),
  }),
  statuses: [201],
  response: parCycleDetailSchema,
  errors: [400, 404, 409],
});

export const cycle = route({
  method: 'GET',
  path: '/api/par/cycles/:id',
  tags: TAGS,
  summary: 'One cycle: its deadlines and each unit’s step',
  description: 'A unit’s officer sees the units of their scope; appraisers and leaders every unit.',
  params: cycleId,
  response: parCycleDetailSchema,
  errors: [400, 404],
});

export const refreshComputed = route({
  method: 'POST',
  path: '/api/par/cycles/:id/refresh',
  tags: TAGS,
  summary: 'Score the computed and survey criteria again from the figures held now',
  description: 'Assessments the council has decided keep their points.',
  params: cycleId,
  response: parCycleDetailSchema,
  errors: [400, 404, 409],
});

export const publish = route({
  method: 'POST',
  path: '/api/par/cycles/:id/publish',
  tags: TAGS,
  summary: 'Publish the results to the public, once the council has decided every unit',
  description: '409 `par_cycle_not_decided` naming the units still open in `details`.',
  params: cycleId,
  response: parCycleSchema,
  errors: [400, 404, 409],
});

export const late = route({
  method: 'GET',
  path: '/api/par/cycles/:id/late',
  tags: TAGS,
  summary: 'The steps past due: self-assessments not submitted by their deadline (or submitted late), appraisals not sent back',
  params: cycleId,
  response: z.object({ late: z.array(parLateSchema) }),
  errors: [400, 404],
});

// One unit's assessment.

export const assessment = route({
  method: 'GET',
  path: '/api/par/cycles/:id/units/:unit',
  tags: TAGS,
  summary: 'One unit’s assessment, criterion by criterion: points at each step, explanations, reasons, evidence and the figures behind computed points',
  params: unitParams,
  response: parAssessmentSchema,
  errors: [400, 404],
});

export const assess = route({
  method: 'PUT',
  path: '/api/par/cycles/:id/units/:unit/criteria/:criterion/self',
  tags: TAGS,
  summary: 'The unit’s self-assessment of one criterion: points and explanation, or, for computed and survey points, a dispute with its reason',
  description:
    'Only while the assessment is a draft. Points of a computed or survey criterion cannot be typed (400 `par_points_not_assessed`): send `dispute` instead. ' +
    'Points above the maximum answer 400 `par_points_out_of_range`.',
  params: leafParams,
  body: z.object({
    points: points.nullable().optional().describe('self and deduction criteria'),
    note: z.string().trim().max(4000).nullable().optional(),
    dispute: z.string().trim().max(4000).nullable().optional().describe('computed and survey criteria: why the unit disputes the points'),
  }),
  response: parLeafAssessmentSchema,
  errors: [400, 403, 404, 409],
});

export const appraise = route({
  method: 'PUT',
  path: '/api/par/cycles/:id/units/:unit/criteria/:criterion/appraisal',
  tags: TAGS,
  summary: 'The appraisers’ adjusted points of one criterion, with their reason (required when they differ from the points as they stand)',
  params: leafParams,
  body: z.object({ points: points.nullable().describe('null takes the adjustment back'), reason: z.string().trim().max(4000).nullable().optional() }),
  response: parLeafAssessmentSchema,
  errors: [400, 403, 404, 409],
});

export const answer = route({
  method: 'PUT',
  path: '/api/par/cycles/:id/units/:unit/criteria/:criterion/answer',
  tags: TAGS,
  summary: 'The unit’s answer to the appraisal of one criterion, within its window',
  params: leafParams,
  body: z.object({ response: z.string().trim().max(4000).nullable() }),
  response: parLeafAssessmentSchema,
  errors: [400, 403, 404, 409],
});

export const decide = route({
  method: 'PUT',
  path: '/api/par/cycles/:id/units/:unit/criteria/:criterion/decision',
  tags: TAGS,
  summary: 'The council’s final points of one criterion, with their reason',
  params: leafParams,
  body: z.object({ points: points.nullable(), reason: z.string().trim().max(4000).nullable().optional() }),
  response: parLeafAssessmentSchema,
  errors: [400, 403, 404, 409],
});

const STEP = (summary: string) =>
  ({ method: 'POST', tags: TAGS, summary, params: unitParams, body: z.object({ note: z.string().trim().max(4000).nullable().optional() }).optional(), response: parAssessmentSchema, errors: [400, 403, 404, 409] }) as const;

export const submit = route({
  ...STEP('Submit the unit’s self-assessment to the appraisers (every applicable self-assessed criterion scored, evidence attached where required)'),
  path: '/api/par/cycles/:id/units/:unit/submit',
});
export const returnAppraisal = route({ ...STEP('Send the appraisal back to the unit, opening its window to answer'), path: '/api/par/cycles/:id/units/:unit/return' });
export const finishAnswer = route({ ...STEP('Send the unit’s answer (once)'), path: '/api/par/cycles/:id/units/:unit/answer' });
export const finalise = route({ ...STEP('Record the council’s decision: the unit’s points are final'), path: '/api/par/cycles/:id/units/:unit/decide' });

// Evidence.

export const uploadEvidence = route({
  method: 'POST',
  path: '/api/par/cycles/:id/units/:unit/criteria/:criterion/evidence',
  tags: TAGS,
  summary: 'Attach an evidence file (PDF, PNG or JPEG, by its content) to one criterion of a draft self-assessment',
  description: 'Stored with its SHA-256 and size. Another type answers 415 `evidence_type_not_allowed`; a file over the limit 413 `file_too_large`.',
  params: leafParams,
  body: multipart('file'),
  statuses: [201],
  response: parLeafAssessmentSchema,
  errors: [400, 403, 404, 409, 413, 415],
});

export const evidence = route({
  method: 'GET',
  path: '/api/par/evidence/:evidenceId',
  tags: TAGS,
  summary: 'An evidence file, as it was uploaded',
  params: z.object({ evidenceId: z.coerce.number().int().positive() }),
  response: fileAnswer('application/octet-stream'),
  errors: [400, 404],
});

export const removeEvidence = route({
  method: 'DELETE',
  path: '/api/par/evidence/:evidenceId',
  tags: TAGS,
  summary: 'Remove an evidence file from a draft self-assessment',
  params: z.object({ evidenceId: z.coerce.number().int().positive() }),
  statuses: [204],
  response: z.null().describe('Removed'),
  errors: [400, 403, 404, 409],
});

// Results.

export const results = route({
  method: 'GET',
  path: '/api/par/cycles/:id/results',
  tags: TAGS,
  summary: 'The results: each unit’s total, index, band and rank within its kind, its change since last year, its points per field and where it lost most',
  description: 'Without signing in, a published cycle only (another answers 404 `unknown_par_cycle`). Units the council has not decided are marked provisional.',
  params: cycleId,
  query: z.object({ kind: parUnitKindSchema.optional() }),
  response: parResultsSchema,
  errors: [400, 404],
});

export const resultsXlsx = route({
  method: 'GET',
  path: '/api/par/cycles/:id/results.xlsx',
  tags: TAGS,
  summary: 'The official result tables as XLSX: the ranking of each kind of unit with points per field, and each unit’s points per criterion',
  params: cycleId,
  response: fileAnswer(XLSX),
  errors: [400, 404],
});
