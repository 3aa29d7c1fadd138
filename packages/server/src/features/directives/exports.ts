import { listNotes, type DirectiveOverdue, type ExportTable } from '@watchfloor/core';

/** The tasks overdue now as a table to export: the list /directives shows, most late first. */
export function overdueTable(tasks: readonly DirectiveOverdue[], asOf: string, filters: Readonly<Record<string, unknown>>): ExportTable {
  return {
    name: `directives-overdue-${asOf.slice(0, 10)}`,
    title: { vi: 'Nhiệm vụ chỉ đạo quá hạn', en: 'Directive tasks overdue' },
    columns: [
      { header: { vi: 'Số văn bản', en: 'Document number' }, kind: 'text' },
      { header: { vi: 'Ngày văn bản', en: 'Document date' }, kind: 'date' },
      { header: { vi: 'Nhiệm vụ', en: 'Task' }, kind: 'text' },
      { header: { vi: 'Kỳ', en: 'Occurrence' }, kind: 'text' },
      { header: { vi: 'Mã cơ quan chủ trì', en: 'Lead agency code' }, kind: 'text' },
      { header: { vi: 'Cơ quan chủ trì', en: 'Lead agency' }, kind: 'text' },
      { header: { vi: 'Hạn', en: 'Deadline' }, kind: 'date' },
      { header: { vi: 'Hạn ban đầu', en: 'Original deadline' }, kind: 'date' },
      { header: { vi: 'Số ngày quá hạn', en: 'Days late' }, kind: 'integer' },
      { header: { vi: 'Tiến độ', en: 'Progress' }, unit: '%', kind: 'integer' },
    ],
    rows: tasks.map((t) => [t.documentNumber, t.documentDate, t.text, t.occurrence, t.lead.code, t.lead.name, t.deadline, t.originalDeadline, t.daysLate, t.percent]),
    notes: listNotes(asOf, filters, { vi: 'Sổ theo dõi nhiệm vụ chỉ đạo của lãnh đạo', en: 'The register of leadership directives' }),
  };
}
