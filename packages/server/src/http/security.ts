import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import { AppError } from '@watchfloor/core';
import type { Config } from '../config';

/**
 * The Content-Security-Policy of every answer. The web app is built by Vite
 * into files served from this origin, with no inline script or style in its
 * HTML; React, MapLibre and ECharts set styles through element.style (the
 * CSSOM), which a policy without 'unsafe-inline' allows. MapLibre draws
 * tiles into blob: and data: images and may start its worker from a blob:.
 * The API docs page (/api/docs) sends its own policy (hashes of its inline
 * scripts), which replaces this one on that route only.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'worker-src': ["'self'", 'blob:'],
  'child-src': ["'self'", 'blob:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'upgrade-insecure-requests': null,
};

/** The ingestion routes, limited per source token (or address); Open311 reports per api_key (or address). */
const INGESTION = /^\/api\/sources\/:code\/(push|upload|entries|readings\/upload)$/;
const OPEN311_POST = /^\/open311\/v2\/requests\.(json|xml)$/;

/** Query parameters that carry secrets (Open311's api_key, tokens, an OpenID Connect callback's code and state): masked in logged addresses. */
const SECRET_PARAMS = /([?&](?:api_key|token|access_token|key|password|code|state)=)[^&#]*/gi;

/** A request as logged: Fastify's usual fields, with secrets in the query string masked. Headers are not logged at all. */
export function logRequest(req: FastifyRequest): Record<string, unknown> {
  return { method: req.method, url: req.url.replace(SECRET_PARAMS, '$1[redacted]'), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}

const digest = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 32);

function ingestionKey(req: FastifyRequest): string {
  // The token is hashed: the limiter's memory never holds a usable secret.
  const auth = req.headers.authorization;
  return typeof auth === 'string' && auth !== '' ? `token:${digest(auth)}` : `ip:${req.ip}`;
}

function open311Key(req: FastifyRequest): string {
  const fromQuery = (req.query as Record<string, unknown> | undefined)?.api_key;
  const fromBody = req.body !== null && typeof req.body === 'object' ? (req.body as Record<string, unknown>).api_key : undefined;
  const key = typeof fromBody === 'string' ? fromBody : typeof fromQuery === 'string' ? fromQuery : undefined;
  return key ? `key:${digest(key)}` : `ip:${req.ip}`;
}

/**
 * Security headers on every answer (helmet, with the policy above) and rate
 * limits on the routes that write what outsiders send. The limits count in
 * this process's memory: behind several instances each counts its own.
 * Call before any feature registers its routes.
 */
export async function installSecurity(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    // Map tiles and fonts of this origin only; no need to isolate further.
    crossOriginEmbedderPolicy: false,
  });

  // Runs before the limiter's own onRoute hook (registered next), so the routes named here carry their limit.
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    if (!methods.includes('POST')) return;
    if (INGESTION.test(r.url)) {
      r.config = { ...r.config, rateLimit: { max: config.rateLimitPerMinute, timeWindow: 60_000, keyGenerator: ingestionKey } };
    } else if (OPEN311_POST.test(r.url)) {
      // After the body is parsed, so a form-encoded api_key counts.
      r.config = { ...r.config, rateLimit: { max: config.open311RateLimitPerMinute, timeWindow: 60_000, hook: 'preHandler', keyGenerator: open311Key } };
    }
  });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => new AppError('rate_limited', `Too many requests: at most ${ctx.max} a minute; try again in ${ctx.after}`, { max: ctx.max, retryAfter: ctx.after }),
  });
}
