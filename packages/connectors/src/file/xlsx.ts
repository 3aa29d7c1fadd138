import { PassThrough, type Readable } from 'node:stream';
import { ExcelJS } from './exceljs-utf8';
import { XMLParser } from 'fast-xml-parser';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { AppError } from '@watchfloor/core';
import { MAX_ROW_CHARS } from '../rows';
import type { TableRecord } from './csv';
import type { FileLimits, FileSource } from './source';

/**
 * Worksheets read as table records, as streams. Cells keep their type:
 * numbers stay numbers (no separator to guess), dates stay dates; formulas
 * give their cached result; rich text and hyperlinks give their text.
 *
 * An XLSX file is a ZIP archive, and a small one can inflate to gigabytes.
 * Before anything is parsed, the archive's central directory is read with
 * yauzl: too many entries is `too_many_entries`, declared sizes adding up
 * beyond the limit `archive_too_large`, and every entry is then inflated
 * once and counted (yauzl stops an entry that inflates beyond what it
 * declares), so a lying archive is refused after at most the limit's worth
 * of work. exceljs's streaming reader then reads only the entries checked,
 * which are handed to it one by one from the checked directory (it reads a
 * ZIP front to back and would otherwise believe the local headers).
 */
/** A formula cell saved without its result (written by a program that does not calculate): there is no value to read. */
export const FORMULA_WITHOUT_VALUE: unique symbol = Symbol('formula without value');

function cellValue(v: unknown): string | number | Date | null | typeof FORMULA_WITHOUT_VALUE {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || v instanceof Date) return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    if ('result' in v) return v.result === undefined ? FORMULA_WITHOUT_VALUE : cellValue(v.result);
    if ('formula' in v || 'sharedFormula' in v) return FORMULA_WITHOUT_VALUE;
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((t: unknown) => (typeof t === 'object' && t !== null && 'text' in t ? String(t.text) : '')).join('');
    if ('text' in v) return cellValue(v.text);
    if ('error' in v) return String(v.error);
  }
  return String(v);
}

const notAWorkbook = (why = 'it is damaged, or another kind of file') => new AppError('not_a_spreadsheet', `The file is not an XLSX workbook (${why}); save it from Excel as .xlsx or as CSV UTF-8`);

/** A range of merged cells, 1-based rows and columns, inclusive. */
export interface CellRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** Merged ranges are kept only where headers sit: those starting in the first rows. */
const MERGE_ROWS = 50;
const MAX_MERGES = 2000;

/** The 1-based column of letters (A → 1, AA → 27). */
export const columnNumber = (letters: string): number => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

/** Finds the merged ranges (`<mergeCell ref="B4:C4"/>`) of a sheet's XML as it streams past, a chunk at a time. */
class MergeScanner {
  readonly ranges: CellRange[] = [];
  private tail = '';
  push(chunk: Buffer): void {
    if (this.ranges.length >= MAX_MERGES) return;
    const text = this.tail + chunk.toString('latin1');
    const re = /<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"/g;
    let last = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      last = re.lastIndex;
      const top = Number(m[2]);
      if (top <= MERGE_ROWS && this.ranges.length < MAX_MERGES) this.ranges.push({ top, left: columnNumber(m[1] ?? ''), bottom: Number(m[4]), right: columnNumber(m[3] ?? '') });
    }
    this.tail = text.slice(Math.max(last, text.length - 80));
  }
}

/** An XLSX workbook checked against the limits: its sheets in the workbook's order, each readable as records any number of times, with the merged ranges of its first rows. */
export interface XlsxBook {
  sheets: { name: string; records: () => AsyncIterable<TableRecord>; merges: readonly CellRange[] }[];
}

async function openZip(source: FileSource): Promise<ZipFile> {
  const options = { lazyEntries: true, validateEntrySizes: true, autoClose: false };
  try {
    if (source.buffer) return await yauzl.fromBufferPromise(source.buffer, options);
    if (source.path) return await yauzl.openPromise(source.path, options);
  } catch {
    throw notAWorkbook();
  }
  throw notAWorkbook();
}

