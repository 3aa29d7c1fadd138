import { setImmediate as nextTurn } from 'node:timers/promises';
import { AppError } from '@watchfloor/core';
import { MAX_RAW_CHARS, MAX_ROW_CHARS } from '../rows';
import { decodedText, type TextDecoding } from './encoding';
import type { FileSource } from './source';

const UTF8: TextDecoding = { encoding: 'utf-8', chosenBy: 'detected' };

/**
 * CSV as agencies produce it: saved from Excel (often with `;` where the
 * decimal comma is the habit), in UTF-8 with or without a BOM or in an
 * older encoding (see ./encoding), CRLF or LF,
 * quoted fields that may hold separators, quotes ("") and line breaks.
 */

/** A record of a table file: its cells and the line (1-based) it starts on. */
export interface TableRecord {
  line: number;
  cells: (string | number | Date | null)[];
  raw: string;
  /** A cell (or the whole row) was longer than allowed: its cells are not kept, and the row is refused as `row_too_long`. */
  tooLong?: boolean;
  /** XLSX: the cells (0-based) holding a formula saved without its result (read as null), refused as `formula_without_value`. */
  noValue?: readonly number[];
}

/**
 * The text of a file that must be UTF-8. A BOM is dropped; UTF-16 and
 * bytes that are not UTF-8 (Windows-1258, TCVN3 from old tools) are refused
 * with `unsupported_encoding`, since guessing would garble Vietnamese.
 */
export function decodeUtf8File(buffer: Uint8Array): string {
  if ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff)) {
    throw new AppError('unsupported_encoding', 'The file is UTF-16; save it as "CSV UTF-8" and send it again');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw new AppError('unsupported_encoding', 'The file is not UTF-8 (perhaps Windows-1258 or TCVN3); save it as "CSV UTF-8" and send it again');
  }
}

/** The separator of a CSV text: whichever of `,` `;` and tab occurs most in its first lines outside quotes. */
export function detectDelimiter(text: string): string {
  const head = text.slice(0, 64 * 1024).split('\n').slice(0, 20);
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  for (const line of head) {
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (!quoted && ch in counts) counts[ch] = (counts[ch] ?? 0) + 1;
    }
  }
  let best = ',';
  for (const [d, n] of Object.entries(counts)) if (n > (counts[best] ?? 0)) best = d;
  return best;
}


/** How much of an over-long row is kept to show where it was. */
const TOO_LONG_KEEP = 200;

const enum State {
  /** At the start of a cell, or inside an unquoted one. */
  Plain,
  /** Inside a quoted cell. */
  Quoted,
  /** Just read a quote inside a quoted cell: the end of the quotes, or the first of a doubled one. */
  QuoteSeen,
  /** Just read a CR outside quotes: a CRLF, or a CR that belongs to the cell. */
  CrSeen,
}

/**
 * CSV records from text that arrives in chunks. A small state machine with
 * no look-ahead, so a chunk may end anywhere (inside a quoted cell, between
 * the two quotes of a doubled one, between CR and LF). A cell longer than
 * `maxCellChars`, or a row longer than MAX_ROW_CHARS, is never held: the
 * row is marked `tooLong` with only its beginning kept, and skipped to its
 * end. Blank records are dropped; lines count the line breaks inside quotes.
 */
export class CsvTokenizer {
  private state = State.Plain;
  private cells: string[] = [];
  /** The current cell's text before the chunk being read. */
  private carry = '';
  private atCellStart = true;
  private rowChars = 0;
  private tooLong = false;
  private raw = '';
  private line = 1;
  private startLine = 1;
  private readonly d: number;

  constructor(
    delimiter: string,
    private readonly maxCellChars = MAX_ROW_CHARS,
  ) {
    this.d = delimiter.charCodeAt(0);
  }

