import { z } from 'zod';
import { foldText } from '../names';
import type { RejectionReason } from '../rejections';
import { directiveDocumentSchema, directiveTaskSchema, normaliseDirectiveNumber, type DirectiveDocument, type DirectiveKind, type TaskDeadline } from './schemas';

/**
 * Directive documents as a spreadsheet (CSV or XLSX) from the e-office
 * system: one row per task, the document's fields repeated on each of its
 * rows, rows grouped into documents by their number. The headings are the
 * ones Vietnamese document registers use ("Số/ký hiệu", "Ngày ban hành",
 * "Hạn xử lý" …); a source's mapping (or the upload) names others. This
 * module reads the cells' text into documents and says, row by row and
 * column by column, what it could not read; the file itself is read by the
 * connectors.
 */

export const DIRECTIVE_FILE_FIELDS = ['number', 'date', 'issuer', 'signer', 'kind', 'summary', 'text', 'key', 'lead', 'cooperating', 'deadline'] as const;
export const directiveFileFieldSchema = z.enum(DIRECTIVE_FILE_FIELDS).describe('A field of a directive file row');
export type DirectiveFileField = z.infer<typeof directiveFileFieldSchema>;

/** A file's own headings → fields, beyond the ones known, e.g. { "Số hiệu VB": "number" }. */
export const directiveColumnsSchema = z
  .record(z.string().trim().min(1).max(200), directiveFileFieldSchema)
  .refine((m) => Object.keys(m).length <= 100, { message: 'at most 100 headings' })
  .describe('A file’s own headings → fields (number, date, issuer, signer, kind, summary, text, key, lead, cooperating, deadline), beyond the Vietnamese and English ones known');
export type DirectiveColumns = z.infer<typeof directiveColumnsSchema>;

/** The columns of a directive file in the template's order: the heading written, others read as the same, and what goes in it. */
export const DIRECTIVE_FILE_COLUMNS: readonly { field: DirectiveFileField; heading: string; aliases: readonly string[]; required: boolean; hint: string; example: string }[] = [
  { field: 'number', heading: 'Số/ký hiệu', aliases: ['Số ký hiệu', 'Số hiệu', 'Số văn bản', 'Số, ký hiệu', 'number'], required: true, hint: 'Số và ký hiệu văn bản, ví dụ 125/TB-UBND; các dòng cùng số là một văn bản', example: '125/TB-UBND' },
  { field: 'date', heading: 'Ngày ban hành', aliases: ['Ngày văn bản', 'Ngày ký', 'date'], required: true, hint: 'dd/mm/yyyy', example: '02/11/2026' },
  { field: 'issuer', heading: 'Cơ quan ban hành', aliases: ['Nơi ban hành', 'issuer'], required: true, hint: '', example: 'UBND tỉnh Vĩnh Long' },
  { field: 'signer', heading: 'Người ký', aliases: ['signer'], required: true, hint: '', example: 'Chủ tịch Nguyễn Văn A' },
  {
    field: 'kind',
    heading: 'Loại văn bản',
    aliases: ['Loại', 'kind'],
    required: true,
    hint: 'Thông báo kết luận, Chỉ thị, Công văn, Kế hoạch hoặc Khác',
    example: 'Thông báo kết luận',
  },
  { field: 'summary', heading: 'Trích yếu', aliases: ['Trích yếu nội dung', 'summary'], required: true, hint: '', example: 'Kết luận của Chủ tịch tại cuộc họp giao ban tháng 11' },
  { field: 'text', heading: 'Nội dung nhiệm vụ', aliases: ['Nhiệm vụ', 'Nội dung', 'task', 'text'], required: true, hint: '', example: 'Rà soát dự toán ngân sách năm 2027' },
  { field: 'key', heading: 'Mã nhiệm vụ', aliases: ['Mục', 'Số thứ tự nhiệm vụ', 'key', 'task key'], required: true, hint: 'Số mục trong văn bản (1, 2.a, III.3): giữ nguyên khi gửi lại', example: '1' },
  { field: 'lead', heading: 'Đơn vị chủ trì', aliases: ['Cơ quan chủ trì', 'Chủ trì', 'lead'], required: true, hint: 'Mã hoặc tên cơ quan, ví dụ VL-STC hoặc Sở Tài chính', example: 'VL-STC' },
  {
    field: 'cooperating',
    heading: 'Đơn vị phối hợp',
    aliases: ['Cơ quan phối hợp', 'Phối hợp', 'cooperating'],
    required: false,
    hint: 'Mã hoặc tên cơ quan, cách nhau bởi dấu phẩy hoặc chấm phẩy',
    example: 'VL-SYT, Sở Nội vụ',
  },
  {
    field: 'deadline',
    heading: 'Hạn xử lý',
    aliases: ['Thời hạn', 'Hạn hoàn thành', 'Hạn', 'deadline'],
    required: true,
    hint: 'dd/mm/yyyy; hoặc "Thường xuyên"; "Hằng tháng, ngày 25"; "Hằng quý, ngày 20"; "Hằng năm, ngày 15/12"',
    example: '30/11/2026',
  },
];

