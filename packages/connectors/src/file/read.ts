import { AppError, type FileEncoding, type SourceMapping } from '@watchfloor/core';
import { csvFileRecords, detectDelimiter, type TableRecord } from './csv';
import { openText, type EncodingRead } from './encoding';
import { bufferSource, DEFAULT_FILE_LIMITS, type FileLimits, type FileSource } from './source';
import { findPeriodIn } from './periods';
import { readSheetHead, readTable, type SheetHead, type TableOptions, type TableReading } from './table';
import { openXlsx, type CellRange } from './xlsx';

/**
 * The file channel's entry point: an uploaded CSV or XLSX file read into
 * rows for the write path. The kind is told by the bytes (an XLSX is a ZIP
 * archive), not trusted from the name; a file named .xlsx that is not one,
 * an old binary .xls, an empty file and text in no encoding it knows each
 * get their own coded error before anything is written. A CSV file's
 * encoding is declared or told from its bytes (./encoding). The file is read as a
 * stream, pass after pass, never whole.
 */
export type FileFormat = 'csv' | 'xlsx';

export interface FileReading extends TableReading {
  format: FileFormat;
  /** The worksheet read, for XLSX. */
  sheet: string | null;
  /** How a CSV file's text was read (null for XLSX). */
  encoding: EncodingRead | null;
}

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isOle = (b: Uint8Array) => b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

/** A table file's records, however it is stored: per sheet for XLSX (in the workbook's order), one table for CSV. */
export type TableFile =
  | { format: 'xlsx'; sheets: { name: string; records: () => AsyncIterable<TableRecord>; merges?: readonly CellRange[] }[] }
  | { format: 'csv'; records: () => AsyncIterable<TableRecord>; encoding: EncodingRead };

/**
 * Opens a CSV or XLSX file for reading, refusing what is not one (`empty_file`,
 * `not_a_spreadsheet`, `unsupported_encoding`, `encoding_mismatch` for a CSV
 * file not in the `encoding` declared) and what is beyond the limits of an
 * archive (`too_many_entries`, `archive_too_large`).
 */
export async function openTableFile(input: FileSource | Buffer, fileName: string, limits: FileLimits = DEFAULT_FILE_LIMITS, encoding: FileEncoding | null = null): Promise<TableFile> {
  const source = Buffer.isBuffer(input) ? bufferSource(input) : input;
  if (source.size === 0) throw new AppError('empty_file', 'The file is empty');
  if (isOle(source.head)) throw new AppError('not_a_spreadsheet', 'The file is an Excel 97–2003 workbook (.xls); save it as .xlsx or as CSV UTF-8');
  if (isZip(source.head)) return { format: 'xlsx', sheets: (await openXlsx(source, limits)).sheets };
  if (/\.(xlsx|xlsm|xls)$/i.test(fileName)) throw new AppError('not_a_spreadsheet', `${fileName} is not an Excel workbook, whatever its name; save it from Excel as .xlsx or as CSV UTF-8`);
  const text = await openText(source, encoding);
  if (text.head.trim() === '') throw new AppError('empty_file', 'The file holds no rows');
  const delimiter = detectDelimiter(text.head);
  return { format: 'csv', records: () => csvFileRecords(source, delimiter, limits.maxCellChars, text.decoding), encoding: text.read };
}

/**
 * Reads the first of a workbook's sheets that has a header row (the
 * template's "Số liệu" comes before its "Chỉ tiêu"); errors other than a
 * missing header or an empty sheet stop at once.
 */
export async function firstReadableSheet<T>(sheets: { name: string; records: () => AsyncIterable<TableRecord>; merges?: readonly CellRange[] }[], read: (records: () => AsyncIterable<TableRecord>, merges: readonly CellRange[]) => Promise<T>): Promise<T & { sheet: string }> {
  let firstError: unknown = null;
  for (const s of sheets) {
    try {
      return { ...(await read(s.records, s.merges ?? [])), sheet: s.name };
    } catch (e) {
      if (!(e instanceof AppError) || (e.code !== 'missing_columns' && e.code !== 'empty_file')) throw e;
      firstError ??= e;
    }
  }
  throw firstError ?? new AppError('empty_file', 'The workbook holds no rows');
}

export interface FileReadOptions extends TableOptions {
  /** The encoding a CSV file is declared in with the upload; else the source mapping's, else told from the file. */
  encoding?: FileEncoding | null;
}

/** Reads a file of observations (CSV or XLSX) into rows, within the limits. */
export async function readObservationFile(input: FileSource | Buffer, fileName: string, options: FileReadOptions, limits: FileLimits = DEFAULT_FILE_LIMITS): Promise<FileReading> {
  const file = await openTableFile(input, fileName, limits, options.encoding ?? options.mapping?.encoding ?? null);
  const named = { fileName, ...options };
  if (file.format === 'xlsx') return { ...(await firstReadableSheet(file.sheets, (records, merges) => readTable(records, { ...named, merges }, limits.maxRows))), format: 'xlsx', encoding: null };
  return { ...(await readTable(file.records, named, limits.maxRows)), format: 'csv', sheet: null, encoding: file.encoding };
}

/** The head of an uploaded file (its first sheet with rows, for XLSX), to build its mapping: see readSheetHead. */
export async function readFileHead(
  input: FileSource | Buffer,
  fileName: string,
  options: { mapping: SourceMapping | null; encoding?: FileEncoding | null; headerLine?: number | null },
  limits: FileLimits = DEFAULT_FILE_LIMITS,
): Promise<SheetHead & { format: FileFormat; sheet: string | null; encoding: EncodingRead | null; fileNamePeriod: string | null }> {
  const file = await openTableFile(input, fileName, limits, options.encoding ?? options.mapping?.encoding ?? null);
  const fileNamePeriod = findPeriodIn(fileName);
  if (file.format === 'csv') return { ...(await readSheetHead(file.records, options)), format: 'csv', sheet: null, encoding: file.encoding, fileNamePeriod };
  const head = await firstReadableSheet(file.sheets, (records, merges) => readSheetHead(records, { ...options, merges }));
  return { ...head, format: 'xlsx', encoding: null, fileNamePeriod };
}
