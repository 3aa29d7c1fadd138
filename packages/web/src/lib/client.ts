import { isFileAnswer, isMultipart, isRawBody, isRedirect, pathOf, type AnswerOf, type InputOf, type NoInput, type RouteContract } from '@watchfloor/core';
import { send, type Request, type Schema } from './api';

/**
 * The typed client of the API, derived from the contracts in core: a call
 * names its contract (`casesApi.open`) and gives the path parameters, query
 * and body its schemas take; the answer is checked against the contract's
 * response schema and typed by it. No screen writes a URL by hand.
 */

/** The input of a call, optional when the contract needs none. */
type Args<C extends RouteContract> = NoInput extends InputOf<C> ? [input?: InputOf<C>] : [input: InputOf<C>];

export interface CallOptions<T> {
  signal?: AbortSignal | undefined;
  /** A faster check of the same answer (the maps' boundary collections): must refuse what the schema refuses. */
  check?: Schema<T> | undefined;
}

function parts(input: unknown): { params: Record<string, unknown>; query: Record<string, unknown>; body: unknown } {
  const i = (input ?? {}) as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
  return { params: i.params ?? {}, query: i.query ?? {}, body: i.body };
}

/** The URL of a route: for a link or a download (a file answer), or an EventSource. */
export function hrefOf<C extends RouteContract>(contract: C, ...[input]: Args<C>): string {
  const { params, query } = parts(input);
  return pathOf(contract, params, query);
}

function invoke(contract: RouteContract, input: unknown, options: CallOptions<unknown> = {}): Promise<unknown> {
  if (isFileAnswer(contract.response) || isRedirect(contract.response)) throw new Error(`${contract.method} ${contract.path} answers a file or a redirect: link to hrefOf(...) instead`);
  const { params, query, body } = parts(input);
  const init: RequestInit = { method: contract.method };
  // A form or a document (a Blob, its type the content type) is sent as it is; anything else as JSON.
  if (body !== undefined) init.body = isMultipart(contract.body) || isRawBody(contract.body) ? (body as FormData | Blob) : JSON.stringify(body);
  if (options.signal) init.signal = options.signal;
  return send(pathOf(contract, params, query), (options.check ?? contract.response) as Schema<unknown>, init);
}

/** Calls a route (`{}` when it takes nothing); the answer is checked against its contract. */
export function call<C extends RouteContract>(contract: C, input: InputOf<C>, options: CallOptions<AnswerOf<C>> = {}): Promise<AnswerOf<C>> {
  return invoke(contract, input, options as CallOptions<unknown>) as Promise<AnswerOf<C>>;
}

/** A request read afresh every time (screens that follow live events and must show the state of now). */
export function fresh<C extends RouteContract>(contract: C, ...[input]: Args<C>): Request<AnswerOf<C>> {
  return { url: pathOf(contract, parts(input).params, parts(input).query), peek: () => undefined, load: (signal) => invoke(contract, input, { signal }) as Promise<AnswerOf<C>> };
}

const CACHE_SIZE = 60;

/** A GET route whose answers are kept per URL for the session, so going back is instant. */
export interface Cached<C extends RouteContract> {
  request(...args: Args<C>): Request<AnswerOf<C>>;
  /** Forgets every kept answer: the next request reads afresh. */
  clear(): void;
}

export function cached<C extends RouteContract>(contract: C, options: Omit<CallOptions<AnswerOf<C>>, 'signal'> = {}): Cached<C> {
  const kept = new Map<string, AnswerOf<C>>();
  return {
    clear: () => kept.clear(),
    request(...[input]: Args<C>) {
      const url = pathOf(contract, parts(input).params, parts(input).query);
      return {
        url,
        peek: () => kept.get(url),
        load: async (signal) => {
          const data = (await invoke(contract, input, { ...options, signal } as CallOptions<unknown>)) as AnswerOf<C>;
          kept.set(url, data);
          if (kept.size > CACHE_SIZE) {
            const oldest = kept.keys().next();
            if (!oldest.done) kept.delete(oldest.value);
          }
          return data;
        },
      };
    },
  };
}
