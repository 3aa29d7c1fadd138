import { z } from 'zod';
import { alertSeveritySchema } from '../alerts/rules';
import { placeSummarySchema } from '../places';
import { CAP_MSG_TYPES, CAP_SCOPES, CAP_STATUSES } from './schema';

/**
 * The geocode scheme of our administrative units in CAP: `valueName`
 * VN-ADMIN, `value` the official code of a province (2 digits), district
 * (3) or commune/ward (5) of the General Statistics Office list (the codes
 * of Decision 19/2025/QĐ-TTg from 1 July 2025), read at the alert's date.
 * Published documents carry one per commune an area covers.
 */
export const CAP_GEOCODE_VN_ADMIN = 'VN-ADMIN';

export const CAP_AREA_MATCHES = ['geocode', 'polygon', 'circle'] as const;

/** How one CAP area was mapped onto our places. */
export const capAreaMappingSchema = z.object({
  info: z.number().int().describe('Index of the info block (0-based)'),
  area: z.number().int().describe('Index of the area in its info block (0-based)'),
  areaDesc: z.string(),
  places: z.array(placeSummarySchema.extend({ matchedBy: z.enum(CAP_AREA_MATCHES) })),
  note: z.string().nullable().describe('Why nothing (or only part) was mapped, e.g. an area outside our geography'),
});
export type CapAreaMapping = z.infer<typeof capAreaMappingSchema>;

export const capMessageSchema = z.object({
  id: z.number().int(),
  identifier: z.string(),
  sender: z.string(),
  sent: z.string().describe('As written in the document, with its offset'),
  status: z.enum(CAP_STATUSES),
  msgType: z.enum(CAP_MSG_TYPES),
  scope: z.enum(CAP_SCOPES),
  severity: alertSeveritySchema.describe('Our severity, from the CAP severity and urgency of its info blocks'),
  event: z.string().nullable(),
  headline: z.string().nullable(),
  languages: z.array(z.string()),
  expiresAt: z.string().nullable(),
  receivedAt: z.string(),
  state: z.enum(['active', 'updated', 'cancelled']).describe('updated: a later message replaced it; cancelled: a later Cancel withdrew it'),
  replacedBy: z.number().int().nullable(),
  alertId: z.number().int().nullable().describe('The alert it raised, updated or cancelled (actual Alert, Update and Cancel messages)'),
  areas: z.array(capAreaMappingSchema),
});
export type CapMessage = z.infer<typeof capMessageSchema>;

export const capImportResultSchema = z.object({
  message: capMessageSchema,
  duplicate: z.boolean().describe('true when this identifier, sender and sent time were imported before: nothing changed'),
  updated: z.array(z.number().int()).describe('Earlier messages this one replaced (Update) or withdrew (Cancel)'),
  unknownReferences: z.array(z.string()).describe('References to messages never imported here'),
});
export type CapImportResult = z.infer<typeof capImportResultSchema>;
