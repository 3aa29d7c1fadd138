import { z } from 'zod';
import { fileAnswer, route } from '../contract';

/**
 * Open311 GeoReport v2 at /open311/v2/, over cases: services are case
 * categories, requests are cases. Every resource is served twice, by its
 * format suffix: `.json` answers JSON (described here by its schema),
 * `.xml` the same document in XML (a file answer).
 *
 * Open311 has its own specification (data/open311/), so these routes are
 * left out of our OpenAPI description (`hide`), and they answer errors in
 * Open311's own format, `[{ "code": 400, "description": "<our code>: …" }]`
 * (or its XML `<errors>`), not our coded envelope: no route here lists
 * `errors`, whose answers would be described (and serialised) as ours.
 *
 * Queries and bodies are read as Open311 fields (strings; of a repeated
 * field, the last value) by the server itself, so a form-encoded body, a
 * JSON body and the spec's `attribute[...]` fields are all taken as the
 * specification allows: no schema here refuses them first.
 */

/** Where Open311 is served. */
export const OPEN311_PREFIX = '/open311/v2';

const TAGS = ['open311'];
const HIDE = true;
const XML = 'text/xml; charset=utf-8';

/** Open311's two statuses: the extended workflow of a case maps onto them (finished: closed). */
export const OPEN311_STATUSES = ['open', 'closed'] as const;

/** The discovery document. */
export const open311DiscoverySchema = z.object({
  changeset: z.string(),
  contact: z.string(),
  key_service: z.string(),
  endpoints: z.array(
    z.object({
      specification: z.string(),
      url: z.string().describe('The configured public address, never the request’s Host'),
      changeset: z.string(),
      type: z.enum(['production', 'test']),
      formats: z.array(z.string()),
    }),
  ),
});
export type Open311Discovery = z.infer<typeof open311DiscoverySchema>;

/** A service: a case category. */
export const open311ServiceSchema = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string().nullable(),
  metadata: z.boolean().describe('Always false: no service asks for attributes'),
  type: z.literal('realtime'),
  keywords: z.string(),
  group: z.string(),
});
export type Open311Service = z.infer<typeof open311ServiceSchema>;

/** A service definition: no service asks for attributes. */
export const open311ServiceDefinitionSchema = z.object({ service_code: z.string(), attributes: z.array(z.never()) });

