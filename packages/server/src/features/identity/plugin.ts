import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ANONYMOUS, API_TOKEN_PREFIX, AppError, type Identity } from '@watchfloor/core';
import type { AppContext } from '../../context';
import { IdentityService, SESSION_TTL_MS } from './service';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request: anonymous, a session's user or an API token (set for every request). */
    identity: Identity;
  }
}

export const SESSION_COOKIE = 'wf_session';
export const CSRF_HEADER = 'x-csrf-token';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Routes that read no session: signing in must work with a stale cookie; signing out of an ended session is no error. */
const IGNORE_SESSION = new Set(['/api/auth/sign-in', '/api/auth/sign-out', '/api/auth/oidc/start', '/api/auth/oidc/callback']);
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export interface IdentityOptions {
  /**
   * `auto` (default): cookies are Secure except on plain http to localhost,
   * so a deployment behind TLS is safe and a developer's http://localhost
   * still signs in. true / false force it.
   */
  secureCookies?: 'auto' | boolean;
}

export function cookieIsSecure(req: FastifyRequest, setting: 'auto' | boolean): boolean {
  if (setting !== 'auto') return setting;
  return !(req.protocol === 'http' && LOCAL_HOSTS.has(req.hostname));
}

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string, options: IdentityOptions): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure: cookieIsSecure(req, options.secureCookies ?? 'auto'), maxAge: SESSION_TTL_MS / 1000 });
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply, options: IdentityOptions): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: cookieIsSecure(req, options.secureCookies ?? 'auto') });
}

/**
 * Resolves `request.identity` for every request, before its body is read.
 * It refuses only what is presented and wrong: an unknown, expired or
 * revoked session (401 `invalid_session`, the cookie cleared) or API token
 * (401 `invalid_token`), and a state change authenticated by the cookie
 * without the session's CSRF token (403 `csrf_failed`). Requests with an
 * Authorization header carry no ambient credential a browser could replay
 * cross-site, so they need no CSRF token. Bearer values that are not API
 * tokens (sources' push tokens) are left to their routes.
 */
export async function installIdentity(app: FastifyInstance, ctx: AppContext, options: IdentityOptions = {}): Promise<IdentityService> {
  const service = new IdentityService(ctx);
  await app.register(fastifyCookie);
  // Set by the hook below on every request; the decoration only declares the property's shape.
  app.decorateRequest<Identity | null>('identity', null);
  app.addHook('onRequest', async (req, reply) => {
    req.identity = ANONYMOUS;
    let identity: Identity = ANONYMOUS;
    const auth = req.headers.authorization;
    const bearer = /^Bearer\s+(\S+)$/i.exec(auth ?? '')?.[1];
    const ignoreSession = req.routeOptions.url !== undefined && IGNORE_SESSION.has(req.routeOptions.url);
    if (bearer?.startsWith(API_TOKEN_PREFIX)) {
      identity = await service.tokenIdentity(bearer);
    } else {
      const cookie = req.cookies[SESSION_COOKIE];
      if (cookie && !ignoreSession) {
        try {
          identity = await service.sessionIdentity(cookie);
        } catch (e) {
          if (e instanceof AppError) clearSessionCookie(req, reply, options);
          throw e;
        }
        if (STATE_CHANGING.has(req.method) && auth === undefined) {
          const presented = req.headers[CSRF_HEADER];
          if (!service.csrfMatches(identity, typeof presented === 'string' ? presented : undefined)) {
            throw new AppError('csrf_failed', `A ${req.method} signed in by cookie must carry the session's CSRF token in the ${CSRF_HEADER} header`);
          }
        }
      }
    }
    req.identity = identity;
  });
  return service;
}
