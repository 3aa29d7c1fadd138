import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { operationsApi } from '@watchfloor/core';
import { serve } from '../../http/serve';
import type { AppContext } from '../../context';
import { OperationalFigures } from './service';
import { AuditLog, auditWho } from '../audit/service';

/**
 * Operational figures. Building the plugin makes them observe the live hub:
 * each `case.changed` and `dossiers.changed` this process publishes (after
 * its transaction committed) is gathered and the months it touches are
 * recomputed in the background, so saving a case never waits for figures.
 */
export function operationsRoutes(ctx: AppContext, service?: OperationalFigures): FastifyPluginAsyncZod {
  const audit = new AuditLog(ctx);
  return async (app) => {
    const figures = service ?? new OperationalFigures(ctx, { onError: (message, err) => app.log.error({ err }, message) });
    const stop = ctx.live?.observe((event) => figures.observe(event));
    app.addHook('onClose', async () => {
      stop?.();
      await figures.idle();
    });

    serve(app, operationsApi.rebuild, async (req) => {
      const result = await figures.rebuild(req.body);
      await audit.record(auditWho(req), { action: 'figures.rebuild', entityKind: 'run', entityKey: `${req.body.from}..${req.body.to}`, after: { ...req.body, ...result } });
      return result;
    });
  };
}
