import fastifyMultipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, directivesApi, type Identity } from '@watchfloor/core';
import { serve } from '../../http/serve';
import { receiveUpload } from '../../http/uploads';
import type { AppContext } from '../../context';
import { AuditLog, auditWho } from '../audit/service';
import { attachment, readEvidence } from '../par/evidence';
import { DirectiveFileService, notPdf } from './files';
import type { DirectiveCaller, DirectiveChange } from './service';

/** Who a request acts for, as the other directive routes record it. */
function callerOf(req: FastifyRequest): DirectiveCaller {
  const identity: Identity = req.identity;
  const actor = auditWho(req).actor;
  const login = identity.kind === 'anonymous' ? null : actor !== 'anonymous' ? actor : identity.kind === 'token' ? `token:${identity.name}` : null;
  return { identity, login };
}

/** A stored file served back only as the type its content showed, as an attachment, never sniffed or run. */
function download(reply: FastifyReply, file: { fileName: string; mediaType: string; content: Buffer }, cache: string): Buffer {
  reply.header('content-disposition', attachment(file.fileName));
  reply.header('x-content-type-options', 'nosniff');
  reply.header('content-security-policy', "default-src 'none'; sandbox");
  reply.header('cache-control', cache);
  reply.type(file.mediaType);
  return file.content;
}

/**
 * The files of leadership directives: the document's PDF and the evidence
 * of the lead agency's reports, under the same limit and the same checks
 * of content as PAR Index evidence. Where a file goes and who may put it
 * there is judged before a byte of it is read.
 */
export function directiveFileRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const files = new DirectiveFileService(ctx);
  const audit = new AuditLog(ctx);
  const record = (req: FastifyRequest, change: DirectiveChange) => audit.record(auditWho(req), change);

  return async (app) => {
    await app.register(async (upload) => {
      const limit = ctx.config.evidenceLimitBytes;
      await upload.register(fastifyMultipart, { limits: { fileSize: limit, files: 1, fields: 10 } });

      serve(upload, directivesApi.uploadDocumentFile, async (req) => {
        const caller = callerOf(req);
        const target = await files.documentTarget(req.params.number, caller.identity);
        const { file, fileName } = await receiveUpload(req, limit);
        try {
          const received = await readEvidence(file, fileName).catch((e: unknown) => {
            throw e instanceof AppError && e.code === 'evidence_type_not_allowed' ? notPdf() : e;
          });
          const { detail, change } = await files.putDocumentFile(target, received, caller);
          await record(req, change);
          return detail;
        } finally {
          await file.dispose();
        }
      });

      serve(upload, directivesApi.uploadEvidence, async (req, reply) => {
        const caller = callerOf(req);
        const target = await files.evidenceTarget(req.params.id, req.params.event, caller.identity);
        const { file, fileName } = await receiveUpload(req, limit);
        try {
          const { detail, change } = await files.addEvidence(target, await readEvidence(file, fileName), caller);
          await record(req, change);
          return reply.status(201).send(detail);
        } finally {
          await file.dispose();
        }
      });
    });

    // Read by whoever reads the document (or the task, for evidence), kept by no cache but the reader's.
    serve(app, directivesApi.documentFile, async (req, reply) => download(reply, await files.documentFile(req.params.number, req.identity), 'private, no-store'));
    serve(app, directivesApi.evidence, async (req, reply) => download(reply, await files.evidenceFile(req.params.fileId, req.identity), 'private, no-store'));
  };
}
