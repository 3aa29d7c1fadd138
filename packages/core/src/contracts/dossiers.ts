import { z } from 'zod';
import { route } from '../contract';
import { isoDateSchema } from '../dates';
import { dossierMeasuresSchema } from '../dossiers';
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
