import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { AppError, type SourceMapping } from '@watchfloor/core';
import type { ReadRow } from '../rows';
import { findPeriodIn } from './periods';
import { readObservationFile, type FileReading } from './read';
import { isTotalLabel } from './table';

async function rowsOf(r: FileReading): Promise<ReadRow[]> {
  const out: ReadRow[] = [];
  for await (const x of r.rows) out.push(x);
  return out;
}

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

const MAPPING: SourceMapping = {
  values: [
    { column: 'Tiếp nhận', indicator: 'DOSSIERS_RECEIVED' },
    { column: 'Hồ sơ / Đã giải quyết', indicator: 'DOSSIERS_RESOLVED', status: 'provisional' },
    { column: 'Đúng hạn', indicator: 'DOSSIERS_ON_TIME', unit: 'hồ sơ' },
  ],
};

/** The units of the sheet and their figures: received, resolved, on time. */
const UNITS: [string, string, number, number, number][] = [
  ['29242', 'Phường Trà Vinh', 120, 110, 101],
  ['29245', 'Phường Long Đức', 85, 80, 77],
  ['29248', 'Xã Hòa Thuận', 40, 38, 30],
];

/**
 * A monthly report as agencies make it: three title rows (the period only
 * in the third), a header on two rows with merged cells ("Hồ sơ" over three
 * columns, the others down two rows), one row per unit, and a total row of
 * SUM formulas with their results saved — `offBy` added to the last.
 */
