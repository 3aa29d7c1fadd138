import { listNotes, type DossierListItem, type DossierState, type ExportTable, type Language, type Localised, type TableCell } from '@watchfloor/core';

/** The Decision 766 states in words, as the dossiers screen says them. */
export const DOSSIER_STATE: Record<DossierState, Localised> = {
  early: { vi: 'Giải quyết trước hạn', en: 'Resolved early' },
  on_time: { vi: 'Giải quyết đúng hạn', en: 'Resolved on time' },
  late: { vi: 'Giải quyết quá hạn', en: 'Resolved late' },
  in_process_late: { vi: 'Đang giải quyết, quá hạn', en: 'In process, overdue' },
  due_soon: { vi: 'Đến hạn trong 24 giờ', en: 'Due within 24 hours' },
  not_yet_due: { vi: 'Đang giải quyết, trong hạn', en: 'In process, not yet due' },
};

const CHANNEL: Record<DossierListItem['channel'], Localised> = {
  online: { vi: 'Trực tuyến', en: 'Online' },
  offline: { vi: 'Trực tiếp', en: 'In person' },
};

/** A dossier as a row of the table below. */
const dossierRow = (d: DossierListItem, lang: Language): TableCell[] => [
  d.code,
  d.procedure,
  d.procedureName,
  d.organisation,
  d.organisationName,
  d.place,
  d.placeName,
  CHANNEL[d.channel][lang],
  d.receivedAt,
  d.dueAt,
  d.resolvedAt,
  DOSSIER_STATE[d.state][lang],
  d.daysLate,
];

async function* rowsOf(pages: AsyncIterable<readonly DossierListItem[]>, lang: Language): AsyncGenerator<TableCell[]> {
  for await (const page of pages) for (const d of page) yield dossierRow(d, lang);
}

/**
 * The dossiers list as a table to export: the rows the dossiers screen
 * shows, with the caller's filters in the notes. Given pages
 * (DossiersService.stream), the rows are written as the pages are read,
 * so a list of any length streams.
 */
export function dossiersTable(dossiers: readonly DossierListItem[] | AsyncIterable<readonly DossierListItem[]>, lang: Language, asOf: string, filters: Readonly<Record<string, unknown>>): ExportTable {
  return {
    name: `dossiers-${asOf.slice(0, 10)}`,
    title: { vi: 'Danh sách hồ sơ thủ tục hành chính', en: 'Administrative dossiers' },
    columns: [
      { header: { vi: 'Mã hồ sơ', en: 'Dossier code' }, kind: 'text' },
      { header: { vi: 'Mã thủ tục', en: 'Procedure code' }, kind: 'text' },
      { header: { vi: 'Tên thủ tục', en: 'Procedure' }, kind: 'text' },
      { header: { vi: 'Mã cơ quan', en: 'Agency code' }, kind: 'text' },
      { header: { vi: 'Cơ quan giải quyết', en: 'Handling agency' }, kind: 'text' },
      { header: { vi: 'Mã đơn vị hành chính', en: 'Place code' }, kind: 'text' },
      { header: { vi: 'Đơn vị hành chính', en: 'Place' }, kind: 'text' },
      { header: { vi: 'Hình thức nộp', en: 'Channel' }, kind: 'text' },
      { header: { vi: 'Tiếp nhận lúc', en: 'Received at' }, kind: 'datetime' },
      { header: { vi: 'Hẹn trả kết quả', en: 'Due at' }, kind: 'datetime' },
      { header: { vi: 'Trả kết quả lúc', en: 'Resolved at' }, kind: 'datetime' },
      { header: { vi: 'Tình trạng (QĐ 766)', en: 'State (Decision 766)' }, kind: 'text' },
      { header: { vi: 'Số ngày quá hạn', en: 'Days overdue' }, kind: 'number', decimals: 1 },
    ],
    rows: Array.isArray(dossiers) ? (dossiers as readonly DossierListItem[]).map((d) => dossierRow(d, lang)) : rowsOf(dossiers as AsyncIterable<readonly DossierListItem[]>, lang),
    notes: listNotes(asOf, filters, { vi: 'Hệ thống thông tin giải quyết thủ tục hành chính (một cửa)', en: 'The one-stop administrative procedure system' }),
  };
}
