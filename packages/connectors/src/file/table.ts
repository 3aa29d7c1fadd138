import { AppError, FILE_KEYS, instantSchema, parsePeriod, type FileKey, type FileLayout, type KeyOrigin, type NumberStyle, type ObservationField, type RunWarning, type SourceMapping, type ValueColumn } from '@watchfloor/core';
import { cutRaw, type ReadRow, type RowProblem } from '../rows';
import type { TableRecord } from './csv';
import { foldHeader, foldText, headerField } from './headers';
import { numberHabitOf, parseNumber, type NumberHabit } from './numbers';
import { findPeriodIn, periodKeyOf } from './periods';
import { columnNumber, type CellRange } from './xlsx';

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
  /** The uploaded file's name: a period it names ("bao-cao-thang-10-2026.xlsx") is the sheet's when nothing nearer gives one. */
  fileName?: string | null;
  /** Values declared with the upload (`period=2026-10`, `place=…`, `organisation=…`) for the whole file. */
  declared?: Partial<Record<FileKey, string>>;
  /** XLSX: the merged ranges of the first rows, so a header spanning two rows is read whole. */
  merges?: readonly CellRange[];
}

export interface TableReading {
  numberHabit: NumberHabit | null;
  headerLine: number;
  /** Each column's header (under a two-row header, both rows) and the field it was read as (null: ignored); a value column of a wide sheet with its indicator. */
  columns: { header: string; field: ObservationField | null; indicator?: string }[];
  /** Data rows after the header (excluding blank ones). */
  rowCount: number;
  /** The rows to write, read afresh (from the file) on each iteration: one per figure, so a wide sheet's row gives one per value column. */
  rows: AsyncIterable<ReadRow>;
  /** How the sheet was read: its value columns and where its period, place and organisation came from; its totals once the rows have been read. */
  layout(): FileLayout;
  /** What the last reading of the rows found doubtful: total rows that differ from the sum of the rows. */
  warnings(): RunWarning[];
}

/** Rows searched for the header. */
const HEADER_SEARCH = 20;

const STATUS_WORDS: Record<string, string> = {
  'chinh thuc': 'final',
  'so bo': 'provisional',
  'tam tinh': 'provisional',
  'uoc tinh': 'estimated',
  uoc: 'estimated',
  'uoc thuc hien': 'estimated',
};

/** What a total row says in its label cell ("Tổng cộng", "Cộng:", "TỔNG SỐ"), folded. */
const TOTAL_WORDS = new Set(['tong cong', 'cong', 'tong so', 'tong', 'total', 'grand total']);

type Cell = TableRecord['cells'][number];

const textOf = (c: Cell | undefined): string => (c === null || c === undefined ? '' : c instanceof Date ? c.toISOString().slice(0, 10) : String(c).trim());

/** The data rows of a table beyond `maxRows` are refused as a whole, before any is written. */
export function tooManyRows(maxRows: number): AppError {
  return new AppError('too_many_rows', `The file holds more than ${maxRows} rows, more than this server reads at once; split it into several files`, { limit: maxRows });
}

