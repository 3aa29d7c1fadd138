import { z } from 'zod';
import { isoDateSchema, type IsoDate } from '../dates';
import { indicatorCodeSchema } from '../indicators/shared';
import { placeCodeSchema } from '../places';

/**
 * Leadership directives (văn bản chỉ đạo) as data: a document the People's
 * Committee or its chairman issues after a meeting (a conclusion, a
 * directive, an official letter, a plan) and the tasks (nhiệm vụ) it
 * assigns, each to one lead agency (chủ trì) with co-operating agencies
 * (phối hợp) and a deadline, a recurrence or none (thường xuyên).
 *
 * The document with its tasks is also the import shape: the e-office
 * system pushes one JSON document like `directiveDocumentSchema` (or a
 * spreadsheet row per task is mapped into it). Documents are identified by
 * their number and symbol (số/ký hiệu), tasks by their key within the
 * document, so re-sending a document is idempotent: `directiveTaskId`.
 */

export const DIRECTIVE_KINDS = ['conclusion', 'directive', 'official_letter', 'plan', 'other'] as const;
export const directiveKindSchema = z
  .enum(DIRECTIVE_KINDS)
  .describe('conclusion (thông báo kết luận) | directive (chỉ thị) | official_letter (công văn) | plan (kế hoạch) | other');
export type DirectiveKind = z.infer<typeof directiveKindSchema>;

/** Limits shared by the import, the API and the screens, so all refuse the same input. */
export const DIRECTIVE_LIMITS = { number: 100, issuer: 300, signer: 200, summary: 4000, taskText: 4000, tasks: 500, links: 100, reportText: 4000, reason: 2000 } as const;

/**
 * The number and symbol of a document as written on it (số/ký hiệu), e.g.
 * "125/TB-UBND". Kept as given; compared through `normaliseDirectiveNumber`.
 */
export const directiveNumberSchema = z
  .string()
  .trim()
  .min(1)
  .max(DIRECTIVE_LIMITS.number)
  .regex(/^[^\s/][^\n\r]*$/, 'must be a document number and symbol such as 125/TB-UBND')
  .describe('The number and symbol (số/ký hiệu) as written on the document, e.g. "125/TB-UBND"');

/**
 * The form a document number is compared and stored by: Unicode NFC,
 * capitals, no spaces around "/" and "-", runs of white space as one
 * space. "125/tb-ubnd" and "125 / TB-UBND" are the same document as
 * "125/TB-UBND".
 */
export function normaliseDirectiveNumber(number: string): string {
  return number
    .normalize('NFC')
    .trim()
    .replace(/\s*([/-])\s*/g, '$1')
    .replace(/\s+/g, ' ')
    .toLocaleUpperCase('vi');
}

/** A task's key within its document: the item number on the document ("1", "2.a", "III.3"), stable across re-sends. */
export const directiveTaskKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'must be a task key of letters, digits, dots, dashes or underscores, e.g. 1, 2.a, III.3')
  .describe('The task’s key within its document, stable across re-sends (the item number, e.g. "2.a")');

/** The idempotency key of a task: its document's normalised number and its key ("125/TB-UBND#2.a"). */
export function directiveTaskId(documentNumber: string, taskKey: string): string {
  return `${normaliseDirectiveNumber(documentNumber)}#${taskKey}`;
}

/** An organisation code as the catalogue holds them (see organisations). */
export const directiveOrganisationCodeSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be an organisation code of letters, digits, dots, dashes or underscores')
  .describe('An organisation code from the catalogue');

const dayOfMonthSchema = z
  .number()
  .int()
  .min(1)
  .max(31)
  .describe('The day of the month it is due by; beyond the month’s last day (31 in April, 29–31 in February) it is due on the last day');
const untilSchema = isoDateSchema.nullable().default(null).describe('The last date an occurrence may fall due; null: until the task is cancelled');

/**
 * When a task is due:
 * - `date`: once, by the end of that day (Vietnam time);
 * - `monthly`: every month by day `day` ("hằng tháng, trước ngày 25");
 * - `quarterly`: every quarter by day `day` of its `month`-th month (3, the
 *   last month, by default: "hằng quý, trước ngày 20 tháng cuối quý");
 * - `yearly`: every year by `month`/`day`;
 * - `regular` (thường xuyên): ongoing, no deadline, never overdue.
 * A recurring task has one occurrence per period, each judged on its own
 * (see `taskOccurrences`).
 */
export const taskDeadlineSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('date'), date: isoDateSchema.describe('Due by the end of this day, Vietnam time') }).describe('Once, by a date'),
    z.object({ kind: z.literal('monthly'), day: dayOfMonthSchema, until: untilSchema }).describe('Every month by a day'),
    z
      .object({
        kind: z.literal('quarterly'),
        month: z.number().int().min(1).max(3).default(3).describe('The month of the quarter it is due in: 1, 2 or 3 (the last, by default)'),
        day: dayOfMonthSchema,
        until: untilSchema,
      })
      .describe('Every quarter by a day of one of its months'),
    z.object({ kind: z.literal('yearly'), month: z.number().int().min(1).max(12), day: dayOfMonthSchema, until: untilSchema }).describe('Every year by a month and day'),
    z.object({ kind: z.literal('regular') }).describe('Regular (thường xuyên): ongoing, no deadline'),
  ])
  .describe('When the task is due: a date, a recurrence, or regular');
