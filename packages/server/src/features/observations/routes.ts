import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, dataScope, observationsApi, instantSchema, localDate, observationStatusSchema, parsePeriod, periodEnd, periodStart, sourceMappingSchema } from '@watchfloor/core';
import { ObservationsRepository, resolveScope, versionDuring, versionsByCode } from '@watchfloor/db';
import { serve } from '../../http/serve';
import type { AppContext } from '../../context';
import { ObservationWriter } from '../ingest/observations';
import { SourcesService, writeScopes } from '../sources/service';
import { sourceBounds } from '../ingest/bounds';

export function observationsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const writer = new ObservationWriter(ctx.store, ctx.clock, ctx.live);
  const sources = new SourcesService(ctx);
  return async (app) => {
    serve(app, observationsApi.write, async (req) => {
      const scopes = writeScopes(req.identity, 'data.supply');
      const source = await sources.writable(req.body.source, scopes);
      if (!source.enabled) throw new AppError('source_disabled', `Source ${source.code} is disabled`);
      return writer.write(
        req.body.observations,
        // A signed-in user entered the figures themselves: their login is recorded, not a name from the body.
        { source: source.code, enteredBy: req.identity.kind === 'user' ? req.identity.login : req.body.enteredBy },
        // The source's aliases name its units and agencies here as in its files.
        { dryRun: req.query.dryRun === 'true', bounds: await sourceBounds(ctx.store.db, source, scopes.write), mapping: source.mapping === null ? null : sourceMappingSchema.parse(source.mapping) },
      );
    });

    serve(app, observationsApi.history, async (req) => {
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
    });
  };
}