/** Reads a whole stream, counting; refuses past `limit` bytes. */
async function drain(stream: Readable, onBytes: (n: number, chunk: Buffer) => void, keep: boolean): Promise<Buffer[]> {
  const kept: Buffer[] = [];
  for await (const chunk of stream) {
    const b: Buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    onBytes(b.length, b);
    if (keep) kept.push(b);
  }
  return kept;
}

const SMALL_PARTS = new Set(['xl/workbook.xml', 'xl/_rels/workbook.xml.rels']);

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true, isArray: (name) => name === 'sheet' || name === 'Relationship' });

const asRecord = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : {});
const asList = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.map(asRecord) : []);

/** The sheets of workbook.xml in order, each with the archive path of its part. */
function sheetParts(workbookXml: string, relsXml: string): { name: string; path: string }[] {
  const targets = new Map<string, string>();
  for (const r of asList(asRecord(asRecord(xml.parse(relsXml)).Relationships).Relationship)) {
    const target = String(r.Target ?? '');
    targets.set(String(r.Id ?? ''), target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const sheets = asList(asRecord(asRecord(asRecord(xml.parse(workbookXml)).workbook).sheets).sheet);
  return sheets.flatMap((s) => {
    const path = targets.get(String(s.id ?? ''));
    return path === undefined ? [] : [{ name: String(s.name ?? ''), path }];
  });
}

/** A ZIP local file header for an entry, as the central directory describes it (no data descriptor follows). */
function localHeader(e: Entry, name: string): Buffer {
  const fileName = Buffer.from(name, 'utf8');
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(0x0800, 6); // UTF-8 name, sizes given here
  h.writeUInt16LE(e.compressionMethod, 8);
  h.writeUInt16LE(e.lastModFileTime, 10);
  h.writeUInt16LE(e.lastModFileDate, 12);
  h.writeUInt32LE(e.crc32 >>> 0, 14);
  h.writeUInt32LE(e.compressedSize, 18);
  h.writeUInt32LE(e.uncompressedSize, 22);
  h.writeUInt16LE(fileName.length, 26);
  h.writeUInt16LE(0, 28);
  return Buffer.concat([h, fileName]);
}

/**
 * Opens an XLSX file within the limits. Throws `not_a_spreadsheet` when it
 * is not one, `too_many_entries` / `archive_too_large` beyond the limits.
 */
export async function openXlsx(source: FileSource, limits: FileLimits): Promise<XlsxBook> {
  const zip = await openZip(source);
  const entries = new Map<string, Entry>();
  const small = new Map<string, string>();
  const merges = new Map<string, CellRange[]>();
  try {
    if (zip.entryCount > limits.maxEntries) throw new AppError('too_many_entries', `The workbook holds ${zip.entryCount} parts, more than the ${limits.maxEntries} this server reads`, { limit: limits.maxEntries });
    let declared = 0;
    const tooLarge = () => new AppError('archive_too_large', `The workbook unpacks to more than ${limits.maxInflatedBytes} bytes, more than this server reads; split it into several files`, { limitBytes: limits.maxInflatedBytes });
    try {
      for await (const e of zip.eachEntry()) {
        declared += e.uncompressedSize;
        if (declared > limits.maxInflatedBytes) throw tooLarge();
        if (e.isEncrypted()) throw notAWorkbook('it is encrypted');
        entries.set(e.fileName, e);
      }
      // What each entry really inflates to: yauzl refuses an entry that inflates past its declared size.
      let inflated = 0;
      for (const e of entries.values()) {
        const stream = await zip.openReadStreamPromise(e);
        const scanner = e.fileName.startsWith('xl/worksheets/') && e.fileName.endsWith('.xml') ? new MergeScanner() : null;
        if (scanner) merges.set(e.fileName, scanner.ranges);
        const kept = await drain(stream, (n, chunk) => {
          scanner?.push(chunk);
          inflated += n;
          if (inflated > limits.maxInflatedBytes) {
            stream.destroy();
            throw tooLarge();
          }
        }, SMALL_PARTS.has(e.fileName));
        if (SMALL_PARTS.has(e.fileName)) small.set(e.fileName, Buffer.concat(kept).toString('utf8'));
        kept.length = 0;
      }
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw notAWorkbook();
    }
  } catch (e) {
    zip.close();
    throw e;
  }
  zip.close();
  const workbookXml = small.get('xl/workbook.xml');
  const relsXml = small.get('xl/_rels/workbook.xml.rels');
  if (workbookXml === undefined || relsXml === undefined) throw notAWorkbook();
  let parts: { name: string; path: string }[];
  try {
    parts = sheetParts(workbookXml, relsXml);
  } catch {
    throw notAWorkbook();
  }
  parts = parts.filter((p) => entries.has(p.path));
  if (parts.length === 0) throw new AppError('not_a_spreadsheet', 'The workbook has no worksheet');
  return { sheets: parts.map((p) => ({ name: p.name, records: () => sheetRecords(source, entries, p.path, limits.maxCellChars), merges: merges.get(p.path) ?? [] })) };
}

/** An end-of-central-directory record of no entries: what closes a ZIP archive. */
const END_OF_ARCHIVE = (() => {
  const b = Buffer.alloc(22);
  b.writeUInt32LE(0x06054b50, 0);
  return b;
})();

/**
 * The archive exceljs reads for one sheet: the workbook's relations, the
 * workbook, shared strings and styles first (so the sheet streams straight
 * through, with dates told by their style), then the sheet as sheet1.
 */
function sheetArchive(source: FileSource, entries: Map<string, Entry>, sheetPath: string): Readable {
  const out = new PassThrough();
  const order: [string, string][] = [
    ['xl/_rels/workbook.xml.rels', 'xl/_rels/workbook.xml.rels'],
    ['xl/workbook.xml', 'xl/workbook.xml'],
    ['xl/sharedStrings.xml', 'xl/sharedStrings.xml'],
    ['xl/styles.xml', 'xl/styles.xml'],
    [sheetPath, 'xl/worksheets/sheet1.xml'],
  ];
  void (async () => {
    const zip = await openZip(source);
    try {
      for (const [from, as] of order) {
        const e = entries.get(from);
        if (!e) continue;
        if (!out.write(localHeader(e, as))) await new Promise((r) => out.once('drain', r));
        // The stored bytes as they are: exceljs inflates them, and they were checked to inflate within the limit.
        const raw = await zip.openReadStreamPromise(e, { decodeFileData: false });
        for await (const chunk of raw) if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      }
      // The archive's end (an empty central directory): without it the ZIP parser, asking for the next record once the
      // input has ended, fails with FILE_ENDED, which a sheet read slowly (a large upload, written as it is read) meets.
      out.end(END_OF_ARCHIVE);
    } finally {
      zip.close();
    }
  })().catch((e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))));
  return out;
}

