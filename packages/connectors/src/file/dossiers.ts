import { AppError, type FileEncoding } from '@watchfloor/core';
import { cutRaw, type ReadRow } from '../rows';
import type { TableRecord } from './csv';
import type { EncodingRead } from './encoding';
import { foldHeader } from './headers';
import { firstReadableSheet, openTableFile } from './read';
import { DEFAULT_FILE_LIMITS, type FileLimits, type FileSource } from './source';
import { tooLongRow, tooManyRows } from './table';

/**
 * Public-service dossiers (hồ sơ TTHC) as the one-stop-shop systems export
 * them: a CSV or XLSX table with Vietnamese (or English) headers — "Mã hồ
 * sơ", "Thủ tục", "Cơ quan", "Ngày tiếp nhận", "Hạn xử lý", "Ngày trả kết
 * quả", "Trực tuyến" … — and dates written dd/mm/yyyy HH:mm in Vietnam's
 * time. Each row becomes a dossier row for the dossier write path, which
 * checks it; a cell that cannot be read is passed on as written, so the
 * row is refused there with the field named.
 */
export type DossierField = 'code' | 'procedure' | 'procedureName' | 'organisation' | 'place' | 'receivedAt' | 'dueAt' | 'resolvedAt' | 'channel' | 'paidOnline';

export const DOSSIER_HEADER_ALIASES: Record<DossierField, readonly string[]> = {
  code: ['Mã hồ sơ', 'Số hồ sơ', 'code', 'dossier code'],
  procedure: ['Thủ tục', 'Mã thủ tục', 'Mã TTHC', 'procedure', 'procedure code'],
  procedureName: ['Tên thủ tục', 'Tên TTHC', 'procedure name', 'procedureName'],
  organisation: ['Cơ quan', 'Mã cơ quan', 'Cơ quan giải quyết', 'Đơn vị xử lý', 'organisation', 'agency'],
  place: ['Mã đơn vị hành chính', 'Địa bàn', 'Mã xã', 'Mã đơn vị', 'place'],
  receivedAt: ['Ngày tiếp nhận', 'Ngày nhận', 'received', 'receivedAt', 'received at'],
  dueAt: ['Hạn xử lý', 'Hạn giải quyết', 'Ngày hẹn trả', 'due', 'dueAt', 'due at'],
  resolvedAt: ['Ngày trả kết quả', 'Ngày có kết quả', 'Ngày hoàn thành', 'resolved', 'resolvedAt', 'resolved at'],
  channel: ['Trực tuyến', 'Kênh tiếp nhận', 'Hình thức tiếp nhận', 'channel', 'online'],
  paidOnline: ['Thanh toán trực tuyến', 'Đã thanh toán trực tuyến', 'paid online', 'paidOnline'],
};

const KNOWN = new Map<string, DossierField>();
for (const [field, names] of Object.entries(DOSSIER_HEADER_ALIASES) as [DossierField, readonly string[]][]) for (const n of names) KNOWN.set(foldHeader(n), field);

const REQUIRED: readonly DossierField[] = ['code', 'procedure', 'receivedAt', 'dueAt'];
const HEADER_SEARCH = 20;

const YES = new Set(['co', 'x', '1', 'true', 'yes', 'y', 'truc tuyen', 'online', 'da thanh toan']);
const NO = new Set(['khong', '0', 'false', 'no', 'n', 'truc tiep', 'offline', 'buu chinh', 'chua thanh toan']);

type Cell = TableRecord['cells'][number];

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A date cell as an instant with Vietnam's offset. Text: dd/mm/yyyy with an
 * optional HH:mm[:ss], or an ISO instant as it is. A spreadsheet date has
 * no zone: its clock reading is taken as Vietnam's. A due date without a
 * time means the end of that day; other dates without a time its start.
 */
