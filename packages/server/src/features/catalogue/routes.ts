import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ALL_DATA, catalogueApi, dataScope } from '@watchfloor/core';
import { serve } from '../../http/serve';
import type { AppContext } from '../../context';
import { AuditLog, auditWho } from '../audit/service';
import { CatalogueService } from './service';

/** The indicator catalogue: list, read, define, and move it between installations as a file. */
export function catalogueRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new CatalogueService(ctx);
  const audit = new AuditLog(ctx);
  return async (app) => {
    serve(app, catalogueApi.list, async (req) => ({ indicators: await service.list(req.query.domain, dataScope(req.identity)) }));

    serve(app, catalogueApi.exportFile, async (_req, reply) => {
      const { filename, file } = await service.exportFile();
      reply.header('content-disposition', `attachment; filename="${filename}"`);
      return file;
    });

    serve(app, catalogueApi.importFile, async (req) => {
      const definitions: unknown[] = Array.isArray(req.body) ? req.body : req.body.indicators;
      const before = new Map((await service.list(undefined, ALL_DATA)).map((d) => [d.code, d]));
      const outcome = await service.import(definitions);
      const who = auditWho(req);
      for (const d of definitions) {
        const code = d !== null && typeof d === 'object' && 'code' in d && typeof d.code === 'string' ? d.code : undefined;
        if (code === undefined) continue;
        const after = await service.get(code, ALL_DATA);
        const was = before.get(code) ?? null;
        if (JSON.stringify(was) !== JSON.stringify(after)) await audit.record(who, { action: 'indicator.import', entityKind: 'indicator', entityKey: code, before: was, after });
      }
      return outcome;
    });

    serve(app, catalogueApi.detail, async (req) => service.get(req.params.code, dataScope(req.identity)));

    serve(app, catalogueApi.define, async (req, reply) => {
      const before = await service.get(req.params.code, ALL_DATA).catch(() => null);
      const { created, definition } = await service.put(req.params.code, req.body);
      await audit.record(auditWho(req), { action: created ? 'indicator.create' : 'indicator.replace', entityKind: 'indicator', entityKey: req.params.code, before, after: definition });
      return reply.status(created ? 201 : 200).send(definition);
    });
  };
}
