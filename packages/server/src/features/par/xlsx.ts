import ExcelJS from 'exceljs';
import {
  AppError,
  PAR_METHODS,
  PAR_UNIT_KINDS,
  type ParAssessment,
  type ParFramework,
  type ParFrameworkInput,
  type ParMethod,
  type ParResult,
  type ParResults,
  type ParRule,
  type ParUnitKind,
} from '@watchfloor/core';
import { bufferSource, DEFAULT_FILE_LIMITS, openXlsx, type TableRecord } from '@watchfloor/connectors';

/**
 * PAR Index workbooks. A framework as the Department of Home Affairs edits
 * it in Excel: one sheet with a row per field, criterion and sub-criterion
 * (its level, code, parent, names, maximum, method, evidence, the kinds of
 * unit it applies to, its indicator and rule written as text), and a sheet
 * of the framework's header and classification bands; read back from the
 * same layout, each bad row named by sheet and row. And the official result
 * tables: the ranking of each kind of unit with its points per field, and
 * every unit's points per criterion. Headers in Vietnamese, as published.
 */

export const FRAMEWORK_SHEET = 'Bộ chỉ số';
export const HEADER_SHEET = 'Thông tin chung';

const LEVELS = { field: 'Lĩnh vực', criterion: 'Tiêu chí', subcriterion: 'Tiêu chí thành phần' } as const;
type Level = keyof typeof LEVELS;

const METHOD_LABELS: Record<ParMethod, string> = { self: 'Tự đánh giá', computed: 'Tính từ số liệu', survey: 'Điều tra, khảo sát', deduction: 'Điểm trừ' };
const KIND_LABELS: Record<ParUnitKind, string> = { department: 'Sở, ban, ngành', commune: 'Xã, phường, đặc khu' };

/** The columns of the framework sheet, in order: header and the key read from it. */
const COLUMNS = [
  { key: 'level', header: 'Cấp', width: 20 },
  { key: 'code', header: 'Mã', width: 10 },
  { key: 'parent', header: 'Thuộc', width: 10 },
  { key: 'name', header: 'Tên', width: 60 },
  { key: 'nameEn', header: 'Tên tiếng Anh', width: 40 },
  { key: 'maxPoints', header: 'Điểm tối đa', width: 12 },
  { key: 'method', header: 'Phương pháp chấm', width: 18 },
  { key: 'evidence', header: 'Bắt buộc minh chứng', width: 12 },
  { key: 'appliesTo', header: 'Áp dụng cho', width: 24 },
  { key: 'indicator', header: 'Chỉ tiêu', width: 24 },
  { key: 'rule', header: 'Quy tắc tính điểm', width: 36 },
  { key: 'guidance', header: 'Hướng dẫn chấm', width: 60 },
] as const;
type Column = (typeof COLUMNS)[number]['key'];

const HEADER_FIELDS = [
  { key: 'code', label: 'Mã bộ chỉ số' },
  { key: 'year', label: 'Năm đánh giá' },
  { key: 'name', label: 'Tên' },
  { key: 'nameEn', label: 'Tên tiếng Anh' },
  { key: 'unitKinds', label: 'Đối tượng đánh giá' },
  { key: 'example', label: 'Bộ chỉ số ví dụ (minh hoạ)' },
  { key: 'decisionNumber', label: 'Số quyết định' },
  { key: 'decisionDate', label: 'Ngày quyết định' },
  { key: 'decisionIssuer', label: 'Cơ quan ban hành' },
] as const;
const BANDS_TITLE = 'Xếp loại';
const BAND_COLUMNS = ['Mã xếp loại', 'Tên xếp loại', 'Tên tiếng Anh', 'Chỉ số từ (%)'] as const;

const YES = 'Có';

// ---- rules as text ---------------------------------------------------------

const num = (x: number): string => String(x);

/** A rule as one line of text: "ladder: >=100:1; >=95:0.5; else 0" or "linear: 50..100". */
export function ruleText(rule: ParRule): string {
  if (rule.kind === 'linear') return `linear: ${num(rule.from)}..${num(rule.to)}`;
  return `ladder: ${[...rule.steps.map((s) => `>=${num(s.atLeast)}:${num(s.points)}`), `else ${num(rule.otherwise)}`].join('; ')}`;
}

