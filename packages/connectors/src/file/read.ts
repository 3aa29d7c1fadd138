import { AppError } from '@watchfloor/core';
import { csvRecords, decodeUtf8File, detectDelimiter } from './csv';
import { readTable, type TableOptions, type TableReading } from './table';
import { xlsxSheets } from './xlsx';

/**
 * The file channel's entry point: an uploaded CSV or XLSX file read into
 * rows for the write path. The kind is told by the bytes (an XLSX is a ZIP
 * archive), not trusted from the name; a file named .xlsx that is not one,
 * an old binary .xls, an empty file and text that is not UTF-8 each get
 * their own coded error before anything is written.
 */
export type FileFormat = 'csv' | 'xlsx';

export interface FileReading extends TableReading {
  format: FileFormat;
  /** The worksheet read, for XLSX. */
  sheet: string | null;
}

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isOle = (b: Uint8Array) => b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

export async function readObservationFile(buffer: Buffer, fileName: string, options: TableOptions): Promise<FileReading> {
  if (buffer.length === 0) throw new AppError('empty_file', 'The file is empty');
  const name = fileName.toLowerCase();
  if (isOle(buffer)) throw new AppError('not_a_spreadsheet', 'The file is an Excel 97–2003 workbook (.xls); save it as .xlsx or as CSV UTF-8');
  if (isZip(buffer)) {
    const sheets = await xlsxSheets(buffer);
    let firstError: unknown = null;
    // The first sheet with a header row: the template's "Số liệu" comes before its "Chỉ tiêu".
    for (const s of sheets) {
      try {
        return { ...readTable(() => s.records, options), format: 'xlsx', sheet: s.name };
      } catch (e) {
        if (!(e instanceof AppError) || (e.code !== 'missing_columns' && e.code !== 'empty_file')) throw e;
        firstError ??= e;
      }
    }
    throw firstError ?? new AppError('empty_file', 'The workbook holds no rows');
  }
  if (/\.(xlsx|xlsm|xls)$/.test(name)) throw new AppError('not_a_spreadsheet', `${fileName} is not an Excel workbook, whatever its name; save it from Excel as .xlsx or as CSV UTF-8`);
  const text = decodeUtf8File(buffer);
  if (text.trim() === '') throw new AppError('empty_file', 'The file holds no rows');
  const delimiter = detectDelimiter(text);
  return { ...readTable(() => csvRecords(text, delimiter), options), format: 'csv', sheet: null };
}
