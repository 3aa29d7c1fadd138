import { z } from 'zod';
import { fileAnswer, multipart, route } from '../contract';
import { exportQueryShape, withExportDescription } from '../exports';
import { isoDateSchema } from '../dates';
import { ingestResultSchema } from '../sources';
import {
  DIRECTIVE_DUE_DAYS,
  DIRECTIVE_LIMITS,
  directiveCompletionAnswerSchema,
  directiveDueAnswerSchema,
  directiveDocumentDetailSchema,
  directiveDocumentSummarySchema,
  directiveImportAnswerSchema,
  directiveImportSchema,
  directiveOrganisationCodeSchema,
  directiveOverdueSchema,
  directiveTaskDetailSchema,
  directiveTaskStatusSchema,
} from '../directives';

/**
 * The HTTP contract of leadership directives: documents and their tasks
 * (saved or imported by number, idempotently), each task's state now and
 * its timeline, the lead agency's reports, the leader's office's decisions,
 * completion by agency for a period and the overdue list. See ../contract.ts;
 * who may call each route is in the server's access table.
 */

const TAGS = ['directives'];

const documentNumber = z.object({ number: z.string().min(1).max(DIRECTIVE_LIMITS.number).describe('The number and symbol, URL-encoded (125%2FTB-UBND)') });
const taskId = z.object({ id: z.coerce.number().int().positive().describe('The task’s id') });
const occurrence = z
  .string()
  .regex(/^\d{4}(-(\d{2}|Q[1-4]))?$/, 'must be an occurrence key such as 2026-03, 2026-Q1 or 2026')
  .nullable()
  .default(null)
  .describe('For a recurring task, the occurrence it concerns (2026-03, 2026-Q1, 2026); null for a task due once or regular');
const text = z.string().trim().max(DIRECTIVE_LIMITS.reportText);
const reason = z.string().trim().min(1).max(DIRECTIVE_LIMITS.reason);
const flag = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const documents = route({
  method: 'GET',
  path: '/api/directives/documents',
  tags: TAGS,
  summary: 'The directive documents, newest first, with their tasks counted per status now',
  description:
    'Signed in: the documents with a task whose lead agency the caller’s scope reaches, counting those tasks only. Without signing in: the published documents only. ' +
    'Filters: `organisation` (a lead agency), `status` (some task in it now), `overdue=true` (some task overdue now).',
  query: z.object({
    organisation: directiveOrganisationCodeSchema.optional(),
    status: directiveTaskStatusSchema.optional(),
    overdue: flag,
  }),
  response: z.object({ documents: z.array(directiveDocumentSummarySchema) }),
  errors: [400],
});

export const document = route({
  method: 'GET',
  path: '/api/directives/documents/:number',
  tags: TAGS,
  summary: 'One document with its tasks, each with its state now and, for a recurring task, its occurrences',
  description: 'The tasks of the caller’s scope (all of a published document without signing in). A document the caller may not see answers 404 `unknown_directive_document`.',
  params: documentNumber,
  response: directiveDocumentDetailSchema,
  errors: [400, 404],
});

/** 201 when new, 200 when it updated the document held under that number. */
export const saveDocument = route({
  method: 'PUT',
  path: '/api/directives/documents/:number',
  tags: TAGS,
  summary: 'Create or update a document with its tasks from its JSON (the e-office push): idempotent by number and task key',
  description:
    'The body is the import shape (see the schema). Its number must be the path’s once both are normalised (400 `invalid_directive_document`). ' +
    'Re-sending updates the document and its tasks by key in place: their reports are kept; a task held but no longer sent is kept and listed as `missing`. The answer holds the plan: added, changed, unchanged, missing.',
  params: documentNumber,
  body: directiveImportSchema,
  statuses: [200, 201],
  response: directiveImportAnswerSchema,
  errors: [400, 403, 413, 415],
});

