import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataScope, datastreamCodeSchema, datastreamSchema, ingestResultSchema, instantSchema, readingsResponseSchema, sourceCodeSchema, stationCodeSchema, stationCreateSchema, stationSchema, uploadedFileName } from '@watchfloor/core';
import { errors } from '../../http/schemas';
import { receiveUpload } from '../../http/uploads';
import type { AppContext } from '../../context';
import { writeScopes } from '../sources/service';
import { senderName } from '../ingest/service';
import { AuditLog, auditWho, scalars } from '../audit/service';
import { loadSensorExport, StationsService } from './service';

const TAGS = ['stations'];
const codeParams = z.object({ code: stationCodeSchema });

/** Sensor stations (trạm quan trắc): registration, datastreams, readings; and the upload of a sensor export. */
export function stationsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new StationsService(ctx);
  const audit = new AuditLog(ctx);
  return async (app) => {
    app.get(
      '/api/stations',
      { schema: { tags: TAGS, summary: 'Every station in the caller’s scope, by code, with its place and datastreams', response: { 200: z.object({ stations: z.array(stationSchema) }) } } },
      async (req) => ({ stations: await service.list(dataScope(req.identity)) }),
    );

    app.post(
      '/api/stations',
      {
        schema: {
          tags: TAGS,
          summary: 'Register a station',
          description:
            'Locates the point on the day of registration (Vietnam time) to the finest unit whose boundaries are known: a commune of Vĩnh Long, the province elsewhere ' +
            '(400 `station_outside_boundaries` outside every known boundary). Each datastream names the indicator its readings roll up into (404 `unknown_indicator`): ' +
            "after each batch of readings, the day's mean over every station of the place is written as that indicator's figure. 409 `station_exists` for a taken code. " +
            'A point outside the places of the caller’s scope is 403 `forbidden`.',
          body: stationCreateSchema,
          response: { 201: stationSchema, ...errors(400, 403, 404, 409, 413, 415) },
        },
      },
      async (req, reply) => reply.status(201).send(await service.create(req.body, writeScopes(req.identity, 'catalogue.manage'))),
    );

    app.get(
      '/api/stations/:code',
      { schema: { tags: TAGS, summary: 'One station; 404 outside the caller’s scope', params: codeParams, response: { 200: stationSchema, ...errors(400, 404) } } },
      async (req) => service.get(req.params.code, dataScope(req.identity)),
    );

    app.get(
      '/api/stations/:code/datastreams',
      { schema: { tags: TAGS, summary: "A station's datastreams", params: codeParams, response: { 200: z.object({ datastreams: z.array(datastreamSchema) }), ...errors(400, 404) } } },
      async (req) => ({ datastreams: await service.datastreams(req.params.code, dataScope(req.identity)) }),
    );

    app.get(
      '/api/stations/:code/readings',
      {
        schema: {
          tags: TAGS,
          summary: "A station's readings, newest first",
          params: codeParams,
          querystring: z.object({
            from: instantSchema.optional().describe('From this instant (inclusive)'),
            to: instantSchema.optional().describe('Until this instant (exclusive)'),
            datastream: datastreamCodeSchema.optional(),
            limit: z.coerce.number().int().min(1).max(10_000).default(500),
          }),
          response: { 200: readingsResponseSchema, ...errors(400, 404) },
        },
      },
      async (req) => ({
        station: req.params.code,
        from: req.query.from ?? null,
        to: req.query.to ?? null,
        readings: await service.readings(req.params.code, { from: req.query.from, to: req.query.to, datastream: req.query.datastream, limit: req.query.limit }, dataScope(req.identity)),
      }),
    );

    await app.register(exportRoutes(ctx, audit));
  };
}

/** Sensor export upload (multipart), in a context of its own so only this route parses multipart bodies. */
function exportRoutes(ctx: AppContext, audit: AuditLog): FastifyPluginAsyncZod {
  return async (app) => {
    const limit = ctx.config.uploadLimitBytes;
    await app.register(fastifyMultipart, { limits: { fileSize: limit, files: 1, fields: 10 } });
    app.post(
      '/api/sources/:code/readings/upload',
      {
        schema: {
          tags: TAGS,
          summary: 'Upload a sensor export (hourly readings CSV) to a source',
          description:
            'multipart/form-data with the file in a field `file`: the AirNow DOS hourly export (Site, Parameter, Date (LT), Year, Month, Day, Hour, …, Raw Conc., ' +
            'Conc. Unit, Duration, QC Name), local time UTC+7. Sites and parameters map to station and datastream codes through the source mapping ' +
            '(`sensors.stations`, `sensors.datastreams`). -999 or a QC other than Valid is a rejected row `missing_value`; an unknown station or datastream ' +
            '`unknown_station` / `unknown_datastream`. Loading the same file again stores nothing twice. The answer counts readings (created: new, unchanged: ' +
            'already stored) and `figures`, the daily means written. A source outside the caller’s scope answers 404; one they may read but not supply, 403 `forbidden`.',
          params: z.object({ code: sourceCodeSchema }),
          response: { 200: ingestResultSchema.extend({ figures: z.number().int().describe('Daily figures written (created or revised)') }), ...errors(400, 403, 404, 409, 413, 415, 500) },
        },
      },
      async (req) => {
        // Spooled to disk as it arrives and read back as a stream: never whole in memory.
        const { file, fileName } = await receiveUpload(req, limit);
        try {
          const result = await loadSensorExport(ctx, req.params.code, file, fileName, writeScopes(req.identity, 'data.supply'), req.log, senderName(req.identity));
          await audit.record(auditWho(req), { action: 'source.upload', entityKind: 'run', entityKey: String(result.runId), after: { source: req.params.code, fileName: uploadedFileName(fileName), run: scalars(result) } });
          return result;
        } finally {
          await file.dispose();
        }
      },
    );
  };
}
