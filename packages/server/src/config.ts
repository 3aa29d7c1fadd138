import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * All configuration, parsed once at start-up from the environment (and CLI
 * flags, which win). Nothing else in the server reads process.env. A bad
 * value stops start-up with a message naming the variable.
 */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  WATCHFLOOR_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  WATCHFLOOR_HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL (leave it unset for the embedded database)')
    .optional(),
  WATCHFLOOR_DATA_DIR: z.string().min(1).default('var'),
  WATCHFLOOR_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  WATCHFLOOR_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(1024 * 1024),
  WATCHFLOOR_DEMO_DATA: bool.default(true),
});

export interface Config {
  port: number;
  host: string;
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
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0])}=${JSON.stringify(merged[String(i.path[0])] ?? '')}: ${i.message}`));
  }
  const e = parsed.data;
  const dataDir = resolve(e.WATCHFLOOR_DATA_DIR);
  return {
    port: e.WATCHFLOOR_PORT,
    host: e.WATCHFLOOR_HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    sqlitePath: resolve(dataDir, 'watchfloor.sqlite'),
    logLevel: e.WATCHFLOOR_LOG_LEVEL,
    bodyLimitBytes: e.WATCHFLOOR_BODY_LIMIT_BYTES,
    demoData: e.WATCHFLOOR_DEMO_DATA,
  };
}

/** The variables, their defaults and meaning: printed by `watchfloor --help` and kept in the README. */
export const CONFIG_DOC: { name: string; default: string; meaning: string }[] = [
  { name: 'WATCHFLOOR_PORT', default: '8080', meaning: 'HTTP port' },
  { name: 'WATCHFLOOR_HOST', default: '0.0.0.0', meaning: 'address to listen on' },
  { name: 'DATABASE_URL', default: '(unset: embedded SQLite)', meaning: 'PostgreSQL URL, e.g. postgres://user@host:5432/watchfloor' },
  { name: 'WATCHFLOOR_DATA_DIR', default: 'var', meaning: 'folder for the embedded database and local state' },
  { name: 'WATCHFLOOR_LOG_LEVEL', default: 'info', meaning: LOG_LEVELS.join(' | ') },
  { name: 'WATCHFLOOR_BODY_LIMIT_BYTES', default: '1048576', meaning: 'largest request body accepted' },
  { name: 'WATCHFLOOR_DEMO_DATA', default: 'true', meaning: 'load the demo data set on an empty database' },
];
