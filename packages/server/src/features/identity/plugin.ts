import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ANONYMOUS, API_TOKEN_PREFIX, AppError, identityApi, type Identity } from '@watchfloor/core';
import type { AppContext } from '../../context';
import { accessOf } from '../../http/policy';
import { IdentityService, SESSION_TTL_MS } from './service';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request: anonymous, a session's user or an API token (set for every request). */
    identity: Identity;
  }
}

export const SESSION_COOKIE = identityApi.SESSION_COOKIE;
export const CSRF_HEADER = 'x-csrf-token';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Routes that read no session: signing in must work with a stale cookie; signing out of an ended session is no error. */
const IGNORE_SESSION = new Set<string>([identityApi.signIn.path, identityApi.signOut.path, identityApi.oidcStart.path, identityApi.oidcCallback.path]);
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
/** What a session with a temporary password may call until it is changed (besides the web app's pages and the probes). */
const WHILE_PASSWORD_CHANGE = new Set<string>([identityApi.changePassword.path, identityApi.me.path, identityApi.signOut.path]);
/** The API's own paths: a session that must change its password may use none of them but the three above. */
const API_PATH = /^\/(api|open311)\/|^\/metrics$/;
/** The one route a source-bound API token pushes through, and the one it may ask who it is. */
const PUSH_ROUTE = '/api/sources/:code/push';
const ME_ROUTE = identityApi.me.path;

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
 * without the session's CSRF token (403 `csrf_failed`). Only a request a
 * valid API token authenticated skips the CSRF token: any other
 * Authorization header beside a cookie changes nothing. Bearer values that
 * are not API tokens (sources' push tokens) are left to their routes, and
 * those routes (`source-token` in the access table) read no session.
 * Then two narrowings: a session whose password must change may call only
 * the change of password, who-am-I and sign-out (403
 * `password_change_required`); a token bound to a source may only push to
 * it (403 `forbidden`).
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
    const route = req.routeOptions.url;
    const ignoreSession = route !== undefined && (IGNORE_SESSION.has(route) || accessOf(req.method, route) === 'source-token');
    if (bearer?.startsWith(API_TOKEN_PREFIX)) {
      identity = await service.tokenIdentity(bearer);
      if (identity.kind === 'token' && identity.sourceCode !== null) refuseBeyondSource(identity.sourceCode, req);
    } else {
      const cookie = req.cookies[SESSION_COOKIE];
      if (cookie && !ignoreSession) {
        try {
          identity = await service.sessionIdentity(cookie);
        } catch (e) {
          if (e instanceof AppError) clearSessionCookie(req, reply, options);
          throw e;
        }
        // The cookie is what authenticates here, whatever else the request carries: a browser sends it cross-site.
        if (STATE_CHANGING.has(req.method)) {
          const presented = req.headers[CSRF_HEADER];
          if (!service.csrfMatches(identity, typeof presented === 'string' ? presented : undefined)) {
            throw new AppError('csrf_failed', `A ${req.method} signed in by cookie must carry the session's CSRF token in the ${CSRF_HEADER} header`);
          }
        }
        if (identity.kind === 'user' && identity.mustChangePassword && route !== undefined && API_PATH.test(route) && !WHILE_PASSWORD_CHANGE.has(route)) {
          throw new AppError('password_change_required', 'The password is a temporary one: change it (POST /api/auth/password) before anything else');
        }
      }
    }
    req.identity = identity;
  });
  return service;
}

/** A source-bound token's one right: pushing to its source (and asking who it is). */
function refuseBeyondSource(sourceCode: string, req: FastifyRequest): void {
  const route = req.routeOptions.url;
  if (route === ME_ROUTE && req.method === 'GET') return;
  const params: unknown = req.params;
  const code = typeof params === 'object' && params !== null && 'code' in params ? params.code : undefined;
  if (route === PUSH_ROUTE && req.method === 'POST' && code === sourceCode) return;
  throw new AppError('forbidden', `This API token belongs to source ${sourceCode}: it may only push to it`);
}
