import { Readable } from 'node:stream';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, dataScope, freshnessApi, sourceMappingSchema, sourcesApi, uploadedFileName, type SourceMapping } from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import { buildObservationTemplate, decodeUtf8, limitBytes, readDossierFile, readFileHead, readJsonArray, readNdjson, readObservationFile } from '@watchfloor/connectors';
import type { AppContext } from '../../context';
import { requestFailureLog } from '../../http/errors';
import { serve } from '../../http/serve';
import { exportFormatOf, exportLanguageOf, sendTable } from '../../http/exports';
import { receiveUpload } from '../../http/uploads';
import { AuditLog, auditWho, scalars } from '../audit/service';
import { IngestService, senderName } from '../ingest/service';
import { SourcesService, withLayout, writeScopes } from './service';
import { runsTable } from './exports';

/** Sources, their runs and rejected rows, the XLSX template, freshness; and the two channels that write: HTTP push and file upload. */
export function sourcesRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new SourcesService(ctx);
  const ingest = new IngestService(ctx);
  const audit = new AuditLog(ctx);
  return async (app) => {
    serve(app, sourcesApi.list, async (req) => ({ sources: await service.list(dataScope(req.identity)) }));

    serve(app, sourcesApi.create, async (req) => {
      const created = await service.create(req.body, dataScope(req.identity, 'catalogue.manage'));
      await audit.record(auditWho(req), { action: 'source.create', entityKind: 'source', entityKey: created.source.code, after: created.source });
      return created;
    });

    serve(app, sourcesApi.template, async (req, reply) => {
      const defs = await new IndicatorsRepository(ctx.store.db).list({ domain: req.query.domain });
      if (defs.length === 0) throw new AppError('not_found', req.query.domain ? `No indicator in domain ${req.query.domain}` : 'The catalogue is empty');
      const file = await buildObservationTemplate(defs, `Mẫu nhập số liệu${req.query.domain ? ` — ${req.query.domain}` : ''}`);
      const name = `watchfloor-observations${req.query.domain ? `-${req.query.domain}` : ''}.xlsx`;
      return reply
        .header('content-type', sourcesApi.template.response.contentType)
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(file);
    });

    serve(app, sourcesApi.detail, async (req) => service.get(req.params.code, dataScope(req.identity)));

    serve(app, sourcesApi.update, async (req) => {
      const scopes = writeScopes(req.identity, 'catalogue.manage');
      const before = await service.get(req.params.code, scopes.read);
      const after = await service.update(req.params.code, req.body, scopes);
      await audit.record(auditWho(req), { action: 'source.update', entityKind: 'source', entityKey: after.code, before, after });
      return after;
    });

    for (const [contract, action, enabled] of [
      [sourcesApi.enable, 'enable', true],
      [sourcesApi.disable, 'disable', false],
    ] as const) {
      serve(app, contract, async (req) => {
        const scopes = writeScopes(req.identity, 'catalogue.manage');
        const before = await service.get(req.params.code, scopes.read);
        const after = await service.setEnabled(req.params.code, enabled, scopes);
        await audit.record(auditWho(req), { action: `source.${action}`, entityKind: 'source', entityKey: after.code, before, after });
        return after;
      });
    }

    serve(app, sourcesApi.rotateToken, async (req) => {
      const scopes = writeScopes(req.identity, 'catalogue.manage');
      const before = await service.get(req.params.code, scopes.read);
      const issued = await service.rotateToken(req.params.code, scopes);
      // The token itself is never recorded: only that a new one was issued.
      await audit.record(auditWho(req), { action: 'source.token', entityKind: 'source', entityKey: issued.source.code, before, after: issued.source });
      return issued;
    });

    serve(app, sourcesApi.addAlias, async (req) => {
      // The officer who supplies a source's data names its units and agencies the way its files do.
      const scopes = writeScopes(req.identity, 'data.supply');
      const before = await service.get(req.params.code, scopes.read);
      const after = await service.addAlias(req.params.code, req.body, scopes);
      await audit.record(auditWho(req), { action: 'source.alias', entityKind: 'source', entityKey: after.code, before, after });
      return after;
    });

    serve(app, sourcesApi.saveLayout, async (req) => {
      // How a report's sheet is read is the business of the officer who supplies its files.
      const scopes = writeScopes(req.identity, 'data.supply');
      const before = await service.get(req.params.code, scopes.read);
      const after = await service.saveLayout(req.params.code, req.body, scopes);
      await audit.record(auditWho(req), { action: 'source.layout', entityKind: 'source', entityKey: after.code, before, after });
      return after;
    });

    serve(app, sourcesApi.runs, async (req, reply) => {
      const scope = dataScope(req.identity);
      const runs = await service.listRuns(req.params.code, req.query, scope);
      const format = exportFormatOf(req);
      if (!format) return { runs };
      const lang = exportLanguageOf(req);
      return sendTable(reply, runsTable(await service.get(req.params.code, scope), runs, lang, ctx.clock.now().toISOString(), req.query), format, lang);
    });

    serve(app, sourcesApi.run, async (req) => service.run(req.params.id, dataScope(req.identity)));

    serve(app, sourcesApi.rejected, async (req) => service.rejected(req.params.id, req.query, dataScope(req.identity)));

    serve(app, sourcesApi.rejectedCsv, async (req, reply) => {
      const scope = dataScope(req.identity);
      await service.run(req.params.id, scope);
      return reply
        .header('content-type', sourcesApi.rejectedCsv.response.contentType)
        .header('content-disposition', `attachment; filename="run-${req.params.id}-rejected.csv"`)
        .send(Readable.from(service.rejectedCsv(req.params.id, scope)));
    });

    serve(app, freshnessApi.sources, async (req) => service.freshness(dataScope(req.identity)));

    await app.register(pushRoutes(ctx, service, ingest));
    await app.register(uploadRoutes(ctx, service, ingest, audit));
  };
}