const NUMBER = String.raw`-?\d+(?:[.,]\d+)?`;
const toNumber = (s: string): number => Number(s.replace(',', '.'));

/** The rule a line of text writes, or why it is not one. */
export function parseRuleText(text: string): ParRule | string {
  const t = text.trim();
  const linear = new RegExp(String.raw`^linear\s*:\s*(${NUMBER})\s*\.\.\s*(${NUMBER})$`, 'i').exec(t);
  if (linear) return { kind: 'linear', from: toNumber(linear[1]!), to: toNumber(linear[2]!) };
  const ladder = /^ladder\s*:\s*(.*)$/i.exec(t);
  if (!ladder) return 'a rule reads "ladder: >=100:1; >=95:0.5; else 0" or "linear: 50..100"';
  const steps: { atLeast: number; points: number }[] = [];
  let otherwise = 0;
  for (const part of ladder[1]!.split(';').map((p) => p.trim()).filter((p) => p !== '')) {
    const step = new RegExp(String.raw`^>=\s*(${NUMBER})\s*:\s*(${NUMBER})$`).exec(part);
    const rest = new RegExp(String.raw`^else\s+(${NUMBER})$`, 'i').exec(part);
    if (step) steps.push({ atLeast: toNumber(step[1]!), points: toNumber(step[2]!) });
    else if (rest) otherwise = toNumber(rest[1]!);
    else return `"${part}" is not a ladder step (">=95:0.5") or its rest ("else 0")`;
  }
  if (steps.length === 0) return 'a ladder has at least one step (">=95:0.5")';
  return { kind: 'ladder', steps, otherwise };
}

// ---- writing a framework ---------------------------------------------------

const kindsText = (kinds: readonly ParUnitKind[] | undefined): string => (kinds ?? []).map((k) => KIND_LABELS[k]).join('; ');

function headRow(ws: ExcelJS.Worksheet, row: number): void {
  const r = ws.getRow(row);
  r.font = { bold: true };
  r.alignment = { vertical: 'middle', wrapText: true };
}

/** A framework as a workbook: the tree, then its header and bands. */
export async function frameworkToXlsx(f: ParFramework): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Watchfloor';
  const ws = wb.addWorksheet(FRAMEWORK_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width, style: c.key === 'maxPoints' ? {} : { numFmt: '@' } }));
  headRow(ws, 1);
  type Scored = { maxPoints?: number | undefined; method?: ParMethod | undefined; evidenceRequired?: boolean | undefined; indicator?: string | undefined; rule?: ParRule | undefined; guidance?: string | null | undefined };
  const add = (level: Level, node: { code: string; name: string; nameEn: string | null; appliesTo?: readonly ParUnitKind[] | undefined } & Scored, parent: string | null) => {
    const scored = node.method !== undefined;
    ws.addRow({
      level: LEVELS[level],
      code: node.code,
      parent: parent ?? '',
      name: node.name,
      nameEn: node.nameEn ?? '',
      maxPoints: scored ? node.maxPoints : null,
      method: scored ? METHOD_LABELS[node.method!] : '',
      evidence: node.evidenceRequired ? YES : '',
      appliesTo: kindsText(node.appliesTo),
      indicator: node.indicator ?? '',
      rule: node.rule ? ruleText(node.rule) : '',
      guidance: node.guidance ?? '',
    });
  };
  for (const field of f.fields) {
    add('field', field, null);
    for (const c of field.criteria) {
      add('criterion', c, field.code);
      for (const s of c.subCriteria) add('subcriterion', s, c.code);
    }
  }

  const head = wb.addWorksheet(HEADER_SHEET);
  head.getColumn(1).width = 30;
  head.getColumn(2).width = 80;
  head.getColumn(3).width = 20;
  head.getColumn(4).width = 16;
  const values: Record<(typeof HEADER_FIELDS)[number]['key'], string | number> = {
    code: f.code,
    year: f.year,
    name: f.name,
    nameEn: f.nameEn ?? '',
    unitKinds: kindsText(f.unitKinds),
    example: f.example ? YES : 'Không',
    decisionNumber: f.decision?.number ?? '',
    decisionDate: f.decision?.date ?? '',
    decisionIssuer: f.decision?.issuer ?? '',
  };
  for (const h of HEADER_FIELDS) {
    const row = head.addRow([h.label, values[h.key]]);
    row.getCell(1).font = { bold: true };
    row.getCell(2).numFmt = '@';
  }
  head.addRow([]);
  head.addRow([BANDS_TITLE]).font = { bold: true };
  head.addRow([...BAND_COLUMNS]).font = { bold: true };
  for (const b of f.bands) head.addRow([b.code, b.name, b.nameEn ?? '', b.atLeast]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ---- reading a framework ---------------------------------------------------

export interface XlsxProblem {
  path: string;
  sheet: string;
  row: number | null;
  message: string;
}

const fold = (s: string): string => s.normalize('NFC').trim().toLocaleLowerCase('vi');
const text = (v: TableRecord['cells'][number] | undefined): string => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).trim());

