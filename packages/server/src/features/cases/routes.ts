import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CASE_LIMITS, dataScope, isoDateSchema, caseCategoryCodeSchema, caseCategorySchema, caseDetailSchema, caseInputSchema, caseSchema, caseStatusSchema, type CaseDetail } from '@watchfloor/core';
import { errors } from '../../http/schemas';
import type { AppContext } from '../../context';
import { AuditLog, auditWho, scalars } from '../audit/service';
import { CasesService, type CaseActor } from './service';

const caseId = z.object({ id: z.string().regex(/^PA\d{6,}$/, 'must be a case id such as PA000001') });
const orgCode = z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'must be an organisation code (letters, digits, dashes)');
const actor = z.string().trim().min(1).max(CASE_LIMITS.actor).optional().describe('Who acts, for an API token acting for no user; a signed-in user is always recorded by their login');

/**
 * Who a request acts as on cases: what its identity may read and handle,
 * named by its login when it has one (a user, or a token made by a user),
 * else by the `actor` it gives.
 */
export function caseActor(req: FastifyRequest, named?: string): CaseActor {
  const identity = req.identity;
  const login = identity.kind === 'anonymous' ? null : identity.login;
  return { read: dataScope(identity), handle: dataScope(identity, 'cases.handle'), name: login || named };
}
const note = z.string().max(CASE_LIMITS.comment).optional().describe('Plain text, stored and answered as text');

/**
 * The operator API of cases (tình huống): create, find, follow the
 * workflow, assign, comment, tick SOP steps. Text fields are stored as
 * written and answered in JSON only; clients show them as text.
 */
