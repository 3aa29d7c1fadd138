/**
 * The words of the leader's office's import of directive files (one row per
 * task from the e-office system), merged into the message tables of
 * messages.ts. Vietnamese is complete; every key has its English too.
 */
export const directiveImportVi = {
  'dirImport.title': 'Nhập văn bản từ hệ thống quản lý văn bản',
  'dirImport.intro':
    'Tệp CSV hoặc XLSX, mỗi nhiệm vụ một dòng, thông tin văn bản lặp lại trên mỗi dòng. Các cột: Số/ký hiệu, Ngày ban hành, Cơ quan ban hành, Người ký, Loại văn bản, Trích yếu, Nội dung nhiệm vụ, Mã nhiệm vụ, Đơn vị chủ trì, Đơn vị phối hợp (mã hoặc tên cơ quan, ví dụ Sở Tài chính), Hạn xử lý. Gửi lại văn bản đã sửa: nhiệm vụ được cập nhật theo mã, báo cáo đã có được giữ.',
  'dirImport.template': 'Tải tệp mẫu (XLSX)',
  'dirImport.source': 'Nguồn dữ liệu',
  'dirImport.noSource': 'Chưa có nguồn dữ liệu văn bản chỉ đạo nào (nguồn có đích "directives"): nhờ quản trị dữ liệu đăng ký nguồn trước.',
  'dirImport.file': 'Tệp',
  'dirImport.check': 'Kiểm tra',
  'dirImport.checking': 'Đang kiểm tra…',
  'dirImport.previewOf': 'Kết quả kiểm tra {name} (chưa lưu)',
  'dirImport.summary': '{accepted}/{read} dòng hợp lệ: {created} nhiệm vụ mới, {revised} nhiệm vụ thay đổi, {unchanged} không đổi.',
  'dirImport.rejected': '{n} dòng bị từ chối',
  'dirImport.commit': 'Lưu {n} dòng hợp lệ',
  'dirImport.saving': 'Đang lưu…',
  'dirImport.done': 'Đã lưu {name}.',
  'dirImport.nothing': 'Không có dòng nào hợp lệ để lưu.',
} as const;

export const directiveImportEn: Record<keyof typeof directiveImportVi, string> = {
  'dirImport.title': 'Import documents from the document management system',
  'dirImport.intro':
    'A CSV or XLSX file, one task per row, the document’s fields repeated on each row. Columns: Số/ký hiệu (number), Ngày ban hành (date), Cơ quan ban hành (issuer), Người ký (signer), Loại văn bản (kind), Trích yếu (summary), Nội dung nhiệm vụ (task), Mã nhiệm vụ (key), Đơn vị chủ trì (lead), Đơn vị phối hợp (co-operating) — an agency’s code or name, such as Sở Tài chính — Hạn xử lý (deadline). Re-sending a corrected document updates its tasks by key and keeps their reports.',
  'dirImport.template': 'Download the template (XLSX)',
  'dirImport.source': 'Source',
  'dirImport.noSource': 'No directive source is registered yet (a source whose target is "directives"): ask a data steward to register one first.',
  'dirImport.file': 'File',
  'dirImport.check': 'Check',
  'dirImport.checking': 'Checking…',
  'dirImport.previewOf': 'Check of {name} (not saved)',
  'dirImport.summary': '{accepted}/{read} rows valid: {created} new tasks, {revised} changed, {unchanged} unchanged.',
  'dirImport.rejected': '{n} rows refused',
  'dirImport.commit': 'Save the {n} valid rows',
  'dirImport.saving': 'Saving…',
  'dirImport.done': '{name} saved.',
  'dirImport.nothing': 'No valid row to save.',
};
