import { z } from 'zod';

/**
 * Why one row of a batch was refused — on every channel (push, upload,
 * manual entry, pulls, MQTT, readings, dossiers, targets) — as one registry,
 * like the error codes: a stable code and what it means to the person who
 * sent the row, in Vietnamese and English. A channel refuses a row with one
 * of these or not at all.
 */
export const REJECTION_REASONS = {
  // The row itself
  invalid_row: { vi: 'Dòng không đúng khuôn dạng (thiếu hoặc sai trường)', en: 'The row is malformed (a field is missing or wrong)' },
  invalid_json: { vi: 'Dòng không phải JSON hợp lệ', en: 'The line is not valid JSON' },
  not_an_object: { vi: 'Dòng không phải một bản ghi', en: 'The line is not a record' },
  invalid_payload: { vi: 'Bản tin không phải số đo hợp lệ', en: 'The message is not a valid reading' },
  row_too_long: { vi: 'Dòng hoặc ô quá dài', en: 'The row or a cell is too long' },
  invalid_key: { vi: 'Ô khóa của dòng (đơn vị, kỳ báo cáo) trống hoặc sai: cả dòng bị từ chối', en: 'A key cell of the row (unit, period) is empty or wrong: the whole row is refused' },
  duplicate_in_batch: { vi: 'Trùng với một dòng khác trong cùng lô', en: 'Repeats another row of the same batch' },
  conflicting_duplicate: { vi: 'Trùng thời điểm với một số đo đã có nhưng khác giá trị', en: 'Same station, datastream and time as a reading already taken, with a different value' },
  due_before_received: { vi: 'Hạn xử lý trước ngày tiếp nhận', en: 'Due before it was received' },
  resolved_before_received: { vi: 'Có kết quả trước ngày tiếp nhận', en: 'Resolved before it was received' },
  conflicting_document: { vi: 'Các dòng cùng số/ký hiệu ghi khác nhau về văn bản (ngày ban hành, cơ quan ban hành, người ký, loại, trích yếu)', en: 'Rows of the same document number disagree about the document (date, issuer, signer, kind, summary)' },
  // Its value
  invalid_number: { vi: 'Giá trị không phải là số', en: 'The value is not a number' },
  ambiguous_number: { vi: 'Không rõ cách viết số (1.234,5 hay 1,234.5)', en: 'The number reads two ways (1.234,5 or 1,234.5)' },
  not_a_number: { vi: 'Giá trị không phải là số', en: 'The value is not a number' },
  missing_value: { vi: 'Thiếu giá trị', en: 'No value' },
  formula_without_value: { vi: 'Ô có công thức nhưng không lưu kết quả: hãy mở tệp bằng Excel, tính lại và lưu', en: 'A formula cell with no stored result: open the file in Excel, recalculate and save it' },
  unit_mismatch: { vi: 'Đơn vị tính khác với đơn vị của chỉ tiêu', en: 'The unit differs from the indicator’s' },
  below_valid_range: { vi: 'Giá trị nhỏ hơn mức hợp lệ', en: 'Below the valid range' },
  above_valid_range: { vi: 'Giá trị lớn hơn mức hợp lệ', en: 'Above the valid range' },
  // What it refers to
  unknown_indicator: { vi: 'Không có chỉ tiêu mang mã này', en: 'No indicator has this code' },
  not_a_base_indicator: { vi: 'Chỉ tiêu được tính từ chỉ tiêu khác: hãy gửi các chỉ tiêu thành phần', en: 'Computed from other indicators: send those instead' },
  invalid_period: { vi: 'Kỳ báo cáo không hợp lệ', en: 'The period is not valid' },
  period_does_not_match_frequency: { vi: 'Kỳ báo cáo không đúng tần suất của chỉ tiêu', en: 'The period does not match the indicator’s frequency' },
  unknown_place: { vi: 'Không có đơn vị hành chính mang mã này', en: 'No administrative unit has this code' },
  unknown_place_name: { vi: 'Không có đơn vị hành chính nào mang tên này: hãy dùng mã, hoặc thêm tên này làm tên gọi khác của một đơn vị cho nguồn', en: 'No administrative unit has this name: use its code, or add the name as an alias of a unit for the source' },
  ambiguous_place_name: { vi: 'Tên này ứng với nhiều đơn vị hành chính trong kỳ: hãy dùng mã, hoặc thêm tên này làm tên gọi khác của đúng đơn vị cho nguồn', en: 'Several administrative units bear this name during the period: use the code, or add the name as an alias of the right unit for the source' },
  place_not_valid_in_period: { vi: 'Đơn vị hành chính không tồn tại trong kỳ này', en: 'The unit did not exist during the period' },
  unknown_organisation: { vi: 'Không có cơ quan mang mã này vào thời điểm đó', en: 'No organisation had this code at the time' },
  unknown_organisation_name: { vi: 'Không có cơ quan nào mang tên hoặc mã này vào thời điểm đó: hãy thêm tên gọi khác (bí danh) cho nguồn', en: 'No organisation had this name or code at the time: add it as an alias for the source' },
  ambiguous_organisation_name: { vi: 'Tên này ứng với nhiều cơ quan: hãy dùng mã, hoặc thêm tên gọi khác (bí danh) cho nguồn', en: 'Several organisations bear this name: use the code, or add an alias for the source' },
  unknown_station: { vi: 'Không có trạm quan trắc mang mã này cho nguồn này', en: 'No station of this source has this code' },
  unknown_datastream: { vi: 'Trạm không có chuỗi số đo này', en: 'The station has no such datastream' },
  // Who may send it
  out_of_scope: { vi: 'Ngoài phạm vi của nguồn dữ liệu hoặc của người gửi', en: 'Outside what the source covers or the sender may supply' },
} as const satisfies Record<string, { vi: string; en: string }>;

export type RejectionReason = keyof typeof REJECTION_REASONS;

export const rejectionReasonSchema = z.enum(Object.keys(REJECTION_REASONS) as [RejectionReason, ...RejectionReason[]]).describe('Why the row was refused');

/** A row refused while it is checked: thrown by a check, caught by the batch, kept as a rejected row. */
export class RowRejection extends Error {
  constructor(
    readonly reason: RejectionReason,
    message: string,
  ) {
    super(message);
    this.name = 'RowRejection';
  }
}