export const uploadDocumentFile = route({
  method: 'PUT',
  path: '/api/directives/documents/:number/file',
  tags: TAGS,
  summary: 'Attach the document’s PDF, or replace the one attached',
  description:
    'The leader’s office, for a document whose every task’s lead agency it manages. A PDF by its content (it starts with `%PDF-`), whatever its name: another file answers 415 `directive_file_not_pdf`; one over the evidence limit 413 `file_too_large`. ' +
    'Stored with its SHA-256 and size; the one it replaces is gone. The answer is the document as `GET` answers it.',
  params: documentNumber,
  body: multipart('file'),
  response: directiveDocumentDetailSchema,
  errors: [400, 403, 404, 413, 415],
});

export const documentFile = route({
  method: 'GET',
  path: '/api/directives/documents/:number/file',
  tags: TAGS,
  summary: 'The document’s PDF, as it was attached',
  description: 'To those who read the document: a reader in scope of one of its tasks, anyone once it is published. 404 `unknown_directive_file` when none is attached.',
  params: documentNumber,
  response: fileAnswer('application/pdf'),
  errors: [400, 404],
});

const eventParams = z.object({ id: z.coerce.number().int().positive().describe('The task’s id'), event: z.coerce.number().int().positive().describe('The report’s id (an event of the task’s timeline)') });

export const uploadEvidence = route({
  method: 'POST',
  path: '/api/directives/tasks/:id/events/:event/evidence',
  tags: TAGS,
  summary: 'The lead agency attaches an evidence file (PDF, PNG or JPEG, by its content) to one of its reports on a task',
  description:
    'Only an officer whose scope reaches the task’s lead agency, to a report of the lead agency (progress, done, a request for more time) that is still the latest on its task or occurrence: once the office has acted after it, 409 `directive_report_settled`. ' +
    'Another type answers 415 `evidence_type_not_allowed`; a file over the limit 413 `file_too_large`. The answer is the task with its timeline.',
  params: eventParams,
  body: multipart('file'),
  statuses: [201],
  response: directiveTaskDetailSchema,
  errors: [400, 403, 404, 409, 413, 415],
});

export const evidence = route({
  method: 'GET',
  path: '/api/directives/evidence/:fileId',
  tags: TAGS,
  summary: 'An evidence file of a report, as it was attached',
  description: 'To readers whose scope reaches the task’s lead agency (not the public, even of a published document): 404 `unknown_directive_file` otherwise.',
  params: z.object({ fileId: z.coerce.number().int().positive() }),
  response: fileAnswer('application/octet-stream'),
  errors: [400, 404],
});

export const task = route({
  method: 'GET',
  path: '/api/directives/tasks/:id',
  tags: TAGS,
  summary: 'One task with its state now, its occurrences, its document and its timeline of events',
  params: taskId,
  response: directiveTaskDetailSchema,
  errors: [400, 404],
});

export const report = route({
  method: 'POST',
  path: '/api/directives/tasks/:id/reports',
  tags: TAGS,
  summary: 'The lead agency reports on its task: progress, done, or a request for more time',
  description:
    'Only an officer whose scope reaches the task’s lead agency. Refused by the task’s rules at the server’s clock: 409 `directive_task_closed`, `directive_awaiting_confirmation`, `directive_no_deadline`, `directive_extension_pending`; 400 `directive_deadline_not_later`. ' +
    'A recurring task’s report names its `occurrence` (404 `unknown_directive_occurrence` for one not due yet or not of the task).',
  params: taskId,
  body: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('progress'), occurrence, percent: z.number().int().min(0).max(100), text: text.default('') }),
    z.object({ kind: z.literal('done'), occurrence, text: text.default('') }),
    z.object({ kind: z.literal('extension_requested'), occurrence, until: isoDateSchema.describe('The deadline asked for'), reason }),
  ]),
  statuses: [201],
  response: directiveTaskDetailSchema,
  errors: [400, 403, 404, 409],
});

