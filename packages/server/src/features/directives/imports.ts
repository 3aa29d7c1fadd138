import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, directiveColumnsSchema, directivesApi, sourceMappingSchema, uploadedFileName, type DirectiveColumns, type SourceMapping } from '@watchfloor/core';
import type { SourceRecord } from '@watchfloor/db';
import { buildDirectiveTemplate, cutRaw, readDirectiveFile } from '@watchfloor/connectors';
import type { AppContext } from '../../context';
import { requestFailureLog } from '../../http/errors';
import { serve } from '../../http/serve';
import { receiveUpload } from '../../http/uploads';
import { AuditLog, auditWho, scalars } from '../audit/service';
import { IngestService, senderName } from '../ingest/service';
import { SourcesService, writeScopes } from '../sources/service';

/** A source's mapping, when it is a directive source; `invalid_parameter` for any other. */
function directiveMapping(source: SourceRecord): SourceMapping {
  const mapping = source.mapping === null ? null : sourceMappingSchema.parse(source.mapping);
  if (mapping?.target !== 'directives') throw new AppError('invalid_parameter', `Source ${source.code} does not send leadership directives (its mapping's target is not "directives")`);
  return mapping;
}

/** The headings an upload names (a form field `columns`, JSON), over the source's own. */
function uploadColumns(saved: SourceMapping, text: string | undefined): DirectiveColumns {
  if (text === undefined) return saved.directiveColumns ?? {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('invalid_parameter', 'The field "columns" is not JSON');
  }
  const p = directiveColumnsSchema.safeParse(json);
  if (!p.success) throw new AppError('invalid_parameter', `The field "columns" is not headings → fields: ${p.error.issues.map((i) => `${i.path.join('.') || 'columns'}: ${i.message}`).join('; ')}`);
  return { ...(saved.directiveColumns ?? {}), ...p.data };
}

/**
 * Directive documents in from the e-office system through the sources
 * registry: a batch pushed with a directive source's token, a file the
 * leader's office uploads (one row per task) and its template. Both are runs
 * of the source through the one ingestion path, whose directive writer
 * checks each task's agencies and scope and saves by number and task key.
 * (The HTTP pull of such a source is the pulls' own, on its schedule.)
 */
export function directiveImportRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const sources = new SourcesService(ctx);
  const ingest = new IngestService(ctx);
  const audit = new AuditLog(ctx);
  return async (app) => {
    if (!app.hasRequestDecorator('isMultipart')) await app.register(fastifyMultipart, { limits: { fileSize: ctx.config.uploadLimitBytes, files: 1, fields: 10 } });

    // The source's token is judged before the body is: a caller without it learns nothing of what the body should be.
    app.addHook('preValidation', async (req) => {
      if (req.routeOptions.url === directivesApi.push.path) await sources.authenticatePush((req.params as { code: string }).code, req.headers.authorization);
    });

    serve(app, directivesApi.push, async (req) => {
      const source = await sources.authenticatePush(req.params.code, req.headers.authorization);
      const mapping = directiveMapping(source);
      return ingest.ingest({
        source: { code: source.code, mapping },
        channel: 'http_push',
        // The source's own token sends the documents: its coverage alone bounds them.
        sender: null,
        rows: req.body.documents.map((d, i) => ({ line: i + 1, raw: cutRaw(JSON.stringify(d)), value: d })),
        dryRun: req.query.dryRun === 'true',
        log: requestFailureLog(req),
      });
    });

    serve(app, directivesApi.template, async (_req, reply) =>
      reply.header('content-type', directivesApi.template.response.contentType).header('content-disposition', 'attachment; filename="watchfloor-directives.xlsx"').send(await buildDirectiveTemplate()),
    );

    serve(app, directivesApi.upload, async (req) => {
      const scopes = writeScopes(req.identity, 'directives.manage');
      const source = await sources.writable(req.params.code, scopes);
      const mapping = directiveMapping(source);
      if (!source.enabled) throw new AppError('source_disabled', `Source ${source.code} is disabled`);
      const { file, fileName, fields } = await receiveUpload(req, ctx.config.uploadLimitBytes);
      await using _spooled = { [Symbol.asyncDispose]: () => file.dispose() };
      const dryRun = req.query.dryRun === 'true';
      const enteredBy = senderName(req.identity);
      const reading = await readDirectiveFile(file, fileName, uploadColumns(mapping, fields.columns), ctx.config.fileLimits, mapping.encoding ?? null).catch(async (e: unknown) => {
        // A file refused whole is still a run of the source, with its reason (a dry run records none).
        throw dryRun || !(e instanceof AppError) ? e : await ingest.refused({ source: { code: source.code, mapping }, channel: 'file', fileName, enteredBy }, e);
      });
      const result = await ingest.ingest({
        source: { code: source.code, mapping },
        channel: 'file',
        sender: scopes.write,
        rows: reading.rows,
        dryRun,
        fileName,
        enteredBy,
        // One batch for the whole file: a document's rows may lie anywhere in it, and its tasks are saved together.
        batchSize: ctx.config.fileLimits.maxRows,
        log: requestFailureLog(req),
      });
      if (!result.dryRun) await audit.record(auditWho(req), { action: 'source.upload', entityKind: 'run', entityKey: String(result.runId), after: { source: source.code, fileName: uploadedFileName(fileName), run: scalars(result) } });
      return { ...result, encoding: reading.encoding };
    });
  };
}
