import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { ReadRow } from '../rows';
import { dossierInstant, readDossierFile } from './dossiers';

async function all(rows: AsyncIterable<ReadRow>): Promise<ReadRow[]> {
  const out: ReadRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

describe('dossier files', () => {
  it('reads Vietnamese dates as Vietnam time; a due date alone means the end of its day', () => {
    expect(dossierInstant('05/11/2026 08:30')).toBe('2026-11-05T08:30:00+07:00');
    expect(dossierInstant('5/11/2026')).toBe('2026-11-05T00:00:00+07:00');
    expect(dossierInstant('5/11/2026', true)).toBe('2026-11-05T23:59:59+07:00');
    // A spreadsheet date has no zone: its clock reading is Vietnam's.
    expect(dossierInstant(new Date(Date.UTC(2026, 10, 5, 14, 0)))).toBe('2026-11-05T14:00:00+07:00');
    expect(dossierInstant('2026-11-05T08:00:00+07:00')).toBe('2026-11-05T08:00:00+07:00');
    // Unreadable text is passed on as written, for the write path to refuse with the field named.
    expect(dossierInstant('hôm qua')).toBe('hôm qua');
  });

  it('finds the header under title rows and maps Vietnamese columns and yes/no cells', async () => {
    const csv = ['BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ', 'Mã hồ sơ;Thủ tục;Cơ quan;Ngày tiếp nhận;Hạn xử lý;Ngày trả kết quả;Trực tuyến;Thanh toán trực tuyến', 'H1;1.0001;VL-TTHCC;01/11/2026 08:00;05/11/2026 17:00;;x;Có', ''].join('\n');
    const reading = await readDossierFile(Buffer.from(csv), 'hs.csv');
    expect(reading.headerLine).toBe(2);
    expect(await all(reading.rows)).toEqual([
      {
        line: 3,
        raw: 'H1;1.0001;VL-TTHCC;01/11/2026 08:00;05/11/2026 17:00;;x;Có',
        value: { code: 'H1', procedure: '1.0001', organisation: 'VL-TTHCC', receivedAt: '2026-11-01T08:00:00+07:00', dueAt: '2026-11-05T17:00:00+07:00', resolvedAt: null, channel: 'online', paidOnline: true },
      },
    ]);
  });

  it('reads an XLSX workbook with date cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Hồ sơ');
    ws.addRow(['Mã hồ sơ', 'Mã TTHC', 'Ngày tiếp nhận', 'Hạn giải quyết', 'Hình thức tiếp nhận']);
    ws.addRow(['H2', '1.0002', new Date(Date.UTC(2026, 10, 2, 9, 15)), new Date(Date.UTC(2026, 10, 9)), 'Trực tiếp']);
    const reading = await readDossierFile(Buffer.from(await wb.xlsx.writeBuffer()), 'hs.xlsx');
    expect((await all(reading.rows)).map((r) => r.value)).toEqual([{ code: 'H2', procedure: '1.0002', receivedAt: '2026-11-02T09:15:00+07:00', dueAt: '2026-11-09T23:59:59+07:00', channel: 'offline' }]);
  });

  it('names the missing dossier columns', async () => {
    await expect(readDossierFile(Buffer.from('Mã hồ sơ,Thủ tục\nH1,1.0001\n'), 'hs.csv')).rejects.toMatchObject({ code: 'missing_columns', details: { missing: ['receivedAt', 'dueAt'] } });
  });
});
