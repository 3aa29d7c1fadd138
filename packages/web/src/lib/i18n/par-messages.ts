/**
 * The PAR Index assessment screens' words (a unit's assessment, the cycle
 * desk, opening a cycle), merged into the message tables of messages.ts.
 * Vietnamese is complete; every key has its English too.
 */
export const parVi = {
  'error.unknown_par_framework': 'Không có bộ chỉ số cải cách hành chính nào mang mã này.',
  'error.invalid_par_framework': 'Bộ chỉ số không hợp lệ: xem chi tiết bên dưới.',
  'error.par_framework_exists': 'Đã có bộ chỉ số mang mã này.',
  'error.par_framework_in_use': 'Bộ chỉ số đã được dùng cho một kỳ đánh giá nên không thay thế được: hãy sao chép sang mã mới.',
  'error.unknown_par_cycle': 'Không có kỳ đánh giá Chỉ số cải cách hành chính nào mang số này (hoặc kỳ chưa được công bố).',
  'error.par_cycle_exists': 'Bộ chỉ số này đã có kỳ đánh giá.',
  'error.par_cycle_published': 'Kết quả kỳ đánh giá đã được công bố: không thay đổi được nữa.',
  'error.par_cycle_not_decided': 'Chưa công bố được: còn đơn vị chưa có kết quả thẩm định cuối cùng của Hội đồng.',
  'error.unknown_par_unit': 'Đơn vị này không được đánh giá trong kỳ này, hoặc nằm ngoài phạm vi của bạn.',
  'error.unknown_par_criterion': 'Bộ chỉ số không có tiêu chí này, hoặc tiêu chí không áp dụng cho đơn vị.',
  'error.par_step_not_allowed': 'Bước này không thực hiện được ở trạng thái hiện tại của bản đánh giá (có thể vừa được người khác cập nhật).',
  'error.par_window_closed': 'Đã hết thời hạn giải trình: Hội đồng quyết định trên kết quả thẩm định.',
  'error.par_points_out_of_range': 'Điểm phải từ 0 đến điểm tối đa của tiêu chí.',
  'error.par_points_not_assessed': 'Điểm của tiêu chí này được tính từ số liệu, không tự chấm được: hãy nêu lý do nếu không đồng ý.',
  'error.par_reason_required': 'Cần ghi lý do.',
  'error.par_evidence_required': 'Còn tiêu chí chưa chấm điểm hoặc chưa có tài liệu kiểm chứng bắt buộc.',
  'error.evidence_type_not_allowed': 'Tài liệu kiểm chứng chỉ nhận tệp PDF, PNG hoặc JPEG.',
  'error.unknown_evidence': 'Không tìm thấy tài liệu kiểm chứng này (có thể đã bị xóa).',
} as const;

export const parEn: Partial<Record<keyof typeof parVi, string>> = {
  'error.unknown_par_framework': 'No PAR Index framework has this code.',
  'error.invalid_par_framework': 'The framework is not valid: see the details below.',
  'error.par_framework_exists': 'A framework with this code already exists.',
  'error.par_framework_in_use': 'A cycle was opened on this framework, so it cannot be replaced: copy it to a new code.',
  'error.unknown_par_cycle': 'No PAR Index assessment cycle has this number (or it is not published yet).',
  'error.par_cycle_exists': 'This framework already has a cycle.',
  'error.par_cycle_published': 'The cycle’s results are published: they can no longer change.',
  'error.par_cycle_not_decided': 'Not published: the council has not decided every unit yet.',
  'error.unknown_par_unit': 'This unit is not assessed in this cycle, or is outside your scope.',
  'error.unknown_par_criterion': 'The framework has no such criterion, or it does not apply to the unit.',
  'error.par_step_not_allowed': 'This step cannot be taken at the assessment’s present status (someone may just have updated it).',
  'error.par_window_closed': 'The window to answer has closed: the council decides on the appraisal.',
  'error.par_points_out_of_range': 'Points go from 0 to the criterion’s maximum.',
  'error.par_points_not_assessed': 'This criterion’s points are computed from figures and cannot be typed: give a reason if you dispute them.',
  'error.par_reason_required': 'A reason is required.',
  'error.par_evidence_required': 'Some criteria are not scored yet or lack the evidence they require.',
  'error.evidence_type_not_allowed': 'Evidence files are PDF, PNG or JPEG only.',
  'error.unknown_evidence': 'This evidence file was not found (it may have been removed).',
};
