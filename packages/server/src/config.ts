import { resolve } from 'node:path';
import { z } from 'zod';
import { identityApi, parseOutboundAllow, type OutboundAllowList } from '@watchfloor/core';

/**
 * All configuration, parsed once at start-up from the environment (and CLI
 * flags, which win). Nothing else in the server reads process.env. A bad
 * value stops start-up with a message naming the variable.
 */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Our callback's path: the redirect URL registered with the provider ends with it. */
export const OIDC_CALLBACK_PATH = identityApi.oidcCallback.path;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function parseUrl(v: string): URL | null {
  try {
    return new URL(v);
  } catch {
    return null;
  }
}

/** An issuer is https (plain http only on this machine, for development and tests), with no query or fragment. */
function isOidcIssuer(v: string): boolean {
  const u = parseUrl(v);
  if (!u || u.search !== '' || u.hash !== '' || v.includes('?') || v.includes('#')) return false;
  return u.protocol === 'https:' || (u.protocol === 'http:' && LOCAL_HOSTS.has(u.hostname));
}

/** The address links are built on: http(s), no credentials, query or fragment (a path prefix is kept, for a server behind a proxy's sub-path). */
function isPublicUrl(v: string): boolean {
  const u = parseUrl(v);
  return u !== null && (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '' && !v.includes('?') && !v.includes('#');
}

/**
 * Where absolute links (the Atom feed, Open311 discovery) point: the
 * configured public URL, else the address the server listens on (a
 * wildcard address named as localhost). Never the request's Host header,
 * which any client chooses.
 */
function publicUrlOf(configured: string | undefined, host: string, port: number): string {
  if (configured !== undefined) return configured.replace(/\/+$/, '');
  const name = host === '0.0.0.0' || host === '::' || host === '[::]' ? 'localhost' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${name}${port === 80 ? '' : `:${port}`}`;
}

function isCallbackUrl(v: string): boolean {
  const u = parseUrl(v);
  return u !== null && (u.protocol === 'https:' || u.protocol === 'http:') && u.search === '' && u.hash === '' && u.pathname.endsWith(OIDC_CALLBACK_PATH);
}

const envSchema = z.object({
  WATCHFLOOR_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  WATCHFLOOR_HOST: z.string().min(1).default('0.0.0.0'),
  WATCHFLOOR_PUBLIC_URL: z
    .string()
    .refine((v) => isPublicUrl(v), 'must be the absolute http(s) URL the server is reached at, e.g. https://ioc.example.vn, without query or fragment')
    .optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL (leave it unset for the embedded database)')
    .optional(),
  WATCHFLOOR_DATA_DIR: z.string().min(1).default('var'),
  WATCHFLOOR_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  WATCHFLOOR_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(1024 * 1024),
  WATCHFLOOR_DEMO_DATA: bool.default(true),
  WATCHFLOOR_PUSH_LIMIT_BYTES: z.coerce.number().int().min(1024).max(16 * 1024 ** 3).default(200 * 1024 * 1024),
  WATCHFLOOR_UPLOAD_LIMIT_BYTES: z.coerce.number().int().min(1024).max(1024 ** 3).default(50 * 1024 * 1024),
  WATCHFLOOR_EVIDENCE_LIMIT_BYTES: z.coerce.number().int().min(1024).max(1024 ** 3).default(10 * 1024 * 1024),
  WATCHFLOOR_UPLOAD_MAX_ROWS: z.coerce.number().int().min(1).max(100_000_000).default(2_000_000),
  WATCHFLOOR_UPLOAD_MAX_CELL_CHARS: z.coerce.number().int().min(64).max(1024 * 1024).default(32_767),
  WATCHFLOOR_XLSX_MAX_INFLATED_BYTES: z.coerce.number().int().min(1024 * 1024).max(4 * 1024 ** 3).default(100 * 1024 * 1024),
  WATCHFLOOR_XLSX_MAX_ENTRIES: z.coerce.number().int().min(8).max(100_000).default(1000),
  WATCHFLOOR_SECRET_KEY: z
    .string()
    .regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, 'must be 32 random bytes as 64 hex digits or base64 (openssl rand -base64 32)')
    .optional(),
  WATCHFLOOR_PROVINCE: z.string().regex(/^\d{2}$/, 'must be a two-digit province code').default('86'),
  WATCHFLOOR_PROVINCE_BEFORE: z
    .string()
    .regex(/^(\d{2}|none)$/, 'must be a two-digit province code, or none')
    .default('84'),
  WATCHFLOOR_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  WATCHFLOOR_OPEN311_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  WATCHFLOOR_LIVE_ANONYMOUS_PER_ADDRESS: z.coerce.number().int().min(1, 'must be a whole number of streams, at least 1').max(1_000_000).default(500),
  WATCHFLOOR_OPEN311_API_KEYS: z.string().regex(/^[A-Za-z0-9_-]{16,}(,[A-Za-z0-9_-]{16,})*$/, 'must be comma-separated keys of at least 16 letters, digits, _ or -').optional(),
  WATCHFLOOR_OIDC_ISSUER: z
    .string()
    .refine((v) => isOidcIssuer(v), 'must be an https:// URL without query or fragment (http:// only for localhost)')
    .optional(),
  WATCHFLOOR_OIDC_CLIENT_ID: z.string().min(1).max(500).optional(),
  WATCHFLOOR_OIDC_CLIENT_SECRET: z.string().min(1).max(1000).optional(),
  WATCHFLOOR_OIDC_REDIRECT_URL: z
    .string()
    .refine((v) => isCallbackUrl(v), `must be the absolute http(s) URL of this server's ${OIDC_CALLBACK_PATH}, without query or fragment`)
    .optional(),
  WATCHFLOOR_OIDC_LOGIN_CLAIM: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be a claim name, e.g. preferred_username or email').default('preferred_username'),
  WATCHFLOOR_OIDC_LABEL: z.string().trim().min(1).max(100).default('OpenID Connect'),
  WATCHFLOOR_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  WATCHFLOOR_TRUST_PROXY: z
    .string()
    .regex(/^(false|true|\d{1,2}|[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*)$/, 'must be false, true, a number of proxy hops, or comma-separated proxy addresses or CIDR ranges')
    .default('false'),
  WATCHFLOOR_OUTBOUND_ALLOW: z.string().max(10_000).optional(),
  WATCHFLOOR_SMTP_HOST: z.string().regex(/^[A-Za-z0-9.:[\]-]{1,253}$/, 'must be a host name or address').optional(),
  WATCHFLOOR_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  WATCHFLOOR_SMTP_TLS: z.enum(['starttls', 'tls', 'none']).default('starttls'),
  WATCHFLOOR_SMTP_USER: z.string().min(1).max(500).optional(),
  WATCHFLOOR_SMTP_PASSWORD: z.string().min(1).max(1000).optional(),
  WATCHFLOOR_SMTP_FROM: z.string().min(3).max(500).default('Watchfloor <noreply@localhost>'),
  WATCHFLOOR_GATEWAY_PRESET: z.enum(['generic', 'zalo_oa']).default('generic'),
  WATCHFLOOR_GATEWAY_URL: z.string().url('must be the http(s) URL of the gateway').optional(),
  WATCHFLOOR_GATEWAY_HEADERS: z
    .string()
    .max(10_000)
    .refine((v) => {
      try {
        const h = JSON.parse(v) as unknown;
        return typeof h === 'object' && h !== null && !Array.isArray(h) && Object.values(h).every((x) => typeof x === 'string');
      } catch {
        return false;
      }
    }, 'must be a JSON object of header names to text, e.g. {"X-Api-Key":"{{secret}}"}')
    .optional(),
  WATCHFLOOR_GATEWAY_SECRET: z.string().min(1).max(4000).optional(),
  WATCHFLOOR_GATEWAY_BODY: z.string().min(1).max(10_000).optional(),
  WATCHFLOOR_CHROMIUM: z.string().min(1).max(4096).default('/usr/bin/chromium'),
});

/** The OpenID Connect settings that always go together. */
const OIDC_REQUIRED = ['WATCHFLOOR_OIDC_CLIENT_ID', 'WATCHFLOOR_OIDC_CLIENT_SECRET', 'WATCHFLOOR_OIDC_REDIRECT_URL'] as const;

export interface Config {
  port: number;
  host: string;
  /** The server's own address, without a trailing slash: absolute links are built on it, never on a request's Host header. */
  publicUrl: string;
  /** PostgreSQL URL; undefined means the embedded SQLite database. */
  databaseUrl: string | undefined;
  /** Where the embedded database and other local state live. */
  dataDir: string;
  /** The embedded database file. */
  sqlitePath: string;
  logLevel: (typeof LOG_LEVELS)[number];
  bodyLimitBytes: number;
  /** Load the demo organisations (and later demo figures) on an empty database. */
  demoData: boolean;
  /** Largest body of an HTTP push (streamed, so it may be far above bodyLimitBytes). */
  pushLimitBytes: number;
  /** Largest uploaded CSV or XLSX file. */
  uploadLimitBytes: number;
  /** Largest evidence file (PDF, PNG, JPEG) attached to a PAR Index self-assessment. */
  evidenceLimitBytes: number;
  /** What an uploaded file may hold (rows, a cell's characters, an XLSX's inflated bytes and entries), each refused with its own code. */
  fileLimits: { maxRows: number; maxCellChars: number; maxInflatedBytes: number; maxEntries: number };
  /** The AES-256 key sources' credentials are encrypted with; undefined: credentials cannot be stored. Never logged. */
  secretKey: Buffer | undefined;
  /** The province the IOC serves: cases located outside it are refused. */
  province: string;
  /**
   * The province the IOC served before the served province took its present
   * form (one of the units it was formed from), shown at the home page on
   * dates before; null: the served province's own earlier version, if any.
   */
  provinceBefore: string | null;
  /** Keys Open311 clients POST reports with; empty: Open311 reports are refused. Never logged. */
  open311ApiKeys: string[];
  /** Requests a minute to each ingestion route (push, upload, entries, readings upload), per source token or address. */
  rateLimitPerMinute: number;
  /** Open311 reports a minute, per api_key or address. */
  open311RateLimitPerMinute: number;
  /** Live streams (GET /api/live) one address may hold open without signing in. */
  liveAnonymousPerAddress: number;
  /** Session cookies' Secure flag: 'auto' sets it except on plain http to localhost. */
  secureCookies: 'auto' | boolean;
  /** Which proxies' X-Forwarded-* headers are believed (Fastify's trustProxy): the client's address throttles sign-in and is audited. */
  trustProxy: boolean | number | string[];
  /** Inside destinations (hosts, addresses, CIDR ranges) outbound calls may reach: pulls, webhooks. Public addresses need no listing. */
  outboundAllow: OutboundAllowList;
  /** Mail to people (alerts, reports) over SMTP; null: no e-mail is sent (WATCHFLOOR_SMTP_HOST unset). */
  smtp: SmtpConfig | null;
  /** The SMS/OTT gateway messages to phones go through; null: none (WATCHFLOOR_GATEWAY_URL unset). */
  gateway: GatewayConfig | null;
  /** Sign-in with an OpenID Connect provider; null: off (WATCHFLOOR_OIDC_ISSUER unset). */
  oidc: OidcConfig | null;
  /** The Chromium executable PDFs are printed with (headless); when the file is not there, a PDF is answered 503 `pdf_unavailable`. */
  chromium: string;
}

export interface SmtpConfig {
  host: string;
  port: number;
  /** starttls: upgrade on the submission port (587); tls: TLS from the first byte (465); none: plain (only on a trusted network). */
  tls: 'starttls' | 'tls' | 'none';
  user: string | undefined;
  /** Never logged. */
  password: string | undefined;
  from: string;
}

export interface GatewayConfig {
  /** Always POSTed. generic: the URL, headers and body template as configured; zalo_oa: the Zalo Official Account message API's request. */
  preset: 'generic' | 'zalo_oa';
  url: string;
  /** Header values may hold {{secret}}. */
  headers: Record<string, string>;
  /** Never logged: the access token or API key. */
  secret: string | undefined;
  /** The body, with {{to}}, {{text}}, {{subject}}, {{id}} placeholders. */
  body: string;
}

export interface OidcConfig {
  /** The issuer identifier; its discovery document is at /.well-known/openid-configuration under it. */
  issuer: string;
  clientId: string;
  /** Never logged. */
  clientSecret: string;
  /** The public URL of our callback, as registered with the provider. */
  redirectUrl: string;
  /** The claim naming the local login (compared lowercased). */
  loginClaim: string;
  /** The sign-in button's text. */
  label: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type ConfigOverrides = Partial<Record<keyof z.input<typeof envSchema>, string | undefined>>;

/** Parses configuration from an environment (default: process.env), with overrides taking precedence. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: ConfigOverrides = {}): Config {
  const merged: Record<string, string | undefined> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const v = overrides[key as keyof ConfigOverrides] ?? env[key];
    merged[key] = v === '' ? undefined : v;
  }
  const parsed = envSchema.safeParse(merged);
  if (!parsed.success) {
    // A secret is named, never echoed.
    const shown = (key: string) => (key.includes('SECRET') || key.includes('API_KEYS') || key.includes('PASSWORD') ? '(hidden)' : JSON.stringify(merged[key] ?? ''));
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0])}=${shown(String(i.path[0]))}: ${i.message}`));
  }
  const e = parsed.data;
  const oidcProblems = e.WATCHFLOOR_OIDC_ISSUER
    ? OIDC_REQUIRED.filter((k) => e[k] === undefined).map((k) => `${k}: must be set when WATCHFLOOR_OIDC_ISSUER is`)
    : OIDC_REQUIRED.filter((k) => e[k] !== undefined).map((k) => `${k}: set WATCHFLOOR_OIDC_ISSUER too, or unset it`);
  if (oidcProblems.length > 0) throw new ConfigError(oidcProblems);
  const outbound = parseOutboundAllow(e.WATCHFLOOR_OUTBOUND_ALLOW);
  if (outbound.problems.length > 0) throw new ConfigError(outbound.problems.map((p) => `WATCHFLOOR_OUTBOUND_ALLOW: ${p}`));
  const dataDir = resolve(e.WATCHFLOOR_DATA_DIR);
  return {
    port: e.WATCHFLOOR_PORT,
    host: e.WATCHFLOOR_HOST,
    publicUrl: publicUrlOf(e.WATCHFLOOR_PUBLIC_URL, e.WATCHFLOOR_HOST, e.WATCHFLOOR_PORT),
    databaseUrl: e.DATABASE_URL,
    dataDir,
    sqlitePath: resolve(dataDir, 'watchfloor.sqlite'),
    logLevel: e.WATCHFLOOR_LOG_LEVEL,
    bodyLimitBytes: e.WATCHFLOOR_BODY_LIMIT_BYTES,
    demoData: e.WATCHFLOOR_DEMO_DATA,
    pushLimitBytes: e.WATCHFLOOR_PUSH_LIMIT_BYTES,
    uploadLimitBytes: e.WATCHFLOOR_UPLOAD_LIMIT_BYTES,
    evidenceLimitBytes: e.WATCHFLOOR_EVIDENCE_LIMIT_BYTES,
    fileLimits: {
      maxRows: e.WATCHFLOOR_UPLOAD_MAX_ROWS,
      maxCellChars: e.WATCHFLOOR_UPLOAD_MAX_CELL_CHARS,
      maxInflatedBytes: e.WATCHFLOOR_XLSX_MAX_INFLATED_BYTES,
      maxEntries: e.WATCHFLOOR_XLSX_MAX_ENTRIES,
    },
    secretKey: e.WATCHFLOOR_SECRET_KEY === undefined ? undefined : Buffer.from(e.WATCHFLOOR_SECRET_KEY, e.WATCHFLOOR_SECRET_KEY.length === 64 ? 'hex' : 'base64'),
    province: e.WATCHFLOOR_PROVINCE,
    provinceBefore: e.WATCHFLOOR_PROVINCE_BEFORE === 'none' ? null : e.WATCHFLOOR_PROVINCE_BEFORE,
    open311ApiKeys: e.WATCHFLOOR_OPEN311_API_KEYS?.split(',') ?? [],
    rateLimitPerMinute: e.WATCHFLOOR_RATE_LIMIT_PER_MINUTE,
    open311RateLimitPerMinute: e.WATCHFLOOR_OPEN311_RATE_LIMIT_PER_MINUTE,
    liveAnonymousPerAddress: e.WATCHFLOOR_LIVE_ANONYMOUS_PER_ADDRESS,
    secureCookies: e.WATCHFLOOR_COOKIE_SECURE === 'auto' ? 'auto' : e.WATCHFLOOR_COOKIE_SECURE === 'true',
    trustProxy: e.WATCHFLOOR_TRUST_PROXY === 'false' ? false : e.WATCHFLOOR_TRUST_PROXY === 'true' ? true : /^\d+$/.test(e.WATCHFLOOR_TRUST_PROXY) ? Number(e.WATCHFLOOR_TRUST_PROXY) : e.WATCHFLOOR_TRUST_PROXY.split(','),
    outboundAllow: outbound.allow,
    smtp: e.WATCHFLOOR_SMTP_HOST
      ? {
          host: e.WATCHFLOOR_SMTP_HOST,
          port: e.WATCHFLOOR_SMTP_PORT ?? (e.WATCHFLOOR_SMTP_TLS === 'tls' ? 465 : e.WATCHFLOOR_SMTP_TLS === 'starttls' ? 587 : 25),
          tls: e.WATCHFLOOR_SMTP_TLS,
          user: e.WATCHFLOOR_SMTP_USER,
          password: e.WATCHFLOOR_SMTP_PASSWORD,
          from: e.WATCHFLOOR_SMTP_FROM,
        }
      : null,
    gateway: e.WATCHFLOOR_GATEWAY_URL ? gatewayOf(e) : null,
    oidc:
      e.WATCHFLOOR_OIDC_ISSUER && e.WATCHFLOOR_OIDC_CLIENT_ID && e.WATCHFLOOR_OIDC_CLIENT_SECRET && e.WATCHFLOOR_OIDC_REDIRECT_URL
        ? {
            issuer: e.WATCHFLOOR_OIDC_ISSUER,
            clientId: e.WATCHFLOOR_OIDC_CLIENT_ID,
            clientSecret: e.WATCHFLOOR_OIDC_CLIENT_SECRET,
            redirectUrl: e.WATCHFLOOR_OIDC_REDIRECT_URL,
            loginClaim: e.WATCHFLOOR_OIDC_LOGIN_CLAIM,
            label: e.WATCHFLOOR_OIDC_LABEL,
          }
        : null,
    chromium: e.WATCHFLOOR_CHROMIUM,
  };
}

/** The gateway's request: the Zalo preset's shape unless the operator wrote their own headers or body. */
function gatewayOf(e: z.infer<typeof envSchema>): GatewayConfig {
  const zalo = e.WATCHFLOOR_GATEWAY_PRESET === 'zalo_oa';
  return {
    preset: e.WATCHFLOOR_GATEWAY_PRESET,
    url: e.WATCHFLOOR_GATEWAY_URL as string,
    headers: e.WATCHFLOOR_GATEWAY_HEADERS ? (JSON.parse(e.WATCHFLOOR_GATEWAY_HEADERS) as Record<string, string>) : zalo ? ZALO_OA_PRESET.headers : { authorization: 'Bearer {{secret}}' },
    secret: e.WATCHFLOOR_GATEWAY_SECRET,
    body: e.WATCHFLOOR_GATEWAY_BODY ?? (zalo ? ZALO_OA_PRESET.body : '{"to":"{{to}}","text":"{{text}}"}'),
  };
}

/**
 * Zalo Official Account's message API (OpenAPI v3, customer-service text
 * message): POST https://openapi.zalo.me/v3.0/oa/message/cs with the OA's
 * access token in the `access_token` header and a JSON body naming the
 * recipient by the Zalo user id the OA knows.
 */
export const ZALO_OA_PRESET = {
  url: 'https://openapi.zalo.me/v3.0/oa/message/cs',
  headers: { access_token: '{{secret}}' } as Record<string, string>,
  body: '{"recipient":{"user_id":"{{to}}"},"message":{"text":"{{text}}"}}',
};

/** The variables, their defaults and meaning: printed by `watchfloor --help` and kept in the README. */
export const CONFIG_DOC: { name: string; default: string; meaning: string }[] = [
  { name: 'WATCHFLOOR_PORT', default: '8080', meaning: 'HTTP port' },
  { name: 'WATCHFLOOR_HOST', default: '0.0.0.0', meaning: 'address to listen on' },
  { name: 'WATCHFLOOR_PUBLIC_URL', default: '(unset: http://<host>:<port>)', meaning: 'the URL people and clients reach the server at; absolute links (Atom feed, Open311 discovery) are built on it' },
  { name: 'DATABASE_URL', default: '(unset: embedded SQLite)', meaning: 'PostgreSQL URL, e.g. postgres://user@host:5432/watchfloor' },
  { name: 'WATCHFLOOR_DATA_DIR', default: 'var', meaning: 'folder for the embedded database and local state' },
  { name: 'WATCHFLOOR_LOG_LEVEL', default: 'info', meaning: LOG_LEVELS.join(' | ') },
  { name: 'WATCHFLOOR_BODY_LIMIT_BYTES', default: '1048576', meaning: 'largest request body accepted' },
  { name: 'WATCHFLOOR_DEMO_DATA', default: 'true', meaning: 'load the demo data set on an empty database' },
  { name: 'WATCHFLOOR_PUSH_LIMIT_BYTES', default: '209715200', meaning: 'largest body of an HTTP push to a source (streamed)' },
  { name: 'WATCHFLOOR_UPLOAD_LIMIT_BYTES', default: '52428800', meaning: 'largest CSV or XLSX file uploaded to a source' },
  { name: 'WATCHFLOOR_EVIDENCE_LIMIT_BYTES', default: '10485760', meaning: 'largest evidence file (PDF, PNG, JPEG) attached to a PAR Index self-assessment' },
  { name: 'WATCHFLOOR_UPLOAD_MAX_ROWS', default: '2000000', meaning: 'most data rows in an uploaded file (beyond: 413 too_many_rows, nothing written)' },
  { name: 'WATCHFLOOR_UPLOAD_MAX_CELL_CHARS', default: '32767', meaning: 'longest cell of an uploaded file; a row holding a longer one is a rejected row row_too_long' },
  { name: 'WATCHFLOOR_XLSX_MAX_INFLATED_BYTES', default: '104857600', meaning: 'most bytes an uploaded XLSX may unpack to (beyond: 413 archive_too_large)' },
  { name: 'WATCHFLOOR_XLSX_MAX_ENTRIES', default: '1000', meaning: 'most parts (ZIP entries) in an uploaded XLSX (beyond: 413 too_many_entries)' },
  { name: 'WATCHFLOOR_SECRET_KEY', default: '(unset: no credentials stored)', meaning: "32-byte key (hex or base64) encrypting sources' credentials" },
  { name: 'WATCHFLOOR_PROVINCE', default: '86', meaning: 'the province served: cases located outside it are refused; the home page shows it' },
  {
    name: 'WATCHFLOOR_PROVINCE_BEFORE',
    default: '84',
    meaning: 'the province served before WATCHFLOOR_PROVINCE took its present form (one of the units it was formed from), shown at the home page on earlier dates; none: its own earlier version',
  },
  { name: 'WATCHFLOOR_RATE_LIMIT_PER_MINUTE', default: '600', meaning: 'requests a minute to each ingestion route (push, upload, entries), per source token or address' },
  { name: 'WATCHFLOOR_OPEN311_RATE_LIMIT_PER_MINUTE', default: '60', meaning: 'Open311 reports a minute, per api_key or address' },
  { name: 'WATCHFLOOR_LIVE_ANONYMOUS_PER_ADDRESS', default: '500', meaning: 'live streams (GET /api/live) one address may hold open without signing in; 429 rate_limited beyond' },
  { name: 'WATCHFLOOR_OPEN311_API_KEYS', default: '(unset: Open311 POST refused)', meaning: 'comma-separated api_key values Open311 clients report with' },
  { name: 'WATCHFLOOR_OIDC_ISSUER', default: '(unset: no OpenID Connect sign-in)', meaning: 'issuer URL of the OpenID Connect provider (https)' },
  { name: 'WATCHFLOOR_OIDC_CLIENT_ID', default: '(unset)', meaning: 'client id registered with the provider' },
  { name: 'WATCHFLOOR_OIDC_CLIENT_SECRET', default: '(unset)', meaning: 'client secret registered with the provider (client_secret_basic)' },
  { name: 'WATCHFLOOR_OIDC_REDIRECT_URL', default: '(unset)', meaning: `public URL of our callback, e.g. https://ioc.example.vn${OIDC_CALLBACK_PATH}` },
  { name: 'WATCHFLOOR_OIDC_LOGIN_CLAIM', default: 'preferred_username', meaning: 'claim naming the local login (lowercased)' },
  { name: 'WATCHFLOOR_OIDC_LABEL', default: 'OpenID Connect', meaning: 'text of the sign-in button' },
  { name: 'WATCHFLOOR_COOKIE_SECURE', default: 'auto', meaning: 'session cookies Secure: auto (except plain http to localhost) | true | false' },
  {
    name: 'WATCHFLOOR_TRUST_PROXY',
    default: 'false',
    meaning: 'believe X-Forwarded-For / -Proto from: false | true (any) | hop count | proxy addresses or CIDR ranges; the client address throttles sign-in and is audited',
  },
  {
    name: 'WATCHFLOOR_OUTBOUND_ALLOW',
    default: '(unset: public addresses only)',
    meaning: 'inside destinations pulls and webhooks may reach: comma-separated host names, addresses and CIDR ranges (e.g. 10.20.0.0/16,gis.stnmt.local)',
  },
  { name: 'WATCHFLOOR_SMTP_HOST', default: '(unset: no e-mail sent)', meaning: 'SMTP server messages to people are sent through (through the outbound guard)' },
  { name: 'WATCHFLOOR_SMTP_PORT', default: '587 (465 with tls, 25 with none)', meaning: 'SMTP port' },
  { name: 'WATCHFLOOR_SMTP_TLS', default: 'starttls', meaning: 'starttls (required upgrade) | tls (TLS from the start) | none (plain, trusted network only)' },
  { name: 'WATCHFLOOR_SMTP_USER', default: '(unset: no authentication)', meaning: 'SMTP user name' },
  { name: 'WATCHFLOOR_SMTP_PASSWORD', default: '(unset)', meaning: 'SMTP password' },
  { name: 'WATCHFLOOR_SMTP_FROM', default: 'Watchfloor <noreply@localhost>', meaning: 'the From of the e-mails sent' },
  { name: 'WATCHFLOOR_GATEWAY_PRESET', default: 'generic', meaning: 'generic | zalo_oa (Zalo Official Account message API: access_token header, recipient user_id)' },
  { name: 'WATCHFLOOR_GATEWAY_URL', default: '(unset: no SMS/OTT gateway)', meaning: `URL of the SMS/OTT gateway (Zalo OA: ${ZALO_OA_PRESET.url})` },
  { name: 'WATCHFLOOR_GATEWAY_HEADERS', default: '(preset\'s)', meaning: 'JSON object of headers; {{secret}} stands for WATCHFLOOR_GATEWAY_SECRET' },
  { name: 'WATCHFLOOR_GATEWAY_SECRET', default: '(unset)', meaning: 'the gateway\'s access token or API key' },
  { name: 'WATCHFLOOR_GATEWAY_BODY', default: '(preset\'s)', meaning: 'body template; {{to}} (phone or Zalo id), {{text}}, {{subject}}, {{id}} are filled as JSON string contents' },
];
