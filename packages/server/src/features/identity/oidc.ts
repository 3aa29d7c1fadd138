import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import { z } from 'zod';
import { AppError, identityApi, type Clock } from '@watchfloor/core';
import { guardedFetch, type OutboundGuard } from '@watchfloor/connectors';
import type { OidcConfig } from '../../config';

/** The cookie holding a sign-in in progress (PKCE verifier, state, nonce, where to go after), encrypted. */
export const OIDC_STATE_COOKIE = identityApi.OIDC_STATE_COOKIE;
/** The cookie is sent to our OIDC routes only. */
export const OIDC_COOKIE_PATH = '/api/auth/oidc';
/** How long a person has at the provider before the sign-in must start again. */
export const OIDC_STATE_TTL_MS = identityApi.OIDC_STATE_TTL_MS;
/** Seconds a request to the provider may take. */
const PROVIDER_TIMEOUT_S = 10;
const SCOPE = 'openid profile email';

/** What the state cookie holds between the redirect to the provider and its answer. */
const pendingSchema = z.object({
  verifier: z.string(),
  state: z.string(),
  nonce: z.string(),
  next: z.string(),
  /** Epoch milliseconds. */
  expiresAt: z.number(),
});
type Pending = z.infer<typeof pendingSchema>;

/**
 * Where to go after signing in: a path of this site only. Anything else —
 * another origin, a scheme-relative `//host`, a backslash some browsers read
 * as a slash, control characters — falls back to `/`.
 */
export function safeNext(next: string | undefined): string {
  if (next === undefined || next.length > 2000) return '/';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (!/^\/(?![/\\])/.test(next) || /[\\\u0000-\u001f\u007f]/.test(next)) return '/';
  const base = 'http://watchfloor.invalid';
  const u = new URL(next, base);
  return u.origin === base ? `${u.pathname}${u.search}${u.hash}` : '/';
}

/** An error of the flow, coded `oidc_failed`; the cause (never sent) is kept for the log. */
function failed(message: string, cause?: unknown): AppError {
  const e = new AppError('oidc_failed', message);
  if (cause !== undefined) e.cause = cause;
  return e;
}

/** The provider's own error code of a failure, when it sent one (access_denied, invalid_grant…), else the client's check that failed. */
function providerCode(e: unknown): string {
  // Our own refusal (the outbound guard's), possibly wrapped by the client library.
  const own = e instanceof AppError ? e : (e as { cause?: unknown } | null)?.cause instanceof AppError ? ((e as { cause: AppError }).cause) : null;
  if (own) return own.code;
  if (e instanceof oidc.AuthorizationResponseError || e instanceof oidc.ResponseBodyError) return e.error;
  if (e instanceof oidc.ClientError && e.code) return e.code;
  return 'unexpected_answer';
}

/**
 * The OpenID Connect relying party (openid-client): discovery of the
 * issuer (once, retried after a failure), the authorization code flow with
 * PKCE (S256), state and nonce, and the ID token's validation (issuer,
 * audience, expiry, nonce and — non-repudiation on — its signature against
 * the provider's JWKS). It keeps nothing in memory between the two legs:
 * the pending sign-in travels in an AES-256-GCM encrypted cookie, so any
 * instance can take the provider's answer.
 */
export class OidcClient {
  private discovered: Promise<oidc.Configuration> | null = null;
  private readonly key: Buffer;

  constructor(
    private readonly config: OidcConfig,
    private readonly clock: Clock,
    /** WATCHFLOOR_SECRET_KEY when set; else the cookie key is derived from the client secret, which every instance shares too. */
    secretKey: Buffer | undefined,
    /** Every call to the provider (discovery, keys, tokens, user info) goes through it, as every outbound call does. */
    private readonly guard: OutboundGuard,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', secretKey ?? Buffer.from(config.clientSecret, 'utf8'), 'watchfloor', 'oidc sign-in state cookie', 32));
  }

  get label(): string {
    return this.config.label;
  }

