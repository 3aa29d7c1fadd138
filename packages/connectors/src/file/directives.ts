import ExcelJS from 'exceljs';
import { AppError, DIRECTIVE_FILE_COLUMNS, mapDirectiveHeadings, REQUIRED_DIRECTIVE_FIELDS, type DirectiveColumns, type DirectiveFileField, type FileEncoding } from '@watchfloor/core';
import { cutRaw, type ReadRow } from '../rows';
import type { TableRecord } from './csv';
import type { EncodingRead } from './encoding';
import { firstReadableSheet, openTableFile } from './read';
import { DEFAULT_FILE_LIMITS, type FileLimits, type FileSource } from './source';
import { tooLongRow, tooManyRows } from './table';

/**
 * A directive file as the e-office system exports it (CSV or XLSX): one row
 * per task under a header row of Vietnamese (or English) headings, title
 * rows above it allowed. Each row becomes the text of its fields — a date
 * cell written YYYY-MM-DD, a number as its digits — for the directive
 * write path, which reads the text into documents and names the column of
 * whatever it cannot read.
 */

const HEADER_SEARCH = 20;

type Cell = TableRecord['cells'][number];

const pad = (n: number) => String(n).padStart(2, '0');

/** A cell as text: a spreadsheet date as its calendar day (no zone: the day written), a number as written. */
function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return `${cell.getUTCFullYear()}-${pad(cell.getUTCMonth() + 1)}-${pad(cell.getUTCDate())}`;
  return String(cell).trim();
}

async function readDirectiveTable(records: () => AsyncIterable<TableRecord>, columns: DirectiveColumns, maxRows: number): Promise<{ headerLine: number; rows: AsyncIterable<ReadRow> }> {
  let header: { line: number; fields: (DirectiveFileField | null)[] } | null = null;
  let best: { cells: string[]; missing: DirectiveFileField[] } | null = null;
  let seen = 0;
  for await (const r of records()) {
    if (++seen > HEADER_SEARCH) break;
    const cells = r.cells.map(cellText);
    const fields = mapDirectiveHeadings(cells, columns);
    const missing = REQUIRED_DIRECTIVE_FIELDS.filter((f) => !fields.includes(f));
    if (missing.length === 0) {
      header = { line: r.line, fields };
      break;
    }
    if (!best || missing.length < best.missing.length) best = { cells, missing };
  }
  if (seen === 0) throw new AppError('empty_file', 'The file holds no rows');
  if (!header) {
    const missing = best?.missing ?? [...REQUIRED_DIRECTIVE_FIELDS];
    const headings = missing.map((f) => `“${DIRECTIVE_FILE_COLUMNS.find((c) => c.field === f)?.heading ?? f}”`);
    throw new AppError('missing_columns', `No header row names the directive columns ${headings.join(', ')}: rename them, or map the file’s own headings`, { missing, closestHeader: best?.cells ?? [] });
  }
  const { line: headerLine, fields } = header;
  const isData = (r: TableRecord) => r.line > headerLine && (r.tooLong === true || !r.cells.every((c) => cellText(c) === ''));
  let count = 0;
  for await (const r of records()) if (isData(r) && ++count > maxRows) throw tooManyRows(maxRows);
  async function* rows(): AsyncGenerator<ReadRow> {
    for await (const r of records()) {
      if (!isData(r)) continue;
      if (r.tooLong) {
        yield tooLongRow(r);
        continue;
      }
      const value: Partial<Record<DirectiveFileField, string>> = {};
      fields.forEach((field, i) => {
        if (field !== null) value[field] = cellText(r.cells[i] ?? null);
      });
      yield { line: r.line, raw: cutRaw(r.raw), value };
    }
  }
  return { headerLine, rows: { [Symbol.asyncIterator]: rows } };
}

/**
 * Reads a directive file (CSV in a known encoding, or XLSX, told by its
 * bytes) as a stream within the limits: the rows counted first, so a file
 * beyond them writes nothing; `columns` are the file's own headings.
 */
export async function readDirectiveFile(
  input: FileSource | Buffer,
  fileName: string,
  columns: DirectiveColumns = {},
  limits: FileLimits = DEFAULT_FILE_LIMITS,
  encoding: FileEncoding | null = null,
): Promise<{ format: 'csv' | 'xlsx'; headerLine: number; rows: AsyncIterable<ReadRow>; numberHabit: null; encoding: EncodingRead | null }> {
  const file = await openTableFile(input, fileName, limits, encoding);
  if (file.format === 'xlsx') return { ...(await firstReadableSheet(file.sheets, (records) => readDirectiveTable(records, columns, limits.maxRows))), format: 'xlsx', numberHabit: null, encoding: null };
  return { ...(await readDirectiveTable(file.records, columns, limits.maxRows)), format: 'csv', numberHabit: null, encoding: file.encoding };
}

/**
 * The XLSX template of a directive file: a sheet "Nhiệm vụ" with the
 * headings the upload reads (every cell text, so 01 and 10/2026 stay as
 * written), two example rows of one document, and a guide.
 */
export async function buildDirectiveTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Watchfloor';
  const sheet = wb.addWorksheet('Nhiệm vụ', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = DIRECTIVE_FILE_COLUMNS.map((c) => ({ header: c.heading, key: c.field, width: c.field === 'summary' || c.field === 'text' ? 48 : 20, style: { numFmt: '@' } }));
  const head = sheet.getRow(1);
  head.font = { bold: true };
  DIRECTIVE_FILE_COLUMNS.forEach((c, i) => {
    if (c.hint) head.getCell(i + 1).note = c.hint;
  });
  const example = Object.fromEntries(DIRECTIVE_FILE_COLUMNS.map((c) => [c.field, c.example]));
  sheet.addRow(example);
  sheet.addRow({ ...example, key: '2', text: 'Báo cáo tình hình thu ngân sách', lead: 'VL-STC', cooperating: '', deadline: 'Hằng tháng, ngày 25' });
  const guide = wb.addWorksheet('Hướng dẫn');
  guide.getColumn(1).width = 110;
  [
    'Mẫu nhập văn bản chỉ đạo và nhiệm vụ',
    '',
    'Mỗi nhiệm vụ một dòng; các thông tin của văn bản (số/ký hiệu, ngày ban hành, cơ quan ban hành, người ký, loại, trích yếu) lặp lại trên mỗi dòng của văn bản đó.',
    'Các dòng cùng Số/ký hiệu là một văn bản. Gửi lại tệp đã sửa: nhiệm vụ được cập nhật theo Mã nhiệm vụ, báo cáo đã có được giữ nguyên.',
    'Ngày ban hành, Hạn xử lý: dd/mm/yyyy. Hạn xử lý còn có thể là "Thường xuyên", "Hằng tháng, ngày 25", "Hằng quý, ngày 20", "Hằng năm, ngày 15/12".',
    'Đơn vị chủ trì, Đơn vị phối hợp: mã cơ quan (ví dụ VL-STC); nhiều đơn vị phối hợp cách nhau bởi dấu phẩy.',
    'Loại văn bản: Thông báo kết luận, Chỉ thị, Công văn, Kế hoạch; loại khác ghi là Khác.',
  ].forEach((line, i) => {
    guide.getCell(i + 1, 1).value = line;
  });
  guide.getRow(1).font = { bold: true, size: 14 };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
