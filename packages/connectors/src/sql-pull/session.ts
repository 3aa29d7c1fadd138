import type { SqlColumn, SqlRow } from './values';

/** One connection to the agency's database, as the pull's paging sees it. */
export interface SqlSession {
  /** Starts the read-only transaction every query of a read runs in (one snapshot). */
  begin(): Promise<void>;
  /** Ends it; it never wrote anything, so it is rolled back. */
  end(): Promise<void>;
  /** The query's columns, without reading its rows. */
  columns(): Promise<SqlColumn[]>;
  /** Rows whose cursor is after `after` (every row with a cursor when null), in cursor order, at most `limit`. */
  page(cursor: SqlColumn, after: string | null, limit: number): Promise<SqlRow[]>;
  /** Rows whose cursor equals `value`, at most `limit`. */
  tied(cursor: SqlColumn, value: string, limit: number): Promise<SqlRow[]>;
  close(): Promise<void>;
  /** Stops a query under way by dropping the connection. */
  destroy(): void;
}

/** The user's SELECT as a derived table. A newline before the closing parenthesis, so a trailing `-- comment` cannot swallow it. */
export function wrap(query: string): string {
  return `select * from (\n${query.trim().replace(/[\s;]+$/, '')}\n) wf_pull`;
}

/** Connection settings from a source's credentials: a URL, or its parts. */
export interface ConnectionParts {
  url?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
}