async function* sheetRecords(source: FileSource, entries: Map<string, Entry>, sheetPath: string, maxCellChars: number): AsyncGenerator<TableRecord> {
  const archive = sheetArchive(source, entries, sheetPath);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(archive, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  try {
    for await (const ws of reader) {
      for await (const row of ws) {
        const cells: TableRecord['cells'] = [];
        let noValue: number[] | undefined;
        let chars = 0;
        let tooLong = false;
        for (let c = 1; c <= row.cellCount; c++) {
          const v = cellValue(row.getCell(c).value);
          if (v === FORMULA_WITHOUT_VALUE) {
            (noValue ??= []).push(c - 1);
            cells.push(null);
            continue;
          }
          const n = typeof v === 'string' ? v.length : 0;
          chars += n;
          if (n > maxCellChars || chars > MAX_ROW_CHARS) tooLong = true;
          cells.push(v);
        }
        if (tooLong) {
          yield { line: row.number, cells: [], raw: `${cells.map((c) => (typeof c === 'string' ? c.slice(0, 50) : String(c))).join('\t').slice(0, 200)}…`, tooLong: true };
          continue;
        }
        if (!noValue && cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''))) continue;
        const raw = cells.map((c, i) => (noValue?.includes(i) ? '=?' : c === null ? '' : c instanceof Date ? c.toISOString() : String(c))).join('\t');
        yield noValue ? { line: row.number, cells, raw, noValue } : { line: row.number, cells, raw };
      }
    }
  } finally {
    archive.destroy();
  }
}
