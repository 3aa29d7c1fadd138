import { AppError, type ObservationField } from '@watchfloor/core';
import { mapHeaders } from '../file/headers';
import { parseNumber } from '../file/numbers';
import { cutRaw, type ReadRow, type RowProblem } from '../rows';

/**
 * How a cursor column's values are written and compared. Values are read
 * as the server's text (never through a JS Date or a double), so a cursor
 * keeps the column's full precision: microseconds, big integers, decimals.
 */
export type CursorKind = 'integer' | 'decimal' | 'float' | 'date' | 'timestamp' | 'text';

/** A column of the query's result, as both engines describe it. */
export interface SqlColumn {
  name: string;
  /** How the engine's driver hands the column's values over, for conversions. */
  kind: CursorKind | 'other';
}

/** A row as the driver returns it, with dates, timestamps, decimals and big integers as text. */
export type SqlRow = Record<string, unknown>;

const TIMESTAMP_TEXT = /^(\d{4,}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:Z|[+-]00(?::?00)?)?$/;

/**
 * A timestamp as the servers print it (`2026-11-28 03:00:00.123456+00`,
 * `2026-11-28 03:00:00`; sessions run in UTC) as ISO 8601 in UTC with the
 * server's precision: `2026-11-28T03:00:00.123456Z`. Timestamps without a
 * zone are taken as UTC. Anything else (`infinity`) is kept as printed.
 */
export function isoTimestamp(text: string): string {
  const m = TIMESTAMP_TEXT.exec(text);
  return m ? `${m[1]}T${m[2]}Z` : text;
}

/** The cursor value of a row's cursor column, as the string the checkpoint keeps; null when the row has none. */
export function cursorText(value: unknown, kind: CursorKind | 'other'): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return kind === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'string') return kind === 'timestamp' ? isoTimestamp(value) : value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

/**
 * Refuses a cursor that the column cannot compare with (`abc` for an id):
 * one engine would fail and the other would silently read it as 0 and read
 * everything again.
 */
export function checkCursor(cursor: string, column: SqlColumn): void {
  const ok = {
    integer: INTEGER.test(cursor),
    decimal: DECIMAL.test(cursor),
    float: DECIMAL.test(cursor),
    date: DATE.test(cursor),
    timestamp: TIMESTAMP.test(cursor),
    text: true,
    other: true,
  }[column.kind];
  if (!ok) {
    const like = { integer: '12345', decimal: '12.5', float: '12.5', date: '2026-11-28', timestamp: '2026-11-28T03:00:00Z', text: '', other: '' }[column.kind];
    throw new AppError('invalid_pull_config', `The cursor "${cursor}" is not a value of the ${column.kind} column ${column.name}; write it like ${like}`);
  }
}

/** A plain decimal as databases print it (`1234.50`, `-3`, `1e-7`). */
const PLAIN_NUMBER = DECIMAL;

interface FieldOf {
  field: ObservationField | 'unit';
  column: SqlColumn;
}

/**
 * Reads the result's rows into observations: columns named like observation
 * fields (in English or Vietnamese, any case, as files are read) become
 * those fields; other columns are ignored. A query without a value or a
 * period column is refused before any row is read, since every row would be.
 */
export class RowReader {
  private readonly fields: FieldOf[];

  constructor(columns: readonly SqlColumn[]) {
    const mapped = mapHeaders(columns.map((c) => c.name));
    this.fields = [];
    columns.forEach((column, i) => {
      const field = mapped[i] ?? (column.name.toLowerCase() === 'unit' ? 'unit' : null);
      if (field) this.fields.push({ field, column });
    });
    const missing = (['period', 'value'] as const).filter((f) => !this.fields.some((x) => x.field === f));
    if (missing.length > 0) {
      const names = columns.map((c) => c.name).join(', ');
      throw new AppError('invalid_pull_config', `The query has no ${missing.join(' or ')} column (its columns: ${names}); name them with AS, e.g. select ngay as period, so_lieu as value`);
    }
  }

  read(row: SqlRow, line: number, cursor: string | undefined): ReadRow {
    const raw = cutRaw(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
    const value: Record<string, unknown> = {};
    let problem: RowProblem | undefined;
    for (const { field, column } of this.fields) {
      const v = row[column.name];
      if (v === null || v === undefined) {
        // Left out rather than null, so the source's defaults fill it.
        if (field === 'value' && !problem) problem = { reason: 'missing_value', message: `Row ${line} has no value (column ${column.name} is null)` };
        continue;
      }
      if (field === 'value') {
        const n = readNumber(v, column.name, line);
        if (typeof n === 'number') value.value = n;
        else problem ??= n;
      } else if (field === 'period') {
        value.period = readPeriod(v, column);
      } else {
        value[field] = v instanceof Date ? v.toISOString() : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
      }
    }
    const out: ReadRow = { line, raw, value };
    if (problem) out.problem = problem;
    if (cursor !== undefined) out.cursor = cursor;
    return out;
  }
}

function readNumber(v: unknown, column: string, line: number): number | RowProblem {
  if (typeof v === 'number') {
    return Number.isFinite(v) ? v : { reason: 'invalid_number', message: `Row ${line}: ${column} is ${v}, not a finite number` };
  }
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' || Buffer.isBuffer(v)) {
    const text = String(v).trim();
    if (PLAIN_NUMBER.test(text)) return Number(text);
    const r = parseNumber(text, null);
    if (r.ok) return r.value;
    return { reason: r.reason, message: `Row ${line}: ${column}: ${r.message}` };
  }
  return { reason: 'invalid_number', message: `Row ${line}: ${column} holds ${typeof v === 'boolean' ? 'a boolean' : 'no number'}` };
}

/** Dates as YYYY-MM-DD (a day's period), timestamps as ISO instants (a stream's period), years and keys as text. */
function readPeriod(v: unknown, column: SqlColumn): string {
  if (v instanceof Date) return column.kind === 'date' ? v.toISOString().slice(0, 10) : v.toISOString();
  if (column.kind === 'timestamp' && typeof v === 'string') {
    const iso = isoTimestamp(v);
    const t = new Date(iso);
    return Number.isNaN(t.getTime()) ? iso : t.toISOString();
  }
  if (column.kind === 'date' && typeof v === 'string') return v.slice(0, 10);
  return Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
}
