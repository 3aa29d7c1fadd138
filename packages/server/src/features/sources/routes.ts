import { Readable } from 'node:stream';
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AppError,
  dataScope,
  freshnessResponseSchema,
  indicatorDomainSchema,
  ingestResultSchema,
  numberStyleSchema,
  rejectedRowSchema,
  runSchema,
  sourceCodeSchema,
  sourceCreateSchema,
  sourceMappingSchema,
  sourceSchema,
  sourceUpdateSchema,
  uploadedFileName,
} from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import { buildObservationTemplate, decodeUtf8, limitBytes, readDossierFile, readJsonArray, readNdjson, readObservationFile } from '@watchfloor/connectors';
import { errors } from '../../http/schemas';
import type { AppContext } from '../../context';
import { requestFailureLog } from '../../http/errors';
import { receiveUpload } from '../../http/uploads';
import { AuditLog, auditWho, scalars } from '../audit/service';
import { IngestService, senderName } from '../ingest/service';
import { SourcesService, writeScopes } from './service';

const TAGS = ['sources'];
const codeParams = z.object({ code: sourceCodeSchema });
const runParams = z.object({ id: z.coerce.number().int().positive() });
const dryRunQuery = z.enum(['true', 'false']).optional().describe('true: say what would be accepted and rejected, write nothing, record no run');
const tokenAnswer = z.object({ source: sourceSchema, token: z.string().nullable().describe('The push token: shown this once, stored only as a hash') });

const RESULT =
  'Answers with the run: rows read, accepted (created, revised, unchanged), rejected, and the first rejected rows with their line and coded reason ' +
  '(all of them at /api/runs/{id}/rejected, or as CSV to fix and resend). Rows are written in batches of up to 5,000, each all or nothing; ' +
  'sending the same rows again creates no duplicates. A failure part-way answers 500 `ingestion_failed` with `details.checkpoint`: the batches before it are kept.';

