import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ALL_DATA, dataScope, targetsApi } from '@watchfloor/core';
import { serve } from '../../http/serve';
import type { AppContext } from '../../context';
import { AuditLog, auditWho } from '../audit/service';
import { TargetsService, type Target } from './service';

/** Planned values (kế hoạch) of indicators per place and period. */
export function targetsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new TargetsService(ctx);
  const audit = new AuditLog(ctx);
  return async (app) => {
    serve(app, targetsApi.save, async (req) => {
      // The values these rows replace, read once per indicator, for the audit log.
      const rows = req.body.targets.flatMap((t) => {
        const r = targetsApi.targetRowSchema.safeParse(t);
        return r.success ? [r.data] : [];
      });
      const before = new Map<string, Target>();
      for (const indicator of new Set(rows.map((t) => t.indicator))) {
        for (const t of await service.list({ indicator }, ALL_DATA).catch(() => [])) before.set(`${t.indicator}:${t.place}:${t.period}`, t);
      }
      const saved = await service.save(req.body.targets, dataScope(req.identity, 'catalogue.manage'));
      const who = auditWho(req);
      for (const t of rows) {
        const key = `${t.indicator}:${t.place}:${t.period}`;
        const was = before.get(key);
        await audit.record(who, { action: 'target.save', entityKind: 'target', entityKey: key, before: was ? { value: was.value } : null, after: { value: t.value } });
      }
      return saved;
    });

    serve(app, targetsApi.list, async (req) => ({ targets: await service.list(req.query, dataScope(req.identity)) }));
  };
}
