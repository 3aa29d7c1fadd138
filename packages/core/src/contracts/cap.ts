import { z } from 'zod';
import { fileAnswer, rawBody, route } from '../contract';
import { CAP_SCOPES } from '../cap/schema';
import { capImportResultSchema, capMessageSchema } from '../cap/views';

/**
 * CAP 1.2: import from other agencies (POST /api/cap/import) and publish
 * public alerts (GET /api/cap/alerts.atom, /api/cap/alerts/{key}.xml).
 */

/** The media types a CAP document is sent as. */
export const CAP_XML_TYPES = ['application/cap+xml', 'application/xml', 'text/xml'] as const;

export const importMessage = route({
  method: 'POST',
  path: '/api/cap/import',
  tags: ['cap'],
  summary: 'Import a CAP 1.2 alert from another agency',
  description:
    'The body is one CAP 1.2 document (`application/cap+xml`, `application/xml` or `text/xml`, UTF-8, at most 1 MiB). It is validated against ' +
    'the OASIS schema (data/cap/CAP-v1.2.xsd): a document that is not XML, is in another namespace or breaks the schema is refused with 400 ' +
    '`invalid_cap` and the validator\'s messages with their line numbers in `details.problems`. Each area is mapped onto our places as of ' +
    'the day it was sent: `VN-ADMIN` geocodes (official unit codes) directly, polygons and circles to the communes (else districts, else ' +
    'provinces) whose boundaries they touch; areas outside our geography map to nothing, with a note. The same sender, identifier and sent ' +
    'time imported again changes nothing (200, `duplicate`); an Update or a Cancel marks the messages it references as replaced or withdrawn. ' +
    'A caller whose `alerts.handle` roles are scoped imports only messages covering at least one place within that scope (else 403 `forbidden`).',
  body: rawBody(CAP_XML_TYPES),
  statuses: [201, 200],
  response: capImportResultSchema,
  errors: [400, 403, 413, 415],
});

export const messages = route({
  method: 'GET',
  path: '/api/cap/messages',
  tags: ['cap'],
  summary: 'CAP messages imported, newest first, with the places their areas mapped to',
  description: 'A caller whose roles are scoped sees the messages covering at least one place within their scope.',
  query: z.object({
    scope: z.enum(CAP_SCOPES).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  }),
  response: z.object({ messages: z.array(capMessageSchema) }),
  errors: [400],
});

export const message = route({
  method: 'GET',
  path: '/api/cap/messages/:id',
  tags: ['cap'],
  summary: 'One imported CAP message',
  params: z.object({ id: z.coerce.number().int().positive() }),
  response: capMessageSchema,
  errors: [400, 404],
});

export const feed = route({
  method: 'GET',
  path: '/api/cap/alerts.atom',
  tags: ['cap'],
  summary: 'The public alerts in force, as an Atom 1.0 index of CAP 1.2 documents',
  description:
    'One entry per public alert in force, newest first, each linking to its CAP document (`application/cap+xml`): our own alerts marked ' +
    'public (by their rule or an operator) while unresolved, and the CAP messages of other agencies whose alert is public, neither replaced nor ' +
    'expired (a Cancel is listed, so receivers withdraw what it cancels). Relayed alerts are published in our name, with the original named in `note`.',
  response: fileAnswer('application/atom+xml; charset=utf-8'),
});

export const alertDocument = route({
  method: 'GET',
  path: '/api/cap/alerts/:key.xml',
  tags: ['cap'],
  summary: 'One public alert as a CAP 1.2 document',
  description:
    'Our CAP message for the alert: a Vietnamese (`vi-VN`) and an English (`en-US`) info block; one area per place covered with its ' +
    '`VN-ADMIN` geocode and its boundary as CAP polygons (simplified to at most 200 points). Areas outside our geography are kept as received. ' +
    'A replaced or withdrawn alert stays available by its key.',
  params: z.object({ key: z.string().regex(/^(CAP|A)-\d{1,12}$/, 'must be an alert key such as CAP-12 (relayed) or A-7 (ours)') }),
  response: fileAnswer('application/cap+xml; charset=utf-8'),
  errors: [400, 404],
});
