import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { directivesApi, type Identity } from '@watchfloor/core';
import { serve } from '../../http/serve';
import { exportFormatOf, exportLanguageOf, sendTable } from '../../http/exports';
import type { AppContext } from '../../context';
import { AuditLog, auditWho } from '../audit/service';
import { directiveFileRoutes } from './file-routes';
import { directiveImportRoutes } from './imports';
import { DirectiveService, type DirectiveCaller, type DirectiveChange } from './service';
import { overdueTable } from './exports';

/** Who a request acts for: its identity, and the name its events are recorded under, the one the audit log gives it. */
function callerOf(req: FastifyRequest): DirectiveCaller {
  const identity: Identity = req.identity;
  const actor = auditWho(req).actor;
  const login = identity.kind === 'anonymous' ? null : actor !== 'anonymous' ? actor : identity.kind === 'token' ? `token:${identity.name}` : null;
  return { identity, login };
}

/**
 * Leadership directives: documents and their tasks, the lead agency's
 * reports, the office's decisions, completion and the overdue list. Who
 * may call each route is in the access table; which tasks each caller
 * reads or acts on is judged task by task in the service.
 */
export function directiveRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new DirectiveService(ctx);
  const audit = new AuditLog(ctx);
  const record = (req: FastifyRequest, change: DirectiveChange) => audit.record(auditWho(req), change);

  return async (app) => {
    serve(app, directivesApi.documents, async (req) => ({ documents: await service.listDocuments(req.identity, req.query) }));
    serve(app, directivesApi.document, async (req) => service.getDocument(req.params.number, req.identity));

    serve(app, directivesApi.saveDocument, async (req, reply) => {
      const { created, answer, change } = await service.saveDocument(req.params.number, req.body, callerOf(req));
      await record(req, change);
      return reply.status(created ? 201 : 200).send(answer);
    });

    serve(app, directivesApi.task, async (req) => service.getTask(req.params.id, req.identity));

    serve(app, directivesApi.report, async (req, reply) => {
      const { detail, change } = await service.record(req.params.id, req.body, 'lead_agency', callerOf(req));
      await record(req, change);
      return reply.status(201).send(detail);
    });

    serve(app, directivesApi.decide, async (req, reply) => {
      const { detail, change } = await service.record(req.params.id, req.body, 'office', callerOf(req));
      await record(req, change);
      return reply.status(201).send(detail);
    });

    // The document's PDF and the evidence of reports.
    await app.register(directiveFileRoutes(ctx));

    serve(app, directivesApi.completion, async (req) => service.completion(req.identity, req.query));
    serve(app, directivesApi.overdue, async (req, reply) => {
      const answer = await service.overdue(req.identity, req.query);
      const format = exportFormatOf(req);
      return format ? sendTable(reply, overdueTable(answer.tasks, answer.asOf, req.query), format, exportLanguageOf(req)) : answer;
    });

    // Documents in from the e-office system: a pushed batch, an uploaded file, the template.
    await app.register(directiveImportRoutes(ctx));
    serve(app, directivesApi.due, async (req) => service.due(req.identity, req.query));
  };
}
