import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';

/**
 * exceljs's streaming reader (4.4.0) turns each piece the archive inflates
 * (16 KiB) into text on its own, so a letter whose UTF-8 bytes fall across
 * two pieces comes out as "��": in a Vietnamese sheet, about one name in a
 * thousand ("Nguy���t Hóa"). Reported upstream (exceljs issues 2063, 2084,
 * 2316; pull requests 1665, 1821, 2213), not fixed in a release.
 *
 * Here the reader is given the sheet and the shared strings as text decoded
 * across pieces (a StringDecoder keeps a letter's first bytes until the rest
 * arrive); exceljs passes text through untouched. Applied once, on import,
 * to the WorkbookReader every XLSX upload reads with.
 */

async function* decoded(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

interface ReaderInternals {
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown>;
}

const PATCHED = Symbol.for('watchfloor.exceljs.utf8');
const proto = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as ReaderInternals & { [PATCHED]?: true };
if (!proto[PATCHED]) {
  const parseWorksheet = proto._parseWorksheet;
  const parseSharedStrings = proto._parseSharedStrings;
  if (typeof parseWorksheet !== 'function' || typeof parseSharedStrings !== 'function') {
    throw new Error('exceljs changed: WorkbookReader has no _parseWorksheet or _parseSharedStrings; check whether it now decodes UTF-8 across pieces, and drop or adapt exceljs-utf8.ts');
  }
  proto._parseWorksheet = function (this: ReaderInternals, iterator, sheetNo) {
    return parseWorksheet.call(this, decoded(iterator), sheetNo);
  };
  proto._parseSharedStrings = function (this: ReaderInternals, entry) {
    entry.setEncoding('utf8');
    return parseSharedStrings.call(this, entry);
  };
  proto[PATCHED] = true;
}

export { ExcelJS };