/** A request as GET answers it: a case a citizen reported, in a category listed publicly. */
export const open311RequestSchema = z.object({
  service_request_id: z.string(),
  status: z.enum(OPEN311_STATUSES),
  status_notes: z.string().nullable().describe('The case’s own status, in Vietnamese'),
  service_name: z.string().nullable(),
  service_code: z.string(),
  description: z.string().nullable(),
  agency_responsible: z.string().nullable(),
  service_notice: z.string().nullable(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().describe('The deadline'),
  address: z.string().nullable().describe('Withheld (null) for a sensitive category'),
  address_id: z.string().nullable(),
  zipcode: z.string().nullable(),
  lat: z.number().describe('Rounded to 3 decimals for a sensitive category'),
  long: z.number(),
  media_url: z.string().nullable(),
});
export type Open311Request = z.infer<typeof open311RequestSchema>;

/** What POST requests answers: the id of the case opened and the token that finds it. */
export const open311CreatedSchema = z.object({ service_request_id: z.string(), token: z.string(), service_notice: z.string(), account_id: z.string().nullable() });
export type Open311Created = z.infer<typeof open311CreatedSchema>;

/** What a token finds. */
export const open311TokenSchema = z.object({ service_request_id: z.string(), token: z.string() });

const codeParams = z.object({ code: z.string() });
const idParams = z.object({ id: z.string() });
const tokenParams = z.object({ token: z.string() });

const DISCOVERY = 'Discovery: where this endpoint is, its formats and changeset';
const SERVICES = 'Services: the case categories';
const SERVICE = "A service's definition (no attributes)";
const REQUESTS = 'Requests of the public categories reported by citizens, newest first (at most 1,000)';
const REQUESTS_QUERY =
  'Open311 filters: `service_request_id` (comma-separated; overrides the others), `service_code` (comma-separated), `start_date`, `end_date` (ISO 8601; without either, the last 90 days), `status` (open, closed).';
const REPORT = 'Report: opens a case in the category `service_code` at `lat`/`long`';
const REPORT_FIELDS =
  'Form-encoded or JSON fields: `api_key` (required), `service_code`, `lat`, `long`, `address_string`, `description`, `media_url`, `first_name`, `last_name`, `email`, `phone`, `device_id`, `account_id`. ' +
  'The case is routed and given its deadline like one an operator opens; the reporter’s contact is kept but never answered.';
const REQUEST = 'One request by its id (a case Open311 may not list answers 404 as an unknown id)';
const TOKEN = 'The request id a report’s token stands for';

export const discovery = route({ method: 'GET', path: `${OPEN311_PREFIX}/discovery.json`, tags: TAGS, summary: DISCOVERY, hide: HIDE, response: open311DiscoverySchema });
export const discoveryXml = route({ method: 'GET', path: `${OPEN311_PREFIX}/discovery.xml`, tags: TAGS, summary: DISCOVERY, hide: HIDE, response: fileAnswer(XML) });

export const services = route({ method: 'GET', path: `${OPEN311_PREFIX}/services.json`, tags: TAGS, summary: SERVICES, hide: HIDE, response: z.array(open311ServiceSchema) });
export const servicesXml = route({ method: 'GET', path: `${OPEN311_PREFIX}/services.xml`, tags: TAGS, summary: SERVICES, hide: HIDE, response: fileAnswer(XML) });

export const service = route({ method: 'GET', path: `${OPEN311_PREFIX}/services/:code.json`, tags: TAGS, summary: SERVICE, hide: HIDE, params: codeParams, response: open311ServiceDefinitionSchema });
export const serviceXml = route({ method: 'GET', path: `${OPEN311_PREFIX}/services/:code.xml`, tags: TAGS, summary: SERVICE, hide: HIDE, params: codeParams, response: fileAnswer(XML) });

export const requests = route({ method: 'GET', path: `${OPEN311_PREFIX}/requests.json`, tags: TAGS, summary: REQUESTS, description: REQUESTS_QUERY, hide: HIDE, response: z.array(open311RequestSchema) });
export const requestsXml = route({ method: 'GET', path: `${OPEN311_PREFIX}/requests.xml`, tags: TAGS, summary: REQUESTS, description: REQUESTS_QUERY, hide: HIDE, response: fileAnswer(XML) });

export const report = route({
  method: 'POST',
  path: `${OPEN311_PREFIX}/requests.json`,
  tags: TAGS,
  summary: REPORT,
  description: REPORT_FIELDS,
  hide: HIDE,
  statuses: [201],
  response: z.array(open311CreatedSchema).length(1),
});
export const reportXml = route({ method: 'POST', path: `${OPEN311_PREFIX}/requests.xml`, tags: TAGS, summary: REPORT, description: REPORT_FIELDS, hide: HIDE, statuses: [201], response: fileAnswer(XML) });

export const request = route({ method: 'GET', path: `${OPEN311_PREFIX}/requests/:id.json`, tags: TAGS, summary: REQUEST, hide: HIDE, params: idParams, response: z.array(open311RequestSchema).length(1) });
export const requestXml = route({ method: 'GET', path: `${OPEN311_PREFIX}/requests/:id.xml`, tags: TAGS, summary: REQUEST, hide: HIDE, params: idParams, response: fileAnswer(XML) });

export const token = route({ method: 'GET', path: `${OPEN311_PREFIX}/tokens/:token.json`, tags: TAGS, summary: TOKEN, hide: HIDE, params: tokenParams, response: z.array(open311TokenSchema).length(1) });
export const tokenXml = route({ method: 'GET', path: `${OPEN311_PREFIX}/tokens/:token.xml`, tags: TAGS, summary: TOKEN, hide: HIDE, params: tokenParams, response: fileAnswer(XML) });