/** Whether a row is a total ("Tổng cộng", "Cộng", "Tổng số", diacritics optional) by the text of a cell outside the value columns. */
export function isTotalLabel(text: string): boolean {
  // Most cells are not: only a short text starting like "Tổng", "Cộng", "Total" is folded and compared.
  if (text.length > 40 || !/^[\s(*-]*[TtCcGg]/.test(text)) return false;
  const f = foldHeader(text);
  return TOTAL_WORDS.has(f) || f.startsWith('tong cong ');
}

const columnLetters = (n: number): string => {
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
};

/** Whether a period key (or an instant) is one the write path can read. */
function readablePeriod(key: string): boolean {
  if (instantSchema.safeParse(key).success) return true;
  try {
    parsePeriod(key);
    return true;
  } catch {
    return false;
  }
}

interface HeaderColumn {
  /** The header as shown: both rows of a two-row header ("Hồ sơ / Tiếp nhận"), else its own. */
  label: string;
  field: ObservationField | null;
  /** The mapping's value column it is, for a wide sheet. */
  value: ValueColumn | null;
}

/**
 * The columns of a header row `i` of the first rows: each column's own
 * header and, above it, the header of its group (a cell merged across
 * several columns, "Hồ sơ" over "Tiếp nhận | Đúng hạn", in a row of several
 * headers, not a title); a header cell
 * merged down from the row above ("Đơn vị" over two rows) reads as its own.
 * Without merges (CSV), a group cell covers the empty cells to its right.
 */
function headerColumns(top: readonly TableRecord[], i: number, mapping: SourceMapping | null, merges: readonly CellRange[] | undefined): HeaderColumn[] {
  const row = top[i];
  if (!row) return [];
  // The row just above is a group row when it holds several headers; a title (one cell, however merged) is not.
  const prev = i > 0 && top[i - 1]?.line === row.line - 1 ? (top[i - 1] ?? null) : null;
  const above = prev && prev.cells.filter((c) => textOf(c) !== '').length >= 2 ? prev : null;
  const at = (line: number, col: number) => textOf(top.find((r) => r.line === line)?.cells[col - 1]);
  const mergedFrom = (line: number, col: number) => merges?.find((m) => m.top <= line && line <= m.bottom && m.left <= col && col <= m.right && (m.top !== line || m.left !== col)) ?? null;
  const width = Math.max(row.cells.length, above?.cells.length ?? 0);
  const values = mapping?.values ?? [];
  const taken = new Set<ObservationField>();
  const usedValues = new Set<ValueColumn>();
  // Each column's own header and, under a group, both rows.
  const heads: { own: string; full: string }[] = [];
  let group = '';
  for (let c = 1; c <= width; c++) {
    let own = textOf(row.cells[c - 1]);
    if (own === '') {
      const m = mergedFrom(row.line, c);
      if (m && m.top < row.line) own = at(m.top, m.left);
    }
    let up = '';
    if (above) {
      up = textOf(above.cells[c - 1]);
      if (up === '' && merges) {
        const m = mergedFrom(above.line, c);
        if (m) up = at(m.top, m.left);
      } else if (up === '' && !merges && own !== '') up = group;
      if (textOf(above.cells[c - 1]) !== '') group = up;
    }
    heads.push({ own, full: up !== '' && foldHeader(up) !== foldHeader(own) && own !== '' ? `${up} / ${own}` : own });
  }
  // A field the mapping names a column of this row for is that column's: a header that is only known for it ("Mã đơn vị") gives way.
  const ownNames = Object.entries(mapping?.columns ?? {}).map(([k, f]) => [foldHeader(k), f] as const);
  const named = (h: { own: string; full: string }) => ownNames.find(([k]) => k !== '' && (k === foldHeader(h.full) || k === foldHeader(h.own)))?.[1] ?? null;
  const explicit = new Set(heads.map(named).filter((f): f is ObservationField => f !== null));
  const out: HeaderColumn[] = [];
  for (const { own, full } of heads) {
    // A mapping naming both rows ("Hồ sơ / Tiếp nhận") also reads a sheet whose header is only the lower one.
    const names = (v: ValueColumn) => [foldHeader(v.column), ...(full === own ? [foldHeader(v.column.split('/').pop() ?? '')] : [])];
    const value = own === '' ? null : (values.find((v) => !usedValues.has(v) && names(v).some((n) => n === foldHeader(full) || n === foldHeader(own))) ?? null);
    if (value) {
      usedValues.add(value);
      out.push({ label: full, field: 'value', value });
      continue;
    }
    const mine = named({ own, full });
    let field = mine ?? headerField(full) ?? headerField(own);
    if (mine === null && field !== null && explicit.has(field)) field = null;
    if (field !== null && (taken.has(field) || (field === 'value' && values.length > 0))) field = null;
    if (field !== null) taken.add(field);
    out.push({ label: full, field, value: null });
  }
  return out;
}

interface SheetKey {
  from: KeyOrigin;
  value: string | null;
  cell: string | null;
}

/**
 * Reads a table. `records` is called once per pass (header, number habit,
 * then the rows), each pass a fresh stream of the file, so a large file is
 * never held. A wide sheet (the mapping names value columns) gives one row
 * per figure: a value cell that is empty or cannot be read refuses that
 * figure only, its column named; a row whose key cells (unit, period,
 * organisation) are empty or cannot be read is refused whole, once. The
 * period (place, organisation) of a row is its column's cell, else the
 * one the file gives once: declared with the upload, a named cell, the
 * title rows (periods only), the file name (periods only), the mapping's
 * default. A total row ("Tổng cộng") is not a figure: it is checked
 * against the sum of the rows. Throws `missing_columns` when no header
 * row names the required columns, `period_not_found` when neither a column
 * nor anything else gives the period, `empty_file` when there is no data
 * row and `too_many_rows` beyond `maxRows` (counted before anything is
 * written).
 */
export async function readTable(records: () => AsyncIterable<TableRecord>, options: TableOptions, maxRows = Number.POSITIVE_INFINITY): Promise<TableReading> {
  const mapping = options.mapping;
  const defaults = mapping?.defaults ?? {};
  const declared = options.declared ?? {};
  const wide = (mapping?.values?.length ?? 0) > 0;
  const given = (f: FileKey) => declared[f] !== undefined || mapping?.cells?.[f] !== undefined || (f !== 'period' && defaults[f] !== undefined);
  const required: string[] = (wide ? ['place'] : ['indicator', 'place', 'value']).filter((f) => !(f === 'indicator' && defaults.indicator) && !(f === 'place' && given('place')));

  const top: TableRecord[] = [];
  for await (const r of records()) {
    if (top.length >= HEADER_SEARCH) break;
    top.push(r);
  }
  if (top.length === 0) throw new AppError('empty_file', 'The file holds no rows');

  let header: { index: number; line: number; columns: HeaderColumn[] } | null = null;
  let best: { cells: string[]; missing: string[] } | null = null;
  for (let i = 0; i < top.length; i++) {
    const r = top[i];
    if (!r || r.tooLong) continue;
    const columns = headerColumns(top, i, mapping, options.merges);
    const fields = columns.map((c) => c.field);
    const missing = [...required.filter((f) => !fields.includes(f as ObservationField)), ...(mapping?.values ?? []).filter((v) => !columns.some((c) => c.value === v)).map((v) => `"${v.column}"`)];
    if (missing.length === 0) {
      header = { index: i, line: r.line, columns };
      break;
    }
    if (!best || missing.length < best.missing.length) best = { cells: columns.map((c) => c.label), missing };
  }
  if (!header) {
    // The period need not be a column; it is missing only when nothing else gives it either.
    const periodElsewhere = given('period') || top.some((r) => r.cells.some((c) => typeof c === 'string' && findPeriodIn(c) !== null)) || (options.fileName ? findPeriodIn(options.fileName) !== null : false);
    const lacking = new Set(best?.missing ?? required);
    if (!periodElsewhere && !(best?.cells ?? []).some((h) => headerField(h, mapping?.columns) === 'period')) lacking.add('period');
    const missing = [...['indicator', 'place', 'period', 'value'].filter((f) => lacking.has(f)), ...[...lacking].filter((f) => f.startsWith('"'))];
    throw new AppError('missing_columns', `No header row names the columns ${missing.join(', ')} (e.g. "Mã chỉ tiêu", "Mã đơn vị", "Kỳ", "Giá trị")`, {
      missing,
      closestHeader: best?.cells ?? [],
    });
  }
  const { columns, line: headerLine } = header;
  const fields = columns.map((c) => c.field);
  const valueIndexes = columns.flatMap((c, i) => (c.value ? [i] : []));
  const longValue = fields.indexOf('value');

  // What the file gives once: each key's origin and value.
  const cellAt = (ref: string): { text: string; cell: Cell } | null => {
    const m = /^([A-Z]+)(\d+)$/.exec(ref);
    if (!m) return null;
    const rec = top.find((r) => r.line === Number(m[2]));
    const cell = rec?.cells[columnNumber(m[1] ?? '') - 1] ?? null;
    return cell === null ? null : { text: textOf(cell), cell };
  };
  const keys: Partial<Record<FileKey, SheetKey>> = {};
  for (const f of FILE_KEYS) {
    if (fields.includes(f)) {
      keys[f] = { from: 'column', value: null, cell: null };
      // A row's empty cell still takes what the file gives once.
    }
    const d = declared[f];
    const ref = mapping?.cells?.[f];
    let k: SheetKey | null = null;
    if (d !== undefined && d.trim() !== '') {
      const value = f === 'period' ? (findPeriodIn(d) ?? periodKeyOf(d)) : d.trim();
      if (f === 'period' && !readablePeriod(value)) throw new AppError('invalid_parameter', `period=${d} is not a period (2026-10, 10/2026, Quý 3/2026, 2026 …)`);
      k = { from: 'declared', value, cell: null };
    } else if (ref !== undefined) {
      const c = cellAt(ref);
      if (c === null || c.text === '') throw new AppError('period_not_found', `The cell ${ref} named by the mapping for the ${f} is empty (or below the first ${HEADER_SEARCH} rows)`, { key: f, cell: ref });
      const value = f === 'period' ? (typeof c.cell === 'string' ? (findPeriodIn(c.text) ?? periodKeyOf(c.cell)) : periodKeyOf(c.cell as number | Date)) : typeof c.cell === 'number' && f === 'place' ? String(c.cell).padStart(2, '0') : c.text;
      if (f === 'period' && !readablePeriod(value)) throw new AppError('period_not_found', `The cell ${ref} reads "${c.text}", which names no period (tháng 10 năm 2026, quý III/2026 …)`, { key: f, cell: ref });
      k = { from: 'cell', value, cell: ref };
    } else if (f === 'period') {
      for (const r of top) {
        if (r.line >= headerLine) break;
        const at = r.cells.findIndex((c) => typeof c === 'string' && findPeriodIn(c) !== null);
        if (at >= 0) {
          k = { from: 'title', value: findPeriodIn(String(r.cells[at])), cell: `${columnLetters(at + 1)}${r.line}` };
          break;
        }
      }
      if (!k && options.fileName) {
        const value = findPeriodIn(options.fileName);
        if (value !== null) k = { from: 'file_name', value, cell: null };
      }
    } else if (defaults[f] !== undefined) k = { from: 'default', value: defaults[f] ?? null, cell: null };
    if (k && !keys[f]) keys[f] = k;
    else if (k && keys[f]) keys[f] = { ...keys[f], value: k.value };
  }
  if (!keys.period) {
    throw new AppError('period_not_found', 'The file gives no period: no column "Kỳ" (or "Tháng", "Năm", "Kỳ báo cáo"), no title row naming one ("THÁNG 10 NĂM 2026"), nothing in the file name; declare it with the upload (period=2026-10)', { key: 'period' });
  }
  /** The values a row's empty key cells take. */
  const fill: Record<string, string> = {};
  for (const f of FILE_KEYS) {
    const v = keys[f]?.value;
    if (v !== null && v !== undefined) fill[f] = v;
  }

  // First pass: count the data rows and learn how the file writes numbers.
  const fixed = options.numbers !== 'auto' ? options.numbers : mapping?.numbers && mapping.numbers !== 'auto' ? mapping.numbers : null;
  const numberColumns = wide ? valueIndexes : [longValue];
  let rowCount = 0;
  // The habit is counted as the rows pass (what detectNumberHabit does over all values), holding none of them.
  const habits = { vi: 0, en: 0 };
  for await (const r of records()) {
    if (r.line <= headerLine) continue;
    if (++rowCount > maxRows) throw tooManyRows(maxRows);
    if (fixed !== null) continue;
    for (const i of numberColumns) {
      const v = r.cells[i];
      if (typeof v === 'string') {
        const h = numberHabitOf(v);
        if (h === 'vi' || h === 'en') habits[h]++;
      }
    }
  }
  if (rowCount === 0) throw new AppError('empty_file', 'The file has a header but no data rows');
  const numberHabit = fixed ?? (habits.vi === 0 && habits.en === 0 ? null : habits.vi >= habits.en ? 'vi' : 'en');

  // The total rows met and the sums they are checked against, from the last reading of the rows.
  let totals: Totals = new Totals([]);
  const checked = wide ? valueIndexes : fields.includes('indicator') ? [] : [longValue];
  async function* rows(): AsyncGenerator<ReadRow> {
    totals = new Totals(checked.map((i) => columns[i]?.label ?? ''));
    for await (const r of records()) {
      if (r.line <= headerLine) continue;
      if (r.tooLong) {
        yield tooLongRow(r);
        continue;
      }
      const numbers = checked.map((i) => numberOf(r, i, numberHabit));
      if (r.cells.some((c, i) => !checked.includes(i) && i !== longValue && typeof c === 'string' && isTotalLabel(c))) {
        totals.total(r.line, numbers);
        continue;
      }
      totals.add(numbers);
      if (wide) yield* wideRows(r, columns, numberHabit, fill);
      else yield toRow(r, fields, numberHabit, { ...defaults, ...fill });
    }
    totals.close();
  }
  const layout = (): FileLayout => ({
    headerLine,
    values: columns.flatMap((c): FileLayout['values'] => (c.value ? [{ column: c.label, indicator: c.value.indicator, unit: c.value.unit ?? null, status: c.value.status ?? null }] : c.field === 'value' ? [{ column: c.label, indicator: null, unit: null, status: null }] : [])),
    keys: Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, { from: v.from, value: v.value, cell: v.cell }])),
    totals: totals.found,
  });
  return {
    numberHabit,
    headerLine,
    columns: columns.map((c) => (c.value ? { header: c.label, field: c.field, indicator: c.value.indicator } : { header: c.label, field: c.field })),
    rowCount,
    rows: { [Symbol.asyncIterator]: rows },
    layout,
    warnings: () => totals.warnings,
  };
}

