import { z } from 'zod';
import { fileAnswer, route } from '../contract';
import { auditEventSchema, auditQuerySchema } from '../audit';

/** The HTTP contract of the audit log, for administrators: read and export only (there is no way to change it). See ../contract.ts. */

const TAGS = ['audit'];

export const eventsAnswerSchema = z.object({ events: z.array(auditEventSchema) });

export const list = route({
  method: 'GET',
  path: '/api/audit',
  tags: TAGS,
  summary: 'Changes recorded: who, when, from where, what, before and after (secrets removed), newest first',
  query: auditQuerySchema,
  response: eventsAnswerSchema,
  errors: [400, 401, 403],
});

/** Sent as the attachment audit.csv: linked to (hrefOf), never parsed. */
export const csv = route({
  method: 'GET',
  path: '/api/audit.csv',
  tags: TAGS,
  summary: 'The changes recorded, as CSV (UTF-8), newest first',
  description: 'Columns: id, at, actor, address, action, entity_kind, entity_key, before, after (JSON). Cells a spreadsheet would run as formulas are prefixed with an apostrophe.',
  query: auditQuerySchema.omit({ limit: true, before: true }),
  response: fileAnswer('text/csv; charset=utf-8'),
  errors: [400, 401, 403],
});