export const decide = route({
  method: 'POST',
  path: '/api/directives/tasks/:id/decisions',
  tags: TAGS,
  summary: 'The leader’s office decides on a task: confirms or refuses a report of done, approves or refuses an extension, or cancels it',
  description:
    'Refused by the task’s rules at the server’s clock: 409 `directive_task_closed`, `directive_no_done_report`, `directive_no_extension_request`; 400 `directive_deadline_not_later`. ' +
    'An approved extension keeps the original deadline beside the new one.',
  params: taskId,
  body: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('done_confirmed'), occurrence }),
    z.object({ kind: z.literal('done_refused'), occurrence, reason }),
    z.object({ kind: z.literal('extension_approved'), occurrence, until: isoDateSchema.describe('The new deadline (may differ from the one asked for)') }),
    z.object({ kind: z.literal('extension_refused'), occurrence, reason }),
    z.object({ kind: z.literal('cancelled'), occurrence, reason }),
  ]),
  statuses: [201],
  response: directiveTaskDetailSchema,
  errors: [400, 403, 404, 409],
});

export const completion = route({
  method: 'GET',
  path: '/api/directives/completion',
  tags: TAGS,
  summary: 'Completion by lead agency for a period: assigned, done on time, done late, overdue, in progress, with the on-time rate',
  description:
    'The tasks (each occurrence of a recurring task on its own) whose deadline in force falls in `from`…`to` (Vietnam dates), judged now; regular and cancelled tasks apart. Only the agencies of the caller’s scope.',
  query: z.object({ from: isoDateSchema, to: isoDateSchema, organisation: directiveOrganisationCodeSchema.optional().describe('One lead agency only') }),
  response: directiveCompletionAnswerSchema,
  errors: [400],
});

export const overdue = route({
  method: 'GET',
  path: '/api/directives/overdue',
  tags: TAGS,
  summary: 'The tasks overdue now, with their lead agency and days late, most late first',
  description: withExportDescription(),
  query: z.object({ organisation: directiveOrganisationCodeSchema.optional().describe('One lead agency only'), ...exportQueryShape }),
  response: z.object({ asOf: z.string().describe('ISO 8601 instant'), tasks: z.array(directiveOverdueSchema) }),
  errors: [400],
});

export const due = route({
  method: 'GET',
  path: '/api/directives/due',
  tags: TAGS,
  summary: 'The lead agency’s desk: the tasks the caller reports on that are overdue now or due within `days` Vietnam days',
  description:
    'Only the tasks whose lead agency the caller’s `directives.report` scope reaches (their own agency’s), each occurrence of a recurring task on its own; a report of done waiting for the office leaves a task out. ' +
    'Overdue from 00:00 the day after the deadline, Vietnam time. The most days late first, then the soonest due.',
  query: z.object({
    days: z.coerce.number().int().min(0).max(DIRECTIVE_DUE_DAYS.max).default(DIRECTIVE_DUE_DAYS.default).describe('Due within this many Vietnam days (0: today)'),
    organisation: directiveOrganisationCodeSchema.optional().describe('One lead agency only'),
  }),
  response: directiveDueAnswerSchema,
  errors: [400],
});

// ---- documents in from the e-office system: push, file, pull ---------------

const directiveSource = z.object({ code: z.string().min(1).max(64).describe('A source registered with `mapping.target: "directives"`') });
const directiveDryRun = z.enum(['true', 'false']).optional().describe('true: say what would be accepted and rejected, write nothing, record no run');
const IMPORT_RESULT =
  'Answers with the run, recorded among the source’s runs: documents (push, pull) or rows (file) read, accepted and rejected, and the first rejected ones with their line and coded reason ' +
  '(all at /api/runs/{id}/rejected); `created`, `revised` and `unchanged` count tasks. Each document is saved by its number and its tasks by key, idempotently: ' +
  'sending the same batch again creates no duplicate, a changed deadline corrects the task in place and keeps its reports, a new key is a new task, a task held and no longer sent is kept and listed as missing. ' +
  'A batch is written in one transaction: all of its accepted documents or none (a failure part-way answers 500 `ingestion_failed`: send the batch again). ' +
  'A task whose lead agency lies outside the source’s coverage (or the uploader’s scope) is `out_of_scope`; an agency the catalogue does not know, `unknown_organisation`. An agency is its code or its name as of the document’s date ("Sở Tài chính", "UBND phường Trà Vinh": no diacritics or case needed, the source’s aliases first): a name no agency bears is `unknown_organisation_name`, one several bear `ambiguous_organisation_name`. Every document saved is in the audit log.';