/** A cell of a value column as a number, when it reads as one (for the sums totals are checked against). */
function numberOf(r: TableRecord, i: number, habit: NumberHabit | null): Counted | null {
  const c = r.cells[i];
  if (typeof c === 'number') return { value: c, decimals: decimalsOf(String(c)) };
  if (typeof c !== 'string' || c.trim() === '') return null;
  const n = parseNumber(c.trim(), habit);
  return n.ok ? { value: n.value, decimals: decimalsOf(c.trim().replace(habit === 'vi' ? /\./g : /,/g, '').replace(',', '.')) } : null;
}

interface Counted {
  value: number;
  decimals: number;
}

const decimalsOf = (text: string): number => Math.min(6, /\.(\d+)/.exec(text)?.[1]?.length ?? 0);

/**
 * Total rows and the sums they are checked against. One total row is
 * checked against all the rows; of several, each but the last against the
 * rows since the one before (subtotals of groups), the last against all.
 * A difference within the rounding of the figures added (half a unit of
 * their last decimal, per figure) is no difference.
 */
class Totals {
  readonly found: FileLayout['totals'] = [];
  readonly warnings: RunWarning[] = [];
  private readonly all: Sum[];
  private group: Sum[];
  private readonly met: { line: number; numbers: (Counted | null)[]; group: Sum[] }[] = [];
  constructor(private readonly labels: readonly string[]) {
    this.all = labels.map(() => new Sum());
    this.group = labels.map(() => new Sum());
  }
  add(numbers: readonly (Counted | null)[]): void {
    numbers.forEach((n, j) => {
      if (n === null) return;
      this.all[j]?.add(n);
      this.group[j]?.add(n);
    });
  }
  total(line: number, numbers: (Counted | null)[]): void {
    this.met.push({ line, numbers, group: this.group });
    this.group = this.labels.map(() => new Sum());
  }
  close(): void {
    this.met.forEach((t, k) => {
      const against = k === this.met.length - 1 || this.met.length === 1 ? this.all : t.group;
      t.numbers.forEach((n, j) => {
        const sum = against[j];
        const column = this.labels[j] ?? '';
        if (n === null || !sum || sum.count === 0) return;
        const total = n.value;
        const added = Number(sum.value.toFixed(6));
        this.found.push({ line: t.line, column, total, sum: added });
        const decimals = Math.max(n.decimals, sum.decimals);
        const tolerance = decimals === 0 ? 1e-9 : 0.5 * 10 ** -decimals * (sum.count + 1);
        if (Math.abs(total - added) > tolerance) {
          this.warnings.push({
            code: 'total_mismatch',
            line: t.line,
            column,
            message: `Line ${t.line}, column "${column}": the total row says ${total} but the rows add up to ${added} (a difference of ${Number(Math.abs(total - added).toFixed(6))})`,
          });
        }
      });
    });
  }
}

