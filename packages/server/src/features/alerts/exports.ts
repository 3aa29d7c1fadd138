import { listNotes, type Alert, type ExportTable } from '@watchfloor/core';

/** The alerts list as a table to export: the rows the alerts desk shows, with the caller's filters in the notes. */
export function alertsTable(alerts: readonly Alert[], asOf: string, filters: Readonly<Record<string, unknown>>): ExportTable {
  return {
    name: `alerts-${asOf.slice(0, 10)}`,
    title: { vi: 'Danh sách cảnh báo', en: 'Alerts' },
    columns: [
      { header: { vi: 'Mã', en: 'Id' }, kind: 'integer' },
      { header: { vi: 'Quy tắc', en: 'Rule' }, kind: 'text' },
      { header: { vi: 'Mức độ', en: 'Severity' }, kind: 'text' },
      { header: { vi: 'Trạng thái', en: 'Status' }, kind: 'text' },
      { header: { vi: 'Mã đơn vị hành chính', en: 'Place code' }, kind: 'text' },
      { header: { vi: 'Cơ quan chịu trách nhiệm', en: 'Responsible agency' }, kind: 'text' },
      { header: { vi: 'Nội dung', en: 'Message' }, kind: 'text' },
      { header: { vi: 'Giá trị', en: 'Value' }, kind: 'number' },
      { header: { vi: 'Mở lúc', en: 'Opened at' }, kind: 'datetime' },
      { header: { vi: 'Xác nhận lúc', en: 'Acknowledged at' }, kind: 'datetime' },
      { header: { vi: 'Kết thúc lúc', en: 'Resolved at' }, kind: 'datetime' },
      { header: { vi: 'Cấp chuyển lên', en: 'Escalation level' }, kind: 'integer' },
    ],
    rows: alerts.map((a) => [a.id, a.rule, a.severity, a.status, a.placeCode, a.agency, a.message, a.value, a.openedAt, a.acknowledgedAt, a.resolvedAt, a.escalationLevel]),
    notes: listNotes(asOf, filters, { vi: 'Các quy tắc cảnh báo của IOC và bản tin CAP nhận về', en: 'The IOC alert rules and imported CAP messages' }),
  };
}
