import jsonata from 'jsonata';
import { AppError, fillTemplate, type Credentials, type HttpPullConfig } from '@watchfloor/core';
import { closeOutbound, connectFailure, guardedFetch, OutboundGuard, type OutboundResponse } from '../outbound/index';
import type { PullConnector } from '../pull';
import { cutRaw, type ReadRow } from '../rows';

/** Cursors longer than this are refused: they are stored with every batch. */
const MAX_CURSOR_CHARS = 2000;

interface Compiled {
  records: jsonata.Expression;
  nextCursor: jsonata.Expression | null;
  recordCursor: jsonata.Expression | null;
}

function compile(name: string, text: string): jsonata.Expression {
  try {
    return jsonata(text);
  } catch (e) {
    const err = e as Partial<jsonata.JsonataError>;
    const at = typeof err.position === 'number' ? ` at character ${err.position}` : '';
    throw new AppError('invalid_pull_config', `The ${name} expression is not valid JSONata${at}: ${err.message ?? String(e)}`, { field: name });
  }
}

/** Compiles the JSONata expressions of an HTTP pull: `invalid_pull_config` names the one that is wrong. Run when a source is saved. */
export function checkHttpPullConfig(config: HttpPullConfig): Compiled {
  return {
    records: compile('records', config.records),
    nextCursor: config.nextCursor === null ? null : compile('nextCursor', config.nextCursor),
    recordCursor: config.recordCursor === null ? null : compile('recordCursor', config.recordCursor),
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where a request went, for messages and logs: never the query, which may hold a key. */
const where = (url: URL): string => `${url.origin}${url.pathname}`;

async function evaluate(expr: jsonata.Expression, input: unknown, name: string): Promise<unknown> {
  try {
    return await expr.evaluate(input);
  } catch (e) {
    const err = e as Partial<jsonata.JsonataError>;
    throw new AppError('source_bad_answer', `The answer does not fit the ${name} expression: ${err.message ?? String(e)}`);
  }
}

/** A cursor as text; null when there is none. */
function cursorText(v: unknown, name: string): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'string') throw new AppError('source_bad_answer', `The ${name} expression gave ${Array.isArray(v) ? 'a list' : 'an object'}, not a cursor (text or a number)`);
  if (v.length > MAX_CURSOR_CHARS) throw new AppError('source_bad_answer', `The ${name} expression gave a cursor longer than ${MAX_CURSOR_CHARS} characters`);
  return v;
}

/** Redirects a pull follows, each judged by the outbound guard. */
const MAX_REDIRECTS = 5;

/** Whether a fetch failed because its connection could not open in time (undici's connect timeout). */
const connectTimedOut = (e: unknown): boolean => {
  const cause = e instanceof Error ? e.cause : undefined;
  return cause instanceof Error && 'code' in cause && cause.code === 'UND_ERR_CONNECT_TIMEOUT';
};

/**
 * A pull from another agency's JSON API. Each page is one request (with
 * the cursor in a query parameter, or wherever `{{cursor}}` stands); the
 * `records` expression turns the answer into records, `nextCursor` gives
 * the next page's cursor and `recordCursor` each record's own. Pages follow
 * each other until an empty page, no next cursor, a cursor that does not
 * move, or `maxPages`.
 *
 * Each row carries the cursor to resume from just after it: its record's
 * cursor, else the cursor that asked for its page (the page is read again,
 * which the idempotent write path makes harmless), and for the last row of
 * a page the next page's cursor.
 *
 * Every request goes through the outbound guard (`guard`; by default one
 * that allows public addresses only): inside addresses are refused with
 * `outbound_not_allowed`, on the first request and on every redirect.
 * Failures to connect have one wording (`source_unreachable`, "Could not
 * connect to …"), whatever the cause, which stays on the error's `cause`
 * for the server log; a connection that opened and then kept silent past
 * `timeoutMs` is `source_timeout`.
 */
