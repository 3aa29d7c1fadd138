import { listNotes, type Case, type ExportTable, type TableCell } from '@watchfloor/core';

/** A case as a row of the table below. */
const caseRow = (c: Case): TableCell[] => [
  c.id,
  c.category,
  c.title,
  c.placeCode,
  c.address,
  c.organisationName ?? c.organisation,
  c.status,
  c.priority,
  c.channel,
  c.receivedAt,
  c.deadlineAt,
  c.deadlineState,
  c.satisfaction,
];

async function* rowsOf(pages: AsyncIterable<readonly Case[]>): AsyncGenerator<TableCell[]> {
  for await (const page of pages) for (const c of page) yield caseRow(c);
}

/**
 * The cases list as a table to export: the rows the cases board shows, with
 * the caller's filters in the notes. Given pages (CasesService.stream), the
 * rows are written as the pages are read, so a list of any length streams.
 */
export function casesTable(cases: readonly Case[] | AsyncIterable<readonly Case[]>, asOf: string, filters: Readonly<Record<string, unknown>>): ExportTable {
  return {
    name: `cases-${asOf.slice(0, 10)}`,
    title: { vi: 'Danh sách phản ánh, kiến nghị', en: 'Cases' },
    columns: [
      { header: { vi: 'Mã', en: 'Id' }, kind: 'text' },
      { header: { vi: 'Lĩnh vực', en: 'Category' }, kind: 'text' },
      { header: { vi: 'Tiêu đề', en: 'Title' }, kind: 'text' },
      { header: { vi: 'Mã đơn vị hành chính', en: 'Place code' }, kind: 'text' },
      { header: { vi: 'Địa chỉ', en: 'Address' }, kind: 'text' },
      { header: { vi: 'Cơ quan xử lý', en: 'Handling agency' }, kind: 'text' },
      { header: { vi: 'Trạng thái', en: 'Status' }, kind: 'text' },
      { header: { vi: 'Mức ưu tiên', en: 'Priority' }, kind: 'text' },
      { header: { vi: 'Kênh', en: 'Channel' }, kind: 'text' },
      { header: { vi: 'Tiếp nhận lúc', en: 'Received at' }, kind: 'datetime' },
      { header: { vi: 'Hạn xử lý', en: 'Deadline' }, kind: 'datetime' },
      { header: { vi: 'Tình trạng hạn', en: 'Deadline state' }, kind: 'text' },
      { header: { vi: 'Đánh giá (1–5)', en: 'Rating (1–5)' }, kind: 'integer' },
    ],
    rows: Array.isArray(cases) ? (cases as readonly Case[]).map(caseRow) : rowsOf(cases as AsyncIterable<readonly Case[]>),
    notes: listNotes(asOf, filters, { vi: 'Hệ thống tiếp nhận phản ánh của IOC', en: 'The IOC case register' }),
  };
}
