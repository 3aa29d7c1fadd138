import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ALL_DATA, dataScope, indicatorCodeSchema, indicatorDefinitionSchema, indicatorDomainSchema } from '@watchfloor/core';
import { errors } from '../../http/schemas';
import type { AppContext } from '../../context';
import { catalogueFileSchema, catalogueImportSchema, definitionBodySchema } from './schemas';
import { AuditLog, auditWho } from '../audit/service';
import { CatalogueService } from './service';

const codeParams = z.object({ code: indicatorCodeSchema });

const REFUSAL =
  'Refused definitions answer 400 `invalid_indicator_definition`, with `details` listing each problem as `{ code, path, reason, message }` ' +
  '(reasons include unknown_indicator, self_reference, cycle, duplicate_code and the rules of a single definition such as thresholds_out_of_order).';

/** The indicator catalogue: list, read, define, and move it between installations as a file. */
export function catalogueRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new CatalogueService(ctx);
  const audit = new AuditLog(ctx);
  return async (app) => {
    app.get(
      '/api/indicators',
      {
        schema: {
          tags: ['indicators'],
          summary: 'The indicator catalogue, by code',
          description: 'Without signing in, only the published indicators (`published: true`).',
          querystring: z.object({ domain: indicatorDomainSchema.optional().describe('Only indicators of this domain') }),
          response: { 200: z.object({ indicators: z.array(indicatorDefinitionSchema) }), ...errors(400) },
        },
      },
      async (req) => ({ indicators: await service.list(req.query.domain, dataScope(req.identity)) }),
    );

    app.get(
      '/api/indicators/export',
      {
        schema: {
          tags: ['indicators'],
          summary: 'The whole catalogue as a file to import elsewhere',
          response: { 200: catalogueFileSchema },
        },
      },
      async (_req, reply) => {
        const { filename, file } = await service.exportFile();
        reply.header('content-disposition', `attachment; filename="${filename}"`);
        return file;
      },
    );

    app.post(
      '/api/indicators/import',
      {
        schema: {
          tags: ['indicators'],
          summary: 'Import a catalogue file, all or nothing',
          description:
            'The body is an exported catalogue file, or a bare array of definitions. Definitions replace those of the same code; ' +
            'identical ones are left unchanged. Every definition and the catalogue as a whole are checked first, and one problem stores nothing. ' +
            REFUSAL,
          body: catalogueImportSchema,
          response: { 200: z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() }), ...errors(400, 413, 415) },
        },
      },
      async (req) => {
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
      },
    );

    app.get(
      '/api/indicators/:code',
      {
        schema: {
          tags: ['indicators'],
          summary: 'One indicator definition',
          description: 'Without signing in, an unpublished indicator answers 404 `unknown_indicator`, as an unknown one does.',
          params: codeParams,
          response: { 200: indicatorDefinitionSchema, ...errors(400, 404) },
        },
      },
      async (req) => service.get(req.params.code, dataScope(req.identity)),
    );

    app.put(
      '/api/indicators/:code',
      {
        schema: {
          tags: ['indicators'],
          summary: 'Define an indicator, or replace its definition',
          description: `The code in the body must be the one in the path. Answers 201 when the indicator is new, 200 when it replaced a definition. ${REFUSAL}`,
          params: codeParams,
          body: definitionBodySchema,
          response: { 200: indicatorDefinitionSchema, 201: indicatorDefinitionSchema, ...errors(400, 413, 415) },
        },
      },
      async (req, reply) => {
        const before = await service.get(req.params.code, ALL_DATA).catch(() => null);
        const { created, definition } = await service.put(req.params.code, req.body);
        await audit.record(auditWho(req), { action: created ? 'indicator.create' : 'indicator.replace', entityKind: 'indicator', entityKey: req.params.code, before, after: definition });
        return reply.status(created ? 201 : 200).send(definition);
      },
    );
  };
}
