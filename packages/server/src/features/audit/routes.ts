import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditApi } from '@watchfloor/core';
import { serve } from '../../http/serve';
import type { AuditLog } from './service';

/** The audit log, for administrators: read and export only (there is no way to change it). */
export function auditRoutes(audit: AuditLog): FastifyPluginAsyncZod {
  return async (app) => {
    serve(app, auditApi.list, async (req) => ({ events: await audit.list(req.query) }));

    serve(app, auditApi.csv, async (req, reply) =>
      reply
        .header('content-type', auditApi.csv.response.contentType)
        .header('content-disposition', 'attachment; filename="audit.csv"')
        .send(Readable.from(audit.csv(req.query))),
    );
  };
}