/**
 * HTTP push, in a context of its own: JSON and NDJSON bodies reach the
 * handler as the raw stream (the usual parser would hold the whole body),
 * and the size limit is the push limit, counted as the body streams in.
 */
function pushRoutes(ctx: AppContext, service: SourcesService, ingest: IngestService): FastifyPluginAsyncZod {
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(['application/json', 'application/x-ndjson'], (_req, payload, done) => done(null, payload));
    // A refused push may leave most of its body unread: close the connection rather than read it.
    app.addHook('onSend', async (_req, reply) => {
      if (reply.statusCode >= 400) reply.header('connection', 'close');
    });
    const limit = ctx.config.pushLimitBytes;

    serve(app, sourcesApi.push, async (req) => {
      const source = await service.authenticatePush(req.params.code, req.headers.authorization);
      if (Number(req.headers['content-length']) > limit) throw new AppError('body_too_large', `The body is larger than the ${limit} bytes this server accepts; send it in several requests`, { limitBytes: limit });
      const body = req.body;
      if (!(body instanceof Readable)) throw new AppError('invalid_body', 'Send the rows as the request body');
      const text = decodeUtf8(limitBytes(body, limit));
      const ndjson = (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-ndjson');
      return ingest.ingest({
        source: { code: source.code, mapping: source.mapping === null ? null : sourceMappingSchema.parse(source.mapping) },
        channel: 'http_push',
        // The source's own token sends the rows: its coverage alone bounds them.
        sender: null,
        rows: ndjson ? readNdjson(text) : readJsonArray(text),
        dryRun: req.query.dryRun === 'true',
        log: requestFailureLog(req),
      });
    });
  };
}

