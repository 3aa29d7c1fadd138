import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { dataScope, stationsApi, uploadedFileName } from '@watchfloor/core';
import { serve } from '../../http/serve';
import { receiveUpload } from '../../http/uploads';
import type { AppContext } from '../../context';
import { writeScopes } from '../sources/service';
import { senderName } from '../ingest/service';
import { AuditLog, auditWho, scalars } from '../audit/service';
import { loadSensorExport, StationsService } from './service';

/** Sensor stations (trạm quan trắc): registration, datastreams, readings; and the upload of a sensor export. */
export function stationsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new StationsService(ctx);
  const audit = new AuditLog(ctx);
  return async (app) => {
    serve(app, stationsApi.list, async (req) => ({ stations: await service.list(dataScope(req.identity)) }));

    serve(app, stationsApi.create, async (req) => service.create(req.body, writeScopes(req.identity, 'catalogue.manage')));

    serve(app, stationsApi.detail, async (req) => service.get(req.params.code, dataScope(req.identity)));

    serve(app, stationsApi.datastreams, async (req) => ({ datastreams: await service.datastreams(req.params.code, dataScope(req.identity)) }));

    serve(app, stationsApi.readings, async (req) => ({
      station: req.params.code,
      from: req.query.from ?? null,
      to: req.query.to ?? null,
      readings: await service.readings(req.params.code, { from: req.query.from, to: req.query.to, datastream: req.query.datastream, limit: req.query.limit }, dataScope(req.identity)),
    }));

    await app.register(exportRoutes(ctx, audit));
  };
}

/** Sensor export upload (multipart), in a context of its own so only this route parses multipart bodies. */
function exportRoutes(ctx: AppContext, audit: AuditLog): FastifyPluginAsyncZod {
  return async (app) => {
    const limit = ctx.config.uploadLimitBytes;
    await app.register(fastifyMultipart, { limits: { fileSize: limit, files: 1, fields: 10 } });
    serve(app, stationsApi.uploadReadings, async (req) => {
      // Spooled to disk as it arrives and read back as a stream: never whole in memory.
      const { file, fileName } = await receiveUpload(req, limit);
      try {
        const result = await loadSensorExport(ctx, req.params.code, file, fileName, writeScopes(req.identity, 'data.supply'), req.log, senderName(req.identity));
        await audit.record(auditWho(req), { action: 'source.upload', entityKind: 'run', entityKey: String(result.runId), after: { source: req.params.code, fileName: uploadedFileName(fileName), run: scalars(result) } });
        return result;
      } finally {
        await file.dispose();
      }
    });
  };
}