class Sum {
  value = 0;
  count = 0;
  decimals = 0;
  add(n: Counted): void {
    this.value += n.value;
    this.count++;
    this.decimals = Math.max(this.decimals, n.decimals);
  }
}

/** The key fields of a wide sheet's row, or why the row is refused whole. */
function wideKeys(r: TableRecord, columns: readonly HeaderColumn[], fill: Record<string, string>): { keys: Record<string, string> } | { problem: RowProblem } {
  const keys: Record<string, string> = {};
  for (let i = 0; i < columns.length; i++) {
    const col = columns[i];
    const field = col?.field;
    if (!col || !field || col.value) continue;
    if (r.noValue?.includes(i)) return { problem: { reason: 'formula_without_value', message: `Line ${r.line}, column "${col.label}": the formula has no stored result; the row was not read` } };
    const cell = r.cells[i] ?? null;
    const text = textOf(cell);
    if (text === '' || cell === null) continue;
    switch (field) {
      case 'place':
        keys.place = typeof cell === 'number' ? String(cell).padStart(2, '0') : text;
        break;
      case 'period': {
        const key = periodKeyOf(cell);
        if (!readablePeriod(key)) return { problem: { reason: 'invalid_period', message: `Line ${r.line}, column "${col.label}": "${text}" is not a period; the row was not read` } };
        keys.period = key;
        break;
      }
      case 'status':
        keys.status = STATUS_WORDS[foldText(text)] ?? text.toLowerCase();
        break;
      case 'indicator':
        break;
      default:
        keys[field] = text;
    }
  }
  for (const [k, v] of Object.entries(fill)) keys[k] ??= v;
  for (const f of ['place', 'period'] as const) {
    if (keys[f] === undefined) {
      const col = columns.find((c) => c.field === f);
      return { problem: { reason: 'invalid_key', message: `Line ${r.line}: no ${f === 'place' ? 'unit' : 'period'}${col ? ` in column "${col.label}"` : ''}; the row was not read` } };
    }
  }
  return { keys };
}

