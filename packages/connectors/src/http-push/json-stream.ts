import { MAX_ROW_CHARS, cutRaw, type ReadRow } from '../rows';
import { MAX_JSON_DEPTH, scanJson } from './json-depth';

/**
 * Streaming readers for pushed bodies: NDJSON (one JSON object a line) and
 * JSON (an array of rows, or `{ "observations": [ … ] }`). Neither holds more
 * than one row in memory, so a body of any size within the limit is read in
 * constant memory, and a malformed row is reported with its line while the
 * rest are still read.
 */

const parseRow = (text: string, line: number): ReadRow => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { line, raw: cutRaw(text), problem: { reason: 'invalid_json', message: `Line ${line} is not valid JSON: ${e instanceof Error ? e.message : String(e)}` } };
  }
  // A row nested deeper than any row is refused here, before code that walks it recursively (validation, storage) overflows the stack.
  if (scanJson(value).tooDeep) {
    return { line, raw: cutRaw(text), problem: { reason: 'invalid_json', message: `Line ${line} nests more than ${MAX_JSON_DEPTH} levels deep` } };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { line, raw: cutRaw(text), value, problem: { reason: 'not_an_object', message: `Line ${line} is not a JSON object such as {"indicator": …, "place": …, "period": …, "value": …}` } };
  }
  return { line, raw: cutRaw(text), value };
};

const tooLong = (line: number, head: string): ReadRow => ({
  line,
  raw: `${head.slice(0, 200)}…`,
  problem: { reason: 'row_too_long', message: `The row at line ${line} is longer than ${MAX_ROW_CHARS} characters` },
});

/** Rows of an NDJSON body (blank lines skipped; CRLF accepted). */
export async function* readNdjson(text: AsyncIterable<string>): AsyncGenerator<ReadRow> {
  let pending = '';
  let line = 1;
  let overflow = false;
  for await (const chunk of text) {
    let from = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', from)) {
      const piece = chunk.slice(from, nl);
      from = nl + 1;
      if (overflow) {
        yield tooLong(line, pending);
        overflow = false;
      } else {
        const row = (pending + piece).replace(/\r$/, '');
        if (row.trim() !== '') yield row.length > MAX_ROW_CHARS ? tooLong(line, row) : parseRow(row, line);
      }
      pending = '';
      line++;
    }
    if (overflow) continue;
    pending += chunk.slice(from);
    // A row longer than the limit keeps its beginning only, and is skipped to its end.
    if (pending.length > MAX_ROW_CHARS) {
      pending = pending.slice(0, 200);
      overflow = true;
    }
  }
  if (overflow) yield tooLong(line, pending);
  else if (pending.trim() !== '') yield pending.length > MAX_ROW_CHARS ? tooLong(line, pending) : parseRow(pending.replace(/\r$/, ''), line);
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Rows of a JSON body: a top-level array, or an object whose `observations`
 * member is the array (other members are ignored). Each element is cut out
 * by tracking brackets and strings, then parsed on its own; an element that
 * does not parse is an `invalid_json` row. When the structure itself breaks
 * (an unterminated string, a bracket that does not match, a truncated body),
 * what follows cannot be delimited: one `invalid_json` row says so and
 * reading stops, the rows before it kept.
 */
