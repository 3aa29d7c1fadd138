import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, rejectionReasonSchema, dataScope, figureHistoryResponseSchema, indicatorCodeSchema, sourceCodeSchema, instantSchema, localDate, observationStatusSchema, parsePeriod, periodEnd, periodStart, placeCodeSchema } from '@watchfloor/core';
import { ObservationsRepository, resolveScope, versionDuring, versionsByCode } from '@watchfloor/db';
import { errors } from '../../http/schemas';
import type { AppContext } from '../../context';
import { ObservationWriter } from '../ingest/observations';
import { SourcesService, writeScopes } from '../sources/service';
import { sourceBounds } from '../ingest/bounds';

/** Rows per request on the JSON write path; larger loads go through the connectors' streaming channels. */
export const MAX_BATCH = 5000;

const writeResultSchema = z.object({
  received: z.number(),
  accepted: z.number(),
  created: z.number(),
  revised: z.number(),
  unchanged: z.number(),
  rejected: z.array(z.object({ index: z.number(), reason: rejectionReasonSchema, message: z.string(), row: z.unknown() })),
});

export function observationsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const writer = new ObservationWriter(ctx.store, ctx.clock, ctx.live);
  const sources = new SourcesService(ctx);
  return async (app) => {
    app.post(
      '/api/observations',
      {
        schema: {
          tags: ['indicators'],
          summary: 'Send a batch of figures: each row validated on its own, the accepted ones written in one transaction',
          description:
            'Idempotent by indicator × place × period × organisation: sending the same batch again changes nothing; a new value is kept as a revision. ' +
            'Rows are refused with a coded reason and the rest accepted; a row outside what the source may report for (its `coverage`) or outside the caller’s scope ' +
            'of supplying data is refused as `out_of_scope`. `source` must be a source the caller may supply: 404 `unknown_source` when it does not exist or lies ' +
            'outside their scope, 403 `forbidden` when they may read it but not supply it, 409 `source_disabled` when switched off. `dryRun` only reports what would happen.',
          querystring: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
          body: z.object({
            source: sourceCodeSchema.describe('The registered source the figures come from (a source the caller may supply)'),
            enteredBy: z.string().max(120).nullable().default(null).describe('Who entered them, for manual entry'),
            observations: z.array(z.unknown()).min(1).max(MAX_BATCH).describe('Rows of { indicator, place, period, value, status?, organisation?, note? }'),
          }),
          response: { 200: writeResultSchema, ...errors(400, 403, 404, 409, 413) },
        },
      },
      async (req) => {
        const scopes = writeScopes(req.identity, 'data.supply');
        const source = await sources.writable(req.body.source, scopes);
        if (!source.enabled) throw new AppError('source_disabled', `Source ${source.code} is disabled`);
        return writer.write(
          req.body.observations,
          // A signed-in user entered the figures themselves: their login is recorded, not a name from the body.
          { source: source.code, enteredBy: req.identity.kind === 'user' ? req.identity.login : req.body.enteredBy },
          { dryRun: req.query.dryRun === 'true', bounds: await sourceBounds(ctx.store.db, source, scopes.write) },
        );
      },
    );

    app.get(
      '/api/observations/history',
      {
        schema: {
          tags: ['indicators'],
          summary: 'Every revision of one figure, oldest first: who sent which value when',
          description: 'A figure of a unit outside the caller’s scope answers 404 as an unknown one.',
          querystring: z.object({
            indicator: indicatorCodeSchema,
            place: placeCodeSchema.describe('The unit the figure was reported for, as it was during the period'),
            period: z.string().min(4).max(40),
            organisation: z.string().max(40).optional(),
          }),
          response: { 200: figureHistoryResponseSchema, ...errors(400, 404) },
        },
      },
      async (req) => {
        const q = req.query;
        // The figure was filed under the unit valid during its period, as the writer files it.
        const instant = instantSchema.safeParse(q.period);
        let start: string;
        let end: string;
        if (instant.success) start = end = localDate(q.period);
        else {
          const p = parsePeriod(q.period);
          start = periodStart(p);
          end = periodEnd(p);
        }
        const place = versionDuring((await versionsByCode(ctx.store.db, 'place', [q.place])).get(q.place), start, end);
        if (!place) throw new AppError('unknown_place_code', `No unit ${q.place} existed during ${q.period}`);
        const key = instant.success ? new Date(q.period).toISOString() : q.period;
        const scope = await resolveScope(ctx.store.db, dataScope(req.identity));
        const h = await new ObservationsRepository(ctx.store.db).history(q.indicator, place.id, key, q.organisation ?? '', scope);
        if (!h) throw new AppError('not_found', `No figure of ${q.indicator} for ${q.place}, ${q.period}`);
        return {
          indicator: q.indicator,
          place: q.place,
          period: q.period,
          organisation: q.organisation ?? null,
          revisions: h.revisions.map((r) => ({
            revision: r.revision,
            value: r.value,
            status: observationStatusSchema.parse(r.status),
            source: r.source,
            runId: r.run_id,
            enteredBy: r.entered_by,
            note: r.note,
            recordedAt: r.recorded_at,
          })),
        };
      },
    );
  };
}
