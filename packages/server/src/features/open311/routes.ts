import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ALL_DATA, AppError, open311Api } from '@watchfloor/core';
import { serve } from '../../http/serve';
import type { AppContext } from '../../context';
import { AuditLog, auditWho, scalars } from '../audit/service';
import { Open311Error, Open311Gateway, type Open311Fields } from './service';
import { el, recordElement, xmlDocument, type XmlElement } from './xml';

type Format = 'json' | 'xml';

/** The changeset of our Open311 endpoint: changes when what it answers changes shape. */
const CHANGESET = '2026-11-28T00:00:00+07:00';

/**
 * Open311 GeoReport v2 at /open311/v2/, in JSON and XML: each resource is
 * two routes (core contracts/open311.ts), `.json` and `.xml`, which read
 * the same way and answer the same document in their format. Open311 has
 * its own specification (data/open311/), so these routes are hidden from
 * our OpenAPI description and answer errors in Open311's format,
 * `[{ "code": 400, "description": "…" }]`, through this plugin's own handler.
 */
export function open311Routes(ctx: AppContext): FastifyPluginAsyncZod {
  const gateway = new Open311Gateway(ctx);
  const audit = new AuditLog(ctx);
  /** The discovery document. The configured address, never the request's Host header: a client must not choose where the endpoint is said to be. */
  const discovery = (): open311Api.Open311Discovery => ({
    changeset: CHANGESET,
    contact: 'Trung tâm điều hành giám sát thông minh (IOC)',
    key_service: 'api_key is issued by the operator of this server',
    endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: `${ctx.config.publicUrl}${open311Api.OPEN311_PREFIX}`, changeset: CHANGESET, type: 'production', formats: ['text/xml', 'application/json'] }],
  });
  /** A citizen's report: the case opened, recorded like a case an operator opens, by its plain fields (the reporter's contact and the token are not among them). */
  const report = async (req: FastifyRequest): Promise<open311Api.Open311Created> => {
    const created = await gateway.create({ ...fields(req.query), ...fields(req.body) });
    const opened = await gateway.cases.detail(created.service_request_id, ALL_DATA);
    await audit.record(auditWho(req, 'citizen (open311)'), { action: 'case.open', entityKind: 'case', entityKey: opened.id, before: null, after: { ...scalars(opened), timelineEvent: opened.timeline.length } });
    return created;
  };
  return async (root) => {
    // Open311's bodies and errors: a context of its own keeps its parser and error handler to its routes.
    await root.register(async (app) => {
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

      serve(app, open311Api.discovery, async () => discovery());
      serve(app, open311Api.discoveryXml, async (_req, reply) => {
        const doc = discovery();
        const endpoints = doc.endpoints.map((e) => recordElement('endpoint', e, { formats: 'format' }));
        return sendXml(reply, el('discovery', [el('changeset', doc.changeset), el('contact', doc.contact), el('key_service', doc.key_service), el('endpoints', endpoints)]));
      });

      serve(app, open311Api.services, async () => gateway.services());
      serve(app, open311Api.servicesXml, async (_req, reply) => sendXml(reply, el('services', (await gateway.services()).map((s) => recordElement('service', { ...s })))));

      serve(app, open311Api.service, async (req) => ({ service_code: (await gateway.service(req.params.code)).code, attributes: [] }));
      serve(app, open311Api.serviceXml, async (req, reply) => sendXml(reply, el('service_definition', [el('service_code', (await gateway.service(req.params.code)).code), el('attributes', [])])));

      serve(app, open311Api.requests, async (req) => gateway.requests(fields(req.query)));
      serve(app, open311Api.requestsXml, async (req, reply) => sendRequestsXml(reply, await gateway.requests(fields(req.query))));

      serve(app, open311Api.report, async (req) => [await report(req)]);
      serve(app, open311Api.reportXml, async (req, reply) => sendXml(reply, el('service_requests', [recordElement('request', await report(req))])));

      serve(app, open311Api.request, async (req) => [await gateway.request(req.params.id)]);
      serve(app, open311Api.requestXml, async (req, reply) => sendRequestsXml(reply, [await gateway.request(req.params.id)]));

      serve(app, open311Api.token, async (req) => [await gateway.token(req.params.token)]);
      serve(app, open311Api.tokenXml, async (req, reply) => sendXml(reply, el('service_requests', [recordElement('request', await gateway.token(req.params.token))])));
    });

    // Anything else under Open311's prefix is Open311's own 404.
    await root.register(
      async (app) => {
        app.setNotFoundHandler((req, reply) => sendError(reply, formatOf(req.url), new Open311Error(404, 'not_found', `No Open311 resource at ${req.url.split('?')[0]}`)));
      },
      { prefix: open311Api.OPEN311_PREFIX },
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

function sendRequestsXml(reply: FastifyReply, requests: open311Api.Open311Request[]): FastifyReply {
  return sendXml(reply, el('service_requests', requests.map((r) => recordElement('request', { ...r }))));
}