export function dossierInstant(cell: Cell, endOfDay = false): string | null {
  if (cell === null || cell === '') return null;
  const dayTime = endOfDay ? '23:59:59' : '00:00:00';
  if (cell instanceof Date) {
    const d = cell;
    const hasTime = d.getUTCHours() !== 0 || d.getUTCMinutes() !== 0 || d.getUTCSeconds() !== 0;
    const time = hasTime ? `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` : dayTime;
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${time}+07:00`;
  }
  const text = String(cell).trim();
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!m) return text;
  const [, dd, mm, yyyy, hh, mi, ss] = m;
  const time = hh === undefined ? dayTime : `${pad(Number(hh))}:${mi}:${ss ?? '00'}`;
  return `${yyyy}-${pad(Number(mm))}-${pad(Number(dd))}T${time}+07:00`;
}

function yesNo(cell: Cell): boolean | string | undefined {
  if (cell === null || cell === '') return undefined;
  if (typeof cell === 'number') return cell !== 0;
  const f = foldHeader(String(cell));
  if (YES.has(f)) return true;
  if (NO.has(f)) return false;
  return String(cell);
}

const textOf = (c: Cell): string => (c === null ? '' : c instanceof Date ? c.toISOString() : String(c).trim());

/** The dossier fields of a header row (null: ignored); a field named twice keeps its first column. */
export function mapDossierHeaders(cells: readonly string[]): (DossierField | null)[] {
  const taken = new Set<DossierField>();
  return cells.map((c) => {
    const field = KNOWN.get(foldHeader(c)) ?? null;
    if (field === null || taken.has(field)) return null;
    taken.add(field);
    return field;
  });
}

function toRow(r: TableRecord, fields: readonly (DossierField | null)[]): ReadRow {
  const row: Record<string, unknown> = {};
  fields.forEach((field, i) => {
    if (field === null) return;
    const cell = r.cells[i] ?? null;
    switch (field) {
      case 'receivedAt':
      case 'dueAt':
      case 'resolvedAt': {
        const v = dossierInstant(cell, field === 'dueAt');
        if (v !== null) row[field] = v;
        else if (field === 'resolvedAt') row[field] = null;
        break;
      }
      case 'channel': {
        const v = yesNo(cell);
        row.channel = v === true ? 'online' : v === false || v === undefined ? 'offline' : v;
        break;
      }
      case 'paidOnline': {
        const v = yesNo(cell);
        if (v !== undefined) row.paidOnline = v;
        break;
      }
      case 'place': {
        const text = textOf(cell);
        if (text !== '') row.place = typeof cell === 'number' ? String(cell).padStart(2, '0') : text;
        break;
      }
      default: {
        const text = textOf(cell);
        if (text !== '') row[field] = text;
      }
    }
  });
  return { line: r.line, raw: cutRaw(r.raw), value: row };
}

async function readDossierTable(records: () => AsyncIterable<TableRecord>, required: readonly DossierField[], maxRows: number): Promise<{ headerLine: number; rows: AsyncIterable<ReadRow> }> {
  let header: { line: number; fields: (DossierField | null)[] } | null = null;
  let best: { cells: string[]; missing: DossierField[] } | null = null;
  let seen = 0;
  for await (const r of records()) {
    if (++seen > HEADER_SEARCH) break;
    const cells = r.cells.map(textOf);
    const fields = mapDossierHeaders(cells);
    const missing = required.filter((f) => !fields.includes(f));
    if (missing.length === 0) {
      header = { line: r.line, fields };
      break;
    }
    if (!best || missing.length < best.missing.length) best = { cells, missing };
  }
  if (seen === 0) throw new AppError('empty_file', 'The file holds no rows');
  if (!header) {
    throw new AppError('missing_columns', `No header row names the dossier columns ${(best?.missing ?? required).join(', ')} (e.g. "Mã hồ sơ", "Thủ tục", "Ngày tiếp nhận", "Hạn xử lý")`, {
      missing: best?.missing ?? required,
      closestHeader: best?.cells ?? [],
    });
  }
  const { line: headerLine, fields } = header;
  const isData = (r: TableRecord) => r.line > headerLine && (r.tooLong === true || !r.cells.every((c) => c === null || textOf(c) === ''));
  // Counted before anything is written, so a file beyond the limit writes nothing.
  let count = 0;
  for await (const r of records()) if (isData(r) && ++count > maxRows) throw tooManyRows(maxRows);
  async function* rows(): AsyncGenerator<ReadRow> {
    for await (const r of records()) {
      if (!isData(r)) continue;
      yield r.tooLong ? tooLongRow(r) : toRow(r, fields);
    }
  }
  return { headerLine, rows: { [Symbol.asyncIterator]: rows } };
}

/**
 * Reads a dossier file (CSV in a known encoding, or XLSX, told by its bytes), as a stream
 * within the limits. `organisation` may be left to the source's defaults,
 * so only the code, procedure, receipt and due date columns are required.
 */
export async function readDossierFile(
  input: FileSource | Buffer,
  fileName: string,
  limits: FileLimits = DEFAULT_FILE_LIMITS,
  encoding: FileEncoding | null = null,
): Promise<{ format: 'csv' | 'xlsx'; headerLine: number; rows: AsyncIterable<ReadRow>; numberHabit: null; encoding: EncodingRead | null }> {
  const file = await openTableFile(input, fileName, limits, encoding);
  if (file.format === 'xlsx') return { ...(await firstReadableSheet(file.sheets, (records) => readDossierTable(records, REQUIRED, limits.maxRows))), format: 'xlsx', numberHabit: null, encoding: null };
  return { ...(await readDossierTable(file.records, REQUIRED, limits.maxRows)), format: 'csv', numberHabit: null, encoding: file.encoding };
}
