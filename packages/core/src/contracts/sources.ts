import { z } from 'zod';
import { fileAnswer, multipart, route } from '../contract';
import { exportQueryShape, withExportDescription } from '../exports';
import { indicatorDomainSchema } from '../indicators';
import { encodingReadSchema, fileEncodingSchema, ingestResultSchema, numberStyleSchema, observationFieldSchema, rejectedRowSchema, runSchema, sourceAliasSchema, sourceCodeSchema, sourceCreateSchema, sourceMappingSchema, sourceSchema, sourceUpdateSchema } from '../sources';

/**
 * The HTTP contract of sources: their registration and tokens, their runs
 * and rejected rows, the XLSX template; and the two channels that write,
 * HTTP push and file upload. See ../contract.ts.
 */

const TAGS = ['sources'];

/** `:code`, a source's code: the path parameter of every route of one source. */
export const sourceParams = z.object({ code: sourceCodeSchema });
/** `:id`, a run's number. */
export const runParams = z.object({ id: z.coerce.number().int().positive() });
/** `?dryRun=true`: read and check, write nothing. */
export const dryRunQuery = z.enum(['true', 'false']).optional().describe('true: say what would be accepted and rejected, write nothing, record no run');

/** A source with its push token, shown this once. */
export const tokenAnswerSchema = z.object({ source: sourceSchema, token: z.string().nullable().describe('The push token: shown this once, stored only as a hash') });

/** The runs of a source. */
export const runsAnswerSchema = z.object({ runs: z.array(runSchema) });

/** A page of the rows a run refused, with the run and how many it refused in all. */
export const rejectedAnswerSchema = z.object({ run: runSchema, total: z.number().int(), rows: z.array(rejectedRowSchema) });
export type RejectedAnswer = z.infer<typeof rejectedAnswerSchema>;

/** What an ingestion answers, told in the push and upload descriptions. */
export const RESULT =
  'Answers with the run: rows read, accepted (created, revised, unchanged), rejected, and the first rejected rows with their line and coded reason ' +
  '(all of them at /api/runs/{id}/rejected, or as CSV to fix and resend). Rows are written in batches of up to 5,000, each all or nothing; ' +
  'sending the same rows again creates no duplicates. A failure part-way answers 500 `ingestion_failed` with `details.checkpoint`: the batches before it are kept.';

export const list = route({
  method: 'GET',
  path: '/api/sources',
  tags: TAGS,
  summary: 'Every source in the caller’s scope, by code (never its credentials)',
  response: z.object({ sources: z.array(sourceSchema) }),
});

export const create = route({
  method: 'POST',
  path: '/api/sources',
  tags: TAGS,
  summary: 'Register a source',
  description:
    'An `http_push` source gets a token, returned in this answer only; keep it, it is stored as a hash. Credentials are stored encrypted ' +
    '(WATCHFLOOR_SECRET_KEY must be set, else 503 `secret_key_not_configured`) and never returned. The owner must lie within the caller’s scope (403 `forbidden`).',
  body: sourceCreateSchema,
  statuses: [201],
  response: tokenAnswerSchema,
  errors: [400, 403, 404, 409, 413, 415, 503],
});

