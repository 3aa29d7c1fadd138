import {
  VIETNAM_UTC_OFFSET_MINUTES,
  columnHeader,
  formatDateVi,
  noteText,
  type ExportTable,
  type Language,
  type TableCell,
  type TableColumn,
} from '@watchfloor/core';

/**
 * The printed form of what the server answers, as one self-contained HTML
 * page for the PDF printer (pdf.ts): styles inline, system serif fonts
 * that carry Vietnamese, charts as inline SVG, nothing to fetch. A table
 * prints with its title, the rows, and the notes saying where the figures
 * come from; numbers and dates as the reader's language writes them.
 */

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body { font-family: 'Times New Roman', 'Liberation Serif', 'DejaVu Serif', serif; font-size: 11pt; color: #000; margin: 0; }
h1 { font-size: 14pt; text-align: center; margin: 0 0 4pt; }
h2 { font-size: 12pt; margin: 12pt 0 4pt; }
.centre { text-align: center; }
.issuer { font-weight: bold; text-align: center; font-size: 12pt; }
.period { text-align: center; font-weight: bold; margin-bottom: 12pt; }
p { text-align: justify; text-indent: 1cm; margin: 0 0 6pt; line-height: 1.35; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; page-break-inside: auto; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
th, td { border: 0.5pt solid #000; padding: 2pt 4pt; vertical-align: top; }
th { background: #eee; text-align: center; }
td.num { text-align: right; white-space: nowrap; }
td.word { white-space: nowrap; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2pt 10pt; font-size: 9.5pt; margin-top: 10pt; }
dt { font-weight: bold; }
dd { margin: 0; }
sup { font-size: 7pt; }
.footnotes { font-size: 9pt; border-top: 0.5pt solid #000; margin-top: 12pt; padding-top: 4pt; }
.footnotes p { text-indent: 0; }
.signed { font-style: italic; font-size: 10pt; margin-top: 8pt; text-indent: 0; }
svg { display: block; margin: 6pt auto 10pt; }
figure.chart { margin: 6pt 0 10pt; page-break-inside: avoid; }
figure.chart figcaption { text-align: center; font-style: italic; font-size: 10pt; }
`;

/** A whole printable page around a body of HTML. */
export function printPage(title: string, lang: Language, body: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** A number as the language writes it: 1.234,5 in Vietnamese, 1,234.5 in English. */
export function printNumber(value: number, lang: Language, decimals = 2): string {
  return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: decimals, minimumFractionDigits: 0 }).format(value);
}

/** A cell as printed: numbers grouped, a date dd/mm/yyyy, an instant in Vietnam time (its date and time kept on one line). */
export function printCell(v: TableCell, column: TableColumn, lang: Language): string {
  if (v === null) return '';
  if (typeof v === 'number') return printNumber(v, lang, column.kind === 'integer' ? 0 : (column.decimals ?? 2));
  if (column.kind === 'date') return formatDateVi(v);
  if (column.kind === 'datetime') {
    const t = Date.parse(v);
    if (Number.isNaN(t)) return v;
    const local = new Date(t + VIETNAM_UTC_OFFSET_MINUTES * 60_000).toISOString();
    return `${formatDateVi(local)}\u00a0${local.slice(11, 16)}`;
  }
  return v;
}

const numeric = (c: TableColumn) => c.kind === 'integer' || c.kind === 'number';

/** A cell; a number, a code, a period or a short name (a unit's, an agency's) is never broken across lines. */
function cellHtml(text: string, isNumber: boolean): string {
  const cls = isNumber ? 'num' : text.length <= 28 ? 'word' : '';
  return `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(text)}</td>`;
}

/** Rows a printed table holds at most: a longer list is printed in part, the notes saying so (a spreadsheet holds it whole). */
export const PRINTED_ROWS = 2000;

/** A table as a printed page: title, chart (when it has one), rows, then its notes. */
export async function tableHtml(table: ExportTable, lang: Language): Promise<string> {
  const rows: (readonly TableCell[])[] = [];
  let total = 0;
  for await (const row of table.rows) if (total++ < PRINTED_ROWS) rows.push(row);
  const cut =
    total > rows.length
      ? `<dt>${lang === 'vi' ? 'Bản in' : 'Printed'}</dt><dd>${escapeHtml(
          lang === 'vi'
            ? `${printNumber(rows.length, lang)} dòng đầu trong ${printNumber(total, lang)} dòng; tệp Excel hoặc CSV có đủ các dòng`
            : `the first ${printNumber(rows.length, lang)} of ${printNumber(total, lang)} rows; the Excel or CSV file holds them all`,
        )}</dd>`
      : '';
  const head = `<tr>${table.columns.map((c) => `<th>${escapeHtml(columnHeader(c, lang))}</th>`).join('')}</tr>`;
  const body = rows
    .map((r) => `<tr>${table.columns.map((c, i) => cellHtml(printCell(r[i] ?? null, c, lang), numeric(c))).join('')}</tr>`)
    .join('');
  const chart = table.chart
    ? lineChartSvg(
        rows.map((r) => String(r[table.chart!.x] ?? '')),
        table.chart.lines.map((i) => ({ name: columnHeader(table.columns[i]!, lang), values: rows.map((r) => (typeof r[i] === 'number' ? (r[i] as number) : null)) })),
        lang,
      )
    : '';
  const notes = table.notes.map((n) => `<dt>${escapeHtml(n.label[lang])}</dt><dd>${escapeHtml(noteText(n, lang))}</dd>`).join('');
  return printPage(
    table.title[lang],
    lang,
    `<h1>${escapeHtml(table.title[lang])}</h1>${chart}<table><thead>${head}</thead><tbody>${body}</tbody></table><dl>${cut}${notes}</dl>`,
  );
}

const LINE_COLOURS = ['#1f4e9c', '#c0392b', '#6b8e23', '#8e44ad'];

/**
 * A line chart of a series as inline SVG: one line per series over the
 * periods, a gap where a value is missing, the axis from zero (or the
 * lowest value below it) to the highest, its ends labelled, and a legend.
 */
export function lineChartSvg(labels: readonly string[], series: readonly { name: string; values: readonly (number | null)[] }[], lang: Language): string {
  const values = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  if (labels.length === 0 || values.length === 0) return '';
  const W = 640;
  const H = 240;
  const left = 70;
  const right = 10;
  const top = 10;
  const bottom = 40;
  const lo = Math.min(0, ...values);
  const hi = Math.max(...values) === lo ? lo + 1 : Math.max(...values);
  const x = (i: number) => left + (labels.length === 1 ? (W - left - right) / 2 : (i * (W - left - right)) / (labels.length - 1));
  const y = (v: number) => top + (H - top - bottom) * (1 - (v - lo) / (hi - lo));
  const text = (tx: number, ty: number, s: string, anchor = 'middle') => `<text x="${tx.toFixed(1)}" y="${ty.toFixed(1)}" font-size="9" text-anchor="${anchor}">${escapeHtml(s)}</text>`;
  // As many labels as fit side by side (9 px type, about 5.5 px a character); the last is always written, the one before it only when they do not touch.
  const room = Math.max(...labels.map((l) => l.length)) * 5.5 + 10;
  const every = Math.max(1, Math.ceil(labels.length / Math.max(1, Math.floor((W - left - right) / room))));
  const labelled = (i: number) => i === labels.length - 1 || (i % every === 0 && labels.length - 1 - i >= every);
  const parts: string[] = [
    `<line x1="${left}" y1="${y(lo)}" x2="${W - right}" y2="${y(lo)}" stroke="#000" stroke-width="0.6"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${y(lo)}" stroke="#000" stroke-width="0.6"/>`,
    `<line x1="${left}" y1="${y(hi)}" x2="${W - right}" y2="${y(hi)}" stroke="#bbb" stroke-width="0.4"/>`,
    text(left - 4, y(hi) + 3, printNumber(hi, lang), 'end'),
    text(left - 4, y(lo) + 3, printNumber(lo, lang), 'end'),
    // The first and last periods are anchored inside the chart, so neither is cut at its edge.
    ...labels.map((l, i) =>
      labelled(i) ? text(x(i), H - bottom + 14, l, labels.length === 1 ? 'middle' : i === 0 ? 'start' : i === labels.length - 1 ? 'end' : 'middle') : '',
    ),
  ];
  series.forEach((s, k) => {
    const colour = LINE_COLOURS[k % LINE_COLOURS.length]!;
    // Each run of present values is its own path, so a missing period shows as a gap.
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)} ${y(v).toFixed(1)} `;
      pen = true;
    });
    parts.push(`<path d="${d.trim()}" fill="none" stroke="${colour}" stroke-width="1.6"${k > 0 ? ' stroke-dasharray="4 3"' : ''}/>`);
    s.values.forEach((v, i) => {
      if (v !== null) parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2" fill="${colour}"/>`);
    });
    const lx = left + k * 200;
    parts.push(`<line x1="${lx}" y1="${H - 8}" x2="${lx + 18}" y2="${H - 8}" stroke="${colour}" stroke-width="1.6"/>`, text(lx + 22, H - 5, s.name, 'start'));
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img">${parts.join('')}</svg>`;
}