/** Sources, their runs and rejected rows, the XLSX template, freshness; and the two channels that write: HTTP push and file upload. */
export function sourcesRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const service = new SourcesService(ctx);
  const ingest = new IngestService(ctx);
  const audit = new AuditLog(ctx);
  return async (app) => {
    app.get(
      '/api/sources',
      { schema: { tags: TAGS, summary: 'Every source in the caller’s scope, by code (never its credentials)', response: { 200: z.object({ sources: z.array(sourceSchema) }) } } },
      async (req) => ({ sources: await service.list(dataScope(req.identity)) }),
    );

    app.post(
      '/api/sources',
      {
        schema: {
          tags: TAGS,
          summary: 'Register a source',
          description:
            'An `http_push` source gets a token, returned in this answer only; keep it, it is stored as a hash. Credentials are stored encrypted ' +
            '(WATCHFLOOR_SECRET_KEY must be set, else 503 `secret_key_not_configured`) and never returned. The owner must lie within the caller’s scope (403 `forbidden`).',
          body: sourceCreateSchema,
          response: { 201: tokenAnswer, ...errors(400, 403, 404, 409, 413, 415, 503) },
        },
      },
      async (req, reply) => {
        const created = await service.create(req.body, dataScope(req.identity, 'catalogue.manage'));
        await audit.record(auditWho(req), { action: 'source.create', entityKind: 'source', entityKey: created.source.code, after: created.source });
        return reply.status(201).send(created);
      },
    );

    app.get(
      '/api/sources/templates/observations.xlsx',
      {
        schema: {
          tags: TAGS,
          summary: 'The XLSX template to fill in and upload, listing the indicators of a domain',
          description: 'A workbook with the sheet "Số liệu" (Mã chỉ tiêu, Mã đơn vị, Kỳ, Giá trị, Trạng thái, Mã cơ quan, Ghi chú), the sheet "Chỉ tiêu" and a short guide.',
          querystring: z.object({ domain: indicatorDomainSchema.optional().describe('Only the indicators of this domain; default: all') }),
          response: { 200: z.unknown().describe('The workbook (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet)'), ...errors(400, 404) },
        },
      },
      async (req, reply) => {
        const defs = await new IndicatorsRepository(ctx.store.db).list({ domain: req.query.domain });
        if (defs.length === 0) throw new AppError('not_found', req.query.domain ? `No indicator in domain ${req.query.domain}` : 'The catalogue is empty');
        const file = await buildObservationTemplate(defs, `Mẫu nhập số liệu${req.query.domain ? ` — ${req.query.domain}` : ''}`);
        const name = `watchfloor-observations${req.query.domain ? `-${req.query.domain}` : ''}.xlsx`;
        return reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(file);
      },
    );

    app.get(
      '/api/sources/:code',
      { schema: { tags: TAGS, summary: 'One source (never its credentials); 404 outside the caller’s scope', params: codeParams, response: { 200: sourceSchema, ...errors(400, 404) } } },
      async (req) => service.get(req.params.code, dataScope(req.identity)),
    );

    app.patch(
      '/api/sources/:code',
      {
        schema: {
          tags: TAGS,
          summary: 'Change a source: name, owner, schedule, expected delivery, mapping, credentials (null removes them), enabled',
          params: codeParams,
          description:
            'A source outside the caller’s scope answers 404; one they may read but not manage, or a new owner outside their scope, 403 `forbidden`. Credentials are sent only to the host they were stored for: a `pull` whose address moves to another host (or port) drops the stored credentials unless `credentials` come in the same request.',
          body: sourceUpdateSchema,
          response: { 200: sourceSchema, ...errors(400, 403, 404, 413, 415, 503) },
        },
      },
      async (req) => {
        const scopes = writeScopes(req.identity, 'catalogue.manage');
        const before = await service.get(req.params.code, scopes.read);
        const after = await service.update(req.params.code, req.body, scopes);
        await audit.record(auditWho(req), { action: 'source.update', entityKind: 'source', entityKey: after.code, before, after });
        return after;
      },
    );

    for (const [action, enabled] of [
      ['enable', true],
      ['disable', false],
    ] as const) {
      app.post(
        `/api/sources/:code/${action}`,
        {
          schema: {
            tags: TAGS,
            summary: enabled ? 'Enable a source' : 'Disable a source: its pushes are refused (409 source_disabled) and it is never counted late',
            params: codeParams,
            response: { 200: sourceSchema, ...errors(400, 403, 404) },
          },
        },
        async (req) => {
          const scopes = writeScopes(req.identity, 'catalogue.manage');
          const before = await service.get(req.params.code, scopes.read);
          const after = await service.setEnabled(req.params.code, enabled, scopes);
          await audit.record(auditWho(req), { action: `source.${action}`, entityKind: 'source', entityKey: after.code, before, after });
          return after;
        },
      );
    }

    app.post(
      '/api/sources/:code/token',
      {
        schema: {
          tags: TAGS,
          summary: 'Issue a new push token for a source; the previous one stops working',
          params: codeParams,
          response: { 200: tokenAnswer, ...errors(400, 403, 404) },
        },
      },
      async (req) => {
        const scopes = writeScopes(req.identity, 'catalogue.manage');
        const before = await service.get(req.params.code, scopes.read);
        const issued = await service.rotateToken(req.params.code, scopes);
        // The token itself is never recorded: only that a new one was issued.
        await audit.record(auditWho(req), { action: 'source.token', entityKind: 'source', entityKey: issued.source.code, before, after: issued.source });
        return issued;
      },
    );

    app.get(
      '/api/sources/:code/runs',
      {
        schema: {
          tags: TAGS,
          summary: 'The runs of a source, newest first',
          params: codeParams,
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(500).default(50),
            before: z.coerce.number().int().positive().optional().describe('Only runs with a smaller id (the next page)'),
          }),
          response: { 200: z.object({ runs: z.array(runSchema) }), ...errors(400, 404) },
        },
      },
      async (req) => ({ runs: await service.listRuns(req.params.code, req.query, dataScope(req.identity)) }),
    );

    app.get(
      '/api/runs/:id',
      { schema: { tags: TAGS, summary: 'One run: counts, duration, status, error, checkpoint', params: runParams, response: { 200: runSchema, ...errors(400, 404) } } },
      async (req) => service.run(req.params.id, dataScope(req.identity)),
    );

    app.get(
      '/api/runs/:id/rejected',
      {
        schema: {
          tags: TAGS,
          summary: 'The rows a run refused, in the order read, each with its line, coded reason and the row as received',
          params: runParams,
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(5000).default(500), offset: z.coerce.number().int().min(0).default(0) }),
          response: { 200: z.object({ run: runSchema, total: z.number().int(), rows: z.array(rejectedRowSchema) }), ...errors(400, 404) },
        },
      },
      async (req) => service.rejected(req.params.id, req.query, dataScope(req.identity)),
    );

    app.get(
      '/api/runs/:id/rejected.csv',
      {
        schema: {
          tags: TAGS,
          summary: 'The rows a run refused, as CSV (UTF-8) to fix and upload again',
          description: 'Columns: line, reason, message, indicator, place, period, organisation, value, status, note, raw. Uploading the fixed file reads the observation columns and ignores the others.',
          params: runParams,
          response: { 200: z.unknown().describe('The CSV file (text/csv)'), ...errors(400, 404) },
        },
      },
      async (req, reply) => {
        const scope = dataScope(req.identity);
        await service.run(req.params.id, scope);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="run-${req.params.id}-rejected.csv"`)
          .send(Readable.from(service.rejectedCsv(req.params.id, scope)));
      },
    );

    app.get(
      '/api/freshness/sources',
      {
        schema: {
          tags: TAGS,
          summary: 'When each source in the caller’s scope last delivered and when it is due; the late ones ranked by lateness, and the agencies responsible',
          response: { 200: freshnessResponseSchema },
        },
      },
      async (req) => service.freshness(dataScope(req.identity)),
    );

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

    app.post(
      '/api/sources/:code/push',
      {
        schema: {
          tags: TAGS,
          summary: 'Push observations to a source, as JSON or NDJSON, with its token',
          description:
            'Send `Authorization: Bearer <token>`. The body is `application/json` (an array of rows, or `{ "observations": [ … ] }`) or ' +
            '`application/x-ndjson` (one row a line); each row is `{ indicator, place, period, value, status?, organisation?, note? }`. ' +
            `The body is read as it streams in, up to WATCHFLOOR_PUSH_LIMIT_BYTES (413 \`body_too_large\`). A line that is not JSON is a rejected row (\`invalid_json\`) with its line number. ${RESULT}`,
          params: codeParams,
          querystring: z.object({ dryRun: dryRunQuery }),
          response: { 200: ingestResultSchema, ...errors(400, 401, 404, 409, 413, 415, 500) },
        },
      },
      async (req) => {
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
      },
    );
  };
}

