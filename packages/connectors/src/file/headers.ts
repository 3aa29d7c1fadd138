import { OBSERVATION_FIELDS, foldText, type ObservationField } from '@watchfloor/core';

/**
 * Column headers, in Vietnamese (with or without diacritics, any case) or in
 * English, mapped to observation fields. The template's own headers come
 * first in each list, so a filled-in template always reads back.
 */
export const HEADER_ALIASES: Record<ObservationField, readonly string[]> = {
  indicator: ['Mã chỉ tiêu', 'Chỉ tiêu', 'Mã chỉ số', 'indicator', 'indicator code'],
  place: ['Mã đơn vị', 'Mã đơn vị hành chính', 'Mã ĐVHC', 'Mã địa bàn', 'Mã địa phương', 'Mã xã', 'Mã tỉnh', 'place', 'place code', 'unit code', 'Tên đơn vị', 'Tên đơn vị hành chính', 'Đơn vị hành chính', 'Địa phương', 'Tên địa phương', 'Địa bàn', 'Tỉnh, thành phố', 'Xã, phường', 'place name'],
  period: ['Kỳ', 'Kỳ báo cáo', 'Thời gian', 'Ngày', 'Tháng', 'Năm', 'Năm báo cáo', 'period', 'date', 'time', 'year'],
  value: ['Giá trị', 'Số liệu', 'Giá trị số liệu', 'value'],
  status: ['Trạng thái', 'Tình trạng số liệu', 'status'],
  organisation: ['Mã cơ quan', 'Cơ quan', 'Mã cơ quan báo cáo', 'organisation', 'organization', 'organisation code', 'organization code', 'agency', 'Tên cơ quan', 'Cơ quan, đơn vị'],
  note: ['Ghi chú', 'note', 'notes'],
};

/** The headers the XLSX template writes, one per field, in order. */
export const TEMPLATE_COLUMNS: readonly { field: ObservationField; header: string; hint: string }[] = [
  { field: 'indicator', header: 'Mã chỉ tiêu', hint: 'Indicator code, see the sheet "Chỉ tiêu"' },
  { field: 'place', header: 'Mã đơn vị', hint: 'Administrative unit code: 86, 29242 …' },
  { field: 'period', header: 'Kỳ', hint: '10/2026, Quý 3/2026, 2026, 14/10/2026 …' },
  { field: 'value', header: 'Giá trị', hint: '1.234,5' },
  { field: 'status', header: 'Trạng thái', hint: 'chính thức | sơ bộ | ước tính' },
  { field: 'organisation', header: 'Mã cơ quan', hint: 'Reporting agency code, when the figure is per agency' },
  { field: 'note', header: 'Ghi chú', hint: '' },
];

/** Text as compared: no diacritics (đ → d), lower case, words separated by one space (core's, so names and headers fold alike). */
export { foldText };

/** A header as compared: folded, no text in brackets, only letters and digits, words separated by one space. */
export function foldHeader(text: string): string {
  return foldText(text)
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const KNOWN = new Map<string, ObservationField>();
for (const field of OBSERVATION_FIELDS) {
  for (const n of HEADER_ALIASES[field]) KNOWN.set(foldHeader(n), field);
}

/**
 * The field each column holds (null: ignored), from a header row, with a
 * source's own extra names taking precedence. A field named twice keeps
 * its first column.
 */
export function mapHeaders(cells: readonly string[], extra: Record<string, ObservationField> = {}): (ObservationField | null)[] {
  const own = new Map(Object.entries(extra).map(([k, v]) => [foldHeader(k), v]));
  const taken = new Set<ObservationField>();
  return cells.map((c) => {
    const key = foldHeader(c);
    const field = own.get(key) ?? KNOWN.get(key) ?? null;
    if (field === null || taken.has(field)) return null;
    taken.add(field);
    return field;
  });
}

/** The field a header names (a source's own names first), or null. */
export function headerField(text: string, extra: Record<string, ObservationField> = {}): ObservationField | null {
  const key = foldHeader(text);
  if (key === '') return null;
  for (const [k, v] of Object.entries(extra)) if (foldHeader(k) === key) return v;
  return KNOWN.get(key) ?? null;
}
