import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  alertDetailSchema,
  alertOriginSchema,
  type AlertDetail,
  alertRuleCodeSchema,
  alertRuleInputSchema,
  alertRuleSchema,
  alertSchema,
  alertSeveritySchema,
  alertStatusSchema,
  CASE_LIMITS,
  dataScope,
  notificationSchema,
  notificationStatusSchema,
  overdueStepSchema,
} from '@watchfloor/core';
import { errors } from '../../http/schemas';
import type { AppContext } from '../../context';
import { AuditLog, auditWho, scalars } from '../audit/service';
import type { RuleReader } from './rules';
import { AlertService, type AlertActor } from './service';

const alertId = z.object({ id: z.coerce.number().int().min(1).describe('The alert id') });
const ruleCode = z.object({ code: alertRuleCodeSchema });
const actor = z.string().trim().min(1).max(CASE_LIMITS.actor).optional().describe('Who acts, for an API token acting for no user; a signed-in user is always recorded by their login');
const note = z.string().max(CASE_LIMITS.comment).optional().describe('Plain text, stored and answered as text');
const actorBody = z.object({ actor, note }).default({});

/**
 * Who a request acts as on alerts: what its identity may read and handle,
 * named by its login when it has one (a user, or a token made by a user),
 * else by the `actor` it gives.
 */
export function alertActor(req: FastifyRequest, named?: string): AlertActor {
  const identity = req.identity;
  const login = identity.kind === 'anonymous' ? null : identity.login;
  return { read: dataScope(identity), handle: dataScope(identity, 'alerts.handle'), name: login || named };
}

/** What alert rules a request may read, and where it may manage them. */
function ruleReader(req: FastifyRequest): RuleReader {
  return { read: dataScope(req.identity), manage: dataScope(req.identity, 'catalogue.manage') };
}

const RULE_SCOPE =
  'A rule stands where its subject is: its place (or its datastream’s station’s), its agency (or its source’s owner). Its webhook addresses (`webhook`, escalation `notify`) are shown only to callers who may manage it (`catalogue.manage` over it); others see null and empty lists.';

const HANDLING = 'An alert outside what the caller may read answers 404 `unknown_alert`; one they may read but not handle (`alerts.handle` over its place or agency), 403 `forbidden`.';

/**
 * Alert rules and alerts. Building the plugin makes the rules observe the
 * live hub: every `observations.changed` event this process publishes
 * (after its batch committed) is evaluated in the background, so the write
 * path never waits for alerting.
 */
