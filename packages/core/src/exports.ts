import { z } from 'zod';
import { LANGUAGES, type Language, type Localised } from './indicators/shared';

/**
 * A table as a screen shows it, ready to leave as a spreadsheet: columns
 * with their headers in both languages, unit and kind of value; rows; and
 * notes saying where the figures come from (source, freshness, coverage,
 * as of). The server writes it as XLSX (a notes sheet beside the data) or
 * as CSV; the route answering the screen's JSON builds it from the same
 * answer, so an export never says more or less than the screen.
 */

export const EXPORT_FORMATS = ['xlsx', 'csv', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_MEDIA_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
};

/** The query fields a route that exports takes beside its own: spread them into its query schema. */
export const exportQueryShape = {
  format: z.enum(EXPORT_FORMATS).optional().describe('xlsx, csv or pdf: the same answer as a file (see the description); default JSON'),
  lang: z.enum(LANGUAGES).optional().describe('The language of the exported headers and notes; default vi'),
};

/** What the OpenAPI description of a route that exports says about it. */
export const EXPORT_DESCRIPTION =
  'Export: `format=xlsx` (or `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`) answers the same rows as an Excel workbook ' +
  '(headers in Vietnamese, or English with `lang=en`, the unit in the header, numbers and dates as such, and a notes sheet with the source, freshness, coverage and as-of of the figures); ' +
  '`format=csv` (or `Accept: text/csv`) answers them as CSV in UTF-8 with a byte order mark; ' +
  '`format=pdf` (or `Accept: application/pdf`) answers them as an A4 document to print, with the notes below the table and, for a series, its chart ' +
  '(503 `pdf_unavailable` when the server has no Chromium to print with). The caller\'s scope applies as for the JSON answer.';

/** A route description with the export paragraph after it. */
export function withExportDescription(description?: string): string {
  return description ? `${description} ${EXPORT_DESCRIPTION}` : EXPORT_DESCRIPTION;
}

/** The kind of a column's values: how a spreadsheet shows them. */
export type ColumnKind = 'text' | 'integer' | 'number' | 'date' | 'datetime';

export interface TableColumn {
  readonly header: Localised;
  /** Shown in the header: "Giá trị (tỷ đồng)". */
  readonly unit?: string;
  readonly kind: ColumnKind;
  /** Decimals shown for a number (at most; the value keeps its own). */
  readonly decimals?: number;
}

/** A cell: text, a number, a date (`YYYY-MM-DD`) or an instant (ISO 8601), or nothing. */
export type TableCell = string | number | null;

export interface TableNote {
  readonly label: Localised;
  readonly value: Localised | string;
}

export interface ExportTable {
  /** The file name without its extension, e.g. `breakdown-ECO_GRDP-84-2026-10`. */
  readonly name: string;
  readonly title: Localised;
  readonly columns: readonly TableColumn[];
  /** Rows in column order; an async iterable streams a long list. */
  readonly rows: Iterable<readonly TableCell[]> | AsyncIterable<readonly TableCell[]>;
  readonly notes: readonly TableNote[];
  /** A chart drawn above the table in a printed copy: a line per listed column over the `x` column (indices into `columns`). */
  readonly chart?: { readonly x: number; readonly lines: readonly number[] };
}

/** The header of a column in a language, with its unit. */
export function columnHeader(column: TableColumn, lang: Language): string {
  return column.unit ? `${column.header[lang]} (${column.unit})` : column.header[lang];
}

/** A note's value in a language. */
export function noteText(note: TableNote, lang: Language): string {
  return typeof note.value === 'string' ? note.value : note.value[lang];
}

/**
 * The spreadsheet number format of a column: thousands grouped and a
 * decimal mark, shown by Excel in the reader's locale (1.234,5 in
 * Vietnamese); dates as dd/mm/yyyy, instants with the time (Vietnam).
 */
export function spreadsheetFormat(column: TableColumn): string | undefined {
  switch (column.kind) {
    case 'integer':
      return '#,##0';
    case 'number':
      return column.decimals === 0 ? '#,##0' : `#,##0.${'#'.repeat(column.decimals ?? 2)}`;
    case 'date':
      return 'dd/mm/yyyy';
    case 'datetime':
      return 'dd/mm/yyyy hh:mm';
    default:
      return undefined;
  }
}

/** One CSV cell: quoted when needed; text a spreadsheet would run as a formula is defused with a leading apostrophe. */
export function csvCell(v: TableCell, kind: ColumnKind = 'text'): string {
  if (v === null) return '';
  let s = String(v);
  if (kind === 'text' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV line (CRLF-terminated) of a row. */
export function csvLine(cells: readonly TableCell[], columns?: readonly TableColumn[]): string {
  return cells.map((c, i) => csvCell(c, columns?.[i]?.kind)).join(',') + '\r\n';
}

/** The notes of a list: when it was read, that it holds only the caller's scope, and the filters that narrowed it. */
export function listNotes(asOf: string, filters: Readonly<Record<string, unknown>>, source: Localised): TableNote[] {
  const narrowed = Object.entries(filters)
    .filter(([k, v]) => v !== undefined && v !== null && v !== '' && k !== 'format' && k !== 'lang')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('; ');
  return [
    { label: { vi: 'Nguồn', en: 'Source' }, value: source },
    { label: { vi: 'Số liệu tính đến', en: 'As of' }, value: asOf },
    { label: { vi: 'Phạm vi', en: 'Scope' }, value: { vi: 'Chỉ các bản ghi trong phạm vi của người xuất', en: 'Only the records within the exporting user’s scope' } },
    { label: { vi: 'Bộ lọc', en: 'Filters' }, value: narrowed || '—' },
  ];
}
