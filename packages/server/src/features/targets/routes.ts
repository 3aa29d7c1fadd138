import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ALL_DATA, dataScope, indicatorCodeSchema, periodKeySchema, placeCodeSchema } from '@watchfloor/core';
import { errors } from '../../http/schemas';
import type { AppContext } from '../../context';
import { documentedAs } from '../catalogue/schemas';
import { AuditLog, auditWho } from '../audit/service';
import { targetRowSchema, targetSchema, TargetsService, type Target } from './service';

/** Planned values (kế hoạch) of indicators per place and period. */
export function targetsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new TargetsService(ctx);
  const audit = new AuditLog(ctx);
  return async (app) => {
    app.put(
      '/api/targets',
      {
        schema: {
          tags: ['targets'],
          summary: 'Save planned values, all or nothing',
          description:
            'Each row is checked: the indicator exists, the period key parses, the place code names a unit valid during the period, the value is a number. ' +
            'Rows replace the saved value of the same indicator, unit and period. One bad row saves nothing: 400 `invalid_body` with `details` ' +
            'listing `{ index, reason, message }` per bad row (reasons: invalid_row, unknown_indicator, invalid_period, not_a_number, unknown_place, ' +
            'place_not_valid_in_period, duplicate_in_batch, out_of_scope: a place outside the scope the caller may manage).',
          body: z.object({ targets: z.array(documentedAs(targetRowSchema, 'A planned value')) }),
          response: { 200: z.object({ saved: z.number().int() }), ...errors(400, 413, 415) },
        },
      },
      async (req) => {
        // The values these rows replace, read once per indicator, for the audit log.
        const rows = req.body.targets.flatMap((t) => {
          const r = targetRowSchema.safeParse(t);
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
      },
    );

    app.get(
      '/api/targets',
      {
        schema: {
          tags: ['targets'],
          summary: 'Planned values, filtered by indicator, place and period',
          description: 'Only the plans for places within the caller’s scope; the others are not listed, as if none were saved.',
          querystring: z.object({
            indicator: indicatorCodeSchema.optional(),
            place: placeCodeSchema.optional().describe('A unit code: with `period`, the unit of that code valid during it; without, every unit that bore the code'),
            period: periodKeySchema.optional(),
          }),
          response: { 200: z.object({ targets: z.array(targetSchema) }), ...errors(400, 404) },
        },
      },
      async (req) => ({ targets: await service.list(req.query, dataScope(req.identity)) }),
    );
  };
}
