import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditEventSchema, auditQuerySchema } from '@watchfloor/core';
import { errors } from '../../http/schemas';
import type { AuditLog } from './service';

const TAGS = ['audit'];

/** The audit log, for administrators: read and export only (there is no way to change it). */
export function auditRoutes(audit: AuditLog): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/audit',
      {
        schema: {
          tags: TAGS,
          summary: 'Changes recorded: who, when, from where, what, before and after (secrets removed), newest first',
          querystring: auditQuerySchema,
          response: { 200: z.object({ events: z.array(auditEventSchema) }), ...errors(400, 401, 403) },
        },
      },
      async (req) => ({ events: await audit.list(req.query) }),
    );

    app.get(
      '/api/audit.csv',
      {
        schema: {
          tags: TAGS,
          summary: 'The changes recorded, as CSV (UTF-8), newest first',
          description: 'Columns: id, at, actor, address, action, entity_kind, entity_key, before, after (JSON). Cells a spreadsheet would run as formulas are prefixed with an apostrophe.',
          querystring: auditQuerySchema.omit({ limit: true, before: true }),
          response: { 200: z.unknown().describe('The CSV file (text/csv)'), ...errors(400, 401, 403) },
        },
      },
      async (req, reply) =>
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="audit.csv"')
          .send(Readable.from(audit.csv(req.query))),
    );
  };
}
