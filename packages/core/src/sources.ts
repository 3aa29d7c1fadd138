import { z } from 'zod';
import { addDays, isoDateSchema, vietnamDate, type IsoDate } from './dates';
import { directiveColumnsSchema } from './directives/spreadsheet';
import { errorCodeSchema } from './errors';
import { observationStatusSchema } from './indicators/observation';
import { rejectionReasonSchema } from './rejections';
import { instantSchema, parsePeriod, periodContaining, periodEnd, periodKey, type Period } from './indicators/periods';
import { indicatorCodeSchema } from './indicators/shared';
import { pullConfigProblem, pullConfigSchema } from './pull';
import { sensorMappingSchema } from './sensors';

/**
 * Sources (nguồn dữ liệu) and runs (lần đồng bộ): the schemas every channel
 * and the API share, and the pure rules of freshness — when a source's data
 * is due and how late it is — so the API, the CLI and the web app agree.
 */

/** `derived`: figures the system computes from its own records (cases, dossiers); such sources are registered by the system only. */
export const SOURCE_KINDS = ['http_push', 'file', 'http_pull', 'sql_pull', 'mqtt', 'manual', 'derived'] as const;
export const sourceKindSchema = z.enum(SOURCE_KINDS).describe('The channel the source sends through');
export type SourceKind = z.infer<typeof sourceKindSchema>;

export const sourceCodeSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1–64 letters, digits, dots, dashes or underscores, starting with a letter or digit')
  .describe('Source code, e.g. STC-NGANSACH');

const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

/** An ISO-8601 duration in whole units (P1M, P1D, PT15M, P1DT12H). */
export const isoDurationSchema = z.string().regex(ISO_DURATION, 'must be an ISO-8601 duration such as P1D, P1M or PT15M').describe('ISO-8601 duration, e.g. PT15M');

export interface IsoDuration {
  years: number;
  months: number;
  days: number;
  milliseconds: number;
}

/** Reads an ISO-8601 duration; throws on anything else (validate with isoDurationSchema first). */
export function parseIsoDuration(text: string): IsoDuration {
  const m = ISO_DURATION.exec(text);
  if (!m) throw new Error(`not an ISO-8601 duration: ${text}`);
  const n = (s: string | undefined) => (s ? Number(s.slice(0, -1)) : 0);
  return { years: n(m[1]), months: n(m[2]), days: n(m[3]) * 7 + n(m[4]), milliseconds: ((n(m[6]) * 60 + n(m[7])) * 60 + n(m[8])) * 1000 };
}

/** `at` plus a duration: years and months by the calendar (UTC), days and times exactly. */
export function addDuration(at: Date, d: IsoDuration): Date {
  const t = new Date(at);
  if (d.years || d.months) t.setUTCMonth(t.getUTCMonth() + d.years * 12 + d.months);
  return new Date(t.getTime() + d.days * 86_400_000 + d.milliseconds);
}

