import { PassThrough, Readable, type Writable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import ExcelJS from 'exceljs';
import {
  EXPORT_MEDIA_TYPES,
  VIETNAM_UTC_OFFSET_MINUTES,
  columnHeader,
  csvLine,
  noteText,
  spreadsheetFormat,
  type ExportFormat,
  type ExportTable,
  type Language,
  type TableCell,
  type TableColumn,
} from '@watchfloor/core';
import { tableHtml } from './print';
import type { PdfPrinter } from './pdf';

/**
 * A table written to the reply as a file: XLSX through exceljs's streaming
 * writer (rows leave as they are written, a long list is never held whole)
 * or CSV in UTF-8 with a byte order mark, so Excel opens Vietnamese text
 * as it is; or PDF, printed from the table's page (print.ts, pdf.ts).
 * Routes that answer a screen's JSON call `exportFormatOf` and,
 * when a file is asked for, build the table from the same answer.
 */

/** The file the caller asked for: `format=xlsx|csv|pdf` in the query, or an Accept header of one of those types; null for JSON. */
export function exportFormatOf(req: FastifyRequest): ExportFormat | null {
  const format = (req.query as { format?: ExportFormat } | undefined)?.format;
  if (format) return format;
  const accept = req.headers.accept ?? '';
  if (accept.includes(EXPORT_MEDIA_TYPES.xlsx)) return 'xlsx';
  if (/(^|,)\s*text\/csv/.test(accept)) return 'csv';
  if (/(^|,)\s*application\/pdf/.test(accept)) return 'pdf';
  return null;
}

/** The language of the export's headers and notes (`lang=en`), Vietnamese by default. */
export function exportLanguageOf(req: FastifyRequest): Language {
  return (req.query as { lang?: Language } | undefined)?.lang === 'en' ? 'en' : 'vi';
}

/** Sends the table as the file asked for, in the caller's language. */
export function sendTable(reply: FastifyReply, table: ExportTable, format: ExportFormat, lang: Language): FastifyReply | Promise<FastifyReply> {
  if (format === 'pdf') return sendPdf(reply, table, lang);
  const body = format === 'csv' ? Readable.from(csvChunks(table, lang)) : xlsxStream(table, lang, (err) => reply.log.error({ err }, 'export failed mid-stream'));
  return reply
    .header('content-type', EXPORT_MEDIA_TYPES[format])
    .header('content-disposition', `attachment; filename="${fileName(table)}.${format}"`)
    .header('cache-control', 'no-store')
    .send(body);
}

/** The table printed: the whole table is laid out before the page is printed, so its rows are read first. */
async function sendPdf(reply: FastifyReply, table: ExportTable, lang: Language): Promise<FastifyReply> {
  const printer = reply.server.pdf;
  if (!printer.available()) throw printer.unavailable();
  const file = await printer.print(await tableHtml(table, lang), { landscape: table.columns.length > 6 });
  return reply
    .header('content-type', EXPORT_MEDIA_TYPES.pdf)
    .header('content-disposition', `attachment; filename="${fileName(table)}.pdf"`)
    .header('cache-control', 'no-store')
    .send(file);
}

const fileName = (table: ExportTable) => table.name.replace(/[^A-Za-z0-9._-]/g, '_');

async function* csvChunks(table: ExportTable, lang: Language): AsyncGenerator<string> {
  yield '\uFEFF' + csvLine(table.columns.map((c) => columnHeader(c, lang)));
  let batch = '';
  for await (const row of table.rows) {
    batch += csvLine(row, table.columns);
    if (batch.length >= 64 * 1024) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

/** A cell as a spreadsheet holds it: a date as a date (Vietnam time for an instant), a number as a number. */
function xlsxValue(v: TableCell, column: TableColumn): ExcelJS.CellValue {
  if (v === null) return null;
  if (column.kind === 'date' && typeof v === 'string') return new Date(`${v.slice(0, 10)}T00:00:00Z`);
  if (column.kind === 'datetime' && typeof v === 'string') return new Date(Date.parse(v) + VIETNAM_UTC_OFFSET_MINUTES * 60_000);
  return v;
}

/** How often, in rows, the writer checks whether the reader keeps up. */
const BACKPRESSURE_ROWS = 500;
/** What may wait in memory for a slow reader before the writer waits too. */
const BUFFERED_BYTES = 1024 * 1024;

/**
 * The sheet's XML on its way into the compressor: exceljs's streaming
 * writer pipes the sheet's stream into archiver's input, an older
 * readable-stream whose buffer is read from its state (no `writableLength`).
 */
type SheetInternals = { stream?: { pipes?: readonly (Partial<Writable> & { _writableState?: { length?: number } })[] } };

/**
 * Waits while the file's bytes wait: exceljs hands every row it is given
 * to the compressor at once, ignoring backpressure, so without this a
 * compressor slower than the database, or a reader slower than both (a
 * phone, a far office), would have the whole workbook held in memory. The
 * writer waits while more than a megabyte waits to be compressed or read.
 */
async function drained(sheet: unknown, out: PassThrough): Promise<void> {
  const pipes = (sheet as SheetInternals).stream?.pipes ?? [];
  const waiting = () => out.readableLength + pipes.reduce((n, p) => n + (p.writableLength ?? p._writableState?.length ?? 0), 0);
  await new Promise((resolve) => setImmediate(resolve));
  while (waiting() > BUFFERED_BYTES && !out.destroyed) await new Promise((resolve) => setTimeout(resolve, 2));
}

function xlsxStream(table: ExportTable, lang: Language, onError: (err: unknown) => void): PassThrough {
  const out = new PassThrough();
  const write = async () => {
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    book.creator = 'Watchfloor';
    const sheet = book.addWorksheet(lang === 'vi' ? 'Dữ liệu' : 'Data', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = table.columns.map((c) => {
      const numFmt = spreadsheetFormat(c);
      return { header: columnHeader(c, lang), width: Math.min(48, Math.max(12, columnHeader(c, lang).length + 2)), ...(numFmt ? { style: { numFmt } } : {}) };
    });
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    let n = 0;
    for await (const row of table.rows) {
      sheet.addRow(row.map((v, i) => xlsxValue(v, table.columns[i]!))).commit();
      if (++n % BACKPRESSURE_ROWS === 0) await drained(sheet, out);
    }
    sheet.commit();
    const notes = book.addWorksheet(lang === 'vi' ? 'Ghi chú' : 'Notes');
    notes.columns = [{ width: 28 }, { width: 80 }];
    notes.addRow([lang === 'vi' ? 'Bảng' : 'Table', table.title[lang]]).commit();
    for (const n of table.notes) notes.addRow([n.label[lang], noteText(n, lang)]).commit();
    notes.commit();
    await book.commit();
  };
  write().catch((err: unknown) => {
    onError(err);
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return out;
}

/**
 * The table as a whole file, for what is not answered to a request (a
 * scheduled export kept and e-mailed): the same bytes `sendTable` writes.
 */
export async function tableFile(table: ExportTable, format: ExportFormat, lang: Language, printer: PdfPrinter): Promise<Buffer> {
  if (format === 'pdf') return printer.print(await tableHtml(table, lang), { landscape: table.columns.length > 6 });
  const chunks: Buffer[] = [];
  if (format === 'csv') {
    for await (const chunk of csvChunks(table, lang)) chunks.push(Buffer.from(chunk, 'utf8'));
    return Buffer.concat(chunks);
  }
  let failed: unknown = null;
  const stream = xlsxStream(table, lang, (err) => (failed = err));
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  if (failed) throw failed;
  return Buffer.concat(chunks);
}
