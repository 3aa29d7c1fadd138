import { z } from 'zod';
import { fileAnswer, route } from '../contract';
import { periodKeySchema } from '../indicators';
import { reportScheduleCodeSchema, reportScheduleExportSchema, reportScheduleReportSchema, reportScheduleSchema, reportTemplateCodeSchema, reportTemplateSchema, reportTemplateSummarySchema, PLACEHOLDER_KINDS } from '../reports';
import { documentedAs } from './catalogue';

/** The HTTP contract of report templates (the monthly documents as data) and their rendering. See ../contract.ts. */

const TAGS = ['reports'];

export const templateParams = z.object({ code: reportTemplateCodeSchema });

const REFUSAL =
  'A refused template answers 400 `invalid_report_template` with `details` listing each problem as `{ path, reason, message }`: ' +
  `reason \`unknown_placeholder\` for a \`{{…}}\` that is not one of ${PLACEHOLDER_KINDS.join(', ')} written \`{{what:INDICATOR}}\` or \`{{what:INDICATOR@PLACE}}\`, ` +
  '`unknown_indicator` for an indicator missing from the catalogue, or the schema’s own reason.';

export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const PDF = 'application/pdf';

export const list = route({
  method: 'GET',
  path: '/api/reports/templates',
  tags: TAGS,
  summary: 'The report templates, by code',
  response: z.object({ templates: z.array(reportTemplateSummarySchema) }),
});

export const detail = route({
  method: 'GET',
  path: '/api/reports/templates/:code',
  tags: TAGS,
  summary: 'One report template',
  params: templateParams,
  response: reportTemplateSchema,
  errors: [400, 404],
});

/** 201 when new, 200 when replaced. */
export const save = route({
  method: 'PUT',
  path: '/api/reports/templates/:code',
  tags: TAGS,
  summary: 'Save a report template (create or replace)',
  description: `The code in the body must be the one in the path. ${REFUSAL}`,
  params: templateParams,
  body: documentedAs(reportTemplateSchema, 'A report template document'),
  statuses: [200, 201],
  response: reportTemplateSchema,
  errors: [400, 413, 415],
});

export const render = route({
  method: 'GET',
  path: '/api/reports/templates/:code/render',
  tags: TAGS,
  summary: 'The report for a period, as a Word document (DOCX) or a PDF',
  description:
    'Each placeholder is filled with the figure the screens show for the province (or the place it names) and the period, as the caller’s scope sees it: ' +
    'an indicator the caller may not see answers 404 `unknown_indicator`. A provisional or incomplete figure carries a footnote saying so; ' +
    'a missing one reads "(chưa có số liệu)". An annex lists each figure’s source and the date it was last updated. Numbers in Vietnamese format (1.234,5), dates dd/mm/yyyy. ' +
    '`format=pdf` prints the same document as an A4 PDF (`application/pdf`), its notes numbered at the foot of the text; 503 `pdf_unavailable` when the server has no Chromium to print with.',
  params: templateParams,
  query: z.object({
    period: periodKeySchema.optional().describe('The period reported on (2026-10, 2026-Q3…); default: the last whole month'),
    format: z.enum(['docx', 'pdf']).default('docx').describe('docx (Word, for offices to edit) or pdf (A4, to print or send as it is)'),
  }),
  response: fileAnswer(DOCX),
  errors: [400, 404, 503],
});

const scheduleState = {
  nextRunAt: z.string().nullable().describe('When it next runs (UTC); null when disabled'),
  updatedAt: z.string(),
  owner: z.string().nullable().describe('The login of who saved it last: it runs with what they read; null when saved by a token no person made, or before owners were kept'),
};
export const scheduleViewSchema = z.discriminatedUnion('kind', [reportScheduleReportSchema.extend(scheduleState), reportScheduleExportSchema.extend(scheduleState)]);
export type ScheduleView = z.infer<typeof scheduleViewSchema>;
const scheduleView = scheduleViewSchema;
export const scheduleParams = z.object({ code: reportScheduleCodeSchema });

