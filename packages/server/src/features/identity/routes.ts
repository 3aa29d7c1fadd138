import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AppError,
  apiTokenCreateSchema,
  apiTokenSchema,
  loginSchema,
  meSchema,
  passwordChangeSchema,
  passwordResetSchema,
  signInAnswerSchema,
  signInSchema,
  userCreateSchema,
  userSchema,
  userUpdateSchema,
  type Identity,
  type Me,
  type User,
} from '@watchfloor/core';
import { errorBodySchema, errors } from '../../http/schemas';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie, type IdentityOptions } from './plugin';
import type { IdentityService } from './service';
import { auditWho, type AuditLog } from '../audit/service';

const AUTH = ['auth'];
const USERS = ['users'];
const TOKENS = ['tokens'];
const loginParams = z.object({ login: loginSchema });
const idParams = z.object({ id: z.coerce.number().int().positive() });
/** Users and API tokens are managed by administrators only. */
const more = (...s: (403 | 429)[]) => Object.fromEntries(s.map((x) => [x, errorBodySchema]));

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
    app.post(
      '/api/auth/sign-in',
      {
        schema: {
          tags: AUTH,
          summary: 'Sign in with a login and password',
          description:
            `Sets the session cookie \`${SESSION_COOKIE}\` (httpOnly, SameSite=Strict, Secure except on http://localhost) and answers the user and the CSRF token ` +
            'to send as `x-csrf-token` on every state change. A wrong login, password or a disabled account: 401 `invalid_credentials`. ' +
            'After 5 failures for an account or 20 from an address within 15 minutes: 429 `too_many_attempts` with Retry-After.',
          body: signInSchema,
          response: { 200: signInAnswerSchema, ...errors(400, 401), ...more(429) },
        },
      },
      async (req, reply) => {
        try {
          const s = await service.signIn(req.body.login, req.body.password, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
          setSessionCookie(req, reply, s.sessionToken, options);
          return { user: s.user, csrfToken: s.csrfToken, expiresAt: s.expiresAt };
        } catch (e) {
          if (e instanceof AppError && e.code === 'too_many_attempts') reply.header('retry-after', String((e.details as { retryAfterSeconds: number }).retryAfterSeconds));
          throw e;
        }
      },
    );

    app.post(
      '/api/auth/sign-out',
      { schema: { tags: AUTH, summary: 'Sign out: the session ends and its cookie is cleared', response: { 204: z.null().describe('Signed out') } } },
      async (req, reply) => {
        const cookie = req.cookies[SESSION_COOKIE];
        if (cookie) await service.signOut(cookie);
        clearSessionCookie(req, reply, options);
        return reply.status(204).send(null);
      },
    );

    app.get('/api/auth/me', { schema: { tags: AUTH, summary: 'Who the request is from: anonymous, a signed-in user or an API token', response: { 200: meSchema, ...errors(401), ...more(403) } } }, async (req) =>
      me(req.identity),
    );

    app.post(
      '/api/auth/password',
      {
        schema: {
          tags: AUTH,
          summary: 'Change one’s own password (required after a reset); the other sessions end',
          body: passwordChangeSchema,
          response: { 200: userSchema, ...errors(400, 401), ...more(403) },
        },
      },
      async (req) => {
        const user = await service.changePassword(req.identity, req.body.currentPassword, req.body.newPassword);
        await audit.record(auditWho(req), { action: 'user.password_change', entityKind: 'user', entityKey: user.login, before: null, after: user });
        return user;
      },
    );

    app.get('/api/users', { schema: { tags: USERS, summary: 'Every user with their roles and scopes', response: { 200: z.object({ users: z.array(userSchema) }), ...errors(401), ...more(403) } } }, async () => ({
      users: await service.listUsers(),
    }));

    app.post(
      '/api/users',
      {
        schema: {
          tags: USERS,
          summary: 'Create a user (by default they must change the password at first sign-in)',
          body: userCreateSchema,
          response: { 201: userSchema, ...errors(400, 401, 409), ...more(403) },
        },
      },
      async (req, reply) => {
        const user = await service.createUser(req.body);
        await audit.record(auditWho(req), { action: 'user.create', entityKind: 'user', entityKey: user.login, before: null, after: user });
        return reply.status(201).send(user);
      },
    );

    app.patch(
      '/api/users/:login',
      {
        schema: {
          tags: USERS,
          summary: 'Change a user: display name, roles (replaced), disabled (ends their sessions)',
          params: loginParams,
          body: userUpdateSchema,
          response: { 200: userSchema, ...errors(400, 401, 404), ...more(403) },
        },
      },
      async (req) => userChange(req, 'user.update', req.params.login, () => service.updateUser(req.params.login, req.body)),
    );

    app.post(
      '/api/users/:login/password-reset',
      {
        schema: {
          tags: USERS,
          summary: 'Set a temporary password: the user’s sessions end and they must choose a new one at next sign-in',
          params: loginParams,
          body: passwordResetSchema,
          response: { 200: userSchema, ...errors(400, 401, 404), ...more(403) },
        },
      },
      // The password itself is never recorded: only that a temporary one was set.
      async (req) => userChange(req, 'user.password_reset', req.params.login, () => service.resetPassword(req.params.login, req.body.temporaryPassword)),
    );

    app.post(
      '/api/tokens',
      {
        schema: {
          tags: TOKENS,
          summary: 'Create an API token (for a source or an integration): the secret is in this answer only',
          description: 'Send it as `Authorization: Bearer wft_…`. Only its SHA-256 is stored; it can be revoked; its last use is recorded (to the minute).',
          body: apiTokenCreateSchema,
          response: { 201: z.object({ token: z.string().describe('Shown this once'), apiToken: apiTokenSchema }), ...errors(400, 401, 404), ...more(403) },
        },
      },
      async (req, reply) => {
        const created = await service.createToken(req.body, req.identity);
        await audit.record(auditWho(req), { action: 'api_token.create', entityKind: 'api_token', entityKey: String(created.apiToken.id), before: null, after: created.apiToken });
        return reply.status(201).send(created);
      },
    );

    app.get('/api/tokens', { schema: { tags: TOKENS, summary: 'Every API token with its last use (never its secret)', response: { 200: z.object({ tokens: z.array(apiTokenSchema) }), ...errors(401), ...more(403) } } }, async () => ({
      tokens: await service.listTokens(),
    }));

    app.delete(
      '/api/tokens/:id',
      { schema: { tags: TOKENS, summary: 'Revoke an API token: it stops working at once', params: idParams, response: { 200: apiTokenSchema, ...errors(400, 401, 404), ...more(403) } } },
      async (req) => {
        const revoked = await service.revokeToken(req.params.id);
        await audit.record(auditWho(req), { action: 'api_token.revoke', entityKind: 'api_token', entityKey: String(revoked.id), before: null, after: revoked });
        return revoked;
      },
    );
  };
}