const CRON_FIELD = /^[0-9*?LW#/,A-Za-z-]+$/;

/** When a pull runs: an ISO-8601 duration between runs, or a 5- or 6-field cron expression (Vietnam time). */
export const scheduleSchema = z
  .string()
  .max(120)
  .refine((s) => ISO_DURATION.test(s) || ((n) => n === 5 || n === 6)(s.trim().split(/\s+/).length) && s.trim().split(/\s+/).every((f) => CRON_FIELD.test(f)), {
    message: 'must be an ISO-8601 duration (PT15M) or a cron expression (0 7 * * *)',
  })
  .describe('An ISO-8601 duration between runs (PT15M) or a cron expression in Vietnam time (0 7 5 * *)');

/** The reporting periods a source can owe data for. */
export const SOURCE_FREQUENCIES = ['day', 'month', 'quarter', 'half', 'year'] as const;

/**
 * When a source's data is due: per reporting period, by the end of the
 * (Vietnamese) day `afterPeriodEndDays` after the period ends ("October's
 * figures by 5 November"); or, for streams and pulls, at most `every` apart.
 */
export const expectedDeliverySchema = z
  .union([
    z.object({ frequency: z.enum(SOURCE_FREQUENCIES), afterPeriodEndDays: z.number().int().min(0).max(366) }).strict(),
    z.object({ every: isoDurationSchema.describe('Late once nothing has arrived for this long, e.g. PT1H') }).strict(),
  ])
  .describe('When data is due: { frequency, afterPeriodEndDays } for periodic reports, { every } for streams and pulls');
export type ExpectedDelivery = z.infer<typeof expectedDeliverySchema>;

/** The observation fields a file column or a default can supply. */
export const OBSERVATION_FIELDS = ['indicator', 'place', 'period', 'value', 'status', 'organisation', 'note'] as const;
export const observationFieldSchema = z.enum(OBSERVATION_FIELDS);
export type ObservationField = z.infer<typeof observationFieldSchema>;

/** How numbers are written: `1.234.567,89` (vi), `1,234,567.89` (en), or detected per file. */
export const NUMBER_STYLES = ['auto', 'vi', 'en'] as const;
export const numberStyleSchema = z.enum(NUMBER_STYLES);
export type NumberStyle = z.infer<typeof numberStyleSchema>;

/**
 * One value column of a wide sheet (one row per unit, several figures per
 * row): its header, the indicator its figures are, and optionally the unit
 * they are written in and their status.
 */
export const valueColumnSchema = z
  .object({
    column: z.string().min(1).max(200).describe('The column\'s header; under a header spanning two rows, the lower one ("Tiếp nhận") or both ("Hồ sơ / Tiếp nhận")'),
    indicator: indicatorCodeSchema,
    unit: z.string().min(1).max(32).optional().describe('The unit the column is written in (e.g. "triệu đồng"), passed on with each figure'),
    status: observationStatusSchema.optional().describe('The status of the column\'s figures (e.g. a plan column is final, an estimate provisional)'),
  })
  .strict();
export type ValueColumn = z.infer<typeof valueColumnSchema>;

/** A cell of a sheet by its reference: A1, C3 … */
export const cellRefSchema = z.string().regex(/^[A-Z]{1,3}[1-9]\d{0,6}$/, 'must be a cell reference such as A3');

/** The key fields a whole file can give once rather than per row. */
export const FILE_KEYS = ['period', 'place', 'organisation'] as const;
export type FileKey = (typeof FILE_KEYS)[number];

/** Where a file's period (place, organisation) was read: a column, a named cell, the title rows, the file name, a value declared with the upload, or the mapping's default. */
export const KEY_ORIGINS = ['column', 'cell', 'title', 'file_name', 'declared', 'default'] as const;
export const keyOriginSchema = z.enum(KEY_ORIGINS);
export type KeyOrigin = z.infer<typeof keyOriginSchema>;

const PLACE_CODE_TEXT = /^(VN|\d{2,5})$/;
const ORGANISATION_CODE_TEXT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;
const aliasTable = (code: z.ZodString) =>
  z
    .record(z.string().min(1).max(200), code)
    .refine((t) => Object.keys(t).length <= 5000, { message: 'at most 5000 aliases' });

/**
 * A source's own names for units and agencies, for names no folding
 * reaches and legacy codes ("STC" → "VL-STC"): looked up before anything
 * else, compared folded (diacritics, case and punctuation aside).
 */
export const sourceAliasesSchema = z
  .object({
    places: aliasTable(z.string().regex(PLACE_CODE_TEXT, 'must be a place code')).optional().describe('Name (or legacy code) as the source writes it → place code'),
    organisations: aliasTable(z.string().regex(ORGANISATION_CODE_TEXT, 'must be an organisation code')).optional().describe('Name or legacy code → organisation code, e.g. { "STC": "VL-STC" }'),
  })
  .strict()
  .describe('The source\'s own names for units and agencies');
export type SourceAliases = z.infer<typeof sourceAliasesSchema>;

/** One alias to add to a source, e.g. from a rejected row: what the source wrote and the unit or agency it means. */
export const sourceAliasSchema = z
  .object({
    kind: z.enum(['place', 'organisation']),
    name: z.string().trim().min(1).max(200).describe('The name or legacy code as the source writes it'),
    code: z.string().min(1).max(40).describe('The place or organisation code it means'),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (!(a.kind === 'place' ? PLACE_CODE_TEXT : ORGANISATION_CODE_TEXT).test(a.code)) ctx.addIssue({ code: 'custom', path: ['code'], message: `must be ${a.kind === 'place' ? 'a place' : 'an organisation'} code` });
  });
export type SourceAlias = z.infer<typeof sourceAliasSchema>;

/**
 * The character encodings a CSV file may be in (an XLSX file is always
 * Unicode): UTF-8, UTF-16 (with its byte-order mark), Windows-1258, and the
 * pre-Unicode Vietnamese font encodings TCVN3 (ABC, .VnTime) and VNI.
 */
export const FILE_ENCODINGS = ['utf-8', 'utf-16', 'windows-1258', 'tcvn3', 'vni'] as const;
export const fileEncodingSchema = z.enum(FILE_ENCODINGS);
export type FileEncoding = z.infer<typeof fileEncodingSchema>;

/** How a CSV file's text was read: in which encoding, chosen how, and a line of it as read. */
export const encodingReadSchema = z.object({
  encoding: fileEncodingSchema,
  chosenBy: z.enum(['declared', 'detected']).describe('declared: with the upload or as the source\'s default; detected: told from the bytes'),
  sample: z.string().nullable().describe('A line of the file as read (the first with a letter beyond ASCII), to tell a wrong reading'),
});
export type EncodingRead = z.infer<typeof encodingReadSchema>;

/** How a source's rows map onto observations, beyond the headers Watchfloor knows (Vietnamese and English). */
export const sourceMappingSchema = z
  .object({
    columns: z.record(z.string().min(1).max(200), observationFieldSchema).optional().describe('Extra header → field, e.g. { "Chỉ số": "value" }'),
    values: z
      .array(valueColumnSchema)
      .min(1)
      .max(100)
      .optional()
      .describe('A wide sheet\'s value columns, each with its indicator: one row of the file gives one figure per column'),
    cells: z
      .object({ period: cellRefSchema.optional(), place: cellRefSchema.optional(), organisation: cellRefSchema.optional() })
      .strict()
      .optional()
      .describe('Cells above the header that give the period, place or organisation of the whole sheet, e.g. { "period": "A3" }'),
    defaults: z
      .object({
        indicator: indicatorCodeSchema.optional(),
        place: z.string().max(8).optional(),
        organisation: z.string().max(40).optional(),
        status: observationStatusSchema.optional(),
        unit: z.string().min(1).max(32).optional().describe('The unit the values are written in (e.g. "triệu đồng"): converted to the indicator\'s'),
      })
      .strict()
      .optional()
      .describe('Values for fields a row leaves out (e.g. the reporting organisation)'),
    names: z
      .array(z.enum(['place', 'organisation']))
      .max(2)
      .optional()
      .describe('Fields whose cells are names even where they look like codes; any cell that is not a code is read as a name anyway'),
    aliases: sourceAliasesSchema.optional(),
    numbers: numberStyleSchema.optional().describe('How the files of this source write numbers (default: detected)'),
    encoding: fileEncodingSchema.optional().describe('The character encoding of this source\'s CSV files (default: detected); an upload\'s `encoding` overrides it'),
    sensors: sensorMappingSchema.optional().describe('Sensor sources: the MQTT subscription, or a file export\'s sites and parameters'),
    target: z
      .enum(['observations', 'dossiers', 'dossier_totals', 'directives'])
      .optional()
      .describe(
        'What the rows are: observations (default); public-service dossiers (hồ sơ TTHC), saved by their code; dossier totals (dossier_totals): an agency\'s monthly counts per unit, each value column naming a PS_DOSSIER_* measure, counted into the Decision 766 figures where the agency has no dossier record for that unit and month; or leadership directives (directives): documents with their tasks, saved by number and task key',
      ),
    directiveColumns: directiveColumnsSchema.optional().describe('Directive sources: the file’s own headings → fields, beyond the known ones ("Số/ký hiệu", "Hạn xử lý" …)'),
  })
  .strict();
export type SourceMapping = z.infer<typeof sourceMappingSchema>;

/** Credentials for pulls, e.g. { "username": …, "password": … }: stored encrypted, never returned. */
export const credentialsSchema = z.record(z.string().min(1).max(100), z.string().max(4000));
export type Credentials = z.infer<typeof credentialsSchema>;

/**
 * What a source may report for: every row it sends must lie in one of the
 * place subtrees and, when the row names an organisation (or is a dossier,
 * which always has one), in one of the organisation subtrees. A member left
 * out takes its default: the owner organisation's place subtree, and the
 * owner organisation's own subtree. A row outside is refused `out_of_scope`.
 */
export const sourceCoverageSchema = z
  .object({
    places: z
      .array(z.string().regex(/^(VN|\d{2,5})$/, 'must be a place code'))
      .min(1)
      .max(500)
      .optional()
      .describe('Place codes: the units (and everything under them, through lineage too) the source reports for; default: its owner’s place'),
    organisations: z
      .array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'must be an organisation code'))
      .min(1)
      .max(500)
      .optional()
      .describe('Organisation codes: the agencies (and their units) the source may name in a row; default: its owner and its units'),
  })
  .strict()
  .describe('What the source may report for; null or a member left out: its owner organisation’s place and organisation subtrees');
