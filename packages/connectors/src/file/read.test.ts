import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { AppError, indicatorDefinitionSchema } from '@watchfloor/core';
import type { ReadRow } from '../rows';
import { csvRecords } from './csv';
import { openTableFile, readObservationFile, type FileReading } from './read';
import { buildObservationTemplate } from './template';

const auto = { numbers: 'auto', mapping: null } as const;
const BOM = '\uFEFF';

async function rowsOf(r: FileReading): Promise<ReadRow[]> {
  const out: ReadRow[] = [];
  for await (const x of r.rows) out.push(x);
  return out;
}
const values = async (r: FileReading) => (await rowsOf(r)).map((x) => (x.problem ? `${x.line}:${x.problem.reason}` : x.value));

async function codeOf(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e.code;
}

describe('CSV files as agencies save them', () => {
  it('loads a Vietnamese CSV with a BOM, a title row, Vietnamese headers, 1.234,5 numbers and dd/mm/yyyy dates', async () => {
    const csv =
      BOM +
      'BÁO CÁO SỐ LIỆU THÁNG 10/2026;;;;\r\n' +
      'Mã chỉ tiêu;Mã đơn vị;Kỳ;Giá trị;Ghi chú\r\n' +
      'PM25;86;14/10/2026;1.234,5;"trạm ""A""; số 1"\r\n' +
      'dossiers_received;86;10/2026;120;\r\n' +
      ';;;;\r\n' +
      'GRDP;86;Năm 2025;85.123,75;\r\n';
    const r = await readObservationFile(Buffer.from(csv, 'utf8'), 'bao-cao.csv', auto);
    expect(r).toMatchObject({ format: 'csv', numberHabit: 'vi', headerLine: 2, rowCount: 3 });
    expect(await values(r)).toEqual([
      { indicator: 'PM25', place: '86', period: '2026-10-14', value: 1234.5, note: 'trạm "A"; số 1' },
      { indicator: 'DOSSIERS_RECEIVED', place: '86', period: '2026-10', value: 120 },
      { indicator: 'GRDP', place: '86', period: '2025', value: 85123.75 },
    ]);
    expect((await rowsOf(r)).map((x) => x.line)).toEqual([3, 4, 6]);
  });

  it('reads English headers, commas and 1,234.5 numbers; the habit can also be given', async () => {
    const csv = 'indicator,place,period,value,status,organisation\nGRDP,86,2025,"1,234.5",final,VL-STC\nGRDP,84,2024,"2,000",sơ bộ,\n';
    const r = await readObservationFile(Buffer.from(csv), 'data.csv', auto);
    expect(r.numberHabit).toBe('en');
    expect(await values(r)).toEqual([
      { indicator: 'GRDP', place: '86', period: '2025', value: 1234.5, status: 'final', organisation: 'VL-STC' },
      { indicator: 'GRDP', place: '84', period: '2024', value: 2000, status: 'provisional' },
    ]);
    const given = await readObservationFile(Buffer.from('indicator,place,period,value\nGRDP,86,2025,"1.234"\n'), 'x.csv', { numbers: 'vi', mapping: null });
    expect(await values(given)).toEqual([{ indicator: 'GRDP', place: '86', period: '2025', value: 1234 }]);
  });

  it('rejects rows whose value is missing, not a number or ambiguous, with their lines', async () => {
    const csv = 'Mã chỉ tiêu,Mã đơn vị,Kỳ,Giá trị\nGRDP,86,2025,\nGRDP,86,2024,abc\nGRDP,86,2023,"1.234"\nGRDP,86,2022,7\n';
    const r = await readObservationFile(Buffer.from(csv), 'x.csv', auto);
    expect(await values(r)).toEqual(['2:missing_value', '3:invalid_number', '4:ambiguous_number', { indicator: 'GRDP', place: '86', period: '2022', value: 7 }]);
  });

  it('uses a source mapping: its own header names and defaults', async () => {
    const csv = 'Xã,Ngày đo,Chỉ số\n29242,01/10/2026,"35,2"\n';
    const r = await readObservationFile(Buffer.from(csv), 'x.csv', { numbers: 'auto', mapping: { columns: { Xã: 'place', 'Ngày đo': 'period', 'Chỉ số': 'value' }, defaults: { indicator: 'PM25' } } });
    expect(await values(r)).toEqual([{ place: '29242', period: '2026-10-01', value: 35.2, indicator: 'PM25' }]);
  });

  it('refuses with a code: an encoding it cannot tell, an empty file, a file without the columns', async () => {
    // UTF-16 without its byte-order mark: read only when declared.
    expect(await codeOf(readObservationFile(Buffer.from('indicator,place,period,value\nGRDP,86,2025,1\n', 'utf16le'), 'x.csv', auto))).toBe('unsupported_encoding');
    expect(await codeOf(readObservationFile(Buffer.from('Mã chỉ tiêu;Mã đơn vị\n'), 'x.csv', { ...auto, encoding: 'tcvn3' }))).toBe('encoding_mismatch');
    expect(await codeOf(readObservationFile(Buffer.alloc(0), 'x.csv', auto))).toBe('empty_file');
    expect(await codeOf(readObservationFile(Buffer.from(`${BOM}\r\n\r\n`), 'x.csv', auto))).toBe('empty_file');
    expect(await codeOf(readObservationFile(Buffer.from('Mã chỉ tiêu;Mã đơn vị;Kỳ;Giá trị\n'), 'x.csv', auto))).toBe('empty_file');
    const e = await readObservationFile(Buffer.from('a,b\n1,2\n'), 'x.csv', auto).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'missing_columns', details: { missing: ['indicator', 'place', 'period', 'value'] } });
  });

  it('keeps line numbers right across quoted line breaks', () => {
    const recs = [...csvRecords('a,b\n"x\ny",2\n\nz,3\n', ',')];
    expect(recs.map((r) => [r.line, r.cells])).toEqual([
      [1, ['a', 'b']],
      [2, ['x\ny', '2']],
      [5, ['z', '3']],
    ]);
  });
});