export const template = route({
  method: 'GET',
  path: '/api/sources/templates/observations.xlsx',
  tags: TAGS,
  summary: 'The XLSX template to fill in and upload, listing the indicators of a domain',
  description: 'A workbook with the sheet "Số liệu" (Mã chỉ tiêu, Mã đơn vị, Kỳ, Giá trị, Trạng thái, Mã cơ quan, Ghi chú), the sheet "Chỉ tiêu" and a short guide.',
  query: z.object({ domain: indicatorDomainSchema.optional().describe('Only the indicators of this domain; default: all') }),
  response: fileAnswer('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
  errors: [400, 404],
});

export const detail = route({
  method: 'GET',
  path: '/api/sources/:code',
  tags: TAGS,
  summary: 'One source (never its credentials); 404 outside the caller’s scope',
  params: sourceParams,
  response: sourceSchema,
  errors: [400, 404],
});

export const update = route({
  method: 'PATCH',
  path: '/api/sources/:code',
  tags: TAGS,
  summary: 'Change a source: name, owner, schedule, expected delivery, mapping, credentials (null removes them), enabled',
  description:
    'A source outside the caller’s scope answers 404; one they may read but not manage, or a new owner outside their scope, 403 `forbidden`. Credentials are sent only to the host they were stored for: a `pull` whose address moves to another host (or port) drops the stored credentials unless `credentials` come in the same request.',
  params: sourceParams,
  body: sourceUpdateSchema,
  response: sourceSchema,
  errors: [400, 403, 404, 413, 415, 503],
});

export const enable = route({
  method: 'POST',
  path: '/api/sources/:code/enable',
  tags: TAGS,
  summary: 'Enable a source',
  params: sourceParams,
  response: sourceSchema,
  errors: [400, 403, 404],
});

export const disable = route({
  method: 'POST',
  path: '/api/sources/:code/disable',
  tags: TAGS,
  summary: 'Disable a source: its pushes are refused (409 source_disabled) and it is never counted late',
  params: sourceParams,
  response: sourceSchema,
  errors: [400, 403, 404],
});

export const rotateToken = route({
  method: 'POST',
  path: '/api/sources/:code/token',
  tags: TAGS,
  summary: 'Issue a new push token for a source; the previous one stops working',
  params: sourceParams,
  response: tokenAnswerSchema,
  errors: [400, 403, 404],
});

export const addAlias = route({
  method: 'POST',
  path: '/api/sources/:code/aliases',
  tags: TAGS,
  summary: 'Add one of the source’s own names for a unit or agency (e.g. from a rejected row): later rows that write it resolve to that code',
  description:
    'The name (or a legacy code such as "STC") is kept in the source mapping’s `aliases` and compared folded (diacritics, case and punctuation aside); ' +
    'an alias of the same name is replaced. The code must exist (404 `unknown_place_code`, `unknown_organisation_code`) and lie within the caller’s scope of ' +
    'supplying data (403 `forbidden`); rows keep being bounded by the source’s coverage. Audited as `source.alias`.',
  params: sourceParams,
  body: sourceAliasSchema,
  response: sourceSchema,
  errors: [400, 403, 404],
});

/** What of a mapping says how a report's sheet is read: its report layout, which the officer who supplies the source's files keeps. */
export const reportLayoutSchema = sourceMappingSchema
  .pick({ columns: true, values: true, cells: true, defaults: true, names: true, numbers: true, encoding: true })
  .describe('How the source\'s report sheets are read: the mapping\'s columns, values, cells, defaults, names, numbers and encoding');
export type ReportLayout = z.infer<typeof reportLayoutSchema>;

export const saveLayout = route({
  method: 'PUT',
  path: '/api/sources/:code/layout',
  tags: TAGS,
  summary: 'Save how the source’s report sheets are read (its report layout): replaces the mapping’s columns, values, cells, defaults, names, numbers and encoding',
  description:
    'For the officer who supplies the source’s files (`data.supply` over it; 403 `forbidden` otherwise, 404 outside the caller’s scope): the rest of the mapping ' +
    '(aliases, target, sensors) is kept. Try a layout first with `mapping` on a dry-run upload. Audited as `source.layout`.',
  params: sourceParams,
  body: reportLayoutSchema,
  response: sourceSchema,
  errors: [400, 403, 404],
});

/** The head of an uploaded sheet, to map it. */
export const sheetHeadSchema = z.object({
  fileName: z.string().nullable(),
  format: z.enum(['csv', 'xlsx']),
  sheet: z.string().nullable().describe('XLSX: the worksheet read (the first with rows)'),
  encoding: encodingReadSchema.nullable().describe('CSV: the encoding the text was read in'),
  rows: z.array(z.object({ line: z.number().int(), cells: z.array(z.string()) })).describe('The first rows as text: title rows, the header, the first data rows'),
  headerLine: z.number().int().nullable().describe('The header row: the one asked for, else the one found'),
  columns: z
    .array(z.object({ letter: z.string(), label: z.string(), field: observationFieldSchema.nullable(), samples: z.array(z.string()) }))
    .describe('The header\'s columns: letter, header as read (both rows of a two-row header, "Hồ sơ / Tiếp nhận"), the field a known header names, the first data cells'),
  titlePeriod: z.object({ cell: z.string(), value: z.string() }).nullable().describe('A period the title rows name, with its cell'),
  fileNamePeriod: z.string().nullable().describe('A period the file name names'),
});
export type SheetHeadAnswer = z.infer<typeof sheetHeadSchema>;

export const sheet = route({
  method: 'POST',
  path: '/api/sources/:code/sheet',
  tags: TAGS,
  summary: 'Read the head of a report file (its first rows and header columns) to build the source’s report layout; nothing is written',
  description:
    'multipart/form-data with the file in a field `file`, read as an upload is (encodings, limits and refusals alike). The header row is `header` when given, ' +
    'else the one the source\'s value columns name, else the last of the first rows of several text cells. Who may upload to the source may read one (`data.supply`).',
  params: sourceParams,
  query: z.object({
    encoding: fileEncodingSchema.optional().describe('The encoding of a CSV file; default: the source mapping\'s, else detected'),
    header: z.coerce.number().int().min(1).max(1000).optional().describe('The line (sheet row) of the header'),
  }),
  body: multipart('file'),
  response: sheetHeadSchema,
  errors: [400, 403, 404, 413, 415],
});

export const runs = route({
  method: 'GET',
  path: '/api/sources/:code/runs',
  tags: TAGS,
  summary: 'The runs of a source, newest first',
  description: withExportDescription(
    'Exported, a row is a run: id, started, finished, duration in seconds, channel, status, rows read, accepted and rejected, new, revised and unchanged figures, file, who entered it, error.',
  ),
  params: sourceParams,
  query: z.object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    before: z.coerce.number().int().positive().optional().describe('Only runs with a smaller id (the next page)'),
    ...exportQueryShape,
  }),
  response: runsAnswerSchema,
  errors: [400, 404],
});

