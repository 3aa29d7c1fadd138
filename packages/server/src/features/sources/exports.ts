import type { ExportTable, FreshnessState, Language, Localised, Run, RunChannel, RunStatus, Source, TableNote } from '@watchfloor/core';

/** A source's runs as a table to export: one row per run, newest first, as the data desk lists them. */

export const RUN_STATUS: Record<RunStatus, Localised> = {
  running: { vi: 'Đang chạy', en: 'Running' },
  succeeded: { vi: 'Thành công', en: 'Succeeded' },
  partial: { vi: 'Một phần', en: 'Partial' },
  failed: { vi: 'Thất bại', en: 'Failed' },
};

export const CHANNEL: Record<RunChannel, Localised> = {
  http_push: { vi: 'Đẩy qua API', en: 'API push' },
  file: { vi: 'Tệp', en: 'File' },
  http_pull: { vi: 'Lấy qua API', en: 'API pull' },
  sql_pull: { vi: 'Lấy từ CSDL', en: 'Database pull' },
  mqtt: { vi: 'Cảm biến (MQTT)', en: 'Sensors (MQTT)' },
  manual: { vi: 'Nhập tay', en: 'Manual entry' },
  derived: { vi: 'Tính từ hồ sơ, phản ánh', en: 'Computed from cases, dossiers' },
};

export const FRESHNESS_STATE: Record<FreshnessState, Localised> = {
  fresh: { vi: 'Đúng hạn', en: 'On time' },
  awaiting: { vi: 'Đang chờ', en: 'Awaiting' },
  late: { vi: 'Trễ hạn', en: 'Late' },
  no_expectation: { vi: 'Không có lịch', en: 'No schedule' },
  disabled: { vi: 'Tạm ngừng', en: 'Disabled' },
};

export function runsTable(source: Source, runs: readonly Run[], lang: Language, asOf: string, filters: { limit: number; before?: number | undefined }): ExportTable {
  const notes: TableNote[] = [
    { label: { vi: 'Nguồn', en: 'Source' }, value: `${source.code} — ${source.name}` },
    { label: { vi: 'Cơ quan sở hữu', en: 'Owning agency' }, value: source.ownerOrganisationCode },
    { label: { vi: 'Số lượt', en: 'Runs' }, value: { vi: `${runs.length} lượt gần nhất (tối đa ${filters.limit})`, en: `The latest ${runs.length} (at most ${filters.limit})` } },
    ...(filters.before ? [{ label: { vi: 'Trước lượt', en: 'Before run' }, value: `#${filters.before}` }] : []),
    { label: { vi: 'Tính đến', en: 'As of' }, value: asOf },
  ];
  return {
    name: `runs-${source.code}`,
    title: { vi: `Các lượt nhận số liệu — ${source.name}`, en: `Runs — ${source.name}` },
    columns: [
      { header: { vi: 'Lượt', en: 'Run' }, kind: 'integer' },
      { header: { vi: 'Bắt đầu', en: 'Started' }, kind: 'datetime' },
      { header: { vi: 'Kết thúc', en: 'Finished' }, kind: 'datetime' },
      { header: { vi: 'Thời gian', en: 'Duration' }, unit: 's', kind: 'number', decimals: 1 },
      { header: { vi: 'Kênh', en: 'Channel' }, kind: 'text' },
      { header: { vi: 'Trạng thái', en: 'Status' }, kind: 'text' },
      { header: { vi: 'Dòng đã đọc', en: 'Rows read' }, kind: 'integer' },
      { header: { vi: 'Dòng nhận', en: 'Rows accepted' }, kind: 'integer' },
      { header: { vi: 'Dòng từ chối', en: 'Rows rejected' }, kind: 'integer' },
      { header: { vi: 'Mới', en: 'New' }, kind: 'integer' },
      { header: { vi: 'Sửa', en: 'Revised' }, kind: 'integer' },
      { header: { vi: 'Không đổi', en: 'Unchanged' }, kind: 'integer' },
      { header: { vi: 'Tệp', en: 'File' }, kind: 'text' },
      { header: { vi: 'Người nhập', en: 'Entered by' }, kind: 'text' },
      { header: { vi: 'Lỗi', en: 'Error' }, kind: 'text' },
    ],
    rows: runs.map((r) => [
      r.id,
      r.startedAt,
      r.finishedAt,
      r.durationMs === null ? null : r.durationMs / 1000,
      CHANNEL[r.channel][lang],
      RUN_STATUS[r.status][lang],
      r.rowsRead,
      r.rowsAccepted,
      r.rowsRejected,
      r.created,
      r.revised,
      r.unchanged,
      r.fileName,
      r.enteredBy,
      r.errorCode ? `${r.errorCode}: ${r.error ?? ''}` : r.error,
    ]),
    notes,
  };
}