async function monthlyReport(offBy = 0): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Báo cáo');
  ws.getCell('A1').value = 'ỦY BAN NHÂN DÂN TỈNH VĨNH LONG';
  ws.mergeCells('A1:F1');
  ws.getCell('A2').value = 'BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH';
  ws.mergeCells('A2:F2');
  ws.getCell('A3').value = 'THÁNG 10 NĂM 2026';
  ws.mergeCells('A3:F3');
  ws.getCell('A4').value = 'Mã đơn vị';
  ws.mergeCells('A4:A5');
  ws.getCell('B4').value = 'Tên đơn vị';
  ws.mergeCells('B4:B5');
  ws.getCell('C4').value = 'Hồ sơ';
  ws.mergeCells('C4:E4');
  ws.getCell('C5').value = 'Tiếp nhận';
  ws.getCell('D5').value = 'Đã giải quyết';
  ws.getCell('E5').value = 'Đúng hạn';
  ws.getCell('F4').value = 'Ghi chú';
  ws.mergeCells('F4:F5');
  UNITS.forEach(([code, name, a, b, c], i) => {
    ws.getRow(6 + i).values = [code, name, a, b, c];
  });
  const sum = (k: 2 | 3 | 4) => UNITS.reduce((s, u) => s + u[k], 0);
  ws.getRow(9).values = ['', 'Tổng cộng', { formula: 'SUM(C6:C8)', result: sum(2) }, { formula: 'SUM(D6:D8)', result: sum(3) }, { formula: 'SUM(E6:E8)', result: sum(4) + offBy }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('wide sheets: several value columns, the period in the title, merged headers, totals', () => {
  it('reads one figure per value column, the period from the title rows and the headers from merged cells; the total row is checked, not stored', async () => {
    const r = await readObservationFile(await monthlyReport(), 'bao-cao.xlsx', { numbers: 'auto', mapping: MAPPING });
    expect(r.headerLine).toBe(5);
    const rows = await rowsOf(r);
    // Expected from the sheet's own figures: one row per unit and value column.
    const expected = UNITS.flatMap(([place, , a, b, c]) => [
      { place, period: '2026-10', indicator: 'DOSSIERS_RECEIVED', value: a },
      { place, period: '2026-10', indicator: 'DOSSIERS_RESOLVED', status: 'provisional', value: b },
      { place, period: '2026-10', indicator: 'DOSSIERS_ON_TIME', unit: 'hồ sơ', value: c },
    ]);
    expect(rows.map((x) => x.value)).toEqual(expected);
    expect(rows.every((x) => !x.problem)).toBe(true);
    const layout = r.layout();
    expect(layout.keys.period).toEqual({ from: 'title', value: '2026-10', cell: 'A3' });
    expect(layout.values.map((v) => [v.column, v.indicator])).toEqual([
      ['Hồ sơ / Tiếp nhận', 'DOSSIERS_RECEIVED'],
      ['Hồ sơ / Đã giải quyết', 'DOSSIERS_RESOLVED'],
      ['Hồ sơ / Đúng hạn', 'DOSSIERS_ON_TIME'],
    ]);
    expect(layout.totals.map((t) => [t.line, t.total, t.sum])).toEqual([
      [9, 245, 245],
      [9, 228, 228],
      [9, 208, 208],
    ]);
    expect(r.warnings()).toEqual([]);
  });

  it('warns when a total differs from the sum of the rows', async () => {
    const r = await readObservationFile(await monthlyReport(7), 'bao-cao.xlsx', { numbers: 'auto', mapping: MAPPING });
    expect(await rowsOf(r)).toHaveLength(9);
    expect(r.warnings()).toEqual([expect.objectContaining({ code: 'total_mismatch', line: 9, column: 'Hồ sơ / Đúng hạn' })]);
    expect(r.warnings()[0]?.message).toContain('215');
  });

  it('refuses a value cell alone, naming its column, and a row with a bad key whole', async () => {
    const csv =
      'Báo cáo quý III/2026\n' +
      'Mã đơn vị,Tiếp nhận,Đã giải quyết,Đúng hạn\n' +
      '29242,120,,101\n' + // no value for "Đã giải quyết": that figure only
      ',85,80,77\n' + // no unit: the whole row, once
      '29248,40,abc,30\n';
    const mapping: SourceMapping = { values: [{ column: 'Tiếp nhận', indicator: 'DOSSIERS_RECEIVED' }, { column: 'Đã giải quyết', indicator: 'DOSSIERS_RESOLVED' }, { column: 'Đúng hạn', indicator: 'DOSSIERS_ON_TIME' }] };
    const r = await readObservationFile(Buffer.from(csv), 'x.csv', { numbers: 'auto', mapping });
    const rows = await rowsOf(r);
    expect(rows.map((x) => (x.problem ? `${x.line}:${x.problem.reason}` : `${x.line}:${(x.value as { indicator: string }).indicator}`))).toEqual([
      '3:DOSSIERS_RECEIVED',
      '3:missing_value',
      '3:DOSSIERS_ON_TIME',
      '4:invalid_key',
      '5:DOSSIERS_RECEIVED',
      '5:invalid_number',
      '5:DOSSIERS_ON_TIME',
    ]);
    expect(rows[1]?.problem?.message).toContain('column "Đã giải quyết"');
    expect(rows[5]?.problem?.message).toContain('column "Đã giải quyết"');
    expect(r.layout().keys.period).toEqual({ from: 'title', value: '2026-Q3', cell: 'A1' });
    expect((rows[0]?.value as { period: string }).period).toBe('2026-Q3');
  });

  it('takes a formula cell’s stored result, and refuses one saved without it as formula_without_value', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Số liệu');
    ws.getRow(1).values = ['Mã đơn vị', 'Kỳ', 'Tiếp nhận', 'Đúng hạn'];
    ws.getRow(2).values = ['29242', '10/2026', { formula: '100+20', result: 120 }, { formula: 'C2-19' }];
    const mapping: SourceMapping = { values: [{ column: 'Tiếp nhận', indicator: 'DOSSIERS_RECEIVED' }, { column: 'Đúng hạn', indicator: 'DOSSIERS_ON_TIME' }] };
    const r = await readObservationFile(Buffer.from(await wb.xlsx.writeBuffer()), 'x.xlsx', { numbers: 'auto', mapping });
    const rows = await rowsOf(r);
    expect(rows[0]).toMatchObject({ line: 2, value: { indicator: 'DOSSIERS_RECEIVED', place: '29242', period: '2026-10', value: 120 } });
    expect(rows[1]).toMatchObject({ line: 2, problem: { reason: 'formula_without_value' } });
    expect(rows[1]?.problem?.message).toContain('column "Đúng hạn"');
    expect(JSON.stringify(rows)).not.toContain('[object Object]');
  });

  it('takes the period from the file name, or from the value declared with the upload, and says so', async () => {
    const csv = 'Mã chỉ tiêu;Mã đơn vị;Giá trị\nDOSSIERS_RECEIVED;86;1.234,5\n';
    const byName = await readObservationFile(Buffer.from(csv), 'bao-cao-thang-10-2026.csv', { numbers: 'auto', mapping: null });
    expect((await rowsOf(byName)).map((x) => x.value)).toEqual([{ indicator: 'DOSSIERS_RECEIVED', place: '86', period: '2026-10', value: 1234.5 }]);
    expect(byName.layout().keys.period).toEqual({ from: 'file_name', value: '2026-10', cell: null });
    const declared = await readObservationFile(Buffer.from(csv), 'bao-cao-thang-10-2026.csv', { numbers: 'auto', mapping: null, declared: { period: '9/2026' } });
    expect((await rowsOf(declared)).map((x) => (x.value as { period: string }).period)).toEqual(['2026-09']);
    expect(declared.layout().keys.period).toEqual({ from: 'declared', value: '2026-09', cell: null });
    const none = await errorOf(readObservationFile(Buffer.from(csv), 'so-lieu.csv', { numbers: 'auto', mapping: null }));
    expect(none.code).toBe('period_not_found');
    expect((await errorOf(readObservationFile(Buffer.from(csv), 'so-lieu.csv', { numbers: 'auto', mapping: null, declared: { period: 'tháng mười' } }))).code).toBe('invalid_parameter');
  });

  it('reads the period, place and organisation from cells the mapping names, and "Năm" as a period column', async () => {
    const csv = 'Đơn vị báo cáo:;VL-STC\nĐịa bàn:;86\nKỳ báo cáo:;6 tháng đầu năm 2026\nChỉ tiêu;Giá trị\nDOSSIERS_RECEIVED;10\n';
    const r = await readObservationFile(Buffer.from(csv), 'x.csv', { numbers: 'auto', mapping: { cells: { organisation: 'B1', place: 'B2', period: 'B3' } } });
    expect((await rowsOf(r)).map((x) => x.value)).toEqual([{ indicator: 'DOSSIERS_RECEIVED', organisation: 'VL-STC', place: '86', period: '2026-H1', value: 10 }]);
    expect(r.layout().keys).toEqual({ period: { from: 'cell', value: '2026-H1', cell: 'B3' }, place: { from: 'cell', value: '86', cell: 'B2' }, organisation: { from: 'cell', value: 'VL-STC', cell: 'B1' } });
    const years = await readObservationFile(Buffer.from('year,place,GRDP\n2025,86,"85,123.5"\n'), 'x.csv', { numbers: 'auto', mapping: { values: [{ column: 'GRDP', indicator: 'GRDP' }] } });
    expect((await rowsOf(years)).map((x) => x.value)).toEqual([{ period: '2025', place: '86', indicator: 'GRDP', value: 85123.5 }]);
  });

  it('finds a period in the wording of titles and file names', () => {
    expect(findPeriodIn('BÁO CÁO TÌNH HÌNH KINH TẾ - XÃ HỘI THÁNG 10 NĂM 2026')).toBe('2026-10');
    expect(findPeriodIn('tháng 10 năm 2026')).toBe('2026-10');
    expect(findPeriodIn('Số liệu tháng 3/2026')).toBe('2026-03');
    expect(findPeriodIn('Báo cáo quý III/2026')).toBe('2026-Q3');
    expect(findPeriodIn('Báo cáo quý 3 năm 2026')).toBe('2026-Q3');
    expect(findPeriodIn('Báo cáo 6 tháng đầu năm 2026')).toBe('2026-H1');
    expect(findPeriodIn('BÁO CÁO 9 THÁNG NĂM 2026')).toBe('2026-9M');
    expect(findPeriodIn('Kết quả năm 2026')).toBe('2026');
    expect(findPeriodIn('bao-cao-thang-10-2026.xlsx')).toBe('2026-10');
    expect(findPeriodIn('bao_cao_quy_2_2026.csv')).toBe('2026-Q2');
    expect(findPeriodIn('Danh sách đơn vị')).toBeNull();
    expect(findPeriodIn('tháng 13 năm 2026')).toBe('2026');
  });

  it('knows a total row by its label, with or without diacritics', () => {
    for (const t of ['Tổng cộng', 'TỔNG CỘNG', 'Tong cong', 'Cộng', 'Cộng:', 'CỘNG', 'Tổng số', 'TONG SO', 'Tổng', 'Tổng cộng toàn tỉnh', 'Total']) expect([t, isTotalLabel(t)]).toEqual([t, true]);
    for (const t of ['Cộng đồng', 'Phường Trà Vinh', 'Tổng cục Thống kê', '29242', 'Công an tỉnh', 'Tổng số hồ sơ tiếp nhận']) expect([t, isTotalLabel(t)]).toEqual([t, false]);
  });

  it('checks subtotals against their group and the grand total against all the rows', async () => {
    const csv = 'Tháng 10/2026\nĐơn vị,Mã đơn vị,Tiếp nhận\nA,29242,10\nB,29245,20\nCộng,,30\nC,29248,5\nCộng,,6\nTổng cộng,,35\n';
    const r = await readObservationFile(Buffer.from(csv), 'x.csv', { numbers: 'auto', mapping: { values: [{ column: 'Tiếp nhận', indicator: 'DOSSIERS_RECEIVED' }] } });
    expect((await rowsOf(r)).map((x) => (x.value as { value: number }).value)).toEqual([10, 20, 5]);
    expect(r.layout().totals.map((t) => [t.line, t.total, t.sum])).toEqual([
      [5, 30, 30],
      [7, 6, 5],
      [8, 35, 35],
    ]);
    expect(r.warnings().map((w) => w.line)).toEqual([7]);
  });
});