export function httpPullConnector(config: HttpPullConfig, credentials: Credentials | null, guard: OutboundGuard = new OutboundGuard()): PullConnector {
  const expr = checkHttpPullConfig(config);
  const secrets = credentials ?? {};

  const request = (cursor: string | null): { url: URL; init: { method: 'GET' | 'POST'; headers: [string, string][]; body: string | undefined } } => {
    const values = { cursor: cursor ?? '', credentials: secrets };
    const fill = (text: string, encode?: (v: string) => string): string => {
      try {
        return fillTemplate(text, values, encode);
      } catch (e) {
        throw new AppError('invalid_pull_config', `The pull configuration names a ${(e as Error).message.replace(/ is not stored$/, '')} that the source's credentials do not hold`);
      }
    };
    let url: URL;
    try {
      url = new URL(fill(config.url, encodeURIComponent));
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw new AppError('invalid_pull_config', 'The pull URL is not a valid address once the cursor is filled in');
    }
    for (const [k, v] of Object.entries(config.query)) url.searchParams.append(k, fill(v));
    if (config.cursorParam !== null && cursor !== null) url.searchParams.set(config.cursorParam, cursor);
    const headers = new Headers({ accept: 'application/json' });
    for (const [k, v] of Object.entries(config.headers)) headers.set(k, fill(v));
    let body: string | undefined;
    if (config.method === 'POST') {
      // Placeholders stand inside the body's JSON strings: values are escaped for them.
      body = config.body === null ? '' : fill(config.body, (v) => JSON.stringify(v).slice(1, -1));
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    return { url, init: { method: config.method, headers: [...headers], body } };
  };

  /** One page's answer, parsed; the peer's failures as coded errors. */
  const fetchPage = async (cursor: string | null, signal: AbortSignal): Promise<unknown> => {
    const { url, init } = request(cursor);
    const timeout = AbortSignal.timeout(config.timeoutMs);
    const both = AbortSignal.any([signal, timeout]);
    // Set once the peer's answer began: a timeout before it may be a port that drops packets, worded like any failure to connect.
    let connected = false;
    const failed = (e: unknown, reading: boolean): AppError => {
      if (e instanceof AppError) return e;
      if (signal.aborted && !timeout.aborted) return signal.reason instanceof AppError ? signal.reason : new AppError('source_unreachable', `The pull from ${where(url)} was stopped`);
      if (!connected && (connectTimedOut(e) || timeout.aborted)) return connectFailure(url.origin, e);
      if (timeout.aborted) return new AppError('source_timeout', `${where(url)} did not answer within ${config.timeoutMs} ms`);
      if (reading) {
        const lost = new AppError('source_unreachable', `The connection to ${where(url)} was lost while reading its answer`);
        lost.cause = e;
        return lost;
      }
      return connectFailure(url.origin, e);
    };
    let res: OutboundResponse;
    try {
      res = await guardedFetch(guard, url, { ...init, signal: both, maxRedirects: MAX_REDIRECTS });
    } catch (e) {
      throw failed(e, false);
    }
    connected = true;
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new AppError('source_bad_answer', `${where(url)} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, { status: res.status });
    }
    const declared = Number(res.headers.get('content-length'));
    const tooLarge = () => new AppError('source_bad_answer', `The answer of ${where(url)} is larger than ${config.maxBytes} bytes (maxBytes)`);
    if (declared > config.maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      if (res.body) {
        for await (const chunk of res.body) {
          size += chunk.length;
          if (size > config.maxBytes) throw tooLarge();
          chunks.push(chunk);
        }
      }
    } catch (e) {
      await res.body?.cancel().catch(() => undefined);
      throw failed(e, true);
    }
    const text = new TextDecoder('utf-8').decode(Buffer.concat(chunks));
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new AppError('source_bad_answer', `The answer of ${where(url)} is not JSON (${size} bytes, content type ${res.headers.get('content-type') ?? 'not given'})`);
    }
  };

  return {
    async close() {
      await closeOutbound(guard);
    },
    async *read(start: string | null, signal: AbortSignal): AsyncGenerator<ReadRow> {
      let cursor = start ?? config.initialCursor;
      let line = 0;
      for (let page = 0; page < config.maxPages; page++) {
        const answer = await fetchPage(cursor, signal);
        const result = await evaluate(expr.records, answer, 'records');
        // JSONata gives a single match as the value itself, not a list of one.
        const records = result === undefined || result === null ? [] : Array.isArray(result) ? result : isPlainObject(result) ? [result] : null;
        if (records === null) throw new AppError('source_bad_answer', `The records expression gave ${typeof result}, not a list of records`);
        if (records.length === 0) return;
        const next = expr.nextCursor ? cursorText(await evaluate(expr.nextCursor, answer, 'nextCursor'), 'nextCursor') : null;
        const rows: ReadRow[] = [];
        let last = cursor;
        for (let i = 0; i < records.length; i++) {
          const record: unknown = records[i];
          line++;
          if (expr.recordCursor && isPlainObject(record)) last = cursorText(await evaluate(expr.recordCursor, record, 'recordCursor'), 'recordCursor') ?? last;
          else if (!expr.recordCursor && i === records.length - 1 && next !== null) last = next;
          const raw = cutRaw(JSON.stringify(record) ?? String(record));
          const row: ReadRow = isPlainObject(record)
            ? { line, raw, value: record }
            : { line, raw, value: record, problem: { reason: 'not_an_object', message: `Record ${line} is ${Array.isArray(record) ? 'a list' : typeof record}, not an object` } };
          if (last !== null) row.cursor = last;
          rows.push(row);
        }
        yield* rows;
        // With a nextCursor expression, its answer alone says whether a page follows; without one, the last record's cursor does.
        const advance = expr.nextCursor ? next : expr.recordCursor ? last : null;
        if (advance === null || advance === cursor) return;
        cursor = advance;
      }
    },
  };
}
