import type { z } from 'zod';

/**
 * A route's contract: everything server and web must agree on about one
 * HTTP route, in one place. The server registers the route from it (its
 * validation and its OpenAPI description come from these schemas), and the
 * web calls it through the typed client derived from it (packages/web
 * lib/client.ts), so a path, a parameter, a body field or an answer's
 * shape cannot drift between the two.
 *
 * Who may call a route is not here but in the server's access table
 * (server http/policy.ts), which a review reads as one table.
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A status an error of a route may answer with (the body is the coded error envelope). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 503;

/** A success status; every success status of a route answers the same shape. */
export type SuccessStatus = 200 | 201 | 202 | 204;

/** An answer that is not JSON: a file or a stream the client downloads or reads itself, never parses as an envelope. */
export interface FileAnswer {
  readonly kind: 'file';
  /** Its media type, e.g. `text/csv; charset=utf-8`. */
  readonly contentType: string;
}

/** An answer that sends the browser elsewhere (302 with a Location header, no body): a link to follow, never a call. */
export interface RedirectAnswer {
  readonly kind: 'redirect';
}

/** A request body sent as multipart/form-data (a file upload), described here and read by the route itself. */
export interface MultipartBody {
  readonly kind: 'multipart';
  /** The form's field holding the file. */
  readonly field: string;
}

/** A request body sent as it is in one of these media types (a CAP document), read by the route itself. */
export interface RawBody {
  readonly kind: 'raw';
  readonly contentTypes: readonly string[];
}

export interface RouteContract {
  readonly method: Method;
  /** The path, with `:name` for each path parameter (`/api/places/:code`). */
  readonly path: string;
  /** The OpenAPI tags it is listed under. */
  readonly tags: readonly string[];
  readonly summary: string;
  readonly description?: string;
  /** Path parameters: one key per `:name` in `path`. */
  readonly params?: z.ZodObject;
  /** The query string. */
  readonly query?: z.ZodObject;
  /** The request body: JSON checked by a schema, a multipart upload, or a document in another media type. */
  readonly body?: z.ZodType | MultipartBody | RawBody;
  /** The statuses that answer `response` (default 200): a success, or a 503 that reports what is not ready. */
  readonly statuses?: readonly (SuccessStatus | 503)[];
  /** The whole success answer, envelope included (`{ cases: [...] }`), a file, or a redirect. */
  readonly response: z.ZodType | FileAnswer | RedirectAnswer;
  /** The error statuses the route documents. */
  readonly errors?: readonly ErrorStatus[];
  /** Left out of the OpenAPI description (an internal page). */
  readonly hide?: boolean;
}

/** Declares a contract, keeping its exact type (literal path, schemas) for the server and the client. */
export function route<const C extends RouteContract>(contract: C): C {
  return contract;
}

/** A file answer of a media type. */
export function fileAnswer(contentType: string): FileAnswer {
  return { kind: 'file', contentType };
}

/** A redirect answer (302). */
export function redirectAnswer(): RedirectAnswer {
  return { kind: 'redirect' };
}

/** A multipart upload with its file in `field`. */
export function multipart(field = 'file'): MultipartBody {
  return { kind: 'multipart', field };
}

/** A body sent as it is, in one of these media types. */
export function rawBody(contentTypes: readonly string[]): RawBody {
  return { kind: 'raw', contentTypes };
}

export function isRawBody(b: RouteContract['body']): b is RawBody {
  return b !== undefined && (b as { kind?: unknown }).kind === 'raw';
}

export function isFileAnswer(r: RouteContract['response']): r is FileAnswer {
  return (r as { kind?: unknown }).kind === 'file';
}

export function isRedirect(r: RouteContract['response']): r is RedirectAnswer {
  return (r as { kind?: unknown }).kind === 'redirect';
}

export function isMultipart(b: RouteContract['body']): b is MultipartBody {
  return b !== undefined && (b as { kind?: unknown }).kind === 'multipart';
}

/** What a route answers on success, as the client receives it (after parsing). */
export type AnswerOf<C extends RouteContract> = C['response'] extends z.ZodType ? z.output<C['response']> : Response;

/** What a route's handler may return on success (before the answer's schema serialises it). */
export type ReplyOf<C extends RouteContract> = C['response'] extends z.ZodType ? z.input<C['response']> : unknown;

/** Nothing required: an input every field of which is optional. */
type Empty = Record<never, never>;

type Field<K extends string, S> = S extends z.ZodType ? (Empty extends z.input<S> ? { [P in K]?: z.input<S> } : { [P in K]: z.input<S> }) : { [P in K]?: never };

/** What a caller gives: path parameters, query and body as each schema takes them. */
export type { Empty as NoInput };

export type InputOf<C extends RouteContract> = Field<'params', C['params']> &
  Field<'query', C['query']> &
  (C['body'] extends MultipartBody ? { body: FormData } : C['body'] extends RawBody ? { body: Blob } : Field<'body', C['body']>);

/** The URL of a route for given path parameters and query (empty query values are left out). */
export function pathOf(contract: RouteContract, params: Record<string, unknown> = {}, query: Record<string, unknown> = {}): string {
  const path = contract.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined || v === null || v === '') throw new Error(`${contract.method} ${contract.path}: missing path parameter ${name}`);
    return encodeURIComponent(String(v));
  });
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const item of v) q.append(k, String(item));
    else q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** The contracts among a module's exports (a feature's contract module imported as a namespace). */
export function contractsIn(module: Record<string, unknown>): RouteContract[] {
  return Object.values(module).filter(
    (v): v is RouteContract => typeof v === 'object' && v !== null && typeof (v as RouteContract).method === 'string' && typeof (v as RouteContract).path === 'string' && 'response' in v,
  );
}
