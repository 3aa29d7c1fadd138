import { z } from 'zod';
import { isoDateSchema } from '../dates';
import { directiveFileSchema } from './files';
import { directiveActorSchema, directiveTaskStatusSchema } from './lifecycle';
import { directiveKindSchema, taskDeadlineSchema, taskLinksSchema } from './schemas';

/**
 * What the directives API answers: documents with their tasks, each task's
 * state now (folded from its events at read time: nothing time-based is
 * stored), one task's timeline, the completion figures by agency and the
 * overdue list. Shared by the server (it validates its answers with these)
 * and the web app.
 */

const timestamp = z.string().describe('ISO 8601 instant');
const who = z.string().nullable().describe('The login of who did it');

const ratioSchema = z.object({ numerator: z.number().int(), denominator: z.number().int(), value: z.number().nullable().describe('null when the denominator is 0') });

/** A task's (or an occurrence's) state at the instant asked about, as `taskState` folds it. */
export const directiveTaskStateSchema = z.object({
  status: directiveTaskStatusSchema,
  percent: z.number().int().describe('The last reported percentage (100 once done)'),
  deadline: isoDateSchema.nullable().describe('The deadline in force (the last extension’s); null for a regular task'),
  originalDeadline: isoDateSchema.nullable().describe('The deadline the document set, kept beside an extended one'),
  extended: z.boolean(),
  daysLate: z.number().int().describe('Days past the deadline in force; 0 on time'),
  daysToDeadline: z.number().int().nullable().describe('Vietnam days left to the deadline (0 on the day, negative once overdue); null when closed or without a deadline'),
  doneAt: timestamp.nullable().describe('When the report of done that counts was made'),
  awaitingConfirmation: z.boolean().describe('A report of done waits for the office’s confirmation'),
  extensionRequest: z.object({ until: isoDateSchema, reason: z.string(), at: timestamp }).nullable().describe('An extension asked for and not answered yet'),
  cancelledAt: timestamp.nullable(),
  lastEventAt: timestamp.nullable(),
});
export type DirectiveTaskStateView = z.infer<typeof directiveTaskStateSchema>;

/** One occurrence of a task: the task itself for one due once (key null), one period of a recurring task. */
export const directiveOccurrenceSchema = z.object({
  key: z.string().nullable().describe('null for a task due once; the period for a recurring one: 2026-03, 2026-Q1, 2026'),
  state: directiveTaskStateSchema,
});
export type DirectiveOccurrenceView = z.infer<typeof directiveOccurrenceSchema>;

/** An organisation as a task names it, with its name when the catalogue knows the code. */
export const directiveAgencySchema = z.object({ code: z.string(), name: z.string().nullable(), nameEn: z.string().nullable() });
export type DirectiveAgency = z.infer<typeof directiveAgencySchema>;

export const directiveTaskViewSchema = z.object({
  id: z.number().int().describe('The task’s id, for its routes'),
  documentNumber: z.string().describe('Its document’s number and symbol as written'),
  key: z.string().describe('Its key within the document'),
  taskId: z.string().describe('The idempotency key: normalised document number # key'),
  text: z.string(),
  lead: directiveAgencySchema,
  cooperating: z.array(directiveAgencySchema),
  deadline: taskDeadlineSchema,
  links: taskLinksSchema,
  missing: z.boolean().describe('Held but no longer in the document as last sent: for the office to cancel or keep'),
  state: directiveTaskStateSchema.nullable().describe(
    'The state now: of the task due once, of a regular task, or of a recurring task’s current occurrence (the earliest still open, else the latest); null for a recurring task with no occurrence due yet',
  ),
  current: z.string().nullable().describe('The occurrence `state` is of (null for a task due once or regular)'),
  occurrences: z.array(directiveOccurrenceSchema).describe('Each occurrence due from the document’s date through today, and the next one; one for a task due once; none for a regular task'),
  can: z.object({ report: z.boolean().describe('The caller may report on it (its lead agency)'), manage: z.boolean().describe('The caller may confirm, extend and cancel (the leader’s office)') }),
});
export type DirectiveTaskView = z.infer<typeof directiveTaskViewSchema>;

