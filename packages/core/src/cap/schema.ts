import { z } from 'zod';

/**
 * The Common Alerting Protocol 1.2 (OASIS), as data: every element of the
 * schema (data/cap/CAP-v1.2.xsd) except the XML signature. Values are kept
 * as written (dates with their own offset, polygons as CAP text) so that an
 * imported document can be written back unchanged.
 */
export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';

/** CAP's dateTime: no fractional seconds and an explicit offset; `Z` is not allowed (use +00:00). */
export const CAP_DATE_TIME = /^\d\d\d\d-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$/;
export const capDateTimeSchema = z
  .string()
  .regex(CAP_DATE_TIME, 'must be a CAP date and time with an offset, e.g. 2026-11-28T10:00:00+07:00')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a real date and time');

export const CAP_STATUSES = ['Actual', 'Exercise', 'System', 'Test', 'Draft'] as const;
export const CAP_MSG_TYPES = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'] as const;
export const CAP_SCOPES = ['Public', 'Restricted', 'Private'] as const;
export const CAP_CATEGORIES = ['Geo', 'Met', 'Safety', 'Security', 'Rescue', 'Fire', 'Health', 'Env', 'Transport', 'Infra', 'CBRNE', 'Other'] as const;
export const CAP_RESPONSE_TYPES = ['Shelter', 'Evacuate', 'Prepare', 'Execute', 'Avoid', 'Monitor', 'Assess', 'AllClear', 'None'] as const;
export const CAP_URGENCIES = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
export const CAP_SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
export const CAP_CERTAINTIES = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const;

export type CapUrgency = (typeof CAP_URGENCIES)[number];
export type CapSeverity = (typeof CAP_SEVERITIES)[number];

/** A `valueName`/`value` pair: eventCode, parameter, geocode. */
export const capValuePairSchema = z.object({ valueName: z.string(), value: z.string() });
export type CapValuePair = z.infer<typeof capValuePairSchema>;

export const capResourceSchema = z.object({
  resourceDesc: z.string(),
  mimeType: z.string(),
  size: z.number().int().nonnegative().optional(),
  uri: z.string().optional(),
  derefUri: z.string().optional(),
  digest: z.string().optional(),
});
export type CapResource = z.infer<typeof capResourceSchema>;

export const capAreaSchema = z.object({
  areaDesc: z.string(),
  polygon: z.array(z.string()).describe('Closed rings of "lat,lon" pairs separated by spaces (WGS 84)'),
  circle: z.array(z.string()).describe('"lat,lon radius" with the radius in kilometres'),
  geocode: z.array(capValuePairSchema),
  altitude: z.number().optional(),
  ceiling: z.number().optional(),
});
export type CapArea = z.infer<typeof capAreaSchema>;

export const capInfoSchema = z.object({
  language: z.string().describe('RFC 3066 language; CAP\'s default is en-US'),
  category: z.array(z.enum(CAP_CATEGORIES)).min(1),
  event: z.string(),
  responseType: z.array(z.enum(CAP_RESPONSE_TYPES)),
  urgency: z.enum(CAP_URGENCIES),
  severity: z.enum(CAP_SEVERITIES),
  certainty: z.enum(CAP_CERTAINTIES),
  audience: z.string().optional(),
  eventCode: z.array(capValuePairSchema),
  effective: capDateTimeSchema.optional(),
  onset: capDateTimeSchema.optional(),
  expires: capDateTimeSchema.optional(),
  senderName: z.string().optional(),
  headline: z.string().optional(),
  description: z.string().optional(),
  instruction: z.string().optional(),
  web: z.string().optional(),
  contact: z.string().optional(),
  parameter: z.array(capValuePairSchema),
  resource: z.array(capResourceSchema),
  area: z.array(capAreaSchema),
});
export type CapInfo = z.infer<typeof capInfoSchema>;

export const capAlertSchema = z.object({
  identifier: z.string().min(1),
  sender: z.string().min(1),
  sent: capDateTimeSchema,
  status: z.enum(CAP_STATUSES),
  msgType: z.enum(CAP_MSG_TYPES),
  source: z.string().optional(),
  scope: z.enum(CAP_SCOPES),
  restriction: z.string().optional(),
  addresses: z.string().optional(),
  code: z.array(z.string()),
  note: z.string().optional(),
  references: z.string().optional().describe('Earlier messages this one refers to: "sender,identifier,sent" separated by spaces'),
  incidents: z.string().optional(),
  info: z.array(capInfoSchema),
});
export type CapAlert = z.infer<typeof capAlertSchema>;

/** One earlier message named in `references`. */
export interface CapReference {
  sender: string;
  identifier: string;
  sent: string;
}

/** The messages named in a `references` value; malformed entries are skipped. */
export function capReferences(references: string | undefined): CapReference[] {
  if (!references) return [];
  const out: CapReference[] = [];
  for (const entry of references.trim().split(/\s+/)) {
    const parts = entry.split(',');
    if (parts.length !== 3 || parts.some((p) => p === '')) continue;
    out.push({ sender: parts[0]!, identifier: parts[1]!, sent: parts[2]! });
  }
  return out;
}

/**
 * A CAP dateTime of an instant, written in a fixed offset (Vietnam's +07:00
 * by default): CAP forbids `Z` and fractional seconds.
 */
export function toCapDateTime(instant: Date, offsetMinutes = 7 * 60): string {
  const shifted = new Date(instant.getTime() + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${shifted.toISOString().slice(0, 19)}${offset}`;
}

/** The instant of a CAP dateTime, as an ISO string in UTC (how the database keeps instants). */
export function capInstant(capDateTime: string): string {
  return new Date(capDateTime).toISOString();
}