  /** The records completed by this chunk. */
  push(text: string): TableRecord[] {
    const out: TableRecord[] = [];
    const n = text.length;
    // Where the current cell's and the current record's text start in this chunk.
    let seg = 0;
    let rawFrom = 0;
    const takeCell = (end: number): string => {
      // A CRLF split across chunks ends "before" this chunk: nothing of it is in the cell.
      const cell = this.carry + text.slice(seg, Math.max(seg, end));
      this.carry = '';
      return cell;
    };
    const endCell = (end: number) => {
      const cell = takeCell(end);
      this.rowChars += cell.length;
      if (cell.length > this.maxCellChars || this.rowChars > MAX_ROW_CHARS) this.markTooLong();
      if (!this.tooLong) this.cells.push(cell);
      this.atCellStart = true;
    };
    const endRecord = (end: number, next: number) => {
      endCell(end);
      if (this.raw.length <= MAX_RAW_CHARS) this.raw += text.slice(rawFrom, Math.max(rawFrom, end));
      const raw = this.tooLong ? `${this.raw.slice(0, TOO_LONG_KEEP)}…` : this.raw.replace(/\r$/, '');
      if (this.tooLong) out.push({ line: this.startLine, cells: [], raw, tooLong: true });
      else if (!this.cells.every((c) => c.trim() === '')) out.push({ line: this.startLine, cells: this.cells, raw });
      this.cells = [];
      this.raw = '';
      this.rowChars = 0;
      this.tooLong = false;
      this.line++;
      this.startLine = this.line;
      seg = next;
      rawFrom = next;
    };
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      switch (this.state) {
        case State.Quoted:
          if (c === 0x22) {
            this.carry += text.slice(seg, i);
            seg = i + 1;
            this.state = State.QuoteSeen;
          } else if (c === 0x0a) this.line++;
          continue;
        case State.QuoteSeen:
          if (c === 0x22) {
            // A doubled quote: one quote in the cell, still quoted.
            this.carry += '"';
            seg = i + 1;
            this.state = State.Quoted;
            continue;
          }
          this.state = State.Plain;
          break;
        case State.CrSeen:
          this.state = State.Plain;
          if (c === 0x0a) {
            // CRLF: the CR was held out of the cell; the record ends here.
            endRecord(i - 1, i + 1);
            continue;
          }
          this.carry += '\r';
          break;
        case State.Plain:
          break;
      }
      // Plain: outside quotes.
      if (c === 0x22 && this.atCellStart) {
        this.state = State.Quoted;
        this.atCellStart = false;
        seg = i + 1;
      } else if (c === this.d) {
        endCell(i);
        seg = i + 1;
      } else if (c === 0x0a) {
        endRecord(i, i + 1);
      } else if (c === 0x0d) {
        this.carry += text.slice(seg, i);
        seg = i + 1;
        this.state = State.CrSeen;
      } else this.atCellStart = false;
    }
    // The unfinished cell and record go on in the next chunk.
    if (this.state !== State.QuoteSeen && this.state !== State.CrSeen) this.carry += text.slice(seg, n);
    if (this.raw.length <= MAX_RAW_CHARS) this.raw += text.slice(rawFrom, n);
    if (this.carry.length > this.maxCellChars || this.rowChars + this.carry.length > MAX_ROW_CHARS) this.markTooLong();
    if (this.tooLong) this.carry = '';
    return out;
  }

  /** The last record, when the text does not end with a line break. */
  end(): TableRecord[] {
    if (this.state === State.CrSeen) this.carry += '\r';
    this.state = State.Plain;
    if (this.cells.length === 0 && this.carry === '' && this.raw === '' && !this.tooLong) return [];
    const out = this.push('\n');
    // The line break added above is not the file's.
    for (const r of out) r.raw = r.raw.replace(/\n$/, '');
    return out;
  }

  private markTooLong() {
    if (this.tooLong) return;
    this.tooLong = true;
    this.raw = this.raw.slice(0, TOO_LONG_KEEP);
    this.cells = [];
  }
}

/** The records of a CSV text, lazily, each with the line it starts on; blank lines are skipped. */
export function* csvRecords(text: string, delimiter = detectDelimiter(text)): Generator<TableRecord> {
  const t = new CsvTokenizer(delimiter);
  yield* t.push(text);
  yield* t.end();
}

/**
 * The text of a file as it streams, decoded as UTF-8 (a BOM dropped) and
 * normalised to NFC; bytes that are not UTF-8 are refused with
 * `unsupported_encoding`. Files in other encodings are read by `decodedText`.
 */
export function utf8Text(source: FileSource): AsyncGenerator<string> {
  return decodedText(source, UTF8);
}

/** Records between two turns of the event loop, so that other requests are answered while a large file is read. */
const TURN_EVERY = 2000;

/**
 * The records of a CSV file as it streams from its source, read in its
 * encoding (UTF-8 unless told), with the tokenizer's limits; the event
 * loop turns every few thousand records.
 */
export async function* csvFileRecords(source: FileSource, delimiter: string, maxCellChars: number, decoding: TextDecoding = UTF8): AsyncGenerator<TableRecord> {
  const t = new CsvTokenizer(delimiter, maxCellChars);
  let since = 0;
  for await (const chunk of decodedText(source, decoding)) {
    const records = t.push(chunk);
    yield* records;
    since += records.length;
    if (since >= TURN_EVERY) {
      since = 0;
      await nextTurn();
    }
  }
  yield* t.end();
}