export function casesRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new CasesService(ctx);
  const audit = new AuditLog(ctx);
  /**
   * A case change, recorded by its plain fields and a pointer into its
   * timeline (the timeline itself is the case's own record); a procedure
   * step's change also by that step, which is not a plain field.
   */
  const recorded = async (req: FastifyRequest, action: string, id: string, actor: string | undefined, change: () => Promise<CaseDetail>, step?: number): Promise<CaseDetail> => {
    const shown = (d: CaseDetail) => ({ ...scalars(d), ...(step === undefined ? {} : { sopStep: d.sopSteps.find((x) => x.step === step) ?? null }) });
    const before = shown(await service.detail(id, dataScope(req.identity)));
    const after = await change();
    await audit.record(auditWho(req, actor), { action, entityKind: 'case', entityKey: id, before, after: { ...shown(after), timelineEvent: after.timeline.length } });
    return after;
  };
  return async (app) => {
    app.get(
      '/api/case-categories',
      {
        schema: {
          tags: ['cases'],
          summary: 'Case categories with their service level, routing and procedure',
          response: { 200: z.object({ categories: z.array(caseCategorySchema) }) },
        },
      },
      async () => ({ categories: await service.categories() }),
    );

    app.post(
      '/api/cases',
      {
        schema: {
          tags: ['cases'],
          summary: 'Open a case (operator)',
          description:
            'Locates the point to its commune and province valid today (refused with `outside_jurisdiction` outside the served province), routes the case by category and place ' +
            '(or to `organisation` when given), sets its deadline from the category\'s service level and starts its procedure. Status `new`. ' +
            'The case (its commune and agency) must be within the scope the caller may handle cases in: else 403 `forbidden`, nothing opened.',
          body: caseInputSchema,
          response: { 201: caseDetailSchema, ...errors(400, 403, 404, 413, 415) },
        },
      },
      async (req, reply) => {
        const created = await service.create(req.body, caseActor(req, req.body.actor));
        await audit.record(auditWho(req, req.body.actor), { action: 'case.open', entityKind: 'case', entityKey: created.id, before: null, after: { ...scalars(created), timelineEvent: created.timeline.length } });
        return reply.status(201).send(created);
      },
    );

    app.get(
      '/api/cases',
      {
        schema: {
          tags: ['cases'],
          summary: 'Cases, newest first, filtered',
          description: 'Only the cases within the caller\'s scope (their commune and agency); the filters narrow further, never widen.',
          querystring: z.object({
            status: caseStatusSchema.optional(),
            category: caseCategoryCodeSchema.optional(),
            place: z.string().regex(/^\d{2,5}$/).optional().describe('A commune or province code'),
            organisation: orgCode.optional(),
            overdue: z.enum(['overdue', 'due_soon']).optional().describe('`overdue`: unfinished past the deadline; `due_soon`: unfinished, due within 24 hours'),
            limit: z.coerce.number().int().min(1).max(1000).optional(),
          }),
          response: { 200: z.object({ cases: z.array(caseSchema) }), ...errors(400) },
        },
      },
      async (req) => ({ cases: await service.list(req.query, dataScope(req.identity)) }),
    );

    app.get(
      '/api/cases/counts',
      {
        schema: {
          tags: ['cases'],
          summary: 'Case counts of a period: received, processed, processed on time, rated, satisfied',
          description:
            'The parts of the citizen-report indicators (CR_RECEIVED, CR_PROCESSED, CR_PROCESSED_ON_TIME, CR_RATED, CR_SATISFIED); rates are recomputed from them, never added up. Processed: last moved to resolved within the period and still resolved or closed. ' +
            'Of the cases within the caller\'s scope only.',
          querystring: z.object({
            from: isoDateSchema.describe('First day (Vietnam)'),
            to: isoDateSchema.describe('Last day (Vietnam), inclusive'),
            place: z.string().regex(/^\d{2,5}$/).optional().describe('A commune or province code'),
            organisation: orgCode.optional(),
          }),
          response: {
            200: z.object({ received: z.number().int(), processed: z.number().int(), processedOnTime: z.number().int(), rated: z.number().int(), satisfied: z.number().int() }),
            ...errors(400),
          },
        },
      },
      async (req) => service.counts(req.query, dataScope(req.identity)),
    );

    app.get(
      '/api/cases/:id',
      {
        schema: {
          tags: ['cases'],
          summary: 'One case with its timeline and procedure steps',
          description: 'A case outside the caller\'s scope answers 404 `unknown_case`, as an unknown id does.',
          params: caseId,
          response: { 200: caseDetailSchema, ...errors(400, 404) },
        },
      },
      async (req) => service.detail(req.params.id, dataScope(req.identity)),
    );

    app.post(
      '/api/cases/:id/status',
      {
        schema: {
          tags: ['cases'],
          summary: 'Move a case along its workflow',
          description:
            'new → received → assigned → in_progress → resolved → closed; new, received, assigned → rejected; resolved, closed, rejected → reopened → assigned or in_progress. Any other move: 409 `invalid_transition`. ' +
            'On every case action: a case the caller cannot read is 404 `unknown_case`; one they can read but not handle, 403 `forbidden`.',
          params: caseId,
          body: z.object({ status: caseStatusSchema, actor, note }),
          response: { 200: caseDetailSchema, ...errors(400, 403, 404, 409) },
        },
      },
      async (req) => recorded(req, 'case.status', req.params.id, req.body.actor, () => service.changeStatus(req.params.id, req.body.status, caseActor(req, req.body.actor), req.body.note ?? null)),
    );

    app.post(
      '/api/cases/:id/assign',
      {
        schema: {
          tags: ['cases'],
          summary: 'Assign a case to an agency (moves it to `assigned` when the workflow allows)',
          description: 'The case as assigned must stay within the scope the caller may handle cases in: an agency outside it is 403 `forbidden`.',
          params: caseId,
          body: z.object({ organisation: orgCode, actor, note }),
          response: { 200: caseDetailSchema, ...errors(400, 403, 404, 409) },
        },
      },
      async (req) => recorded(req, 'case.assign', req.params.id, req.body.actor, () => service.assign(req.params.id, req.body.organisation, caseActor(req, req.body.actor), req.body.note ?? null)),
    );

    app.post(
      '/api/cases/:id/comments',
      {
        schema: {
          tags: ['cases'],
          summary: 'Add a comment to the timeline',
          params: caseId,
          body: z.object({ text: z.string().trim().min(1).max(CASE_LIMITS.comment), actor }),
          response: { 200: caseDetailSchema, ...errors(400, 403, 404) },
        },
      },
      async (req) => recorded(req, 'case.comment', req.params.id, req.body.actor, () => service.comment(req.params.id, req.body.text, caseActor(req, req.body.actor))),
    );

    app.post(
      '/api/cases/:id/satisfaction',
      {
        schema: {
          tags: ['cases'],
          summary: "Record the reporter's satisfaction with a resolved or closed case",
          description: 'A rating from 1 to 5; a case not yet resolved or closed: 409 `case_not_finished`.',
          params: caseId,
          body: z.object({ rating: z.number().int().min(1).max(5), actor, note }),
          response: { 200: caseDetailSchema, ...errors(400, 403, 404, 409) },
        },
      },
      async (req) => recorded(req, 'case.rate', req.params.id, req.body.actor, () => service.rate(req.params.id, req.body.rating, caseActor(req, req.body.actor), req.body.note ?? null)),
    );

    app.post(
      '/api/cases/:id/sop-steps/:step/done',
      {
        schema: {
          tags: ['cases'],
          summary: 'Mark a procedure step done',
          params: caseId.extend({ step: z.coerce.number().int().min(1) }),
          body: z.object({ actor, note }),
          response: { 200: caseDetailSchema, ...errors(400, 403, 404, 409) },
        },
      },
      async (req) =>
        recorded(req, 'case.sop_step', req.params.id, req.body.actor, () => service.completeStep(req.params.id, req.params.step, caseActor(req, req.body.actor), req.body.note ?? null), req.params.step),
    );
  };
}
