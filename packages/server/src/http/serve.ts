import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isFileAnswer, isMultipart, isRawBody, isRedirect, type ReplyOf, type RouteContract } from '@watchfloor/core';
import { errors } from './schemas';

/** The app as the feature plugins receive it (validated by zod). */
export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

type Out<S> = S extends z.ZodType ? z.output<S> : unknown;

/** The request a contract's handler receives: parameters, query and body as its schemas parsed them. */
export type ContractRequest<C extends RouteContract> = FastifyRequest<{
  Params: Out<C['params']>;
  Querystring: Out<C['query']>;
  Body: C['body'] extends z.ZodType ? z.output<C['body']> : unknown;
}>;

/**
 * A handler's answer: the success value (sent with the contract's first
 * status), or the reply itself when the handler sent something else (a
 * 201 beside a 200, a file, a stream).
 */
export type Handler<C extends RouteContract> = (req: ContractRequest<C>, reply: FastifyReply) => Promise<ReplyOf<C> | FastifyReply>;

/** The fastify schema of a contract: validation and the OpenAPI description, from the same zod schemas. */
export function schemaOf(contract: RouteContract): FastifySchema {
  const statuses = isRedirect(contract.response) ? [302] : (contract.statuses ?? [200]);
  const response: Record<number, unknown> = { ...errors(...(contract.errors ?? [])) };
  if (isRedirect(contract.response)) response[302] = z.null().describe('A redirect: the Location header says where to');
  else for (const s of statuses) {
    // A file is documented under its own media type; a payload that is a string, a buffer or a stream is sent as it is.
    response[s] = isFileAnswer(contract.response)
      ? { description: contract.summary, content: { [contract.response.contentType.split(';')[0]!]: { schema: z.string().describe('The answer as sent, in this media type (a file or a stream)') } } }
      : contract.response;
  }
  return {
    tags: [...contract.tags],
    summary: contract.summary,
    ...(contract.description ? { description: contract.description } : {}),
    ...(contract.params ? { params: contract.params } : {}),
    ...(contract.query ? { querystring: contract.query } : {}),
    ...(contract.body && !isMultipart(contract.body) && !isRawBody(contract.body) ? { body: contract.body } : {}),
    ...(isMultipart(contract.body) ? { consumes: ['multipart/form-data'] } : {}),
    ...(isRawBody(contract.body) ? { body: z.string().describe(`A document: ${contract.body.contentTypes.join(', ')}`), consumes: [...contract.body.contentTypes] } : {}),
    response,
    ...(contract.hide ? { hide: true } : {}),
  } as FastifySchema;
}

/**
 * Registers the route a contract describes, served by `handler`. The answer
 * is sent with the contract's first success status unless the handler set
 * another one itself.
 */
export function serve<C extends RouteContract>(app: App | FastifyInstance, contract: C, handler: Handler<C>): void {
  const status = isRedirect(contract.response) ? 200 : (contract.statuses?.[0] ?? 200);
  (app as FastifyInstance).route({
    method: contract.method,
    url: contract.path,
    schema: schemaOf(contract),
    handler: async (req, reply) => {
      if (status !== 200) reply.status(status);
      return handler(req as ContractRequest<C>, reply);
    },
  });
}