/** File upload (multipart), in a context of its own so only this route parses multipart bodies. */
function uploadRoutes(ctx: AppContext, service: SourcesService, ingest: IngestService, audit: AuditLog): FastifyPluginAsyncZod {
  return async (app) => {
    const limit = ctx.config.uploadLimitBytes;
    await app.register(fastifyMultipart, { limits: { fileSize: limit, files: 1, fields: 10 } });

    serve(app, sourcesApi.upload, async (req) => {
      const scopes = writeScopes(req.identity, 'data.supply');
      const source = await service.writable(req.params.code, scopes);
      if (!source.enabled) throw new AppError('source_disabled', `Source ${source.code} is disabled`);
      // The file is spooled to disk as it arrives and read back as a stream, pass after pass: never whole in memory.
      const { file, fileName, fields } = await receiveUpload(req, limit);
      const part = { filename: fileName };
      await using _spooled = { [Symbol.asyncDispose]: () => file.dispose() };
      const saved = source.mapping === null ? null : sourceMappingSchema.parse(source.mapping);
      // Directive files are the leader's office's to upload, read by their own headings.
      if (saved?.target === 'directives') throw new AppError('invalid_parameter', `Source ${source.code} sends leadership directives: upload its files at /api/directives/sources/${source.code}/upload`);
      // A dry run may try a report layout before it is saved: the file is read by it, the rest of the mapping kept.
      const mapping = fields.mapping === undefined ? saved : triedLayout(saved, fields.mapping, req.query.dryRun === 'true');
      const limits = ctx.config.fileLimits;
      // A dossier source's files are dossier tables ("Mã hồ sơ", "Ngày tiếp nhận" …), read by their own headers.
      // A CSV file's encoding: declared with the upload, else the source's default, else told from its bytes.
      const encoding = req.query.encoding ?? mapping?.encoding ?? null;
      const read = () =>
        mapping?.target === 'dossiers'
          ? readDossierFile(file, fileName, limits, encoding)
          : readObservationFile(file, fileName, { numbers: req.query.numbers, mapping, encoding, declared: { period: req.query.period, place: req.query.place, organisation: req.query.organisation } }, limits);
      // A file refused whole is still a run of the source, with its reason (a dry run records none).
      const reading = await read().catch(async (e: unknown) => {
        throw req.query.dryRun === 'true' || !(e instanceof AppError) ? e : await ingest.refused({ source: { code: source.code, mapping }, channel: 'file', fileName: part.filename, enteredBy: senderName(req.identity) }, e);
      });
      const result = await ingest.ingest({
        source: { code: source.code, mapping },
        channel: 'file',
        sender: scopes.write,
        rows: reading.rows,
        dryRun: req.query.dryRun === 'true',
        fileName: part.filename,
        enteredBy: senderName(req.identity),
        log: requestFailureLog(req),
        ...('warnings' in reading ? { warnings: reading.warnings } : {}),
      });
      if (!result.dryRun) await audit.record(auditWho(req), { action: 'source.upload', entityKind: 'run', entityKey: String(result.runId), after: { source: source.code, fileName: uploadedFileName(part.filename), run: scalars(result) } });
      return { ...result, numberStyle: reading.numberHabit, encoding: reading.encoding, ...('layout' in reading ? { layout: reading.layout() } : {}) };
    });

    serve(app, sourcesApi.sheet, async (req) => {
      const scopes = writeScopes(req.identity, 'data.supply');
      const source = await service.writable(req.params.code, scopes);
      const { file, fileName } = await receiveUpload(req, limit);
      await using _spooled = { [Symbol.asyncDispose]: () => file.dispose() };
      const mapping = source.mapping === null ? null : sourceMappingSchema.parse(source.mapping);
      const head = await readFileHead(file, fileName, { mapping, encoding: req.query.encoding ?? null, headerLine: req.query.header ?? null }, ctx.config.fileLimits);
      return { fileName: uploadedFileName(fileName), ...head };
    });
  };
}

/** The saved mapping with the report layout sent with a dry run in place of its own; refused with a write, or when it is not a layout. */
function triedLayout(saved: SourceMapping | null, text: string, dryRun: boolean): SourceMapping {
  if (!dryRun) throw new AppError('invalid_parameter', 'A mapping sent with the file is tried on a dry run only: save it first (PUT /api/sources/{code}/layout)');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('invalid_parameter', 'The field "mapping" is not JSON');
  }
  const layout = sourcesApi.reportLayoutSchema.safeParse(json);
  if (!layout.success) throw new AppError('invalid_parameter', `The field "mapping" is not a report layout: ${layout.error.issues.map((i) => `${i.path.join('.') || 'mapping'}: ${i.message}`).join('; ')}`);
  return withLayout(saved, layout.data);
}

