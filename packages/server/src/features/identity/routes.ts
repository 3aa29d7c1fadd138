import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, identityApi, type Identity, type Me, type User } from '@watchfloor/core';
import { serve } from '../../http/serve';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie, type IdentityOptions } from './plugin';
import type { IdentityService } from './service';
import { auditWho, type AuditLog } from '../audit/service';

function me(identity: Identity): Me {
  if (identity.kind === 'user') {
    return { kind: 'user', user: { login: identity.login, displayName: identity.displayName, mustChangePassword: identity.mustChangePassword, roles: identity.roles }, token: null, csrfToken: identity.csrfSecret };
  }
  if (identity.kind === 'token') return { kind: 'token', user: null, token: { id: identity.tokenId, name: identity.name, sourceCode: identity.sourceCode, roles: identity.roles }, csrfToken: null };
  return { kind: 'anonymous', user: null, token: null, csrfToken: null };
}

/** Sign-in, sign-out and who I am; users (administration); API tokens. */
export function identityRoutes(service: IdentityService, audit: AuditLog, options: IdentityOptions = {}): FastifyPluginAsyncZod {
  /** A change to a user, recorded with the user as before and after. */
  const userChange = async (req: FastifyRequest, action: string, login: string, change: () => Promise<User>): Promise<User> => {
    const before = await service.getUser(login);
    const after = await change();
    await audit.record(auditWho(req), { action, entityKind: 'user', entityKey: after.login, before, after });
    return after;
  };
  return async (app) => {
    serve(app, identityApi.signIn, async (req, reply) => {
      try {
        const s = await service.signIn(req.body.login, req.body.password, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
        setSessionCookie(req, reply, s.sessionToken, options);
        return { user: s.user, csrfToken: s.csrfToken, expiresAt: s.expiresAt };
      } catch (e) {
        if (e instanceof AppError && e.code === 'too_many_attempts') reply.header('retry-after', String((e.details as { retryAfterSeconds: number }).retryAfterSeconds));
        throw e;
      }
    });

    serve(app, identityApi.signOut, async (req, reply) => {
      const cookie = req.cookies[SESSION_COOKIE];
      if (cookie) await service.signOut(cookie);
      clearSessionCookie(req, reply, options);
      return reply.send(null);
    });

    serve(app, identityApi.me, async (req) => me(req.identity));

    serve(app, identityApi.changePassword, async (req) => {
      const user = await service.changePassword(req.identity, req.body.currentPassword, req.body.newPassword);
      await audit.record(auditWho(req), { action: 'user.password_change', entityKind: 'user', entityKey: user.login, before: null, after: user });
      return user;
    });

    serve(app, identityApi.users, async () => ({ users: await service.listUsers() }));

    serve(app, identityApi.createUser, async (req) => {
      const user = await service.createUser(req.body);
      await audit.record(auditWho(req), { action: 'user.create', entityKind: 'user', entityKey: user.login, before: null, after: user });
      return user;
    });

    serve(app, identityApi.updateUser, async (req) => userChange(req, 'user.update', req.params.login, () => service.updateUser(req.params.login, req.body)));

    // The password itself is never recorded: only that a temporary one was set.
    serve(app, identityApi.resetPassword, async (req) => userChange(req, 'user.password_reset', req.params.login, () => service.resetPassword(req.params.login, req.body.temporaryPassword)));

    serve(app, identityApi.createToken, async (req) => {
      const created = await service.createToken(req.body, req.identity);
      await audit.record(auditWho(req), { action: 'api_token.create', entityKind: 'api_token', entityKey: String(created.apiToken.id), before: null, after: created.apiToken });
      return created;
    });

    serve(app, identityApi.tokens, async () => ({ tokens: await service.listTokens() }));

    serve(app, identityApi.revokeToken, async (req) => {
      const revoked = await service.revokeToken(req.params.id);
      await audit.record(auditWho(req), { action: 'api_token.revoke', entityKind: 'api_token', entityKey: String(revoked.id), before: null, after: revoked });
      return revoked;
    });
  };
}
