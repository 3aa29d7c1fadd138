import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, capApi, dataScope } from '@watchfloor/core';
import { ALL_ROWS, AlertsRepository, type AlertRow, type CapMessageRecord } from '@watchfloor/db';
import { serve } from '../../http/serve';
import type { AppContext } from '../../context';
import { alertKey, capKey, CapPublisher, feedUrls, publicAlertOfCap, type PublicAlert } from './publish';
import { CapService } from './service';
import { AuditLog, auditWho, scalars } from '../audit/service';

const XML_TYPES = [...capApi.CAP_XML_TYPES];
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

      serve(app, capApi.importMessage, async (req, reply) => {
        if (typeof req.body !== 'string' || req.body.trim() === '') throw new AppError('invalid_cap', 'Send one CAP 1.2 document as the body');
        const result = await service.import(req.body, dataScope(req.identity, 'alerts.handle'));
        if (!result.duplicate) await audit.record(auditWho(req), { action: 'cap.import', entityKind: 'cap_message', entityKey: String(result.message.id), after: { ...scalars(result.message), updated: result.updated } });
        return reply.status(result.duplicate ? 200 : 201).send(result);
      });
    });

    serve(root, capApi.messages, async (req) => ({ messages: await service.list({ ...(req.query.scope ? { scope: req.query.scope } : {}), limit: req.query.limit }, dataScope(req.identity)) }));

    serve(root, capApi.message, async (req) => service.get(req.params.id, dataScope(req.identity)));

    serve(root, capApi.feed, async (_req, reply) => {
      const now = ctx.clock.now();
      const inForce = (await service.records(FEED_LIMIT)).filter((r) => r.replaced_by === null && (r.expires_at === null || Date.parse(r.expires_at) > now.getTime()));
      const relayed: CapMessageRecord[] = [];
      for (const r of inForce) if (await published(r)) relayed.push(r);
      // Our own public alerts in force: unresolved (a rule resolves its alert when the condition clears).
      // The feed is public by design: every public alert, whoever's it is.
      const own = await alertsRepo.list({ origin: 'rule', publicOnly: true, status: ['open', 'acknowledged'], limit: FEED_LIMIT }, ALL_ROWS);
      const alerts = [...(await Promise.all(own.map(ownAlert))), ...(await Promise.all(relayed.map(publicAlert)))].sort((a, b) => b.sentAt.localeCompare(a.sentAt));
      const atom = publisher.feed(alerts, feedUrls(ctx.config.publicUrl), now.toISOString());
      return reply.type(capApi.feed.response.contentType).send(atom);
    });

    serve(root, capApi.alertDocument, async (req, reply) => {
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
    });
  };
}

function sendCap(reply: FastifyReply, xml: string): FastifyReply {
  return reply.type(capApi.alertDocument.response.contentType).send(xml);
}