/** File upload (multipart), in a context of its own so only this route parses multipart bodies. */
function uploadRoutes(ctx: AppContext, service: SourcesService, ingest: IngestService, audit: AuditLog): FastifyPluginAsyncZod {
  return async (app) => {
    const limit = ctx.config.uploadLimitBytes;
    await app.register(fastifyMultipart, { limits: { fileSize: limit, files: 1, fields: 10 } });

    app.post(
      '/api/sources/:code/upload',
      {
        schema: {
          tags: TAGS,
          summary: 'Upload a CSV or XLSX file of observations to a source',
          description:
            'multipart/form-data with the file in a field `file`. CSV must be UTF-8 (a BOM is fine; 415 `unsupported_encoding` otherwise), separated by commas, ' +
            'semicolons or tabs. Headers in Vietnamese or English (Mã chỉ tiêu / indicator, Mã đơn vị / place, Kỳ / period, Giá trị / value, Trạng thái / status, ' +
            'Mã cơ quan / organisation, Ghi chú / note), title rows above them allowed (400 `missing_columns` when none is found). Periods as 10/2026, 14/10/2026, ' +
            'Quý 3/2026, 2026 or period keys. Numbers as `1.234.567,89` or `1,234,567.89`: given by `numbers`, else by the source mapping, else detected ' +
            '(a value that reads both ways in a file that gives no clue is rejected as `ambiguous_number`). An empty file is 400 `empty_file`, a file that is ' +
            `not a workbook 415 \`not_a_spreadsheet\`, one over WATCHFLOOR_UPLOAD_LIMIT_BYTES 413 \`file_too_large\`. ` +
            `A source outside the caller’s scope answers 404; one they may read but not supply, 403 \`forbidden\`. ${RESULT}`,
          params: codeParams,
          querystring: z.object({ dryRun: dryRunQuery, numbers: numberStyleSchema.default('auto').describe('vi: 1.234,5; en: 1,234.5; auto: detected') }),
          response: { 200: ingestResultSchema, ...errors(400, 403, 404, 409, 413, 415, 500) },
        },
      },
      async (req) => {
        const scopes = writeScopes(req.identity, 'data.supply');
        const source = await service.writable(req.params.code, scopes);
        if (!source.enabled) throw new AppError('source_disabled', `Source ${source.code} is disabled`);
        // The file is spooled to disk as it arrives and read back as a stream, pass after pass: never whole in memory.
        const { file, fileName } = await receiveUpload(req, limit);
        const part = { filename: fileName };
        await using _spooled = { [Symbol.asyncDispose]: () => file.dispose() };
        const mapping = source.mapping === null ? null : sourceMappingSchema.parse(source.mapping);
        const limits = ctx.config.fileLimits;
        // A dossier source's files are dossier tables ("Mã hồ sơ", "Ngày tiếp nhận" …), read by their own headers.
        const reading = mapping?.target === 'dossiers' ? await readDossierFile(file, fileName, limits) : await readObservationFile(file, fileName, { numbers: req.query.numbers, mapping }, limits);
        const result = await ingest.ingest({
          source: { code: source.code, mapping },
          channel: 'file',
          sender: scopes.write,
          rows: reading.rows,
          dryRun: req.query.dryRun === 'true',
          fileName: part.filename,
          enteredBy: senderName(req.identity),
          log: requestFailureLog(req),
        });
        if (!result.dryRun) await audit.record(auditWho(req), { action: 'source.upload', entityKind: 'run', entityKey: String(result.runId), after: { source: source.code, fileName: uploadedFileName(part.filename), run: scalars(result) } });
        return { ...result, numberStyle: reading.numberHabit };
      },
    );
  };
}