export async function* readJsonArray(text: AsyncIterable<string>): AsyncGenerator<ReadRow> {
  const stack: number[] = [];
  let inString = false;
  let escape = false;
  let line = 1;
  let root: 'none' | 'array' | 'object' | 'done' = 'none';
  let rowsDepth = -1;
  let rowsSeen = false;
  // The key of the member being read in a root object.
  let keyBuf = '';
  let capturingKey = false;
  let currentKey = '';
  // The element being cut out.
  let parts: string[] = [];
  let partsLength = 0;
  let elementStart = -1;
  let elementLine = 0;
  let elementTooLong = false;

  const broken = (message: string): ReadRow => ({
    line,
    raw: '',
    problem: { reason: 'invalid_json', message: `The body is not valid JSON at line ${line}: ${message}; the rows after it were not read` },
  });

  for await (const chunk of text) {
    const finishElement = (end: number): ReadRow => {
      const body = elementTooLong ? parts.join('') : parts.join('') + chunk.slice(Math.max(elementStart, 0), end);
      const row = elementTooLong ? tooLong(elementLine, body) : parseRow(body.trim(), elementLine);
      parts = [];
      partsLength = 0;
      elementStart = -1;
      elementLine = 0;
      elementTooLong = false;
      return row;
    };
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 0x0a) line++;
      if (inString) {
        if (escape) escape = false;
        else if (c === 0x5c) escape = true;
        else if (c === 0x22) {
          inString = false;
          if (capturingKey) capturingKey = false;
          continue;
        }
        if (capturingKey) keyBuf += chunk[i];
        continue;
      }
      if (root === 'done') {
        if (!WS.has(c)) {
          yield broken('unexpected text after the end of the body');
          return;
        }
        continue;
      }
      if (root === 'none') {
        if (WS.has(c)) continue;
        if (c === 0x5b) {
          root = 'array';
          stack.push(c);
          rowsDepth = 1;
          rowsSeen = true;
          continue;
        }
        if (c === 0x7b) {
          root = 'object';
          stack.push(c);
          continue;
        }
        yield broken('the body must be a JSON array of rows or an object with an "observations" array');
        return;
      }
      const inRows = rowsDepth !== -1 && stack.length === rowsDepth;
      // Between elements of the rows array.
      if (inRows && elementLine === 0) {
        if (WS.has(c) || c === 0x2c) continue;
        if (c === 0x5d) {
          stack.pop();
          rowsDepth = -1;
          if (stack.length === 0) root = 'done';
          continue;
        }
        elementStart = i;
        elementLine = line;
      }
      if (inRows && (c === 0x2c || c === 0x5d)) {
        yield finishElement(i);
        if (c === 0x5d) {
          stack.pop();
          rowsDepth = -1;
          if (stack.length === 0) root = 'done';
        }
        continue;
      }
      switch (c) {
        case 0x22:
          inString = true;
          if (root === 'object' && stack.length === 1) {
            capturingKey = true;
            keyBuf = '';
          }
          break;
        case 0x3a:
          if (root === 'object' && stack.length === 1) currentKey = keyBuf;
          break;
        case 0x2c:
          if (root === 'object' && stack.length === 1) currentKey = '';
          break;
        case 0x5b:
        case 0x7b:
          stack.push(c);
          if (c === 0x5b && root === 'object' && stack.length === 2 && currentKey === 'observations' && !rowsSeen) {
            rowsDepth = 2;
            rowsSeen = true;
          }
          break;
        case 0x5d:
        case 0x7d: {
          const open = stack.pop();
          if (open !== (c === 0x5d ? 0x5b : 0x7b)) {
            yield broken(`"${chunk[i]}" does not close what was opened`);
            return;
          }
          if (stack.length === 0) {
            root = 'done';
            if (!rowsSeen) {
              yield broken('the object has no "observations" array');
              return;
            }
          }
          break;
        }
      }
    }
    // Keep the unfinished element for the next chunk (or only its beginning, once it is too long).
    if (elementLine !== 0) {
      if (!elementTooLong) {
        const piece = chunk.slice(Math.max(elementStart, 0));
        parts.push(piece);
        partsLength += piece.length;
        if (partsLength > MAX_ROW_CHARS) {
          parts = [parts.join('').slice(0, 200)];
          elementTooLong = true;
        }
      }
      elementStart = 0;
    }
  }
  if (inString) yield broken('a string is not terminated');
  else if (root === 'none') return;
  else if (root !== 'done') yield broken('the body ends before the array is closed');
}
