import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ALL_DATA, AppError } from '@watchfloor/core';
import type { AppContext } from '../../context';
import { AuditLog, auditWho, scalars } from '../audit/service';
import { Open311Error, Open311Gateway, type Open311Fields, type Open311Request, type Open311ServiceEntry } from './service';
import { el, recordElement, xmlDocument, type XmlElement } from './xml';

const FORMATS = ['json', 'xml'] as const;
type Format = (typeof FORMATS)[number];

/** The changeset of our Open311 endpoint: changes when what it answers changes shape. */
const CHANGESET = '2026-11-28T00:00:00+07:00';

/**
 * Open311 GeoReport v2 at /open311/v2/, in JSON and XML. Open311 has its
 * own specification (data/open311/), so these routes are hidden from our
 * OpenAPI description (schema.hide) and answer errors in Open311's format,
 * `[{ "code": 400, "description": "…" }]`, through this plugin's own handler.
 */
export function open311Routes(ctx: AppContext): FastifyPluginAsyncZod {
  const gateway = new Open311Gateway(ctx);
  const audit = new AuditLog(ctx);
  const hidden = { schema: { hide: true } };
  return async (root) => {
    await root.register(
      async (app) => {
        app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
          done(null, formFields(typeof body === 'string' ? body : body.toString('utf8')));
        });
        app.setErrorHandler((err, req, reply) => {
          const format = formatOf(req.url);
          if (err instanceof Open311Error) return sendError(reply, format, err);
          if (err instanceof AppError) return sendError(reply, format, new Open311Error(err.status, err.code, err.message));
          const status = typeof err === 'object' && err !== null && 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 500;
          if (status === 413) return sendError(reply, format, new Open311Error(413, 'body_too_large', 'The request body is larger than this server accepts'));
          if (status >= 400 && status < 500) return sendError(reply, format, new Open311Error(400, 'invalid_body', 'The request body could not be read'));
          req.log.error({ err }, 'unexpected error');
          return sendError(reply, format, new Open311Error(500, 'internal_error', 'Internal error'));
        });
        app.setNotFoundHandler((req, reply) => sendError(reply, formatOf(req.url), new Open311Error(404, 'not_found', `No Open311 resource at ${req.url.split('?')[0]}`)));

        for (const format of FORMATS) {
          app.get(`/discovery.${format}`, hidden, async (_req, reply) => {
            // The configured address, never the request's Host header: a client must not choose where the endpoint is said to be.
            const base = `${ctx.config.publicUrl}/open311/v2`;
            const doc = {
              changeset: CHANGESET,
              contact: 'Trung tâm điều hành giám sát thông minh (IOC)',
              key_service: 'api_key is issued by the operator of this server',
              endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: base, changeset: CHANGESET, type: 'production', formats: ['text/xml', 'application/json'] }],
            };
            if (format === 'json') return reply.send(doc);
            const endpoints = doc.endpoints.map((e) => recordElement('endpoint', e, { formats: 'format' }));
            return sendXml(reply, el('discovery', [el('changeset', doc.changeset), el('contact', doc.contact), el('key_service', doc.key_service), el('endpoints', endpoints)]));
          });

          app.get(`/services.${format}`, hidden, async (_req, reply) => {
            const services = await gateway.services();
            return format === 'json' ? reply.send(services) : sendXml(reply, el('services', services.map(serviceElement)));
          });

          app.get<{ Params: { code: string } }>(`/services/:code.${format}`, hidden, async (req, reply) => {
            const category = await gateway.service(req.params.code);
            const definition = { service_code: category.code, attributes: [] };
            return format === 'json' ? reply.send(definition) : sendXml(reply, el('service_definition', [el('service_code', category.code), el('attributes', [])]));
          });

          app.get(`/requests.${format}`, hidden, async (req, reply) => sendRequests(reply, format, await gateway.requests(fields(req.query))));

          app.post(`/requests.${format}`, hidden, async (req, reply) => {
            const created = await gateway.create({ ...fields(req.query), ...fields(req.body) });
            // Recorded like a case an operator opens, by its plain fields (the reporter's contact and the token are not among them).
            const opened = await gateway.cases.detail(created.service_request_id, ALL_DATA);
            await audit.record(auditWho(req, 'citizen (open311)'), { action: 'case.open', entityKind: 'case', entityKey: opened.id, before: null, after: { ...scalars(opened), timelineEvent: opened.timeline.length } });
            if (format === 'json') return reply.status(201).send([created]);
            return sendXml(reply.status(201), el('service_requests', [recordElement('request', created)]));
          });

          app.get<{ Params: { id: string } }>(`/requests/:id.${format}`, hidden, async (req, reply) => sendRequests(reply, format, [await gateway.request(req.params.id)]));

          app.get<{ Params: { token: string } }>(`/tokens/:token.${format}`, hidden, async (req, reply) => {
            const answer = await gateway.token(req.params.token);
            return format === 'json' ? reply.send([answer]) : sendXml(reply, el('service_requests', [recordElement('request', answer)]));
          });
        }
      },
      { prefix: '/open311/v2' },
    );
  };
}

function formatOf(url: string): Format {
  return /\.xml(\?|$)/.test(url) ? 'xml' : 'json';
}

/** A form body as fields; `attribute[...]` fields are kept under their full name. */
function formFields(body: string): Open311Fields {
  const out: Open311Fields = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

/** Query or body values as Open311 fields: strings, the last value of a repeated one; anything else is ignored. */
function fields(input: unknown): Open311Fields {
  const out: Open311Fields = {};
  if (input === null || typeof input !== 'object') return out;
  for (const [k, v] of Object.entries(input)) {
    const last: unknown = Array.isArray(v) ? v.at(-1) : v;
    if (typeof last === 'string') out[k] = last;
    else if (typeof last === 'number' && Number.isFinite(last)) out[k] = String(last);
  }
  return out;
}

function sendXml(reply: FastifyReply, root: XmlElement): FastifyReply {
  return reply.type('text/xml; charset=utf-8').send(xmlDocument(root));
}

function sendError(reply: FastifyReply, format: Format, err: Open311Error): FastifyReply {
  reply.status(err.status);
  if (format === 'json') return reply.type('application/json; charset=utf-8').send(err.toBody());
  return sendXml(reply, el('errors', err.toBody().map((e) => recordElement('error', e))));
}

function serviceElement(s: Open311ServiceEntry): XmlElement {
  return recordElement('service', { ...s });
}

function sendRequests(reply: FastifyReply, format: Format, requests: Open311Request[]): FastifyReply {
  if (format === 'json') return reply.send(requests);
  return sendXml(reply, el('service_requests', requests.map((r) => recordElement('request', { ...r }))));
}
