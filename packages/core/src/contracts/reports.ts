import { z } from 'zod';
import { fileAnswer, route } from '../contract';
import { periodKeySchema } from '../indicators';
import { reportTemplateCodeSchema, reportTemplateSchema, reportTemplateSummarySchema, PLACEHOLDER_KINDS } from '../reports';
import { documentedAs } from './catalogue';

/** The HTTP contract of report templates (the monthly documents as data) and their rendering. See ../contract.ts. */

const TAGS = ['reports'];

export const templateParams = z.object({ code: reportTemplateCodeSchema });

const REFUSAL =
  'A refused template answers 400 `invalid_report_template` with `details` listing each problem as `{ path, reason, message }`: ' +
  `reason \`unknown_placeholder\` for a \`{{…}}\` that is not one of ${PLACEHOLDER_KINDS.join(', ')} written \`{{what:INDICATOR}}\` or \`{{what:INDICATOR@PLACE}}\`, ` +
  '`unknown_indicator` for an indicator missing from the catalogue, or the schema’s own reason.';

export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

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
  summary: 'The report for a period, as a Word document (DOCX)',
  description:
    'Each placeholder is filled with the figure the screens show for the province (or the place it names) and the period, as the caller’s scope sees it: ' +
    'an indicator the caller may not see answers 404 `unknown_indicator`. A provisional or incomplete figure carries a footnote saying so; ' +
    'a missing one reads "(chưa có số liệu)". An annex lists each figure’s source and the date it was last updated. Numbers in Vietnamese format (1.234,5), dates dd/mm/yyyy.',
  params: templateParams,
  query: z.object({
    period: periodKeySchema.optional().describe('The period reported on (2026-10, 2026-Q3…); default: the last whole month'),
    format: z.enum(['docx']).default('docx').describe('docx (Word, for offices to edit)'),
  }),
  response: fileAnswer(DOCX),
  errors: [400, 404],
});
