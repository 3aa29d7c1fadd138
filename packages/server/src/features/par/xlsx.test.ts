import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AppError, parFrameworkSchema, type ParAssessment, type ParLeafAssessment, type ParResult, type ParResults, type ParUnitKind } from '@watchfloor/core';
import { REFERENCE_DATA_DIR } from '../../paths';
import { CRITERIA_SHEET, FRAMEWORK_SHEET, HEADER_SHEET, RESULTS_HEADER_ROW, frameworkFromXlsx, frameworkToXlsx, parseRuleText, resultsToXlsx, ruleText } from './xlsx';

/** Opens a workbook we wrote (exceljs types its input as a plain ArrayBuffer). */
const load = (wb: ExcelJS.Workbook, buf: Buffer) => wb.xlsx.load(new Uint8Array(buf).buffer);

const example = parFrameworkSchema.parse(JSON.parse(readFileSync(join(REFERENCE_DATA_DIR, 'par/framework-example-2025.json'), 'utf8')));

/** A small framework with a decision, a criterion scored itself and one by sub-criteria, each method, and a kind-specific criterion. */
const small = parFrameworkSchema.parse({
  code: 'TEST-2026',
  year: 2026,
  name: 'Bộ chỉ số thử',
  decision: { number: '12/QĐ-UBND', date: '2026-01-15', issuer: 'UBND tỉnh Vĩnh Long' },
  unitKinds: ['department', 'commune'],
  bands: [
    { code: 'A', name: 'Tốt', atLeast: 80 },
    { code: 'B', name: 'Đạt', atLeast: 0 },
  ],
  fields: [
    {
      code: 'F1',
      name: 'Chỉ đạo',
      nameEn: 'Direction',
      criteria: [
        {
          code: 'C1',
          name: 'Kế hoạch',
          subCriteria: [
            { code: 'C1.1', name: 'Ban hành kế hoạch', maxPoints: 2, method: 'self', evidenceRequired: true, guidance: 'Quyết định ban hành kế hoạch' },
            { code: 'C1.2', name: 'Hồ sơ đúng hạn', maxPoints: 1.5, method: 'computed', indicator: 'PS_ON_TIME_RATE', rule: { kind: 'ladder', steps: [{ atLeast: 100, points: 1.5 }, { atLeast: 95, points: 0.5 }], otherwise: 0 } },
          ],
        },
        { code: 'C2', name: 'Trừ điểm báo cáo chậm', maxPoints: 1, method: 'deduction' },
      ],
    },
    {
      code: 'F2',
      name: 'Tác động',
      criteria: [
        { code: 'C3', name: 'SIPAS', maxPoints: 5, method: 'survey', indicator: 'SIPAS', rule: { kind: 'linear', from: 0, to: 100 } },
        { code: 'C4', name: 'Riêng cấp xã', maxPoints: 1, method: 'self', appliesTo: ['commune'] },
      ],
    },
  ],
});

describe('rules as text', () => {
  it('writes a ladder and a linear scale as one line each, and reads them back', () => {
    const ladder = { kind: 'ladder' as const, steps: [{ atLeast: 100, points: 1 }, { atLeast: 95, points: 0.5 }], otherwise: 0 };
    expect(ruleText(ladder)).toBe('ladder: >=100:1; >=95:0.5; else 0');
    expect(ruleText({ kind: 'linear', from: 50, to: 100 })).toBe('linear: 50..100');
    expect(parseRuleText('ladder: >=100:1; >=95:0.5; else 0')).toEqual(ladder);
    expect(parseRuleText('Linear: 80 .. 30')).toEqual({ kind: 'linear', from: 80, to: 30 });
    // A Vietnamese decimal comma reads as a point.
    expect(parseRuleText('ladder: >=95:0,5')).toEqual({ kind: 'ladder', steps: [{ atLeast: 95, points: 0.5 }], otherwise: 0 });
  });

  it('says what is wrong with a rule it cannot read', () => {
    expect(parseRuleText('bậc thang')).toMatch(/ladder: >=100:1/);
    expect(parseRuleText('ladder: >95:1')).toMatch(/">95:1" is not a ladder step/);
    expect(parseRuleText('ladder: else 0')).toMatch(/at least one step/);
  });
});

