import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { figuresRebuildResultSchema, figuresRebuildSchema } from '@watchfloor/core';
import { errors } from '../../http/schemas';
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

    app.post(
      '/api/figures/rebuild',
      {
        schema: {
          tags: ['operations'],
          summary: 'Recompute the figures counted from cases and dossiers over a range of months',
          description:
            'CR_* (citizen reports) from the cases and the Decision 766 PS_DOSSIER_* measures from the dossiers, per unit (commune and province) and per agency, ' +
            'written as runs of the sources WF-CASES and WF-DOSSIERS (channel `derived`). Only figures that differ are written: a rebuild of unchanged months writes nothing. ' +
            'A figure another source filed for the same indicator, unit, agency and month (an agency\'s own report, the demo data set\'s synthetic series) is never overwritten by the count.',
          body: figuresRebuildSchema,
          response: { 200: figuresRebuildResultSchema, ...errors(400) },
        },
      },
      async (req) => {
        const result = await figures.rebuild(req.body);
        await audit.record(auditWho(req), { action: 'figures.rebuild', entityKind: 'run', entityKey: `${req.body.from}..${req.body.to}`, after: { ...req.body, ...result } });
        return result;
      },
    );
  };
}
