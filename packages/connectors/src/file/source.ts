import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '@watchfloor/core';

/**
 * An uploaded file as the readers see it: its size, its first bytes (which
 * tell its kind) and a way to read it again from the start. Readers make
 * several passes (header, number habit, rows), each a fresh stream, so a
 * file of any size is read in constant memory. An upload is spooled to a
 * temporary file first; tests and small callers hand over a buffer.
 */
export interface FileSource {
  /** Bytes in the file. */
  size: number;
  /** The first bytes (up to 8): what the file is. */
  head: Buffer;
  /** A fresh stream of the whole file. */
  stream(): Readable;
  /** The file on disk, when it is one (the ZIP reader opens it by path); null for a buffer. */
  path: string | null;
  /** The bytes, when the source is a buffer; null for a file. */
  buffer: Buffer | null;
}

/** The limits the file readers refuse beyond, each with its own code, before the memory is spent. */
export interface FileLimits {
  /** Data rows in a file or sheet (`too_many_rows`). */
  maxRows: number;
  /** Characters in one cell: a row holding a longer one is a rejected row (`row_too_long`), its cell never kept whole. */
  maxCellChars: number;
  /** Bytes an XLSX file may inflate to, all entries together (`archive_too_large`). */
  maxInflatedBytes: number;
  /** Entries in an XLSX file (`too_many_entries`). */
  maxEntries: number;
}

/** Defaults: Excel's own cell limit (32,767 characters); two million rows; 100 MiB inflated; 1,000 entries. */
export const DEFAULT_FILE_LIMITS: FileLimits = { maxRows: 2_000_000, maxCellChars: 32_767, maxInflatedBytes: 100 * 1024 * 1024, maxEntries: 1000 };

/** A buffer as a file source. */
export function bufferSource(buffer: Buffer): FileSource {
  return { size: buffer.length, head: buffer.subarray(0, 8), stream: () => Readable.from([buffer]), path: null, buffer };
}

/** A spooled upload: a file source that must be disposed of once read. */
export interface SpooledFile extends FileSource {
  dispose(): Promise<void>;
}

/**
 * Writes a stream (an uploaded file) to a temporary file as it arrives,
 * refusing it with `file_too_large` as soon as it passes `limitBytes`, so
 * the server holds at most one chunk of it in memory. The caller disposes
 * of the file (also when reading it fails).
 */
export async function spoolToFile(input: Readable, limitBytes: number): Promise<SpooledFile> {
  const dir = await mkdtemp(join(tmpdir(), 'watchfloor-upload-'));
  const path = join(dir, 'file');
  const dispose = () => rm(dir, { recursive: true, force: true });
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > limitBytes) done(new AppError('file_too_large', `The file is larger than the ${limitBytes} bytes this server accepts; split it into several files`, { limitBytes }));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(input, count, createWriteStream(path, { mode: 0o600 }));
    const head = Buffer.alloc(Math.min(8, size));
    const fh = await open(path, 'r');
    try {
      await fh.read(head, 0, head.length, 0);
    } finally {
      await fh.close();
    }
    return { size, head, stream: () => createReadStream(path), path, buffer: null, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}