export const run = route({
  method: 'GET',
  path: '/api/runs/:id',
  tags: TAGS,
  summary: 'One run: counts, duration, status, error, checkpoint',
  params: runParams,
  response: runSchema,
  errors: [400, 404],
});

export const rejected = route({
  method: 'GET',
  path: '/api/runs/:id/rejected',
  tags: TAGS,
  summary: 'The rows a run refused, in the order read, each with its line, coded reason and the row as received',
  params: runParams,
  query: z.object({ limit: z.coerce.number().int().min(1).max(5000).default(500), offset: z.coerce.number().int().min(0).default(0) }),
  response: rejectedAnswerSchema,
  errors: [400, 404],
});

export const rejectedCsv = route({
  method: 'GET',
  path: '/api/runs/:id/rejected.csv',
  tags: TAGS,
  summary: 'The rows a run refused, as CSV (UTF-8) to fix and upload again',
  description: 'Columns: line, reason, message, indicator, place, period, organisation, value, status, note, raw. Uploading the fixed file reads the observation columns and ignores the others.',
  params: runParams,
  response: fileAnswer('text/csv; charset=utf-8'),
  errors: [400, 404],
});

/**
 * The body is JSON or NDJSON read as it streams in, by the route itself:
 * no schema holds it whole.
 */
export const push = route({
  method: 'POST',
  path: '/api/sources/:code/push',
  tags: TAGS,
  summary: 'Push observations to a source, as JSON or NDJSON, with its token',
  description:
    'Send `Authorization: Bearer <token>`. The body is `application/json` (an array of rows, or `{ "observations": [ … ] }`) or ' +
    '`application/x-ndjson` (one row a line); each row is `{ indicator, place, period, value, unit?, status?, organisation?, note? }`. ' +
    '`place` and `organisation` are codes or names (resolved as valid during the period, after the source\'s aliases); a `unit` of the indicator\'s family is converted to the indicator\'s unit. ' +
    `The body is read as it streams in, up to WATCHFLOOR_PUSH_LIMIT_BYTES (413 \`body_too_large\`). A line that is not JSON is a rejected row (\`invalid_json\`) with its line number. ${RESULT}`,
  params: sourceParams,
  query: z.object({ dryRun: dryRunQuery }),
  response: ingestResultSchema,
  errors: [400, 401, 404, 409, 413, 415, 500],
});