const COLUMN = new Map(DIRECTIVE_FILE_COLUMNS.map((c) => [c.field, c]));

/** A heading as compared: folded, only letters and digits. */
export function foldDirectiveHeading(text: string): string {
  return foldText(text)
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The field of each column of a header row (null: ignored), the mapping's headings first; a field named twice keeps its first column. */
export function mapDirectiveHeadings(cells: readonly string[], extra: DirectiveColumns = {}): (DirectiveFileField | null)[] {
  const known = new Map<string, DirectiveFileField>();
  for (const [heading, field] of Object.entries(extra)) known.set(foldDirectiveHeading(heading), field);
  for (const c of DIRECTIVE_FILE_COLUMNS) for (const h of [c.heading, ...c.aliases]) if (!known.has(foldDirectiveHeading(h))) known.set(foldDirectiveHeading(h), c.field);
  const taken = new Set<DirectiveFileField>();
  return cells.map((cell) => {
    const field = known.get(foldDirectiveHeading(cell)) ?? null;
    if (field === null || taken.has(field)) return null;
    taken.add(field);
    return field;
  });
}

/** The agencies of a cell of co-operating agencies, as written: separated by commas, semicolons or line breaks. */
export function splitDirectiveAgencies(text: string): string[] {
  return text
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The fields a file must have a column for. */
export const REQUIRED_DIRECTIVE_FIELDS: readonly DirectiveFileField[] = DIRECTIVE_FILE_COLUMNS.filter((c) => c.required).map((c) => c.field);

/** A row of a directive file as read: the text of each field's cell (dates already YYYY-MM-DD when the cell was a date). */
export type DirectiveFileRow = Partial<Record<DirectiveFileField, string>>;

const pad = (n: number | string) => String(n).padStart(2, '0');

/** A date written dd/mm/yyyy (or d/m/yyyy, with dots or dashes) or YYYY-MM-DD; null when it is neither or no such day. */
export function readDirectiveDate(text: string): string | null {
  const t = text.trim();
  const vi = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:T00:00:00(?:\.000)?Z)?$/.exec(t);
  const [y, m, d] = vi ? [vi[3]!, vi[2]!, vi[1]!] : iso ? [iso[1]!, iso[2]!, iso[3]!] : [];
  if (y === undefined || m === undefined || d === undefined) return null;
  const date = `${y}-${pad(m)}-${pad(d)}`;
  const check = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(check.getTime()) && check.toISOString().slice(0, 10) === date ? date : null;
}

/**
 * A deadline as a register writes it: a date (once, by the end of that
 * day); "Thường xuyên" (regular); "Hằng tháng, ngày 25" (monthly);
 * "Hằng quý, ngày 20" (quarterly, in the quarter's last month); "Hằng năm,
 * ngày 15/12" (yearly). English "regular", "monthly 25", "quarterly 20",
 * "yearly 15/12" too. Null when it is none of these.
 */
export function readDirectiveDeadline(text: string): TaskDeadline | null {
  const date = readDirectiveDate(text);
  if (date !== null) return { kind: 'date', date };
  const f = foldText(text).replace(/[,;:.]/g, ' ').replace(/\s+/g, ' ').trim();
  if (f === 'thuong xuyen' || f === 'regular') return { kind: 'regular' };
  const day = (s: string) => {
    const n = Number(s);
    return Number.isInteger(n) && n >= 1 && n <= 31 ? n : null;
  };
  const monthly = /^(?:hang thang|moi thang|monthly)(?: truoc)?(?: ngay)? (\d{1,2})$/.exec(f);
  if (monthly) {
    const d = day(monthly[1]!);
    return d === null ? null : { kind: 'monthly', day: d, until: null };
  }
  const quarterly = /^(?:hang quy|moi quy|quarterly)(?: truoc)?(?: ngay)? (\d{1,2})$/.exec(f);
  if (quarterly) {
    const d = day(quarterly[1]!);
    return d === null ? null : { kind: 'quarterly', month: 3, day: d, until: null };
  }
  const yearly = /^(?:hang nam|moi nam|yearly)(?: truoc)?(?: ngay)? (\d{1,2})[/-](\d{1,2})$/.exec(f);
  if (yearly) {
    const d = day(yearly[1]!);
    const m = Number(yearly[2]);
    return d === null || m < 1 || m > 12 ? null : { kind: 'yearly', month: m, day: d, until: null };
  }
  return null;
}

const KIND_WORDS: [string, DirectiveKind][] = [
  ['thong bao ket luan', 'conclusion'],
  ['ket luan', 'conclusion'],
  ['thong bao', 'conclusion'],
  ['conclusion', 'conclusion'],
  ['chi thi', 'directive'],
  ['directive', 'directive'],
  ['cong van', 'official_letter'],
  ['official letter', 'official_letter'],
  ['official_letter', 'official_letter'],
  ['ke hoach', 'plan'],
  ['plan', 'plan'],
];

/** The kind of a document from its name in a register ("Thông báo kết luận", "Chỉ thị" …); any other name is `other`. */
export function readDirectiveKind(text: string): DirectiveKind {
  const f = foldText(text);
  return KIND_WORDS.find(([w]) => f === w || f.startsWith(`${w} `))?.[1] ?? 'other';
}

/** Why one row of a file (or one document of a push) is refused: the registry's reason and the particulars (its column). */
export interface DirectiveRowProblem {
  index: number;
  reason: RejectionReason;
  message: string;
}

/** A document put together from the rows (or the one pushed document) it came from. */
export interface DirectiveBatchDocument {
  document: DirectiveDocument;
  /** The rows (their index in the batch) it came from; one per task for a file, the one row of a pushed document. */
  rows: number[];
  /** For a file's rows: the row each task came from, by task key. */
  rowOfTask: Map<string, number>;
  /** Keys of tasks whose rows were refused: held tasks of those keys are kept as they are. */
  refusedKeys: string[];
}

/** How a column is named in a refusal: its heading in the template, and the field. */
export const columnName = (field: DirectiveFileField): string => `column “${COLUMN.get(field)?.heading ?? field}” (${field})`;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The field of a document's schema issue path, as a file's column. */
function fieldOfPath(path: readonly PropertyKey[]): DirectiveFileField | null {
  const [head, , taskField] = path;
  if (head === 'tasks') return typeof taskField === 'string' && (DIRECTIVE_FILE_FIELDS as readonly string[]).includes(taskField) ? (taskField as DirectiveFileField) : null;
  return typeof head === 'string' && (DIRECTIVE_FILE_FIELDS as readonly string[]).includes(head) ? (head as DirectiveFileField) : null;
}

const DOCUMENT_FIELDS = ['number', 'date', 'issuer', 'signer', 'kind', 'summary'] as const;

/**
 * A batch of rows as documents: a row holding `tasks` is a whole document
 * (the JSON push, a pull), checked by the document's schema and refused
 * whole when it does not fit; any other row is a file's task row, read
 * cell by cell, grouped with the rows of the same (normalised) number. A
 * task row is refused on its own, its column named: a cell it cannot read,
 * a document field differing from the first row of that number, a task
 * key used twice; the document is made of the rest. A document whose own
 * fields do not fit refuses all its rows. `refused` are rows already
 * refused by the caller (an agency named that no one or several bear):
 * refused with that reason, their other cells' faults added.
 */
export function directiveBatch(
  rows: readonly unknown[],
  refused: ReadonlyMap<number, { reason: RejectionReason; message: string }> = new Map(),
): { documents: DirectiveBatchDocument[]; problems: DirectiveRowProblem[] } {
  const problems: DirectiveRowProblem[] = [];
  const documents: DirectiveBatchDocument[] = [];
  // Keys of refused rows by normalised number, whichever row of the document comes first.
  const refusedKeys = new Map<string, string[]>();
  const refuseKey = (number: string, key: string) => {
    if (number === '' || key === '') return;
    const n = normaliseDirectiveNumber(number);
    refusedKeys.set(n, [...(refusedKeys.get(n) ?? []), key]);
  };
  const groups = new Map<string, { fields: Record<(typeof DOCUMENT_FIELDS)[number], string>; tasks: { index: number; task: unknown; key: string }[]; refusedKeys: string[] }>();
  const seenNumbers = new Map<string, number>();

  rows.forEach((row, index) => {
    if (!isPlainObject(row)) {
      problems.push({ index, reason: 'not_an_object', message: 'Not a document or a row of one' });
      return;
    }
    const already = refused.get(index);
    if ('tasks' in row) {
      if (already) {
        problems.push({ index, ...already });
        return;
      }
      const p = directiveDocumentSchema.safeParse(row);
      if (!p.success) {
        problems.push({ index, reason: 'invalid_row', message: p.error.issues.map((i) => `${i.path.join('.') || 'document'}: ${i.message}`).join('; ') });
        return;
      }
      const key = normaliseDirectiveNumber(p.data.number);
      const earlier = seenNumbers.get(key);
      if (earlier !== undefined) {
        problems.push({ index, reason: 'duplicate_in_batch', message: `Document ${p.data.number} is sent twice in this batch (first as row ${earlier + 1})` });
        return;
      }
      seenNumbers.set(key, index);
      documents.push({ document: p.data, rows: [index], rowOfTask: new Map(), refusedKeys: [] });
      return;
    }
    // A file's task row: every cell read, each one that cannot be named by its column.
    const cells = row as DirectiveFileRow;
    const text = (f: DirectiveFileField) => (typeof cells[f] === 'string' ? cells[f].trim() : '');
    const wrong: string[] = [];
    for (const c of DIRECTIVE_FILE_COLUMNS) if (c.required && text(c.field) === '') wrong.push(`${columnName(c.field)} is empty`);
    const date = text('date') === '' ? null : readDirectiveDate(text('date'));
    if (text('date') !== '' && date === null) wrong.push(`${columnName('date')}: “${text('date')}” is not a date (dd/mm/yyyy)`);
    const deadline = text('deadline') === '' ? null : readDirectiveDeadline(text('deadline'));
    if (text('deadline') !== '' && deadline === null) wrong.push(`${columnName('deadline')}: “${text('deadline')}” is not a date (dd/mm/yyyy), “Thường xuyên” or “Hằng tháng, ngày N”`);
    const task = {
      key: text('key'),
      text: text('text'),
      lead: text('lead'),
      cooperating: splitDirectiveAgencies(text('cooperating')),
      deadline,
    };
    if (wrong.length === 0 && !already) {
      const p = directiveTaskSchema.safeParse(task);
      if (!p.success) for (const i of p.error.issues) wrong.push(`${columnName(fieldOfPath(['tasks', 0, ...i.path]) ?? 'text')}: ${i.message}`);
    }
    if (wrong.length > 0 || already) {
      problems.push(already ? { index, reason: already.reason, message: [already.message, ...wrong].join('; ') } : { index, reason: 'invalid_row', message: wrong.join('; ') });
      refuseKey(text('number'), task.key);
      return;
    }
    const fields = { number: text('number'), date: date!, issuer: text('issuer'), signer: text('signer'), kind: readDirectiveKind(text('kind')), summary: text('summary') };
    const key = normaliseDirectiveNumber(fields.number);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { fields, tasks: [], refusedKeys: [] }));
    const differ = DOCUMENT_FIELDS.filter((f) => f !== 'number' && group.fields[f] !== fields[f]);
    if (differ.length > 0) {
      problems.push({ index, reason: 'conflicting_document', message: `${differ.map(columnName).join(', ')} differ from the first row of document ${group.fields.number}` });
      refuseKey(group.fields.number, task.key);
      return;
    }
    const twice = group.tasks.find((t) => t.key === task.key);
    if (twice) {
      problems.push({ index, reason: 'duplicate_in_batch', message: `${columnName('key')}: task ${task.key} of document ${group.fields.number} is on another row too` });
      return;
    }
    group.tasks.push({ index, task, key: task.key });
  });

  for (const [number, group] of groups) {
    group.refusedKeys.push(...(refusedKeys.get(number) ?? []));
    let tasks = group.tasks;
    // A task the document refuses (due before the document's date, its lead also co-operating) refuses its row; the document is tried again without it.
    for (;;) {
      if (tasks.length === 0) break;
      const p = directiveDocumentSchema.safeParse({ ...group.fields, tasks: tasks.map((t) => t.task) });
      if (p.success) {
        documents.push({ document: p.data, rows: tasks.map((t) => t.index), rowOfTask: new Map(tasks.map((t) => [t.key, t.index])), refusedKeys: group.refusedKeys });
        break;
      }
      const byTask = new Map<number, string[]>();
      const whole: string[] = [];
      for (const i of p.error.issues) {
        const message = `${fieldOfPath(i.path) ? columnName(fieldOfPath(i.path)!) : 'document'}: ${i.message}`;
        if (i.path[0] === 'tasks' && typeof i.path[1] === 'number') byTask.set(i.path[1], [...(byTask.get(i.path[1]) ?? []), message]);
        else whole.push(message);
      }
      if (whole.length > 0 || byTask.size === 0) {
        for (const t of tasks) problems.push({ index: t.index, reason: 'invalid_row', message: (whole.length > 0 ? whole : ['document: not valid']).join('; ') });
        break;
      }
      for (const [i, messages] of byTask) {
        const t = tasks[i]!;
        problems.push({ index: t.index, reason: 'invalid_row', message: messages.join('; ') });
        group.refusedKeys.push(t.key);
      }
      tasks = tasks.filter((_, i) => !byTask.has(i));
    }
  }
  problems.sort((a, b) => a.index - b.index);
  return { documents, problems };
}
