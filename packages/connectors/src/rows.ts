import { AppError, type RejectionReason } from '@watchfloor/core';

/**
 * What every channel's reader yields: one row as received, with the line it
 * starts on, and either the value read from it or why it could not be read.
 * Rows that cannot be read become rejected rows of the run, not a failed
 * request: the rest of the body is still read.
 */
export interface ReadRow {
  /** 1-based line of the body or file where the row starts (the sheet row for XLSX). */
  line: number;
  /** The row's text as received, cut to MAX_RAW_CHARS. */
  raw: string;
  /** The row read, when it could be. */
  value?: unknown;
  problem?: RowProblem;
  /**
   * Pulls: the position just after this row (a cursor value, a timestamp, a
   * page token). Once the batch holding the row commits, the run's
   * checkpoint records it and the next pull starts from there.
   */
  cursor?: string;
}


export interface RowProblem {
  reason: RejectionReason;
  message: string;
}

/** Rows longer than this are refused (`row_too_long`): a body without line breaks must not fill the memory. */
export const MAX_ROW_CHARS = 1024 * 1024;
/** How much of a refused row is kept for people to read and fix. */
export const MAX_RAW_CHARS = 10_000;

export const cutRaw = (s: string): string => (s.length > MAX_RAW_CHARS ? `${s.slice(0, MAX_RAW_CHARS)}…` : s);

/**
 * The chunks of a body, refused with `body_too_large` once they exceed
 * `limit` bytes: the caller stops at that chunk, whatever the client declared.
 */
export async function* limitBytes(source: AsyncIterable<Buffer | string>, limit: number): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const chunk of source) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    seen += b.length;
    if (seen > limit) throw new AppError('body_too_large', `The body is larger than the ${limit} bytes this server accepts; send it in several requests`, { limitBytes: limit });
    yield b;
  }
}

/** UTF-8 text of a stream of chunks, a BOM dropped; anything that is not UTF-8 is refused with `unsupported_encoding`. */
export async function* decodeUtf8(source: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of source) {
      const text = decoder.decode(chunk, { stream: true });
      if (text) yield text;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch (e) {
    if (e instanceof TypeError) throw new AppError('unsupported_encoding', 'The body is not UTF-8 text; send it encoded as UTF-8');
    throw e;
  }
}