describe('a framework as XLSX', () => {
  it('reads back the example framework as it was written', async () => {
    const back = parFrameworkSchema.parse(await frameworkFromXlsx(await frameworkToXlsx(example)));
    expect(back).toEqual(example);
  });

  it('reads back a framework with its decision, both kinds of criterion and a kind-specific one', async () => {
    const back = parFrameworkSchema.parse(await frameworkFromXlsx(await frameworkToXlsx(small)));
    expect(back).toEqual(small);
  });

  it('writes a row per field, criterion and sub-criterion with its level, parent, method and rule as text', async () => {
    const wb = new ExcelJS.Workbook();
    await load(wb, await frameworkToXlsx(small));
    const ws = wb.getWorksheet(FRAMEWORK_SHEET)!;
    const row = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(row(1)).toEqual(['Cấp', 'Mã', 'Thuộc', 'Tên', 'Tên tiếng Anh', 'Điểm tối đa', 'Phương pháp chấm', 'Bắt buộc minh chứng', 'Áp dụng cho', 'Chỉ tiêu', 'Quy tắc tính điểm', 'Hướng dẫn chấm']);
    expect(row(2).slice(0, 5)).toEqual(['Lĩnh vực', 'F1', '', 'Chỉ đạo', 'Direction']);
    expect(row(4)).toEqual(['Tiêu chí thành phần', 'C1.1', 'C1', 'Ban hành kế hoạch', '', 2, 'Tự đánh giá', 'Có', '', '', '', 'Quyết định ban hành kế hoạch']);
    expect(row(5).slice(1, 11)).toEqual(['C1.2', 'C1', 'Hồ sơ đúng hạn', '', 1.5, 'Tính từ số liệu', '', '', 'PS_ON_TIME_RATE', 'ladder: >=100:1.5; >=95:0.5; else 0']);
    expect(row(9).slice(0, 9)).toEqual(['Tiêu chí', 'C4', 'F2', 'Riêng cấp xã', '', 1, 'Tự đánh giá', '', 'Xã, phường, đặc khu']);
    const head = wb.getWorksheet(HEADER_SHEET)!;
    expect((head.getRow(1).values as unknown[]).slice(1)).toEqual(['Mã bộ chỉ số', 'TEST-2026']);
    expect((head.getRow(7).values as unknown[]).slice(1)).toEqual(['Số quyết định', '12/QĐ-UBND']);
  });

  it('refuses bad rows, naming each by sheet and row, before anything is read as a framework', async () => {
    const wb = new ExcelJS.Workbook();
    await load(wb, await frameworkToXlsx(small));
    const ws = wb.getWorksheet(FRAMEWORK_SHEET)!;
    ws.getCell(4, 7).value = 'phép thuật'; // C1.1's method
    ws.getCell(5, 11).value = 'ladder: >95:1'; // C1.2's rule
    ws.getCell(5, 6).value = 'hai'; // C1.2's maximum
    ws.getCell(8, 1).value = 'Nhóm'; // C3's level
    const head = wb.getWorksheet(HEADER_SHEET)!;
    head.getCell(2, 2).value = 'năm nay'; // the year
    const error = await frameworkFromXlsx(Buffer.from(await wb.xlsx.writeBuffer())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid_par_framework');
    expect((error as AppError).details).toEqual([
      { path: 'Thông tin chung!2', sheet: 'Thông tin chung', row: 2, message: 'the year "năm nay" is not a year' },
      { path: 'Bộ chỉ số!4', sheet: 'Bộ chỉ số', row: 4, message: '"phép thuật" is not a scoring method (Tự đánh giá, Tính từ số liệu, Điều tra, khảo sát, Điểm trừ)' },
      { path: 'Bộ chỉ số!4', sheet: 'Bộ chỉ số', row: 4, message: 'a scored row names its method' },
      { path: 'Bộ chỉ số!5', sheet: 'Bộ chỉ số', row: 5, message: 'the maximum "hai" is not a number' },
      { path: 'Bộ chỉ số!5', sheet: 'Bộ chỉ số', row: 5, message: '">95:1" is not a ladder step (">=95:0.5") or its rest ("else 0")' },
      { path: 'Bộ chỉ số!8', sheet: 'Bộ chỉ số', row: 8, message: '"Nhóm" is not a level (Lĩnh vực, Tiêu chí, Tiêu chí thành phần)' },
    ]);
  });

  it('refuses a workbook without the framework sheet, and a file that is no workbook', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1').addRow(['x']);
    const missing = await frameworkFromXlsx(Buffer.from(await wb.xlsx.writeBuffer())).catch((e: unknown) => e);
    expect((missing as AppError).code).toBe('invalid_par_framework');
    expect((missing as AppError).details).toEqual([
      { path: 'Bộ chỉ số', sheet: 'Bộ chỉ số', row: null, message: 'the workbook has no sheet "Bộ chỉ số"' },
      { path: 'Thông tin chung', sheet: 'Thông tin chung', row: null, message: 'the workbook has no sheet "Thông tin chung"' },
    ]);
    const notXlsx = await frameworkFromXlsx(Buffer.from('code,name\n')).catch((e: unknown) => e);
    expect((notXlsx as AppError).code).toBe('not_a_spreadsheet');
  });
});

