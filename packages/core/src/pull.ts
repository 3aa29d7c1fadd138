import { z } from 'zod';
import { sqlPullConfigSchema } from './pull-sql';

/**
 * How a pull source is read. An HTTP pull asks another agency's JSON API
 * page by page from a cursor; JSONata expressions turn each answer into
 * observation records and say where the next page starts. Secrets never
 * live here (this configuration is returned by the API): headers, query
 * values and the body name them as `{{credentials.NAME}}`, filled in from
 * the source's encrypted credentials when the request is sent.
 */

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const CREDENTIAL = /^credentials\.[A-Za-z0-9_.-]{1,100}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
/** Headers that carry secrets: their value must come from the credentials. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'api-key', 'apikey']);

/** The placeholders of a template: `cursor`, `credentials.NAME`. */
export function templatePlaceholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/** Fills `{{cursor}}` and `{{credentials.NAME}}` in; `encode` escapes each value for where it goes. */
export function fillTemplate(text: string, values: { cursor: string; credentials: Record<string, string> }, encode: (v: string) => string = (v) => v): string {
  return text.replace(PLACEHOLDER, (_all, name: string) => {
    if (name === 'cursor') return encode(values.cursor);
    const key = name.slice('credentials.'.length);
    const v = values.credentials[key];
    if (v === undefined) throw new Error(`credential ${key} is not stored`);
    return encode(v);
  });
}

const templateOf = (allowCredentials: boolean) =>
  z.string().max(4000).superRefine((s, ctx) => {
    for (const p of templatePlaceholders(s)) {
      if (p === 'cursor' || (allowCredentials && CREDENTIAL.test(p))) continue;
      ctx.addIssue({ code: 'custom', message: `unknown placeholder {{${p}}}: use {{cursor}}${allowCredentials ? ' or {{credentials.NAME}}' : ''}` });
    }
  });

const jsonataText = z.string().min(1).max(10_000);

export const httpPullConfigSchema = z
  .object({
    kind: z.literal('http'),
    url: templateOf(false)
      .pipe(z.string().url())
      .refine((u) => /^https?:\/\//i.test(u), 'must be an http:// or https:// URL')
      .describe('The API address; may hold {{cursor}} (never credentials: addresses end up in logs)'),
    method: z.enum(['GET', 'POST']).default('GET'),
    headers: z
      .record(z.string().regex(HEADER_NAME, 'must be an HTTP header name'), templateOf(true))
      .default({})
      .describe('Request headers; secrets as {{credentials.NAME}}, e.g. { "Authorization": "Bearer {{credentials.token}}" }'),
    query: z.record(z.string().min(1).max(200), templateOf(true)).default({}).describe('Query parameters; values may hold {{cursor}} and {{credentials.NAME}}'),
    body: templateOf(true).nullable().default(null).describe('POST only: a JSON body; placeholders inside its strings, e.g. { "since": "{{cursor}}" }'),
    cursorParam: z.string().min(1).max(200).nullable().default(null).describe('The query parameter the cursor is sent in (left out while there is no cursor)'),
    initialCursor: z.string().max(200).nullable().default(null).describe('Where the first pull starts; null: from the beginning'),
    records: jsonataText.describe('JSONata over the answer: the array of records { indicator, place, period, value, organisation?, status?, note? }, e.g. data.{ "indicator": code, … }'),
    nextCursor: jsonataText.nullable().default(null).describe('JSONata over the answer: the cursor of the next page; nothing, null or "" ends the pull'),
    recordCursor: jsonataText
      .nullable()
      .default(null)
      .describe('JSONata over each record: its position (e.g. updatedAt), so a pull resumes just after the last record kept; without nextCursor, pages go on from the last record'),
    timeoutMs: z.number().int().min(100).max(600_000).default(30_000).describe('Per request, answer included'),
    maxPages: z.number().int().min(1).max(100_000).default(1000).describe('Pages per pull at most; the next pull goes on from the cursor'),
    maxBytes: z.number().int().min(1024).max(1024 ** 3).default(50 * 1024 ** 2).describe('The largest answer accepted'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.body !== null && c.method !== 'POST') ctx.addIssue({ code: 'custom', path: ['body'], message: 'a body is sent with POST only' });
    for (const [name, value] of Object.entries(c.headers)) {
      if (SECRET_HEADERS.has(name.toLowerCase()) && !templatePlaceholders(value).some((p) => CREDENTIAL.test(p))) {
        ctx.addIssue({ code: 'custom', path: ['headers', name], message: 'store the secret in the source credentials and write {{credentials.NAME}} here: this configuration is shown to users' });
      }
    }
  });
export type HttpPullConfig = z.infer<typeof httpPullConfigSchema>;

export const pullConfigSchema = z.discriminatedUnion('kind', [httpPullConfigSchema, sqlPullConfigSchema]).describe('How a pull source is read: { kind: "http", … } or { kind: "sql", … }');
export type PullConfig = z.infer<typeof pullConfigSchema>;

/** The pull configuration kind each source kind takes. */
export const PULL_KIND_OF_SOURCE = { http_pull: 'http', sql_pull: 'sql' } as const;

/** Why a source's pull configuration does not fit its kind, or null when it does. */
export function pullConfigProblem(sourceKind: string, pull: PullConfig | null): string | null {
  const wanted = (PULL_KIND_OF_SOURCE as Record<string, 'http' | 'sql' | undefined>)[sourceKind];
  if (wanted === undefined) return pull === null ? null : `a ${sourceKind} source takes no pull configuration`;
  if (pull === null) return `a ${sourceKind} source needs a pull configuration { kind: "${wanted}", … }`;
  return pull.kind === wanted ? null : `a ${sourceKind} source takes a pull configuration of kind "${wanted}", not "${pull.kind}"`;
}

/** A pull source's job: when the next pull runs, how many failed in a row, and where it resumes. */
export const pullJobSchema = z.object({
  source: z.string(),
  schedule: z.string().nullable(),
  nextRunAt: z.string().nullable().describe('When the next pull is due (UTC); null: only when asked'),
  attempts: z.number().int().describe('Failed pulls in a row; 0 after a success'),
  lastError: z.string().nullable(),
  lastRunId: z.number().int().nullable(),
  cursor: z.string().nullable().describe('Where the next pull starts: the cursor of the last committed batch'),
  running: z.boolean().describe('Whether a pull of the source is running now (on any instance)'),
  updatedAt: z.string().nullable(),
});
export type PullJob = z.infer<typeof pullJobSchema>;