export const upload = route({
  method: 'POST',
  path: '/api/sources/:code/upload',
  tags: TAGS,
  summary: 'Upload a CSV or XLSX file of observations to a source',
  description:
    'multipart/form-data with the file in a field `file`. CSV in UTF-8 (a BOM is fine), UTF-16 with its BOM, Windows-1258, or the pre-Unicode TCVN3 (ABC) ' +
    'or VNI, converted to Unicode NFC: the encoding is `encoding`, else the source mapping\'s, else told from the bytes (UTF-8 when they are; otherwise the ' +
    'legacy reading with the most words that are Vietnamese syllables, a tie going to Windows-1258). The answer\'s `encoding` says which, how it was chosen ' +
    'and shows a line as read. Bytes that read as Vietnamese in none are 415 `unsupported_encoding`; a declared encoding they cannot be in, 415 ' +
    '`encoding_mismatch`. A file refused whole (these, and the refusals below) is kept as a failed run with its code, `details.runId` (none for a dry run). ' +
    'Separated by commas, ' +
    'semicolons or tabs. Headers in Vietnamese or English (Mã chỉ tiêu / indicator, Mã đơn vị / place, Kỳ / period, Giá trị / value, Trạng thái / status, ' +
    'Mã cơ quan / organisation, Ghi chú / note), title rows above them allowed (400 `missing_columns` when none is found). Periods as 10/2026, 14/10/2026, ' +
    'Quý 3/2026, 2026 or period keys. Numbers as `1.234.567,89` or `1,234,567.89`: given by `numbers`, else by the source mapping, else detected ' +
    '(a value that reads both ways in a file that gives no clue is rejected as `ambiguous_number`). An empty file is 400 `empty_file`, a file that is ' +
    `not a workbook 415 \`not_a_spreadsheet\`, one over WATCHFLOOR_UPLOAD_LIMIT_BYTES 413 \`file_too_large\`. ` +
    'A wide sheet (one row per unit, several value columns named by the source mapping\'s `values`) gives one figure per value column: an empty or unreadable value cell refuses ' +
    'that figure only, its column named; a row whose unit or period cell is empty or unreadable is refused whole. The period (place, organisation) comes from its column, ' +
    'else `period=` (`place=`, `organisation=`), a cell the mapping names, the title rows ("THÁNG 10 NĂM 2026"), the file name ("bao-cao-thang-10-2026.xlsx"); ' +
    '`layout` says where each came from (400 `period_not_found` when nothing gives one). A total row ("Tổng cộng", "Cộng", "Tổng số") is not stored: it is checked ' +
    'against the sum of the rows, a difference beyond rounding a `total_mismatch` warning on the run. A formula cell gives its stored result; one saved without it is refused ' +
    '`formula_without_value`. ' +
    'A dry run may carry, before the file, a form field `mapping`: a report layout (JSON, as saved at /api/sources/{code}/layout) to read the file by instead of the saved one, to try it before saving it (400 `invalid_parameter` with a write). ' +
    `A source outside the caller’s scope answers 404; one they may read but not supply, 403 \`forbidden\`. ${RESULT}`,
  params: sourceParams,
  query: z.object({
    dryRun: dryRunQuery,
    numbers: numberStyleSchema.default('auto').describe('vi: 1.234,5; en: 1,234.5; auto: detected'),
    encoding: fileEncodingSchema.optional().describe('The encoding of a CSV file (utf-8, utf-16, windows-1258, tcvn3, vni); default: the source mapping\'s, else detected'),
    period: z.string().min(1).max(40).optional().describe('The period of the whole file (2026-10, 10/2026, Quý 3/2026, 2026): rows without a period cell take it, before what the title rows or the file name say'),
    place: z.string().min(1).max(80).optional().describe('The unit of the whole file: rows without a unit cell take it'),
    organisation: z.string().min(1).max(40).optional().describe('The reporting organisation of the whole file: rows without an organisation cell take it'),
  }),
  body: multipart('file'),
  response: ingestResultSchema,
  errors: [400, 403, 404, 409, 413, 415, 500],
});
