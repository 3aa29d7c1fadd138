import { AppError, type NumberStyle, type ObservationField, type SourceMapping } from '@watchfloor/core';
import { cutRaw, type ReadRow } from '../rows';
import type { TableRecord } from './csv';
import { foldText, mapHeaders } from './headers';
import { numberHabitOf, parseNumber, type NumberHabit } from './numbers';
import { periodKeyOf } from './periods';

/**
 * A table of observations (a CSV file or a worksheet) read into rows for
 * the write path: the header row found among the first rows (title rows
 * above it are common in Vietnamese reports), each column mapped to a field
 * by its header, numbers read with the file's habit, periods written the
 * Vietnamese way turned into period keys. A row whose value cannot be read
 * is a rejected row with its line; the others go on to be validated.
 */
export interface TableOptions {
  /** How numbers are written; `auto` detects it from the file. */
  numbers: NumberStyle;
  mapping: SourceMapping | null;
}

export interface TableReading {
  numberHabit: NumberHabit | null;
  headerLine: number;
  /** Each column's header and the field it was read as (null: ignored). */
  columns: { header: string; field: ObservationField | null }[];
  /** Data rows after the header (excluding blank ones). */
  rowCount: number;
  /** The data rows, read afresh (from the file) on each iteration. */
  rows: AsyncIterable<ReadRow>;
}

/** Rows searched for the header. */
const HEADER_SEARCH = 20;

const REQUIRED: readonly ObservationField[] = ['indicator', 'place', 'period', 'value'];

const STATUS_WORDS: Record<string, string> = {
  'chinh thuc': 'final',
  'so bo': 'provisional',
  'tam tinh': 'provisional',
  'uoc tinh': 'estimated',
  uoc: 'estimated',
  'uoc thuc hien': 'estimated',
};

type Cell = TableRecord['cells'][number];

const textOf = (c: Cell | undefined): string => (c === null || c === undefined ? '' : c instanceof Date ? c.toISOString().slice(0, 10) : String(c).trim());

/** The data rows of a table beyond `maxRows` are refused as a whole, before any is written. */
export function tooManyRows(maxRows: number): AppError {
  return new AppError('too_many_rows', `The file holds more than ${maxRows} rows, more than this server reads at once; split it into several files`, { limit: maxRows });
}

/**
 * Reads a table. `records` is called once per pass (header and number
 * habit first, then the rows), each pass a fresh stream of the file, so a
 * large file is never held. Throws `missing_columns` when no header row
 * names the required fields, `empty_file` when there is no data row and
 * `too_many_rows` beyond `maxRows` (counted before anything is written).
 */
export async function readTable(records: () => AsyncIterable<TableRecord>, options: TableOptions, maxRows = Number.POSITIVE_INFINITY): Promise<TableReading> {
  const defaults = options.mapping?.defaults ?? {};
  const required = REQUIRED.filter((f) => !((f === 'indicator' && defaults.indicator) || (f === 'place' && defaults.place)));
  let header: { line: number; fields: (ObservationField | null)[]; cells: string[] } | null = null;
  let best: { cells: string[]; missing: ObservationField[] } | null = null;
  let seen = 0;
  for await (const r of records()) {
    if (++seen > HEADER_SEARCH) break;
    const cells = r.cells.map(textOf);
    const fields = mapHeaders(cells, options.mapping?.columns);
    const missing = required.filter((f) => !fields.includes(f));
    if (missing.length === 0) {
      header = { line: r.line, fields, cells };
      break;
    }
    if (!best || missing.length < best.missing.length) best = { cells, missing };
  }
  if (seen === 0) throw new AppError('empty_file', 'The file holds no rows');
  if (!header) {
    throw new AppError('missing_columns', `No header row names the columns ${(best?.missing ?? required).join(', ')} (e.g. "Mã chỉ tiêu", "Mã đơn vị", "Kỳ", "Giá trị")`, {
      missing: best?.missing ?? required,
      closestHeader: best?.cells ?? [],
    });
  }
  const { fields, line: headerLine } = header;
  const valueColumn = fields.indexOf('value');

  // First pass: count the data rows and learn how the file writes numbers.
  const fixed = options.numbers !== 'auto' ? options.numbers : options.mapping?.numbers && options.mapping.numbers !== 'auto' ? options.mapping.numbers : null;
  let rowCount = 0;
  // The habit is counted as the rows pass (what detectNumberHabit does over all values), holding none of them.
  const habits = { vi: 0, en: 0 };
  for await (const r of records()) {
    if (r.line <= headerLine) continue;
    if (++rowCount > maxRows) throw tooManyRows(maxRows);
    const v = r.cells[valueColumn];
    if (fixed === null && typeof v === 'string') {
      const h = numberHabitOf(v);
      if (h === 'vi' || h === 'en') habits[h]++;
    }
  }
  if (rowCount === 0) throw new AppError('empty_file', 'The file has a header but no data rows');
  const numberHabit = fixed ?? (habits.vi === 0 && habits.en === 0 ? null : habits.vi >= habits.en ? 'vi' : 'en');

  async function* rows(): AsyncGenerator<ReadRow> {
    for await (const r of records()) {
      if (r.line <= headerLine) continue;
      yield r.tooLong ? tooLongRow(r) : toRow(r, fields, numberHabit, defaults);
    }
  }
  return { numberHabit, headerLine, columns: header.cells.map((h, i) => ({ header: h, field: fields[i] ?? null })), rowCount, rows: { [Symbol.asyncIterator]: rows } };
}

/** A row holding a cell beyond the limit: refused, only its beginning kept. */
export function tooLongRow(r: TableRecord): ReadRow {
  return { line: r.line, raw: r.raw, problem: { reason: 'row_too_long', message: `Line ${r.line} holds a cell (or is) longer than this server reads; it was not read` } };
}

function toRow(r: TableRecord, fields: readonly (ObservationField | null)[], habit: NumberHabit | null, defaults: NonNullable<SourceMapping['defaults']>): ReadRow {
  const row: Record<string, unknown> = {};
  let problem: ReadRow['problem'];
  fields.forEach((field, i) => {
    if (field === null) return;
    const cell = r.cells[i] ?? null;
    const text = textOf(cell);
    if (field === 'value') {
      if (typeof cell === 'number') row.value = cell;
      else if (text === '') problem = { reason: 'missing_value', message: `Line ${r.line} has no value` };
      else {
        const n = parseNumber(text, habit);
        if (n.ok) row.value = n.value;
        else {
          row.value = text;
          problem = { reason: n.reason, message: `Line ${r.line}: ${n.message}` };
        }
      }
      return;
    }
    if (text === '' || cell === null) return;
    switch (field) {
      case 'indicator':
        row.indicator = text.toUpperCase();
        break;
      case 'place':
        // A code typed as a number lost its leading zero (01 → 1): provinces have two digits.
        row.place = typeof cell === 'number' ? String(cell).padStart(2, '0') : text;
        break;
      case 'period':
        row.period = periodKeyOf(cell);
        break;
      case 'status':
        row.status = STATUS_WORDS[foldText(text)] ?? text.toLowerCase();
        break;
      default:
        row[field] = text;
    }
  });
  for (const [k, v] of Object.entries(defaults)) if (row[k] === undefined && v !== undefined) row[k] = v;
  return problem ? { line: r.line, raw: cutRaw(r.raw), value: row, problem } : { line: r.line, raw: cutRaw(r.raw), value: row };
}