  private configuration(): Promise<oidc.Configuration> {
    this.discovered ??= oidc
      .discovery(new URL(this.config.issuer), this.config.clientId, this.config.clientSecret, oidc.ClientSecretBasic(this.config.clientSecret), {
        // The issuer is https, except on this machine (config.ts allows http for localhost only).
        execute: new URL(this.config.issuer).protocol === 'http:' ? [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks] : [oidc.enableNonRepudiationChecks],
        timeout: PROVIDER_TIMEOUT_S,
        [oidc.customFetch]: (url, options) => this.fetch(url, options),
      })
      .catch((e: unknown) => {
        this.discovered = null;
        throw failed(`The OpenID Connect provider ${this.config.issuer} could not be reached or described itself wrongly (${providerCode(e)})`, e);
      });
    return this.discovered;
  }

  /**
   * A call to the provider through the outbound guard: an issuer, or an
   * endpoint its discovery document names, at an inside address is refused
   * (outbound_not_allowed) unless WATCHFLOOR_OUTBOUND_ALLOW lists it.
   */
  private async fetch(url: string, options: oidc.CustomFetchOptions): Promise<Response> {
    const body = options.body;
    if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof URLSearchParams)) throw new Error('unexpected request body to the OpenID Connect provider');
    const answer = await guardedFetch(this.guard, new URL(url), {
      method: options.method === 'POST' ? 'POST' : 'GET',
      headers: options.headers,
      body: body === undefined || body === null ? undefined : String(body),
      signal: options.signal,
      maxRedirects: 0,
    });
    // openid-client reads the answer as a fetch Response; undici's is one.
    return answer as unknown as Response;
  }

  /** The provider's authorization URL to send the browser to, and the encrypted cookie value that must come back with its answer. */
  async start(next: string | undefined): Promise<{ url: string; cookie: string }> {
    const configuration = await this.configuration();
    const pending: Pending = {
      verifier: oidc.randomPKCECodeVerifier(),
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      next: safeNext(next),
      expiresAt: this.clock.now().getTime() + OIDC_STATE_TTL_MS,
    };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.config.redirectUrl,
      scope: SCOPE,
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, cookie: this.seal(pending) };
  }

  /**
   * Takes the provider's answer (the callback's query string) with the
   * cookie set by `start`: checks the state, exchanges the code (with the
   * PKCE verifier), validates the ID token and its nonce, and answers the
   * login claim (from the ID token, else from the userinfo endpoint) and
   * where to go. Any failure is `oidc_failed`.
   */
  async finish(search: string, cookie: string | undefined): Promise<{ login: string; next: string }> {
    const pending = cookie ? this.open(cookie) : null;
    if (!pending) throw failed('The sign-in was not started here, or its cookie was lost or altered; start again');
    if (pending.expiresAt <= this.clock.now().getTime()) throw failed('The sign-in took too long; start again');
    const configuration = await this.configuration();
    const current = new URL(this.config.redirectUrl);
    current.search = search;
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(configuration, current, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (e) {
      throw failed(`The OpenID Connect provider did not sign you in: ${providerCode(e)}`, e);
    }
    const idClaims = tokens.claims();
    if (!idClaims) throw failed('The provider sent no ID token');
    let claims: Record<string, unknown> = idClaims;
    if (claims[this.config.loginClaim] === undefined) {
      // Providers may give profile claims at the userinfo endpoint only (the code flow's default).
      try {
        claims = { ...(await oidc.fetchUserInfo(configuration, tokens.access_token, idClaims.sub)), ...idClaims };
      } catch (e) {
        throw failed(`The provider's userinfo could not be read: ${providerCode(e)}`, e);
      }
    }
    const login = claims[this.config.loginClaim];
    if (typeof login !== 'string' || login.trim() === '') throw failed(`The provider sent no "${this.config.loginClaim}" claim to name the Watchfloor user by`);
    // An address someone typed but never proved would let them take another's account.
    if (this.config.loginClaim === 'email' && claims.email_verified !== true) throw failed('The provider has not verified this e-mail address');
    return { login: login.trim().toLowerCase(), next: pending.next };
  }

  private seal(p: Pending): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(p), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The pending sign-in of a cookie, or null when it does not decrypt (altered, or sealed with another key). */
  private open(cookie: string): Pending | null {
    const raw = Buffer.from(cookie, 'base64url');
    if (raw.length < 29) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const json = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      const parsed = pendingSchema.safeParse(JSON.parse(json));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
}
