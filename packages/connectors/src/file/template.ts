import ExcelJS from 'exceljs';
import type { IndicatorDefinition } from '@watchfloor/core';
import { TEMPLATE_COLUMNS } from './headers';

/**
 * The XLSX template agencies fill in: a sheet "Số liệu" with the headers the
 * file channel reads (code columns stored as text so 01 keeps its zero, the
 * indicator column offering the listed codes), a sheet "Chỉ tiêu" listing
 * the indicators of the set with their unit, frequency, an example period
 * and who owes them, and a short guide.
 */
const FREQUENCY_VI: Record<IndicatorDefinition['frequency'], { name: string; example: string }> = {
  instant: { name: 'Theo thời điểm', example: '14/10/2026 08:30' },
  day: { name: 'Ngày', example: '14/10/2026' },
  month: { name: 'Tháng', example: '10/2026' },
  quarter: { name: 'Quý', example: 'Quý 3/2026' },
  year: { name: 'Năm', example: '2026' },
};

const DATA_ROWS = 1000;

export async function buildObservationTemplate(indicators: readonly IndicatorDefinition[], title: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Watchfloor';
  const data = wb.addWorksheet('Số liệu', { views: [{ state: 'frozen', ySplit: 1 }] });
  data.columns = TEMPLATE_COLUMNS.map((c) => ({
    header: c.header,
    key: c.field,
    width: c.field === 'note' ? 40 : 18,
    // Codes and periods as text: Excel would turn 01 into 1 and 10/2026 into a date.
    style: c.field === 'value' ? { numFmt: '#,##0.##' } : { numFmt: '@' },
  }));
  const head = data.getRow(1);
  head.font = { bold: true };
  TEMPLATE_COLUMNS.forEach((c, i) => {
    if (c.hint) head.getCell(i + 1).note = c.hint;
  });
  const codes = indicators.filter((d) => d.kind === 'base' && d.ratio === null);
  if (codes.length > 0) {
    for (let r = 2; r <= DATA_ROWS + 1; r++) {
      data.getCell(r, 1).dataValidation = { type: 'list', allowBlank: true, showErrorMessage: true, formulae: [`'Chỉ tiêu'!$A$2:$A$${codes.length + 1}`] };
    }
  }

  const list = wb.addWorksheet('Chỉ tiêu', { views: [{ state: 'frozen', ySplit: 1 }] });
  list.columns = [
    { header: 'Mã chỉ tiêu', key: 'code', width: 28 },
    { header: 'Tên chỉ tiêu', key: 'vi', width: 45 },
    { header: 'Name', key: 'en', width: 40 },
    { header: 'Đơn vị tính', key: 'unit', width: 14 },
    { header: 'Kỳ báo cáo', key: 'frequency', width: 16 },
    { header: 'Ví dụ cột Kỳ', key: 'example', width: 18 },
    { header: 'Cơ quan chịu trách nhiệm', key: 'owner', width: 24 },
    { header: 'Hạn gửi (ngày sau kỳ)', key: 'due', width: 20 },
  ];
  list.getRow(1).font = { bold: true };
  for (const d of codes) {
    const f = FREQUENCY_VI[d.frequency];
    list.addRow({
      code: d.code,
      vi: d.names.vi,
      en: d.names.en,
      unit: d.unit,
      frequency: f.name,
      example: f.example,
      owner: d.ownerOrganisationCode ?? '',
      due: d.delivery && 'afterPeriodEndDays' in d.delivery ? d.delivery.afterPeriodEndDays : '',
    });
  }

  const guide = wb.addWorksheet('Hướng dẫn');
  guide.getColumn(1).width = 110;
  [
    title,
    '',
    'Điền mỗi số liệu trên một dòng của trang "Số liệu"; không đổi tên các cột.',
    'Mã đơn vị: mã đơn vị hành chính của kỳ báo cáo (ví dụ 86 cho tỉnh Vĩnh Long từ 01/07/2025).',
    'Kỳ: 14/10/2026 (ngày), 10/2026 (tháng), Quý 3/2026, 6 tháng đầu năm 2026, 9 tháng 2026, 2026 (năm).',
    'Giá trị: số theo cách viết Việt Nam (1.234,5) hoặc quốc tế (1,234.5), thống nhất trong cả tệp.',
    'Trạng thái: chính thức (mặc định), sơ bộ hoặc ước tính.',
    'Gửi lại cùng một tệp không tạo số liệu trùng; giá trị mới được lưu như một lần sửa đổi.',
    '',
    'One figure per row on the "Số liệu" sheet; keep the column headers. The sheet "Chỉ tiêu" lists the indicators.',
  ].forEach((t, i) => {
    guide.getCell(i + 1, 1).value = t;
  });
  guide.getCell(1, 1).font = { bold: true, size: 14 };

  return Buffer.from(await wb.xlsx.writeBuffer());
}
