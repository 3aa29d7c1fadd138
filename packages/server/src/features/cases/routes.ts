import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { casesApi, dataScope, type CaseDetail } from '@watchfloor/core';
import { serve } from '../../http/serve';
import { exportFormatOf, exportLanguageOf, sendTable } from '../../http/exports';
import type { AppContext } from '../../context';
import { AuditLog, auditWho, scalars } from '../audit/service';
import { CasesService, type CaseActor } from './service';
import { casesTable } from './exports';

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
    serve(app, casesApi.categories, async () => ({ categories: await service.categories() }));

    serve(app, casesApi.open, async (req) => {
      const created = await service.create(req.body, caseActor(req, req.body.actor));
      await audit.record(auditWho(req, req.body.actor), { action: 'case.open', entityKind: 'case', entityKey: created.id, before: null, after: { ...scalars(created), timelineEvent: created.timeline.length } });
      return created;
    });

    serve(app, casesApi.list, async (req, reply) => {
      const format = exportFormatOf(req);
      // A file holds every case matching the filters (`limit` when given), streamed page by page; the screen's JSON, the first 1,000.
      if (format) return sendTable(reply, casesTable(service.stream(req.query, dataScope(req.identity)), ctx.clock.now().toISOString(), req.query), format, exportLanguageOf(req));
      return { cases: await service.list(req.query, dataScope(req.identity)) };
    });

    serve(app, casesApi.counts, async (req) => service.counts(req.query, dataScope(req.identity)));

    serve(app, casesApi.detail, async (req) => service.detail(req.params.id, dataScope(req.identity)));

    serve(app, casesApi.changeStatus, async (req) =>
      recorded(req, 'case.status', req.params.id, req.body.actor, () => service.changeStatus(req.params.id, req.body.status, caseActor(req, req.body.actor), req.body.note ?? null)),
    );

    serve(app, casesApi.assign, async (req) =>
      recorded(req, 'case.assign', req.params.id, req.body.actor, () => service.assign(req.params.id, req.body.organisation, caseActor(req, req.body.actor), req.body.note ?? null)),
    );

    serve(app, casesApi.comment, async (req) => recorded(req, 'case.comment', req.params.id, req.body.actor, () => service.comment(req.params.id, req.body.text, caseActor(req, req.body.actor))));

    serve(app, casesApi.rate, async (req) => recorded(req, 'case.rate', req.params.id, req.body.actor, () => service.rate(req.params.id, req.body.rating, caseActor(req, req.body.actor), req.body.note ?? null)));

    serve(app, casesApi.stepDone, async (req) =>
      recorded(req, 'case.sop_step', req.params.id, req.body.actor, () => service.completeStep(req.params.id, req.params.step, caseActor(req, req.body.actor), req.body.note ?? null), req.params.step),
    );
  };
}
