import { AppError } from '@watchfloor/core';

/** What failed, in the words a person setting up the pull can act on; never a credential. */
export interface SqlFailure {
  /** Driver or server error code: SQLSTATE (PostgreSQL), ER_… / errno (MySQL), ECONNREFUSED … */
  code?: string | undefined;
  sqlState?: string | undefined;
  message: string;
}

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'PROTOCOL_CONNECTION_LOST', 'ERR_SOCKET_CLOSED']);
const TIMEOUTS = new Set(['ETIMEDOUT', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_STATEMENT_TIMEOUT', 'ER_QUERY_TIMEOUT']);
const AUTH = new Set(['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR', 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR', 'ER_HOST_NOT_PRIVILEGED', 'ER_HOST_IS_BLOCKED', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN']);
const READ_ONLY = new Set(['25006', 'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION']);

/** Whether the server answered and refused the login or the database named (a reached server, not a connection failure). */
export function isLoginRefusal(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const code = 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  const sqlState = 'sqlState' in e && typeof e.sqlState === 'string' ? e.sqlState : code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  return (code !== undefined && AUTH.has(code)) || sqlState?.startsWith('28') === true || sqlState === '3D000';
}

/** Removes every secret the connection was given from a message, whatever the driver put in it. */
export function scrub(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join('***');
  return out;
}

/**
 * A driver's error as a coded error: the peer cannot be reached or refuses
 * the login → `source_unreachable`; too slow → `source_timeout`; the query
 * itself is wrong (unknown table or column, syntax, a write) →
 * `invalid_pull_config` with the server's message; anything else the
 * server answers → `source_bad_answer`.
 */
export function sqlError(e: unknown, where: string, secrets: readonly string[]): AppError {
  if (e instanceof AppError) return e;
  const err = (e ?? {}) as { code?: unknown; sqlState?: unknown; errno?: unknown; message?: unknown };
  const code = typeof err.code === 'string' ? err.code : undefined;
  const sqlState = typeof err.sqlState === 'string' ? err.sqlState : code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  const message = scrub(typeof err.message === 'string' ? err.message : String(e), secrets);
  const lower = message.toLowerCase();
  const Where = where.charAt(0).toUpperCase() + where.slice(1);

  // MariaDB's max_statement_time (1969) and MySQL's max_execution_time (3024) come without a code name from the driver.
  const errno = typeof err.errno === 'number' ? err.errno : undefined;
  if ((code && TIMEOUTS.has(code)) || errno === 1969 || errno === 3024 || sqlState === '57014' || sqlState === '55P03' || (!sqlState && /timeout|timed out/.test(lower))) {
    return new AppError('source_timeout', `${Where} did not answer in time: ${message}`);
  }
  if (code && READ_ONLY.has(code)) {
    return new AppError('invalid_pull_config', `The query tries to change data on ${where}; a pull only reads: ${message}`);
  }
  if ((code && AUTH.has(code)) || sqlState?.startsWith('28') || sqlState === '3D000') {
    // The server's own message names the user; ours names nothing that was given in the credentials.
    const what = sqlState === '3D000' || code === 'ER_BAD_DB_ERROR' ? 'has no database of the name in the credentials' : 'refused the login (check the user and password in the credentials)';
    return new AppError('source_unreachable', `${Where} ${what}`);
  }
  if ((code && NETWORK.has(code)) || sqlState?.startsWith('08') || sqlState === '57P01' || sqlState === '57P03' || sqlState?.startsWith('53') || (!sqlState && /connection terminated|connection closed|socket/.test(lower))) {
    return new AppError('source_unreachable', `${Where} cannot be reached: ${message}`);
  }
  // Class 42: syntax, unknown table or column, permissions; 0A: a data-modifying CTE in a subquery; 22: a value the query cannot convert.
  if (sqlState && /^(42|0A|22|21|2F|38|39|P0)/.test(sqlState)) {
    return new AppError('invalid_pull_config', `The query failed on ${where}: ${message}`);
  }
  return new AppError('source_bad_answer', `${Where} answered with an error: ${message}`);
}
