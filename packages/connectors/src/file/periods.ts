import { isIsoDate, isoDateOf } from '@watchfloor/core';
import { foldText } from './headers';

/**
 * Reporting periods as people write them in Vietnamese files, turned into
 * period keys: `14/07/2025` → 2025-07-14, `07/2025` or `Tháng 7/2025` →
 * 2025-07, `Quý III/2025` → 2025-Q3, `6 tháng đầu năm 2025` → 2025-H1,
 * `9 tháng 2025` → 2025-9M, `Năm 2025` → 2025, and `14/07/2025 08:30` → an
 * instant in Vietnam time. Anything else is passed on as written, for the
 * write path to accept (a period key) or refuse (invalid_period).
 */
const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

const pad = (n: number) => String(n).padStart(2, '0');

/** The period key of a cell: a text as written, a number (a year), or a date (a day). */
export function periodKeyOf(cell: string | number | Date): string {
  if (cell instanceof Date) {
    // Spreadsheets keep wall-clock times without a zone, read back as UTC: they are Vietnam's.
    const iso = cell.toISOString();
    return iso.slice(11, 19) === '00:00:00' ? iso.slice(0, 10) : `${iso.slice(0, 19)}+07:00`;
  }
  if (typeof cell === 'number') {
    // A date typed into a cell formatted as text or number arrives as Excel's day count (from 30/12/1899).
    if (Number.isInteger(cell) && cell > 20_000 && cell < 80_000) return new Date(Date.UTC(1899, 11, 30) + cell * 86_400_000).toISOString().slice(0, 10);
    return String(cell);
  }
  const raw = cell.trim();
  const s = foldText(raw);
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ t](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (m) {
    const date = isoDateOf(Number(m[3]), Number(m[2]), Number(m[1]));
    if (!isIsoDate(date)) return raw;
    if (m[4] === undefined) return date;
    return `${date}T${pad(Number(m[4]))}:${m[5]}:${m[6] ?? '00'}+07:00`;
  }
  m = /^(?:thang |t)?(\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 12) return `${m[2]}-${pad(Number(m[1]))}`;
  m = /^(?:quy |q)(i{1,3}|iv|[1-4])[/ .-]+(?:nam )?(\d{4})$/.exec(s);
  if (m) return `${m[2]}-Q${ROMAN[m[1] ?? ''] ?? Number(m[1])}`;
  m = /^6 thang (?:dau )?(?:nam )?(\d{4})$/.exec(s);
  if (m) return `${m[1]}-H1`;
  m = /^6 thang cuoi (?:nam )?(\d{4})$/.exec(s);
  if (m) return `${m[1]}-H2`;
  m = /^9 thang (?:dau )?(?:nam )?(\d{4})$/.exec(s);
  if (m) return `${m[1]}-9M`;
  m = /^nam (\d{4})$/.exec(s);
  if (m?.[1]) return m[1];
  return raw;
}

/**
 * The period a longer text names, as a report's title or a file name words
 * it: "BÁO CÁO … THÁNG 10 NĂM 2026" → 2026-10, "quý III/2026" or "quý 3 năm
 * 2026" → 2026-Q3, "6 tháng đầu năm 2026" → 2026-H1, "9 tháng năm 2026" →
 * 2026-9M, "năm 2026" → 2026; in a file name the words may be joined by
 * dashes or underscores ("bao-cao-thang-10-2026.xlsx"). The first period
 * named wins; null when there is none.
 */
export function findPeriodIn(text: string): string | null {
  const s = ` ${foldText(text).replace(/[_]+/g, ' ')} `;
  const found: { at: number; key: string }[] = [];
  const look = (re: RegExp, key: (m: RegExpExecArray) => string | null) => {
    const m = re.exec(s);
    if (m) {
      const k = key(m);
      if (k !== null) found.push({ at: m.index, key: k });
    }
  };
  const Y = '((?:19|20)\\d{2})';
  const SEP = '(?:[ ]*[/.-][ ]*|[ -]+nam[ -]+|[ -]+)';
  look(new RegExp(`[^a-z0-9]6[ -]+thang[ -]+(?:dau[ -]+)?(?:nam[ -]+)?${Y}(?![0-9])`), (m) => `${m[1]}-H1`);
  look(new RegExp(`[^a-z0-9]6[ -]+thang[ -]+cuoi[ -]+(?:nam[ -]+)?${Y}(?![0-9])`), (m) => `${m[1]}-H2`);
  look(new RegExp(`[^a-z0-9]9[ -]+thang[ -]+(?:dau[ -]+)?(?:nam[ -]+)?${Y}(?![0-9])`), (m) => `${m[1]}-9M`);
  look(new RegExp(`[^a-z0-9]quy[ -]+(iv|i{1,3}|[1-4])${SEP}${Y}(?![0-9])`), (m) => `${m[2]}-Q${ROMAN[m[1] ?? ''] ?? Number(m[1])}`);
  look(new RegExp(`[^a-z0-9]thang[ -]+(\\d{1,2})${SEP}${Y}(?![0-9])`), (m) => (Number(m[1]) >= 1 && Number(m[1]) <= 12 ? `${m[2]}-${pad(Number(m[1]))}` : null));
  look(new RegExp(`[^a-z0-9](?:nam|year)[ -]+${Y}(?![0-9])`), (m) => m[1] ?? null);
  if (found.length === 0) return null;
  // At one place the more precise wording wins ("6 tháng đầu năm 2026" also holds "năm 2026").
  found.sort((a, b) => a.at - b.at);
  return found[0]?.key ?? null;
}