describe('a column the mapping names against a header known for the same field', () => {
  it('takes the unit from the column the mapping names, not from another whose header is known for it', async () => {
    const csv = 'BÁO CÁO THÁNG 10 NĂM 2026\r\nMã đơn vị,Tên đơn vị,Tiếp nhận\r\nSTT-1,Phường Trà Vinh,120\r\n';
    const mapping: SourceMapping = { columns: { 'Tên đơn vị': 'place' }, values: [{ column: 'Tiếp nhận', indicator: 'DOSSIERS_RECEIVED' }] };
    const r = await readObservationFile(Buffer.from(csv), 'bao-cao.csv', { numbers: 'auto', mapping });
    expect(r.columns.map((c) => c.field)).toEqual([null, 'place', 'value']);
    expect((await rowsOf(r)).map((x) => x.value)).toEqual([{ place: 'Phường Trà Vinh', period: '2026-10', indicator: 'DOSSIERS_RECEIVED', value: 120 }]);
    // Without the mapping's word, the known header is the unit's, as before.
    const plain = await readObservationFile(Buffer.from(csv), 'bao-cao.csv', { numbers: 'auto', mapping: { values: mapping.values } });
    expect(plain.columns.map((c) => c.field)).toEqual(['place', null, 'value']);
  });
});
