import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, type ErrorBody } from '@watchfloor/core';

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
    if (err.statusCode === 400 && err instanceof SyntaxError) {
      return reply.status(400).send({ error: 'invalid_body', message: 'The body is not valid JSON' } satisfies ErrorBody);
    }
    req.log.error({ err }, 'unexpected error');
    return reply.status(500).send({ error: 'internal_error', message: 'Internal error' } satisfies ErrorBody);
  });

  // NUL cannot be stored as text (PostgreSQL refuses it) and is no character anyone types: refused before any route reads it.
  app.addHook('preValidation', async (req) => {
    if (holdsNul(req.params) || holdsNul(req.query)) throw new AppError('invalid_parameter', 'Parameters must not contain NUL characters');
    if (holdsNul(req.body)) throw new AppError('invalid_body', 'Text must not contain NUL characters');
  });

  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: 'not_found', message: `No route for ${req.method} ${req.url.split('?')[0]}` } satisfies ErrorBody);
  });
}

/** Whether a parsed JSON value holds a NUL character in any string or key. */
export function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object') return false;
  if (Buffer.isBuffer(value) || typeof (value as { pipe?: unknown }).pipe === 'function') return false;
  if (Array.isArray(value)) return value.some(holdsNul);
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || holdsNul(v));
}
