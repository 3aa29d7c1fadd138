import type { ReadRow } from './rows';

/**
 * A pull connector (HTTP pull, SQL pull): reads what is new since a cursor,
 * as rows that each carry the cursor just after them. The scheduler hands
 * the rows to the ingestion service, which commits them in batches and
 * records the last committed row's cursor as the run's checkpoint; the next
 * pull (or the retry after a crash) starts from that cursor. Since writes
 * are idempotent, reading a row twice is harmless; skipping one is not, so
 * a connector orders its rows by the cursor and never yields a row whose
 * cursor is not ≥ the one it started from.
 *
 * Failures of the peer are `AppError`s: `source_unreachable` (refused,
 * down), `source_timeout`, `source_bad_answer` (not JSON, wrong shape, SQL
 * error), `invalid_pull_config` (a mapping or query that cannot work).
 */
export interface PullConnector {
  read(cursor: string | null, signal: AbortSignal): AsyncIterable<ReadRow>;
  /** Releases connections (pools, clients). */
  close?(): Promise<void>;
}
