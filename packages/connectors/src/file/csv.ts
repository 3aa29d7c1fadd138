import { AppError } from '@watchfloor/core';

/**
 * CSV as agencies produce it: saved from Excel (often with `;` where the
 * decimal comma is the habit), UTF-8 with or without a BOM, CRLF or LF,
 * quoted fields that may hold separators, quotes ("") and line breaks.
 */

/** A record of a table file: its cells and the line (1-based) it starts on. */
export interface TableRecord {
  line: number;
  cells: (string | number | Date | null)[];
  raw: string;
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

/** The records of a CSV text, lazily, each with the line it starts on; blank lines are skipped. */
export function* csvRecords(text: string, delimiter = detectDelimiter(text)): Generator<TableRecord> {
  const d = delimiter.charCodeAt(0);
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = i;
    const startLine = line;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    let atCellStart = true;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (quoted) {
        if (c === 0x22) {
          if (text.charCodeAt(i + 1) === 0x22) {
            cell += '"';
            i++;
          } else quoted = false;
        } else {
          if (c === 0x0a) line++;
          cell += text[i];
        }
        continue;
      }
      if (c === 0x22 && atCellStart) {
        quoted = true;
        atCellStart = false;
      } else if (c === d) {
        cells.push(cell);
        cell = '';
        atCellStart = true;
      } else if (c === 0x0a) {
        break;
      } else if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) {
        // CR of a CRLF: the LF ends the record.
      } else {
        cell += text[i];
        atCellStart = false;
      }
    }
    cells.push(cell);
    const raw = text.slice(start, i).replace(/\r$/, '');
    i++; // past the LF
    line++;
    if (cells.every((c) => c.trim() === '')) continue;
    yield { line: startLine, cells, raw };
  }
}
