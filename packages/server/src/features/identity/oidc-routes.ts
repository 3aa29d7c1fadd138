import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, authProvidersSchema, grantsAllow, type AuthProviders } from '@watchfloor/core';
import { demoAccountsStatus } from './seed';
import type { AppContext } from '../../context';
import { errorBodySchema, errors } from '../../http/schemas';
import { OIDC_COOKIE_PATH, OIDC_STATE_COOKIE, OIDC_STATE_TTL_MS, OidcClient } from './oidc';
import { cookieIsSecure, SESSION_COOKIE, setSessionCookie, type IdentityOptions } from './plugin';
import type { IdentityService } from './service';

const AUTH = ['auth'];
export const OIDC_START_URL = '/api/auth/oidc/start';
const redirect = z.null().describe('A redirect (Location header)');

/**
 * How one signs in (GET /api/auth/providers) and OpenID Connect sign-in:
 * /start sends the browser to the provider, /callback takes its answer and
 * opens a session exactly as a password sign-in does. The routes are served
 * whether or not OIDC is configured; without it they answer
 * `oidc_not_configured`.
 */
export function oidcRoutes(ctx: AppContext, service: IdentityService, options: IdentityOptions = {}): FastifyPluginAsyncZod {
  const client = ctx.config.oidc ? new OidcClient(ctx.config.oidc, ctx.clock, ctx.config.secretKey) : null;
  const configured = (): OidcClient => {
    if (!client) throw new AppError('oidc_not_configured', 'Sign-in with OpenID Connect is not configured on this server (WATCHFLOOR_OIDC_ISSUER)');
    return client;
  };

  return async (app) => {
    app.get(
      '/api/auth/providers',
      {
        schema: {
          tags: AUTH,
          summary: 'The ways to sign in: password, OpenID Connect when configured, whether demo accounts exist',
          description: 'Which demo accounts exist and the file on the server holding their password are told to administrators only: anyone else learns only that this is a demo.',
          response: { 200: authProvidersSchema },
        },
      },
      async (req): Promise<AuthProviders> => {
        const demo = await demoAccountsStatus(ctx);
        const administrator = req.identity.kind !== 'anonymous' && grantsAllow(req.identity.roles, 'admin');
        return { password: true, oidc: client ? { label: client.label, startUrl: OIDC_START_URL } : null, demo: demo !== null, demoAccounts: administrator ? demo : null };
      },
    );

    app.get(
      OIDC_START_URL,
      {
        schema: {
          tags: AUTH,
          summary: 'Sign in with OpenID Connect: redirects to the provider',
          description:
            `302 to the provider's authorization endpoint (code flow, PKCE S256, state and nonce). The pending sign-in goes in the encrypted cookie \`${OIDC_STATE_COOKIE}\` ` +
            `(httpOnly, SameSite=Lax — the provider sends the browser back from another site — for ${OIDC_STATE_TTL_MS / 60_000} minutes). ` +
            '404 `oidc_not_configured` when OIDC is off; 400 `oidc_failed` when the provider cannot be reached.',
          querystring: z.object({ next: z.string().max(2000).optional().describe('A path of this site to go to after signing in (default /); anything else is ignored') }),
          response: { 302: redirect, ...errors(400, 404) },
        },
      },
      async (req, reply) => {
        const started = await configured().start(req.query.next);
        reply.setCookie(OIDC_STATE_COOKIE, started.cookie, {
          path: OIDC_COOKIE_PATH,
          httpOnly: true,
          sameSite: 'lax',
          secure: cookieIsSecure(req, options.secureCookies ?? 'auto'),
          maxAge: OIDC_STATE_TTL_MS / 1000,
        });
        return reply.redirect(started.url, 302);
      },
    );

    app.get(
      '/api/auth/oidc/callback',
      {
        schema: {
          tags: AUTH,
          summary: 'Where the OpenID Connect provider sends the browser back: opens a session and redirects',
          description:
            `Exchanges the code, validates the ID token and finds the local user named by the configured claim (lowercased). Sets \`${SESSION_COOKIE}\` as password sign-in does ` +
            'and redirects to the `next` path given to /start. 400 `oidc_failed` (a missing, altered or expired sign-in cookie, a wrong state, or the provider’s error code); ' +
            '403 `oidc_unknown_user` when no active user has that login (an administrator creates users first); 429 `too_many_attempts` as for passwords, per address.',
          querystring: z.looseObject({
            code: z.string().optional(),
            state: z.string().optional(),
            iss: z.string().optional(),
            error: z.string().optional().describe('The provider’s error code, when it refused'),
            error_description: z.string().optional(),
          }),
          response: { 302: redirect, ...errors(400, 404), 403: errorBodySchema, 429: errorBodySchema },
        },
      },
      async (req, reply) => {
        const oidc = configured();
        // The cookie served its one purpose, whatever happens next.
        reply.clearCookie(OIDC_STATE_COOKIE, { path: OIDC_COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure: cookieIsSecure(req, options.secureCookies ?? 'auto') });
        try {
          const q = req.url.indexOf('?');
          const vouched = await oidc.finish(q === -1 ? '' : req.url.slice(q), req.cookies[OIDC_STATE_COOKIE]);
          const s = await service.signInVouched(vouched.login, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
          setSessionCookie(req, reply, s.sessionToken, options);
          return reply.redirect(vouched.next, 302);
        } catch (e) {
          if (e instanceof AppError && e.code === 'oidc_failed' && e.cause !== undefined) req.log.warn({ err: e.cause }, 'OpenID Connect sign-in failed');
          if (e instanceof AppError && e.code === 'too_many_attempts') reply.header('retry-after', String((e.details as { retryAfterSeconds: number }).retryAfterSeconds));
          throw e;
        }
      },
    );
  };
}
