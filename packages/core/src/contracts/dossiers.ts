import { z } from 'zod';
import { route } from '../contract';
import { isoDateSchema } from '../dates';
import { dossierListItemSchema, dossierMeasuresSchema } from '../dossiers';
import { exportQueryShape, withExportDescription } from '../exports';
import { instantSchema } from '../indicators';

/** The HTTP contract of public-service dossiers (hồ sơ TTHC) and their Decision 766/QĐ-TTg measures. See ../contract.ts. */

const TAGS = ['dossiers'];

/** Dossiers in one save at most. */
export const MAX_DOSSIERS = 50_000;

export const save = route({
  method: 'PUT',
  path: '/api/dossiers',
  tags: TAGS,
  summary: 'Save dossiers by their code, all or nothing',
  description:
    'Each row is checked (agency existing and place valid when the dossier was received, due and resolved not before received, no code twice); ' +
    'one bad row saves nothing: 400 `invalid_body` with `details` listing `{ index, reason, message }`. Sending a dossier again updates it. ' +
    'Every dossier, as sent and as stored, must be within the scope the caller may write dossiers in; one outside it saves nothing: 403 `forbidden` naming the codes.',
  // Rows are validated one by one in the service so that every problem is named, not only the first.
  body: z.object({
    dossiers: z
      .array(z.unknown())
      .max(MAX_DOSSIERS)
      .describe('Dossiers: { code, procedure, procedureName?, organisation, place?, receivedAt, dueAt, resolvedAt?, channel: online|offline, paidOnline? }; instants ISO 8601 with an offset'),
  }),
  response: z.object({ saved: z.number().int() }),
  errors: [400, 403, 413, 415],
});

export const measures = route({
  method: 'GET',
  path: '/api/dossiers/measures',
  tags: TAGS,
  summary: 'The Decision 766 measures of a period: to process, in process, processed, rates',
  description:
    'received, carried over (received before the period, not resolved before it), to process; in process at the end (or `asOf`): late, due within 24 hours, not yet due; ' +
    'processed: early (before the due day), on time (on the due day, by the due time), late; late, on-time and online rates as numerator and denominator (value null when nothing counts).',
  query: z.object({
    from: isoDateSchema.describe('First day of the period (Vietnam)'),
    to: isoDateSchema.describe('Last day of the period (Vietnam), inclusive'),
    asOf: instantSchema.optional().describe('Count as of this instant when the period is not over; default its end'),
    organisation: z.string().regex(/^[A-Za-z0-9-]{1,40}$/).optional(),
    place: z.string().regex(/^\d{2,5}$/).optional().describe('A commune or province code'),
  }),
  response: dossierMeasuresSchema,
  errors: [400],
});

/** Dossiers a JSON list answers at most; an export holds every one matching. */
export const MAX_DOSSIER_LIST = 1000;

const trueFalse = z.enum(['true', 'false']).optional();

export const list = route({
  method: 'GET',
  path: '/api/dossiers',
  tags: TAGS,
  summary: 'Dossiers, newest received first, filtered, each with its Decision 766 state now',
  description: withExportDescription(
    'Only the dossiers within the caller\'s scope (their agency and place), as for the measures; the filters narrow further, never widen. ' +
      'Each dossier\'s `state` is the one the measures count it under, as of now. `late=true`: in process past due or resolved after due (`false`: neither); ' +
      '`dueWithin24h=true`: in process and due within the next 24 hours (`false`: not). JSON answers the first `limit` (default and at most 1,000); a file every dossier matching, unless `limit` is given.',
  ),
  query: z.object({
    organisation: z.string().regex(/^[A-Za-z0-9-]{1,40}$/).optional(),
    place: z.string().regex(/^\d{2,5}$/).optional().describe('A commune or province code'),
    status: z.enum(['in_process', 'resolved']).optional(),
    late: trueFalse,
    dueWithin24h: trueFalse,
    receivedFrom: isoDateSchema.optional().describe('Received on or after this day (Vietnam)'),
    receivedTo: isoDateSchema.optional().describe('Received on or before this day (Vietnam)'),
    procedure: z.string().trim().min(1).max(100).optional().describe('An administrative procedure code (mã TTHC)'),
    limit: z.coerce.number().int().min(1).max(MAX_DOSSIER_LIST).optional(),
    ...exportQueryShape,
  }),
  response: z.object({ dossiers: z.array(dossierListItemSchema) }),
  errors: [400],
});