export function alertsRoutes(ctx: AppContext, service?: AlertService): FastifyPluginAsyncZod {
  return async (app) => {
    const alerts = service ?? new AlertService(ctx, { onError: (message, err) => app.log.error({ err }, message) });
    const audit = new AuditLog(ctx);
    /**
     * An alert change, recorded by the alert's plain fields and a pointer
     * into its timeline (its own event history stays with it); `extra` adds
     * what a change touches beyond the plain fields (its procedure).
     */
    const recorded = async (
      req: FastifyRequest,
      action: string,
      id: number,
      actor: string | undefined,
      change: () => Promise<AlertDetail>,
      extra: (d: AlertDetail) => Record<string, unknown> = () => ({}),
    ): Promise<AlertDetail> => {
      const shown = (d: AlertDetail) => ({ ...scalars(d), ...extra(d) });
      const before = shown(await alerts.detail(id, dataScope(req.identity)));
      const after = await change();
      await audit.record(auditWho(req, actor), { action, entityKind: 'alert', entityKey: String(id), before, after: { ...shown(after), timelineEvent: after.timeline.length } });
      return answered(req, after);
    };
    /** An alert as its reader may see it: webhook addresses of its notifications only to who may manage its rule. */
    const answered = async (req: FastifyRequest, detail: AlertDetail): Promise<AlertDetail> => ({
      ...detail,
      notifications: await alerts.shownNotifications(detail.notifications, dataScope(req.identity, 'catalogue.manage')),
    });
    const stop = ctx.live?.observe((event) => {
      if (event.type === 'observations.changed') alerts.enqueueObservations(event);
    });
    app.addHook('onClose', async () => {
      stop?.();
      await alerts.idle();
    });

    app.get(
      '/api/alert-rules',
      {
        schema: {
          tags: ['alerts'],
          summary: 'Alert rules',
          description: `Only the rules within the caller’s scope. ${RULE_SCOPE}`,
          response: { 200: z.object({ rules: z.array(alertRuleSchema) }) },
        },
      },
      async (req) => ({ rules: await alerts.rules(ruleReader(req)) }),
    );

    app.get(
      '/api/alert-rules/:code',
      {
        schema: {
          tags: ['alerts'],
          summary: 'One alert rule',
          description: `A rule outside the caller’s scope answers 404 \`unknown_alert_rule\`, as an unknown code does. ${RULE_SCOPE}`,
          params: ruleCode,
          response: { 200: alertRuleSchema, ...errors(400, 404) },
        },
      },
      async (req) => alerts.rule(req.params.code, ruleReader(req)),
    );

    app.put(
      '/api/alert-rules/:code',
      {
        schema: {
          tags: ['alerts'],
          summary: 'Create or replace an alert rule',
          description:
            'Kinds: `threshold` (parameters high/low/band: raise at ≥ high, clear below high − band), `rate_of_change` (maxPerHour, direction), `no_data` (periodMinutes, periods) on an indicator at a place or a datastream; ' +
            '`case_deadline` and `dossier_deadline` (windowHours, default 24) per category or agency; `source_freshness` per source. A rule whose parameters or subject do not fit its kind is refused with `invalid_alert_rule` naming every problem. ' +
            `The rule replaced and the rule saved must stand within the scope the caller may manage (\`catalogue.manage\`): else 403 \`forbidden\` (404 \`unknown_alert_rule\` for a rule they cannot read). ${RULE_SCOPE}`,
          params: ruleCode,
          body: alertRuleInputSchema,
          response: { 200: alertRuleSchema, 201: alertRuleSchema, ...errors(400, 403, 404) },
        },
      },
      async (req, reply) => {
        const before = (await alerts.storedRule(req.params.code)) ?? null;
        const { rule, created } = await alerts.putRule(req.params.code, req.body, ruleReader(req));
        await audit.record(auditWho(req), { action: created ? 'alert_rule.create' : 'alert_rule.replace', entityKind: 'alert_rule', entityKey: req.params.code, before, after: rule });
        return reply.status(created ? 201 : 200).send(rule);
      },
    );

    app.get(
      '/api/alerts',
      {
        schema: {
          tags: ['alerts'],
          summary: 'Alerts, newest first, filtered',
          description: 'Only the alerts within the caller’s scope: their place (or, without one, their agency’s place) and agency.',
          querystring: z.object({
            status: alertStatusSchema.optional(),
            severity: alertSeveritySchema.optional(),
            place: z.string().regex(/^\d{2,5}$/).optional().describe('The place code of the alert'),
            rule: alertRuleCodeSchema.optional(),
            agency: z.string().regex(/^[A-Za-z0-9-]{1,40}$/).optional().describe('The responsible agency (deadline and source rules)'),
            origin: alertOriginSchema.optional().describe('rule: raised by our rules; cap: imported from CAP messages of other agencies'),
            public: z.enum(['true']).optional().transform((v) => v === 'true' || undefined).describe('true: only the alerts published in the CAP feed'),
            limit: z.coerce.number().int().min(1).max(500).optional(),
          }),
          response: { 200: z.object({ alerts: z.array(alertSchema) }), ...errors(400) },
        },
      },
      async (req) => ({ alerts: await alerts.list(req.query, dataScope(req.identity)) }),
    );

    app.get(
      '/api/alerts/:id',
      { schema: { tags: ['alerts'], summary: 'One alert with its timeline, procedure steps and notifications', params: alertId, response: { 200: alertDetailSchema, ...errors(400, 404) } } },
      async (req) => answered(req, await alerts.detail(req.params.id, dataScope(req.identity))),
    );

    app.post(
      '/api/alerts/:id/acknowledge',
      {
        schema: {
          tags: ['alerts'],
          summary: 'Acknowledge an open alert (stops its escalation)',
          description: `Only an open alert can be acknowledged; otherwise \`invalid_transition\`. ${HANDLING}`,
          params: alertId,
          body: actorBody,
          response: { 200: alertDetailSchema, ...errors(400, 403, 404, 409) },
        },
      },
      async (req) => recorded(req, 'alert.acknowledge', req.params.id, req.body.actor, () => alerts.acknowledge(req.params.id, alertActor(req, req.body.actor), req.body.note ?? null)),
    );

    app.post(
      '/api/alerts/:id/resolve',
      {
        schema: {
          tags: ['alerts'],
          summary: 'Resolve an open or acknowledged alert',
          description: `A resolved alert cannot move again (\`invalid_transition\`); if its condition still holds, the rule raises a new one. ${HANDLING}`,
          params: alertId,
          body: actorBody,
          response: { 200: alertDetailSchema, ...errors(400, 403, 404, 409) },
        },
      },
      async (req) => recorded(req, 'alert.resolve', req.params.id, req.body.actor, () => alerts.resolve(req.params.id, alertActor(req, req.body.actor), req.body.note ?? null)),
    );

    for (const [action, value] of [['publish', true], ['unpublish', false]] as const) {
      app.post(
        `/api/alerts/:id/${action}`,
        {
          schema: {
            tags: ['alerts'],
            summary: value ? 'Publish an alert in the public CAP feed' : 'Withdraw an alert from the public CAP feed',
            description: `${
              value
                ? 'The alert is listed in GET /api/cap/alerts.atom while it is in force, as a CAP 1.2 document with Vietnamese and English info blocks. Recorded on the timeline; publishing a public alert changes nothing.'
                : 'The alert leaves the CAP feed and its document is no longer served. Recorded on the timeline; unpublishing an alert that is not public changes nothing.'
            } ${HANDLING}`,
            params: alertId,
            body: actorBody,
            response: { 200: alertDetailSchema, ...errors(400, 403, 404) },
          },
        },
        async (req) => recorded(req, `alert.${action}`, req.params.id, req.body.actor, () => alerts.setPublic(req.params.id, value, alertActor(req, req.body.actor), req.body.note ?? null)),
      );
    }

    app.post(
      '/api/alerts/:id/sop',
      {
        schema: {
          tags: ['alerts'],
          summary: "Start the rule's procedure (SOP) on an alert",
          description: `Refused with \`no_sop\` when the rule has none and \`sop_started\` the second time. ${HANDLING}`,
          params: alertId,
          body: z.object({ actor }).default({}),
          response: { 200: alertDetailSchema, ...errors(400, 403, 404, 409) },
        },
      },
      async (req) =>
        recorded(req, 'alert.sop_start', req.params.id, req.body.actor, () => alerts.startSop(req.params.id, alertActor(req, req.body.actor)), (d) => ({ sopSteps: d.sopSteps.length })),
    );

    app.post(
      '/api/alerts/:id/sop-steps/:step/done',
      {
        schema: {
          tags: ['alerts'],
          summary: 'Mark a procedure step of an alert done',
          description: HANDLING,
          params: alertId.extend({ step: z.coerce.number().int().min(1) }),
          body: actorBody,
          response: { 200: alertDetailSchema, ...errors(400, 403, 404, 409) },
        },
      },
      async (req) =>
        recorded(req, 'alert.sop_step', req.params.id, req.body.actor, () => alerts.completeStep(req.params.id, req.params.step, alertActor(req, req.body.actor), req.body.note ?? null), (d) => ({
          sopStep: d.sopSteps.find((x) => x.step === req.params.step) ?? null,
        })),
    );

    app.get(
      '/api/sop-steps/overdue',
      {
        schema: {
          tags: ['alerts'],
          summary: 'Procedure steps past due, of unresolved alerts and unfinished cases',
          description: "A step is due at the procedure's start (the alert's procedure start, the case's receipt) plus the expected minutes of it and of the steps before it.",
          response: { 200: z.object({ steps: z.array(overdueStepSchema) }) },
        },
      },
      async (req) => ({ steps: await alerts.overdueSteps(dataScope(req.identity)) }),
    );

    app.get(
      '/api/notifications',
      {
        schema: {
          tags: ['alerts'],
          summary: 'Notifications of alerts and their delivery, newest first',
          description:
            '`?status=failed`: the webhooks that could not be delivered after every attempt. A webhook\'s address is shown whole only to callers who may manage its rule (`catalogue.manage`); others see its origin (`https://host/…`).',
          querystring: z.object({ status: notificationStatusSchema.optional() }),
          response: { 200: z.object({ notifications: z.array(notificationSchema) }), ...errors(400) },
        },
      },
      async (req) => ({
        notifications: await alerts.shownNotifications(await alerts.notifications(req.query.status, dataScope(req.identity)), dataScope(req.identity, 'catalogue.manage')),
      }),
    );
  };
}
