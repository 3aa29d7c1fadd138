import { z } from 'zod';
import { instantSchema } from '../indicators';
import { DOSSIER_STATES } from './measures';

/** One dossier as an agency's system sends it (hồ sơ TTHC). Instants carry their offset. */
export const dossierInputSchema = z.object({
  code: z.string().trim().min(1).max(100).describe('The dossier code (mã hồ sơ), unique: sending it again updates it'),
  procedure: z.string().trim().min(1).max(100).describe('The administrative procedure code (mã TTHC)'),
  procedureName: z.string().max(500).nullable().optional(),
  organisation: z.string().regex(/^[A-Za-z0-9-]{1,40}$/).describe('The agency that handles it'),
  place: z.string().regex(/^\d{2,5}$/).optional().describe("The unit the dossier belongs to (default: the agency's)"),
  receivedAt: instantSchema,
  dueAt: instantSchema,
  resolvedAt: instantSchema.nullable().optional(),
  channel: z.enum(['online', 'offline']),
  paidOnline: z.boolean().default(false),
});
export type DossierInput = z.output<typeof dossierInputSchema>;

const ratioSchema = z.object({ numerator: z.number().int(), denominator: z.number().int(), value: z.number().nullable() });

/** The Decision 766 measures as answered. */
export const dossierMeasuresSchema = z.object({
  received: z.number().int(),
  carriedOver: z.number().int(),
  toProcess: z.number().int(),
  processed: z.object({ total: z.number().int(), early: z.number().int(), onTime: z.number().int(), late: z.number().int() }),
  inProcess: z.object({ total: z.number().int(), late: z.number().int(), dueSoon: z.number().int(), notYetDue: z.number().int() }),
  lateRate: ratioSchema,
  onTimeRate: ratioSchema,
  onlineRate: ratioSchema,
});

/** A dossier as the list answers it: what it is, who handles it, where, its instants and its Decision 766 state now. */
export const dossierListItemSchema = z.object({
  code: z.string(),
  procedure: z.string().describe('The administrative procedure code (mã TTHC)'),
  procedureName: z.string().nullable(),
  organisation: z.string(),
  organisationName: z.string().nullable().describe('The agency’s name when the dossier was received'),
  place: z.string().nullable().describe('The unit the dossier belongs to, as when it was received'),
  placeName: z.string().nullable(),
  channel: z.enum(['online', 'offline']),
  receivedAt: z.string(),
  dueAt: z.string(),
  resolvedAt: z.string().nullable(),
  state: z.enum(DOSSIER_STATES).describe('early, on_time, late (resolved); in_process_late, due_soon (within 24 hours), not_yet_due (in process), as of the answer'),
  daysLate: z.number().nullable().describe('Days past due of a late dossier (to its resolution, or to now while in process); null otherwise'),
});
export type DossierListItem = z.infer<typeof dossierListItemSchema>;