/** The body of a push: documents with their tasks, each one as `PUT /api/directives/documents/{number}` takes it. */
export const directivePushSchema = z
  .object({
    documents: z
      .array(
        z
          .record(z.string(), z.unknown())
          .describe(
            'A directive document with its tasks, in the shape of PUT /api/directives/documents/{number}: { number, date, issuer, signer, kind, summary, confirmDone?, published?, tasks: [{ key, text, lead, cooperating?, deadline, links? }] }. Checked on its own: one that does not fit is a rejected row with its reasons, the others are saved',
          ),
      )
      .min(1)
      .max(1000),
  })
  .describe('A batch of directive documents');

export const push = route({
  method: 'POST',
  path: '/api/directives/sources/:code/push',
  tags: TAGS,
  summary: 'The e-office system pushes a batch of directive documents with their tasks, with the source’s token',
  description:
    'Send `Authorization: Bearer <token>` (the source’s push token) and `{ "documents": [ … ] }`, each document as `PUT /api/directives/documents/{number}` takes it. ' +
    'Up to WATCHFLOOR_BODY_LIMIT_BYTES a request (413): send larger sets in several batches. A source that is not a directive source answers 400 `invalid_parameter`. ' +
    IMPORT_RESULT,
  params: directiveSource,
  query: z.object({ dryRun: directiveDryRun }),
  body: directivePushSchema,
  response: ingestResultSchema,
  errors: [400, 401, 404, 409, 413, 415, 500],
});

export const upload = route({
  method: 'POST',
  path: '/api/directives/sources/:code/upload',
  tags: TAGS,
  summary: 'The leader’s office uploads a CSV or XLSX file of directive tasks, one row per task',
  description:
    'multipart/form-data: optionally a field `columns` (JSON: the file’s own headings → fields) before the file in a field `file`. One row per task, the document’s fields repeated on each of its rows; rows of the same number are one document. ' +
    'Headings known: Số/ký hiệu (number), Ngày ban hành (date, dd/mm/yyyy), Cơ quan ban hành (issuer), Người ký (signer), Loại văn bản (kind: Thông báo kết luận, Chỉ thị, Công văn, Kế hoạch, else other), ' +
    'Trích yếu (summary), Nội dung nhiệm vụ (text), Mã nhiệm vụ (key), Đơn vị chủ trì (lead, an organisation code or name), Đơn vị phối hợp (cooperating, codes or names separated by commas or semicolons), ' +
    'Hạn xử lý (deadline: dd/mm/yyyy, “Thường xuyên”, “Hằng tháng, ngày 25”, “Hằng quý, ngày 20”, “Hằng năm, ngày 15/12”); the English field names too, and the source mapping’s `directiveColumns`. ' +
    'A row it cannot read is refused on its own with its line, its column and a code (`invalid_row`, `conflicting_document` when its document fields differ from the first row of its number, `duplicate_in_batch`); the rest are saved. ' +
    'A file without the columns is 400 `missing_columns`; encodings and limits as for /api/sources/{code}/upload. ' +
    IMPORT_RESULT,
  params: directiveSource,
  query: z.object({ dryRun: directiveDryRun }),
  body: multipart('file'),
  response: ingestResultSchema,
  errors: [400, 403, 404, 409, 413, 415, 500],
});

export const template = route({
  method: 'GET',
  path: '/api/directives/template.xlsx',
  tags: TAGS,
  summary: 'The XLSX template of a directive file: one row per task, with the headings the upload reads and an example',
  response: fileAnswer('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
});