export type SourceCoverage = z.infer<typeof sourceCoverageSchema>;

export const sourceSchema = z.object({
  code: z.string(),
  name: z.string(),
  kind: sourceKindSchema,
  ownerOrganisationCode: z.string().describe('The agency accountable for the data'),
  schedule: z.string().nullable(),
  expected: expectedDeliverySchema.nullable(),
  mapping: sourceMappingSchema.nullable(),
  enabled: z.boolean(),
  hasCredentials: z.boolean().describe('Whether credentials are stored; they are never returned'),
  hasToken: z.boolean().describe('Whether a push token is set; it is shown only when created'),
  pull: pullConfigSchema.nullable().optional().describe('Pull sources: how they are read (secrets appear only as {{credentials.NAME}})'),
  coverage: sourceCoverageSchema.nullable().describe('What the source may report for; null: its owner’s place and organisation subtrees'),
  lastArrivalAt: z.string().nullable().describe('When the source last delivered accepted rows (UTC)'),
  lastPeriodEnd: isoDateSchema.nullable().describe('The latest period end among the figures it delivered'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Source = z.infer<typeof sourceSchema>;

export const sourceCreateSchema = z
  .object({
    code: sourceCodeSchema,
    name: z.string().min(1).max(200),
    kind: sourceKindSchema,
    ownerOrganisationCode: z.string().min(1).max(40).describe('Code of the agency accountable for the data'),
    schedule: scheduleSchema.nullable().default(null),
    expected: expectedDeliverySchema.nullable().default(null),
    mapping: sourceMappingSchema.nullable().default(null),
    credentials: credentialsSchema.nullable().default(null),
    enabled: z.boolean().default(true),
    pull: pullConfigSchema.nullable().default(null).describe('Required for http_pull and sql_pull sources, refused for the others'),
    coverage: sourceCoverageSchema.nullable().default(null),
  })
  .strict()
  .superRefine((s, ctx) => {
    const problem = pullConfigProblem(s.kind, s.pull);
    if (problem) ctx.addIssue({ code: 'custom', path: ['pull'], message: problem });
    if (s.kind === 'derived') ctx.addIssue({ code: 'custom', path: ['kind'], message: 'derived sources are registered by the system' });
  });
export type SourceCreate = z.infer<typeof sourceCreateSchema>;

export const sourceUpdateSchema = z
  .object({
    name: z.string().min(1).max(200),
    ownerOrganisationCode: z.string().min(1).max(40),
    schedule: scheduleSchema.nullable(),
    expected: expectedDeliverySchema.nullable(),
    mapping: sourceMappingSchema.nullable(),
    credentials: credentialsSchema.nullable().describe('New credentials; null removes them'),
    enabled: z.boolean(),
    pull: pullConfigSchema.nullable().describe('Pull sources: a new pull configuration (the cursor is kept)'),
    coverage: sourceCoverageSchema.nullable().describe('What the source may report for; null: its owner’s place and organisation subtrees'),
  })
  .partial()
  .strict()
  .refine((u) => Object.keys(u).length > 0, { message: 'give at least one field to change' });
export type SourceUpdate = z.infer<typeof sourceUpdateSchema>;

/** Why a row of an ingestion was refused: the write path's reasons and the channels' own. */

/** At most this many bytes (UTF-8) of what a rejected row received are kept and answered: enough to fix the row, never a whole answer or file. */
export const REJECTED_EXCERPT_BYTES = 1024;

const encoder = new TextEncoder();

/**
 * Text cut to at most `maxBytes` of UTF-8, on a character boundary, ending
 * with "…" when cut; NUL characters become U+FFFD (PostgreSQL's text cannot
 * hold them, and a rejected row must never fail its batch).
 */
export function excerpt(text: string, maxBytes = REJECTED_EXCERPT_BYTES): string {
  const clean = text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
  // Each UTF-16 unit is at most 3 bytes: short text needs no encoding to know it fits.
  if (clean.length * 3 <= maxBytes || encoder.encode(clean).length <= maxBytes) return clean;
  let bytes = 3; // the ellipsis
  let end = 0;
  for (const ch of clean) {
    const n = encoder.encode(ch).length;
    if (bytes + n > maxBytes) break;
    bytes += n;
    end += ch.length;
  }
  return `${clean.slice(0, end)}…`;
}

/** A rejected row's JSON as kept: null when longer than the excerpt allows (its raw excerpt remains), escaped NULs made U+FFFD. */
export function rejectedRowJson(json: string | null): string | null {
  if (json === null || json.length > REJECTED_EXCERPT_BYTES || encoder.encode(json).length > REJECTED_EXCERPT_BYTES) return null;
  return json.includes('\\u0000') ? json.replaceAll('\\u0000', '\\ufffd') : json;
}

export const RUN_STATUSES = ['running', 'succeeded', 'partial', 'failed'] as const;
export const runStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const RUN_CHANNELS = ['http_push', 'file', 'http_pull', 'sql_pull', 'mqtt', 'manual', 'derived'] as const;
export const runChannelSchema = z.enum(RUN_CHANNELS);
export type RunChannel = z.infer<typeof runChannelSchema>;

/** Where the last committed batch of a run ended: resume after `line` (or after `rows` rows). */
export const runCheckpointSchema = z.object({
  rows: z.number().int(),
  line: z.number().int().nullable(),
  cursor: z.string().nullable().optional().describe('Pulls: the cursor just after the last committed row, where the next pull starts'),
});
export type RunCheckpoint = z.infer<typeof runCheckpointSchema>;

/** Something doubtful a run found and kept, without refusing a row. */
export const runWarningSchema = z.object({
  code: z.enum(['total_mismatch']).describe('total_mismatch: a total row ("Tổng cộng") differs from the sum of the rows beyond rounding'),
  line: z.number().int().nullable(),
  column: z.string().nullable(),
  message: z.string(),
});
export type RunWarning = z.infer<typeof runWarningSchema>;

export const runSchema = z.object({
  id: z.number().int(),
  source: z.string(),
  channel: runChannelSchema,
  status: runStatusSchema,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  rowsRead: z.number().int(),
  rowsAccepted: z.number().int(),
  rowsRejected: z.number().int(),
  created: z.number().int(),
  revised: z.number().int(),
  unchanged: z.number().int().describe('Accepted rows that matched what was stored: a re-sent batch changes nothing'),
  fileName: z.string().nullable(),
  error: z.string().nullable(),
  errorCode: errorCodeSchema.nullable().optional().describe('The coded error of a failed run (source_unreachable, source_timeout, …)'),
  checkpoint: runCheckpointSchema.nullable(),
  enteredBy: z.string().nullable().describe('Who typed the figures (manual entry)'),
  warnings: z.array(runWarningSchema).optional().describe('What the run found doubtful without refusing a row, e.g. a total row that differs from the sum of the rows'),
});
export type Run = z.infer<typeof runSchema>;


/** How a file was read: its header row, its value columns, and where the period, place and organisation of the whole sheet came from. */
export const fileLayoutSchema = z.object({
  headerLine: z.number().int(),
  values: z.array(z.object({ column: z.string(), indicator: z.string().nullable(), unit: z.string().nullable(), status: z.string().nullable() })),
  keys: z.partialRecord(z.enum(FILE_KEYS), z.object({ from: keyOriginSchema, value: z.string().nullable(), cell: z.string().nullable() })).describe('Per key the file gives once: where it was read and what it is'),
  totals: z.array(z.object({ line: z.number().int(), column: z.string(), total: z.number(), sum: z.number() })).describe('The total rows found, not stored: each figure and the sum of the rows it covers'),
});
export type FileLayout = z.infer<typeof fileLayoutSchema>;

export const rejectedRowSchema = z.object({
  index: z.number().int().describe('0-based position of the row in the run'),
  line: z.number().int().nullable().describe('1-based line of the body or file (sheet row for XLSX)'),
  reason: rejectionReasonSchema,
  message: z.string(),
  raw: z.string().describe('The row as received'),
  row: z.unknown().describe('The row as read, when it could be read'),
});
export type RejectedIngestRow = z.infer<typeof rejectedRowSchema>;

export const ingestResultSchema = z.object({
  runId: z.number().int().nullable().describe('The run recorded; null for a dry run'),
  dryRun: z.boolean(),
  status: runStatusSchema,
  rowsRead: z.number().int(),
  accepted: z.number().int(),
  created: z.number().int(),
  revised: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  rejectedRows: z.array(rejectedRowSchema).describe('The first rejected rows; all of them at /api/runs/{id}/rejected'),
  preview: z
    .array(z.unknown())
    .optional()
    .describe('Dry run: the first rows that would be accepted, as sent; one stored otherwise (a unit or agency by name, a value converted from its unit) carries `stored`: { place, placeName, organisation, value, unit } as it would be kept; one whose figure is stored already carries `previous`: { value, status } stored now (a revision when it differs)'),
  numberStyle: z.enum(['vi', 'en']).nullable().optional().describe('File uploads: how the numbers were read'),
  encoding: encodingReadSchema.nullable().optional().describe('CSV uploads: the encoding the file was read in, how it was chosen, and a line as read (null for XLSX)'),
  warnings: z.array(runWarningSchema).optional().describe('What the run found doubtful, kept on the run'),
  layout: fileLayoutSchema.optional().describe('File uploads: how the file was read (header row, value columns, where the period came from, total rows)'),
});
export type IngestResult = z.infer<typeof ingestResultSchema>;

// ---- freshness -------------------------------------------------------------

export const FRESHNESS_STATES = ['fresh', 'awaiting', 'late', 'no_expectation', 'disabled'] as const;
export const freshnessStateSchema = z.enum(FRESHNESS_STATES);
export type FreshnessState = z.infer<typeof freshnessStateSchema>;

export interface Freshness {
  state: FreshnessState;
  /** The deadline that matters now: the next one, or the one missed (UTC). */
  dueAt: string | null;
  /** Since when the source is late (UTC); null when it is not. */
  lateSince: string | null;
  lateSeconds: number | null;
  /** Periodic sources: the oldest period owed and not delivered. */
  missingPeriod: string | null;
}

/** The instant a Vietnamese calendar day ends. */
function endOfVietnamDay(date: IsoDate): Date {
  return new Date(`${addDays(date, 1)}T00:00:00+07:00`);
}

const nextPeriod = (kind: (typeof SOURCE_FREQUENCIES)[number], p: Period): Period => periodContaining(kind, addDays(periodEnd(p), 1));

/**
 * Whether a source is late. A periodic source owes each period from the one
 * it was registered in, by the end of the Vietnamese day `afterPeriodEndDays`
 * after the period ends; it has delivered a period once a figure for that
 * period (or a later one) arrived. A stream or pull is late once nothing has
 * arrived for `every` (counted from registration until the first arrival).
 */
export function sourceFreshness(input: {
  expected: ExpectedDelivery | null;
  enabled: boolean;
  lastArrivalAt: string | null;
  lastPeriodEnd: IsoDate | null;
  createdAt: string;
  now: Date;
}): Freshness {
  const none = { dueAt: null, lateSince: null, lateSeconds: null, missingPeriod: null };
  if (!input.enabled) return { state: 'disabled', ...none };
  const { expected, now } = input;
  if (expected === null) return { state: 'no_expectation', ...none };
  const arrived = input.lastArrivalAt !== null;
  if ('every' in expected) {
    const due = addDuration(new Date(input.lastArrivalAt ?? input.createdAt), parseIsoDuration(expected.every));
    if (now > due) return { state: 'late', dueAt: due.toISOString(), lateSince: due.toISOString(), lateSeconds: Math.floor((now.getTime() - due.getTime()) / 1000), missingPeriod: null };
    return { ...none, state: arrived ? 'fresh' : 'awaiting', dueAt: due.toISOString() };
  }
  const owed =
    input.lastPeriodEnd !== null
      ? nextPeriod(expected.frequency, periodContaining(expected.frequency, input.lastPeriodEnd))
      : periodContaining(expected.frequency, vietnamDate(new Date(input.createdAt)));
  const deadline = endOfVietnamDay(addDays(periodEnd(owed), expected.afterPeriodEndDays));
  if (now >= deadline) {
    return { state: 'late', dueAt: deadline.toISOString(), lateSince: deadline.toISOString(), lateSeconds: Math.floor((now.getTime() - deadline.getTime()) / 1000), missingPeriod: periodKey(owed) };
  }
  return { ...none, state: arrived ? 'fresh' : 'awaiting', dueAt: deadline.toISOString() };
}

/** The last day a period key (or, for a stream, an instant) covers, in Vietnam time; null when it is neither. */
export function periodEndOf(key: string): IsoDate | null {
  if (instantSchema.safeParse(key).success) return vietnamDate(new Date(key));
  try {
    return periodEnd(parsePeriod(key));
  } catch {
    return null;
  }
}

export const sourceFreshnessSchema = z.object({
  source: z.string(),
  name: z.string(),
  kind: sourceKindSchema,
  ownerOrganisationCode: z.string(),
  ownerOrganisationName: z.string().nullable().describe('The accountable agency as it is today'),
  state: freshnessStateSchema,
  lastArrivalAt: z.string().nullable(),
  lastPeriodEnd: z.string().nullable(),
  dueAt: z.string().nullable().describe('The deadline that matters now: the next one, or the one missed'),
  lateSince: z.string().nullable(),
  lateSeconds: z.number().int().nullable(),
  missingPeriod: z.string().nullable().describe('Periodic sources: the oldest period owed and not delivered'),
});
export type SourceFreshness = z.infer<typeof sourceFreshnessSchema>;

export const freshnessResponseSchema = z.object({
  asOf: z.string().describe('The instant the answer was computed (UTC)'),
  sources: z.array(sourceFreshnessSchema).describe('Every source, by code'),
  late: z.array(sourceFreshnessSchema).describe('The late sources, the most overdue first'),
  agencies: z
    .array(
      z.object({
        organisationCode: z.string(),
        organisationName: z.string().nullable(),
        lateSources: z.number().int(),
        worstLateSeconds: z.number().int(),
        sources: z.array(z.string()),
      }),
    )
    .describe('The agencies responsible for late sources, ranked by their worst lateness'),
});
export type FreshnessResponse = z.infer<typeof freshnessResponseSchema>;

/**
 * What is kept of the name a client gave an uploaded file: its last path
 * segment (either slash), without control characters, at most 255
 * characters; null when nothing is left. It is only ever shown as text.
 */
export function uploadedFileName(name: string | null | undefined): string | null {
  if (name == null) return null;
  // eslint-disable-next-line no-control-regex
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return base === '' || base === '.' || base === '..' ? null : base;
}