const LEVEL_BY_TEXT = new Map<string, Level>([
  ...Object.entries(LEVELS).map(([k, v]) => [fold(v), k as Level] as const),
  ...Object.keys(LEVELS).map((k) => [k, k as Level] as const),
  ['sub-criterion', 'subcriterion'],
  ['tiêu chí con', 'subcriterion'],
]);
const METHOD_BY_TEXT = new Map<string, ParMethod>([...PAR_METHODS.map((m) => [m, m] as const), ...Object.entries(METHOD_LABELS).map(([k, v]) => [fold(v), k as ParMethod] as const)]);
const KIND_BY_TEXT = new Map<string, ParUnitKind>([...PAR_UNIT_KINDS.map((k) => [k, k] as const), ...Object.entries(KIND_LABELS).map(([k, v]) => [fold(v), k as ParUnitKind] as const)]);
const TRUE_TEXT = new Set(['có', 'x', 'true', '1', 'yes', 'bắt buộc']);
const FALSE_TEXT = new Set(['', 'không', 'false', '0', 'no']);

/** Kinds of unit written "Sở, ban, ngành; Xã, phường, đặc khu" (or by code), or why not. */
function readKinds(value: string): ParUnitKind[] | string {
  const out: ParUnitKind[] = [];
  for (const part of value.split(/[;\n]/).map((p) => fold(p)).filter((p) => p !== '')) {
    const kind = KIND_BY_TEXT.get(part);
    if (!kind) return `"${part}" is not a kind of unit (${Object.values(KIND_LABELS).join('; ')})`;
    if (!out.includes(kind)) out.push(kind);
  }
  return out;
}

async function sheetRows(book: Awaited<ReturnType<typeof openXlsx>>, name: string): Promise<TableRecord[] | null> {
  const sheet = book.sheets.find((s) => fold(s.name) === fold(name));
  if (!sheet) return null;
  const rows: TableRecord[] = [];
  for await (const r of sheet.records()) rows.push(r);
  return rows;
}

/** Limits for a framework file: a tree of a few hundred rows. */
const LIMITS = { ...DEFAULT_FILE_LIMITS, maxRows: 5000, maxInflatedBytes: 20 * 1024 * 1024 };

/**
 * Reads a framework workbook in the layout `frameworkToXlsx` writes. Every
 * row's problems are gathered before refusing: `invalid_par_framework`
 * with each problem's sheet, row and sentence in `details`. The document
 * read is then checked as any framework is (by the caller).
 */
