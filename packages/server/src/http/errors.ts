import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, type ErrorBody } from '@watchfloor/core';
import { MAX_JSON_DEPTH, scanJson } from '@watchfloor/connectors';

/**
 * The one error handler: coded errors go out as they are, request
 * validation failures name the parameter, and anything unexpected becomes a
 * plain `internal_error` (logged with its stack, never sent).
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) return reply.status(err.status).send(err.toBody());
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext === 'body' ? 'invalid_body' : 'invalid_parameter';
      const problems = err.validation.map((v) => {
        const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
        return { parameter: path || err.validationContext || 'request', message: v.message ?? 'is invalid' };
      });
      const body: ErrorBody = {
        error: where,
        message: problems.map((p) => `${p.parameter}: ${p.message}`).join('; '),
        details: problems,
      };
      return reply.status(400).send(body);
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
      return reply.status(500).send({ error: 'internal_error', message: 'Internal error' } satisfies ErrorBody);
    }
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.status(413).send({ error: 'body_too_large', message: 'The request body is larger than this server accepts' } satisfies ErrorBody);
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.status(415).send({ error: 'unsupported_media_type', message: `Content-Type ${req.headers['content-type'] ?? '(none)'} is not accepted here` } satisfies ErrorBody);
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return reply.status(400).send({ error: 'invalid_body', message: 'The body is not valid JSON' } satisfies ErrorBody);
    }
    // The client went away before its body arrived: nothing to answer, and nothing wrong with the server.
    if (clientGone(req.raw, err)) {
      req.log.info({ code: err.code ?? null, reason: err.message }, 'the client closed the connection before its request was read');
      return reply.status(400).send({ error: 'invalid_body', message: 'The connection was closed before the body arrived' } satisfies ErrorBody);
    }
    if (err.statusCode === 400 && err instanceof SyntaxError) {
      return reply.status(400).send({ error: 'invalid_body', message: 'The body is not valid JSON' } satisfies ErrorBody);
    }
    req.log.error({ err }, 'unexpected error');
    return reply.status(500).send({ error: 'internal_error', message: 'Internal error' } satisfies ErrorBody);
  });

  // NUL cannot be stored as text (PostgreSQL refuses it) and is no character anyone types: refused before any route reads it.
  // A body nested deeper than any real request is refused too, before recursive code (validation, serialisers) overflows the stack on it.
  app.addHook('preValidation', async (req) => {
    if (holdsNul(req.params) || holdsNul(req.query)) throw new AppError('invalid_parameter', 'Parameters must not contain NUL characters');
    const body = scanJson(req.body);
    if (body.tooDeep) throw new AppError('invalid_body', `The body nests more than ${MAX_JSON_DEPTH} levels deep`);
    if (body.nul) throw new AppError('invalid_body', 'Text must not contain NUL characters');
  });

  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: 'not_found', message: `No route for ${req.method} ${req.url.split('?')[0]}` } satisfies ErrorBody);
  });
}

/**
 * Whether an error comes from the client cutting its connection mid-request
 * (a body that ends early, a reset socket): logged at info, without a stack.
 */
export function clientGone(raw: IncomingMessage, err: unknown): boolean {
  if (raw.aborted || raw.socket?.destroyed === true) return true;
  return err instanceof Error && 'code' in err && (err.code === 'ECONNRESET' || err.code === 'ECONNABORTED' || err.code === 'ERR_STREAM_PREMATURE_CLOSE');
}

/**
 * The log an ingestion reports failures to: at info, without the error's
 * stack, when the failure is the client having gone away mid-body.
 */
export function requestFailureLog(req: FastifyRequest): { error(obj: object, msg: string): void } {
  return {
    error(obj, msg) {
      const err = 'err' in obj ? obj.err : undefined;
      if (clientGone(req.raw, err)) req.log.info({ reason: err instanceof Error ? err.message : null }, 'the client closed the connection before its body was read');
      else req.log.error(obj, msg);
    },
  };
}

/** Whether a parsed JSON value holds a NUL character in any string or key (walked without recursion, to the depth limit). */
export function holdsNul(value: unknown): boolean {
  return scanJson(value).nul;
}