/** A wide sheet's row: one row per value column, each refused on its own; or the whole row refused once for its keys. */
function* wideRows(r: TableRecord, columns: readonly HeaderColumn[], habit: NumberHabit | null, fill: Record<string, string>): Generator<ReadRow> {
  const raw = cutRaw(r.raw);
  const k = wideKeys(r, columns, fill);
  if ('problem' in k) {
    yield { line: r.line, raw, problem: k.problem };
    return;
  }
  for (let i = 0; i < columns.length; i++) {
    const v = columns[i]?.value;
    const label = columns[i]?.label ?? '';
    if (!v) continue;
    const row: Record<string, unknown> = { ...k.keys, indicator: v.indicator };
    if (v.unit !== undefined) row.unit = v.unit;
    if (v.status !== undefined) row.status = v.status;
    const cell = r.cells[i] ?? null;
    const text = textOf(cell);
    const at = `Line ${r.line}, column "${label}"`;
    if (r.noValue?.includes(i)) {
      yield { line: r.line, raw, value: row, problem: { reason: 'formula_without_value', message: `${at}: the formula has no stored result (open the file in Excel, recalculate and save it)` } };
    } else if (typeof cell === 'number') {
      yield { line: r.line, raw, value: { ...row, value: cell } };
    } else if (text === '') {
      yield { line: r.line, raw, value: row, problem: { reason: 'missing_value', message: `${at}: no value` } };
    } else {
      const n = parseNumber(text, habit);
      if (n.ok) yield { line: r.line, raw, value: { ...row, value: n.value } };
      else yield { line: r.line, raw, value: { ...row, value: text }, problem: { reason: n.reason, message: `${at}: ${n.message}` } };
    }
  }
}