/**
 * A bar chart as inline SVG: a horizontal bar per label (a unit's name
 * reads whole at the left), from zero, the value written at the bar's end;
 * bars below zero run left of the axis.
 */
export function barChartSvg(labels: readonly string[], values: readonly (number | null)[], lang: Language): string {
  const present = values.filter((v): v is number => v !== null);
  if (labels.length === 0 || present.length === 0) return '';
  const W = 640;
  const row = 18;
  const top = 6;
  const left = 190;
  const right = 70;
  const H = top * 2 + row * labels.length;
  const lo = Math.min(0, ...present);
  const hi = Math.max(0, ...present) === lo ? lo + 1 : Math.max(0, ...present);
  const x = (v: number) => left + ((v - lo) * (W - left - right)) / (hi - lo);
  const text = (tx: number, ty: number, s: string, anchor: string) => `<text x="${tx.toFixed(1)}" y="${ty.toFixed(1)}" font-size="9" text-anchor="${anchor}">${escapeHtml(s)}</text>`;
  const parts: string[] = [`<line x1="${x(0).toFixed(1)}" y1="${top}" x2="${x(0).toFixed(1)}" y2="${H - top}" stroke="#000" stroke-width="0.6"/>`];
  labels.forEach((label, i) => {
    const y = top + i * row;
    parts.push(text(left - 6, y + row / 2 + 3, label.length > 34 ? `${label.slice(0, 33)}…` : label, 'end'));
    const v = values[i];
    if (v === null || v === undefined) return;
    const a = Math.min(x(0), x(v));
    parts.push(`<rect x="${a.toFixed(1)}" y="${(y + 3).toFixed(1)}" width="${Math.abs(x(v) - x(0)).toFixed(1)}" height="${row - 6}" fill="${LINE_COLOURS[0]}"/>`);
    parts.push(text(Math.max(x(v), x(0)) + 4, y + row / 2 + 3, printNumber(v, lang), 'start'));
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img">${parts.join('')}</svg>`;
}
