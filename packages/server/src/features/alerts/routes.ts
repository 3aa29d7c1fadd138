import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { alertsApi, dataScope, type AlertDetail } from '@watchfloor/core';
import { serve } from '../../http/serve';
import { exportFormatOf, exportLanguageOf, sendTable } from '../../http/exports';
import type { AppContext } from '../../context';
import { AuditLog, auditWho, scalars } from '../audit/service';
import type { RuleReader } from './rules';
import { AlertService, type AlertActor } from './service';
import { alertsTable } from './exports';

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

    serve(app, alertsApi.rules, async (req) => ({ rules: await alerts.rules(ruleReader(req)) }));

    serve(app, alertsApi.rule, async (req) => alerts.rule(req.params.code, ruleReader(req)));

    serve(app, alertsApi.putRule, async (req, reply) => {
      const before = (await alerts.storedRule(req.params.code)) ?? null;
      const { rule, created } = await alerts.putRule(req.params.code, req.body, ruleReader(req));
      await audit.record(auditWho(req), { action: created ? 'alert_rule.create' : 'alert_rule.replace', entityKind: 'alert_rule', entityKey: req.params.code, before, after: rule });
      return reply.status(created ? 201 : 200).send(rule);
    });

    serve(app, alertsApi.list, async (req, reply) => {
      const list = await alerts.list(req.query, dataScope(req.identity));
      const format = exportFormatOf(req);
      return format ? sendTable(reply, alertsTable(list, ctx.clock.now().toISOString(), req.query), format, exportLanguageOf(req)) : { alerts: list };
    });

    serve(app, alertsApi.detail, async (req) => answered(req, await alerts.detail(req.params.id, dataScope(req.identity))));

    serve(app, alertsApi.acknowledge, async (req) =>
      recorded(req, 'alert.acknowledge', req.params.id, req.body.actor, () => alerts.acknowledge(req.params.id, alertActor(req, req.body.actor), req.body.note ?? null)),
    );

    serve(app, alertsApi.resolve, async (req) => recorded(req, 'alert.resolve', req.params.id, req.body.actor, () => alerts.resolve(req.params.id, alertActor(req, req.body.actor), req.body.note ?? null)));

    for (const [contract, value] of [[alertsApi.publish, true], [alertsApi.unpublish, false]] as const) {
      const action = value ? 'publish' : 'unpublish';
      serve(app, contract, async (req) =>
        recorded(req, `alert.${action}`, req.params.id, req.body.actor, () => alerts.setPublic(req.params.id, value, alertActor(req, req.body.actor), req.body.note ?? null)),
      );
    }

    serve(app, alertsApi.startSop, async (req) =>
      recorded(req, 'alert.sop_start', req.params.id, req.body.actor, () => alerts.startSop(req.params.id, alertActor(req, req.body.actor)), (d) => ({ sopSteps: d.sopSteps.length })),
    );

    serve(app, alertsApi.stepDone, async (req) =>
      recorded(req, 'alert.sop_step', req.params.id, req.body.actor, () => alerts.completeStep(req.params.id, req.params.step, alertActor(req, req.body.actor), req.body.note ?? null), (d) => ({
        sopStep: d.sopSteps.find((x) => x.step === req.params.step) ?? null,
      })),
    );

    serve(app, alertsApi.overdueSteps, async (req) => ({ steps: await alerts.overdueSteps(dataScope(req.identity)) }));

    serve(app, alertsApi.notifications, async (req) => ({
      notifications: await alerts.shownNotifications(await alerts.notifications(req.query.status, dataScope(req.identity)), dataScope(req.identity, 'catalogue.manage')),
    }));
  };
}