/** A row holding a cell beyond the limit: refused, only its beginning kept. */
export function tooLongRow(r: TableRecord): ReadRow {
  return { line: r.line, raw: r.raw, problem: { reason: 'row_too_long', message: `Line ${r.line} holds a cell (or is) longer than this server reads; it was not read` } };
}

function toRow(r: TableRecord, fields: readonly (ObservationField | null)[], habit: NumberHabit | null, defaults: Record<string, unknown>): ReadRow {
  const row: Record<string, unknown> = {};
  let problem: ReadRow['problem'];
  fields.forEach((field, i) => {
    if (field === null) return;
    const cell = r.cells[i] ?? null;
    const text = textOf(cell);
    if (r.noValue?.includes(i)) {
      problem ??= { reason: 'formula_without_value', message: `Line ${r.line}: the ${field} cell holds a formula with no stored result (open the file in Excel, recalculate and save it)` };
      return;
    }
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

/** The first rows of a sheet and the columns of its header row, for a person building the mapping of a report layout. */
export interface SheetHead {
  /** The first rows as text, with their line (sheet row) numbers: title rows, the header, the first data rows. */
  rows: { line: number; cells: string[] }[];
  /** The header row: the one asked for, else the one the mapping's value columns name, else the last of the first run of rows of several text cells. */
  headerLine: number | null;
  /** The header's columns: letter, header as the reader reads it (both rows of a two-row header), the field it is read as without a mapping, the first data cells. */
  columns: { letter: string; label: string; field: ObservationField | null; samples: string[] }[];
  /** A period the rows above the header name ("THÁNG 10 NĂM 2026"), with its cell. */
  titlePeriod: { cell: string; value: string } | null;
}

/** Rows read for a sheet's head: the rows the header is searched in, and a few data rows below. */
const HEAD_ROWS = HEADER_SEARCH + 5;

/** A row that looks like a header: at least two cells of text, more text than numbers. */
function headerLike(r: TableRecord): boolean {
  const texts = r.cells.filter((c) => typeof c === 'string' && c.trim() !== '' && !/^[\d\s.,()%-]+$/.test(c)).length;
  const numbers = r.cells.filter((c) => typeof c === 'number' || (typeof c === 'string' && /^[\d\s.,-]+$/.test(c.trim()) && c.trim() !== '')).length;
  return texts >= 2 && texts > numbers;
}

/**
 * The head of a sheet, to map it: its first rows, the header row (the
 * `headerLine` asked for, else found) and each header column with the
 * field a known header names and its first data cells. Nothing is read
 * beyond the first rows.
 */
export async function readSheetHead(records: () => AsyncIterable<TableRecord>, options: { mapping: SourceMapping | null; merges?: readonly CellRange[]; headerLine?: number | null }): Promise<SheetHead> {
  const top: TableRecord[] = [];
  for await (const r of records()) {
    if (top.length >= HEAD_ROWS) break;
    top.push(r);
  }
  if (top.length === 0) throw new AppError('empty_file', 'The file holds no rows');
  const search = top.slice(0, HEADER_SEARCH);
  let index = options.headerLine != null ? search.findIndex((r) => r.line === options.headerLine) : -1;
  const values = options.mapping?.values ?? [];
  if (index < 0 && values.length > 0) {
    index = search.findIndex((_r, i) => {
      const cols = headerColumns(search, i, options.mapping, options.merges);
      return values.every((v) => cols.some((c) => c.value === v));
    });
  }
  if (index < 0) {
    const first = search.findIndex(headerLike);
    index = first;
    while (index >= 0 && index + 1 < search.length && search[index + 1]?.line === (search[index]?.line ?? 0) + 1 && headerLike(search[index + 1] as TableRecord)) index++;
  }
  const header = index >= 0 ? search[index] : undefined;
  const columns = header
    ? headerColumns(search, index, null, options.merges).map((c, i) => ({
        letter: columnLetters(i + 1),
        label: c.label,
        field: c.field,
        samples: top.filter((r) => r.line > header.line).slice(0, 3).map((r) => textOf(r.cells[i])),
      }))
    : [];
  let titlePeriod: SheetHead['titlePeriod'] = null;
  for (const r of top) {
    if (header && r.line >= header.line) break;
    const at = r.cells.findIndex((c) => typeof c === 'string' && findPeriodIn(c) !== null);
    const value = at >= 0 ? findPeriodIn(String(r.cells[at])) : null;
    if (value !== null) {
      titlePeriod = { cell: `${columnLetters(at + 1)}${r.line}`, value };
      break;
    }
  }
  return { rows: top.map((r) => ({ line: r.line, cells: r.cells.map((c) => textOf(c)) })), headerLine: header?.line ?? null, columns, titlePeriod };
}
