import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, grantsAllow, identityApi, type AuthProviders } from '@watchfloor/core';
import { demoAccountsStatus } from './seed';
import type { AppContext } from '../../context';
import { serve } from '../../http/serve';
import { OIDC_COOKIE_PATH, OIDC_STATE_COOKIE, OIDC_STATE_TTL_MS, OidcClient } from './oidc';
import { OutboundGuard } from '@watchfloor/connectors';
import { cookieIsSecure, setSessionCookie, type IdentityOptions } from './plugin';
import type { IdentityService } from './service';

/**
 * How one signs in (GET /api/auth/providers) and OpenID Connect sign-in:
 * /start sends the browser to the provider, /callback takes its answer and
 * opens a session exactly as a password sign-in does. The routes are served
 * whether or not OIDC is configured; without it they answer
 * `oidc_not_configured`.
 */
export function oidcRoutes(ctx: AppContext, service: IdentityService, options: IdentityOptions = {}): FastifyPluginAsyncZod {
  const client = ctx.config.oidc ? new OidcClient(ctx.config.oidc, ctx.clock, ctx.config.secretKey, new OutboundGuard(ctx.config.outboundAllow)) : null;
  const configured = (): OidcClient => {
    if (!client) throw new AppError('oidc_not_configured', 'Sign-in with OpenID Connect is not configured on this server (WATCHFLOOR_OIDC_ISSUER)');
    return client;
  };

  return async (app) => {
    serve(app, identityApi.providers, async (req): Promise<AuthProviders> => {
      const demo = await demoAccountsStatus(ctx);
      const administrator = req.identity.kind !== 'anonymous' && grantsAllow(req.identity.roles, 'admin');
      return { password: true, oidc: client ? { label: client.label, startUrl: identityApi.oidcStart.path } : null, demo: demo !== null, demoAccounts: administrator ? demo : null };
    });

    serve(app, identityApi.oidcStart, async (req, reply) => {
      const started = await configured().start(req.query.next);
      reply.setCookie(OIDC_STATE_COOKIE, started.cookie, {
        path: OIDC_COOKIE_PATH,
        httpOnly: true,
        sameSite: 'lax',
        secure: cookieIsSecure(req, options.secureCookies ?? 'auto'),
        maxAge: OIDC_STATE_TTL_MS / 1000,
      });
      return reply.redirect(started.url, 302);
    });

    serve(app, identityApi.oidcCallback, async (req, reply) => {
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
    });
  };
}
