import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, capImportResultSchema, capMessageSchema, CAP_SCOPES, dataScope } from '@watchfloor/core';
import { ALL_ROWS, AlertsRepository, type AlertRow, type CapMessageRecord } from '@watchfloor/db';
import { errors } from '../../http/schemas';
import type { AppContext } from '../../context';
import { alertKey, capKey, CapPublisher, feedUrls, publicAlertOfCap, type PublicAlert } from './publish';
import { CapService } from './service';
import { AuditLog, auditWho, scalars } from '../audit/service';

const TAGS = ['cap'];
const XML_TYPES = ['application/cap+xml', 'application/xml', 'text/xml'];
/** The largest CAP document accepted: far above real ones (a few kB, polygons included). */
const CAP_LIMIT_BYTES = 1024 * 1024;
/** The most alerts the feed lists. */
const FEED_LIMIT = 200;

/**
 * CAP 1.2: import from other agencies (POST /api/cap/import) and publish
 * public alerts (GET /api/cap/alerts.atom, /api/cap/alerts/{key}.xml).
 */
export function capRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new CapService(ctx);
  const audit = new AuditLog(ctx);
  const publisher = new CapPublisher(ctx.store, ctx.config.province);

  const alertsRepo = new AlertsRepository(ctx.store.db);
  /**
   * Whether a stored message is published: actionable (not a draft, an
   * acknowledgement or an error report) and, when it raised an alert, that
   * alert is public (scope Public at import; an operator may publish or
   * unpublish it); a message without an alert by its own scope.
   */
  const published = async (r: CapMessageRecord): Promise<boolean> => {
    if (r.status === 'Draft' || r.msg_type === 'Ack' || r.msg_type === 'Error') return false;
    if (r.alert_id === null) return r.scope === 'Public';
    return (await alertsRepo.get(r.alert_id, ALL_ROWS))?.public === 1;
  };
  /** Our own alert as published: the rule's alerts that are public. */
  const ownAlert = async (a: AlertRow): Promise<PublicAlert> => publisher.ofRuleAlert(a, a.rule_code === null ? undefined : await alertsRepo.rule(a.rule_code));

  const publicAlert = async (r: CapMessageRecord): Promise<PublicAlert> => publicAlertOfCap(r, await service.replacedBy(r.id));

  return async (root) => {
    // XML bodies are read only by this plugin's routes: a context of its own keeps the parser here.
    await root.register(async (app) => {
      app.addContentTypeParser(XML_TYPES, { parseAs: 'string', bodyLimit: Math.min(CAP_LIMIT_BYTES, ctx.config.bodyLimitBytes) }, (_req, body, done) => {
        done(null, body);
      });

      app.post(
        '/api/cap/import',
        {
          schema: {
            tags: TAGS,
            summary: 'Import a CAP 1.2 alert from another agency',
            description:
              'The body is one CAP 1.2 document (`application/cap+xml`, `application/xml` or `text/xml`, UTF-8, at most 1 MiB). It is validated against ' +
              'the OASIS schema (data/cap/CAP-v1.2.xsd): a document that is not XML, is in another namespace or breaks the schema is refused with 400 ' +
              '`invalid_cap` and the validator\'s messages with their line numbers in `details.problems`. Each area is mapped onto our places as of ' +
              'the day it was sent: `VN-ADMIN` geocodes (official unit codes) directly, polygons and circles to the communes (else districts, else ' +
              'provinces) whose boundaries they touch; areas outside our geography map to nothing, with a note. The same sender, identifier and sent ' +
              'time imported again changes nothing (200, `duplicate`); an Update or a Cancel marks the messages it references as replaced or withdrawn. ' +
            'A caller whose `alerts.handle` roles are scoped imports only messages covering at least one place within that scope (else 403 `forbidden`).',
            consumes: XML_TYPES,
            body: z.string().describe('A CAP 1.2 document'),
            response: { 201: capImportResultSchema, 200: capImportResultSchema, ...errors(400, 403, 413, 415) },
          },
        },
        async (req, reply) => {
          if (typeof req.body !== 'string' || req.body.trim() === '') throw new AppError('invalid_cap', 'Send one CAP 1.2 document as the body');
          const result = await service.import(req.body, dataScope(req.identity, 'alerts.handle'));
          if (!result.duplicate) await audit.record(auditWho(req), { action: 'cap.import', entityKind: 'cap_message', entityKey: String(result.message.id), after: { ...scalars(result.message), updated: result.updated } });
          return reply.status(result.duplicate ? 200 : 201).send(result);
        },
      );
    });

    root.get(
      '/api/cap/messages',
      {
        schema: {
          tags: TAGS,
          summary: 'CAP messages imported, newest first, with the places their areas mapped to',
          description: 'A caller whose roles are scoped sees the messages covering at least one place within their scope.',
          querystring: z.object({
            scope: z.enum(CAP_SCOPES).optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(100),
          }),
          response: { 200: z.object({ messages: z.array(capMessageSchema) }), ...errors(400) },
        },
      },
      async (req) => ({ messages: await service.list({ ...(req.query.scope ? { scope: req.query.scope } : {}), limit: req.query.limit }, dataScope(req.identity)) }),
    );

    root.get(
      '/api/cap/messages/:id',
      {
        schema: {
          tags: TAGS,
          summary: 'One imported CAP message',
          params: z.object({ id: z.coerce.number().int().positive() }),
          response: { 200: capMessageSchema, ...errors(400, 404) },
        },
      },
      async (req) => service.get(req.params.id, dataScope(req.identity)),
    );

    root.get(
      '/api/cap/alerts.atom',
      {
        schema: {
          tags: TAGS,
          summary: 'The public alerts in force, as an Atom 1.0 index of CAP 1.2 documents',
          description:
            'One entry per public alert in force, newest first, each linking to its CAP document (`application/cap+xml`): our own alerts marked ' +
            'public (by their rule or an operator) while unresolved, and the CAP messages of other agencies whose alert is public, neither replaced nor ' +
            'expired (a Cancel is listed, so receivers withdraw what it cancels). Relayed alerts are published in our name, with the original named in `note`.',
          response: { 200: z.string().describe('application/atom+xml') },
        },
      },
      async (req, reply) => {
        const now = ctx.clock.now();
        const inForce = (await service.records(FEED_LIMIT)).filter((r) => r.replaced_by === null && (r.expires_at === null || Date.parse(r.expires_at) > now.getTime()));
        const relayed: CapMessageRecord[] = [];
        for (const r of inForce) if (await published(r)) relayed.push(r);
        // Our own public alerts in force: unresolved (a rule resolves its alert when the condition clears).
        // The feed is public by design: every public alert, whoever's it is.
        const own = await alertsRepo.list({ origin: 'rule', publicOnly: true, status: ['open', 'acknowledged'], limit: FEED_LIMIT }, ALL_ROWS);
        const alerts = [...(await Promise.all(own.map(ownAlert))), ...(await Promise.all(relayed.map(publicAlert)))].sort((a, b) => b.sentAt.localeCompare(a.sentAt));
        const atom = publisher.feed(alerts, feedUrls(ctx.config.publicUrl), now.toISOString());
        return reply.type('application/atom+xml; charset=utf-8').send(atom);
      },
    );

    root.get(
      '/api/cap/alerts/:key.xml',
      {
        schema: {
          tags: TAGS,
          summary: 'One public alert as a CAP 1.2 document',
          description:
            'Our CAP message for the alert: a Vietnamese (`vi-VN`) and an English (`en-US`) info block; one area per place covered with its ' +
            '`VN-ADMIN` geocode and its boundary as CAP polygons (simplified to at most 200 points). Areas outside our geography are kept as received. ' +
            'A replaced or withdrawn alert stays available by its key.',
          params: z.object({ key: z.string().regex(/^(CAP|A)-\d{1,12}$/, 'must be an alert key such as CAP-12 (relayed) or A-7 (ours)') }),
          response: { 200: z.string().describe('application/cap+xml'), ...errors(400, 404) },
        },
      },
      async (req, reply) => {
        const key = req.params.key;
        const id = Number(key.slice(key.indexOf('-') + 1));
        if (key === alertKey(id)) {
          const a = await alertsRepo.get(id, ALL_ROWS);
          if (!a || a.origin !== 'rule' || a.public !== 1) throw new AppError('not_found', `No public alert has key ${key}`);
          return sendCap(reply, await publisher.xml(await ownAlert(a)));
        }
        const r = key === capKey(id) ? await service.record(id) : undefined;
        if (!r || !(await published(r))) throw new AppError('not_found', `No public alert has key ${key}`);
        return sendCap(reply, await publisher.xml(await publicAlert(r)));
      },
    );
  };
}

function sendCap(reply: FastifyReply, xml: string): FastifyReply {
  return reply.type('application/cap+xml; charset=utf-8').send(xml);
}