describe('the official result tables', () => {
  const band = (code: string, name: string, atLeast: number) => ({ code, name, nameEn: null, atLeast });
  const TOT = band('A', 'Tốt', 80);
  const DAT = band('B', 'Đạt', 0);
  const result = (code: string, name: string, kind: ParUnitKind, r: Partial<ParResult>): ParResult => ({
    code,
    name,
    nameEn: null,
    kind,
    placeCode: kind === 'commune' ? '29242' : '86',
    status: 'final',
    final: true,
    total: 0,
    max: 0,
    index: 0,
    band: null,
    rank: 1,
    of: 1,
    previousIndex: null,
    change: null,
    fields: [],
    lost: [],
    ...r,
  });
  // Departments: C1.1 (2) + C1.2 (1.5) + C3 (5) = 8.5; the commune adds C4 (1): 9.5. C2 takes off.
  const results: ParResults = {
    cycle: {
      id: 1,
      frameworkCode: 'TEST-2026',
      year: 2026,
      name: 'Chỉ số CCHC năm 2026',
      nameEn: null,
      example: false,
      deadlines: { selfAssessmentDue: '2026-11-15', appraisalDue: '2026-12-15', responseDays: 7 },
      openedAt: '2026-10-01T00:00:00.000Z',
      openedBy: 'snv',
      publishedAt: null,
      publishedBy: null,
      counts: { draft: 0, submitted: 0, appraised: 0, answered: 0, final: 3 },
    },
    bands: [TOT, DAT],
    fields: [
      { code: 'F1', name: 'Chỉ đạo', nameEn: null },
      { code: 'F2', name: 'Tác động', nameEn: null },
    ],
    results: [
      // Sở Y tế: 2 + 0.5 − 0.5 = 2 in F1, 4 in F2: 6 of 8.5 = 70.59 %.
      result('VL-SYT', 'Sở Y tế', 'department', { total: 6, max: 8.5, index: 70.59, band: DAT, rank: 2, of: 2, fields: [{ code: 'F1', points: 2, max: 3.5 }, { code: 'F2', points: 4, max: 5 }], previousIndex: 75, change: -4.41 }),
      // Sở Tài chính: 2 + 1.5 = 3.5 in F1, 4.5 in F2: 8 of 8.5 = 94.12 %.
      result('VL-STC', 'Sở Tài chính', 'department', { total: 8, max: 8.5, index: 94.12, band: TOT, rank: 1, of: 2, fields: [{ code: 'F1', points: 3.5, max: 3.5 }, { code: 'F2', points: 4.5, max: 5 }] }),
      // Phường Trà Vinh: 1 + 0 in F1, 3 + 1 in F2: 5 of 9.5 = 52.63 %.
      result('UBND-29242', 'UBND phường Trà Vinh', 'commune', { total: 5, max: 9.5, index: 52.63, band: DAT, fields: [{ code: 'F1', points: 1, max: 3.5 }, { code: 'F2', points: 4, max: 6 }] }),
    ],
  };
  const leaf = (code: string, fieldCode: string, name: string, maxPoints: number, method: ParLeafAssessment['method'], points: number): ParLeafAssessment => ({
    code,
    fieldCode,
    criterionCode: code,
    name,
    nameEn: null,
    method,
    maxPoints,
    evidenceRequired: false,
    guidance: null,
    self: null,
    note: null,
    computed: null,
    basis: null,
    dispute: null,
    appraised: null,
    appraisalReason: null,
    response: null,
    final: points,
    finalReason: null,
    points,
    evidence: [],
  });
  const assessment = (unit: ParResult, leaves: ParLeafAssessment[]): ParAssessment => ({
    cycleId: 1,
    frameworkCode: 'TEST-2026',
    year: 2026,
    unit: { ...unit, submittedAt: null, returnedOn: null, responseDue: null, daysLate: 0 },
    steps: [],
    leaves,
    total: unit.total,
    max: unit.max,
    index: unit.index,
    band: unit.band,
    fields: unit.fields,
    can: { assess: false, submit: false, adjust: false, return: false, answer: false, decide: false },
  });
  const [syt, stc, ward] = results.results as [ParResult, ParResult, ParResult];
  const assessments = [
    assessment(ward, [leaf('C1.1', 'F1', 'Ban hành kế hoạch', 2, 'self', 1), leaf('C1.2', 'F1', 'Hồ sơ đúng hạn', 1.5, 'computed', 0), leaf('C2', 'F1', 'Trừ điểm', 1, 'deduction', 0), leaf('C3', 'F2', 'SIPAS', 5, 'survey', 3), leaf('C4', 'F2', 'Riêng cấp xã', 1, 'self', 1)]),
    assessment(syt, [leaf('C1.1', 'F1', 'Ban hành kế hoạch', 2, 'self', 2), leaf('C1.2', 'F1', 'Hồ sơ đúng hạn', 1.5, 'computed', 0.5), leaf('C2', 'F1', 'Trừ điểm', 1, 'deduction', 0.5), leaf('C3', 'F2', 'SIPAS', 5, 'survey', 4)]),
    assessment(stc, [leaf('C1.1', 'F1', 'Ban hành kế hoạch', 2, 'self', 2), leaf('C1.2', 'F1', 'Hồ sơ đúng hạn', 1.5, 'computed', 1.5), leaf('C2', 'F1', 'Trừ điểm', 1, 'deduction', 0), leaf('C3', 'F2', 'SIPAS', 5, 'survey', 4.5)]),
  ];

  it('ranks each kind on its own sheet with the points per field, the total, the index, the band and the change', async () => {
    const wb = new ExcelJS.Workbook();
    await load(wb, await resultsToXlsx(results, assessments));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Xếp hạng sở, ban, ngành', 'Xếp hạng xã, phường, đặc khu', CRITERIA_SHEET]);
    const departments = wb.getWorksheet('Xếp hạng sở, ban, ngành')!;
    const row = (ws: ExcelJS.Worksheet, n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(departments.getCell(1, 1).value).toBe('KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2026 CỦA CÁC SỞ, BAN, NGÀNH');
    expect(departments.getCell(2, 1).value).toBe('Chỉ số CCHC năm 2026. Kết quả đã được Hội đồng thẩm định quyết định. Chưa công bố.');
    expect(row(departments, RESULTS_HEADER_ROW)).toEqual(['Hạng', 'Mã đơn vị', 'Đơn vị', 'F1. Chỉ đạo', 'F2. Tác động', 'Tổng điểm', 'Điểm tối đa', 'Chỉ số (%)', 'Xếp loại', 'Tăng, giảm so với năm trước (%)']);
    // Best first: Sở Tài chính (94.12 %, no index the year before), then Sở Y tế (70.59 %, down 4.41 from 75).
    expect(row(departments, RESULTS_HEADER_ROW + 1)).toEqual([1, 'VL-STC', 'Sở Tài chính', 3.5, 4.5, 8, 8.5, 94.12, 'Tốt']);
    expect(row(departments, RESULTS_HEADER_ROW + 2)).toEqual([2, 'VL-SYT', 'Sở Y tế', 2, 4, 6, 8.5, 70.59, 'Đạt', -4.41]);
    expect(departments.rowCount).toBe(RESULTS_HEADER_ROW + 2);
    const communes = wb.getWorksheet('Xếp hạng xã, phường, đặc khu')!;
    expect(row(communes, RESULTS_HEADER_ROW + 1)).toEqual([1, 'UBND-29242', 'UBND phường Trà Vinh', 1, 4, 5, 9.5, 52.63, 'Đạt']);
  });

  it('lists each criterion’s points for every unit, blank where it does not apply', async () => {
    const wb = new ExcelJS.Workbook();
    await load(wb, await resultsToXlsx(results, assessments));
    const ws = wb.getWorksheet(CRITERIA_SHEET)!;
    const row = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(row(1)).toEqual(['Mã tiêu chí', 'Tiêu chí', 'Phương pháp chấm', 'Điểm tối đa', 'Sở Tài chính', 'Sở Y tế', 'UBND phường Trà Vinh']);
    expect(row(2)).toEqual(['C1.1', 'Ban hành kế hoạch', 'Tự đánh giá', 2, 2, 2, 1]);
    expect(row(3)).toEqual(['C1.2', 'Hồ sơ đúng hạn', 'Tính từ số liệu', 1.5, 1.5, 0.5, 0]);
    expect(row(4)).toEqual(['C2', 'Trừ điểm', 'Điểm trừ', 1, 0, 0.5, 0]);
    expect(row(5)).toEqual(['C3', 'SIPAS', 'Điều tra, khảo sát', 5, 4.5, 4, 3]);
    // C4 is the communes' alone: the departments' cells stay empty.
    expect(row(6)).toEqual(['C4', 'Riêng cấp xã', 'Tự đánh giá', 1, undefined, undefined, 1]);
  });

  it('says when the results are provisional, published, or of an example framework', async () => {
    const provisional: ParResults = {
      ...results,
      cycle: { ...results.cycle, example: true, publishedAt: '2027-01-20T02:00:00.000Z' },
      results: results.results.map((r, i) => (i === 0 ? { ...r, final: false, status: 'answered' } : r)),
    };
    const wb = new ExcelJS.Workbook();
    await load(wb, await resultsToXlsx(provisional, assessments));
    expect(wb.getWorksheet('Xếp hạng sở, ban, ngành')!.getCell(2, 1).value).toBe(
      'Chỉ số CCHC năm 2026. Kết quả tạm tính: Hội đồng thẩm định chưa quyết định tất cả các đơn vị. Công bố ngày 2027-01-20. Bộ chỉ số ví dụ (minh hoạ), không phải kết quả chính thức.',
    );
  });
});