describe('XLSX files', () => {
  const catalogue = [
    indicatorDefinitionSchema.parse({ code: 'GRDP', kind: 'base', unit: 'tỷ đồng', domain: 'economy', frequency: 'year', direction: 'higher_is_better', aggregation: { places: 'sum', time: 'sum' }, names: { vi: 'Tổng sản phẩm', en: 'GRDP' } }),
    indicatorDefinitionSchema.parse({ code: 'PM25', kind: 'base', unit: 'µg/m³', domain: 'environment', frequency: 'day', direction: 'lower_is_better', aggregation: { places: 'mean', time: 'mean' }, names: { vi: 'Bụi PM2.5', en: 'PM2.5' } }),
  ];

  it('writes a template that lists the indicators and reads back once filled in', async () => {
    const template = await buildObservationTemplate(catalogue, 'Mẫu nhập số liệu');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(template).buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Số liệu', 'Chỉ tiêu', 'Hướng dẫn']);
    expect(wb.getWorksheet('Chỉ tiêu')?.getColumn(1).values.slice(1)).toEqual(['Mã chỉ tiêu', 'GRDP', 'PM25']);
    const data = wb.getWorksheet('Số liệu');
    if (!data) throw new Error('no data sheet');
    // As typed into the first rows; a date typed into the text-formatted column comes back as Excel's day count.
    data.getRow(2).values = ['GRDP', '86', '2025', 85123.75];
    data.getRow(3).values = ['PM25', 29242, new Date(Date.UTC(2026, 9, 14)), '35,5', 'ước tính'];
    data.getRow(4).values = ['PM25', '29242', '15/10/2026', 'n/a'];
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await readObservationFile(filled, 'mau.xlsx', auto);
    expect(r).toMatchObject({ format: 'xlsx', sheet: 'Số liệu', rowCount: 3 });
    expect(await values(r)).toEqual([
      { indicator: 'GRDP', place: '86', period: '2025', value: 85123.75 },
      { indicator: 'PM25', place: '29242', period: '2026-10-14', value: 35.5, status: 'estimated' },
      '4:invalid_number',
    ]);
  });

  it('refuses a file that is not a workbook, whatever its name', async () => {
    expect(await codeOf(readObservationFile(Buffer.from('Mã chỉ tiêu,Mã đơn vị\n'), 'so-lieu.xlsx', auto))).toBe('not_a_spreadsheet');
    expect(await codeOf(readObservationFile(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]), 'x.xlsx', auto))).toBe('not_a_spreadsheet');
    expect(await codeOf(readObservationFile(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'old.xls', auto))).toBe('not_a_spreadsheet');
  });

  it('reads a sheet to its last row when the rows are taken slowly, as a server storing each batch takes them', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Số liệu');
    ws.addRow(['Mã chỉ tiêu', 'Mã đơn vị', 'Kỳ', 'Giá trị']);
    // 5,000 days from 1 January 2012 (the last 8 September 2025) of one station's daily mean, each day's value its index modulo 97.
    const days = 5000;
    for (let i = 0; i < days; i++) ws.addRow(['PM25', '29242', new Date(Date.UTC(2012, 0, 1 + i)).toISOString().slice(0, 10), i % 97]);
    const r = await readObservationFile(Buffer.from(await wb.xlsx.writeBuffer()), 'so-lieu.xlsx', auto);
    let count = 0;
    let sum = 0;
    let last = '';
    for await (const row of r.rows) {
      const read = row.value as { period: string; value: number };
      count++;
      sum += read.value;
      last = read.period;
      if (count % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    // 5,000 = 51 × 97 + 53: 51 full runs of 0…96 (4,656 each), then 0…52 (1,378).
    expect({ count, sum, last }).toEqual({ count: 5000, sum: 51 * 4656 + 1378, last: '2025-09-08' });
  });

  it('reads every Vietnamese letter of a long sheet whole, where the archive cuts its text between the bytes of one letter', async () => {
    // Names of units and agencies, long enough that the sheet's text (shared strings, as Excel saves them, and
    // inline strings, as a streamed workbook holds them) spans many of the archive's 16 KiB pieces.
    const names = ['Phường Nguyệt Hóa', 'Xã Hòa Lợi – Châu Thành', 'Sở Tài nguyên và Môi trường', 'Ủy ban nhân dân xã Trường Long Hòa', 'Đường Nguyễn Thị Minh Khai'];
    const text = (i: number) => `${names[i % names.length]} – ấp ${i} (đã cập nhật)`;
    const rows = 3000;
    const shared = new ExcelJS.Workbook();
    const ws = shared.addWorksheet('Danh sách');
    for (let i = 0; i < rows; i++) ws.addRow([text(i), i]);
    const streamed = new ExcelJS.stream.xlsx.WorkbookWriter({ useSharedStrings: false });
    const sheet = streamed.addWorksheet('Danh sách');
    for (let i = 0; i < rows; i++) sheet.addRow([text(i), i]).commit();
    sheet.commit();
    await streamed.commit();
    const streamedBytes = Buffer.from(((streamed as unknown as { stream: { read: () => Buffer } }).stream).read());
    for (const file of [Buffer.from(await shared.xlsx.writeBuffer()), streamedBytes]) {
      const opened = await openTableFile(file, 'danh-sach.xlsx');
      if (opened.format !== 'xlsx') throw new Error('not read as a workbook');
      const read: unknown[] = [];
      for await (const r of opened.sheets[0]!.records()) read.push(r.cells[0]);
      expect(read).toHaveLength(rows);
      expect(read.filter((t, i) => t !== text(i)).slice(0, 3)).toEqual([]);
    }
  });

  it('refuses an empty template as an empty file', async () => {
    expect(await codeOf(readObservationFile(await buildObservationTemplate(catalogue, 't'), 'mau.xlsx', auto))).toBe('empty_file');
  });
});