export type TaskDeadline = z.infer<typeof taskDeadlineSchema>;
export type RecurringDeadline = Extract<TaskDeadline, { kind: 'monthly' | 'quarterly' | 'yearly' }>;

const caseIdSchema = z.string().regex(/^PA\d{6,}$/, 'must be a case id such as PA000001');

/** What a task concerns, for the drill from a place, an indicator, a case or a PAR criterion to the tasks about it. */
export const taskLinksSchema = z
  .object({
    places: z.array(placeCodeSchema).max(DIRECTIVE_LIMITS.links).default([]).describe('Administrative unit codes'),
    indicators: z.array(indicatorCodeSchema).max(DIRECTIVE_LIMITS.links).default([]).describe('Indicator codes of the catalogue'),
    cases: z.array(caseIdSchema).max(DIRECTIVE_LIMITS.links).default([]).describe('Case ids, e.g. PA000123'),
    parCriteria: z
      .array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a PAR criterion code'))
      .max(DIRECTIVE_LIMITS.links)
      .default([])
      .describe('PAR Index criterion codes (of the framework of the year the task falls in)'),
  })
  .describe('What the task concerns');
export type TaskLinks = z.infer<typeof taskLinksSchema>;

export const directiveTaskSchema = z
  .object({
    key: directiveTaskKeySchema,
    text: z.string().trim().min(1).max(DIRECTIVE_LIMITS.taskText).describe('The task as the document words it'),
    lead: directiveOrganisationCodeSchema.describe('The lead agency (cơ quan chủ trì): the one that reports and is counted'),
    cooperating: z.array(directiveOrganisationCodeSchema).max(DIRECTIVE_LIMITS.links).default([]).describe('Co-operating agencies (cơ quan phối hợp): shown, never counted'),
    deadline: taskDeadlineSchema,
    links: taskLinksSchema.default({ places: [], indicators: [], cases: [], parCriteria: [] }),
  })
  .describe('One task of a directive document');
export type DirectiveTask = z.infer<typeof directiveTaskSchema>;
export type DirectiveTaskInput = z.input<typeof directiveTaskSchema>;

/**
 * A directive document with its tasks: what the e-office system pushes
 * (one JSON object per document), what the spreadsheet upload builds and
 * what the API answers. Re-sending a document with the same number updates
 * it and its tasks by key; tasks keep their reports.
 */
export const directiveDocumentSchema = z
  .object({
    number: directiveNumberSchema,
    date: isoDateSchema.describe('The date the document was signed (ngày ban hành)'),
    issuer: z.string().trim().min(1).max(DIRECTIVE_LIMITS.issuer).describe('The issuing body, e.g. "UBND tỉnh Vĩnh Long"'),
    signer: z.string().trim().min(1).max(DIRECTIVE_LIMITS.signer).describe('Who signed it, e.g. "Chủ tịch Nguyễn Văn A"'),
    kind: directiveKindSchema,
    summary: z.string().trim().min(1).max(DIRECTIVE_LIMITS.summary).describe('Trích yếu: what the document is about'),
    confirmDone: z
      .boolean()
      .default(false)
      .describe('A report of "done" counts only once the leader’s office confirms it; false: the lead agency’s report is enough'),
    published: z.boolean().default(false).describe('Shown to the public; nothing is public unless marked'),
    synthetic: z.boolean().default(false).describe('Made up for the demo, not a real document'),
    tasks: z.array(directiveTaskSchema).min(1).max(DIRECTIVE_LIMITS.tasks),
  })
  .superRefine((d, ctx) => {
    for (const problem of directiveProblems(d)) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
  })
  .describe('A directive document with its tasks, as imported and as answered');
export type DirectiveDocument = z.infer<typeof directiveDocumentSchema>;
export type DirectiveDocumentInput = z.input<typeof directiveDocumentSchema>;

/** The import shape is the document itself (see directiveDocumentSchema): one JSON object per document. */
export const directiveImportSchema = directiveDocumentSchema;

/** The first date a deadline may fall on, and the last (its `until`), for checking against the document's date. */
function deadlineDates(d: TaskDeadline): IsoDate[] {
  if (d.kind === 'date') return [d.date];
  if (d.kind === 'regular' || d.until === null) return [];
  return [d.until];
}

/**
 * What makes a document unusable, each with where: a task key used twice, a
 * lead agency also listed as co-operating, an agency listed twice, a
 * deadline (or a recurrence's end) before the document's date.
 */
export function directiveProblems(d: Pick<DirectiveDocument, 'date' | 'tasks'>): { message: string; path: (string | number)[] }[] {
  const out: { message: string; path: (string | number)[] }[] = [];
  const keys = new Set<string>();
  d.tasks.forEach((t, i) => {
    if (keys.has(t.key)) out.push({ message: `the task key ${t.key} is used twice`, path: ['tasks', i, 'key'] });
    keys.add(t.key);
    if (t.cooperating.includes(t.lead)) out.push({ message: `task ${t.key}: the lead agency ${t.lead} is not also co-operating`, path: ['tasks', i, 'cooperating'] });
    if (new Set(t.cooperating).size !== t.cooperating.length) out.push({ message: `task ${t.key}: a co-operating agency is listed twice`, path: ['tasks', i, 'cooperating'] });
    for (const date of deadlineDates(t.deadline)) {
      if (date < d.date) out.push({ message: `task ${t.key}: due ${date}, before the document’s date ${d.date}`, path: ['tasks', i, 'deadline'] });
    }
  });
  return out;
}
