import { z } from 'zod';
import { redirectAnswer, route } from '../contract';
import {
  apiTokenCreateSchema,
  apiTokenSchema,
  authProvidersSchema,
  loginSchema,
  meSchema,
  passwordChangeSchema,
  passwordResetSchema,
  signInAnswerSchema,
  signInSchema,
  userCreateSchema,
  userSchema,
  userUpdateSchema,
} from '../access';

/** The HTTP contract of identity: sign-in and sign-out, who I am, users (administration) and API tokens. See ../contract.ts. */

const AUTH = ['auth'];
const USERS = ['users'];
const TOKENS = ['tokens'];

/** The session cookie a sign-in sets (httpOnly, SameSite=Strict). */
export const SESSION_COOKIE = 'wf_session';
/** The encrypted cookie holding an OpenID Connect sign-in in progress. */
export const OIDC_STATE_COOKIE = 'wf_oidc';
/** How long a person has at the OpenID Connect provider before the sign-in must start again. */
export const OIDC_STATE_TTL_MS = 10 * 60_000;

export const loginParams = z.object({ login: loginSchema });
export const tokenIdParams = z.object({ id: z.coerce.number().int().positive() });

export const usersAnswerSchema = z.object({ users: z.array(userSchema) });
export const tokensAnswerSchema = z.object({ tokens: z.array(apiTokenSchema) });
export const tokenCreatedSchema = z.object({ token: z.string().describe('Shown this once'), apiToken: apiTokenSchema });
export type TokenCreated = z.infer<typeof tokenCreatedSchema>;

export const signIn = route({
  method: 'POST',
  path: '/api/auth/sign-in',
  tags: AUTH,
  summary: 'Sign in with a login and password',
  description:
    `Sets the session cookie \`${SESSION_COOKIE}\` (httpOnly, SameSite=Strict, Secure except on http://localhost) and answers the user and the CSRF token ` +
    'to send as `x-csrf-token` on every state change. A wrong login, password or a disabled account: 401 `invalid_credentials`. ' +
    'After 5 failures for an account or 20 from an address within 15 minutes: 429 `too_many_attempts` with Retry-After.',
  body: signInSchema,
  response: signInAnswerSchema,
  errors: [400, 401, 429],
});

export const signOut = route({
  method: 'POST',
  path: '/api/auth/sign-out',
  tags: AUTH,
  summary: 'Sign out: the session ends and its cookie is cleared',
  statuses: [204],
  response: z.null().describe('Signed out'),
});

export const me = route({
  method: 'GET',
  path: '/api/auth/me',
  tags: AUTH,
  summary: 'Who the request is from: anonymous, a signed-in user or an API token',
  response: meSchema,
  errors: [401, 403],
});

export const changePassword = route({
  method: 'POST',
  path: '/api/auth/password',
  tags: AUTH,
  summary: 'Change one’s own password (required after a reset); the other sessions end',
  body: passwordChangeSchema,
  response: userSchema,
  errors: [400, 401, 403],
});

export const providers = route({
  method: 'GET',
  path: '/api/auth/providers',
  tags: AUTH,
  summary: 'The ways to sign in: password, OpenID Connect when configured, whether demo accounts exist',
  description: 'Which demo accounts exist and the file on the server holding their password are told to administrators only: anyone else learns only that this is a demo.',
  response: authProvidersSchema,
});

/** A redirect (302): the sign-in page links to it (the `startUrl` of the providers' answer). */
export const oidcStart = route({
  method: 'GET',
  path: '/api/auth/oidc/start',
  tags: AUTH,
  summary: 'Sign in with OpenID Connect: redirects to the provider',
  description:
    `302 to the provider's authorization endpoint (code flow, PKCE S256, state and nonce). The pending sign-in goes in the encrypted cookie \`${OIDC_STATE_COOKIE}\` ` +
    `(httpOnly, SameSite=Lax — the provider sends the browser back from another site — for ${OIDC_STATE_TTL_MS / 60_000} minutes). ` +
    '404 `oidc_not_configured` when OIDC is off; 400 `oidc_failed` when the provider cannot be reached.',
  query: z.object({ next: z.string().max(2000).optional().describe('A path of this site to go to after signing in (default /); anything else is ignored') }),
  response: redirectAnswer(),
  errors: [400, 404],
});

/** A redirect (302): the provider sends the browser here; it goes on to the `next` path given to /start. */
export const oidcCallback = route({
  method: 'GET',
  path: '/api/auth/oidc/callback',
  tags: AUTH,
  summary: 'Where the OpenID Connect provider sends the browser back: opens a session and redirects',
  description:
    `Exchanges the code, validates the ID token and finds the local user named by the configured claim (lowercased). Sets \`${SESSION_COOKIE}\` as password sign-in does ` +
    'and redirects to the `next` path given to /start. 400 `oidc_failed` (a missing, altered or expired sign-in cookie, a wrong state, or the provider’s error code); ' +
    '403 `oidc_unknown_user` when no active user has that login (an administrator creates users first); 429 `too_many_attempts` as for passwords, per address.',
  query: z.looseObject({
    code: z.string().optional(),
    state: z.string().optional(),
    iss: z.string().optional(),
    error: z.string().optional().describe('The provider’s error code, when it refused'),
    error_description: z.string().optional(),
  }),
  response: redirectAnswer(),
  errors: [400, 403, 404, 429],
});

export const users = route({
  method: 'GET',
  path: '/api/users',
  tags: USERS,
  summary: 'Every user with their roles and scopes',
  response: usersAnswerSchema,
  errors: [401, 403],
});

export const createUser = route({
  method: 'POST',
  path: '/api/users',
  tags: USERS,
  summary: 'Create a user (by default they must change the password at first sign-in)',
  body: userCreateSchema,
  statuses: [201],
  response: userSchema,
  errors: [400, 401, 403, 409],
});

export const updateUser = route({
  method: 'PATCH',
  path: '/api/users/:login',
  tags: USERS,
  summary: 'Change a user: display name, roles (replaced), disabled (ends their sessions)',
  params: loginParams,
  body: userUpdateSchema,
  response: userSchema,
  errors: [400, 401, 403, 404],
});

export const resetPassword = route({
  method: 'POST',
  path: '/api/users/:login/password-reset',
  tags: USERS,
  summary: 'Set a temporary password: the user’s sessions end and they must choose a new one at next sign-in',
  params: loginParams,
  body: passwordResetSchema,
  response: userSchema,
  errors: [400, 401, 403, 404],
});

export const createToken = route({
  method: 'POST',
  path: '/api/tokens',
  tags: TOKENS,
  summary: 'Create an API token (for a source or an integration): the secret is in this answer only',
  description: 'Send it as `Authorization: Bearer wft_…`. Only its SHA-256 is stored; it can be revoked; its last use is recorded (to the minute).',
  body: apiTokenCreateSchema,
  statuses: [201],
  response: tokenCreatedSchema,
  errors: [400, 401, 403, 404],
});

export const tokens = route({
  method: 'GET',
  path: '/api/tokens',
  tags: TOKENS,
  summary: 'Every API token with its last use (never its secret)',
  response: tokensAnswerSchema,
  errors: [401, 403],
});

export const revokeToken = route({
  method: 'DELETE',
  path: '/api/tokens/:id',
  tags: TOKENS,
  summary: 'Revoke an API token: it stops working at once',
  params: tokenIdParams,
  response: apiTokenSchema,
  errors: [400, 401, 403, 404],
});