export const schedules = route({
  method: 'GET',
  path: '/api/reports/schedules',
  tags: TAGS,
  summary: 'The reports sent on a schedule, with when each next runs',
  response: z.object({ schedules: z.array(scheduleView) }),
});

/** 201 when new, 200 when replaced. */
export const saveSchedule = route({
  method: 'PUT',
  path: '/api/reports/schedules/:code',
  tags: TAGS,
  summary: 'Save a report schedule (create or replace)',
  description:
    'The cron expression reads in Vietnam time ("0 7 5 * *": the 5th of each month at 07:00); each run renders the template for the period before it ' +
    '(last_month, last_quarter) with the figures of the whole province and e-mails it to the recipients. Only a steward of the whole province saves one (403 `forbidden`). ' +
    'An unreadable cron answers 400 `invalid_body`; an unknown template 404 `unknown_report_template`.',
  params: scheduleParams,
  body: documentedAs(reportScheduleSchema, 'A report schedule'),
  statuses: [200, 201],
  response: scheduleView,
  errors: [400, 403, 404, 413, 415],
});

const deliveryView = z.object({
  address: z.string(),
  status: z.enum(['queued', 'sent', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  sentAt: z.string().nullable(),
});

export const renderingSchema = z.object({
  id: z.number().int(),
  scheduleCode: z.string(),
  kind: z.enum(['report', 'export']),
  templateCode: z.string().describe('The template rendered, or the table exported'),
  periodKey: z.string(),
  format: z.string(),
  renderedAt: z.string(),
  status: z.enum(['rendered', 'failed']).describe('failed: nothing was made (the error says why), nothing sent'),
  error: z.string().nullable(),
  sha256: z.string().nullable().describe('The file’s SHA-256 (hex); null when it failed'),
  size: z.number().int(),
  deliveries: z.array(deliveryView),
});
export type RenderingView = z.infer<typeof renderingSchema>;

export const renderings = route({
  method: 'GET',
  path: '/api/reports/schedules/:code/renderings',
  tags: TAGS,
  summary: 'What a schedule rendered (newest first), each file’s SHA-256 and its delivery to each recipient',
  description: 'A failed delivery is retried with backoff; after its last try it stays `failed` with the error. A run that could make no file (PDF without Chromium, a template or indicator gone, the owner without access) is listed `failed` with why.',
  params: scheduleParams,
  response: z.object({ renderings: z.array(renderingSchema) }),
  errors: [400, 403, 404],
});

export const renderingParams = z.object({ code: reportScheduleCodeSchema, id: z.coerce.number().int().positive() });

export const renderingFile = route({
  method: 'GET',
  path: '/api/reports/schedules/:code/renderings/:id/file',
  tags: TAGS,
  summary: 'The file a schedule rendered, as it was kept and sent',
  description:
    'The stored bytes with their media type and file name; `ETag` and `x-content-sha256` carry the SHA-256 kept when it was rendered (`If-None-Match` with it answers 304). ' +
    'A rendering that failed has no file: 404 `unknown_report_rendering`.',
  params: renderingParams,
  response: fileAnswer('application/octet-stream'),
  errors: [400, 403, 404],
});

/** 201 when it rendered anew, 200 when the period was already rendered. */
export const runSchedule = route({
  method: 'POST',
  path: '/api/reports/schedules/:code/run',
  tags: TAGS,
  summary: 'Run a schedule now, for the period before today: rendered, kept and queued to its recipients',
  description:
    'The period is counted back from now as a scheduled run counts it. A period already rendered is answered as it is (200); one that failed is rendered again. ' +
    'The e-mails go out with the scheduler’s next tick. A run that can make no file is kept as `failed` with why (201 all the same).',
  params: scheduleParams,
  statuses: [200, 201],
  response: renderingSchema,
  errors: [400, 403, 404],
});