export const directiveDocumentSummarySchema = z.object({
  id: z.number().int(),
  number: z.string().describe('The number and symbol as written, e.g. 125/TB-UBND'),
  date: isoDateSchema,
  issuer: z.string(),
  signer: z.string(),
  kind: directiveKindSchema,
  summary: z.string(),
  confirmDone: z.boolean(),
  published: z.boolean(),
  synthetic: z.boolean(),
  tasks: z.number().int().describe('The tasks the caller sees'),
  counts: z.record(directiveTaskStatusSchema, z.number().int()).describe('The tasks (each recurring task by its current occurrence) per status now, of those the caller sees'),
  createdAt: timestamp,
  createdBy: who,
  updatedAt: timestamp,
  updatedBy: who,
});
export type DirectiveDocumentSummary = z.infer<typeof directiveDocumentSummarySchema>;

export const directiveDocumentDetailSchema = z.object({
  document: directiveDocumentSummarySchema,
  tasks: z.array(directiveTaskViewSchema),
  file: directiveFileSchema.nullable().describe('The document’s PDF, null until the leader’s office attaches it'),
});
export type DirectiveDocumentDetail = z.infer<typeof directiveDocumentDetailSchema>;

export const directiveImportPlanSchema = z.object({
  added: z.array(z.string()),
  changed: z.array(z.string()),
  unchanged: z.array(z.string()),
  missing: z.array(z.string()).describe('Held, no longer sent: kept with their reports, for the office to cancel or keep'),
});

export const directiveImportAnswerSchema = directiveDocumentDetailSchema.extend({
  created: z.boolean(),
  plan: directiveImportPlanSchema,
});
export type DirectiveImportAnswer = z.infer<typeof directiveImportAnswerSchema>;

/** One event of a task's timeline, as recorded (append only). */
export const directiveEventViewSchema = z.object({
  id: z.number().int(),
  occurrence: z.string().nullable(),
  kind: z.enum(['progress', 'done', 'done_confirmed', 'done_refused', 'extension_requested', 'extension_approved', 'extension_refused', 'cancelled']),
  at: timestamp,
  by: who,
  actor: directiveActorSchema,
  percent: z.number().int().nullable(),
  text: z.string().nullable(),
  until: isoDateSchema.nullable(),
  reason: z.string().nullable(),
  files: z.array(directiveFileSchema).describe('The evidence the lead agency attached to this report, for readers whose scope reaches the task (none for the public)'),
});
export type DirectiveEventView = z.infer<typeof directiveEventViewSchema>;

export const directiveTaskDetailSchema = z.object({
  task: directiveTaskViewSchema,
  document: directiveDocumentSummarySchema,
  events: z.array(directiveEventViewSchema).describe('Oldest first'),
});
export type DirectiveTaskDetail = z.infer<typeof directiveTaskDetailSchema>;

export const directiveCompletionRowSchema = z.object({
  organisation: z.string(),
  name: z.string().nullable(),
  nameEn: z.string().nullable(),
  assigned: z.number().int(),
  doneOnTime: z.number().int(),
  doneLate: z.number().int(),
  overdue: z.number().int(),
  inProgress: z.number().int(),
  extended: z.number().int(),
  onTimeRate: ratioSchema,
  regular: z.number().int(),
  cancelled: z.number().int(),
});
export type DirectiveCompletionRow = z.infer<typeof directiveCompletionRowSchema>;

export const directiveCompletionAnswerSchema = z.object({
  from: isoDateSchema,
  to: isoDateSchema,
  asOf: timestamp,
  agencies: z.array(directiveCompletionRowSchema).describe('Each lead agency with something counted, by code'),
  total: directiveCompletionRowSchema.describe('All of them added up (rates from the summed parts)'),
});
export type DirectiveCompletionAnswer = z.infer<typeof directiveCompletionAnswerSchema>;

export const directiveOverdueSchema = z.object({
  taskId: z.number().int(),
  documentNumber: z.string(),
  documentDate: isoDateSchema,
  key: z.string(),
  occurrence: z.string().nullable(),
  text: z.string(),
  lead: directiveAgencySchema,
  deadline: isoDateSchema,
  originalDeadline: isoDateSchema,
  extended: z.boolean(),
  daysLate: z.number().int(),
  percent: z.number().int(),
  extensionRequested: z.boolean(),
});
export type DirectiveOverdue = z.infer<typeof directiveOverdueSchema>;
