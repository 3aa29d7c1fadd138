import { AppError, type NumberStyle, type ObservationField, type SourceMapping } from '@watchfloor/core';
import { cutRaw, type ReadRow } from '../rows';
import type { TableRecord } from './csv';
import { foldText, mapHeaders } from './headers';
import { detectNumberHabit, parseNumber, type NumberHabit } from './numbers';
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
  /** The data rows, read afresh on each iteration. */
  rows: Iterable<ReadRow>;
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

/**
 * Reads a table. `records` is called once per pass (header and number
 * habit first, then the rows), so a large CSV is never held as objects.
 * Throws `missing_columns` when no header row names the required fields and
 * `empty_file` when there is no data row.
 */
export function readTable(records: () => Iterable<TableRecord>, options: TableOptions): TableReading {
  const defaults = options.mapping?.defaults ?? {};
  const required = REQUIRED.filter((f) => !((f === 'indicator' && defaults.indicator) || (f === 'place' && defaults.place)));
  let header: { line: number; fields: (ObservationField | null)[]; cells: string[] } | null = null;
  let best: { cells: string[]; missing: ObservationField[] } | null = null;
  let seen = 0;
  for (const r of records()) {
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
  const samples: string[] = [];
  let rowCount = 0;
  for (const r of records()) {
    if (r.line <= headerLine) continue;
    rowCount++;
    const v = r.cells[valueColumn];
    if (fixed === null && typeof v === 'string') samples.push(v);
  }
  if (rowCount === 0) throw new AppError('empty_file', 'The file has a header but no data rows');
  const numberHabit = fixed ?? detectNumberHabit(samples);

  function* rows(): Generator<ReadRow> {
    for (const r of records()) {
      if (r.line <= headerLine) continue;
      yield toRow(r, fields, numberHabit, defaults);
    }
  }
  return { numberHabit, headerLine, columns: header.cells.map((h, i) => ({ header: h, field: fields[i] ?? null })), rowCount, rows: { [Symbol.iterator]: rows } };
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
