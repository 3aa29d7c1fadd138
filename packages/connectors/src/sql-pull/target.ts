import { parse as parsePgUrl } from 'pg-connection-string';
import { AppError, outboundRefusal } from '@watchfloor/core';
import type { ConnectionParts } from './session';

/**
 * Where a SQL pull connects and as whom, read from the source's credentials
 * (a URL wins over the separate fields, as the drivers do). Only these
 * settings are taken: a URL's other parameters could make the driver read
 * files on this server (sslcert, sslkey, sslrootcert) or connect through a
 * local socket (host=/var/run/postgresql, socketPath), past the outbound
 * guard, so they are refused.
 */
export interface SqlTarget {
  /** The host as written (a name or an address): what the guard judges and TLS verifies. */
  host: string;
  port: number;
  user?: string;
  password?: string;
  database?: string;
  /** TLS: false (none) or its settings (sslmode, ssl=true, or ssl={…} for MySQL). */
  ssl: false | SqlTls;
}

/** The TLS settings a pull takes from a URL: whether to verify the server's certificate, and a CA given inline. */
export interface SqlTls {
  rejectUnauthorized?: boolean;
  ca?: string;
}

/** TLS settings from what a driver's URL parser made of the parameters: true or an object turns TLS on. */
function tlsOf(value: unknown): false | SqlTls {
  if (value === true) return {};
  if (typeof value !== 'object' || value === null) return false;
  const tls: SqlTls = {};
  if ('rejectUnauthorized' in value && typeof value.rejectUnauthorized === 'boolean') tls.rejectUnauthorized = value.rejectUnauthorized;
  if ('ca' in value && typeof value.ca === 'string') tls.ca = value.ca;
  return tls;
}

const FILE_PARAMS = ['sslcert', 'sslkey', 'sslrootcert', 'sslcrl', 'passfile', 'service', 'servicefile'];
const MYSQL_PARAMS = new Set(['ssl']);

function localSocket(host: string): AppError {
  return outboundRefusal(host, 'a local socket is not a network destination');
}

/** The PostgreSQL target of a pull's credentials. */
export function postgresTarget(parts: ConnectionParts): SqlTarget {
  let fromUrl: Partial<SqlTarget> = {};
  if (parts.url) {
    const url = new URL(parts.url);
    const named = FILE_PARAMS.filter((p) => url.searchParams.has(p));
    if (named.length > 0) throw new AppError('invalid_pull_config', `The url in the credentials names ${named.join(', ')}: files on the Watchfloor server are not read for a pull`);
    const parsed = parsePgUrl(parts.url);
    fromUrl = {
      host: parsed.host ?? undefined,
      port: parsed.port ? Number(parsed.port) : undefined,
      user: parsed.user,
      password: parsed.password,
      database: parsed.database ?? undefined,
      ssl: parsed.ssl === undefined ? undefined : tlsOf(parsed.ssl),
    };
  }
  const host = fromUrl.host || parts.host || 'localhost';
  if (host.startsWith('/') || host.startsWith('@')) throw localSocket(host);
  const port = fromUrl.port ?? parts.port ?? 5432;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new AppError('invalid_pull_config', `The port in the credentials (${port}) is not a port number`);
  return {
    host,
    port,
    user: fromUrl.user ?? parts.user,
    password: fromUrl.password ?? parts.password,
    database: fromUrl.database ?? parts.database,
    ssl: fromUrl.ssl ?? false,
  };
}

/** The MySQL / MariaDB target of a pull's credentials (`?ssl=true` or `?ssl={"rejectUnauthorized":true}` is the one parameter a URL may carry). */
export function mysqlTarget(parts: ConnectionParts): SqlTarget {
  let fromUrl: Partial<SqlTarget> = {};
  if (parts.url) {
    const url = new URL(parts.url.replace(/^mariadb:/, 'mysql:'));
    const unknown = [...url.searchParams.keys()].filter((k) => !MYSQL_PARAMS.has(k));
    if (unknown.length > 0) throw new AppError('invalid_pull_config', `The url in the credentials has parameters a pull does not take: ${unknown.join(', ')} (only ssl)`);
    let ssl: false | SqlTls | undefined;
    const sslParam = url.searchParams.get('ssl');
    if (sslParam !== null) {
      let value: unknown;
      try {
        value = JSON.parse(sslParam);
      } catch {
        value = sslParam;
      }
      ssl = tlsOf(value);
    }
    fromUrl = {
      host: url.hostname === '' ? undefined : url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? undefined : Number(url.port),
      user: url.username === '' ? undefined : decodeURIComponent(url.username),
      password: url.password === '' ? undefined : decodeURIComponent(url.password),
      database: url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined,
      ssl,
    };
  }
  const host = fromUrl.host ?? parts.host ?? 'localhost';
  if (host.startsWith('/')) throw localSocket(host);
  return {
    host,
    port: fromUrl.port ?? parts.port ?? 3306,
    user: fromUrl.user ?? parts.user,
    password: fromUrl.password ?? parts.password,
    database: fromUrl.database ?? parts.database,
    ssl: fromUrl.ssl ?? false,
  };
}
