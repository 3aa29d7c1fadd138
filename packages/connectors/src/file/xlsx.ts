import ExcelJS from 'exceljs';
import { AppError } from '@watchfloor/core';
import type { TableRecord } from './csv';

/**
 * Worksheets read as table records. Cells keep their type: numbers stay
 * numbers (no separator to guess), dates stay dates; formulas give their
 * cached result; rich text and hyperlinks give their text.
 */
function cellValue(v: unknown): string | number | Date | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || v instanceof Date) return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    if ('result' in v) return cellValue(v.result);
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((t: unknown) => (typeof t === 'object' && t !== null && 'text' in t ? String(t.text) : '')).join('');
    if ('text' in v) return cellValue(v.text);
    if ('error' in v) return String(v.error);
  }
  return String(v);
}

/** The worksheets of an XLSX file, each as its records (rows numbered as in the sheet). Throws `not_a_spreadsheet` when it is not one. */
export async function xlsxSheets(buffer: Uint8Array): Promise<{ name: string; records: TableRecord[] }[]> {
  const wb = new ExcelJS.Workbook();
  try {
    // A copy as a plain ArrayBuffer, the type exceljs declares.
    await wb.xlsx.load(new Uint8Array(buffer).buffer);
  } catch {
    throw new AppError('not_a_spreadsheet', 'The file is not an XLSX workbook (it is damaged, or another kind of file); save it from Excel as .xlsx or as CSV UTF-8');
  }
  if (wb.worksheets.length === 0) throw new AppError('not_a_spreadsheet', 'The workbook has no worksheet');
  return wb.worksheets.map((ws) => {
    const records: TableRecord[] = [];
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: TableRecord['cells'] = [];
      for (let c = 1; c <= row.cellCount; c++) cells.push(cellValue(row.getCell(c).value));
      if (cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''))) return;
      records.push({ line: rowNumber, cells, raw: cells.map((c) => (c === null ? '' : c instanceof Date ? c.toISOString() : String(c))).join('\t') });
    });
    return { name: ws.name, records };
  });
}
