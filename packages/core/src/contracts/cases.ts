import { z } from 'zod';
import { route } from '../contract';
import { exportQueryShape, withExportDescription } from '../exports';
import { CASE_LIMITS, caseCategoryCodeSchema, caseCategorySchema, caseDetailSchema, caseInputSchema, caseSchema } from '../cases/schemas';
import { caseStatusSchema } from '../cases/workflow';
import { isoDateSchema } from '../dates';

/**
 * The operator API of cases (tình huống): create, find, follow the
 * workflow, assign, comment, tick SOP steps. Text fields are stored as
 * written and answered in JSON only; clients show them as text.
 */

export const caseIdParams = z.object({ id: z.string().regex(/^PA\d{6,}$/, 'must be a case id such as PA000001') });
export const organisationCodeSchema = z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'must be an organisation code (letters, digits, dashes)');
/** Who acts, on a case or an alert, when an API token acting for no user changes it. */
export const actorSchema = z.string().trim().min(1).max(CASE_LIMITS.actor).optional().describe('Who acts, for an API token acting for no user; a signed-in user is always recorded by their login');
/** Why, sent with a change of a case or an alert. */
export const noteSchema = z.string().max(CASE_LIMITS.comment).optional().describe('Plain text, stored and answered as text');

/** The case counts of a period (see core `caseCounts`). */
export const caseCountsSchema = z.object({ received: z.number().int(), processed: z.number().int(), processedOnTime: z.number().int(), rated: z.number().int(), satisfied: z.number().int() });

export const categories = route({
  method: 'GET',
  path: '/api/case-categories',
  tags: ['cases'],
  summary: 'Case categories with their service level, routing and procedure',
  response: z.object({ categories: z.array(caseCategorySchema) }),
});

export const open = route({
  method: 'POST',
  path: '/api/cases',
  tags: ['cases'],
  summary: 'Open a case (operator)',
  description:
    'Locates the point to its commune and province valid today (refused with `outside_jurisdiction` outside the served province), routes the case by category and place ' +
    '(or to `organisation` when given), sets its deadline from the category\'s service level and starts its procedure. Status `new`. ' +
    'The case (its commune and agency) must be within the scope the caller may handle cases in: else 403 `forbidden`, nothing opened.',
  body: caseInputSchema,
  statuses: [201],
  response: caseDetailSchema,
  errors: [400, 403, 404, 413, 415],
});

export const list = route({
  method: 'GET',
  path: '/api/cases',
  tags: ['cases'],
  summary: 'Cases, newest first, filtered',
  description: withExportDescription('Only the cases within the caller\'s scope (their commune and agency); the filters narrow further, never widen.'),
  query: z.object({
    status: caseStatusSchema.optional(),
    category: caseCategoryCodeSchema.optional(),
    place: z.string().regex(/^\d{2,5}$/).optional().describe('A commune or province code'),
    organisation: organisationCodeSchema.optional(),
    overdue: z.enum(['overdue', 'due_soon']).optional().describe('`overdue`: unfinished past the deadline; `due_soon`: unfinished, due within 24 hours'),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
    ...exportQueryShape,
  }),
  response: z.object({ cases: z.array(caseSchema) }),
  errors: [400],
});

export const counts = route({
  method: 'GET',
  path: '/api/cases/counts',
  tags: ['cases'],
  summary: 'Case counts of a period: received, processed, processed on time, rated, satisfied',
  description:
    'The parts of the citizen-report indicators (CR_RECEIVED, CR_PROCESSED, CR_PROCESSED_ON_TIME, CR_RATED, CR_SATISFIED); rates are recomputed from them, never added up. Processed: last moved to resolved within the period and still resolved or closed. ' +
    'Of the cases within the caller\'s scope only.',
  query: z.object({
    from: isoDateSchema.describe('First day (Vietnam)'),
    to: isoDateSchema.describe('Last day (Vietnam), inclusive'),
    place: z.string().regex(/^\d{2,5}$/).optional().describe('A commune or province code'),
    organisation: organisationCodeSchema.optional(),
  }),
  response: caseCountsSchema,
  errors: [400],
});

export const detail = route({
  method: 'GET',
  path: '/api/cases/:id',
  tags: ['cases'],
  summary: 'One case with its timeline and procedure steps',
  description: 'A case outside the caller\'s scope answers 404 `unknown_case`, as an unknown id does.',
  params: caseIdParams,
  response: caseDetailSchema,
  errors: [400, 404],
});

export const changeStatus = route({
  method: 'POST',
  path: '/api/cases/:id/status',
  tags: ['cases'],
  summary: 'Move a case along its workflow',
  description:
    'new → received → assigned → in_progress → resolved → closed; new, received, assigned → rejected; resolved, closed, rejected → reopened → assigned or in_progress. Any other move: 409 `invalid_transition`. ' +
    'On every case action: a case the caller cannot read is 404 `unknown_case`; one they can read but not handle, 403 `forbidden`.',
  params: caseIdParams,
  body: z.object({ status: caseStatusSchema, actor: actorSchema, note: noteSchema }),
  response: caseDetailSchema,
  errors: [400, 403, 404, 409],
});

export const assign = route({
  method: 'POST',
  path: '/api/cases/:id/assign',
  tags: ['cases'],
  summary: 'Assign a case to an agency (moves it to `assigned` when the workflow allows)',
  description: 'The case as assigned must stay within the scope the caller may handle cases in: an agency outside it is 403 `forbidden`.',
  params: caseIdParams,
  body: z.object({ organisation: organisationCodeSchema, actor: actorSchema, note: noteSchema }),
  response: caseDetailSchema,
  errors: [400, 403, 404, 409],
});

export const comment = route({
  method: 'POST',
  path: '/api/cases/:id/comments',
  tags: ['cases'],
  summary: 'Add a comment to the timeline',
  params: caseIdParams,
  body: z.object({ text: z.string().trim().min(1).max(CASE_LIMITS.comment), actor: actorSchema }),
  response: caseDetailSchema,
  errors: [400, 403, 404],
});

export const rate = route({
  method: 'POST',
  path: '/api/cases/:id/satisfaction',
  tags: ['cases'],
  summary: "Record the reporter's satisfaction with a resolved or closed case",
  description: 'A rating from 1 to 5; a case not yet resolved or closed: 409 `case_not_finished`.',
  params: caseIdParams,
  body: z.object({ rating: z.number().int().min(1).max(5), actor: actorSchema, note: noteSchema }),
  response: caseDetailSchema,
  errors: [400, 403, 404, 409],
});

export const stepDone = route({
  method: 'POST',
  path: '/api/cases/:id/sop-steps/:step/done',
  tags: ['cases'],
  summary: 'Mark a procedure step done',
  params: caseIdParams.extend({ step: z.coerce.number().int().min(1) }),
  body: z.object({ actor: actorSchema, note: noteSchema }),
  response: caseDetailSchema,
  errors: [400, 403, 404, 409],
});
