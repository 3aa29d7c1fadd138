import { z } from 'zod';

/**
 * The audit log: who changed what, when, from where, with the record as it
 * was before and after. Entries are appended and never changed; secrets
 * (credentials, token and password hashes) are never part of them.
 */
export const auditEntityKindSchema = z.enum(['source', 'indicator', 'target', 'manual_entry', 'case', 'alert', 'alert_rule', 'user', 'api_token', 'run', 'dossier', 'cap_message', 'par_framework', 'par_cycle', 'par_assessment', 'par_evidence', 'directive_document', 'directive_task', 'report_template', 'report_schedule', 'message_preference', 'message_role_preference']);
export type AuditEntityKind = z.infer<typeof auditEntityKindSchema>;

export const auditEventSchema = z.object({
  id: z.number().int(),
  at: z.string().describe('When the change was made (UTC)'),
  actor: z.string().describe("Who made it: a user's login, a name given with the request, 'system' for jobs, 'anonymous' otherwise"),
  address: z.string().nullable().describe('The address the request came from'),
  action: z.string().describe('What was done, e.g. source.update, case.assign'),
  entityKind: auditEntityKindSchema,
  entityKey: z.string().describe('The code or id of what was changed'),
  before: z.unknown().nullable().describe('The record before the change (null for a creation); secrets removed'),
  after: z.unknown().nullable().describe('The record after the change (null for a deletion); secrets removed'),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const auditQuerySchema = z.object({
  entity: z.string().max(200).optional().describe('`kind` or `kind:key`, e.g. source or source:TV-DAN-SO'),
  actor: z.string().max(200).optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('Only changes at or after this instant'),
  to: z.iso.datetime({ offset: true }).optional().describe('Only changes before this instant'),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
  before: z.coerce.number().int().positive().optional().describe('Only entries with a smaller id (the next page)'),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** Keys whose values are secrets: matched case-insensitively, anywhere in the document. */
const SECRET_KEY = /^(credentials?|credentials_?enc|token|token_?hash|password|password_?hash|secret|api_?key|authorization|cookie)$/i;

/** A copy of `value` with every secret-bearing key's value replaced by "[redacted]" (kept as a key, so a change to it is still visible). */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) && v !== null && v !== undefined ? '[redacted]' : redactSecrets(v);
  return out;
}
