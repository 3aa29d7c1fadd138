import { z } from 'zod';
import { caseChannelSchema, casePrioritySchema, caseRouteSchema, caseStatusSchema, type CaseChannel } from './workflow';

/** Limits shared by the operator API and Open311, so both refuse the same input. */
export const CASE_LIMITS = { title: 200, description: 4000, address: 500, comment: 4000, mediaUrl: 2000, media: 10, actor: 100 } as const;

/**
 * Whether a text may be published as a case's photo or attachment link:
 * an absolute http(s) URL with a host, no white space, at most
 * `CASE_LIMITS.mediaUrl` characters. Every channel (operator API, Open311)
 * checks media with this, so a `javascript:` or `data:` link can never be
 * stored and then served back by Open311 to citizens' apps.
 */
export function isMediaUrl(text: string): boolean {
  if ([...text].length > CASE_LIMITS.mediaUrl || !/^https?:\/\/[^\s]+$/i.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A media link as the case schemas accept it (see `isMediaUrl`). */
export const mediaUrlSchema = z.string().max(CASE_LIMITS.mediaUrl).refine(isMediaUrl, 'must be an http(s) URL').describe(`An http(s) URL of at most ${CASE_LIMITS.mediaUrl} characters`);

export const caseCategoryCodeSchema = z.string().regex(/^[A-Z][A-Z0-9_]{0,39}$/, 'must be a category code: capital letters, digits, underscores');

/** One step of a category's procedure (SOP). */
export const sopStepDefinitionSchema = z.object({
  title: z.string().min(1).max(300),
  role: z.string().min(1).max(100).describe('Who is responsible, e.g. "Cán bộ tiếp nhận", "Cơ quan xử lý"'),
  expectedMinutes: z.number().int().positive(),
});
export type SopStepDefinition = z.infer<typeof sopStepDefinitionSchema>;

/** A case category (lĩnh vực phản ánh) with its service level, routing and procedure. */
export const caseCategorySchema = z.object({
  code: caseCategoryCodeSchema,
  names: z.object({ vi: z.string().min(1), en: z.string().min(1) }),
  description: z.string().nullable(),
  group: z.string().min(1).describe('A grouping for Open311 `group`'),
  keywords: z.array(z.string()),
  serviceLevelHours: z.number().positive().describe('How long an agency has to resolve a case, from its receipt'),
  defaultOrganisation: z.string().min(1).describe('The agency cases go to when no place rule matches; may use `{commune}`'),
  routes: z.array(caseRouteSchema),
  sop: z.array(sopStepDefinitionSchema),
  public: z.boolean().default(true).describe("Citizens' own reports of the category are listed on Open311; cases an operator opened never are"),
  sensitive: z.boolean().default(false).describe('On Open311, coordinates rounded to 3 decimals (about 110 m) and the address withheld'),
});
export type CaseCategory = z.infer<typeof caseCategorySchema>;

/**
 * The channels by which citizens report for themselves (Open311 apps, the
 * portal). Cases from any other channel were opened by staff (an operator,
 * a hotline call taken by one) or by a sensor: their caller never chose to
 * publish the report, so Open311 never lists them.
 */
export const CITIZEN_CHANNELS: readonly CaseChannel[] = ['app', 'portal'];

/** Whether Open311 may list a case: a citizen's own report in a category marked public. */
export function publishedOnOpen311(category: Pick<CaseCategory, 'public'>, channel: string): boolean {
  return category.public && CITIZEN_CHANNELS.some((c) => c === channel);
}

/** Decimals kept of a sensitive case's public coordinates: 3 is about 110 m north-south and 105–110 m east-west in Vietnam. */
export const SENSITIVE_COORDINATE_DECIMALS = 3;

/** A case's location as Open311 shows it: exact, or rounded to about 100 m for a sensitive category. */
export function publicCoordinates(point: { lat: number; lon: number }, sensitive: boolean): { lat: number; lon: number } {
  if (!sensitive) return point;
  const f = 10 ** SENSITIVE_COORDINATE_DECIMALS;
  return { lat: Math.round(point.lat * f) / f, lon: Math.round(point.lon * f) / f };
}

/** A step of a procedure as followed, on a case (from its receipt) or on an alert (from when its procedure started) alike. */
export const sopStepSchema = z.object({
  step: z.number().int().positive(),
  title: z.string(),
  role: z.string(),
  expectedMinutes: z.number().int(),
  dueAt: z.string().describe('Start of the procedure plus the expected minutes of this step and those before it'),
  doneAt: z.string().nullable(),
  doneBy: z.string().nullable(),
});
export type SopStep = z.infer<typeof sopStepSchema>;

export const CASE_EVENT_KINDS = ['created', 'status', 'assigned', 'comment', 'sop_step', 'rating'] as const;
export const caseEventSchema = z.object({
  at: z.string(),
  actor: z.string(),
  kind: z.enum(CASE_EVENT_KINDS),
  before: z.string().nullable(),
  after: z.string().nullable(),
  note: z.string().nullable().describe('Plain text as written; clients must show it as text, never as markup'),
});
export type CaseEvent = z.infer<typeof caseEventSchema>;

/** A case as the operator API answers it. The reporter's contact is stored but never answered here or in Open311. */
export const caseSchema = z.object({
  id: z.string().describe('The public id, also the Open311 service_request_id'),
  category: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  lat: z.number(),
  lon: z.number(),
  placeCode: z.string().nullable().describe('The commune (or finest unit known) valid when the case was received'),
  provinceCode: z.string().nullable(),
  address: z.string().nullable(),
  media: z.array(z.string()),
  channel: caseChannelSchema,
  priority: casePrioritySchema,
  organisation: z.string().nullable(),
  organisationName: z.string().nullable(),
  status: caseStatusSchema,
  receivedAt: z.string(),
  deadlineAt: z.string(),
  deadlineState: z.enum(['finished', 'overdue', 'due_soon', 'on_track']),
  satisfaction: z.number().int().min(1).max(5).nullable().describe("The reporter's rating, 1 (very unsatisfied) to 5 (very satisfied)"),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Case = z.infer<typeof caseSchema>;

export const caseDetailSchema = caseSchema.extend({ timeline: z.array(caseEventSchema), sopSteps: z.array(sopStepSchema) });
export type CaseDetail = z.infer<typeof caseDetailSchema>;

export const reporterSchema = z.object({
  name: z.string().max(200).optional(),
  email: z.string().max(200).optional(),
  phone: z.string().max(50).optional(),
  deviceId: z.string().max(200).optional(),
  accountId: z.string().max(200).optional(),
});
export type Reporter = z.infer<typeof reporterSchema>;

/** What creates a case, from whichever channel. */
export const caseInputSchema = z.object({
  category: caseCategoryCodeSchema,
  title: z.string().trim().min(1).max(CASE_LIMITS.title),
  description: z.string().max(CASE_LIMITS.description).nullable().optional(),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  address: z.string().max(CASE_LIMITS.address).nullable().optional(),
  media: z.array(mediaUrlSchema).max(CASE_LIMITS.media).optional(),
  reporter: reporterSchema.optional(),
  channel: caseChannelSchema.default('operator'),
  priority: casePrioritySchema.default('normal'),
  organisation: z.string().min(1).max(40).optional().describe('Override of the routing: the agency to assign'),
  actor: z.string().min(1).max(CASE_LIMITS.actor).optional(),
});
export type CaseInput = z.input<typeof caseInputSchema>;
