import { Agent, fetch, Headers, type Response } from 'undici';
import { AppError } from '@watchfloor/core';
import { refusalIn, type OutboundGuard } from './guard';

export type { Response as OutboundResponse } from 'undici';

/** A request through the guard. */
export interface OutboundRequest {
  method: 'GET' | 'POST';
  headers: [string, string][] | Record<string, string>;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Redirects followed, each hop judged again; 0 answers the redirect itself. */
  maxRedirects: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Headers that say nothing secret, kept when a redirect leads to another host; every other header may carry a credential. */
const NEUTRAL_HEADERS = new Set(['accept', 'accept-language', 'user-agent']);

/** One connection pool per guard: every socket it opens resolves through the guard's lookup. */
const AGENTS = new WeakMap<OutboundGuard, Agent>();

function agentOf(guard: OutboundGuard): Agent {
  let agent = AGENTS.get(guard);
  if (!agent) {
    // A short keep-alive: a command that pulls once should not wait long on an idle socket to exit.
    agent = new Agent({ connect: { lookup: guard.lookup }, keepAliveTimeout: 1000, keepAliveMaxTimeout: 5000 });
    AGENTS.set(guard, agent);
  }
  return agent;
}

/** Closes the guard's pool (idle connections), for a caller done with it. */
export async function closeOutbound(guard: OutboundGuard): Promise<void> {
  const agent = AGENTS.get(guard);
  if (!agent) return;
  AGENTS.delete(guard);
  await agent.close();
}

/**
 * `fetch` through the outbound guard: the URL is judged before connecting,
 * the name's addresses when the connection resolves it (the address judged
 * is the address connected to), and redirects are followed by hand, at
 * most `maxRedirects`, each hop judged the same way. A redirect to another
 * origin carries none of the request's own headers (they may hold the
 * source's credentials, which go only to the host they were stored for),
 * and a body is never re-sent to another origin.
 *
 * Refusals are `outbound_not_allowed`; failures to connect are thrown as
 * they come (callers word them with `connectFailure`).
 */
export async function guardedFetch(guard: OutboundGuard, url: URL, request: OutboundRequest): Promise<Response> {
  let current = url;
  let method: string = request.method;
  let body = request.body;
  let headers = new Headers(request.headers);
  for (let hop = 0; ; hop++) {
    guard.checkUrl(current);
    let res: Response;
    try {
      res = await fetch(current, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        redirect: 'manual',
        dispatcher: agentOf(guard),
        ...(request.signal ? { signal: request.signal } : {}),
      });
    } catch (e) {
      // The guard's refusal from inside the connection's lookup, unwrapped from fetch's "fetch failed".
      throw refusalIn(e) ?? e;
    }
    const location = res.headers.get('location');
    if (!REDIRECTS.has(res.status) || location === null || request.maxRedirects === 0) return res;
    await res.body?.cancel().catch(() => undefined);
    if (hop >= request.maxRedirects) throw new AppError('source_bad_answer', `${current.origin}${current.pathname} redirected more than ${request.maxRedirects} times`);
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw new AppError('source_bad_answer', `${current.origin}${current.pathname} redirected to an address that is not a URL`);
    }
    // As browsers do: 303, and 301/302 after a POST, continue as a GET without the body.
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      headers.delete('content-type');
    }
    if (next.origin !== current.origin) {
      if (body !== undefined) throw new AppError('source_bad_answer', `${current.origin}${current.pathname} redirected the request and its body to another host (${next.origin}); it is not sent there`);
      headers = new Headers([...headers].filter(([k]) => NEUTRAL_HEADERS.has(k.toLowerCase())));
    }
    current = next;
  }
}