export async function frameworkFromXlsx(buf: Buffer): Promise<ParFrameworkInput> {
  const book = await openXlsx(bufferSource(buf), LIMITS);
  const problems: XlsxProblem[] = [];
  const problem = (sheet: string, row: number | null, message: string) => problems.push({ path: row === null ? sheet : `${sheet}!${row}`, sheet, row, message });
  const refuse = (): never => {
    throw new AppError('invalid_par_framework', `The workbook is not a usable framework: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
  };

  const treeRows = await sheetRows(book, FRAMEWORK_SHEET);
  const headRows = await sheetRows(book, HEADER_SHEET);
  if (!treeRows) problem(FRAMEWORK_SHEET, null, `the workbook has no sheet "${FRAMEWORK_SHEET}"`);
  if (!headRows) problem(HEADER_SHEET, null, `the workbook has no sheet "${HEADER_SHEET}"`);
  if (!treeRows || !headRows) return refuse();

  // The framework's header: label, value.
  const header = new Map<string, { value: string; line: number }>();
  let bandsFrom = -1;
  for (const [i, r] of headRows.entries()) {
    const label = fold(text(r.cells[0]));
    if (label === fold(BANDS_TITLE)) {
      bandsFrom = i + 2; // the title, then its header row
      break;
    }
    const field = HEADER_FIELDS.find((h) => fold(h.label) === label);
    if (field) header.set(field.key, { value: text(r.cells[1]), line: r.line });
  }
  const headValue = (key: (typeof HEADER_FIELDS)[number]['key']) => header.get(key)?.value ?? '';
  for (const key of ['code', 'year', 'name', 'unitKinds'] as const) {
    if (headValue(key) === '') problem(HEADER_SHEET, header.get(key)?.line ?? null, `"${HEADER_FIELDS.find((h) => h.key === key)!.label}" is missing`);
  }
  const year = Number(headValue('year'));
  if (headValue('year') !== '' && !Number.isInteger(year)) problem(HEADER_SHEET, header.get('year')!.line, `the year "${headValue('year')}" is not a year`);
  const unitKinds = readKinds(headValue('unitKinds'));
  if (typeof unitKinds === 'string') problem(HEADER_SHEET, header.get('unitKinds')?.line ?? null, unitKinds);
  const decisionParts = [headValue('decisionNumber'), headValue('decisionDate'), headValue('decisionIssuer')];
  if (decisionParts.some((p) => p !== '') && decisionParts.some((p) => p === '')) {
    problem(HEADER_SHEET, header.get('decisionNumber')?.line ?? null, 'a decision has its number, its date and its issuer, all three (or none, for a draft)');
  }
  const bands: { code: string; name: string; nameEn: string | null; atLeast: number }[] = [];
  if (bandsFrom >= 0) {
    for (const r of headRows.slice(bandsFrom)) {
      const [code, name, nameEn, atLeast] = [0, 1, 2, 3].map((c) => text(r.cells[c]));
      const at = Number(atLeast!.replace(',', '.'));
      if (!code || !name || atLeast === '' || !Number.isFinite(at)) {
        problem(HEADER_SHEET, r.line, 'a band has its code, its name and the index (%) it starts at');
        continue;
      }
      bands.push({ code, name, nameEn: nameEn || null, atLeast: at });
    }
  }

  // The tree: a header row naming the columns, then a row per node.
  const [head, ...rows] = treeRows;
  const at = new Map<Column, number>();
  for (const [i, cell] of (head?.cells ?? []).entries()) {
    const column = COLUMNS.find((c) => fold(c.header) === fold(text(cell)));
    if (column) at.set(column.key, i);
  }
  const missing = (['level', 'code', 'name'] as const).filter((c) => !at.has(c));
  for (const c of missing) problem(FRAMEWORK_SHEET, head?.line ?? 1, `the column "${COLUMNS.find((x) => x.key === c)!.header}" is missing`);
  if (missing.length > 0) return refuse();
  const cell = (r: TableRecord, c: Column): string => (at.has(c) ? text(r.cells[at.get(c)!]) : '');

  type Node = Record<string, unknown> & { code: string };
  const fields: (Node & { criteria: (Node & { subCriteria: Node[] })[] })[] = [];
  const criteria = new Map<string, Node & { subCriteria: Node[] }>();
  const fieldsByCode = new Map<string, (typeof fields)[number]>();
  for (const r of rows) {
    const before = problems.length;
    const bad = (message: string) => problem(FRAMEWORK_SHEET, r.line, message);
    const level = LEVEL_BY_TEXT.get(fold(cell(r, 'level')));
    const code = cell(r, 'code');
    const parent = cell(r, 'parent');
    if (!level) bad(`"${cell(r, 'level')}" is not a level (${Object.values(LEVELS).join(', ')})`);
    if (!code) bad('the code is missing');
    if (!cell(r, 'name')) bad('the name is missing');
    const node: Node = { code, name: cell(r, 'name'), nameEn: cell(r, 'nameEn') || null };
    const kinds = readKinds(cell(r, 'appliesTo'));
    if (typeof kinds === 'string') bad(kinds);
    else if (kinds.length > 0) node.appliesTo = kinds;

    const methodText = cell(r, 'method');
    const method = methodText === '' ? undefined : METHOD_BY_TEXT.get(fold(methodText));
    if (methodText !== '' && !method) bad(`"${methodText}" is not a scoring method (${Object.values(METHOD_LABELS).join(', ')})`);
    const pointsText = cell(r, 'maxPoints');
    const maxPoints = pointsText === '' ? undefined : Number(pointsText.replace(',', '.'));
    if (maxPoints !== undefined && !Number.isFinite(maxPoints)) bad(`the maximum "${pointsText}" is not a number`);
    const evidenceText = fold(cell(r, 'evidence'));
    if (!TRUE_TEXT.has(evidenceText) && !FALSE_TEXT.has(evidenceText)) bad(`"${cell(r, 'evidence')}" says neither "${YES}" nor nothing for evidence required`);
    const ruleCell = cell(r, 'rule');
    const rule = ruleCell === '' ? undefined : parseRuleText(ruleCell);
    if (typeof rule === 'string') bad(rule);

    if (level === 'field') {
      if (method || maxPoints !== undefined || ruleCell || cell(r, 'indicator')) bad('a field is not scored itself: its criteria are');
    } else if (level === 'subcriterion' || method || maxPoints !== undefined) {
      if (!method) bad('a scored row names its method');
      if (maxPoints === undefined) bad('a scored row gives its maximum points');
      Object.assign(node, { maxPoints, method });
      // A criterion scored itself leaves out what it does not say; a sub-criterion says it all.
      if (TRUE_TEXT.has(evidenceText) || level === 'subcriterion') node.evidenceRequired = TRUE_TEXT.has(evidenceText);
      if (cell(r, 'indicator')) node.indicator = cell(r, 'indicator');
      if (rule && typeof rule !== 'string') node.rule = rule;
      const guidance = cell(r, 'guidance');
      if (guidance || level === 'subcriterion') node.guidance = guidance || null;
    }
    if (problems.length > before) continue;

    if (level === 'field') {
      const field = { ...node, criteria: [] };
      fields.push(field);
      fieldsByCode.set(code, field);
    } else if (level === 'criterion') {
      const field = fieldsByCode.get(parent) ?? (parent === '' ? fields[fields.length - 1] : undefined);
      if (!field) {
        bad(parent === '' ? 'a criterion comes after its field' : `no field above has the code ${parent}`);
        continue;
      }
      const c = { ...node, subCriteria: [] as Node[] };
      field.criteria.push(c);
      criteria.set(code, c);
    } else {
      const c = criteria.get(parent) ?? (parent === '' ? [...criteria.values()].at(-1) : undefined);
      if (!c) {
        bad(parent === '' ? 'a sub-criterion comes after its criterion' : `no criterion above has the code ${parent}`);
        continue;
      }
      c.subCriteria.push(node);
    }
  }
  if (fields.length === 0 && problems.length === 0) problem(FRAMEWORK_SHEET, null, 'the sheet holds no field');
  if (problems.length > 0) return refuse();

  const exampleText = fold(headValue('example'));
  return {
    code: headValue('code'),
    year,
    name: headValue('name'),
    nameEn: headValue('nameEn') || null,
    decision: decisionParts.every((p) => p !== '') ? { number: decisionParts[0]!, date: decisionParts[1]!, issuer: decisionParts[2]! } : null,
    example: TRUE_TEXT.has(exampleText),
    unitKinds: unitKinds as ParUnitKind[],
    bands,
    fields,
  } as ParFrameworkInput;
}

// ---- result tables ---------------------------------------------------------

const RANKING_TITLE: Record<ParUnitKind, string> = { department: 'Xếp hạng sở, ban, ngành', commune: 'Xếp hạng xã, phường, đặc khu' };
const KIND_TITLE: Record<ParUnitKind, string> = { department: 'CÁC SỞ, BAN, NGÀNH', commune: 'CÁC XÃ, PHƯỜNG, ĐẶC KHU' };
export const CRITERIA_SHEET = 'Điểm theo tiêu chí';
/** The row the ranking tables' header sits on: a title and a line about the results above it. */
export const RESULTS_HEADER_ROW = 4;

const byRank = (a: ParResult, b: ParResult) => a.rank - b.rank || a.name.localeCompare(b.name, 'vi');

/**
 * The official result tables of a cycle: for each kind of unit, its ranking
 * (rank, unit, points per field, total, maximum, index, band, change since
 * the year before) and, on one more sheet, each criterion's points for every
 * unit (blank where the criterion does not apply to the unit's kind).
 */
export async function resultsToXlsx(results: ParResults, assessments: ParAssessment[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Watchfloor';
  const { cycle } = results;
  const provisional = results.results.some((r) => !r.final);
  const status = [
    provisional ? 'Kết quả tạm tính: Hội đồng thẩm định chưa quyết định tất cả các đơn vị.' : 'Kết quả đã được Hội đồng thẩm định quyết định.',
    cycle.publishedAt ? `Công bố ngày ${cycle.publishedAt.slice(0, 10)}.` : 'Chưa công bố.',
    cycle.example ? 'Bộ chỉ số ví dụ (minh hoạ), không phải kết quả chính thức.' : '',
  ]
    .filter((s) => s !== '')
    .join(' ');

  const kinds = PAR_UNIT_KINDS.filter((k) => results.results.some((r) => r.kind === k));
  for (const kind of kinds) {
    const ws = wb.addWorksheet(RANKING_TITLE[kind], { views: [{ state: 'frozen', ySplit: RESULTS_HEADER_ROW, xSplit: 3 }] });
    ws.getCell(1, 1).value = `KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM ${cycle.year} CỦA ${KIND_TITLE[kind]}`;
    ws.getCell(1, 1).font = { bold: true, size: 13 };
    ws.getCell(2, 1).value = `${cycle.name}. ${status}`;
    const header = [
      'Hạng',
      'Mã đơn vị',
      'Đơn vị',
      ...results.fields.map((f) => `${f.code}. ${f.name}`),
      'Tổng điểm',
      'Điểm tối đa',
      'Chỉ số (%)',
      'Xếp loại',
      'Tăng, giảm so với năm trước (%)',
    ];
    ws.getRow(RESULTS_HEADER_ROW).values = header;
    headRow(ws, RESULTS_HEADER_ROW);
    ws.getColumn(1).width = 7;
    ws.getColumn(2).width = 14;
    ws.getColumn(3).width = 40;
    for (let c = 4; c <= header.length; c++) ws.getColumn(c).width = 14;
    for (const r of results.results.filter((x) => x.kind === kind).sort(byRank)) {
      const points = new Map(r.fields.map((f) => [f.code, f.points]));
      ws.addRow([r.rank, r.code, r.name, ...results.fields.map((f) => points.get(f.code) ?? null), r.total, r.max, r.index, r.band?.name ?? '', r.change]);
    }
  }

  // Each criterion's points for every unit: the units in the order of the ranking tables.
  const units = kinds.flatMap((k) => results.results.filter((r) => r.kind === k).sort(byRank));
  const byUnit = new Map(assessments.map((a) => [a.unit.code, new Map(a.leaves.map((l) => [l.code, l]))]));
  const leaves: { code: string; fieldCode: string; name: string; maxPoints: number; method: ParMethod }[] = [];
  const seen = new Set<string>();
  for (const a of assessments) {
    for (const l of a.leaves) {
      if (seen.has(l.code)) continue;
      seen.add(l.code);
      leaves.push({ code: l.code, fieldCode: l.fieldCode, name: l.name, maxPoints: l.maxPoints, method: l.method });
    }
  }
  // In the order of the tree: by field as the results list them, and within a field as first met.
  const fieldOrder = new Map(results.fields.map((f, i) => [f.code, i]));
  leaves.sort((a, b) => (fieldOrder.get(a.fieldCode) ?? 0) - (fieldOrder.get(b.fieldCode) ?? 0));
  const ws = wb.addWorksheet(CRITERIA_SHEET, { views: [{ state: 'frozen', ySplit: 1, xSplit: 4 }] });
  ws.getRow(1).values = ['Mã tiêu chí', 'Tiêu chí', 'Phương pháp chấm', 'Điểm tối đa', ...units.map((u) => u.name)];
  headRow(ws, 1);
  ws.getColumn(2).width = 60;
  ws.getColumn(3).width = 18;
  for (const leaf of leaves) {
    ws.addRow([leaf.code, leaf.name, METHOD_LABELS[leaf.method], leaf.maxPoints, ...units.map((u) => byUnit.get(u.code)?.get(leaf.code)?.points ?? null)]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
